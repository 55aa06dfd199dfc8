//! The plugin registry of the `ferry` binary: every connector Ferry ships.

use connect_api::plugin::ConnectorKind;
use connect_runtime::plugins::{ConnectorPlugin, Plugins};

/// All built-in connector plugins.
pub fn all() -> Plugins {
    let mut p = Plugins::new();
    p.register(ConnectorPlugin {
        class: connector_file::SOURCE_CLASS,
        kind: "source",
        version: connector_file::VERSION,
        factory: || {
            ConnectorKind::Source(Box::<connector_file::FileStreamSourceConnector>::default())
        },
    });
    p.register(ConnectorPlugin {
        class: connector_file::SINK_CLASS,
        kind: "sink",
        version: connector_file::VERSION,
        factory: || ConnectorKind::Sink(Box::<connector_file::FileStreamSinkConnector>::default()),
    });
    p.register(ConnectorPlugin {
        class: connector_jdbc::SOURCE_CLASS,
        kind: "source",
        version: connector_jdbc::VERSION,
        factory: || ConnectorKind::Source(Box::<connector_jdbc::JdbcSourceConnector>::default()),
    });
    p.register(ConnectorPlugin {
        class: connector_jdbc::SINK_CLASS,
        kind: "sink",
        version: connector_jdbc::VERSION,
        factory: || ConnectorKind::Sink(Box::<connector_jdbc::JdbcSinkConnector>::default()),
    });
    p
}
