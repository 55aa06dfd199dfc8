//! What the REST API asks of a distributed worker. Reads are answered by every worker from
//! the config and status topics as last read; changes are written to the config topic by
//! the leader (the REST layer forwards them there), and the workers that run the connector
//! act on them when they read the topic.

use connect_api::plugin::ConfigMap;

use super::config_records::ConfigRecord;
use super::herder::DistributedWorker;
use super::status_records::WorkerStatus;
use crate::herder_error::HerderError;
use crate::offsets::rest::{ConnectorOffsets, OffsetEntry};
use crate::standalone::lifecycle::check_name;
use crate::standalone::{invalid_config_message, not_found, ConnectorInfo, RestartPlan};
use crate::status::{ConnectorStatus, Status};
use crate::target::TargetState;

use super::request_signing::{self, RequestSignature};

/// Kafka's answer to a change that reached a worker that cannot serve it now.
pub const REBALANCING: &str =
    "Cannot complete request because of a conflicting operation (e.g. worker rebalance)";

/// Kafka's answer to a change that reached a follower with forwarding turned off.
pub const NOT_LEADER: &str =
    "Cannot complete request momentarily due to no known leader URL, likely because a rebalance was underway.";

fn status(s: WorkerStatus) -> Status {
    Status {
        state: s.state,
        trace: s.trace,
        worker_id: s.worker_id,
    }
}

impl DistributedWorker {
    /// The connector names, sorted.
    pub fn connector_names(&self) -> Vec<String> {
        self.config_state()
            .connectors()
            .map(str::to_string)
            .collect()
    }

