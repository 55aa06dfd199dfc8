//! `JdbcSinkConnector`: every task gets the connector's config.

use std::sync::Arc;

use connect_api::config::ConfigDef;
use connect_api::plugin::{ConfigMap, Connector, ConnectorContext, SinkConnector, SinkTask};
use connect_api::Result;

use crate::sink::config::{config_def, SinkConfig};
use crate::sink::task::JdbcSinkTask;
use crate::VERSION;

/// Confluent's `JdbcSinkConnector`.
#[derive(Debug, Default)]
pub struct JdbcSinkConnector {
    config: ConfigMap,
}

impl Connector for JdbcSinkConnector {
    fn version(&self) -> String {
        VERSION.to_string()
    }

    fn config_def(&self) -> ConfigDef {
        config_def()
    }

    fn task_class(&self) -> &'static str {
        "io.confluent.connect.jdbc.sink.JdbcSinkTask"
    }

    fn start(&mut self, config: &ConfigMap, _context: Arc<dyn ConnectorContext>) -> Result<()> {
        SinkConfig::parse(config)?;
        self.config = config.clone();
        Ok(())
    }

    fn task_configs(&self, max_tasks: usize) -> Result<Vec<ConfigMap>> {
        Ok(vec![self.config.clone(); max_tasks.max(1)])
    }

    fn stop(&mut self) -> Result<()> {
        Ok(())
    }
}

impl SinkConnector for JdbcSinkConnector {
    fn create_task(&self) -> Box<dyn SinkTask> {
        Box::new(JdbcSinkTask::default())
    }
}
