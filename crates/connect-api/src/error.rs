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

/// An invalid configuration value: which key, which value (redacted for passwords), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The config key, when the error concerns one key.
    pub name: Option<String>,
    /// The offending value as the user wrote it, already redacted for PASSWORD keys.
    pub value: Option<String>,
    /// Why the value is invalid.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.name, &self.value) {
            (Some(name), Some(value)) => write!(
                f,
                "Invalid value {value} for configuration {name}: {}",
                self.message
            ),
            (Some(name), None) => write!(f, "Invalid configuration {name}: {}", self.message),
            _ => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

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
        ConnectError::Config(ConfigError {
            name: Some(name.into()),
            value: Some(value.into()),
            message: message.into(),
        })
    }

    /// A configuration error that concerns no single key.
    pub fn config_message(message: impl Into<String>) -> Self {
        ConnectError::Config(ConfigError {
            name: None,
            value: None,
            message: message.into(),
        })
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
