//! The transformation chain of a connector, as the runtime runs it: built from the connector
//! config (`transforms`, `transforms.<alias>.*`, `predicates`, `predicates.<alias>.*`) through
//! [`crate::registry`], applied to source and sink records alike with Kafka's
//! `TransformationStage` semantics.
//!
//! ```
//! use std::collections::BTreeMap;
//! use connect_api::{Record, SchemaAndValue, SourceMeta};
//! use connect_transforms::chain::TransformationChain;
//!
//! let config: BTreeMap<String, String> = [
//!     ("transforms", "route,dropTombstones"),
//!     ("transforms.route.type", "RegexRouter"),
//!     ("transforms.route.regex", "(.*)-raw"),
//!     ("transforms.route.replacement", "$1"),
//!     ("transforms.dropTombstones.type", "Filter"),
//!     ("transforms.dropTombstones.predicate", "isTombstone"),
//!     ("predicates", "isTombstone"),
//!     ("predicates.isTombstone.type", "RecordIsTombstone"),
//! ]
//! .into_iter()
//! .map(|(k, v)| (k.to_string(), v.to_string()))
//! .collect();
//! let chain = TransformationChain::<SourceMeta>::from_config(&config)?;
//!
//! let record = Record {
//!     topic: "orders-raw".into(),
//!     kafka_partition: None,
//!     key: SchemaAndValue::null(),
//!     value: SchemaAndValue::new(None, "payload".into()),
//!     timestamp: None,
//!     headers: Default::default(),
//!     meta: SourceMeta::default(),
//! };
//! let out = chain.apply(record.clone()).unwrap().unwrap();
//! assert_eq!(&*out.topic, "orders");
//!
//! let tombstone = Record { value: SchemaAndValue::null(), ..record };
//! assert!(chain.apply(tombstone).unwrap().is_none());
//! # Ok::<(), connect_api::ConnectError>(())
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use connect_api::config::{originals_with_prefix, parse_value, ConfigType, ParsedValue};
use connect_api::error::{ConfigError, ConfigIssue};
pub use connect_api::Stage;
use connect_api::{ConnectError, Predicate, Record, Transformation, Transformed};

use crate::registry;

/// Connector key: the transformation aliases, in order.
pub const TRANSFORMS: &str = "transforms";
/// Connector key: the predicate aliases.
pub const PREDICATES: &str = "predicates";
/// Per-transformation key (`transforms.<alias>.predicate`): the alias of its predicate.
pub const PREDICATE_CONFIG: &str = "predicate";
/// Per-transformation key (`transforms.<alias>.negate`): run the stage when the predicate does
/// *not* match.
pub const NEGATE_CONFIG: &str = "negate";
/// Per-plugin key (`transforms.<alias>.type`, `predicates.<alias>.type`): the class.
pub const TYPE_CONFIG: &str = "type";

/// The predicate of a stage, as named in a [`ChainError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PredicateInfo {
    /// The predicate alias (`predicates=<alias>`).
    pub alias: String,
    /// The predicate's fully qualified class.
    pub class: String,
}

/// A record failed in a stage of the chain: which stage, transform and class, the predicate if
/// its test is what failed, and the error itself. Kafka reports a predicate failure as stage
/// `TRANSFORMATION` of the transform it guards, with the transform's class; so does Ferry.
///
/// [`is_tolerable`](ChainError::is_tolerable) says whether `errors.tolerance=all` may skip the
/// record (and the dead letter queue receive it); [`is_retriable`](ChainError::is_retriable)
/// whether the operation should be retried within `errors.retry.timeout`.
#[derive(Debug, thiserror::Error)]
#[error("{}", self.describe())]
pub struct ChainError {
    /// Always [`Stage::Transformation`] for the chain.
    pub stage: Stage,
    /// Position of the stage in `transforms` (0-based).
    pub index: usize,
    /// The transform alias.
    pub alias: Arc<str>,
    /// The transform's fully qualified class (Kafka's `__connect.errors.class.name`).
    pub class: Arc<str>,
    /// The stage's predicate when its `test` failed; `None` when the transformation failed.
    pub predicate: Option<Arc<PredicateInfo>>,
    /// The underlying error.
    #[source]
    pub source: Box<ConnectError>,
}

