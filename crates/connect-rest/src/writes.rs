//! The endpoints that change connectors: create, reconfigure, delete, pause, resume, stop,
//! restart. Status codes as Kafka's: 201 (created, with `Location`), 200, 202 or 204.

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::{HeaderMap, HOST, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use connect_api::plugin::ConfigMap;
use connect_runtime::distributed::request_signing::{
    RequestSignature, SIGNATURE_ALGORITHM_HEADER, SIGNATURE_HEADER,
};
use connect_runtime::standalone::ConnectorInfo;

use crate::body::{self, herder_error};
use crate::entities;
use crate::routes::Shared;

/// A path segment with everything but unreserved characters percent-encoded.
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// 201 with `Location: http://<host>/connectors/<name>` and the connector.
fn created(headers: &HeaderMap, info: &ConnectorInfo) -> Response {
    let path = format!("/connectors/{}", encode_segment(&info.name));
    let location = match headers.get(HOST).and_then(|h| h.to_str().ok()) {
        Some(host) => format!("http://{host}{path}"),
        None => path,
    };
    let mut response = (StatusCode::CREATED, Json(entities::connector_info(info))).into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(LOCATION, v);
    }
    response
}

/// `POST /connectors`.
pub async fn create_connector(
    State(h): State<Shared>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (config, initial) = match body::create_request(&body) {
        Ok(request) => request,
        Err(bad) => return bad.into_response(),
    };
    match h.create_connector(config, initial).await {
        Ok(info) => created(&headers, &info),
        Err(e) => herder_error(e),
    }
}

/// `PUT /connectors/{name}/config`.
pub async fn put_config(
    State(h): State<Shared>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let config = match body::put_config(&body) {
        Ok(c) => c,
        Err(bad) => return bad.into_response(),
    };
    match h.put_connector_config(&name, config).await {
        Ok((true, info)) => created(&headers, &info),
        Ok((false, info)) => Json(entities::connector_info(&info)).into_response(),
        Err(e) => herder_error(e),
    }
}

/// `PATCH /connectors/{name}/config`.
pub async fn patch_config(
    State(h): State<Shared>,
    Path(name): Path<String>,
    body: Bytes,
) -> Response {
    let patch = match body::patch_config(&body) {
        Ok(p) => p,
        Err(bad) => return bad.into_response(),
    };
    match h.patch_connector_config(&name, patch).await {
        Ok(info) => Json(entities::connector_info(&info)).into_response(),
        Err(e) => herder_error(e),
    }
}

fn answer(
    result: Result<(), connect_runtime::herder_error::HerderError>,
    ok: StatusCode,
) -> Response {
    match result {
        Ok(()) => ok.into_response(),
        Err(e) => herder_error(e),
    }
}

/// `DELETE /connectors/{name}`.
pub async fn delete_connector(State(h): State<Shared>, Path(name): Path<String>) -> Response {
    answer(h.delete_connector(&name).await, StatusCode::NO_CONTENT)
}

/// `PUT /connectors/{name}/pause`.
pub async fn pause(State(h): State<Shared>, Path(name): Path<String>) -> Response {
    answer(h.pause_connector(&name).await, StatusCode::ACCEPTED)
}

/// `PUT /connectors/{name}/resume`.
pub async fn resume(State(h): State<Shared>, Path(name): Path<String>) -> Response {
    answer(h.resume_connector(&name).await, StatusCode::ACCEPTED)
}

/// `POST /connectors/{name}/tasks` (internal, from another worker): 204. The body is kept
/// as it came, since the KIP-507 signature covers its bytes.
pub async fn put_task_configs(
    State(h): State<Shared>,
    Path(name): Path<String>,
    headers: HeaderMap,
    raw: Bytes,
) -> Response {
    let configs: Vec<ConfigMap> = match serde_json::from_slice(&raw) {
        Ok(c) => c,
        Err(e) => {
            return body::error(
                StatusCode::BAD_REQUEST,
                format!("Cannot deserialize the task configs: {e}"),
            )
        }
    };
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let signature = match (header(SIGNATURE_HEADER), header(SIGNATURE_ALGORITHM_HEADER)) {
        (Some(signature), algorithm) => Some(RequestSignature {
            signature,
            algorithm: algorithm.unwrap_or_default(),
        }),
        (None, _) => None,
    };
    answer(
        h.put_task_configs(&name, configs, &raw, signature).await,
        StatusCode::NO_CONTENT,
    )
}

/// `PUT /connectors/{name}/stop`.
pub async fn stop(State(h): State<Shared>, Path(name): Path<String>) -> Response {
    answer(h.stop_connector(&name).await, StatusCode::NO_CONTENT)
}

/// A boolean query parameter as JAX-RS reads one: `true` in any case is true, anything
/// else false.
fn flag(query: &[(String, String)], name: &str) -> bool {
    query
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .is_some_and(|(_, v)| v.eq_ignore_ascii_case("true"))
}

/// `POST /connectors/{name}/restart?includeTasks=…&onlyFailed=…`: 204 for the connector
/// alone, 202 with the status (what restarts shows `RESTARTING`) otherwise.
pub async fn restart_connector(
    State(h): State<Shared>,
    Path(name): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let include_tasks = flag(&query, "includeTasks");
    let only_failed = flag(&query, "onlyFailed");
    match h.restart_connector(&name, include_tasks, only_failed).await {
        Ok(_) if !include_tasks && !only_failed => StatusCode::NO_CONTENT.into_response(),
        Ok(plan) => (
            StatusCode::ACCEPTED,
            Json(entities::connector_state(&name, &plan.status)),
        )
            .into_response(),
        Err(e) => herder_error(e),
    }
}

/// `POST /connectors/{name}/tasks/{task}/restart`.
pub async fn restart_task(
    State(h): State<Shared>,
    Path((name, task)): Path<(String, String)>,
) -> Response {
    let Ok(id) = task.parse::<u32>() else {
        return body::error(StatusCode::NOT_FOUND, "HTTP 404 Not Found");
    };
    answer(h.restart_task(&name, id).await, StatusCode::NO_CONTENT)
}

/// `GET /connectors/{name}/topics`: `{"<name>": {"topics": [...]}}`.
pub async fn topics(State(h): State<Shared>, Path(name): Path<String>) -> Response {
    match h.connector_topics(&name) {
        Ok(topics) => {
            let mut body = serde_json::Map::new();
            body.insert(name, serde_json::json!({ "topics": topics }));
            Json(serde_json::Value::Object(body)).into_response()
        }
        Err(e) => herder_error(e),
    }
}

/// `PUT /connectors/{name}/topics/reset`.
pub async fn reset_topics(State(h): State<Shared>, Path(name): Path<String>) -> Response {
    answer(h.reset_connector_topics(&name), StatusCode::ACCEPTED)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_locations_are_encoded() {
        assert_eq!(encode_segment("my-conn_1.x"), "my-conn_1.x");
        assert_eq!(encode_segment("a b/c"), "a%20b%2Fc");
    }

    #[test]
    fn flags_read_as_jax_rs_reads_booleans() {
        let q = vec![
            ("includeTasks".to_string(), "TRUE".to_string()),
            ("onlyFailed".to_string(), "yes".to_string()),
        ];
        assert!(flag(&q, "includeTasks"));
        assert!(!flag(&q, "onlyFailed"));
        assert!(!flag(&q, "other"));
    }
}
