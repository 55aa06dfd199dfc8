//! A distributed worker as a [`Herder`]: reads answered here, changes served by the leader
//! (the forwarding middleware sends them there).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use connect_api::plugin::ConfigMap;
use connect_api::Value;
use connect_runtime::distributed::herder::DistributedWorker;
use connect_runtime::distributed::request_signing::RequestSignature;
use connect_runtime::herder_error::HerderError;
use connect_runtime::offsets::OffsetCodec;
use connect_runtime::plugins::Plugins;
use connect_runtime::standalone::{ConnectorInfo, OffsetEntry, RestartPlan};
use connect_runtime::status::ConnectorStatus;
use connect_runtime::target::TargetState;
use connect_runtime::validation::ConfigInfos;

use crate::herder::{Herder, ServerInfo};
use crate::loggers::LogLevels;

/// The distributed worker behind the REST API.
pub struct DistributedHerder {
    /// The worker.
    pub worker: Arc<DistributedWorker>,
    /// `GET /`.
    pub info: ServerInfo,
    /// Set when startup finished.
    pub ready: Arc<AtomicBool>,
    /// The log levels.
    pub log_levels: Arc<dyn LogLevels>,
}

#[async_trait]
impl Herder for DistributedHerder {
    fn server_info(&self) -> ServerInfo {
        self.info.clone()
    }

    /// Ready once started and through its first rebalance.
    fn ready(&self) -> bool {
        self.ready.load(Ordering::Relaxed) && self.worker.leadership().leader_url.is_some()
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
        self.worker.config_infos(config)
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
        self.worker.set_target(name, TargetState::Paused).await
    }

    async fn resume_connector(&self, name: &str) -> Result<(), HerderError> {
        self.worker.set_target(name, TargetState::Started).await
    }

    async fn stop_connector(&self, name: &str) -> Result<(), HerderError> {
        self.worker.set_target(name, TargetState::Stopped).await
    }

    async fn put_task_configs(
        &self,
        name: &str,
        configs: Vec<ConfigMap>,
        body: &[u8],
        signature: Option<RequestSignature>,
    ) -> Result<(), HerderError> {
        self.worker
            .put_task_configs(name, configs, body, signature.as_ref())
            .await
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

    fn is_leader(&self) -> bool {
        self.worker.leadership().is_leader
    }

    fn leader_url(&self) -> Option<String> {
        self.worker.leadership().leader_url
    }

    fn task_owner(&self, name: &str, task: u32) -> Option<String> {
        self.worker.task_owner_url(name, task)
    }
}
