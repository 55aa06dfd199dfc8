//! The standalone worker (Kafka's `Worker` with a `StandaloneHerder`): connectors from files
//! and the REST API, offsets in a local file, every task on this process.
//!
//! - this file: the worker, what it answers about its connectors, config validation and
//!   shutdown;
//! - [`lifecycle`]: what users ask of a connector (create, reconfigure, pause, resume, stop,
//!   restart, delete), one request at a time;
//! - [`instance`]: starting and stopping a connector instance and its task loops.

pub(crate) mod instance;
pub(crate) mod lifecycle;
mod offsets;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use connect_api::error::ConfigError;
use connect_api::plugin::{ConfigMap, ConnectorContext, ConnectorKind};
use connect_api::{ConnectError, Result};

use crate::config::WorkerConfig;
use crate::config_providers::ConfigTransformer;
use crate::herder_error::HerderError;
use crate::offsets::{FileOffsetStore, MemoryOffsetStore, OffsetCodec, OffsetStore};
use crate::plugins::Plugins;
use crate::status::{ConnectorReporter, ConnectorStatus, StatusBoard};
use crate::target::{TargetSender, TargetState};
use crate::topics::ActiveTopics;

pub use instance::TaskRun;
pub use lifecycle::{not_found, RestartPlan};
pub use offsets::OffsetEntry;

/// A connector as submitted: its name and config, and its tasks' configs once started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorInfo {
    /// The name.
    pub name: String,
    /// The config as given.
    pub config: ConfigMap,
    /// The task configs (empty until started, and while stopped).
    pub tasks: Vec<ConfigMap>,
    /// `source` or `sink`.
    pub kind: &'static str,
}

/// One connector of the worker.
struct Entry {
    config: ConfigMap,
    kind: &'static str,
    target: TargetState,
    /// Tells the task loops the target state.
    targets: TargetSender,
    /// The task configs the connector generated (empty while stopped or failed).
    task_configs: Vec<ConfigMap>,
    /// The started connector instance (none while stopped or after a failed start).
    connector: Option<ConnectorKind>,
    /// Reports the state of that instance.
    reporter: Option<ConnectorReporter>,
    /// The running task loops by task id.
    tasks: BTreeMap<u32, TaskRun>,
}

impl Entry {
    fn info(&self, name: &str) -> ConnectorInfo {
        ConnectorInfo {
            name: name.to_string(),
            config: self.config.clone(),
            tasks: self.task_configs.clone(),
            kind: self.kind,
        }
    }
}

/// Reports a connector's errors to the status board and passes on its requests for new
/// task configs (served by [`StandaloneWorker::serve_task_reconfigurations`]).
struct Context {
    name: String,
    reporter: ConnectorReporter,
    reconfigure: tokio::sync::mpsc::UnboundedSender<String>,
}

impl ConnectorContext for Context {
    fn request_task_reconfiguration(&self) {
        if self.reconfigure.send(self.name.clone()).is_err() {
            tracing::warn!(
                "connector {} asked for a task reconfiguration, but the worker is stopping",
                self.name
            );
        }
    }

    fn raise_error(&self, error: ConnectError) {
        self.reporter.failed(&error);
    }
}

/// The standalone worker.
pub struct StandaloneWorker {
    config: Arc<WorkerConfig>,
    plugins: Plugins,
    offsets: Arc<dyn OffsetStore>,
    codec: Arc<OffsetCodec>,
    status: StatusBoard,
    worker_id: String,
    /// Resolves `${provider:path:key}` in connector configs when they start.
    transformer: ConfigTransformer,
    /// The topics each connector used.
    topics: ActiveTopics,
    /// The connectors; held only briefly (never across an await).
    connectors: Mutex<BTreeMap<String, Entry>>,
    /// Serializes the requests that change connectors, as Kafka's herder does.
    changes: tokio::sync::Mutex<()>,
    /// Connectors' requests for new task configs, and where they are read.
    reconfigure: tokio::sync::mpsc::UnboundedSender<String>,
    reconfigure_requests: Mutex<Option<tokio::sync::mpsc::UnboundedReceiver<String>>>,
}

impl std::fmt::Debug for StandaloneWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StandaloneWorker")
            .field("worker_id", &self.worker_id)
            .finish()
    }
}

/// Kafka's message for an invalid connector config (`AbstractHerder.maybeAddConfigErrors`).
pub fn invalid_config_message(error: &ConfigError) -> String {
    let mut out = format!(
        "Connector configuration is invalid and contains the following {} error(s):",
        error.issue_count()
    );
    for issue in error.issues() {
        out.push('\n');
        out.push_str(&issue.to_string());
    }
    out.push_str(
        "\nYou can also find the above list of errors at the endpoint \
`/connector-plugins/{connectorType}/config/validate`",
    );
    out
}

