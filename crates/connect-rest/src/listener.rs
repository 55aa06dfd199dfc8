//! `listeners`: the addresses the REST API binds (`http://:8083`, `http://0.0.0.0:8083`,
//! `http://localhost:8083`).

use std::net::SocketAddr;

use tokio::net::TcpListener;

/// A listener that cannot be used: the worker does not start.
#[derive(Debug, thiserror::Error)]
pub enum ListenerError {
    /// Not an `http://host:port` URL.
    #[error("Invalid value {0} for configuration listeners: {1}")]
    Invalid(String, String),
    /// The address could not be bound.
    #[error("Could not bind the REST listener {0}: {1}")]
    Bind(String, std::io::Error),
}

fn parse(listener: &str) -> Result<(String, u16), ListenerError> {
    let invalid = |why: &str| ListenerError::Invalid(listener.to_string(), why.to_string());
    let rest = if let Some(r) = listener.strip_prefix("http://") {
        r
    } else if listener.starts_with("https://") {
        return Err(invalid("HTTPS listeners are not supported yet"));
    } else {
        return Err(invalid("a listener is http://[host]:port"));
    };
    let rest = rest.trim_end_matches('/');
    let (host, port) = rest
        .rsplit_once(':')
        .ok_or_else(|| invalid("the port is missing"))?;
    let port: u16 = port
        .parse()
        .map_err(|_| invalid("the port is not a number"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let host = if host.is_empty() { "0.0.0.0" } else { host };
    Ok((host.to_string(), port))
}

/// Binds every listener; returns them with their local addresses (port 0 picks one).
pub async fn bind_listeners(
    listeners: &[String],
) -> Result<Vec<(TcpListener, SocketAddr)>, ListenerError> {
    let mut out = Vec::new();
    for l in listeners {
        let (host, port) = parse(l.trim())?;
        let listener = TcpListener::bind((host.as_str(), port))
            .await
            .map_err(|e| ListenerError::Bind(l.clone(), e))?;
        let addr = listener
            .local_addr()
            .map_err(|e| ListenerError::Bind(l.clone(), e))?;
        out.push((listener, addr));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn listener_urls() {
        assert_eq!(parse("http://:8083").unwrap(), ("0.0.0.0".into(), 8083));
        assert_eq!(
            parse("http://localhost:18083/").unwrap(),
            ("localhost".into(), 18083)
        );
        assert_eq!(parse("http://[::1]:8083").unwrap(), ("::1".into(), 8083));
        assert!(parse("https://:8443")
            .unwrap_err()
            .to_string()
            .contains("HTTPS"));
        assert!(parse("localhost:8083").is_err());
        assert!(parse("http://host:port")
            .unwrap_err()
            .to_string()
            .contains("http://host:port"));
    }
}
