#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use axum::body::Body;
use axum::http::Request;
use connect_runtime::status::{State as RunState, Status};
use http_body_util::BodyExt;
use tower::ServiceExt;

use super::*;

struct Fake;

fn status(state: RunState, trace: Option<&str>) -> Status {
    Status {
        state,
        trace: trace.map(str::to_string),
        worker_id: "host:8083".into(),
    }
}

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
}

async fn get(path: &str) -> (u16, String) {
    let app = router(Arc::new(Fake));
    let res = app
        .oneshot(Request::builder().uri(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let code = res.status().as_u16();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (code, String::from_utf8(body.to_vec()).unwrap())
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
            r#"{"error_code":404,"message":"Connector nope not found"}"#.into()
        )
    );
    assert_eq!(get("/connectors/src/tasks/9/status").await.0, 404);
    assert_eq!(get("/nothing").await.0, 404);
}
