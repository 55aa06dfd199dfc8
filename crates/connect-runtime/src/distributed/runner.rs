//! The connectors and tasks one distributed worker runs: started from the cluster's configs
//! when they are assigned here, stopped when they are revoked. A task may run without its
//! connector on the same worker, so each side stands alone.

use std::collections::BTreeMap;
use std::sync::Arc;

use connect_api::plugin::{ConfigMap, ConnectorContext, ConnectorKind};
use connect_api::{ConnectError, Result};
use tokio::sync::mpsc;

use super::work::{TaskId, Work};
use crate::config::{ConnectorConfig, WorkerConfig};
use crate::config_providers::ConfigTransformer;
use crate::offsets::{OffsetCodec, OffsetStore};
use crate::plugins::Plugins;
use crate::standalone::instance::{launch, stop_connector, stop_tasks, Launch};
use crate::standalone::TaskRun;
use crate::status::{ConnectorReporter, State, Status, StatusBoard, TaskReporter};
use crate::target::{self, TargetSender, TargetState};
use crate::task_configs;
use crate::topics::ActiveTopics;

/// Tells the worker that a connector asked for its task configs to be generated again.
#[derive(Debug)]
struct Context {
    name: String,
    reporter: ConnectorReporter,
    reconfigure: mpsc::UnboundedSender<String>,
}

impl ConnectorContext for Context {
    fn request_task_reconfiguration(&self) {
        let _ = self.reconfigure.send(self.name.clone());
    }

    fn raise_error(&self, error: ConnectError) {
        self.reporter.failed(&error);
    }
}

/// A connector instance running here.
struct RunningConnector {
    kind: &'static str,
    config: ConfigMap,
    /// `None` while stopped or after a failed start.
    instance: Option<ConnectorKind>,
    /// Reports the state of that instance.
    reporter: Option<ConnectorReporter>,
}

/// What the worker needs to run connectors and tasks.
pub struct RunnerParts {
    /// The worker config.
    pub worker: Arc<WorkerConfig>,
    /// The plugins.
    pub plugins: Plugins,
    /// Config providers.
    pub transformer: ConfigTransformer,
    /// Source offsets.
    pub offsets: Arc<dyn OffsetStore>,
    /// How offsets are keyed.
    pub codec: Arc<OffsetCodec>,
    /// Where states are reported.
    pub status: StatusBoard,
    /// This worker's id.
    pub worker_id: String,
    /// Connectors asking for new task configs.
    pub reconfigure: mpsc::UnboundedSender<String>,
    /// Where tasks record the topics they use.
    pub topics: ActiveTopics,
}

/// What runs on this worker.
pub struct Runner {
    parts: RunnerParts,
    connectors: BTreeMap<String, RunningConnector>,
    tasks: BTreeMap<TaskId, TaskRun>,
    /// Target states of the connectors whose connector or tasks run here.
    targets: BTreeMap<String, TargetSender>,
}

