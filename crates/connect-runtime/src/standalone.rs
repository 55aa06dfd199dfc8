//! The standalone worker (Kafka's `Worker` with a `StandaloneHerder`): connectors from files,
//! offsets in a local file, every task on this process.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use connect_api::error::{ConfigError, ConfigIssue};
use connect_api::plugin::{ConfigMap, ConnectorContext, ConnectorKind};
use connect_api::{ConnectError, Result};
use connect_transforms::chain::TransformationChain;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::config::{ConnectorConfig, SinkConfig, SourceConfig, WorkerConfig};
use crate::convert::RecordConverters;
use crate::offsets::{FileOffsetStore, MemoryOffsetStore, OffsetCodec, OffsetStore};
use crate::plugins::Plugins;
use crate::status::{ConnectorStatus, State, Status, StatusBoard, TaskReporter};
use crate::{sink_task, source_task};

/// A connector as submitted: its name and config, and its tasks' configs once started.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorInfo {
    /// The name.
    pub name: String,
    /// The config as given.
    pub config: ConfigMap,
    /// The task configs (empty until started).
    pub tasks: Vec<ConfigMap>,
    /// `source` or `sink`.
    pub kind: &'static str,
}

struct Running {
    info: ConnectorInfo,
    connector: ConnectorKind,
    tasks: Vec<(CancellationToken, JoinHandle<()>)>,
}

/// Reports a connector's errors to the status board.
struct Context {
    name: String,
    kind: &'static str,
    worker_id: String,
    status: StatusBoard,
}

impl ConnectorContext for Context {
    fn request_task_reconfiguration(&self) {
        tracing::warn!(
            "connector {} asked for a task reconfiguration; restart the worker to apply it",
            self.name
        );
    }

