//! What users ask of a connector: create, reconfigure, pause, resume, stop, restart, delete.
//! One request at a time (the worker's `changes` lock), as Kafka's herder serializes them.
//! Errors carry Kafka's messages and the HTTP status they are answered with.

use std::collections::BTreeMap;

use connect_api::plugin::ConfigMap;

use super::{instance, ConnectorInfo, Entry, StandaloneWorker};
use crate::herder_error::HerderError;
use crate::status::{ConnectorStatus, State};
use crate::target::{self, TargetState};

/// `Connector x not found` (the REST API's message for an unknown connector).
pub fn not_found(name: &str) -> HerderError {
    HerderError::NotFound(format!("Connector {name} not found"))
}

/// 400 when a config for connector `name` (from the URL) names another connector.
pub(crate) fn check_name(name: &str, config: &ConfigMap) -> Result<(), HerderError> {
    match config.get("name") {
        Some(n) if n != name => Err(HerderError::BadRequest(format!(
            "Connector name configuration ({n}) doesn't match connector name in the URL ({name})"
        ))),
        _ => Ok(()),
    }
}

/// What a restart request restarts (Kafka's `RestartPlan`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestartPlan {
    /// Whether the connector instance restarts.
    pub connector: bool,
    /// The tasks that restart.
    pub tasks: Vec<u32>,
    /// The status as the request leaves it: what restarts shows `RESTARTING`.
    pub status: ConnectorStatus,
}

impl RestartPlan {
    /// The plan for a connector whose status is `status`: the connector restarts unless
    /// `only_failed` and it did not fail; with `include_tasks` its tasks do too (with
    /// `only_failed`, the failed ones). What restarts shows `RESTARTING`, without a trace.
    pub fn new(mut status: ConnectorStatus, include_tasks: bool, only_failed: bool) -> Self {
        let failed = |s: &crate::status::Status| s.state == State::Failed;
        let connector = !only_failed || failed(&status.connector);
        let tasks: Vec<u32> = if include_tasks {
            status
                .tasks
                .iter()
                .filter(|(_, s)| !only_failed || failed(s))
                .map(|(id, _)| *id)
                .collect()
        } else {
            Vec::new()
        };
        if connector {
            status.connector.state = State::Restarting;
            status.connector.trace = None;
        }
        for id in &tasks {
            if let Some(s) = status.tasks.get_mut(id) {
                s.state = State::Restarting;
                s.trace = None;
            }
        }
        RestartPlan {
            connector,
            tasks,
            status,
        }
    }
}

impl StandaloneWorker {
    /// Creates a connector in `initial` state. 409 when the name exists, 400 for an invalid
    /// config (nothing is created); a connector that fails to start is created and `FAILED`.
    pub async fn create_connector(
        &self,
        config: ConfigMap,
        initial: TargetState,
    ) -> Result<ConnectorInfo, HerderError> {
        let _changes = self.changes.lock().await;
        let name = config.get("name").cloned().unwrap_or_default();
        if self.lock().contains_key(&name) {
            return Err(HerderError::AlreadyExists(format!(
                "Connector {name} already exists"
            )));
        }
        self.insert_and_start(&name, config, initial)
    }

    fn insert_and_start(
        &self,
        name: &str,
        config: ConfigMap,
        initial: TargetState,
    ) -> Result<ConnectorInfo, HerderError> {
        self.validate(&config)?;
        let kind = config
            .get("connector.class")
            .and_then(|c| self.plugins.resolve(c).ok())
            .map_or("unknown", |p| p.kind);
        let (targets, _) = target::channel(initial);
        let mut entry = Entry {
            config,
            kind,
            target: initial,
            targets,
            task_configs: Vec::new(),
            connector: None,
            reporter: None,
            tasks: BTreeMap::new(),
        };
        self.start_instance(name, &mut entry);
        let started = self.start_tasks(name, &mut entry);
        let info = entry.info(name);
        self.lock().insert(name.to_string(), entry);
        started?;
        tracing::info!("connector {name} created");
        Ok(info)
    }

    /// Takes a connector's task loops out (to stop them without holding the lock).
    fn take_tasks(&self, name: &str) -> Result<Vec<instance::TaskRun>, HerderError> {
        let mut connectors = self.lock();
        let entry = connectors.get_mut(name).ok_or_else(|| not_found(name))?;
        Ok(std::mem::take(&mut entry.tasks).into_values().collect())
    }

    /// Stops a connector's tasks and instance; its entry stays.
    async fn halt(&self, name: &str) -> Result<(), HerderError> {
        let tasks = self.take_tasks(name)?;
        instance::stop_tasks(tasks, self.config.task_shutdown_timeout).await;
        self.status.clear_tasks(name);
        let connector = self.lock().get_mut(name).and_then(|e| {
            e.task_configs.clear();
            e.connector.take()
        });
        instance::stop_connector(name, connector);
        Ok(())
    }

    /// Starts a halted connector again as its target state says, with its tasks.
    fn resume_entry(&self, name: &str) -> Result<(), HerderError> {
        let mut connectors = self.lock();
        let entry = connectors.get_mut(name).ok_or_else(|| not_found(name))?;
        self.start_instance(name, entry);
        self.start_tasks(name, entry)?;
        Ok(())
    }