impl ChainError {
    fn describe(&self) -> String {
        match &self.predicate {
            None => format!(
                "Error in stage {} of transformation '{}' ({}): {}",
                self.stage, self.alias, self.class, self.source
            ),
            Some(p) => format!(
                "Error in stage {} testing predicate '{}' ({}) of transformation '{}' ({}): {}",
                self.stage, p.alias, p.class, self.alias, self.class, self.source
            ),
        }
    }

    /// Whether `errors.tolerance` may handle the failure (skip the record, report it to the
    /// dead letter queue): a data error ([`ConnectError::Data`]). Kafka tolerates any
    /// exception of a transformation; in Ferry, where JDK exceptions become data errors, the
    /// other kinds (retriable, config, other) mean the task must retry or fail.
    pub fn is_tolerable(&self) -> bool {
        self.source.is_data()
    }

    /// Whether the runtime should retry ([`ConnectError::Retriable`]).
    pub fn is_retriable(&self) -> bool {
        self.source.is_retriable()
    }

    /// The underlying error.
    pub fn into_source(self) -> ConnectError {
        *self.source
    }
}

/// The predicate guarding a [`ChainStage`].
pub struct StagePredicate<M> {
    /// Predicate alias and class.
    pub info: Arc<PredicateInfo>,
    /// The configured predicate, shared by every stage that names the alias.
    pub predicate: Arc<dyn Predicate<M>>,
    /// Run the stage when the predicate does *not* match.
    pub negate: bool,
}

/// One stage of a chain (Kafka's `TransformationStage`).
pub struct ChainStage<M> {
    /// Transform alias.
    pub alias: Arc<str>,
    /// Fully qualified class.
    pub class: Arc<str>,
    /// The configured transformation.
    pub transformation: Box<dyn Transformation<M>>,
    /// The stage's predicate, if any.
    pub predicate: Option<StagePredicate<M>>,
}

impl<M> fmt::Debug for ChainStage<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("ChainStage");
        d.field("alias", &self.alias).field("class", &self.class);
        if let Some(p) = &self.predicate {
            d.field("predicate", &p.info.alias)
                .field("predicate_class", &p.info.class)
                .field("negate", &p.negate);
        }
        d.finish()
    }
}

/// A configured predicate with its alias and class, shared by the stages naming it.
type SharedPredicate<M> = (Arc<PredicateInfo>, Arc<dyn Predicate<M>>);

/// The transformation chain of a connector: its stages in `transforms` order.
pub struct TransformationChain<M> {
    stages: Vec<ChainStage<M>>,
}

impl<M> fmt::Debug for TransformationChain<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(&self.stages).finish()
    }
}

impl<M> Default for TransformationChain<M> {
    fn default() -> Self {
        TransformationChain { stages: Vec::new() }
    }
}

