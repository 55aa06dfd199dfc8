#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use async_trait::async_trait;
use axum::body::Body;
use axum::http::Request;
use connect_runtime::herder_error::HerderError;
use connect_runtime::plugins::Plugins;
use connect_runtime::standalone::{ConnectorInfo, RestartPlan};
use connect_runtime::status::{ConnectorStatus, State as RunState, Status};
use connect_runtime::target::TargetState;
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::*;
use crate::herder::ServerInfo;

/// Levels of two loggers, `root` and `a`.
struct FakeLevels;

impl crate::LogLevels for FakeLevels {
    fn levels(&self) -> BTreeMap<String, crate::LoggerLevel> {
        BTreeMap::from([(
            "root".to_string(),
            crate::LoggerLevel {
                level: "INFO".into(),
                last_modified: None,
            },
        )])
    }
    fn level(&self, logger: &str) -> Option<crate::LoggerLevel> {
        (logger == "a").then(|| crate::LoggerLevel {
            level: "DEBUG".into(),
            last_modified: Some(7),
        })
    }
    fn set_level(&self, logger: &str, level: &str) -> Result<Vec<String>, crate::LevelError> {
        if level.eq_ignore_ascii_case("debug") {
            Ok(vec![logger.to_string()])
        } else {
            Err(crate::LevelError::InvalidLevel(level.to_string()))
        }
    }
}

/// Knows one connector, `src`; creates anything else.
struct Fake {
    plugins: Plugins,
    levels: FakeLevels,
    codec: connect_runtime::offsets::OffsetCodec,
}

fn fake() -> Arc<Fake> {
    Arc::new(Fake {
        plugins: Plugins::new(),
        levels: FakeLevels,
        codec: connect_runtime::offsets::OffsetCodec::new().unwrap(),
    })
}

fn known(name: &str) -> Result<(), HerderError> {
    if name == "src" {
        Ok(())
    } else {
        Err(HerderError::NotFound(format!("Connector {name} not found")))
    }
}

fn status(state: RunState, trace: Option<&str>) -> Status {
    Status {
        state,
        trace: trace.map(str::to_string),
        worker_id: "host:8083".into(),
    }
}

