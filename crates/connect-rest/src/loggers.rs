//! `/admin/loggers` (KIP-495): read and change log levels at runtime. Logger names are the
//! worker's log targets (`connect_runtime::source_task`, `librdkafka`, …; `root` for all),
//! levels are log4j's names (`TRACE`…`FATAL`, `OFF`, `ALL`).

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use crate::body::error;
use crate::routes::Shared;

/// A logger's level as `GET /admin/loggers` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggerLevel {
    /// `level`: log4j's name, upper case.
    pub level: String,
    /// `last_modified`: when it was last set through the API (epoch ms), `None` if never.
    pub last_modified: Option<i64>,
}

/// Why a level change was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LevelError {
    /// Not a log4j level (Kafka answers 404).
    InvalidLevel(String),
}

/// The worker's log levels.
pub trait LogLevels: Send + Sync + 'static {
    /// The loggers with a level of their own, and `root`.
    fn levels(&self) -> BTreeMap<String, LoggerLevel>;
    /// A logger's level (its own, or the nearest ancestor's); `None` for a logger the worker
    /// does not have.
    fn level(&self, logger: &str) -> Option<LoggerLevel>;
    /// Sets `logger`'s level (and so its descendants'); the sorted names of the loggers it
    /// now applies to.
    fn set_level(&self, logger: &str, level: &str) -> Result<Vec<String>, LevelError>;
}

fn level_json(l: &LoggerLevel) -> Value {
    json!({"level": l.level, "last_modified": l.last_modified})
}

/// `GET /admin/loggers`.
pub async fn list(State(h): State<Shared>) -> Json<Value> {
    let map: serde_json::Map<String, Value> = h
        .log_levels()
        .levels()
        .iter()
        .map(|(k, v)| (k.clone(), level_json(v)))
        .collect();
    Json(Value::Object(map))
}

/// `GET /admin/loggers/{logger}`.
pub async fn get(State(h): State<Shared>, Path(logger): Path<String>) -> Response {
    match h.log_levels().level(&logger) {
        Some(l) => Json(level_json(&l)).into_response(),
        None => error(StatusCode::NOT_FOUND, format!("Logger {logger} not found.")),
    }
}

/// `PUT /admin/loggers/{logger}?scope=worker|cluster` with `{"level": "DEBUG"}`: 200 with the
/// affected loggers (worker scope), 204 for cluster scope (one worker is the whole cluster
/// in standalone mode).
pub async fn put(
    State(h): State<Shared>,
    Path(logger): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    body: Bytes,
) -> Response {
    let level = serde_json::from_slice::<Value>(&body)
        .ok()
        .and_then(|v| v.get("level").and_then(Value::as_str).map(str::to_string));
    let Some(level) = level else {
        return error(
            StatusCode::BAD_REQUEST,
            "Desired 'level' parameter was not specified in request.",
        );
    };
    let cluster = query
        .iter()
        .rev()
        .find(|(k, _)| k == "scope")
        .is_some_and(|(_, v)| v.eq_ignore_ascii_case("cluster"));
    match h.log_levels().set_level(&logger, &level) {
        Ok(_) if cluster => StatusCode::NO_CONTENT.into_response(),
        Ok(affected) => Json(json!(affected)).into_response(),
        Err(LevelError::InvalidLevel(l)) => {
            error(StatusCode::NOT_FOUND, format!("invalid log level '{l}'."))
        }
    }
}