impl<M: Send + Sync + 'static> TransformationChain<M> {
    /// A chain of already built stages.
    pub fn new(stages: Vec<ChainStage<M>>) -> Self {
        TransformationChain { stages }
    }

    /// Builds the chain from a connector config, validating it as Kafka does and reporting
    /// **every** problem at once in one [`ConnectError::Config`], each naming the connector
    /// key and value:
    /// - duplicate aliases in `transforms` or `predicates`
    ///   (`Invalid value [a, a] for configuration transforms: Duplicate alias provided.`);
    /// - a missing or unknown `transforms.<a>.type` / `predicates.<p>.type`;
    /// - `transforms.<a>.negate` without `transforms.<a>.predicate`, an invalid `negate`;
    /// - a predicate alias that `predicates` does not list;
    /// - the transforms' and predicates' own config errors, re-keyed under their prefix
    ///   (`transforms.route.regex`).
    ///
    /// Each transformation gets the keys under `transforms.<a>.` (prefix removed, `predicate`
    /// and `negate` taken out); each predicate those under `predicates.<p>.`. Every predicate
    /// listed is built (once) and validated, used or not.
    pub fn from_config(config: &BTreeMap<String, String>) -> Result<Self, ConnectError> {
        let mut issues = Vec::new();
        let transform_aliases = aliases(config, TRANSFORMS, &mut issues);
        let predicate_aliases = aliases(config, PREDICATES, &mut issues);

        let mut predicates: BTreeMap<String, SharedPredicate<M>> = BTreeMap::new();
        let mut transforms = Vec::with_capacity(transform_aliases.len());
        for alias in &transform_aliases {
            let prefix = format!("{TRANSFORMS}.{alias}.");
            let predicate_key = format!("{prefix}{PREDICATE_CONFIG}");
            let negate_key = format!("{prefix}{NEGATE_CONFIG}");
            let predicate = config.get(&predicate_key).map(|p| p.trim().to_string());
            let negate = match config.get(&negate_key) {
                None => false,
                Some(raw) => {
                    if predicate.is_none() {
                        issues.push(ConfigIssue::keyed_message(
                            negate_key.clone(),
                            format!(
                                "Config '{negate_key}' was provided but there is no config \
'{predicate_key}' defining a predicate to be negated."
                            ),
                        ));
                    }
                    match parse_value(&negate_key, raw, ConfigType::Boolean) {
                        Ok(ParsedValue::Boolean(b)) => b,
                        Ok(_) => false,
                        Err(issue) => {
                            issues.push(issue);
                            false
                        }
                    }
                }
            };
            if let Some(p) = &predicate {
                if !predicate_aliases.contains(p) {
                    issues.push(ConfigIssue::invalid_value(
                        predicate_key.clone(),
                        p.clone(),
                        format!(
                            "Predicate '{p}' is not defined: it is not listed in '{PREDICATES}'"
                        ),
                    ));
                }
            }
            let mut sub = originals_with_prefix(config, &prefix);
            sub.remove(PREDICATE_CONFIG);
            sub.remove(NEGATE_CONFIG);
            let built = build(
                &prefix,
                &sub,
                &mut issues,
                |name| registry::resolve(name, &registry::transformation_classes()),
                |name| {
                    registry::resolve(name, &registry::predicate_classes())
                        .map(|_| "Transformation")
                },
                |class, cfg| registry::transformation::<M>(class, cfg),
            );
            transforms.push((alias.clone(), built, predicate, negate));
        }
        for alias in &predicate_aliases {
            let prefix = format!("{PREDICATES}.{alias}.");
            let sub = originals_with_prefix(config, &prefix);
            let built = build(
                &prefix,
                &sub,
                &mut issues,
                |name| registry::resolve(name, &registry::predicate_classes()),
                |name| {
                    registry::resolve(name, &registry::transformation_classes())
                        .map(|_| "Predicate")
                },
                |class, cfg| registry::predicate::<M>(class, cfg),
            );
            if let Some((class, p)) = built {
                let info = Arc::new(PredicateInfo {
                    alias: alias.clone(),
                    class,
                });
                predicates.insert(alias.clone(), (info, Arc::from(p)));
            }
        }
        if let Some(error) = ConfigError::from_issues(issues) {
            return Err(ConnectError::Config(error));
        }

        let mut stages = Vec::with_capacity(transforms.len());
        for (alias, built, predicate, negate) in transforms {
            let Some((class, transformation)) = built else {
                continue; // unreachable: a failed build recorded an issue
            };
            let predicate = predicate.and_then(|p| {
                predicates.get(&p).map(|(info, predicate)| StagePredicate {
                    info: Arc::clone(info),
                    predicate: Arc::clone(predicate),
                    negate,
                })
            });
            stages.push(ChainStage {
                alias: alias.into(),
                class: class.into(),
                transformation,
                predicate,
            });
        }
        Ok(TransformationChain { stages })
    }

    /// Applies the chain to one record (Kafka's `TransformationChain.apply`): each stage runs
    /// when it has no predicate or when `negate XOR predicate.test(record)`; a stage that drops
    /// the record ends the chain with `Ok(None)`.
    ///
    /// The record is consumed; a runtime that reports failed records (dead letter queue, error
    /// log) keeps what it needs of the input beforehand (for sinks Kafka reports the consumed
    /// Kafka record, not the transformed one).
    pub fn apply(&self, record: Record<M>) -> Result<Option<Record<M>>, ChainError> {
        let mut record = record;
        Ok(match self.apply_in_place(&mut record)? {
            Transformed::Keep => Some(record),
            Transformed::Drop => None,
        })
    }

    /// [`apply`](Self::apply) on a record in place: no record moves between stages. After an
    /// `Err` or a [`Transformed::Drop`] the record's content is unspecified.
    pub fn apply_in_place(&self, record: &mut Record<M>) -> Result<Transformed, ChainError> {
        for (index, stage) in self.stages.iter().enumerate() {
            if let Some(p) = &stage.predicate {
                let matched = p.predicate.test(record).map_err(|source| ChainError {
                    stage: Stage::Transformation,
                    index,
                    alias: Arc::clone(&stage.alias),
                    class: Arc::clone(&stage.class),
                    predicate: Some(Arc::clone(&p.info)),
                    source: Box::new(source),
                })?;
                if !(p.negate ^ matched) {
                    continue;
                }
            }
            match stage.transformation.apply(record) {
                Ok(Transformed::Keep) => {}
                Ok(Transformed::Drop) => return Ok(Transformed::Drop),
                Err(source) => {
                    return Err(ChainError {
                        stage: Stage::Transformation,
                        index,
                        alias: Arc::clone(&stage.alias),
                        class: Arc::clone(&stage.class),
                        predicate: None,
                        source: Box::new(source),
                    })
                }
            }
        }
        Ok(Transformed::Keep)
    }
}

