//! `/connectors/{name}/offsets` (KIP-875): read a connector's offsets in any state; alter
//! or reset them while it is stopped. Partitions and offsets travel as JSON objects and are
//! read as Kafka's internal converter reads them (integers as longs).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use connect_api::Value as ConnectValue;
use connect_runtime::offsets::OffsetCodec;
use serde_json::{json, Value};

use crate::body::{herder_error, BadBody};
use crate::routes::Shared;

fn to_json(codec: &OffsetCodec, v: &ConnectValue) -> Value {
    codec
        .encode(v)
        .ok()
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or(Value::Null)
}

fn from_json(codec: &OffsetCodec, v: &Value, what: &str) -> Result<ConnectValue, BadBody> {
    let bytes = serde_json::to_vec(v).map_err(|e| BadBody(format!("Invalid {what}: {e}")))?;
    codec
        .decode(&bytes)
        .map_err(|e| BadBody(format!("Invalid {what}: {e}")))
}

/// `GET /connectors/{name}/offsets`.
pub async fn get(State(h): State<Shared>, Path(name): Path<String>) -> Response {
    match h.connector_offsets(&name).await {
        Ok(offsets) => {
            let codec = h.offset_codec();
            let list: Vec<Value> = offsets
                .iter()
                .map(|(p, o)| json!({"partition": to_json(codec, p), "offset": to_json(codec, o)}))
                .collect();
            Json(json!({ "offsets": list })).into_response()
        }
        Err(e) => herder_error(e),
    }
}

const NONE_GIVEN: &str = "Partitions / offsets need to be provided for an alter offsets request";

/// The body of `PATCH /connectors/{name}/offsets`: `{"offsets":[{"partition":…,"offset":…}]}`.
fn parse_offsets(
    codec: &OffsetCodec,
    body: &[u8],
) -> Result<Vec<(ConnectValue, Option<ConnectValue>)>, BadBody> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| BadBody(format!("The request body is not valid JSON: {e}")))?;
    let Value::Object(mut top) = value else {
        return Err(BadBody(
            "The request body must be a JSON object: {\"offsets\": [{\"partition\": {…}, \"offset\": {…}}]}".into(),
        ));
    };
    if let Some(unknown) = top.keys().find(|k| k.as_str() != "offsets") {
        return Err(BadBody(format!(
            "Unrecognized field \"{unknown}\" (the body has one field, offsets)"
        )));
    }
    let entries = match top.remove("offsets") {
        None | Some(Value::Null) => return Err(BadBody(NONE_GIVEN.into())),
        Some(Value::Array(a)) if a.is_empty() => return Err(BadBody(NONE_GIVEN.into())),
        Some(Value::Array(a)) => a,
        Some(_) => return Err(BadBody("offsets must be a JSON array".into())),
    };
    let mut out = Vec::with_capacity(entries.len());
    for entry in entries {
        let Value::Object(mut e) = entry else {
            return Err(BadBody(
                "Each element of offsets must be an object with a partition and an offset".into(),
            ));
        };
        if let Some(unknown) = e
            .keys()
            .find(|k| !matches!(k.as_str(), "partition" | "offset"))
        {
            return Err(BadBody(format!(
                "Unrecognized field \"{unknown}\" in an offset (its fields are partition and offset)"
            )));
        }
        let partition = match e.remove("partition") {
            None | Some(Value::Null) => ConnectValue::Null,
            Some(p @ Value::Object(_)) => from_json(codec, &p, "partition")?,
            Some(_) => return Err(BadBody("A partition must be a JSON object".into())),
        };
        let offset = match e.remove("offset") {
            None | Some(Value::Null) => None,
            Some(o @ Value::Object(_)) => Some(from_json(codec, &o, "offset")?),
            Some(_) => return Err(BadBody("An offset must be a JSON object or null".into())),
        };
        out.push((partition, offset));
    }
    Ok(out)
}

/// `PATCH /connectors/{name}/offsets`.
pub async fn patch(State(h): State<Shared>, Path(name): Path<String>, body: Bytes) -> Response {
    let offsets = match parse_offsets(h.offset_codec(), &body) {
        Ok(o) => o,
        Err(bad) => return bad.into_response(),
    };
    match h.alter_connector_offsets(&name, offsets).await {
        Ok(message) => Json(json!({ "message": message })).into_response(),
        Err(e) => herder_error(e),
    }
}

/// `DELETE /connectors/{name}/offsets`.
pub async fn delete(State(h): State<Shared>, Path(name): Path<String>) -> Response {
    match h.reset_connector_offsets(&name).await {
        Ok(message) => Json(json!({ "message": message })).into_response(),
        Err(e) => herder_error(e),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn offsets_bodies() {
        let codec = OffsetCodec::new().unwrap();
        let parsed = parse_offsets(
            &codec,
            br#"{"offsets":[{"partition":{"filename":"f"},"offset":{"position":7}},{"partition":{"filename":"g"},"offset":null}]}"#,
        )
        .unwrap();
        assert_eq!(parsed.len(), 2);
        assert!(parsed[1].1.is_none());
        assert_eq!(
            to_json(&codec, parsed[0].1.as_ref().unwrap()),
            json!({"position": 7})
        );
        for (body, says) in [
            (&br#"{}"#[..], NONE_GIVEN),
            (br#"{"offsets":[]}"#, NONE_GIVEN),
            (br#"{"offsets":[1]}"#, "must be an object"),
            (
                br#"{"offsets":[{"partition":[1],"offset":null}]}"#,
                "partition must be a JSON object",
            ),
            (br#"{"key":[]}"#, "Unrecognized field \"key\""),
            (b"[", "not valid JSON"),
        ] {
            let e = parse_offsets(&codec, body).unwrap_err();
            assert!(e.0.contains(says), "{}", e.0);
        }
    }
}