impl std::fmt::Debug for Runner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runner")
            .field("connectors", &self.connectors.keys().collect::<Vec<_>>())
            .field("tasks", &self.tasks.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl Runner {
    /// Nothing running yet.
    pub fn new(parts: RunnerParts) -> Self {
        Runner {
            parts,
            connectors: BTreeMap::new(),
            tasks: BTreeMap::new(),
            targets: BTreeMap::new(),
        }
    }

    /// What runs here.
    pub fn work(&self) -> Work {
        Work {
            connectors: self.connectors.keys().cloned().collect(),
            tasks: self.tasks.keys().cloned().collect(),
        }
    }

    /// Whether task `id` runs here.
    pub fn runs_task(&self, id: &TaskId) -> bool {
        self.tasks.contains_key(id)
    }

    /// Whether connector `name` runs here.
    pub fn runs_connector(&self, name: &str) -> bool {
        self.connectors.contains_key(name)
    }

    fn status(&self, state: State, trace: Option<String>) -> Status {
        Status {
            state,
            trace,
            worker_id: self.parts.worker_id.clone(),
        }
    }

    fn kind_of(&self, config: &ConfigMap) -> &'static str {
        config
            .get("connector.class")
            .and_then(|c| self.parts.plugins.resolve(c).ok())
            .map(|p| p.kind)
            .unwrap_or("unknown")
    }

    fn target_sender(&mut self, name: &str, state: TargetState) -> &TargetSender {
        self.targets
            .entry(name.to_string())
            .or_insert_with(|| target::channel(state).0)
    }

    /// Starts connector `name` as `state` says (no instance while `STOPPED`). Returns the
    /// task configs it generates when it runs (`None` while paused, stopped or failed: its
    /// stored task configs stay).
    pub fn start_connector(
        &mut self,
        name: &str,
        config: &ConfigMap,
        state: TargetState,
    ) -> Option<Vec<ConfigMap>> {
        let kind = self.kind_of(config);
        self.target_sender(name, state).send_replace(state);
        let mut running = RunningConnector {
            kind,
            config: config.clone(),
            instance: None,
            reporter: None,
        };
        let status = &self.parts.status;
        if state == TargetState::Stopped {
            status.connector(name, kind, self.status(State::Stopped, None));
            self.connectors.insert(name.to_string(), running);
            return None;
        }
        let reporter = ConnectorReporter::new(status.clone(), name, kind, &self.parts.worker_id);
        match self.new_instance(name, config, &reporter) {
            Ok(instance) => running.instance = Some(instance),
            Err(e) => {
                self.fail_connector(name, kind, &e);
                self.connectors.insert(name.to_string(), running);
                return None;
            }
        }
        let shown = if state == TargetState::Paused {
            State::Paused
        } else {
            State::Running
        };
        reporter.show(shown);
        running.reporter = Some(reporter);
        tracing::info!("connector {name} started on this worker");
        self.connectors.insert(name.to_string(), running);
        if state == TargetState::Started {
            self.task_configs(name)
        } else {
            None
        }
    }

    fn fail_connector(&self, name: &str, kind: &'static str, e: &ConnectError) {
        tracing::error!("connector {name} failed: {e}");
        let trace = crate::errors::trace(e, crate::errors::exception_class(e));
        self.parts
            .status
            .connector(name, kind, self.status(State::Failed, Some(trace)));
    }

    fn new_instance(
        &self,
        name: &str,
        config: &ConfigMap,
        reporter: &ConnectorReporter,
    ) -> Result<ConnectorKind> {
        let common = ConnectorConfig::parse(config)?;
        let plugin = self.parts.plugins.resolve(&common.class)?;
        let mut connector = (plugin.factory)();
        let context = Arc::new(Context {
            name: name.to_string(),
            reporter: reporter.clone(),
            reconfigure: self.parts.reconfigure.clone(),
        });
        let resolved = self.parts.transformer.transform(config)?;
        connector.connector_mut().start(&resolved, context)?;
        Ok(connector)
    }

    /// The task configs the running connector `name` generates now (`None` if it does not
    /// run here or failed to generate them, which fails it).
    pub fn task_configs(&mut self, name: &str) -> Option<Vec<ConfigMap>> {
        let running = self.connectors.get(name)?;
        let instance = running.instance.as_ref()?;
        let generated = task_configs::generate(
            name,
            instance.connector(),
            &running.config,
            &self.parts.transformer,
        );
        match generated {
            Ok(configs) => Some(configs),
            Err(e) => {
                let kind = running.kind;
                if let Some(r) = self.connectors.get_mut(name) {
                    if let Some(i) = r.instance.take() {
                        stop_connector(name, Some(i));
                    }
                }
                self.fail_connector(name, kind, &e);
                None
            }
        }
    }

    /// Stops connector `name` here (its tasks are separate).
    pub fn stop_connector(&mut self, name: &str) {
        if let Some(running) = self.connectors.remove(name) {
            stop_connector(name, running.instance);
            tracing::info!("connector {name} stopped on this worker");
        }
        self.forget_target(name);
    }

    fn forget_target(&mut self, name: &str) {
        let used = self.connectors.contains_key(name) || self.tasks.keys().any(|(c, _)| c == name);
        if !used {
            self.targets.remove(name);
        }
    }

    /// Applies a new target state to the connector and tasks of `name` running here.
    /// Returns `true` when the connector must be restarted (it runs here and left or
    /// entered `STOPPED`).
    pub fn set_target(&mut self, name: &str, state: TargetState) -> bool {
        if let Some(sender) = self.targets.get(name) {
            sender.send_replace(state);
        }
        let Some(running) = self.connectors.get(name) else {
            return false;
        };
        let was_stopped = running.instance.is_none();
        match state {
            TargetState::Stopped => !was_stopped,
            TargetState::Paused | TargetState::Started if was_stopped => true,
            TargetState::Paused | TargetState::Started => {
                let shown = if state == TargetState::Paused {
                    State::Paused
                } else {
                    State::Running
                };
                if let Some(reporter) = &running.reporter {
                    reporter.show(shown);
                }
                false
            }
        }
    }

    /// Starts task `id` with its connector's config and its own (the task need not share a
    /// worker with its connector).
    pub fn start_task(
        &mut self,
        id: &TaskId,
        connector_config: &ConfigMap,
        task_config: &ConfigMap,
        state: TargetState,
    ) -> Result<()> {
        let (name, task) = (id.0.as_str(), id.1);
        let reporter =
            TaskReporter::new(self.parts.status.clone(), name, task, &self.parts.worker_id);
        reporter.unassigned();
        let started = self.spawn_task(id, connector_config, task_config, state, reporter.clone());
        match started {
            Ok(run) => {
                tracing::info!("task {name}-{task} started on this worker");
                self.tasks.insert(id.clone(), run);
                Ok(())
            }
            Err(e) => {
                reporter.failed(crate::errors::trace(&e, crate::errors::exception_class(&e)));
                Err(e)
            }
        }
    }

    fn spawn_task(
        &mut self,
        id: &TaskId,
        connector_config: &ConfigMap,
        task_config: &ConfigMap,
        state: TargetState,
        reporter: TaskReporter,
    ) -> Result<TaskRun> {
        let (name, task) = (id.0.as_str(), id.1);
        let common = ConnectorConfig::parse(connector_config)?;
        let plugin = self.parts.plugins.resolve(&common.class)?;
        let connector = (plugin.factory)();
        let resolved_connector = self.parts.transformer.transform(connector_config)?;
        let resolved_task = self.parts.transformer.transform(task_config)?;
        let target = self.target_sender(name, state).subscribe();
        let worker = Arc::clone(&self.parts.worker);
        let topics = worker
            .topic_tracking_enable
            .then(|| self.parts.topics.tracker(name));
        launch(Launch {
            connector: &connector,
            worker,
            connector_config: resolved_connector,
            task_id: task,
            task_config: resolved_task,
            offsets: Arc::clone(&self.parts.offsets),
            codec: Arc::clone(&self.parts.codec),
            reporter,
            target,
            topics,
        })
    }

    /// Stops the tasks `ids` that run here, together, within
    /// `task.shutdown.graceful.timeout.ms`.
    pub async fn stop_tasks(&mut self, ids: impl IntoIterator<Item = TaskId>) {
        let mut runs = Vec::new();
        let mut names = Vec::new();
        for id in ids {
            if let Some(run) = self.tasks.remove(&id) {
                runs.push(run);
                names.push(id);
            }
        }
        stop_tasks(runs, self.parts.worker.task_shutdown_timeout).await;
        for (name, task) in &names {
            tracing::info!("task {name}-{task} stopped on this worker");
        }
        for (name, _) in names {
            self.forget_target(&name);
        }
    }

    /// Stops the connectors and tasks of `work` that run here: tasks first.
    pub async fn stop_work(&mut self, work: &Work) {
        self.stop_tasks(work.tasks.iter().cloned()).await;
        for name in &work.connectors {
            self.stop_connector(name);
        }
    }

    /// Stops everything.
    pub async fn stop_all(&mut self) {
        let all = self.work();
        self.stop_work(&all).await;
    }
}
