//! `JdbcSourceConnector`: lists the tables to copy (again every `table.poll.interval.ms`,
//! asking for new task configs when the list changes) and splits them over the tasks.

use std::sync::{Arc, Mutex};

use connect_api::config::ConfigDef;
use connect_api::plugin::{ConfigMap, Connector, ConnectorContext, SourceConnector, SourceTask};
use connect_api::{ConnectError, Result};

use crate::db::catalog::TableId;
use crate::db::{classify, Db};
use crate::dialect::Quoting;
use crate::source::config::{config_def, SourceConfig, TABLES_CONFIG, TABLES_FETCHED_CONFIG};
use crate::source::task::JdbcSourceTask;
use crate::VERSION;

/// Confluent's `JdbcSourceConnector`.
#[derive(Default)]
pub struct JdbcSourceConnector {
    config: ConfigMap,
    parsed: Option<SourceConfig>,
    /// The tables found (`None` until the first listing).
    tables: Arc<Mutex<Option<Vec<TableId>>>>,
    monitor: Option<tokio::task::JoinHandle<()>>,
}

/// Whether `table` passes the connector's table filters.
pub fn selected(cfg: &SourceConfig, table: &TableId, dialect: crate::dialect::Dialect) -> bool {
    let fq = table.qualified();
    let quoted = table.sql(dialect, Quoting::Always);
    let named = |list: &[String]| {
        list.iter()
            .map(|s| s.trim())
            .any(|s| s == fq || s == quoted || s == table.name)
    };
    if !cfg.whitelist.is_empty() {
        return named(&cfg.whitelist);
    }
    if !cfg.blacklist.is_empty() {
        return !named(&cfg.blacklist);
    }
    if !cfg.include.is_empty() {
        return cfg.include.iter().any(|r| r.is_match(&fq))
            && !cfg.exclude.iter().any(|r| r.is_match(&fq));
    }
    true
}

/// The selected tables, or an error when two share an unqualified name (their topics would
/// collide).
pub async fn list_selected(db: &Db, cfg: &SourceConfig) -> Result<Vec<TableId>> {
    let all = db
        .list_tables(
            &cfg.table_types,
            cfg.catalog_pattern.as_deref(),
            cfg.schema_pattern.as_deref(),
        )
        .await
        .map_err(|e| classify("Cannot list the database's tables", e))?;
    let tables: Vec<TableId> = all
        .into_iter()
        .filter(|t| selected(cfg, t, db.dialect()))
        .collect();
    let mut dups: Vec<String> = Vec::new();
    for (i, t) in tables.iter().enumerate() {
        if tables[..i].iter().any(|u| u.name == t.name) {
            dups.push(t.qualified());
        }
    }
    if !dups.is_empty() {
        return Err(ConnectError::other(format!(
            "The connector uses the unqualified table name as the topic name and has detected \
duplicate unqualified table names. This could lead to mixed data types in the topic and \
downstream processing errors. To prevent such processing errors, the JDBC Source connector \
fails to start when it detects duplicate table name configurations. Update the connector's \
'table.whitelist' config to include exactly one table in each of the tables listed below: {}",
            dups.join(", ")
        )));
    }
    Ok(tables)
}

/// Splits `items` into `groups` contiguous chunks, the first ones one longer (Kafka's
/// `ConnectorUtils.groupPartitions`).
pub fn group<T: Clone>(items: &[T], groups: usize) -> Vec<Vec<T>> {
    let groups = groups.max(1);
    let per = items.len() / groups;
    let extra = items.len() % groups;
    let mut out = Vec::with_capacity(groups);
    let mut start = 0;
    for g in 0..groups {
        let len = per + usize::from(g < extra);
        out.push(items[start..start + len].to_vec());
        start += len;
    }
    out
}

impl Connector for JdbcSourceConnector {
    fn version(&self) -> String {
        VERSION.to_string()
    }

    fn config_def(&self) -> ConfigDef {
        config_def()
    }

