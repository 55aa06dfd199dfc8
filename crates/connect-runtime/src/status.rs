//! Connector and task states, as `GET /connectors/{name}/status` shows them (Kafka's
//! `AbstractStatus.State`).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// A connector's or task's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Not started on any worker.
    Unassigned,
    /// Running.
    Running,
    /// Paused.
    Paused,
    /// Failed (with a trace).
    Failed,
    /// Being restarted.
    Restarting,
    /// Stopped (connectors only).
    Stopped,
}

impl State {
    /// Kafka's name (`RUNNING`, …).
    pub fn name(self) -> &'static str {
        match self {
            State::Unassigned => "UNASSIGNED",
            State::Running => "RUNNING",
            State::Paused => "PAUSED",
            State::Failed => "FAILED",
            State::Restarting => "RESTARTING",
            State::Stopped => "STOPPED",
        }
    }
}

/// The state of one connector or task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The state.
    pub state: State,
    /// Why it failed (shown only when non-empty).
    pub trace: Option<String>,
    /// The worker running it (`host:port`).
    pub worker_id: String,
}

/// The status of a connector and its tasks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorStatus {
    /// `source` or `sink`.
    pub kind: &'static str,
    /// The connector itself.
    pub connector: Status,
    /// Its tasks by id.
    pub tasks: BTreeMap<u32, Status>,
}

/// A change a [`StatusBoard`] saw, as its observer hears of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusUpdate {
    /// A connector's state.
    Connector(String, Status),
    /// A task's state (reported even when the connector runs on another worker).
    Task(String, u32, Status),
}

/// Hears of every status change (a distributed worker writes them to the status topic).
pub type StatusObserver = Arc<dyn Fn(StatusUpdate) + Send + Sync>;

/// The statuses of a worker's connectors, shared by the task loops (which report failures)
/// and the REST API (which reads them).
#[derive(Clone, Default)]
pub struct StatusBoard {
    inner: Arc<Mutex<BTreeMap<String, ConnectorStatus>>>,
    observer: Option<StatusObserver>,
}

impl std::fmt::Debug for StatusBoard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StatusBoard")
            .field("observed", &self.observer.is_some())
            .finish()
    }
}

impl StatusBoard {
    /// A board whose changes `observer` hears of, in the order they are made.
    pub fn observed(observer: StatusObserver) -> Self {
        StatusBoard {
            inner: Arc::default(),
            observer: Some(observer),
        }
    }

