//! One connection to a Kafka broker speaking the protocol directly, on the kafka-protocol
//! crate's codecs: for the requests librdkafka has no API for (a Connect worker's group
//! membership). Requests go one at a time; each picks the highest version both the broker
//! (from its ApiVersions answer) and the caller support.

use std::collections::HashMap;
use std::time::Duration;

use bytes::{Buf, BufMut, Bytes, BytesMut};
use kafka_protocol::messages::{ApiVersionsRequest, ApiVersionsResponse, RequestHeader};
use kafka_protocol::protocol::{Decodable, Encodable, HeaderVersion, Request, StrBytes};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The largest response accepted (a bad length prefix must not allocate gigabytes).
const MAX_RESPONSE: usize = 64 * 1024 * 1024;

/// Why a request got no answer. All of these are worth retrying on a new connection, except
/// [`WireError::Unsupported`] (the broker lacks an API the worker needs: fail the worker).
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// The connection failed or closed.
    #[error("connection to {addr} failed: {message}")]
    Io {
        /// The broker.
        addr: String,
        /// What happened.
        message: String,
    },
    /// No answer within the timeout.
    #[error("no answer from {addr} within {timeout:?}")]
    Timeout {
        /// The broker.
        addr: String,
        /// The timeout.
        timeout: Duration,
    },
    /// An answer that cannot be decoded.
    #[error("undecodable answer from {addr}: {message}")]
    Protocol {
        /// The broker.
        addr: String,
        /// What was wrong.
        message: String,
    },
    /// An answer whose body cannot be decoded but whose error code can: a failed request
    /// answered without the rest of its fields (librdkafka's mock cluster answers a failed
    /// SyncGroup with a null assignment, which Kafka's schema does not allow). The
    /// connection stays usable.
    #[error("{api} answered by {addr} with error code {code}")]
    Refused {
        /// The broker.
        addr: String,
        /// The API's name.
        api: &'static str,
        /// The error code.
        code: i16,
    },
    /// The broker supports no version of an API that the caller supports.
    #[error(
        "the broker at {addr} does not support {api} (api key {key}) in versions {min}..={max}"
    )]
    Unsupported {
        /// The broker.
        addr: String,
        /// The API's name.
        api: &'static str,
        /// The API key.
        key: i16,
        /// The lowest version the caller can use.
        min: i16,
        /// The highest version the caller can use.
        max: i16,
    },
}

/// An open connection with the broker's supported versions.
#[derive(Debug)]
pub struct Connection {
    addr: String,
    stream: TcpStream,
    client_id: StrBytes,
    correlation: i32,
    timeout: Duration,
    /// api key → (min, max) version the broker supports.
    versions: HashMap<i16, (i16, i16)>,
    /// A request went out whose answer was not read (its future was dropped, or it timed
    /// out): the next answer on this connection would be that one's.
    interrupted: bool,
}

impl Connection {
    /// Connects to `addr` (`host:port`) and asks for its API versions. `timeout` bounds the
    /// connect and every request after it.
    pub async fn connect(
        addr: &str,
        client_id: &str,
        timeout: Duration,
    ) -> Result<Connection, WireError> {
        let io = |e: std::io::Error| WireError::Io {
            addr: addr.to_string(),
            message: e.to_string(),
        };
        let stream = tokio::time::timeout(timeout, TcpStream::connect(addr))
            .await
            .map_err(|_| WireError::Timeout {
                addr: addr.to_string(),
                timeout,
            })?
            .map_err(io)?;
        stream.set_nodelay(true).map_err(io)?;
        let mut conn = Connection {
            addr: addr.to_string(),
            stream,
            client_id: StrBytes::from_string(client_id.to_string()),
            correlation: 0,
            timeout,
            versions: HashMap::new(),
            interrupted: false,
        };
        // version 0 is understood by every broker; its answer lists the rest
        let answer: ApiVersionsResponse = conn.send(&ApiVersionsRequest::default(), 0).await?;
        if answer.error_code != 0 {
            return Err(conn.protocol(format!(
                "ApiVersions failed with error code {}",
                answer.error_code
            )));
        }
        conn.versions = answer
            .api_keys
            .iter()
            .map(|k| (k.api_key, (k.min_version, k.max_version)))
            .collect();
        Ok(conn)
    }

    /// Whether a request was cut off before its answer was read (its caller's future was
    /// dropped midway, or it timed out): such a connection must be replaced, since its next
    /// answer would be the old request's.
    pub fn is_interrupted(&self) -> bool {
        self.interrupted
    }

    /// The broker's address.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    /// The highest version of `R` in `min..=max` that the broker supports.
    pub fn version<R: Request>(&self, min: i16, max: i16) -> Result<i16, WireError> {
        let (broker_min, broker_max) = self.versions.get(&R::KEY).copied().unwrap_or((0, -1));
        let version = max.min(broker_max);
        if version < min.max(broker_min) {
            return Err(WireError::Unsupported {
                addr: self.addr.clone(),
                api: api_name(R::KEY),
                key: R::KEY,
                min,
                max,
            });
        }
        Ok(version)
    }

    /// Sends `request` at `version` and reads its response within the connection's
    /// timeout. The caller picks the version with [`Connection::version`] and fills the
    /// request's fields for it. After an `Err` other than [`WireError::Refused`] the
    /// connection is not usable.
    pub async fn send<R: Request>(
        &mut self,
        request: &R,
        version: i16,
    ) -> Result<R::Response, WireError> {
        self.send_within(request, version, self.timeout).await
    }