    fn task_class(&self) -> &'static str {
        "io.confluent.connect.jdbc.source.JdbcSourceTask"
    }

    fn start(&mut self, config: &ConfigMap, context: Arc<dyn ConnectorContext>) -> Result<()> {
        let cfg = SourceConfig::parse(config)?;
        self.config = config.clone();
        if !cfg.is_query_mode() {
            let handle = tokio::runtime::Handle::try_current().map_err(|_| {
                ConnectError::other("the JDBC source connector needs a tokio runtime")
            })?;
            let tables = Arc::clone(&self.tables);
            let monitor_cfg = cfg.clone();
            self.monitor = Some(handle.spawn(async move {
                let db = match Db::connect(&monitor_cfg.connection).await {
                    Ok(db) => db,
                    Err(e) => return context.raise_error(e),
                };
                loop {
                    match list_selected(&db, &monitor_cfg).await {
                        Ok(found) => {
                            let changed = {
                                let mut known = tables.lock().unwrap_or_else(|e| e.into_inner());
                                let changed = known.as_ref() != Some(&found);
                                if changed {
                                    tracing::info!(
                                        "JDBC source tables: {}",
                                        found
                                            .iter()
                                            .map(TableId::qualified)
                                            .collect::<Vec<_>>()
                                            .join(", ")
                                    );
                                    *known = Some(found);
                                }
                                changed
                            };
                            if changed {
                                context.request_task_reconfiguration();
                            }
                        }
                        Err(e) if e.is_retriable() => tracing::warn!("{e}"),
                        Err(e) => return context.raise_error(e),
                    }
                    tokio::time::sleep(monitor_cfg.table_poll_interval).await;
                }
            }));
        }
        self.parsed = Some(cfg);
        Ok(())
    }

    fn task_configs(&self, max_tasks: usize) -> Result<Vec<ConfigMap>> {
        let Some(cfg) = &self.parsed else {
            return Ok(Vec::new());
        };
        let with = |tables: String, fetched: bool| {
            let mut c = self.config.clone();
            c.insert(TABLES_CONFIG.to_string(), tables);
            c.insert(TABLES_FETCHED_CONFIG.to_string(), fetched.to_string());
            c
        };
        if cfg.is_query_mode() {
            return Ok(vec![with(String::new(), true)]);
        }
        let known = self
            .tables
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let Some(tables) = known else {
            return Ok(vec![with(String::new(), false)]);
        };
        if tables.is_empty() {
            tracing::warn!("No tables were found, so the task will not run");
            return Ok(vec![with(String::new(), true)]);
        }
        let dialect = cfg.connection.url.dialect;
        let groups = group(&tables, max_tasks.min(tables.len()));
        Ok(groups
            .into_iter()
            .map(|g| {
                let names: Vec<String> =
                    g.iter().map(|t| t.sql(dialect, Quoting::Always)).collect();
                with(names.join(","), true)
            })
            .collect())
    }

    fn stop(&mut self) -> Result<()> {
        if let Some(m) = self.monitor.take() {
            m.abort();
        }
        Ok(())
    }
}

impl SourceConnector for JdbcSourceConnector {
    fn create_task(&self) -> Box<dyn SourceTask> {
        Box::new(JdbcSourceTask::default())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn groups_are_contiguous_chunks() {
        assert_eq!(group(&[1, 2, 3, 4, 5], 2), vec![vec![1, 2, 3], vec![4, 5]]);
        assert_eq!(group(&[1, 2], 2), vec![vec![1], vec![2]]);
    }

    #[test]
    fn filters_match_qualified_quoted_and_bare_names() {
        let raw: ConfigMap = [
            ("connection.url", "jdbc:postgresql://h/db"),
            ("mode", "bulk"),
            ("table.whitelist", "orders,\"public\".\"items\""),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let cfg = SourceConfig::parse(&raw).unwrap();
        let t = |n: &str| TableId {
            catalog: None,
            schema: Some("public".into()),
            name: n.into(),
        };
        let d = crate::dialect::Dialect::Postgres;
        assert!(selected(&cfg, &t("orders"), d));
        assert!(selected(&cfg, &t("items"), d));
        assert!(!selected(&cfg, &t("users"), d));
    }
}
