//! Connectors: they turn a connector config into task configs.

use std::sync::Arc;

use super::task::{SinkTask, SourceTask};
use super::ConfigMap;
use crate::config::ConfigDef;
use crate::error::{ConnectError, Result};

/// What a connector may ask of the runtime (Java `ConnectorContext`).
pub trait ConnectorContext: Send + Sync {
    /// Asks the runtime to call [`Connector::task_configs`] again and restart the tasks with
    /// the new configs (for example when a source discovered new tables).
    fn request_task_reconfiguration(&self);

    /// Reports an unrecoverable error: the connector goes to `FAILED` with this error.
    fn raise_error(&self, error: ConnectError);
}

/// Java `org.apache.kafka.connect.connector.Connector`: shared by sources and sinks.
pub trait Connector: Send {
    /// The plugin version shown by `GET /connector-plugins`.
    fn version(&self) -> String;

    /// The connector's own config keys (beyond the runtime's common ones): used to validate
    /// configs (`PUT /connector-plugins/{p}/config/validate`) and to parse them in `start`.
    fn config_def(&self) -> ConfigDef;

    /// The Java class name of the connector's tasks (Java `taskClass().getName()`), called
    /// whenever task configs are generated: the runtime puts it in each task config as
    /// `task.class`, where a Java worker looks for it.
    fn task_class(&self) -> &'static str;

    /// Called once when the connector starts (or restarts), with its full config. An `Err`
    /// puts the connector in state `FAILED` with the error as its trace; a config error is
    /// reported to the user as such.
    fn start(&mut self, config: &ConfigMap, context: Arc<dyn ConnectorContext>) -> Result<()>;

    /// Called after `start` (and after a reconfiguration request): the configs of at most
    /// `max_tasks` tasks. An `Err` fails the connector.
    fn task_configs(&self, max_tasks: usize) -> Result<Vec<ConfigMap>>;

    /// Called once when the connector is stopped, paused or deleted. An `Err` is logged; the
    /// connector stops anyway.
    fn stop(&mut self) -> Result<()>;

    /// Called when a user alters or resets the connector's offsets (`PATCH`/`DELETE
    /// /connectors/{name}/offsets`, connector stopped), before the runtime writes them, with
    /// the connector's config and each partition with its new offset (`None`: reset).
    /// Partitions and offsets are maps: a source connector's own, or for a sink
    /// `{"kafka_topic","kafka_partition"}` → `{"kafka_offset"}`. `Ok(true)` when the connector
    /// has checked (and, if it keeps offsets elsewhere, applied) them; `Ok(false)`, the
    /// default, when it leaves them to the runtime alone. An `Err` rejects the whole request:
    /// nothing is written, and the user sees the error.
    fn alter_offsets(
        &self,
        _config: &ConfigMap,
        _offsets: &[(crate::Value, Option<crate::Value>)],
    ) -> Result<bool> {
        Ok(false)
    }
}

/// Java `SourceConnector`: a connector whose tasks read from an external system.
pub trait SourceConnector: Connector {
    /// A new, unstarted task. Called once per task config, before the task's `start`.
    fn create_task(&self) -> Box<dyn SourceTask>;
}

/// Java `SinkConnector`: a connector whose tasks write Kafka records to an external system.
pub trait SinkConnector: Connector {
    /// A new, unstarted task. Called once per task config, before the task's `start`.
    fn create_task(&self) -> Box<dyn SinkTask>;
}

/// A connector of either kind, as the plugin registry creates it.
pub enum ConnectorKind {
    /// A source connector.
    Source(Box<dyn SourceConnector>),
    /// A sink connector.
    Sink(Box<dyn SinkConnector>),
}

impl ConnectorKind {
    /// `source` or `sink`, as the REST API names the type.
    pub fn type_name(&self) -> &'static str {
        match self {
            ConnectorKind::Source(_) => "source",
            ConnectorKind::Sink(_) => "sink",
        }
    }

    /// The connector, whatever its kind.
    pub fn connector(&self) -> &dyn Connector {
        match self {
            ConnectorKind::Source(c) => c.as_ref(),
            ConnectorKind::Sink(c) => c.as_ref(),
        }
    }

    /// The connector, mutably.
    pub fn connector_mut(&mut self) -> &mut dyn Connector {
        match self {
            ConnectorKind::Source(c) => c.as_mut(),
            ConnectorKind::Sink(c) => c.as_mut(),
        }
    }
}