    /// Serves connectors' requests for new task configs (Kafka's
    /// `StandaloneHerder.requestTaskReconfiguration`): the running connector generates its
    /// task configs again and, when they differ, its tasks are stopped and started with the
    /// new ones. Runs until the worker is dropped; call once, on its own tokio task.
    pub async fn serve_task_reconfigurations(self: std::sync::Arc<Self>) {
        let requests = self
            .reconfigure_requests
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let Some(mut requests) = requests else {
            return;
        };
        let weak = std::sync::Arc::downgrade(&self);
        drop(self);
        while let Some(name) = requests.recv().await {
            let Some(worker) = weak.upgrade() else {
                return;
            };
            if let Err(e) = worker.reconfigure_tasks(&name).await {
                tracing::warn!("connector {name}: task reconfiguration failed: {e}");
            }
        }
    }

    async fn reconfigure_tasks(&self, name: &str) -> Result<(), HerderError> {
        let _changes = self.changes.lock().await;
        let configs = {
            let mut connectors = self.lock();
            let Some(entry) = connectors.get_mut(name) else {
                return Ok(());
            };
            if entry.target != TargetState::Started || entry.connector.is_none() {
                return Ok(());
            }
            match self.generate_task_configs(name, entry) {
                Ok(c) if c == entry.task_configs => return Ok(()),
                Ok(c) => c,
                Err(e) => {
                    self.connector_failed(name, entry, &e);
                    return Ok(());
                }
            }
        };
        let tasks = self.take_tasks(name)?;
        instance::stop_tasks(tasks, self.config.task_shutdown_timeout).await;
        self.status.clear_tasks(name);
        let mut connectors = self.lock();
        let entry = connectors.get_mut(name).ok_or_else(|| not_found(name))?;
        entry.task_configs = configs;
        self.spawn_tasks(name, entry)?;
        tracing::info!(
            "connector {name} reconfigured its tasks: {} task(s)",
            entry.tasks.len()
        );
        Ok(())
    }

    /// `PUT /connectors/{name}/config`: creates the connector (`true`) or replaces its config
    /// and restarts it with its tasks (`false`). 400 when `name` in the config differs.
    pub async fn put_connector_config(
        &self,
        name: &str,
        mut config: ConfigMap,
    ) -> Result<(bool, ConnectorInfo), HerderError> {
        if !config.contains_key("name") {
            config.insert("name".to_string(), name.to_string());
        }
        check_name(name, &config)?;
        let _changes = self.changes.lock().await;
        if !self.lock().contains_key(name) {
            return self
                .insert_and_start(name, config, TargetState::Started)
                .map(|info| (true, info));
        }
        self.replace_config(name, config)
            .await
            .map(|info| (false, info))
    }

    /// `PATCH /connectors/{name}/config`: the current config with `patch` applied (a `None`
    /// value removes the key), then as [`Self::put_connector_config`]. 404 for an unknown
    /// connector.
    pub async fn patch_connector_config(
        &self,
        name: &str,
        patch: BTreeMap<String, Option<String>>,
    ) -> Result<ConnectorInfo, HerderError> {
        let _changes = self.changes.lock().await;
        let mut config = self
            .lock()
            .get(name)
            .map(|e| e.config.clone())
            .ok_or_else(|| not_found(name))?;
        for (k, v) in patch {
            match v {
                Some(v) => config.insert(k, v),
                None => config.remove(&k),
            };
        }
        check_name(name, &config)?;
        self.replace_config(name, config).await
    }

    async fn replace_config(
        &self,
        name: &str,
        config: ConfigMap,
    ) -> Result<ConnectorInfo, HerderError> {
        self.validate(&config)?;
        self.halt(name).await?;
        {
            let mut connectors = self.lock();
            let entry = connectors.get_mut(name).ok_or_else(|| not_found(name))?;
            entry.config = config;
        }
        self.resume_entry(name)?;
        tracing::info!("connector {name} reconfigured");
        self.connector_info(name).ok_or_else(|| not_found(name))
    }

    /// `DELETE /connectors/{name}`: stops and forgets the connector (its offsets stay).
    pub async fn delete_connector(&self, name: &str) -> Result<(), HerderError> {
        let _changes = self.changes.lock().await;
        self.halt(name).await?;
        self.lock().remove(name);
        self.status.remove(name);
        self.topics.reset(name);
        tracing::info!("connector {name} deleted");
        Ok(())
    }

    /// `PUT /connectors/{name}/pause`: the connector and its tasks hold still (a stopped
    /// connector is started paused). Idempotent.
    pub async fn pause_connector(&self, name: &str) -> Result<(), HerderError> {
        self.set_target(name, TargetState::Paused).await
    }

    /// `PUT /connectors/{name}/resume`: from `PAUSED` or `STOPPED` to running. Idempotent.
    pub async fn resume_connector(&self, name: &str) -> Result<(), HerderError> {
        self.set_target(name, TargetState::Started).await
    }

