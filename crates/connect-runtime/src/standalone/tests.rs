#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use connect_api::config::ConfigDef;
use connect_api::plugin::{
    ConfigMap, Connector, ConnectorContext, ConnectorKind, SourceConnector, SourceTask,
};
use connect_api::{ConnectError, Result};

use super::StandaloneWorker;
use crate::config::WorkerConfig;
use crate::plugins::{ConnectorPlugin, Plugins};
use crate::status::State;
use crate::target::TargetState;

/// A source connector that reports an error through its context before `start` returns,
/// as a connector does whose own thread fails at once (the JDBC source's table monitor
/// when the database is unreachable). It has no tasks.
struct FailsWhileStarting;

impl Connector for FailsWhileStarting {
    fn version(&self) -> String {
        "1".to_string()
    }

    fn config_def(&self) -> ConfigDef {
        ConfigDef::default()
    }

    fn task_class(&self) -> &'static str {
        "test.FailsWhileStartingTask"
    }

    fn start(&mut self, _config: &ConfigMap, context: Arc<dyn ConnectorContext>) -> Result<()> {
        context.raise_error(ConnectError::other("Could not connect to the database"));
        Ok(())
    }

    fn task_configs(&self, _max_tasks: usize) -> Result<Vec<ConfigMap>> {
        Ok(Vec::new())
    }

    fn stop(&mut self) -> Result<()> {
        Ok(())
    }
}

impl SourceConnector for FailsWhileStarting {
    fn create_task(&self) -> Box<dyn SourceTask> {
        unreachable!("the connector has no tasks")
    }
}

fn worker(dir: &std::path::Path) -> StandaloneWorker {
    let mut plugins = Plugins::new();
    plugins.register(ConnectorPlugin {
        class: "test.FailsWhileStartingConnector",
        kind: "source",
        version: "1",
        factory: || ConnectorKind::Source(Box::new(FailsWhileStarting)),
    });
    let offsets = dir.join("offsets");
    let originals: ConfigMap = [
        ("bootstrap.servers", "127.0.0.1:9"),
        (
            "key.converter",
            "org.apache.kafka.connect.storage.StringConverter",
        ),
        (
            "value.converter",
            "org.apache.kafka.connect.storage.StringConverter",
        ),
        ("offset.storage.file.filename", offsets.to_str().unwrap()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let config = WorkerConfig::standalone(&originals).unwrap();
    StandaloneWorker::new(config, plugins, "w:8083".to_string()).unwrap()
}

fn connector(name: &str) -> ConfigMap {
    [("name", name), ("connector.class", "FailsWhileStarting")]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn an_error_raised_while_starting_is_not_overwritten_by_running() {
    let dir = tempfile::tempdir().unwrap();
    let w = worker(dir.path());
    w.create_connector(connector("c"), TargetState::Started)
        .await
        .unwrap();
    let shown = w.connector_status("c").unwrap().connector;
    assert_eq!(shown.state, State::Failed);
    assert!(shown
        .trace
        .unwrap()
        .contains("Could not connect to the database"));

    // a failed connector does not leave FAILED when paused and resumed
    w.pause_connector("c").await.unwrap();
    w.resume_connector("c").await.unwrap();
    assert_eq!(
        w.connector_status("c").unwrap().connector.state,
        State::Failed
    );
    w.stop().await;
}
