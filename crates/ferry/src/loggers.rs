//! The worker's log levels, changeable at runtime through `/admin/loggers`: a reloadable
//! `EnvFilter` rebuilt from the root level and one level per logger (a log target such as
//! `connect_runtime` or `librdkafka`, with its descendants `connect_runtime::…`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use connect_rest::{LevelError, LogLevels, LoggerLevel};
use tracing_subscriber::reload;
use tracing_subscriber::EnvFilter;

/// The loggers every worker has (its crates' targets and librdkafka's).
const KNOWN: &[&str] = &[
    "connect_api",
    "connect_converters",
    "connect_rest",
    "connect_runtime",
    "connect_transforms",
    "connector_file",
    "ferry",
    "kafka",
    "librdkafka",
];

/// The level the worker starts with when `RUST_LOG` does not say.
pub const DEFAULT_FILTER: &str = "info,librdkafka=warn";

#[derive(Debug)]
struct State {
    root: (String, Option<i64>),
    loggers: BTreeMap<String, (String, Option<i64>)>,
    /// Directives of `RUST_LOG` that are not a plain `target=level` (kept as they are).
    extra: Vec<String>,
}

/// The log levels of this process.
pub struct Loggers {
    /// `None` when logging was set up by someone else (an embedding program): levels are
    /// then recorded but change nothing.
    handle: Option<reload::Handle<EnvFilter, tracing_subscriber::Registry>>,
    state: Mutex<State>,
}

static CURRENT: OnceLock<Arc<Loggers>> = OnceLock::new();

fn initial_filter() -> String {
    std::env::var("RUST_LOG").unwrap_or_else(|_| DEFAULT_FILTER.to_string())
}

/// The process's log levels.
pub fn current() -> Arc<Loggers> {
    Arc::clone(CURRENT.get_or_init(|| {
        Arc::new(Loggers {
            handle: None,
            state: Mutex::new(State::parse(&initial_filter())),
        })
    }))
}

/// log4j's level name (upper case) as a tracing filter level, `None` if it is not one.
fn filter_level(log4j: &str) -> Option<&'static str> {
    Some(match log4j.to_ascii_uppercase().as_str() {
        "ALL" | "TRACE" => "trace",
        "DEBUG" => "debug",
        "INFO" => "info",
        "WARN" => "warn",
        "ERROR" | "FATAL" => "error",
        "OFF" => "off",
        _ => return None,
    })
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Whether `child` is `parent` or below it (`parent::…`).
fn under(child: &str, parent: &str) -> bool {
    child == parent
        || child
            .strip_prefix(parent)
            .is_some_and(|rest| rest.starts_with("::"))
}

impl State {
    fn parse(filter: &str) -> State {
        let mut state = State {
            root: ("INFO".to_string(), None),
            loggers: BTreeMap::new(),
            extra: Vec::new(),
        };
        for d in filter.split(',').map(str::trim).filter(|d| !d.is_empty()) {
            match d.split_once('=') {
                None if filter_level(d).is_some() => state.root = (d.to_ascii_uppercase(), None),
                Some((target, level))
                    if filter_level(level).is_some() && !target.contains(['[', '{']) =>
                {
                    state
                        .loggers
                        .insert(target.to_string(), (level.to_ascii_uppercase(), None));
                }
                _ => state.extra.push(d.to_string()),
            }
        }
        state
    }

    fn directives(&self) -> String {
        let mut out = vec![filter_level(&self.root.0).unwrap_or("info").to_string()];
        for (target, (level, _)) in &self.loggers {
            out.push(format!(
                "{target}={}",
                filter_level(level).unwrap_or("info")
            ));
        }
        out.extend(self.extra.iter().cloned());
        out.join(",")
    }
}

/// Sets up logging to stderr with a reloadable filter (`RUST_LOG`, or [`DEFAULT_FILTER`]).
pub fn init() {
    let text = initial_filter();
    let filter = EnvFilter::try_new(&text).unwrap_or_else(|_| EnvFilter::new(DEFAULT_FILTER));
    let (layer, handle) = reload::Layer::new(filter);
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let installed = tracing_subscriber::registry()
        .with(layer)
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                // colours only on a terminal, not in log files
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())),
        )
        .try_init();
    if installed.is_ok() {
        let _ = CURRENT.set(Arc::new(Loggers {
            handle: Some(handle),
            state: Mutex::new(State::parse(&text)),
        }));
    }
}