impl StandaloneWorker {
    /// A worker with `config`; offsets go to `offset.storage.file.filename` (read now: a
    /// corrupt file is an error) or stay in memory when it is unset.
    pub fn new(config: WorkerConfig, plugins: Plugins, worker_id: String) -> Result<Self> {
        let offsets: Arc<dyn OffsetStore> = match &config.offset_file {
            Some(path) => Arc::new(FileOffsetStore::open(path)?),
            None => Arc::new(MemoryOffsetStore::default()),
        };
        let transformer = ConfigTransformer::from_worker_config(&config.originals)?;
        let (reconfigure, requests) = tokio::sync::mpsc::unbounded_channel();
        Ok(StandaloneWorker {
            reconfigure,
            reconfigure_requests: Mutex::new(Some(requests)),
            transformer,
            topics: ActiveTopics::default(),
            config: Arc::new(config),
            plugins,
            offsets,
            codec: Arc::new(OffsetCodec::new()?),
            status: StatusBoard::default(),
            worker_id,
            connectors: Mutex::new(BTreeMap::new()),
            changes: tokio::sync::Mutex::new(()),
        })
    }

    /// The worker id (`host:port`).
    pub fn worker_id(&self) -> &str {
        &self.worker_id
    }

    /// The status board.
    pub fn status(&self) -> &StatusBoard {
        &self.status
    }

    /// The worker config.
    pub fn config(&self) -> &WorkerConfig {
        &self.config
    }

    /// The offsets store.
    pub fn offsets(&self) -> &Arc<dyn OffsetStore> {
        &self.offsets
    }

    /// How offsets are written as JSON.
    pub fn offset_codec(&self) -> &OffsetCodec {
        &self.codec
    }

    /// `GET /connectors/{name}/topics`: the topics the connector used. 403 while topic
    /// tracking is disabled, 404 for an unknown connector.
    pub fn connector_topics(&self, name: &str) -> std::result::Result<Vec<String>, HerderError> {
        if !self.config.topic_tracking_enable {
            return Err(HerderError::Forbidden("Topic tracking is disabled.".into()));
        }
        if !self.lock().contains_key(name) {
            return Err(lifecycle::not_found(name));
        }
        Ok(self.topics.get(name))
    }

    /// `PUT /connectors/{name}/topics/reset`. 403 while topic tracking or its reset is
    /// disabled, 404 for an unknown connector.
    pub fn reset_connector_topics(&self, name: &str) -> std::result::Result<(), HerderError> {
        if !self.config.topic_tracking_enable {
            return Err(HerderError::Forbidden("Topic tracking is disabled.".into()));
        }
        if !self.config.topic_tracking_allow_reset {
            return Err(HerderError::Forbidden(
                "Topic tracking reset is disabled.".into(),
            ));
        }
        if !self.lock().contains_key(name) {
            return Err(lifecycle::not_found(name));
        }
        self.topics.reset(name);
        Ok(())
    }

    /// The config providers.
    pub fn config_transformer(&self) -> &ConfigTransformer {
        &self.transformer
    }

    /// The connector plugins.
    pub fn plugins(&self) -> &Plugins {
        &self.plugins
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Entry>> {
        self.connectors.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The connector names, sorted.
    pub fn connector_names(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }

    /// A connector's name, config and task configs.
    pub fn connector_info(&self, name: &str) -> Option<ConnectorInfo> {
        self.lock().get(name).map(|e| e.info(name))
    }

    /// A connector's target state.
    pub fn target_state(&self, name: &str) -> Option<TargetState> {
        self.lock().get(name).map(|e| e.target)
    }

    /// A connector's status.
    pub fn connector_status(&self, name: &str) -> Option<ConnectorStatus> {
        if !self.lock().contains_key(name) {
            return None;
        }
        self.status.get(name)
    }

    /// Checks a connector config as Kafka does before creating the connector: the common
    /// keys, the sink or source keys, the connector's own keys, the converters and the
    /// transformation chain. Every problem is reported at once (Kafka's "Connector
    /// configuration is invalid and contains the following N error(s)" message).
    pub fn validate(&self, config: &ConfigMap) -> Result<()> {
        let resolved = self.transformer.transform(config)?;
        let issues = crate::validation::config_issues(&self.plugins, &self.config, &resolved)?;
        match ConfigError::from_issues(issues) {
            None => Ok(()),
            Some(e) => Err(ConnectError::config_message(invalid_config_message(&e))),
        }
    }

    /// Creates and starts a connector from a file given on the command line: a config error
    /// or a name that exists is an `Err` (nothing is created); a connector that fails to
    /// start shows `FAILED`.
    pub async fn start_connector(&self, config: ConfigMap, initial: TargetState) -> Result<()> {
        self.create_connector(config, initial)
            .await
            .map(|_| ())
            .map_err(|e| ConnectError::other(e.to_string()))
    }

    /// Stops every connector and task: tasks get `task.shutdown.graceful.timeout.ms` in total
    /// to commit and stop; those still running after it are abandoned.
    pub async fn stop(&self) {
        let _changes = self.changes.lock().await;
        let entries: Vec<(String, Entry)> = std::mem::take(&mut *self.lock()).into_iter().collect();
        let mut tasks = Vec::new();
        let mut connectors = Vec::new();
        for (name, entry) in entries {
            tasks.extend(entry.tasks.into_values());
            connectors.push((name, entry.connector));
        }
        instance::stop_tasks(tasks, self.config.task_shutdown_timeout).await;
        for (name, connector) in connectors {
            instance::stop_connector(&name, connector);
            self.status.remove(&name);
        }
    }
}

#[cfg(test)]
mod tests;
