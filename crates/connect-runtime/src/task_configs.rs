//! The task configs of a started connector, as Kafka's `Worker.connectorTaskConfigs` makes
//! them, for both modes: what the connector returns for `tasks.max`, each with `task.class`
//! (its tasks' Java class) and the connector's `topics`/`topics.regex`, with resolved config
//! provider references put back as references. A Java worker reading them from the config
//! topic finds what it writes itself.

use connect_api::plugin::{ConfigMap, Connector};
use connect_api::{ConnectError, Result};

use crate::config::ConnectorConfig;
use crate::config_providers::ConfigTransformer;

/// Kafka's `TaskConfig.TASK_CLASS_CONFIG`.
pub const TASK_CLASS_CONFIG: &str = "task.class";

/// The connector config keys copied into every task config (Kafka's `SinkTask.TOPICS_CONFIG`
/// and `TOPICS_REGEX_CONFIG`; copied for any connector that has them, as Kafka does).
const COPIED: [&str; 2] = ["topics", "topics.regex"];

/// The task configs `connector` (started with `raw` resolved by `transformer`) generates
/// now. An `Err` when the config does not parse, the connector fails to generate them, or
/// it generates more than `tasks.max` while `tasks.max.enforce` holds: the connector fails.
pub fn generate(
    name: &str,
    connector: &dyn Connector,
    raw: &ConfigMap,
    transformer: &ConfigTransformer,
) -> Result<Vec<ConfigMap>> {
    let common = ConnectorConfig::parse(raw)?;
    let resolved = transformer.transform(raw)?;
    let task_class = connector.task_class();
    let generated: Vec<ConfigMap> = connector
        .task_configs(common.tasks_max)?
        .into_iter()
        .map(|mut task| {
            task.insert(TASK_CLASS_CONFIG.to_string(), task_class.to_string());
            for key in COPIED {
                if let Some(value) = resolved.get(key) {
                    task.insert(key.to_string(), value.clone());
                }
            }
            transformer.reverse(raw, &resolved, &task)
        })
        .collect();
    if generated.len() > common.tasks_max && common.tasks_max_enforce {
        return Err(ConnectError::other(format!(
            "The connector {name} has generated {} tasks, which is greater than {}, the maximum \
number of tasks it is configured to create.",
            generated.len(),
            common.tasks_max
        )));
    }
    Ok(generated)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::Arc;

    use connect_api::config::ConfigDef;
    use connect_api::plugin::ConnectorContext;
    use testkit::config_map as map;

    use super::*;

    /// Returns `count` copies of its config, minus `topics` (so the copy is the runtime's).
    struct Copies {
        config: ConfigMap,
        count: usize,
    }

    impl Connector for Copies {
        fn version(&self) -> String {
            "1".into()
        }
        fn config_def(&self) -> ConfigDef {
            ConfigDef::default()
        }
        fn task_class(&self) -> &'static str {
            "com.example.CopyTask"
        }
        fn start(&mut self, config: &ConfigMap, _: Arc<dyn ConnectorContext>) -> Result<()> {
            self.config = config.clone();
            Ok(())
        }
        fn task_configs(&self, _max_tasks: usize) -> Result<Vec<ConfigMap>> {
            let mut c = self.config.clone();
            c.remove("topics");
            Ok(vec![c; self.count])
        }
        fn stop(&mut self) -> Result<()> {
            Ok(())
        }
    }

    fn transformer() -> ConfigTransformer {
        ConfigTransformer::from_worker_config(&map(&[])).unwrap()
    }

    fn raw(tasks_max: &str) -> ConfigMap {
        map(&[
            ("name", "c"),
            ("connector.class", "Copies"),
            ("tasks.max", tasks_max),
            ("topics", "a,b"),
        ])
    }

    #[test]
    fn every_task_config_names_its_class_and_the_topics() {
        let raw = raw("2");
        let connector = Copies {
            config: raw.clone(),
            count: 2,
        };
        let tasks = generate("c", &connector, &raw, &transformer()).unwrap();
        assert_eq!(tasks.len(), 2);
        for t in &tasks {
            assert_eq!(t["task.class"], "com.example.CopyTask");
            assert_eq!(t["topics"], "a,b");
            assert_eq!(t["name"], "c");
        }
    }

    #[test]
    fn more_tasks_than_tasks_max_fail_the_connector_unless_allowed() {
        let raw = raw("1");
        let connector = Copies {
            config: raw.clone(),
            count: 3,
        };
        let err = generate("c", &connector, &raw, &transformer()).unwrap_err();
        assert!(
            err.to_string()
                .contains("generated 3 tasks, which is greater than 1"),
            "{err}"
        );
        let mut lenient = raw.clone();
        lenient.insert("tasks.max.enforce".into(), "false".into());
        assert_eq!(
            generate("c", &connector, &lenient, &transformer())
                .unwrap()
                .len(),
            3
        );
    }
}