#[async_trait]
impl Herder for Fake {
    fn server_info(&self) -> ServerInfo {
        ServerInfo {
            version: "3.9.0".into(),
            commit: "ferry".into(),
            kafka_cluster_id: Some("cid".into()),
        }
    }
    fn ready(&self) -> bool {
        true
    }
    fn connector_names(&self) -> Vec<String> {
        vec!["src".into()]
    }
    fn connector_info(&self, name: &str) -> Option<ConnectorInfo> {
        (name == "src").then(|| ConnectorInfo {
            name: "src".into(),
            config: BTreeMap::from([
                (
                    "connector.class".to_string(),
                    "FileStreamSource".to_string(),
                ),
                (
                    "producer.override.sasl.password".to_string(),
                    "s3cret".to_string(),
                ),
                ("db.password".to_string(), "${file:/etc/p:pw}".to_string()),
            ]),
            tasks: vec![BTreeMap::from([("topic".to_string(), "t".to_string())])],
            kind: "source",
        })
    }
    fn connector_status(&self, name: &str) -> Option<ConnectorStatus> {
        (name == "src").then(|| ConnectorStatus {
            kind: "source",
            connector: status(RunState::Running, None),
            tasks: BTreeMap::from([(0, status(RunState::Failed, Some("boom")))]),
        })
    }
    fn plugins(&self) -> &Plugins {
        &self.plugins
    }
    fn log_levels(&self) -> &dyn crate::LogLevels {
        &self.levels
    }
    fn validate_connector_config(
        &self,
        _config: &BTreeMap<String, String>,
    ) -> Result<connect_runtime::validation::ConfigInfos, HerderError> {
        Err(HerderError::BadRequest("not in this fake".into()))
    }
    async fn create_connector(
        &self,
        config: BTreeMap<String, String>,
        _initial: TargetState,
    ) -> Result<ConnectorInfo, HerderError> {
        let name = config["name"].clone();
        if name == "src" {
            return Err(HerderError::AlreadyExists(
                "Connector src already exists".into(),
            ));
        }
        Ok(ConnectorInfo {
            name,
            config,
            tasks: Vec::new(),
            kind: "sink",
        })
    }
    async fn put_connector_config(
        &self,
        name: &str,
        config: BTreeMap<String, String>,
    ) -> Result<(bool, ConnectorInfo), HerderError> {
        let created = name != "src";
        Ok((
            created,
            ConnectorInfo {
                name: name.to_string(),
                config,
                tasks: Vec::new(),
                kind: "source",
            },
        ))
    }
    async fn patch_connector_config(
        &self,
        name: &str,
        _patch: BTreeMap<String, Option<String>>,
    ) -> Result<ConnectorInfo, HerderError> {
        known(name)?;
        self.connector_info(name)
            .ok_or_else(|| HerderError::Internal("gone".into()))
    }
    async fn delete_connector(&self, name: &str) -> Result<(), HerderError> {
        known(name)
    }
    async fn pause_connector(&self, name: &str) -> Result<(), HerderError> {
        known(name).map_err(|_| HerderError::NotFound(format!("Unknown connector {name}")))
    }
    async fn resume_connector(&self, name: &str) -> Result<(), HerderError> {
        self.pause_connector(name).await
    }
    async fn stop_connector(&self, name: &str) -> Result<(), HerderError> {
        self.pause_connector(name).await
    }
    async fn restart_connector(
        &self,
        name: &str,
        _include_tasks: bool,
        _only_failed: bool,
    ) -> Result<RestartPlan, HerderError> {
        known(name)?;
        let mut status = self
            .connector_status(name)
            .ok_or_else(|| HerderError::Internal("gone".into()))?;
        status.connector.state = RunState::Restarting;
        Ok(RestartPlan {
            connector: true,
            tasks: Vec::new(),
            status,
        })
    }
    fn offset_codec(&self) -> &connect_runtime::offsets::OffsetCodec {
        &self.codec
    }
    async fn connector_offsets(
        &self,
        name: &str,
    ) -> Result<Vec<(connect_api::Value, connect_api::Value)>, HerderError> {
        known(name)?;
        Ok(Vec::new())
    }
    async fn alter_connector_offsets(
        &self,
        name: &str,
        _offsets: Vec<connect_runtime::standalone::OffsetEntry>,
    ) -> Result<String, HerderError> {
        known(name)?;
        Ok("altered".into())
    }
    async fn reset_connector_offsets(&self, name: &str) -> Result<String, HerderError> {
        known(name)?;
        Ok("reset".into())
    }
    fn connector_topics(&self, name: &str) -> Result<Vec<String>, HerderError> {
        known(name)?;
        Ok(vec!["t".into()])
    }
    fn reset_connector_topics(&self, name: &str) -> Result<(), HerderError> {
        known(name)
    }
    async fn restart_task(&self, name: &str, task: u32) -> Result<(), HerderError> {
        known(name)?;
        if task == 0 {
            Ok(())
        } else {
            Err(HerderError::NotFound(format!(
                "Task {name}-{task} not found"
            )))
        }
    }
}