    fn raise_error(&self, error: ConnectError) {
        self.status.connector(
            &self.name,
            self.kind,
            Status {
                state: State::Failed,
                trace: Some(crate::errors::trace(
                    &error,
                    crate::errors::exception_class(&error),
                )),
                worker_id: self.worker_id.clone(),
            },
        );
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
    connectors: Mutex<BTreeMap<String, Running>>,
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

fn collect(result: Result<()>, issues: &mut Vec<ConfigIssue>) -> Result<()> {
    match result {
        Ok(()) => Ok(()),
        Err(ConnectError::Config(e)) => {
            issues.extend(e.into_issues());
            Ok(())
        }
        Err(other) => Err(other),
    }
}

impl StandaloneWorker {
    /// A worker with `config`; offsets go to `offset.storage.file.filename` (read now: a
    /// corrupt file is an error) or stay in memory when it is unset.
    pub fn new(config: WorkerConfig, plugins: Plugins, worker_id: String) -> Result<Self> {
        let offsets: Arc<dyn OffsetStore> = match &config.offset_file {
            Some(path) => Arc::new(FileOffsetStore::open(path)?),
            None => Arc::new(MemoryOffsetStore::default()),
        };
        Ok(StandaloneWorker {
            config: Arc::new(config),
            plugins,
            offsets,
            codec: Arc::new(OffsetCodec::new()?),
            status: StatusBoard::default(),
            worker_id,
            connectors: Mutex::new(BTreeMap::new()),
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

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, Running>> {
        self.connectors.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The connector names, sorted.
    pub fn connector_names(&self) -> Vec<String> {
        self.lock().keys().cloned().collect()
    }

    /// A connector's name, config and task configs.
    pub fn connector_info(&self, name: &str) -> Option<ConnectorInfo> {
        self.lock().get(name).map(|r| r.info.clone())
    }

    /// A connector's status.
    pub fn connector_status(&self, name: &str) -> Option<ConnectorStatus> {
        self.status.get(name)
    }

    /// Checks a connector config as Kafka does before creating the connector: the common
    /// keys, the sink or source keys, the connector's own keys, the converters and the
    /// transformation chain. Every problem is reported at once (Kafka's "Connector
    /// configuration is invalid and contains the following N error(s)" message).
    pub fn validate(&self, config: &ConfigMap) -> Result<()> {
        let mut issues = Vec::new();
        collect(ConnectorConfig::parse(config).map(|_| ()), &mut issues)?;
        if let Some(class) = config.get("connector.class") {
            match self.plugins.resolve(class) {
                Err(ConnectError::Config(e)) => issues.extend(e.into_issues()),
                Err(e) => return Err(e),
                Ok(plugin) => {
                    let connector = (plugin.factory)();
                    let kind = match &connector {
                        ConnectorKind::Source(_) => {
                            SourceConfig::parse(config, self.config.topic_creation_enable)
                                .map(|_| ())
                        }
                        ConnectorKind::Sink(_) => SinkConfig::parse(config).map(|_| ()),
                    };
                    collect(kind, &mut issues)?;
                    collect(
                        connector.connector().config_def().parse(config).map(|_| ()),
                        &mut issues,
                    )?;
                }
            }
        }
        collect(
            RecordConverters::from_configs(&self.config.originals, config).map(|_| ()),
            &mut issues,
        )?;
        collect(
            TransformationChain::<connect_api::SinkMeta>::from_config(config).map(|_| ()),
            &mut issues,
        )?;
        // the common keys are parsed twice (common and typed): keep each message once
        let mut seen = std::collections::HashSet::new();
        issues.retain(|i| seen.insert(i.to_string()));
        match ConfigError::from_issues(issues) {
            None => Ok(()),
            Some(e) => Err(ConnectError::config_message(invalid_config_message(&e))),
        }
    }

    /// Creates and starts a connector and its tasks. A config error (nothing is created), a
    /// name that exists (409 in REST terms), or a start failure (the connector then shows
    /// `FAILED`).
    pub fn start_connector(&self, config: ConfigMap) -> Result<()> {
        self.validate(&config)?;
        let common = ConnectorConfig::parse(&config)?;
        let name = common.name.clone();
        if self.lock().contains_key(&name) {
            return Err(ConnectError::other(format!(
                "Connector {name} already exists"
            )));
        }
        let plugin = self.plugins.resolve(&common.class)?.clone();
        let mut connector = (plugin.factory)();
        let kind = connector.type_name();
        let running_status = |state, trace| Status {
            state,
            trace,
            worker_id: self.worker_id.clone(),
        };
        self.status
            .connector(&name, kind, running_status(State::Unassigned, None));
        let context = Arc::new(Context {
            name: name.clone(),
            kind,
            worker_id: self.worker_id.clone(),
            status: self.status.clone(),
        });
        let started = connector
            .connector_mut()
            .start(&config, context)
            .and_then(|()| connector.connector().task_configs(common.tasks_max));
        let task_configs = match started {
            Ok(t) if t.len() > common.tasks_max && common.tasks_max_enforce => {
                Err(ConnectError::other(format!(
                    "The connector {name} has generated {} tasks, which is greater than {}, the \
maximum number of tasks it is configured to create.",
                    t.len(),
                    common.tasks_max
                )))
            }
            other => other,
        };
        let mut info = ConnectorInfo {
            name: name.clone(),
            config: config.clone(),
            tasks: Vec::new(),
            kind,
        };
        let task_configs = match task_configs {
            Ok(t) => t,
            Err(e) => {
                self.status.connector(
                    &name,
                    kind,
                    running_status(
                        State::Failed,
                        Some(crate::errors::trace(&e, crate::errors::exception_class(&e))),
                    ),
                );
                tracing::error!("connector {name} failed to start: {e}");
                self.lock().insert(
                    name,
                    Running {
                        info,
                        connector,
                        tasks: Vec::new(),
                    },
                );
                return Ok(());
            }
        };
        self.status
            .connector(&name, kind, running_status(State::Running, None));
        let mut tasks = Vec::with_capacity(task_configs.len());
        for (i, task_config) in task_configs.iter().enumerate() {
            let id = i as u32;
            let reporter = TaskReporter::new(self.status.clone(), &name, id, &self.worker_id);
            reporter.unassigned();
            let token = CancellationToken::new();
            let handle = match &connector {
                ConnectorKind::Source(c) => {
                    let spec = source_task::SourceTaskSpec {
                        worker: Arc::clone(&self.config),
                        connector: SourceConfig::parse(&config, self.config.topic_creation_enable)?,
                        task_id: id,
                        task_config: task_config.clone(),
                        offsets: Arc::clone(&self.offsets),
                        codec: Arc::clone(&self.codec),
                        status: reporter,
                    };
                    tokio::spawn(source_task::run(spec, c.create_task(), token.clone()))
                }
                ConnectorKind::Sink(c) => {
                    let spec = sink_task::SinkTaskSpec {
                        worker: Arc::clone(&self.config),
                        connector: SinkConfig::parse(&config)?,
                        task_id: id,
                        task_config: task_config.clone(),
                        status: reporter,
                    };
                    tokio::spawn(sink_task::run(spec, c.create_task(), token.clone()))
                }
            };
            tasks.push((token, handle));
        }
        info.tasks = task_configs;
        tracing::info!("connector {name} started with {} task(s)", tasks.len());
        self.lock().insert(
            name,
            Running {
                info,
                connector,
                tasks,
            },
        );
        Ok(())
    }

    /// Stops every connector and task: tasks get `task.shutdown.graceful.timeout.ms` in total
    /// to commit and stop; those still running after it are abandoned.
    pub async fn stop(&self) {
        let running: Vec<Running> = std::mem::take(&mut *self.lock()).into_values().collect();
        let mut handles = Vec::new();
        for r in &running {
            for (token, _) in &r.tasks {
                token.cancel();
            }
        }
        let mut connectors = Vec::new();
        for r in running {
            for (_, handle) in r.tasks {
                handles.push(handle);
            }
            connectors.push((r.info.name, r.connector));
        }
        let timeout = self.config.task_shutdown_timeout;
        let all = futures_join(handles);
        if tokio::time::timeout(timeout.max(Duration::from_millis(1)), all)
            .await
            .is_err()
        {
            tracing::warn!(
                "some tasks did not stop within task.shutdown.graceful.timeout.ms ({timeout:?})"
            );
        }
        for (name, mut c) in connectors {
            if let Err(e) = c.connector_mut().stop() {
                tracing::warn!("connector {name} failed to stop: {e}");
            }
            self.status.remove(&name);
        }
    }
}

/// Waits for every handle.
async fn futures_join(handles: Vec<JoinHandle<()>>) {
    for h in handles {
        let _ = h.await;
    }
}
