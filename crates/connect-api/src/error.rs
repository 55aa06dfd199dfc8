//! `ConnectError`: every variant says what the runtime should do with the failure.

use std::fmt;

/// A boxed error used as the `source` of a [`ConnectError`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Result type of the Connect API.
pub type Result<T, E = ConnectError> = std::result::Result<T, E>;

/// An error raised by a plugin or by the data layer.
///
/// The variant tells the runtime what to do:
/// - [`ConnectError::Retriable`]: retry the same operation with backoff
///   (`errors.retry.timeout`).
/// - [`ConnectError::Data`]: the record cannot be handled; `errors.tolerance` and the dead
///   letter queue apply (Java's `DataException` and its subclasses).
/// - [`ConnectError::Config`]: the configuration is invalid; REST answers 400, nothing starts
///   (Java's `ConfigException`).
/// - [`ConnectError::Other`]: the task or connector fails (state `FAILED`).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// Transient failure: the runtime retries the same call with backoff.
    #[error("{message}")]
    Retriable {
        /// What failed.
        message: String,
        /// The underlying error, if any.
        #[source]
        source: Option<BoxError>,
    },
    /// The record's data cannot be converted or transformed: tolerate / dead-letter / fail.
    #[error("{message}")]
    Data {
        /// What is wrong with the data; names the field and the value where possible.
        message: String,
        /// Which Java exception Kafka raises here, when it is not `DataException` itself
        /// (e.g. `SchemaBuilderException`), for diagnostics and reference comparisons.
        kind: DataErrorKind,
        /// The underlying error, if any.
        #[source]
        source: Option<BoxError>,
    },
    /// Invalid configuration: reject it (REST 400) and start nothing.
    #[error("{0}")]
    Config(ConfigError),
    /// Anything else: the task or connector fails.
    #[error("{message}")]
    Other {
        /// What failed.
        message: String,
        /// The underlying error, if any.
        #[source]
        source: Option<BoxError>,
    },
}

/// Finer classification of [`ConnectError::Data`], mirroring the Java exception Kafka raises.
/// It never changes what the runtime does (all are data errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum DataErrorKind {
    /// `org.apache.kafka.connect.errors.DataException`.
    #[default]
    Data,
    /// `org.apache.kafka.connect.errors.SchemaBuilderException` (a schema could not be built).
    SchemaBuilder,
    /// `org.apache.kafka.connect.errors.SchemaProjectorException`.
    SchemaProjector,
}

impl DataErrorKind {
    /// The Java exception class this kind stands for.
    pub fn java_class(self) -> &'static str {
        match self {
            DataErrorKind::Data => "org.apache.kafka.connect.errors.DataException",
            DataErrorKind::SchemaBuilder => {
                "org.apache.kafka.connect.errors.SchemaBuilderException"
            }
            DataErrorKind::SchemaProjector => {
                "org.apache.kafka.connect.errors.SchemaProjectorException"
            }
        }
    }
}

/// One problem with a configuration: which key (if any), which value (already redacted for
/// PASSWORD keys), and why. Its `Display` is the message Java's `ConfigException` carries, e.g.
/// `Invalid value abc for configuration x: Not a number of type INT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigIssue {
    name: Option<String>,
    value: Option<String>,
    message: String,
    form: IssueForm,
}

/// How a [`ConfigIssue`] renders.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IssueForm {
    /// `Invalid value {value|null} for configuration {name}: {message}`.
    InvalidValue,
    /// `Invalid configuration {name}: {message}`.
    InvalidKey,
    /// `Missing required configuration "{name}" which has no default value.`
    Missing,
    /// `{message}` alone (the key, if any, is only metadata).
    Plain,
}

impl ConfigIssue {
    /// An invalid value of a key (Java `new ConfigException(name, value, message)`). `value` is
    /// shown as given: pass `[hidden]` (see [`crate::config::Password`]) for secrets.
    pub fn invalid_value(
        name: impl Into<String>,
        value: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ConfigIssue {
            name: Some(name.into()),
            value: Some(value.into()),
            message: message.into(),
            form: IssueForm::InvalidValue,
        }
    }

