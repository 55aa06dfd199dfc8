//! Why a request to a herder (create, pause, restart… a connector) failed, with the HTTP
//! status Kafka's REST API answers it with.

use connect_api::ConnectError;

/// A failed herder request. The message is Kafka's, shown to the user as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HerderError {
    /// The connector, task or plugin does not exist (404).
    #[error("{0}")]
    NotFound(String),
    /// A connector of that name exists already (409).
    #[error("{0}")]
    AlreadyExists(String),
    /// The request cannot be served as it is: an invalid config, a name that does not
    /// match, a connector in the wrong state (400).
    #[error("{0}")]
    BadRequest(String),
    /// The worker's configuration does not allow it (403).
    #[error("{0}")]
    Forbidden(String),
    /// The cluster cannot serve it now: a rebalance is under way, or this worker is not the
    /// leader a forwarded request expected (409).
    #[error("{0}")]
    Conflict(String),
    /// Anything else (500).
    #[error("{0}")]
    Internal(String),
}

impl HerderError {
    /// The HTTP status of this error.
    pub fn http_status(&self) -> u16 {
        match self {
            HerderError::NotFound(_) => 404,
            HerderError::AlreadyExists(_) => 409,
            HerderError::BadRequest(_) => 400,
            HerderError::Forbidden(_) => 403,
            HerderError::Conflict(_) => 409,
            HerderError::Internal(_) => 500,
        }
    }
}

impl From<ConnectError> for HerderError {
    /// A config error is the user's (400); anything else is the worker's (500).
    fn from(e: ConnectError) -> Self {
        if e.is_config() {
            HerderError::BadRequest(e.to_string())
        } else {
            HerderError::Internal(e.to_string())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(HerderError::NotFound("x".into()).http_status(), 404);
        assert_eq!(HerderError::AlreadyExists("x".into()).http_status(), 409);
        assert_eq!(
            HerderError::from(ConnectError::config("tasks.max", "0", "too small")).http_status(),
            400
        );
        assert_eq!(
            HerderError::from(ConnectError::other("broker down")).http_status(),
            500
        );
    }
}