    fn kind_of(&self, config: &ConfigMap) -> &'static str {
        config
            .get("connector.class")
            .and_then(|c| self.plugins.resolve(c).ok())
            .map_or("unknown", |p| p.kind)
    }

    /// A connector's config and committed task configs.
    pub fn connector_info(&self, name: &str) -> Option<ConnectorInfo> {
        let state = self.config_state();
        let config = state.connector_config(name)?.clone();
        Some(ConnectorInfo {
            name: name.to_string(),
            kind: self.kind_of(&config),
            tasks: state.task_configs(name).to_vec(),
            config,
        })
    }

    /// A connector's target state.
    pub fn target_state(&self, name: &str) -> Option<TargetState> {
        self.config_state().target_state(name)
    }

    /// A connector's status as the status topic shows it (`None` for an unknown connector
    /// or one no worker has reported yet, which Kafka answers with 404 too).
    pub fn connector_status(&self, name: &str) -> Option<ConnectorStatus> {
        let state = self.config_state();
        let config = state.connector_config(name)?;
        let (connector, tasks) = self
            .status_log
            .view()
            .connector(name, state.task_count(name));
        Some(ConnectorStatus {
            kind: self.kind_of(config),
            connector: status(connector?),
            tasks: tasks.into_iter().map(|(t, s)| (t, status(s))).collect(),
        })
    }

    /// The REST URL of the worker that runs task `task` of `name` (from its status), if it
    /// is not this one.
    pub fn task_owner_url(&self, name: &str, task: u32) -> Option<String> {
        let key = super::status_records::StatusKey::Task(name.to_string(), task);
        let owner = self.status_log.view().get(&key)?.worker_id;
        (owner != self.worker_id).then(|| format!("http://{owner}/"))
    }

    /// Refuses a change unless this worker leads a settled group.
    fn require_leader(&self) -> Result<(), HerderError> {
        let l = self.leadership();
        if l.rebalancing {
            return Err(HerderError::Conflict(REBALANCING.into()));
        }
        if !l.is_leader {
            return Err(HerderError::Conflict(NOT_LEADER.into()));
        }
        Ok(())
    }

    fn validate(&self, config: &ConfigMap) -> Result<(), HerderError> {
        let resolved = self
            .transformer
            .transform(config)
            .map_err(HerderError::from)?;
        let issues =
            crate::validation::config_issues(&self.plugins, &self.config.worker, &resolved)
                .map_err(HerderError::from)?;
        match connect_api::error::ConfigError::from_issues(issues) {
            None => Ok(()),
            Some(e) => Err(HerderError::BadRequest(invalid_config_message(&e))),
        }
    }

    async fn write(&self, records: &[ConfigRecord]) -> Result<(), HerderError> {
        self.write_config(records)
            .await
            .map_err(|e| HerderError::Internal(e.to_string()))
    }

    fn require_known(&self, name: &str) -> Result<ConfigMap, HerderError> {
        self.config_state()
            .connector_config(name)
            .cloned()
            .ok_or_else(|| not_found(name))
    }

    /// `POST /connectors`: writes the connector (and a target state other than running) to
    /// the config topic. 409 when the name exists, 400 for an invalid config.
    pub async fn create_connector(
        &self,
        config: ConfigMap,
        initial: TargetState,
    ) -> Result<ConnectorInfo, HerderError> {
        self.require_leader()?;
        let name = config.get("name").cloned().unwrap_or_default();
        if self.config_state().contains(&name) {
            return Err(HerderError::AlreadyExists(format!(
                "Connector {name} already exists"
            )));
        }
        self.validate(&config)?;
        let mut records = Vec::new();
        if initial != TargetState::Started {
            // KIP-980: the target state goes first, so the connector never runs before it
            records.push(ConfigRecord::TargetState {
                connector: name.clone(),
                state: Some(initial),
            });
        }
        records.push(ConfigRecord::Connector {
            name: name.clone(),
            config: Some(config.clone()),
        });
        self.write(&records).await?;
        tracing::info!("connector {name} created");
        Ok(ConnectorInfo {
            kind: self.kind_of(&config),
            name,
            config,
            tasks: Vec::new(),
        })
    }

    /// `PUT /connectors/{name}/config`: creates (`true`) or replaces the config.
    pub async fn put_connector_config(
        &self,
        name: &str,
        mut config: ConfigMap,
    ) -> Result<(bool, ConnectorInfo), HerderError> {
        if !config.contains_key("name") {
            config.insert("name".to_string(), name.to_string());
        }
        check_name(name, &config)?;
        self.require_leader()?;
        let created = !self.config_state().contains(name);
        self.validate(&config)?;
        self.write(&[ConfigRecord::Connector {
            name: name.to_string(),
            config: Some(config),
        }])
        .await?;
        let info = self.connector_info(name).ok_or_else(|| not_found(name))?;
        Ok((created, info))
    }

    /// `PATCH /connectors/{name}/config` (`None` removes a key).
    pub async fn patch_connector_config(
        &self,
        name: &str,
        patch: std::collections::BTreeMap<String, Option<String>>,
    ) -> Result<ConnectorInfo, HerderError> {
        self.require_leader()?;
        let mut config = self.require_known(name)?;
        for (k, v) in patch {
            match v {
                Some(v) => config.insert(k, v),
                None => config.remove(&k),
            };
        }
        check_name(name, &config)?;
        self.validate(&config)?;
        self.write(&[ConfigRecord::Connector {
            name: name.to_string(),
            config: Some(config),
        }])
        .await?;
        self.connector_info(name).ok_or_else(|| not_found(name))
    }

    /// `DELETE /connectors/{name}`: tombstones for the connector and its target state (its
    /// offsets stay).
    pub async fn delete_connector(&self, name: &str) -> Result<(), HerderError> {
        self.require_leader()?;
        self.require_known(name)?;
        self.write(&[
            ConfigRecord::Connector {
                name: name.to_string(),
                config: None,
            },
            ConfigRecord::TargetState {
                connector: name.to_string(),
                state: None,
            },
        ])
        .await?;
        tracing::info!("connector {name} deleted");
        Ok(())
    }

    /// `POST /connectors/{name}/tasks` (internal): task configs a worker running the
    /// connector sends the leader, as a Java follower does. With `sessioned` the request must
    /// be signed with the current session key (400 unsigned or with an algorithm this worker
    /// does not accept, 403 with a wrong signature); then only the leader writes them (409),
    /// for a known connector (404). `configs` were read from `body`, the request body as it
    /// came (which the signature covers).
    pub async fn put_task_configs(
        &self,
        name: &str,
        configs: Vec<ConfigMap>,
        body: &[u8],
        signature: Option<&RequestSignature>,
    ) -> Result<(), HerderError> {
        if self.leadership().sessioned {
            let state = self.config_state();
            request_signing::verify(
                signature,
                body,
                state.session_key(),
                &self.config.inter_worker.verification_algorithms,
            )?;
        }
        self.require_leader()?;
        if !self.config_state().contains(name) {
            return Err(HerderError::NotFound(format!("Connector {name} not found")));
        }
        let mut records: Vec<ConfigRecord> = configs
            .into_iter()
            .enumerate()
            .map(|(i, config)| ConfigRecord::Task {
                connector: name.to_string(),
                task: i as u32,
                config,
            })
            .collect();
        records.push(ConfigRecord::Commit {
            connector: name.to_string(),
            tasks: records.len() as u32,
        });
        self.write(&records).await
    }

    /// `PUT /connectors/{name}/pause|resume|stop`. Stopping also empties the connector's
    /// task configs first (KIP-875), so its tasks stop everywhere.
    pub async fn set_target(&self, name: &str, to: TargetState) -> Result<(), HerderError> {
        self.require_leader()?;
        if !self.config_state().contains(name) {
            return Err(HerderError::NotFound(format!("Unknown connector {name}")));
        }
        let mut records = Vec::new();
        if to == TargetState::Stopped {
            records.push(ConfigRecord::Commit {
                connector: name.to_string(),
                tasks: 0,
            });
        }
        records.push(ConfigRecord::TargetState {
            connector: name.to_string(),
            state: Some(to),
        });
        self.write(&records).await
    }

    /// `POST /connectors/{name}/restart`: a restart request record (KIP-745) that the workers
    /// running the connector and its tasks act on; the plan shows what restarts.
    pub async fn restart_connector(
        &self,
        name: &str,
        include_tasks: bool,
        only_failed: bool,
    ) -> Result<RestartPlan, HerderError> {
        self.require_leader()?;
        let status = self.connector_status(name).ok_or_else(|| {
            if include_tasks || only_failed {
                HerderError::NotFound(format!("Unknown connector: {name}"))
            } else {
                not_found(name)
            }
        })?;
        let plan = RestartPlan::new(status, include_tasks, only_failed);
        self.write(&[ConfigRecord::Restart {
            connector: name.to_string(),
            include_tasks,
            only_failed,
        }])
        .await?;
        Ok(plan)
    }

    /// `POST /connectors/{name}/tasks/{task}/restart`, on the worker running the task (the
    /// REST layer forwards it there).
    pub async fn restart_task(&self, name: &str, task: u32) -> Result<(), HerderError> {
        let state = self.config_state();
        let config = state
            .connector_config(name)
            .cloned()
            .ok_or_else(|| not_found(name))?;
        let Some(task_config) = state.task_configs(name).get(task as usize).cloned() else {
            return Err(HerderError::NotFound(format!(
                "Task {name}-{task} not found"
            )));
        };
        let target = state.target_state(name).unwrap_or_default();
        let id = (name.to_string(), task);
        let mut runner = self.runner.lock().await;
        if !runner.runs_task(&id) {
            return Err(HerderError::Conflict(format!(
                "Task {name}-{task} is not running on this worker; {REBALANCING}"
            )));
        }
        runner.stop_tasks([id.clone()]).await;
        runner
            .start_task(&id, &config, &task_config, target)
            .map_err(HerderError::from)?;
        tracing::info!("task {name}-{task} restarted");
        Ok(())
    }

    /// How offsets are keyed.
    pub fn offset_codec(&self) -> &crate::offsets::OffsetCodec {
        &self.codec
    }

    fn connector_offsets_of<'a>(
        &'a self,
        name: &'a str,
    ) -> Result<ConnectorOffsets<'a>, HerderError> {
        let state = self.config_state();
        let raw = state
            .connector_config(name)
            .cloned()
            .ok_or_else(|| not_found(name))?;
        let stopped =
            state.target_state(name) == Some(TargetState::Stopped) && state.task_count(name) == 0;
        Ok(ConnectorOffsets {
            name,
            kind: self.kind_of(&raw),
            config: self
                .transformer
                .transform(&raw)
                .map_err(HerderError::from)?,
            stopped,
            plugins: &self.plugins,
            worker: &self.config.worker,
            offsets: &self.offset_store,
            codec: &self.codec,
        })
    }

    /// `GET /connectors/{name}/offsets`, after reading what tasks committed anywhere.
    pub async fn connector_offsets(
        &self,
        name: &str,
    ) -> Result<Vec<(connect_api::Value, connect_api::Value)>, HerderError> {
        let offsets = std::sync::Arc::clone(&self.offsets);
        tokio::task::spawn_blocking(move || offsets.refresh())
            .await
            .map_err(|e| HerderError::Internal(e.to_string()))?
            .map_err(HerderError::from)?;
        self.connector_offsets_of(name)?.get().await
    }

    /// `PATCH /connectors/{name}/offsets` (on the leader).
    pub async fn alter_connector_offsets(
        &self,
        name: &str,
        offsets: Vec<OffsetEntry>,
    ) -> Result<String, HerderError> {
        self.require_leader()?;
        self.connector_offsets_of(name)?.alter(offsets).await
    }

    /// `DELETE /connectors/{name}/offsets` (on the leader).
    pub async fn reset_connector_offsets(&self, name: &str) -> Result<String, HerderError> {
        self.require_leader()?;
        self.connector_offsets_of(name)?.reset().await
    }

    /// `GET /connectors/{name}/topics`: the topics its tasks on this worker used.
    pub fn connector_topics(&self, name: &str) -> Result<Vec<String>, HerderError> {
        if !self.config.worker.topic_tracking_enable {
            return Err(HerderError::Forbidden("Topic tracking is disabled.".into()));
        }
        if !self.config_state().contains(name) {
            return Err(not_found(name));
        }
        Ok(self.topics.get(name))
    }

    /// `PUT /connectors/{name}/topics/reset`.
    pub fn reset_connector_topics(&self, name: &str) -> Result<(), HerderError> {
        if !self.config.worker.topic_tracking_enable {
            return Err(HerderError::Forbidden("Topic tracking is disabled.".into()));
        }
        if !self.config.worker.topic_tracking_allow_reset {
            return Err(HerderError::Forbidden(
                "Topic tracking reset is disabled.".into(),
            ));
        }
        if !self.config_state().contains(name) {
            return Err(not_found(name));
        }
        self.topics.reset(name);
        Ok(())
    }

    /// Validates a connector config (`PUT /connector-plugins/{plugin}/config/validate`).
    pub fn config_infos(
        &self,
        config: &ConfigMap,
    ) -> Result<crate::validation::ConfigInfos, HerderError> {
        crate::validation::config_infos(
            &self.plugins,
            &self.config.worker,
            &self.transformer,
            config,
        )
    }

    /// The plugins.
    pub fn plugins(&self) -> &crate::plugins::Plugins {
        &self.plugins
    }
}