    /// A null value of a key was rejected: renders as `Invalid value null for configuration …`.
    pub fn invalid_null(name: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigIssue {
            name: Some(name.into()),
            value: None,
            message: message.into(),
            form: IssueForm::InvalidValue,
        }
    }

    /// A problem with a key, not tied to a value: `Invalid configuration {name}: {message}`.
    pub fn invalid_key(name: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigIssue {
            name: Some(name.into()),
            value: None,
            message: message.into(),
            form: IssueForm::InvalidKey,
        }
    }

    /// A required key is absent: `Missing required configuration "x" which has no default value.`
    pub fn missing(name: impl Into<String>) -> Self {
        let name = name.into();
        ConfigIssue {
            message: format!(
                "Missing required configuration \"{name}\" which has no default value."
            ),
            name: Some(name),
            value: None,
            form: IssueForm::Missing,
        }
    }

    /// A free-form message about a key: renders as `message` alone, the key is metadata.
    pub fn keyed_message(name: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigIssue {
            name: Some(name.into()),
            value: None,
            message: message.into(),
            form: IssueForm::Plain,
        }
    }

    /// A free-form message that concerns no single key (Java `new ConfigException(message)`).
    pub fn message(message: impl Into<String>) -> Self {
        ConfigIssue {
            name: None,
            value: None,
            message: message.into(),
            form: IssueForm::Plain,
        }
    }

    /// The config key concerned, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The offending value as shown in the message (already redacted for PASSWORD keys);
    /// `None` when no value is shown or the value was null.
    pub fn value(&self) -> Option<&str> {
        self.value.as_deref()
    }

    /// The reason alone, without the `Invalid value … for configuration …:` prefix.
    pub fn reason(&self) -> &str {
        &self.message
    }

    /// The same issue about a plugin's key as the enclosing config names it (Java's
    /// `originalsWithPrefix` in reverse): `regex` under `transforms.route.` becomes
    /// `transforms.route.regex`, keeping the form of the message. An issue that names no key
    /// is attached to `fallback_key` (typically the plugin's class key).
    pub fn under_prefix(self, prefix: &str, fallback_key: &str) -> ConfigIssue {
        let name = match self.name {
            Some(name) => format!("{prefix}{name}"),
            None => fallback_key.to_string(),
        };
        if self.form == IssueForm::Missing {
            return ConfigIssue::missing(name);
        }
        ConfigIssue {
            name: Some(name),
            ..self
        }
    }
}

impl fmt::Display for ConfigIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.form, &self.name) {
            (IssueForm::InvalidValue, Some(name)) => write!(
                f,
                "Invalid value {} for configuration {name}: {}",
                self.value.as_deref().unwrap_or("null"),
                self.message
            ),
            (IssueForm::InvalidKey, Some(name)) => {
                write!(f, "Invalid configuration {name}: {}", self.message)
            }
            _ => f.write_str(&self.message),
        }
    }
}

/// An invalid configuration: one or more [`ConfigIssue`]s, never zero. Parsing a config with
/// [`crate::config::ConfigDef::parse`] reports every issue at once; `Display` prints one issue
/// per line (a single issue prints exactly as Java's `ConfigException` message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    first: ConfigIssue,
    rest: Vec<ConfigIssue>,
}

impl ConfigError {
    /// An error made of one issue.
    pub fn new(issue: ConfigIssue) -> Self {
        ConfigError {
            first: issue,
            rest: Vec::new(),
        }
    }

    /// An error made of all `issues`, in order; `None` if there are none.
    pub fn from_issues(issues: impl IntoIterator<Item = ConfigIssue>) -> Option<Self> {
        let mut iter = issues.into_iter();
        let first = iter.next()?;
        Some(ConfigError {
            first,
            rest: iter.collect(),
        })
    }

