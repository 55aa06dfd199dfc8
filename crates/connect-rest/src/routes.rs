//! The routes.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use crate::body::error;
use crate::entities;
use crate::herder::Herder;
use crate::loggers;
use crate::offset_routes;
use crate::plugin_routes;
use crate::writes;

pub(crate) type Shared = Arc<dyn Herder>;

pub(crate) fn not_found(name: &str) -> Response {
    error(StatusCode::NOT_FOUND, format!("Connector {name} not found"))
}

async fn root(State(h): State<Shared>) -> Json<Value> {
    let info = h.server_info();
    Json(json!({
        "version": info.version,
        "commit": info.commit,
        "kafka_cluster_id": info.kafka_cluster_id,
    }))
}

async fn health(State(h): State<Shared>) -> Response {
    if h.ready() {
        Json(json!({
            "status": "healthy",
            "message": "Worker has completed startup and is ready to handle requests."
        }))
        .into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "starting", "message": "Worker is still starting up."})),
        )
            .into_response()
    }
}

async fn connectors(
    State(h): State<Shared>,
    Query(query): Query<Vec<(String, String)>>,
) -> Json<Value> {
    let names = h.connector_names();
    let expand: Vec<&str> = query
        .iter()
        .filter(|(k, _)| k == "expand")
        .map(|(_, v)| v.as_str())
        .filter(|v| *v == "status" || *v == "info")
        .collect();
    if expand.is_empty() {
        return Json(json!(names));
    }
    let mut out = Map::new();
    for name in names {
        let mut entry = Map::new();
        if expand.contains(&"status") {
            if let Some(s) = h.connector_status(&name) {
                entry.insert("status".into(), entities::connector_state(&name, &s));
            }
        }
        if expand.contains(&"info") {
            if let Some(i) = h.connector_info(&name) {
                entry.insert("info".into(), entities::connector_info(&i));
            }
        }
        out.insert(name, Value::Object(entry));
    }
    Json(Value::Object(out))
}

async fn connector(State(h): State<Shared>, Path(name): Path<String>) -> Response {
    match h.connector_info(&name) {
        Some(i) => Json(entities::connector_info(&i)).into_response(),
        None => not_found(&name),
    }
}

async fn connector_config(State(h): State<Shared>, Path(name): Path<String>) -> Response {
    match h.connector_info(&name) {
        Some(i) => Json(entities::redacted_config(&i.config)).into_response(),
        None => not_found(&name),
    }
}

async fn connector_status(State(h): State<Shared>, Path(name): Path<String>) -> Response {
    match h.connector_status(&name) {
        Some(s) => Json(entities::connector_state(&name, &s)).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            format!("No status found for connector {name}"),
        ),
    }
}

async fn tasks(State(h): State<Shared>, Path(name): Path<String>) -> Response {
    match h.connector_info(&name) {
        Some(i) => Json(entities::task_infos(&i)).into_response(),
        None => not_found(&name),
    }
}

/// `GET /connectors/{name}/tasks-config` (deprecated by KIP-970, as in Kafka 3.9):
/// `{"<name>-<task>": {config}}`.
async fn tasks_config(State(h): State<Shared>, Path(name): Path<String>) -> Response {
    tracing::warn!(
        "GET /connectors/{name}/tasks-config is deprecated (KIP-970); use GET /connectors/{name}/tasks"
    );
    match h.connector_info(&name) {
        Some(i) => Json(entities::tasks_config(&i)).into_response(),
        None => not_found(&name),
    }
}

async fn task_status(
    State(h): State<Shared>,
    Path((name, task)): Path<(String, String)>,
) -> Response {
    let Some(status) = h.connector_status(&name) else {
        return error(
            StatusCode::NOT_FOUND,
            format!("No status found for task {name}-{task}"),
        );
    };
    let found = task
        .parse::<u32>()
        .ok()
        .and_then(|id| status.tasks.get(&id).map(|s| (id, s)));
    match found {
        Some((id, s)) => Json(entities::task_state(s, id)).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            format!("No status found for task {name}-{task}"),
        ),
    }
}

/// The OpenAPI document of this API (`GET /openapi.json`, a Ferry addition).
pub const OPENAPI: &str = include_str!("openapi.json");

async fn openapi() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
        .into_response()
}

async fn fallback() -> Response {
    error(StatusCode::NOT_FOUND, "HTTP 404 Not Found")
}

async fn method_not_allowed() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "HTTP 405 Method Not Allowed",
    )
}

/// Logs each request at DEBUG (target `connect_rest::access`): method, path, status, time.
async fn access_log(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    tracing::debug!(
        target: "connect_rest::access",
        "{method} {path} {} {} ms",
        response.status().as_u16(),
        started.elapsed().as_millis()
    );
    response
}

/// The router over `herder`.
pub fn router(herder: Arc<dyn Herder>) -> Router {
    Router::new()
        .route("/", get(root))
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .route(
            "/connectors",
            get(connectors).post(writes::create_connector),
        )
        .route(
            "/connectors/{name}",
            get(connector).delete(writes::delete_connector),
        )
        .route(
            "/connectors/{name}/config",
            get(connector_config)
                .put(writes::put_config)
                .patch(writes::patch_config),
        )
        .route("/connectors/{name}/status", get(connector_status))
        .route(
            "/connectors/{name}/tasks",
            get(tasks).post(writes::put_task_configs),
        )
        .route("/connectors/{name}/tasks-config", get(tasks_config))
        .route("/connectors/{name}/tasks/{task}/status", get(task_status))
        .route(
            "/connectors/{name}/restart",
            post(writes::restart_connector),
        )
        .route(
            "/connectors/{name}/tasks/{task}/restart",
            post(writes::restart_task),
        )
        .route("/connectors/{name}/pause", put(writes::pause))
        .route("/connectors/{name}/resume", put(writes::resume))
        .route("/connectors/{name}/stop", put(writes::stop))
        .route("/connectors/{name}/topics", get(writes::topics))
        .route("/connectors/{name}/topics/reset", put(writes::reset_topics))
        .route(
            "/connectors/{name}/offsets",
            get(offset_routes::get)
                .patch(offset_routes::patch)
                .delete(offset_routes::delete),
        )
        .route("/admin/loggers", get(loggers::list))
        .route(
            "/admin/loggers/{logger}",
            get(loggers::get).put(loggers::put),
        )
        .route("/connector-plugins", get(plugin_routes::list))
        .route(
            "/connector-plugins/{plugin}/config",
            get(plugin_routes::config),
        )
        .route(
            "/connector-plugins/{plugin}/config/validate",
            put(plugin_routes::validate),
        )
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&herder),
            crate::forward::forward,
        ))
        .layer(axum::middleware::from_fn(access_log))
        .with_state(herder)
}

#[cfg(test)]
#[path = "routes_tests.rs"]
mod tests;