impl<M> TransformationChain<M> {
    /// The stages, in order.
    pub fn stages(&self) -> &[ChainStage<M>] {
        &self.stages
    }

    /// The number of stages.
    pub fn len(&self) -> usize {
        self.stages.len()
    }

    /// Whether the chain has no stage (it then returns every record unchanged).
    pub fn is_empty(&self) -> bool {
        self.stages.is_empty()
    }
}

/// The aliases listed under `key` (a LIST, default empty), without duplicates; duplicates are
/// an issue (Kafka's `aliasValidator`).
fn aliases(
    config: &BTreeMap<String, String>,
    key: &str,
    issues: &mut Vec<ConfigIssue>,
) -> Vec<String> {
    let Some(raw) = config.get(key) else {
        return Vec::new();
    };
    let list = match parse_value(key, raw, ConfigType::List) {
        Ok(ParsedValue::List(list)) => list,
        Ok(_) => Vec::new(),
        Err(issue) => {
            issues.push(issue);
            return Vec::new();
        }
    };
    let mut unique: Vec<String> = Vec::with_capacity(list.len());
    for alias in &list {
        if !unique.contains(alias) {
            unique.push(alias.clone());
        }
    }
    if unique.len() < list.len() {
        issues.push(ConfigIssue::invalid_value(
            key,
            ParsedValue::List(list).to_string(),
            "Duplicate alias provided.",
        ));
    }
    unique
}

/// Builds one plugin from `sub` (its keys under `prefix`): checks its `type`, calls `make`,
/// and records every problem as an issue under the connector's key names. Returns the
/// resolved class and the plugin when it was built.
fn build<T>(
    prefix: &str,
    sub: &BTreeMap<String, String>,
    issues: &mut Vec<ConfigIssue>,
    resolve_class: impl Fn(&str) -> Option<&'static str>,
    other_kind: impl Fn(&str) -> Option<&'static str>,
    make: impl FnOnce(&str, &BTreeMap<String, String>) -> Result<T, ConnectError>,
) -> Option<(String, T)> {
    let type_key = format!("{prefix}{TYPE_CONFIG}");
    let Some(raw) = sub.get(TYPE_CONFIG) else {
        issues.push(ConfigIssue::missing(type_key));
        return None;
    };
    let class_name = match parse_value(&type_key, raw, ConfigType::Class) {
        Ok(v) => v.to_string(),
        Err(issue) => {
            issues.push(issue);
            return None;
        }
    };
    let Some(class) = resolve_class(&class_name) else {
        let message = match other_kind(&class_name) {
            Some(kind) => format!("Not a {kind}"),
            None => format!("Class {class_name} could not be found."),
        };
        issues.push(ConfigIssue::invalid_value(type_key, class_name, message));
        return None;
    };
    match make(class, sub) {
        Ok(plugin) => Some((class.to_string(), plugin)),
        Err(ConnectError::Config(error)) => {
            issues.extend(
                error
                    .into_issues()
                    .into_iter()
                    .map(|i| i.under_prefix(prefix, &type_key)),
            );
            None
        }
        Err(other) => {
            issues.push(ConfigIssue::keyed_message(type_key, other.to_string()));
            None
        }
    }
}

#[cfg(test)]
#[path = "chain_tests.rs"]
mod tests;