    /// [`Connection::send`] with a timeout of its own (for requests the broker holds, such
    /// as a JoinGroup that waits for the other members).
    pub async fn send_within<R: Request>(
        &mut self,
        request: &R,
        version: i16,
        timeout: Duration,
    ) -> Result<R::Response, WireError> {
        self.correlation = self.correlation.wrapping_add(1);
        let correlation = self.correlation;
        let header = RequestHeader::default()
            .with_request_api_key(R::KEY)
            .with_request_api_version(version)
            .with_correlation_id(correlation)
            .with_client_id(Some(self.client_id.clone()));
        let mut body = BytesMut::new();
        header
            .encode(&mut body, R::header_version(version))
            .and_then(|()| request.encode(&mut body, version))
            .map_err(|e| self.protocol(format!("cannot encode {}: {e}", api_name(R::KEY))))?;
        let mut frame = BytesMut::with_capacity(body.len() + 4);
        frame.put_i32(body.len() as i32);
        frame.put_slice(&body);
        self.interrupted = true;
        let answer = tokio::time::timeout(timeout, self.exchange(&frame))
            .await
            .map_err(|_| WireError::Timeout {
                addr: self.addr.clone(),
                timeout,
            })??;
        self.interrupted = false;
        let mut answer = Bytes::from(answer);
        let header_version = R::Response::header_version(version);
        let got = kafka_protocol::messages::ResponseHeader::decode(&mut answer, header_version)
            .map_err(|e| self.protocol(format!("bad response header: {e}")))?
            .correlation_id;
        if got != correlation {
            return Err(self.protocol(format!(
                "response to request {got} while waiting for {correlation}"
            )));
        }
        let body = answer.clone();
        let response = match R::Response::decode(&mut answer, version) {
            Ok(response) => response,
            Err(e) => {
                return Err(match leading_error_code(R::KEY, version, &body) {
                    Some(code) if code != 0 => WireError::Refused {
                        addr: self.addr.clone(),
                        api: api_name(R::KEY),
                        code,
                    },
                    _ => self.protocol(format!("cannot decode {} response: {e}", api_name(R::KEY))),
                })
            }
        };
        if answer.has_remaining() {
            tracing::debug!(
                "{} response from {} has {} bytes left over",
                api_name(R::KEY),
                self.addr,
                answer.remaining()
            );
        }
        Ok(response)
    }

    async fn exchange(&mut self, frame: &[u8]) -> Result<Vec<u8>, WireError> {
        let addr = self.addr.clone();
        let io = move |e: std::io::Error| WireError::Io {
            addr: addr.clone(),
            message: e.to_string(),
        };
        self.stream.write_all(frame).await.map_err(&io)?;
        let len = self.stream.read_i32().await.map_err(&io)?;
        let len = usize::try_from(len)
            .ok()
            .filter(|&l| l <= MAX_RESPONSE)
            .ok_or_else(|| self.protocol(format!("response length {len}")))?;
        let mut answer = vec![0; len];
        self.stream.read_exact(&mut answer).await.map_err(&io)?;
        Ok(answer)
    }

    fn protocol(&self, message: String) -> WireError {
        WireError::Protocol {
            addr: self.addr.clone(),
            message,
        }
    }
}

/// The name of an API, for messages.
fn api_name(key: i16) -> &'static str {
    use kafka_protocol::messages::ApiKey;
    match ApiKey::try_from(key) {
        Ok(ApiKey::ApiVersions) => "ApiVersions",
        Ok(ApiKey::FindCoordinator) => "FindCoordinator",
        Ok(ApiKey::JoinGroup) => "JoinGroup",
        Ok(ApiKey::SyncGroup) => "SyncGroup",
        Ok(ApiKey::Heartbeat) => "Heartbeat",
        Ok(ApiKey::LeaveGroup) => "LeaveGroup",
        Ok(ApiKey::Metadata) => "Metadata",
        _ => "an API",
    }
}

/// The error code at the start of a group API's answer (after the throttle time, from the
/// versions that carry one), read without decoding the rest of the body.
fn leading_error_code(key: i16, version: i16, body: &[u8]) -> Option<i16> {
    use kafka_protocol::messages::ApiKey;
    let throttled_from = match ApiKey::try_from(key).ok()? {
        ApiKey::FindCoordinator | ApiKey::SyncGroup | ApiKey::Heartbeat | ApiKey::LeaveGroup => 1,
        ApiKey::JoinGroup => 2,
        _ => return None,
    };
    let at = if version >= throttled_from { 4 } else { 0 };
    let code = body.get(at..at + 2)?;
    Some(i16::from_be_bytes([code[0], code[1]]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_protocol::messages::ApiKey;

    #[test]
    fn the_error_code_of_a_group_answer_is_read_after_its_throttle_time() {
        // SyncGroup v3: throttle 0, REBALANCE_IN_PROGRESS (27), a null assignment (-1)
        let body = [0, 0, 0, 0, 0, 27, 0xff, 0xff, 0xff, 0xff];
        assert_eq!(
            leading_error_code(ApiKey::SyncGroup as i16, 3, &body),
            Some(27)
        );
        // version 0 has no throttle time
        assert_eq!(
            leading_error_code(ApiKey::SyncGroup as i16, 0, &body[4..]),
            Some(27)
        );
        // JoinGroup has one from version 2
        assert_eq!(
            leading_error_code(ApiKey::JoinGroup as i16, 1, &[0, 25]),
            Some(25)
        );
        assert_eq!(
            leading_error_code(ApiKey::JoinGroup as i16, 2, &[0, 25]),
            None
        );
        // other APIs are not guessed at
        assert_eq!(leading_error_code(ApiKey::Metadata as i16, 1, &body), None);
    }
}
