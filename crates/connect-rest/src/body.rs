//! Request bodies and error responses. Errors use Kafka's `{"error_code","message"}` body. A
//! body that is not the JSON the endpoint takes is a 400 naming what is wrong (Kafka answers
//! some of these with 500; a malformed request is the client's error).

use std::collections::BTreeMap;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use connect_runtime::herder_error::HerderError;
use connect_runtime::target::TargetState;
use serde_json::{json, Map, Value};

/// Kafka's error body, with `error_code` equal to the HTTP status.
pub fn error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = json!({"error_code": status.as_u16(), "message": message.into()});
    (status, Json(body)).into_response()
}

/// A herder's error as its HTTP status.
pub fn herder_error(e: HerderError) -> Response {
    let status = StatusCode::from_u16(e.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    error(status, e.to_string())
}

/// A request body the endpoint cannot take: answered with 400 and this message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadBody(pub String);

impl IntoResponse for BadBody {
    fn into_response(self) -> Response {
        error(StatusCode::BAD_REQUEST, self.0)
    }
}

fn bad_request(message: impl Into<String>) -> BadBody {
    BadBody(message.into())
}

/// The body as a JSON object.
fn object(body: &[u8]) -> Result<Map<String, Value>, BadBody> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| bad_request(format!("The request body is not valid JSON: {e}")))?;
    match value {
        Value::Object(m) => Ok(m),
        other => Err(bad_request(format!(
            "The request body must be a JSON object, not {}",
            kind(&other)
        ))),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A config value: a string, or a number or boolean taken as its text (as Jackson reads them
/// into a `Map<String, String>`); `None` for null.
fn config_value(key: &str, v: &Value) -> Result<Option<String>, BadBody> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Bool(b) => Ok(Some(b.to_string())),
        Value::Number(n) => Ok(Some(n.to_string())),
        other => Err(bad_request(format!(
            "The value of configuration {key} must be a string, not {}",
            kind(other)
        ))),
    }
}

/// A flat config map in which null values are refused.
fn config_map(m: Map<String, Value>) -> Result<BTreeMap<String, String>, BadBody> {
    let mut out = BTreeMap::new();
    for (k, v) in &m {
        match config_value(k, v)? {
            Some(s) => {
                out.insert(k.clone(), s);
            }
            None => {
                return Err(bad_request(format!(
                    "Invalid value null for configuration {k}: Null value can not be supplied as \
the configuration value."
                )))
            }
        }
    }
    Ok(out)
}

/// The body of `PUT /connectors/{name}/config`.
pub fn put_config(body: &[u8]) -> Result<BTreeMap<String, String>, BadBody> {
    config_map(object(body)?)
}

/// The body of `PATCH /connectors/{name}/config`: null removes a key.
pub fn patch_config(body: &[u8]) -> Result<BTreeMap<String, Option<String>>, BadBody> {
    let mut out = BTreeMap::new();
    for (k, v) in &object(body)? {
        out.insert(k.clone(), config_value(k, v)?);
    }
    Ok(out)
}

/// Kafka's message when a config's `name` differs from the connector's.
pub fn name_mismatch(in_config: &str, name: &str) -> BadBody {
    bad_request(format!(
        "Connector name configuration ({in_config}) doesn't match connector name in the URL ({name})"
    ))
}

/// The body of `POST /connectors` (`CreateConnectorRequest`): the config with `name` set
/// from the (trimmed) request name, and the initial state.
pub fn create_request(body: &[u8]) -> Result<(BTreeMap<String, String>, TargetState), BadBody> {
    let mut m = object(body)?;
    if let Some(unknown) = m
        .keys()
        .find(|k| !matches!(k.as_str(), "name" | "config" | "initial_state"))
    {
        return Err(bad_request(format!(
            "Unrecognized field \"{unknown}\" in the connector creation request (known fields: \
name, config, initial_state)"
        )));
    }
    let name = match m.remove("name") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.trim().to_string(),
        Some(other) => {
            return Err(bad_request(format!(
                "The connector name must be a string, not {}",
                kind(&other)
            )))
        }
    };
    let mut config =
        match m.remove("config") {
            Some(Value::Object(c)) => config_map(c)?,
            None | Some(Value::Null) => return Err(bad_request(
                "The connector creation request has no config: send {\"name\": …, \"config\": {…}}",
            )),
            Some(other) => {
                return Err(bad_request(format!(
                    "The connector config must be a JSON object, not {}",
                    kind(&other)
                )))
            }
        };
    let initial = match m.remove("initial_state") {
        None | Some(Value::Null) => TargetState::Started,
        Some(Value::String(s)) => TargetState::from_initial_state(&s).ok_or_else(|| {
            bad_request(format!(
                "Invalid value {s} for initial_state: it must be one of RUNNING, PAUSED, STOPPED"
            ))
        })?,
        Some(other) => {
            return Err(bad_request(format!(
                "initial_state must be a string (RUNNING, PAUSED or STOPPED), not {}",
                kind(&other)
            )))
        }
    };
    match config.get("name") {
        Some(n) if *n != name => return Err(name_mismatch(n, &name)),
        Some(_) => {}
        None => {
            config.insert("name".to_string(), name);
        }
    }
    Ok((config, initial))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    async fn text(r: Response) -> (u16, String) {
        use http_body_util::BodyExt;
        let code = r.status().as_u16();
        let body = r.into_body().collect().await.unwrap().to_bytes();
        (code, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn create_requests() {
        let (config, initial) = create_request(
            br#"{"name":" a ","config":{"connector.class":"X","tasks.max":2,"b":true},"initial_state":"paused"}"#,
        )
        .unwrap();
        assert_eq!(initial, TargetState::Paused);
        assert_eq!(config["name"], "a");
        assert_eq!(config["tasks.max"], "2");
        assert_eq!(config["b"], "true");

        for (body, says) in [
            (&b"{"[..], "not valid JSON"),
            (b"[]", "must be a JSON object, not an array"),
            (br#"{"name":"a"}"#, "has no config"),
            (
                br#"{"name":"a","config":{},"x":1}"#,
                "Unrecognized field \\\"x\\\"",
            ),
            (
                br#"{"name":"a","config":{"k":[1]}}"#,
                "configuration k must be a string",
            ),
            (
                br#"{"name":"a","config":{"k":null}}"#,
                "Invalid value null for configuration k",
            ),
            (
                br#"{"name":"a","config":{},"initial_state":"GONE"}"#,
                "Invalid value GONE for initial_state",
            ),
            (
                br#"{"name":"a","config":{"name":"b"}}"#,
                "Connector name configuration (b) doesn't match connector name in the URL (a)",
            ),
        ] {
            let (code, text) = text(create_request(body).unwrap_err().into_response()).await;
            assert_eq!(code, 400, "{text}");
            assert!(text.contains(says), "{text}");
            assert!(
                text.starts_with(r#"{"error_code":400,"message":"#),
                "{text}"
            );
        }
    }

    #[test]
    fn patches_keep_nulls() {
        let p = patch_config(br#"{"a":null,"b":"x"}"#).unwrap();
        assert_eq!(p["a"], None);
        assert_eq!(p["b"].as_deref(), Some("x"));
        assert!(put_config(br#"{"a":null}"#).is_err());
    }
}
