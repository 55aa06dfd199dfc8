//! The connector plugins a worker can run, registered explicitly by the binary (no class
//! path scanning), under their Java class names and Kafka's aliases: the simple class name and
//! the simple name without its `Connector` suffix (`FileStreamSource`).

use connect_api::plugin::ConnectorKind;
use connect_api::{ConnectError, Result};

/// One connector plugin.
#[derive(Clone)]
pub struct ConnectorPlugin {
    /// The fully qualified Java class name.
    pub class: &'static str,
    /// `source` or `sink`.
    pub kind: &'static str,
    /// The plugin version.
    pub version: &'static str,
    /// Makes a new, unstarted connector.
    pub factory: fn() -> ConnectorKind,
}

impl std::fmt::Debug for ConnectorPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ConnectorPlugin")
            .field("class", &self.class)
            .finish()
    }
}

impl ConnectorPlugin {
    /// Whether `name` (trimmed) names this plugin: its class, simple name or short alias.
    pub fn answers_to(&self, name: &str) -> bool {
        let name = name.trim();
        let simple = self.class.rsplit('.').next().unwrap_or(self.class);
        name == self.class
            || name == simple
            || simple
                .strip_suffix("Connector")
                .is_some_and(|short| short == name)
    }
}

/// The registered connector plugins.
#[derive(Debug, Clone, Default)]
pub struct Plugins {
    connectors: Vec<ConnectorPlugin>,
}

impl Plugins {
    /// No plugins.
    pub fn new() -> Self {
        Plugins::default()
    }

    /// Adds a connector plugin.
    pub fn register(&mut self, plugin: ConnectorPlugin) -> &mut Self {
        self.connectors.push(plugin);
        self
    }

    /// The plugins, in registration order.
    pub fn connectors(&self) -> &[ConnectorPlugin] {
        &self.connectors
    }

    /// The plugin `connector.class` names, or a config error listing the known ones.
    pub fn resolve(&self, name: &str) -> Result<&ConnectorPlugin> {
        self.connectors
            .iter()
            .find(|p| p.answers_to(name))
            .ok_or_else(|| {
                let known: Vec<&str> = self.connectors.iter().map(|p| p.class).collect();
                ConnectError::config(
                    "connector.class",
                    name,
                    format!(
                    "Failed to find any class that implements Connector and which name matches \
{name}, available connectors are: {}",
                    known.join(", ")
                ),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn plugins() -> Plugins {
        let mut p = Plugins::new();
        p.register(ConnectorPlugin {
            class: "org.apache.kafka.connect.file.FileStreamSourceConnector",
            kind: "source",
            version: "1",
            factory: || unreachable_factory(),
        });
        p
    }

    fn unreachable_factory() -> ConnectorKind {
        panic!("not called in these tests")
    }

    #[test]
    fn resolves_class_simple_name_and_alias() {
        let p = plugins();
        for name in [
            "org.apache.kafka.connect.file.FileStreamSourceConnector",
            "FileStreamSourceConnector",
            "FileStreamSource",
            " FileStreamSource ",
        ] {
            assert!(p.resolve(name).is_ok(), "{name}");
        }
        let err = p.resolve("FileStream").unwrap_err();
        assert!(err.is_config());
        let text = err.to_string();
        assert!(
            text.contains("connector.class") && text.contains("FileStream"),
            "{text}"
        );
    }
}
