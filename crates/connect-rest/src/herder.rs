//! What the REST API reads and drives: a [`Herder`] (the standalone worker now, a cluster
//! member later).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use connect_api::plugin::ConfigMap;
use connect_api::Value;
use connect_runtime::distributed::request_signing::RequestSignature;
use connect_runtime::herder_error::HerderError;
use connect_runtime::offsets::OffsetCodec;
use connect_runtime::plugins::Plugins;
use connect_runtime::standalone::{ConnectorInfo, OffsetEntry, RestartPlan, StandaloneWorker};
use connect_runtime::status::ConnectorStatus;
use connect_runtime::target::TargetState;
use connect_runtime::validation::ConfigInfos;

use crate::loggers::LogLevels;

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

/// The worker behind the REST API. Reads answer at once; changes are served one at a time
/// and an `Err` carries the HTTP status and Kafka's message.
#[async_trait]
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
    /// The connector plugins.
    fn plugins(&self) -> &Plugins;
    /// The worker's log levels (`/admin/loggers`).
    fn log_levels(&self) -> &dyn LogLevels;
    /// `PUT /connector-plugins/{plugin}/config/validate`.
    fn validate_connector_config(
        &self,
        config: &BTreeMap<String, String>,
    ) -> Result<ConfigInfos, HerderError>;
    /// `POST /connectors`: creates a connector in `initial` state.
    async fn create_connector(
        &self,
        config: BTreeMap<String, String>,
        initial: TargetState,
    ) -> Result<ConnectorInfo, HerderError>;
    /// `PUT /connectors/{name}/config`: `true` when the connector was created.
    async fn put_connector_config(
        &self,
        name: &str,
        config: BTreeMap<String, String>,
    ) -> Result<(bool, ConnectorInfo), HerderError>;
    /// `PATCH /connectors/{name}/config` (`None` removes a key).
    async fn patch_connector_config(
        &self,
        name: &str,
        patch: BTreeMap<String, Option<String>>,
    ) -> Result<ConnectorInfo, HerderError>;
    /// `DELETE /connectors/{name}`.
    async fn delete_connector(&self, name: &str) -> Result<(), HerderError>;
    /// `PUT /connectors/{name}/pause`.
    async fn pause_connector(&self, name: &str) -> Result<(), HerderError>;
    /// `PUT /connectors/{name}/resume`.
    async fn resume_connector(&self, name: &str) -> Result<(), HerderError>;
    /// `PUT /connectors/{name}/stop`.
    async fn stop_connector(&self, name: &str) -> Result<(), HerderError>;
    /// `POST /connectors/{name}/restart`.
    async fn restart_connector(
        &self,
        name: &str,
        include_tasks: bool,
        only_failed: bool,
    ) -> Result<RestartPlan, HerderError>;
    /// `POST /connectors/{name}/tasks/{task}/restart`.
    async fn restart_task(&self, name: &str, task: u32) -> Result<(), HerderError>;
    /// How partitions and offsets are read from and written as JSON.
    fn offset_codec(&self) -> &OffsetCodec;
    /// `GET /connectors/{name}/offsets`.
    async fn connector_offsets(&self, name: &str) -> Result<Vec<(Value, Value)>, HerderError>;
    /// `PATCH /connectors/{name}/offsets`: the message to answer with.
    async fn alter_connector_offsets(
        &self,
        name: &str,
        offsets: Vec<OffsetEntry>,
    ) -> Result<String, HerderError>;
    /// `DELETE /connectors/{name}/offsets`: the message to answer with.
    async fn reset_connector_offsets(&self, name: &str) -> Result<String, HerderError>;
    /// `GET /connectors/{name}/topics`.
    fn connector_topics(&self, name: &str) -> Result<Vec<String>, HerderError>;
    /// `PUT /connectors/{name}/topics/reset`.
    fn reset_connector_topics(&self, name: &str) -> Result<(), HerderError>;
    /// `POST /connectors/{name}/tasks` (internal): task configs another worker sends the
    /// leader, `configs` as read from `body`, with the request's KIP-507 signature. A
    /// standalone worker has no other workers: 500, with Kafka's message.
    async fn put_task_configs(
        &self,
        _name: &str,
        _configs: Vec<ConfigMap>,
        _body: &[u8],
        _signature: Option<RequestSignature>,
    ) -> Result<(), HerderError> {
        Err(HerderError::Internal(
            "Kafka Connect in standalone mode does not support externally setting task \
             configurations."
                .into(),
        ))
    }
    /// Whether this worker serves changes to connectors itself (a standalone worker, or a
    /// cluster's leader); a follower forwards them to [`Herder::leader_url`].
    fn is_leader(&self) -> bool {
        true
    }
    /// The leader's REST URL, when known.
    fn leader_url(&self) -> Option<String> {
        None
    }
    /// The REST URL of the worker running task `task` of `name`, when that is another
    /// worker (task restarts are served there).
    fn task_owner(&self, _name: &str, _task: u32) -> Option<String> {
        None
    }
}