impl Loggers {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl LogLevels for Loggers {
    fn levels(&self) -> BTreeMap<String, LoggerLevel> {
        let state = self.state();
        let mut out: BTreeMap<String, LoggerLevel> = state
            .loggers
            .iter()
            .map(|(k, (level, at))| {
                (
                    k.clone(),
                    LoggerLevel {
                        level: level.clone(),
                        last_modified: *at,
                    },
                )
            })
            .collect();
        out.insert(
            "root".to_string(),
            LoggerLevel {
                level: state.root.0.clone(),
                last_modified: state.root.1,
            },
        );
        out
    }

    fn level(&self, logger: &str) -> Option<LoggerLevel> {
        let state = self.state();
        if logger.eq_ignore_ascii_case("root") {
            return Some(LoggerLevel {
                level: state.root.0.clone(),
                last_modified: state.root.1,
            });
        }
        let known = KNOWN.iter().any(|k| under(logger, k)) || state.loggers.contains_key(logger);
        if !known {
            return None;
        }
        // its own level, or the nearest ancestor's, or the root's
        let own = state
            .loggers
            .iter()
            .filter(|(k, _)| under(logger, k))
            .max_by_key(|(k, _)| k.len())
            .map(|(_, v)| v.clone());
        let (level, last_modified) = own.unwrap_or_else(|| state.root.clone());
        Some(LoggerLevel {
            level,
            last_modified,
        })
    }

    fn set_level(&self, logger: &str, level: &str) -> Result<Vec<String>, LevelError> {
        if filter_level(level).is_none() {
            return Err(LevelError::InvalidLevel(level.to_string()));
        }
        let level = level.to_ascii_uppercase();
        let at = Some(now_ms());
        let mut state = self.state();
        let affected: Vec<String> = if logger.eq_ignore_ascii_case("root") {
            // as log4j's root does here: every logger takes the new level
            for entry in state.loggers.values_mut() {
                *entry = (level.clone(), at);
            }
            state.root = (level, at);
            // the root's level reaches every logger without one of its own
            let mut all: Vec<String> = KNOWN.iter().map(|k| k.to_string()).collect();
            all.extend(state.loggers.keys().cloned());
            all.push("root".to_string());
            all
        } else {
            // a level set here replaces those of its descendants, as log4j's does
            state
                .loggers
                .retain(|k, _| !under(k, logger) || k == logger);
            state.loggers.insert(logger.to_string(), (level, at));
            let mut names: Vec<String> = KNOWN
                .iter()
                .filter(|k| under(k, logger))
                .map(|k| k.to_string())
                .collect();
            names.push(logger.to_string());
            names
        };
        let directives = state.directives();
        // reloaded under the lock: concurrent changes apply in the order they were made
        match (&self.handle, EnvFilter::try_new(&directives)) {
            (Some(handle), Ok(filter)) => {
                if let Err(e) = handle.reload(filter) {
                    tracing::warn!("could not change the log levels: {e}");
                }
            }
            (None, _) => {
                tracing::warn!("log levels are managed outside Ferry: {directives} not applied")
            }
            (_, Err(e)) => tracing::warn!("could not change the log levels to {directives}: {e}"),
        }
        drop(state);
        let mut affected = affected;
        affected.sort();
        affected.dedup();
        Ok(affected)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_round_trip() {
        let s = State::parse("info,librdkafka=warn,connect_runtime[span]=debug");
        assert_eq!(s.root.0, "INFO");
        assert_eq!(s.loggers["librdkafka"].0, "WARN");
        assert_eq!(s.extra, vec!["connect_runtime[span]=debug".to_string()]);
        assert_eq!(
            s.directives(),
            "info,librdkafka=warn,connect_runtime[span]=debug"
        );
        assert!(under("connect_runtime::source_task", "connect_runtime"));
        assert!(!under("connect_runtimes", "connect_runtime"));
        assert_eq!(filter_level("fatal"), Some("error"));
        assert_eq!(filter_level("LOUD"), None);
    }
}
