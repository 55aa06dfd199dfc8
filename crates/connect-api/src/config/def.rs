//! [`ConfigDef`]: a plugin's set of config keys; validates and parses string configs.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::config::parse::coerce_default;
use crate::config::{
    parse_value, ConfigDefault, ConfigKey, ConfigValue, ParsedConfig, ParsedValue, Recommender,
    Validator,
};
use crate::error::{ConfigError, ConfigIssue, ConnectError};

/// The definition of a config: its keys in declaration order (Java
/// `org.apache.kafka.common.config.ConfigDef`).
///
/// ```
/// use std::collections::BTreeMap;
/// use connect_api::config::{ConfigDef, ConfigKey, ConfigType, Importance, Range};
///
/// let def = ConfigDef::new()
///     .define(ConfigKey::new("topic", ConfigType::String).importance(Importance::High))
///     .define(
///         ConfigKey::new("batch.size", ConfigType::Int)
///             .default_value(2000)
///             .validator(Range::at_least(1)),
///     );
/// let raw = BTreeMap::from([("batch.size".to_string(), "abc".to_string())]);
/// let err = def.parse(&raw).unwrap_err().to_string();
/// assert_eq!(
///     err,
///     "Missing required configuration \"topic\" which has no default value.\n\
///      Invalid value abc for configuration batch.size: Not a number of type INT"
/// );
/// ```
///
/// Defining never panics: a key defined twice (the second definition is ignored) or a default
/// that does not fit its key is recorded in [`definition_errors`](Self::definition_errors) and
/// reported by [`parse`](Self::parse) and [`validate`](Self::validate); use
/// [`try_define`](Self::try_define) to fail at once instead.
#[derive(Clone, Default)]
pub struct ConfigDef {
    keys: Vec<ConfigKey>,
    index: BTreeMap<String, usize>,
    /// Keys defined twice (Java throws `Configuration x is defined twice.`).
    duplicates: Vec<ConfigIssue>,
    /// Every definition problem, in the order found.
    problems: Vec<ConfigIssue>,
}

impl ConfigDef {
    /// An empty definition.
    pub fn new() -> Self {
        ConfigDef::default()
    }

    /// Adds a key after the ones already defined (Java `define`). Its default is converted to
    /// the key's type and checked by its validator, as Java does; problems are recorded in
    /// [`definition_errors`](Self::definition_errors).
    pub fn define(mut self, mut key: ConfigKey) -> Self {
        if self.index.contains_key(&key.name) {
            let issue = ConfigIssue::keyed_message(
                key.name.clone(),
                format!("Configuration {} is defined twice.", key.name),
            );
            self.duplicates.push(issue.clone());
            self.problems.push(issue);
            return self;
        }
        if let ConfigDefault::Value(value) = &key.default {
            match coerce_default(&key.name, value.clone(), key.ty) {
                Ok(v) => key.default = ConfigDefault::Value(v),
                Err(issue) => {
                    key.default = ConfigDefault::Required;
                    key.broken_default = Some(issue.clone());
                    self.problems.push(issue);
                }
            }
        }
        if let Some(validator) = &key.validator {
            let default = match &key.default {
                ConfigDefault::Required => None,
                ConfigDefault::Null => Some(None),
                ConfigDefault::Value(v) => Some(Some(v)),
            };
            if let Some(default) = default {
                if let Err(issue) = validator.ensure_valid(&key.name, default) {
                    self.problems.push(issue);
                }
            }
        }
        self.index.insert(key.name.clone(), self.keys.len());
        self.keys.push(key);
        self
    }

    /// Like [`define`](Self::define), but fails with the definition problem instead of
    /// recording it.
    pub fn try_define(self, key: ConfigKey) -> Result<Self, ConnectError> {
        let before = self.problems.len();
        let def = self.define(key);
        match ConfigError::from_issues(def.problems[before..].iter().cloned()) {
            Some(error) => Err(error.into()),
            None => Ok(def),
        }
    }

    /// Problems found while defining keys: keys defined twice, defaults that do not fit their
    /// type or fail their validator. A plugin's tests should assert this is empty.
    pub fn definition_errors(&self) -> &[ConfigIssue] {
        &self.problems
    }

    /// The keys, in declaration order.
    pub fn keys(&self) -> &[ConfigKey] {
        &self.keys
    }

    /// The key called `name`.
    pub fn key(&self, name: &str) -> Option<&ConfigKey> {
        self.index.get(name).and_then(|&i| self.keys.get(i))
    }