async fn call(method: &str, path: &str, body: &str) -> (u16, String) {
    let app = router(fake());
    let res = app
        .oneshot(
            Request::builder()
                .method(method)
                .uri(path)
                .header("host", "w:8083")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    let code = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .map(|l| format!("{} ", l.to_str().unwrap()))
        .unwrap_or_default();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (code, location + std::str::from_utf8(&body).unwrap())
}

async fn get(path: &str) -> (u16, String) {
    call("GET", path, "").await
}

#[tokio::test]
async fn server_info_and_health() {
    assert_eq!(
        get("/").await,
        (
            200,
            r#"{"version":"3.9.0","commit":"ferry","kafka_cluster_id":"cid"}"#.into()
        )
    );
    let (code, body) = get("/health").await;
    assert_eq!(code, 200);
    assert!(body.contains(r#""status":"healthy""#), "{body}");
}

#[tokio::test]
async fn connectors_status_and_info() {
    assert_eq!(get("/connectors").await, (200, r#"["src"]"#.into()));
    assert_eq!(
        get("/connectors/src/status").await,
        (
            200,
            r#"{"name":"src","connector":{"state":"RUNNING","worker_id":"host:8083"},"tasks":[{"id":0,"state":"FAILED","worker_id":"host:8083","trace":"boom"}],"type":"source"}"#
                .into()
        )
    );
    let (code, body) = get("/connectors/src").await;
    assert_eq!(code, 200);
    assert!(
        body.contains(r#""tasks":[{"connector":"src","task":0}],"type":"source""#),
        "{body}"
    );
    assert!(!body.contains("s3cret"), "{body}");
    assert!(
        body.contains(r#""producer.override.sasl.password":"[hidden]""#),
        "{body}"
    );
    assert!(
        body.contains(r#""db.password":"${file:/etc/p:pw}""#),
        "{body}"
    );
    let (_, expanded) = get("/connectors?expand=status&expand=info").await;
    assert!(
        expanded.starts_with(r#"{"src":{"status":{"name":"src""#),
        "{expanded}"
    );
    assert!(expanded.contains(r#""info":{"name":"src""#), "{expanded}");
    assert_eq!(
        get("/connectors/src/tasks/0/status").await.1,
        r#"{"id":0,"state":"FAILED","worker_id":"host:8083","trace":"boom"}"#
    );
    assert_eq!(
        get("/connectors/src/tasks-config").await,
        (200, r#"{"src-0":{"topic":"t"}}"#.into())
    );
    let (_, tasks) = get("/connectors/src/tasks").await;
    assert_eq!(
        tasks,
        r#"[{"id":{"connector":"src","task":0},"config":{"topic":"t"}}]"#
    );
}

#[tokio::test]
async fn unknown_things_are_404_with_kafkas_body() {
    assert_eq!(
        get("/connectors/nope/status").await,
        (
            404,
            r#"{"error_code":404,"message":"No status found for connector nope"}"#.into()
        )
    );
    assert_eq!(
        get("/connectors/nope").await,
        (
            404,
            r#"{"error_code":404,"message":"Connector nope not found"}"#.into()
        )
    );
    assert_eq!(get("/connectors/src/tasks/9/status").await.0, 404);
    assert_eq!(get("/nothing").await.0, 404);
}

#[tokio::test]
async fn changes_answer_with_kafkas_status_codes() {
    assert_eq!(
        call("POST", "/connectors", r#"{"name":"new","config":{"connector.class":"X"}}"#).await,
        (
            201,
            r#"http://w:8083/connectors/new {"name":"new","config":{"connector.class":"X","name":"new"},"tasks":[],"type":"sink"}"#.into()
        )
    );
    assert_eq!(
        call("POST", "/connectors", r#"{"name":"src","config":{}}"#).await,
        (
            409,
            r#"{"error_code":409,"message":"Connector src already exists"}"#.into()
        )
    );
    assert_eq!(call("POST", "/connectors", "{").await.0, 400);
    assert_eq!(
        call("PUT", "/connectors/src/config", r#"{"a":"b"}"#)
            .await
            .0,
        200
    );
    assert_eq!(
        call("PUT", "/connectors/other/config", r#"{"a":"b"}"#)
            .await
            .0,
        201
    );
    assert_eq!(
        call("PATCH", "/connectors/src/config", r#"{"a":null}"#)
            .await
            .0,
        200
    );
    assert_eq!(call("PATCH", "/connectors/nope/config", "{}").await.0, 404);
    assert_eq!(
        call("PUT", "/connectors/src/pause", "").await,
        (202, String::new())
    );
    assert_eq!(
        call("PUT", "/connectors/src/resume", "").await,
        (202, String::new())
    );
    assert_eq!(
        call("PUT", "/connectors/src/stop", "").await,
        (204, String::new())
    );
    assert_eq!(
        call("PUT", "/connectors/nope/pause", "").await,
        (
            404,
            r#"{"error_code":404,"message":"Unknown connector nope"}"#.into()
        )
    );
    assert_eq!(
        call("POST", "/connectors/src/restart", "").await,
        (204, String::new())
    );
    assert_eq!(
        call("POST", "/connectors/src/restart?includeTasks=true", "").await,
        (
            202,
            r#"{"name":"src","connector":{"state":"RESTARTING","worker_id":"host:8083"},"tasks":[{"id":0,"state":"FAILED","worker_id":"host:8083","trace":"boom"}],"type":"source"}"#.into()
        )
    );
    assert_eq!(
        call("POST", "/connectors/src/tasks/0/restart", "").await.0,
        204
    );
    assert_eq!(
        call("POST", "/connectors/src/tasks/x/restart", "").await.0,
        404
    );
    assert_eq!(
        call("POST", "/connectors/src/tasks/3/restart", "").await,
        (
            404,
            r#"{"error_code":404,"message":"Task src-3 not found"}"#.into()
        )
    );
    assert_eq!(
        call("DELETE", "/connectors/src", "").await,
        (204, String::new())
    );
    assert_eq!(
        call("DELETE", "/connectors", "").await,
        (
            405,
            r#"{"error_code":405,"message":"HTTP 405 Method Not Allowed"}"#.into()
        )
    );
}

/// The OpenAPI document describes exactly the routes the router serves.
#[tokio::test]
async fn the_openapi_document_matches_the_router() {
    let doc: serde_json::Value = serde_json::from_str(OPENAPI).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["get", "put", "post", "patch", "delete"] {
            if item.get(method).is_some() {
                documented.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    documented.sort();
    // every documented operation is routed (the fake answers; unknown routes say so)
    for op in &documented {
        let (method, path) = op.split_once(' ').unwrap();
        let concrete = path
            .replace("{name}", "src")
            .replace("{task}", "0")
            .replace("{plugin}", "FileStreamSource")
            .replace("{logger}", "a");
        let (code, body) = call(method, &concrete, "{}").await;
        assert!(
            code != 405 && !body.contains("HTTP 404 Not Found"),
            "{op} is documented but not routed: {code} {body}"
        );
    }
    // and every routed operation is documented
    let routed = [
        "GET /",
        "GET /health",
        "GET /openapi.json",
        "GET /connectors",
        "POST /connectors",
        "GET /connectors/{name}",
        "DELETE /connectors/{name}",
        "GET /connectors/{name}/config",
        "PUT /connectors/{name}/config",
        "PATCH /connectors/{name}/config",
        "GET /connectors/{name}/status",
        "GET /connectors/{name}/tasks",
        "POST /connectors/{name}/tasks",
        "GET /connectors/{name}/tasks/{task}/status",
        "POST /connectors/{name}/restart",
        "POST /connectors/{name}/tasks/{task}/restart",
        "PUT /connectors/{name}/pause",
        "PUT /connectors/{name}/resume",
        "PUT /connectors/{name}/stop",
        "GET /connectors/{name}/offsets",
        "PATCH /connectors/{name}/offsets",
        "DELETE /connectors/{name}/offsets",
        "GET /connector-plugins",
        "GET /connector-plugins/{plugin}/config",
        "PUT /connector-plugins/{plugin}/config/validate",
        "GET /connectors/{name}/tasks-config",
        "GET /connectors/{name}/topics",
        "PUT /connectors/{name}/topics/reset",
        "GET /admin/loggers",
        "GET /admin/loggers/{logger}",
        "PUT /admin/loggers/{logger}",
    ];
    let mut routed: Vec<String> = routed.iter().map(|s| s.to_string()).collect();
    routed.sort();
    assert_eq!(documented, routed);
}

#[tokio::test]
async fn loggers() {
    assert_eq!(
        get("/admin/loggers").await,
        (
            200,
            r#"{"root":{"level":"INFO","last_modified":null}}"#.into()
        )
    );
    assert_eq!(
        get("/admin/loggers/a").await,
        (200, r#"{"level":"DEBUG","last_modified":7}"#.into())
    );
    assert_eq!(
        get("/admin/loggers/b").await,
        (
            404,
            r#"{"error_code":404,"message":"Logger b not found."}"#.into()
        )
    );
    assert_eq!(
        call("PUT", "/admin/loggers/a", r#"{"level":"debug"}"#).await,
        (200, r#"["a"]"#.into())
    );
    assert_eq!(
        call(
            "PUT",
            "/admin/loggers/a?scope=cluster",
            r#"{"level":"debug"}"#
        )
        .await,
        (204, String::new())
    );
    assert_eq!(
        call("PUT", "/admin/loggers/a", r#"{"level":"loud"}"#).await,
        (
            404,
            r#"{"error_code":404,"message":"invalid log level 'loud'."}"#.into()
        )
    );
    assert_eq!(call("PUT", "/admin/loggers/a", "{}").await.0, 400);
}
