//! Errors of the Kafka clients, saying what the runtime should do.

use connect_api::ConnectError;

/// A client config that cannot be used: the task (or worker) cannot start; REST reports it as
/// a config error.
#[derive(Debug, thiserror::Error)]
pub enum KafkaConfigError {
    /// A key with a value the client cannot take.
    #[error("Invalid value {value} for configuration {key}: {message}")]
    Invalid {
        /// The key, as the user wrote it.
        key: String,
        /// The value (`[hidden]` for secrets).
        value: String,
        /// Why.
        message: String,
    },
    /// librdkafka refused to create the client.
    #[error("the Kafka client could not be created: {0}")]
    Client(String),
}

impl KafkaConfigError {
    /// An invalid key/value.
    pub fn invalid(key: &str, value: &str, message: &str) -> Self {
        KafkaConfigError::Invalid {
            key: key.to_string(),
            value: value.to_string(),
            message: message.to_string(),
        }
    }
}

impl From<KafkaConfigError> for ConnectError {
    fn from(e: KafkaConfigError) -> Self {
        match e {
            KafkaConfigError::Invalid {
                key,
                value,
                message,
            } => ConnectError::config(key, value, message),
            KafkaConfigError::Client(m) => ConnectError::other(m),
        }
    }
}

/// A Kafka operation failed: retriable errors (broker not available, timeouts) are worth
/// retrying; the others fail the task.
pub fn to_connect(context: &str, e: &rdkafka::error::KafkaError) -> ConnectError {
    use rdkafka::error::RDKafkaErrorCode as C;
    let retriable = match e.rdkafka_error_code() {
        Some(code) => matches!(
            code,
            C::QueueFull
                | C::BrokerTransportFailure
                | C::AllBrokersDown
                | C::MessageTimedOut
                | C::RequestTimedOut
                | C::OperationTimedOut
                | C::LeaderNotAvailable
                | C::NotLeaderForPartition
                | C::NetworkException
                | C::CoordinatorNotAvailable
                | C::NotCoordinator
                | C::CoordinatorLoadInProgress
                | C::UnknownTopicOrPartition
                | C::NotEnoughReplicas
                | C::NotEnoughReplicasAfterAppend
                | C::RebalanceInProgress
        ),
        None => false,
    };
    let message = format!("{context}: {e}");
    if retriable {
        ConnectError::retriable(message)
    } else {
        ConnectError::other(message)
    }
}
