//! Starting and stopping a connector instance and its task loops.

use std::sync::Arc;
use std::time::Duration;

use connect_api::plugin::{ConfigMap, ConnectorKind};
use connect_api::{ConnectError, Result};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::{Context, Entry, StandaloneWorker};
use crate::config::{ConnectorConfig, SinkConfig, SourceConfig, WorkerConfig};
use crate::offsets::{OffsetCodec, OffsetStore};
use crate::status::{ConnectorReporter, State, Status, TaskReporter};
use crate::target::TargetReceiver;
use crate::target::TargetState;
use crate::topics::TopicTracker;
use crate::{sink_task, source_task, task_configs};

/// A running task loop.
pub struct TaskRun {
    pub(crate) token: CancellationToken,
    pub(crate) handle: JoinHandle<()>,
    pub(crate) reporter: TaskReporter,
}

impl std::fmt::Debug for TaskRun {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TaskRun")
            .field("task", &self.reporter.id())
            .finish()
    }
}

/// What a task loop starts from, in either mode: the connector instance whose task it runs
/// (which makes the task), resolved connector and task configs, and the worker's parts.
pub(crate) struct Launch<'a> {
    pub connector: &'a ConnectorKind,
    pub worker: Arc<WorkerConfig>,
    /// The connector config, config provider references resolved.
    pub connector_config: ConfigMap,
    pub task_id: u32,
    /// The task config, config provider references resolved.
    pub task_config: ConfigMap,
    pub offsets: Arc<dyn OffsetStore>,
    pub codec: Arc<OffsetCodec>,
    pub reporter: TaskReporter,
    pub target: TargetReceiver,
    pub topics: Option<TopicTracker>,
}

/// Starts a task loop on the runtime. An `Err` when the connector config does not parse
/// (the task is then reported failed by the caller); nothing was started.
pub(crate) fn launch(l: Launch<'_>) -> Result<TaskRun> {
    let token = CancellationToken::new();
    let handle = match l.connector {
        ConnectorKind::Source(c) => {
            let spec = source_task::SourceTaskSpec {
                connector: SourceConfig::parse(
                    &l.connector_config,
                    l.worker.topic_creation_enable,
                )?,
                worker: l.worker,
                task_id: l.task_id,
                task_config: l.task_config,
                offsets: l.offsets,
                codec: l.codec,
                status: l.reporter.clone(),
                target: l.target,
                topics: l.topics,
            };
            tokio::spawn(source_task::run(spec, c.create_task(), token.clone()))
        }
        ConnectorKind::Sink(c) => {
            let spec = sink_task::SinkTaskSpec {
                connector: SinkConfig::parse(&l.connector_config)?,
                worker: l.worker,
                task_id: l.task_id,
                task_config: l.task_config,
                status: l.reporter.clone(),
                target: l.target,
                topics: l.topics,
            };
            tokio::spawn(sink_task::run(spec, c.create_task(), token.clone()))
        }
    };
    Ok(TaskRun {
        token,
        handle,
        reporter: l.reporter,
    })
}

/// Stops task loops: each is told to stop, and all of them together get `timeout` to commit
/// and finish; a loop still running after that is abandoned (its later reports are ignored).
pub(crate) async fn stop_tasks(tasks: Vec<TaskRun>, timeout: Duration) {
    if tasks.is_empty() {
        return;
    }
    for t in &tasks {
        t.token.cancel();
    }
    let deadline = tokio::time::Instant::now() + timeout.max(Duration::from_millis(1));
    for t in tasks {
        let TaskRun {
            handle, reporter, ..
        } = t;
        let abort = handle.abort_handle();
        if tokio::time::timeout_at(deadline, handle).await.is_err() {
            tracing::warn!(
                "{} did not stop within task.shutdown.graceful.timeout.ms ({timeout:?}); abandoning it",
                reporter.id()
            );
            reporter.retire();
            abort.abort();
        }
    }
}

/// Stops a connector instance (a failure is logged: the connector is gone either way).
pub(crate) fn stop_connector(name: &str, connector: Option<ConnectorKind>) {
    if let Some(mut c) = connector {
        if let Err(e) = c.connector_mut().stop() {
            tracing::warn!("connector {name} failed to stop: {e}");
        }
    }
}

impl StandaloneWorker {
    pub(super) fn status_of(&self, state: State, trace: Option<String>) -> Status {
        Status {
            state,
            trace,
            worker_id: self.worker_id.clone(),
        }
    }

