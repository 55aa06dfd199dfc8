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

/// A plugin as `GET /connector-plugins` lists it (Kafka's `PluginInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PluginDesc {
    /// `class`: the fully qualified Java class name.
    pub class: String,
    /// `type`: `source`, `sink`, `transformation`, `predicate`, `converter` or
    /// `header_converter`.
    pub kind: &'static str,
    /// `version` (left out of the JSON when `None`).
    pub version: Option<String>,
}

/// The Apache Kafka version whose plugins Ferry provides (and reports for its built-ins).
pub const KAFKA_VERSION: &str = "3.9.0";

fn builtin(classes: &[&str], kind: &'static str) -> Vec<PluginDesc> {
    let mut out: Vec<PluginDesc> = classes
        .iter()
        .map(|c| PluginDesc {
            class: (*c).to_string(),
            kind,
            // Kafka's own plugins report its version; others (Debezium's) none here
            version: c
                .starts_with("org.apache.kafka.")
                .then(|| KAFKA_VERSION.to_string()),
        })
        .collect();
    out.sort_by(|a, b| a.class.cmp(&b.class));
    out
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

    /// `GET /connector-plugins`: the sink connectors, then the source connectors, each sorted
    /// by class; unless `connectors_only`, then the transformations, predicates, converters
    /// and header converters Ferry provides, as Kafka lists them.
    pub fn descriptors(&self, connectors_only: bool) -> Vec<PluginDesc> {
        let mut out = Vec::new();
        for kind in ["sink", "source"] {
            let mut group: Vec<PluginDesc> = self
                .connectors
                .iter()
                .filter(|p| p.kind == kind)
                .map(|p| PluginDesc {
                    class: p.class.to_string(),
                    kind: p.kind,
                    version: Some(p.version.to_string()),
                })
                .collect();
            group.sort_by(|a, b| a.class.cmp(&b.class));
            out.extend(group);
        }
        if connectors_only {
            return out;
        }
        use connect_converters::registry::{CONVERTER_CLASSES, HEADER_CONVERTER_CLASSES};
        use connect_transforms::registry::{predicate_classes, transformation_classes};
        out.extend(builtin(&transformation_classes(), "transformation"));
        out.extend(builtin(&predicate_classes(), "predicate"));
        out.extend(builtin(CONVERTER_CLASSES, "converter"));
        // every converter is a header converter too
        let headers: Vec<&str> = CONVERTER_CLASSES
            .iter()
            .chain(HEADER_CONVERTER_CLASSES)
            .copied()
            .collect();
        out.extend(builtin(&headers, "header_converter"));
        out
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
        let listed = p.descriptors(true);
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].kind, "source");
        let all = p.descriptors(false);
        assert!(all.iter().any(
            |d| d.class == "org.apache.kafka.connect.transforms.Cast$Value"
                && d.kind == "transformation"
                && d.version.as_deref() == Some(KAFKA_VERSION)
        ));
        let string_converter = "org.apache.kafka.connect.storage.StringConverter";
        assert_eq!(
            all.iter().filter(|d| d.class == string_converter).count(),
            2
        );
        let kinds: Vec<&str> = all.iter().map(|d| d.kind).collect();
        let mut grouped = kinds.clone();
        grouped.dedup();
        assert_eq!(
            grouped,
            [
                "source",
                "transformation",
                "predicate",
                "converter",
                "header_converter"
            ]
        );
        let err = p.resolve("FileStream").unwrap_err();
        assert!(err.is_config());
        let text = err.to_string();
        assert!(
            text.contains("connector.class") && text.contains("FileStream"),
            "{text}"
        );
    }
}