/// The standalone worker as a herder.
pub struct StandaloneHerder {
    /// The worker.
    pub worker: Arc<StandaloneWorker>,
    /// `GET /`.
    pub info: ServerInfo,
    /// Set when startup finished.
    pub ready: Arc<AtomicBool>,
    /// The log levels.
    pub log_levels: Arc<dyn LogLevels>,
}

#[async_trait]
impl Herder for StandaloneHerder {
    fn server_info(&self) -> ServerInfo {
        self.info.clone()
    }

    fn ready(&self) -> bool {
        self.ready.load(Ordering::Relaxed)
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

    fn plugins(&self) -> &Plugins {
        self.worker.plugins()
    }

    fn log_levels(&self) -> &dyn LogLevels {
        self.log_levels.as_ref()
    }

    fn validate_connector_config(
        &self,
        config: &BTreeMap<String, String>,
    ) -> Result<ConfigInfos, HerderError> {
        connect_runtime::validation::config_infos(
            self.worker.plugins(),
            self.worker.config(),
            self.worker.config_transformer(),
            config,
        )
    }

    async fn create_connector(
        &self,
        config: BTreeMap<String, String>,
        initial: TargetState,
    ) -> Result<ConnectorInfo, HerderError> {
        self.worker.create_connector(config, initial).await
    }

    async fn put_connector_config(
        &self,
        name: &str,
        config: BTreeMap<String, String>,
    ) -> Result<(bool, ConnectorInfo), HerderError> {
        self.worker.put_connector_config(name, config).await
    }

    async fn patch_connector_config(
        &self,
        name: &str,
        patch: BTreeMap<String, Option<String>>,
    ) -> Result<ConnectorInfo, HerderError> {
        self.worker.patch_connector_config(name, patch).await
    }

    async fn delete_connector(&self, name: &str) -> Result<(), HerderError> {
        self.worker.delete_connector(name).await
    }

    async fn pause_connector(&self, name: &str) -> Result<(), HerderError> {
        self.worker.pause_connector(name).await
    }

    async fn resume_connector(&self, name: &str) -> Result<(), HerderError> {
        self.worker.resume_connector(name).await
    }

    async fn stop_connector(&self, name: &str) -> Result<(), HerderError> {
        self.worker.stop_connector(name).await
    }

    async fn restart_connector(
        &self,
        name: &str,
        include_tasks: bool,
        only_failed: bool,
    ) -> Result<RestartPlan, HerderError> {
        self.worker
            .restart_connector(name, include_tasks, only_failed)
            .await
    }

    async fn restart_task(&self, name: &str, task: u32) -> Result<(), HerderError> {
        self.worker.restart_task(name, task).await
    }

    fn offset_codec(&self) -> &OffsetCodec {
        self.worker.offset_codec()
    }

    async fn connector_offsets(&self, name: &str) -> Result<Vec<(Value, Value)>, HerderError> {
        self.worker.connector_offsets(name).await
    }

    async fn alter_connector_offsets(
        &self,
        name: &str,
        offsets: Vec<OffsetEntry>,
    ) -> Result<String, HerderError> {
        self.worker.alter_connector_offsets(name, offsets).await
    }

    async fn reset_connector_offsets(&self, name: &str) -> Result<String, HerderError> {
        self.worker.reset_connector_offsets(name).await
    }

    fn connector_topics(&self, name: &str) -> Result<Vec<String>, HerderError> {
        self.worker.connector_topics(name)
    }

    fn reset_connector_topics(&self, name: &str) -> Result<(), HerderError> {
        self.worker.reset_connector_topics(name)
    }
}