    /// Whether a key called `name` is defined.
    pub fn contains(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The key names, in declaration order.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.keys.iter().map(|k| k.name.as_str())
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no key is defined.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The groups, in order of first appearance (Java `groups()`; ConfigInfos' `groups`).
    pub fn groups(&self) -> Vec<&str> {
        let mut groups: Vec<&str> = Vec::new();
        for group in self.keys.iter().filter_map(|k| k.group.as_deref()) {
            if !groups.contains(&group) {
                groups.push(group);
            }
        }
        groups
    }

    /// Dependents named by some key but not defined, in order of first mention.
    pub fn undefined_dependents(&self) -> Vec<&str> {
        let mut undefined: Vec<&str> = Vec::new();
        for dep in self.keys.iter().flat_map(|k| k.dependents.iter()) {
            if !self.contains(dep) && !undefined.contains(&dep.as_str()) {
                undefined.push(dep);
            }
        }
        undefined
    }

    /// The keys in Java's documentation order (`sortedConfigs`): by group (keys without a group
    /// first, then groups in order of appearance), order in group, required before optional,
    /// importance (high first), then name.
    pub fn sorted_keys(&self) -> Vec<&ConfigKey> {
        let groups = self.groups();
        let group_ord = |k: &ConfigKey| {
            k.group
                .as_deref()
                .map(|g| groups.iter().position(|x| *x == g).unwrap_or(usize::MAX))
        };
        let mut keys: Vec<&ConfigKey> = self.keys.iter().collect();
        keys.sort_by(|a, b| {
            group_ord(a)
                .cmp(&group_ord(b))
                .then(a.order_in_group.cmp(&b.order_in_group))
                .then(b.is_required().cmp(&a.is_required()))
                .then(a.importance.cmp(&b.importance))
                .then(a.name.cmp(&b.name))
        });
        keys
    }

    /// Adds every key of `child` under `key_prefix` (Java `embed`, used for the keys of
    /// transforms and predicates in a connector config): in `child`'s
    /// [`sorted_keys`](Self::sorted_keys) order, named `key_prefix + name`, in group
    /// `group_prefix` (or `group_prefix: group`), ordered from `starting_order` on, with
    /// prefixed dependents. Their validators and recommenders see the unprefixed names, so
    /// messages name the child's key as Java's do.
    pub fn embed(
        mut self,
        key_prefix: &str,
        group_prefix: &str,
        starting_order: i32,
        child: &ConfigDef,
    ) -> Self {
        let mut order = starting_order;
        for key in child.sorted_keys() {
            let mut embedded = key.clone();
            embedded.name = format!("{key_prefix}{}", key.name);
            embedded.group = Some(match &key.group {
                Some(g) => format!("{group_prefix}: {g}"),
                None => group_prefix.to_string(),
            });
            embedded.order_in_group = order;
            order = order.saturating_add(1);
            embedded.dependents = key
                .dependents
                .iter()
                .map(|d| format!("{key_prefix}{d}"))
                .collect();
            embedded.validator = key.validator.clone().map(|inner| {
                Arc::new(EmbeddedValidator {
                    prefix: key_prefix.to_string(),
                    inner,
                }) as Arc<dyn Validator>
            });
            embedded.recommender = key.recommender.clone().map(|inner| {
                Arc::new(EmbeddedRecommender {
                    prefix: key_prefix.to_string(),
                    inner,
                }) as Arc<dyn Recommender>
            });
            self = self.define(embedded);
        }
        self
    }

    /// The value of `key` in `raw`, or its default: `Ok(Some(None))` for null, `Ok(None)` when
    /// parsing or the default failed (the issue is in `Err` when it should be reported).
    fn value_of(
        key: &ConfigKey,
        raw: &BTreeMap<String, String>,
    ) -> Result<Option<ParsedValue>, ConfigIssue> {
        match raw.get(&key.name) {
            Some(text) => parse_value(&key.name, text, key.ty).map(Some),
            None => match &key.default {
                ConfigDefault::Required => Err(key
                    .broken_default
                    .clone()
                    .unwrap_or_else(|| ConfigIssue::missing(key.name.clone()))),
                ConfigDefault::Null => Ok(None),
                ConfigDefault::Value(v) => Ok(Some(v.clone())),
            },
        }
    }

    /// Java `ConfigDef.validate(props)`: what the REST validate endpoint renders. Returns one
    /// [`ConfigValue`] per defined key in declaration order, then one per
    /// [undefined dependent](Self::undefined_dependents) (error
    /// `x is referred in the dependents, but not defined.`, not visible). Keys of `raw` that
    /// are not defined are ignored.
    ///
    /// Each value holds every error of its key, as Java collects them: a parse error or a
    /// missing required key, then the validator's verdict on the resulting value, which is
    /// null in those cases (so an `INT` key with a [`crate::config::Range`] set to `abc` gets
    /// both `… Not a number of type INT` and `Invalid value null … Value must be non-null`,
    /// exactly like Kafka). Recommenders run last, with every parsed value at hand.
    /// PASSWORD values print as `[hidden]`.
    pub fn validate(&self, raw: &BTreeMap<String, String>) -> Vec<ConfigValue> {
        let mut values: Vec<ConfigValue> = Vec::with_capacity(self.keys.len());
        let mut parsed = BTreeMap::new();
        for key in &self.keys {
            let mut out = ConfigValue::new(key.name.clone());
            let value = match Self::value_of(key, raw) {
                Ok(v) => v,
                Err(issue) => {
                    out.error_messages.push(issue.to_string());
                    None
                }
            };
            if let Some(validator) = &key.validator {
                if let Err(issue) = validator.ensure_valid(&key.name, value.as_ref()) {
                    out.error_messages.push(issue.to_string());
                }
            }
            for dup in self
                .duplicates
                .iter()
                .filter(|d| d.name() == Some(&key.name))
            {
                out.error_messages.push(dup.to_string());
            }
            out.value = value.clone();
            parsed.insert(key.name.clone(), (key.ty, value));
            values.push(out);
        }
        let parsed = ParsedConfig::new(parsed, raw.clone());
        for (key, out) in self.keys.iter().zip(values.iter_mut()) {
            let Some(recommender) = &key.recommender else {
                continue;
            };
            let result = recommender
                .valid_values(&key.name, &parsed)
                .and_then(|recommended| {
                    recommender
                        .visible(&key.name, &parsed)
                        .map(|visible| (recommended, visible))
                });
            match result {
                Ok((recommended, visible)) => {
                    out.recommended_values = recommended;
                    out.visible = visible;
                }
                Err(issue) => out.error_messages.push(issue.to_string()),
            }
        }
        for undefined in self.undefined_dependents() {
            let mut out = ConfigValue::new(undefined.to_string());
            out.error_messages.push(format!(
                "{undefined} is referred in the dependents, but not defined."
            ));
            out.visible = false;
            values.push(out);
        }
        values
    }

    /// Java `ConfigDef.parse(props)`, reporting **every** problem at once: each key's value is
    /// parsed (or its default taken) and checked by its validator; a key contributes at most
    /// one issue (missing, unparsable, or rejected by the validator). Undefined dependents and
    /// keys defined twice are reported too. Keys of `raw` that are not defined are kept in
    /// [`ParsedConfig::originals`] only.
    ///
    /// The error is a [`ConnectError::Config`] whose [`ConfigError`] lists the issues in
    /// declaration order; its `Display` prints one per line.
    pub fn parse(&self, raw: &BTreeMap<String, String>) -> Result<ParsedConfig, ConnectError> {
        let mut issues: Vec<ConfigIssue> = self.duplicates.clone();
        let undefined = self.undefined_dependents();
        if !undefined.is_empty() {
            issues.push(ConfigIssue::message(format!(
                "Some configurations in are referred in the dependents, but not defined: {}",
                undefined.join(",")
            )));
        }
        let mut parsed = BTreeMap::new();
        for key in &self.keys {
            let value = match Self::value_of(key, raw) {
                Ok(v) => v,
                Err(issue) => {
                    issues.push(issue);
                    continue;
                }
            };
            if let Some(validator) = &key.validator {
                if let Err(issue) = validator.ensure_valid(&key.name, value.as_ref()) {
                    issues.push(issue);
                    continue;
                }
            }
            parsed.insert(key.name.clone(), (key.ty, value));
        }
        match ConfigError::from_issues(issues) {
            Some(error) => Err(ConnectError::Config(error)),
            None => Ok(ParsedConfig::new(parsed, raw.clone())),
        }
    }

    /// Keys of `raw` that this definition does not define, in `raw`'s order.
    pub fn undefined_keys<'a>(&self, raw: &'a BTreeMap<String, String>) -> Vec<&'a str> {
        raw.keys()
            .map(String::as_str)
            .filter(|k| !self.contains(k))
            .collect()
    }
}