    /// `PUT /connectors/{name}/stop`: the tasks stop and are removed, then the connector
    /// instance stops; its config and offsets stay. Idempotent.
    pub async fn stop_connector(&self, name: &str) -> Result<(), HerderError> {
        self.set_target(name, TargetState::Stopped).await
    }

    async fn set_target(&self, name: &str, to: TargetState) -> Result<(), HerderError> {
        let _changes = self.changes.lock().await;
        let from = {
            let mut connectors = self.lock();
            let entry = connectors
                .get_mut(name)
                .ok_or_else(|| HerderError::NotFound(format!("Unknown connector {name}")))?;
            let from = entry.target;
            entry.target = to;
            entry.targets.send_replace(to);
            from
        };
        if from == to {
            return Ok(());
        }
        tracing::info!("connector {name}: target state {from:?} -> {to:?}");
        if to == TargetState::Stopped {
            self.halt(name).await?;
            return self.resume_entry(name);
        }
        let mut connectors = self.lock();
        let entry = connectors.get_mut(name).ok_or_else(|| not_found(name))?;
        if from == TargetState::Stopped {
            self.start_instance(name, entry);
        } else if entry.connector.is_some() {
            // running tasks follow the channel; the connector's own state shows it now
            let shown = if to == TargetState::Paused {
                State::Paused
            } else {
                State::Running
            };
            if let Some(reporter) = &entry.reporter {
                reporter.show(shown);
            }
        }
        if entry.tasks.is_empty() {
            // a connector created paused (or stopped) gets its tasks when it first runs
            self.start_tasks(name, entry)?;
        }
        Ok(())
    }

    /// `POST /connectors/{name}/restart`: restarts the connector instance unless
    /// `only_failed` and it did not fail, and with `include_tasks` its tasks (with
    /// `only_failed`, the failed ones). Returns the plan, whose status shows what restarts as
    /// `RESTARTING`.
    pub async fn restart_connector(
        &self,
        name: &str,
        include_tasks: bool,
        only_failed: bool,
    ) -> Result<RestartPlan, HerderError> {
        let _changes = self.changes.lock().await;
        let status = self.connector_status(name).ok_or_else(|| {
            if include_tasks || only_failed {
                HerderError::NotFound(format!("Unknown connector: {name}"))
            } else {
                not_found(name)
            }
        })?;
        let plan = RestartPlan::new(status, include_tasks, only_failed);
        if plan.connector {
            self.restart_instance(name, &plan.tasks).await?;
        } else {
            for id in &plan.tasks {
                self.restart_one_task(name, *id).await?;
            }
        }
        Ok(plan)
    }

    /// Restarts the connector instance, then the tasks in `tasks`; when the restarted
    /// connector generates other task configs than before, every task restarts with its new
    /// config instead.
    async fn restart_instance(&self, name: &str, tasks: &[u32]) -> Result<(), HerderError> {
        let connector = self.lock().get_mut(name).and_then(|e| e.connector.take());
        instance::stop_connector(name, connector);
        let same_tasks = {
            let mut connectors = self.lock();
            let entry = connectors.get_mut(name).ok_or_else(|| not_found(name))?;
            self.start_instance(name, entry);
            entry.connector.is_some()
                && self
                    .generate_task_configs(name, entry)
                    .is_ok_and(|configs| configs == entry.task_configs)
        };
        if same_tasks {
            for id in tasks {
                self.restart_one_task(name, *id).await?;
            }
            return Ok(());
        }
        let old = self.take_tasks(name)?;
        instance::stop_tasks(old, self.config.task_shutdown_timeout).await;
        self.status.clear_tasks(name);
        let mut connectors = self.lock();
        let entry = connectors.get_mut(name).ok_or_else(|| not_found(name))?;
        entry.task_configs.clear();
        self.start_tasks(name, entry)?;
        Ok(())
    }

    /// `POST /connectors/{name}/tasks/{task}/restart`.
    pub async fn restart_task(&self, name: &str, task: u32) -> Result<(), HerderError> {
        let _changes = self.changes.lock().await;
        let known = self
            .lock()
            .get(name)
            .map(|e| (task as usize) < e.task_configs.len());
        match known {
            None => Err(not_found(name)),
            Some(false) => Err(HerderError::NotFound(format!(
                "Task {name}-{task} not found"
            ))),
            Some(true) => self.restart_one_task(name, task).await,
        }
    }

    async fn restart_one_task(&self, name: &str, task: u32) -> Result<(), HerderError> {
        let old = self
            .lock()
            .get_mut(name)
            .and_then(|e| e.tasks.remove(&task));
        if let Some(old) = old {
            instance::stop_tasks(vec![old], self.config.task_shutdown_timeout).await;
        }
        let mut connectors = self.lock();
        let entry = connectors.get_mut(name).ok_or_else(|| not_found(name))?;
        if (task as usize) < entry.task_configs.len() && entry.connector.is_some() {
            let run = self.spawn_task(name, entry, task)?;
            entry.tasks.insert(task, run);
        }
        tracing::info!("task {name}-{task} restarted");
        Ok(())
    }
}