    /// Starts the connector instance of `entry` as its target state says (none while
    /// `STOPPED`). A connector that fails to start is shown `FAILED` with its trace. Tasks
    /// are started separately ([`Self::start_tasks`]).
    pub(super) fn start_instance(&self, name: &str, entry: &mut Entry) {
        entry.connector = None;
        entry.reporter = None;
        if entry.target == TargetState::Stopped {
            entry.task_configs.clear();
            self.status
                .connector(name, entry.kind, self.status_of(State::Stopped, None));
            tracing::info!("connector {name} is stopped");
            return;
        }
        self.status
            .connector(name, entry.kind, self.status_of(State::Unassigned, None));
        let reporter =
            ConnectorReporter::new(self.status.clone(), name, entry.kind, &self.worker_id);
        match self.new_instance(name, entry, &reporter) {
            Ok(connector) => {
                entry.connector = Some(connector);
                let state = if entry.target == TargetState::Paused {
                    State::Paused
                } else {
                    State::Running
                };
                reporter.show(state);
                entry.reporter = Some(reporter);
            }
            Err(e) => self.connector_failed(name, entry, &e),
        }
    }

    pub(super) fn connector_failed(&self, name: &str, entry: &mut Entry, e: &ConnectError) {
        tracing::error!("connector {name} failed: {e}");
        entry.task_configs.clear();
        let trace = crate::errors::trace(e, crate::errors::exception_class(e));
        self.status
            .connector(name, entry.kind, self.status_of(State::Failed, Some(trace)));
    }

    fn new_instance(
        &self,
        name: &str,
        entry: &Entry,
        reporter: &ConnectorReporter,
    ) -> Result<ConnectorKind> {
        let common = ConnectorConfig::parse(&entry.config)?;
        let plugin = self.plugins.resolve(&common.class)?;
        let mut connector = (plugin.factory)();
        let context = Arc::new(Context {
            name: name.to_string(),
            reporter: reporter.clone(),
            reconfigure: self.reconfigure.clone(),
        });
        // the connector sees resolved config provider references; they are never stored
        let resolved = self.transformer.transform(&entry.config)?;
        connector.connector_mut().start(&resolved, context)?;
        Ok(connector)
    }

    /// The task configs the started connector generates now (at most `tasks.max` of them
    /// while `tasks.max.enforce` holds).
    pub(super) fn generate_task_configs(
        &self,
        name: &str,
        entry: &Entry,
    ) -> Result<Vec<ConfigMap>> {
        let Some(connector) = &entry.connector else {
            return Ok(Vec::new());
        };
        task_configs::generate(
            name,
            connector.connector(),
            &entry.config,
            &self.transformer,
        )
    }

    /// Generates the task configs of a running connector (target `RUNNING`) and starts a
    /// loop for each. Nothing happens while it is paused, stopped or failed: as in Kafka,
    /// tasks are created only for a started connector. A failure to generate configs fails
    /// the connector.
    pub(super) fn start_tasks(&self, name: &str, entry: &mut Entry) -> Result<()> {
        if entry.target != TargetState::Started || entry.connector.is_none() {
            return Ok(());
        }
        match self.generate_task_configs(name, entry) {
            Ok(configs) => entry.task_configs = configs,
            Err(e) => {
                self.connector_failed(name, entry, &e);
                return Ok(());
            }
        }
        self.spawn_tasks(name, entry)
    }

    /// Starts a loop for each of the entry's task configs.
    pub(super) fn spawn_tasks(&self, name: &str, entry: &mut Entry) -> Result<()> {
        for id in 0..entry.task_configs.len() as u32 {
            let run = self.spawn_task(name, entry, id)?;
            entry.tasks.insert(id, run);
        }
        tracing::info!("connector {name} runs {} task(s)", entry.tasks.len());
        Ok(())
    }

    /// Starts the loop of task `id` (its config must exist).
    pub(super) fn spawn_task(&self, name: &str, entry: &Entry, id: u32) -> Result<TaskRun> {
        let (Some(connector), Some(task_config)) =
            (&entry.connector, entry.task_configs.get(id as usize))
        else {
            return Err(ConnectError::other(format!(
                "Task {name}-{id} cannot start: its connector is not running"
            )));
        };
        // tasks and their clients see resolved config provider references
        let connector_config = self.transformer.transform(&entry.config)?;
        let task_config = self.transformer.transform(task_config)?;
        let reporter = TaskReporter::new(self.status.clone(), name, id, &self.worker_id);
        reporter.unassigned();
        launch(Launch {
            connector,
            worker: Arc::clone(&self.config),
            connector_config,
            task_id: id,
            task_config,
            offsets: Arc::clone(&self.offsets),
            codec: Arc::clone(&self.codec),
            reporter,
            target: entry.targets.subscribe(),
            topics: self
                .config
                .topic_tracking_enable
                .then(|| self.topics.tracker(name)),
        })
    }
}