    /// Adds one more issue at the end.
    pub fn push(&mut self, issue: ConfigIssue) {
        self.rest.push(issue);
    }

    /// All issues, in the order they were found.
    pub fn issues(&self) -> impl Iterator<Item = &ConfigIssue> + '_ {
        std::iter::once(&self.first).chain(self.rest.iter())
    }

    /// All issues, by value.
    pub fn into_issues(self) -> Vec<ConfigIssue> {
        let mut all = Vec::with_capacity(1 + self.rest.len());
        all.push(self.first);
        all.extend(self.rest);
        all
    }

    /// How many issues there are (at least one).
    pub fn issue_count(&self) -> usize {
        1 + self.rest.len()
    }

    /// The first issue found.
    pub fn first(&self) -> &ConfigIssue {
        &self.first
    }

    /// The key of the first issue, if any.
    pub fn name(&self) -> Option<&str> {
        self.first.name()
    }

    /// The (redacted) value of the first issue, if any.
    pub fn value(&self) -> Option<&str> {
        self.first.value()
    }

    /// The reason of the first issue.
    pub fn message(&self) -> &str {
        self.first.reason()
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.first)?;
        for issue in &self.rest {
            write!(f, "\n{issue}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

impl From<ConfigIssue> for ConfigError {
    fn from(issue: ConfigIssue) -> Self {
        ConfigError::new(issue)
    }
}

impl From<ConfigError> for ConnectError {
    fn from(error: ConfigError) -> Self {
        ConnectError::Config(error)
    }
}

impl From<ConfigIssue> for ConnectError {
    fn from(issue: ConfigIssue) -> Self {
        ConnectError::Config(ConfigError::new(issue))
    }
}

impl ConnectError {
    /// A data error (Java `DataException`).
    pub fn data(message: impl Into<String>) -> Self {
        ConnectError::Data {
            message: message.into(),
            kind: DataErrorKind::Data,
            source: None,
        }
    }

    /// A data error with an underlying cause.
    pub fn data_with(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        ConnectError::Data {
            message: message.into(),
            kind: DataErrorKind::Data,
            source: Some(source.into()),
        }
    }

    /// A data error raised while building a schema (Java `SchemaBuilderException`).
    pub fn schema_builder(message: impl Into<String>) -> Self {
        ConnectError::Data {
            message: message.into(),
            kind: DataErrorKind::SchemaBuilder,
            source: None,
        }
    }

    /// A configuration error about one key and its value.
    pub fn config(
        name: impl Into<String>,
        value: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ConnectError::Config(ConfigError::new(ConfigIssue::invalid_value(
            name, value, message,
        )))
    }

    /// A configuration error that concerns no single key.
    pub fn config_message(message: impl Into<String>) -> Self {
        ConnectError::Config(ConfigError::new(ConfigIssue::message(message)))
    }

    /// A retriable error.
    pub fn retriable(message: impl Into<String>) -> Self {
        ConnectError::Retriable {
            message: message.into(),
            source: None,
        }
    }

    /// A fatal error for the task or connector.
    pub fn other(message: impl Into<String>) -> Self {
        ConnectError::Other {
            message: message.into(),
            source: None,
        }
    }

    /// Whether errors.tolerance / the dead letter queue may handle this error.
    pub fn is_data(&self) -> bool {
        matches!(self, ConnectError::Data { .. })
    }

    /// Whether the runtime should retry the operation.
    pub fn is_retriable(&self) -> bool {
        matches!(self, ConnectError::Retriable { .. })
    }

    /// Whether this is a configuration error (REST 400).
    pub fn is_config(&self) -> bool {
        matches!(self, ConnectError::Config(_))
    }
}

#[cfg(test)]
mod config_error_tests {
    use super::*;

    #[test]
    fn config_constructors_keep_their_java_messages() {
        let e = ConnectError::config("x", "abc", "Not a number of type INT");
        assert!(e.is_config());
        assert_eq!(
            e.to_string(),
            "Invalid value abc for configuration x: Not a number of type INT"
        );
        let ConnectError::Config(c) = &e else {
            panic!("{e:?}")
        };
        assert_eq!(c.name(), Some("x"));
        assert_eq!(c.value(), Some("abc"));
        assert_eq!(c.message(), "Not a number of type INT");
        assert_eq!(c.issue_count(), 1);

        let e = ConnectError::config_message("Must specify at least one field to cast.");
        assert!(e.is_config());
        assert_eq!(e.to_string(), "Must specify at least one field to cast.");
    }

    #[test]
    fn issue_forms() {
        assert_eq!(
            ConfigIssue::invalid_null("x", "Value must be non-null").to_string(),
            "Invalid value null for configuration x: Value must be non-null"
        );
        assert_eq!(
            ConfigIssue::invalid_key("x", "bad").to_string(),
            "Invalid configuration x: bad"
        );
        let missing = ConfigIssue::missing("topic");
        assert_eq!(
            missing.to_string(),
            "Missing required configuration \"topic\" which has no default value."
        );
        assert_eq!(missing.name(), Some("topic"));
        assert_eq!(missing.value(), None);
        let keyed = ConfigIssue::keyed_message("k", "free text");
        assert_eq!(keyed.to_string(), "free text");
        assert_eq!(keyed.name(), Some("k"));
        assert_eq!(keyed.reason(), "free text");
        assert_eq!(ConfigIssue::message("m").name(), None);
    }

    #[test]
    fn under_prefix_renames_the_key_and_keeps_the_form() {
        let p = "transforms.route.";
        let fallback = "transforms.route.type";
        assert_eq!(
            ConfigIssue::invalid_value("regex", "(", "bad pattern")
                .under_prefix(p, fallback)
                .to_string(),
            "Invalid value ( for configuration transforms.route.regex: bad pattern"
        );
        assert_eq!(
            ConfigIssue::invalid_null("regex", "must be set")
                .under_prefix(p, fallback)
                .to_string(),
            "Invalid value null for configuration transforms.route.regex: must be set"
        );
        assert_eq!(
            ConfigIssue::invalid_key("regex", "bad")
                .under_prefix(p, fallback)
                .to_string(),
            "Invalid configuration transforms.route.regex: bad"
        );
        let missing = ConfigIssue::missing("regex").under_prefix(p, fallback);
        assert_eq!(missing.name(), Some("transforms.route.regex"));
        assert_eq!(
            missing.to_string(),
            "Missing required configuration \"transforms.route.regex\" which has no default value."
        );
        let keyless = ConfigIssue::message("broken").under_prefix(p, fallback);
        assert_eq!(keyless.name(), Some(fallback));
        assert_eq!(keyless.to_string(), "broken");
    }

    #[test]
    fn config_error_carries_all_issues() {
        assert!(ConfigError::from_issues(Vec::new()).is_none());
        let mut e = ConfigError::from_issues([
            ConfigIssue::missing("a"),
            ConfigIssue::invalid_value("b", "[hidden]", "String must be non-empty"),
        ])
        .unwrap();
        e.push(ConfigIssue::message("third"));
        assert_eq!(e.issue_count(), 3);
        assert_eq!(
            e.to_string(),
            "Missing required configuration \"a\" which has no default value.\n\
             Invalid value [hidden] for configuration b: String must be non-empty\n\
             third"
        );
        assert_eq!(e.first(), &ConfigIssue::missing("a"));
        assert_eq!(e.name(), Some("a"));
        let all = e.clone().into_issues();
        assert_eq!(all.len(), 3);
        assert_eq!(e.issues().cloned().collect::<Vec<_>>(), all);
        let connect: ConnectError = e.into();
        assert!(connect.is_config());
        let from_issue: ConnectError = ConfigIssue::message("m").into();
        assert_eq!(from_issue.to_string(), "m");
        let from_issue: ConfigError = ConfigIssue::message("m").into();
        assert_eq!(from_issue.issue_count(), 1);
    }
}
