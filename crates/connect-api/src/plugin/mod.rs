//! Connector and task traits (Java `Connector`, `SourceConnector`, `SinkConnector`,
//! `SourceTask`, `SinkTask`) and the contexts the runtime hands them.
//!
//! Connectors are synchronous: they only turn their config into task configs. Tasks are
//! `async` (through `async_trait`, with no runtime dependency here): they talk to files,
//! databases and services, and the worker runs each on its own tokio task. A task's `poll` /
//! `put` future may be dropped when the worker shuts the task down, so implementations keep
//! their state consistent at every `.await` (cancel safety); `stop` is then called.

mod connector;
mod context;
mod task;

pub use connector::{Connector, ConnectorContext, ConnectorKind, SinkConnector, SourceConnector};
pub use context::{
    ErrantRecord, ErrantRecordReporter, OffsetStorageReader, SinkTaskContext, SourceTaskContext,
    TopicPartition,
};
pub use task::{SinkOffsets, SinkTask, SourceTask};

/// A plugin's configuration: string keys and values, as in files, REST and the config topic.
pub type ConfigMap = std::collections::BTreeMap<String, String>;