    fn tell(&self, update: impl FnOnce() -> StatusUpdate) {
        if let Some(o) = &self.observer {
            o(update());
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut BTreeMap<String, ConnectorStatus>) -> R) -> R {
        f(&mut self.inner.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Records a connector's state.
    pub fn connector(&self, name: &str, kind: &'static str, status: Status) {
        self.tell(|| StatusUpdate::Connector(name.to_string(), status.clone()));
        self.with(|m| {
            let entry = m
                .entry(name.to_string())
                .or_insert_with(|| ConnectorStatus {
                    kind,
                    connector: status.clone(),
                    tasks: BTreeMap::new(),
                });
            entry.kind = kind;
            entry.connector = status;
        });
    }

    /// Records that a connector failed with `error` (shown with its trace).
    pub fn connector_failed(
        &self,
        name: &str,
        kind: &'static str,
        worker_id: &str,
        error: &connect_api::ConnectError,
    ) {
        let trace = crate::errors::trace(error, crate::errors::exception_class(error));
        self.connector(
            name,
            kind,
            Status {
                state: State::Failed,
                trace: Some(trace),
                worker_id: worker_id.to_string(),
            },
        );
    }

    /// Records a task's state.
    pub fn task(&self, name: &str, task: u32, status: Status) {
        self.tell(|| StatusUpdate::Task(name.to_string(), task, status.clone()));
        self.with(|m| {
            if let Some(c) = m.get_mut(name) {
                c.tasks.insert(task, status);
            }
        });
    }

    /// Forgets the states of a connector's tasks (they were stopped for good).
    pub fn clear_tasks(&self, name: &str) {
        self.with(|m| {
            if let Some(c) = m.get_mut(name) {
                c.tasks.clear();
            }
        });
    }

    /// A connector's status.
    pub fn get(&self, name: &str) -> Option<ConnectorStatus> {
        self.with(|m| m.get(name).cloned())
    }

    /// The connector names, sorted.
    pub fn names(&self) -> Vec<String> {
        self.with(|m| m.keys().cloned().collect())
    }

    /// Forgets a connector.
    pub fn remove(&self, name: &str) {
        self.with(|m| {
            m.remove(name);
        });
    }
}

/// What a task loop uses to report its own state.
#[derive(Debug, Clone)]
pub struct TaskReporter {
    board: StatusBoard,
    connector: String,
    task: u32,
    worker_id: String,
    /// Cleared when the worker no longer counts on this task (it was replaced, or abandoned
    /// after the shutdown timeout): its later reports are dropped.
    active: Arc<AtomicBool>,
}

impl TaskReporter {
    /// The reporter of task `task` of `connector`.
    pub fn new(board: StatusBoard, connector: &str, task: u32, worker_id: &str) -> Self {
        TaskReporter {
            board,
            connector: connector.to_string(),
            task,
            worker_id: worker_id.to_string(),
            active: Arc::new(AtomicBool::new(true)),
        }
    }

    /// From now on this task's reports are ignored (a newer instance of the task reports).
    pub fn retire(&self) {
        self.active.store(false, Ordering::Relaxed);
    }

    /// `connector-task`, as Kafka names a task.
    pub fn id(&self) -> String {
        format!("{}-{}", self.connector, self.task)
    }

    /// The task runs.
    pub fn running(&self) {
        self.set(State::Running, None);
    }

    /// The task failed: logged and shown with its trace.
    pub fn failed(&self, trace: String) {
        tracing::error!("{} failed: {trace}", self.id());
        self.set(State::Failed, Some(trace));
    }

    /// The task stopped (it is no longer listed as running).
    pub fn unassigned(&self) {
        self.set(State::Unassigned, None);
    }

    /// The task is paused (its connector's target state is `PAUSED`).
    pub fn paused(&self) {
        self.set(State::Paused, None);
    }

    fn set(&self, state: State, trace: Option<String>) {
        if !self.active.load(Ordering::Relaxed) {
            return;
        }
        self.board.task(
            &self.connector,
            self.task,
            Status {
                state,
                trace,
                worker_id: self.worker_id.clone(),
            },
        );
    }
}

/// What reports a connector instance's state: the instance itself, through its
/// `ConnectorContext::raise_error`, and the worker on its behalf. Once the instance raised
/// an error it stays `FAILED`, as Kafka's `WorkerConnector` refuses to leave `FAILED`: a
/// failure raised from a thread the connector started, even before its `start` returned,
/// is not overwritten by the `RUNNING` the worker shows after `start`. A new instance (a
/// restart) gets a new reporter.
#[derive(Debug, Clone)]
pub struct ConnectorReporter {
    board: StatusBoard,
    connector: String,
    kind: &'static str,
    worker_id: String,
    /// Whether the instance raised an error; held while the board is written, so a
    /// failure and a transition are recorded in the order they were decided.
    failed: Arc<Mutex<bool>>,
}

impl ConnectorReporter {
    /// The reporter of a new instance of `connector`.
    pub fn new(board: StatusBoard, connector: &str, kind: &'static str, worker_id: &str) -> Self {
        ConnectorReporter {
            board,
            connector: connector.to_string(),
            kind,
            worker_id: worker_id.to_string(),
            failed: Arc::default(),
        }
    }

    fn failed_flag(&self) -> std::sync::MutexGuard<'_, bool> {
        self.failed.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The instance failed with `error`: shown `FAILED` with its trace from now on.
    pub fn failed(&self, error: &connect_api::ConnectError) {
        let mut failed = self.failed_flag();
        *failed = true;
        tracing::error!("connector {} failed: {error}", self.connector);
        self.board
            .connector_failed(&self.connector, self.kind, &self.worker_id, error);
    }

    /// Shows the instance in `state` (running or paused), unless it failed; returns whether
    /// it was shown.
    pub fn show(&self, state: State) -> bool {
        let failed = self.failed_flag();
        if *failed {
            tracing::warn!(
                "connector {} cannot transition to {} since it has failed",
                self.connector,
                state.name()
            );
            return false;
        }
        self.board.connector(
            &self.connector,
            self.kind,
            Status {
                state,
                trace: None,
                worker_id: self.worker_id.clone(),
            },
        );
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_connector_that_raised_an_error_stays_failed() {
        let board = StatusBoard::default();
        let reporter = ConnectorReporter::new(board.clone(), "c", "source", "w:8083");
        assert!(reporter.show(State::Running));
        assert_eq!(board.get("c").unwrap().connector.state, State::Running);
        reporter.failed(&connect_api::ConnectError::other("database unreachable"));
        assert!(!reporter.show(State::Running));
        assert!(!reporter.show(State::Paused));
        let shown = board.get("c").unwrap().connector;
        assert_eq!(shown.state, State::Failed);
        assert!(shown.trace.unwrap().contains("database unreachable"));

        let restarted = ConnectorReporter::new(board.clone(), "c", "source", "w:8083");
        assert!(restarted.show(State::Running));
        assert_eq!(board.get("c").unwrap().connector.state, State::Running);
    }
}
