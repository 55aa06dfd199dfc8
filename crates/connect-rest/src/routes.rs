//! The routes.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use connect_runtime::standalone::{ConnectorInfo, StandaloneWorker};
use connect_runtime::status::ConnectorStatus;
use serde_json::{json, Map, Value};

use crate::entities;

/// What `GET /` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    /// The Kafka Connect version Ferry is compatible with.
    pub version: String,
    /// Ferry's build.
    pub commit: String,
    /// The Kafka cluster id (`null` if the broker did not say).
    pub kafka_cluster_id: Option<String>,
}

/// What the REST API reads and drives.
pub trait Herder: Send + Sync + 'static {
    /// `GET /`.
    fn server_info(&self) -> ServerInfo;
    /// Whether startup finished (`GET /health` says `healthy` then, `starting` before).
    fn ready(&self) -> bool;
    /// Connector names, sorted.
    fn connector_names(&self) -> Vec<String>;
    /// A connector's config and tasks.
    fn connector_info(&self, name: &str) -> Option<ConnectorInfo>;
    /// A connector's status.
    fn connector_status(&self, name: &str) -> Option<ConnectorStatus>;
}

/// The standalone worker as a herder.
pub struct StandaloneHerder {
    /// The worker.
    pub worker: Arc<StandaloneWorker>,
    /// `GET /`.
    pub info: ServerInfo,
    /// Set when startup finished.
    pub ready: Arc<std::sync::atomic::AtomicBool>,
}

impl Herder for StandaloneHerder {
    fn server_info(&self) -> ServerInfo {
        self.info.clone()
    }

    fn ready(&self) -> bool {
        self.ready.load(std::sync::atomic::Ordering::Relaxed)
    }

    fn connector_names(&self) -> Vec<String> {
        self.worker.connector_names()
    }

    fn connector_info(&self, name: &str) -> Option<ConnectorInfo> {
        self.worker.connector_info(name)
    }

    fn connector_status(&self, name: &str) -> Option<ConnectorStatus> {
        self.worker.connector_status(name)
    }
}

type Shared = Arc<dyn Herder>;

/// Kafka's error body, with `error_code` equal to the HTTP status.
fn error(status: StatusCode, message: impl Into<String>) -> Response {
    let body = json!({"error_code": status.as_u16(), "message": message.into()});
    (status, Json(body)).into_response()
}

fn not_found(name: &str) -> Response {
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
        None => not_found(&name),
    }
}

async fn tasks(State(h): State<Shared>, Path(name): Path<String>) -> Response {
    match h.connector_info(&name) {
        Some(i) => Json(entities::task_infos(&i)).into_response(),
        None => not_found(&name),
    }
}

async fn task_status(
    State(h): State<Shared>,
    Path((name, task)): Path<(String, String)>,
) -> Response {
    let Some(status) = h.connector_status(&name) else {
        return not_found(&name);
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

async fn fallback() -> Response {
    error(StatusCode::NOT_FOUND, "HTTP 404 Not Found")
}

/// The router over `herder`.
pub fn router(herder: Arc<dyn Herder>) -> Router {
    Router::new()
        .route("/", get(root))
        .route("/health", get(health))
        .route("/connectors", get(connectors))
        .route("/connectors/{name}", get(connector))
        .route("/connectors/{name}/config", get(connector_config))
        .route("/connectors/{name}/status", get(connector_status))
        .route("/connectors/{name}/tasks", get(tasks))
        .route("/connectors/{name}/tasks/{task}/status", get(task_status))
        .fallback(fallback)
        .with_state(herder)
}

#[cfg(test)]
#[path = "routes_tests.rs"]
mod tests;
