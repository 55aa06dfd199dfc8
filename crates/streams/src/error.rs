//! Errors of the Streams library, saying what the application should do with them.

/// Why a topology could not be built, started or run.
#[derive(Debug, thiserror::Error)]
pub enum StreamsError {
    /// A config key has a value Streams cannot use: the application does not start.
    #[error("Invalid value {value} for configuration {key}: {message}")]
    Config {
        /// The key, as the user wrote it.
        key: String,
        /// The value (`[hidden]` for secrets).
        value: String,
        /// Why.
        message: String,
    },
    /// The topology is not valid (a name used twice, an unknown parent or store, a serde that
    /// does not fit): it cannot be built; fix the code that builds it.
    #[error("Invalid topology: {0}")]
    Topology(String),
    /// A key or value could not be (de)serialized. Deserializing an input record is subject to
    /// `deserialization.exception.handler`; the other cases fail the stream thread.
    #[error("{0}")]
    Serde(#[from] SerdeError),
    /// A processor failed on a record; `processing.exception.handler` decides whether the
    /// record is skipped or the thread fails.
    #[error("Exception caught in process. taskId={task}, processor={processor}: {message}")]
    Processing {
        /// The task, `<sub-topology>_<partition>`.
        task: String,
        /// The processor node's name.
        processor: String,
        /// What went wrong.
        message: String,
    },
    /// A state store could not be opened, read or written: the task fails.
    #[error("state store {store}: {message}")]
    Store {
        /// The store's name.
        store: String,
        /// What went wrong.
        message: String,
    },
    /// The broker or the client failed; `retriable` says whether trying again may help
    /// (Streams retries those until `task.timeout.ms`).
    #[error("{message}")]
    Kafka {
        /// What failed.
        message: String,
        /// Worth retrying.
        retriable: bool,
    },
    /// Another instance took over this application's transactional id: the thread must drop
    /// its tasks and rejoin (Kafka's `TaskMigratedException`).
    #[error("producer fenced: {0}")]
    Fenced(String),
}

impl StreamsError {
    /// An invalid config value.
    pub fn config(key: &str, value: &str, message: impl Into<String>) -> Self {
        StreamsError::Config {
            key: key.to_string(),
            value: value.to_string(),
            message: message.into(),
        }
    }

    /// An invalid topology.
    pub fn topology(message: impl Into<String>) -> Self {
        StreamsError::Topology(message.into())
    }

    /// A failing state store.
    pub fn store(store: &str, message: impl Into<String>) -> Self {
        StreamsError::Store {
            store: store.to_string(),
            message: message.into(),
        }
    }

    /// A failed Kafka operation.
    pub fn kafka(message: impl Into<String>, retriable: bool) -> Self {
        StreamsError::Kafka {
            message: message.into(),
            retriable,
        }
    }
}

/// A key or value that a serde cannot handle: data, not code, is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SerdeError(pub String);

impl SerdeError {
    /// An error with Kafka's message text.
    pub fn new(message: impl Into<String>) -> Self {
        SerdeError(message.into())
    }
}

/// Results of this crate.
pub type Result<T, E = StreamsError> = std::result::Result<T, E>;