impl fmt::Debug for ConfigDef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigDef")
            .field("keys", &self.keys)
            .field("definition_errors", &self.problems)
            .finish()
    }
}

/// A child's validator inside [`ConfigDef::embed`]: sees the unprefixed key name.
struct EmbeddedValidator {
    prefix: String,
    inner: Arc<dyn Validator>,
}

impl Validator for EmbeddedValidator {
    fn ensure_valid(&self, name: &str, value: Option<&ParsedValue>) -> Result<(), ConfigIssue> {
        let name = name.strip_prefix(self.prefix.as_str()).unwrap_or(name);
        self.inner.ensure_valid(name, value)
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

/// A child's recommender inside [`ConfigDef::embed`]: sees unprefixed names and only the
/// child's (prefixed) values, unprefixed.
struct EmbeddedRecommender {
    prefix: String,
    inner: Arc<dyn Recommender>,
}

impl Recommender for EmbeddedRecommender {
    fn valid_values(
        &self,
        name: &str,
        parsed: &ParsedConfig,
    ) -> Result<Vec<ParsedValue>, ConfigIssue> {
        let name = name.strip_prefix(self.prefix.as_str()).unwrap_or(name);
        self.inner
            .valid_values(name, &parsed.with_prefix_stripped(&self.prefix))
    }

    fn visible(&self, name: &str, parsed: &ParsedConfig) -> Result<bool, ConfigIssue> {
        let name = name.strip_prefix(self.prefix.as_str()).unwrap_or(name);
        self.inner
            .visible(name, &parsed.with_prefix_stripped(&self.prefix))
    }
}

#[cfg(test)]
#[path = "def_tests.rs"]
mod tests;
