//! Signed requests between workers (KIP-507, `connect.protocol=sessioned`): the leader keeps
//! a session key in the config topic (`session-key`, renewed every `inter.worker.key.ttl.ms`),
//! and a worker that forwards task configs to the leader (`POST /connectors/{name}/tasks`)
//! signs the request body with it: `X-Connect-Authorization` holds the base64 HMAC of the body
//! and `X-Connect-Request-Signature-Algorithm` names the MAC (Kafka's
//! `InternalRequestSignature`).

use base64::Engine as _;
use connect_api::{ConnectError, Result};
use hmac::{Hmac, Mac};

use super::config_state::SessionKey;
use crate::herder_error::HerderError;

/// The header with the signature.
pub const SIGNATURE_HEADER: &str = "X-Connect-Authorization";
/// The header naming the signature's algorithm.
pub const SIGNATURE_ALGORITHM_HEADER: &str = "X-Connect-Request-Signature-Algorithm";

/// The MAC algorithms Ferry signs and verifies with, by their Java names.
const ALGORITHMS: [&str; 3] = ["HmacSHA256", "HmacSHA384", "HmacSHA512"];

/// Whether Ferry can use the Java MAC algorithm `name`.
pub fn is_supported(name: &str) -> bool {
    ALGORITHMS.contains(&name)
}

/// The MAC of `body` under `key` with the Java algorithm `algorithm`; `None` for an
/// algorithm Ferry does not have.
pub fn sign(algorithm: &str, key: &[u8], body: &[u8]) -> Option<Vec<u8>> {
    fn mac<M: Mac + hmac::digest::KeyInit>(key: &[u8], body: &[u8]) -> Option<Vec<u8>> {
        let mut m = <M as Mac>::new_from_slice(key).ok()?;
        m.update(body);
        Some(m.finalize().into_bytes().to_vec())
    }
    match algorithm {
        "HmacSHA256" => mac::<Hmac<sha2::Sha256>>(key, body),
        "HmacSHA384" => mac::<Hmac<sha2::Sha384>>(key, body),
        "HmacSHA512" => mac::<Hmac<sha2::Sha512>>(key, body),
        _ => None,
    }
}

/// A new random session key for `algorithm`, of `size_bits` (Java's `KeyGenerator` default
/// for the algorithm when `None`: the digest's size), with its creation time.
pub fn new_key(algorithm: &str, size_bits: Option<u32>, now_ms: i64) -> Result<SessionKey> {
    let default_bits = match algorithm {
        "HmacSHA384" => 384,
        "HmacSHA512" => 512,
        _ => 256,
    };
    let bytes = (size_bits.unwrap_or(default_bits) as usize).div_ceil(8);
    let mut key = vec![0u8; bytes];
    getrandom::fill(&mut key)
        .map_err(|e| ConnectError::other(format!("Could not make a session key: {e}")))?;
    Ok(SessionKey {
        key: base64::engine::general_purpose::STANDARD.encode(key),
        algorithm: algorithm.to_string(),
        creation_timestamp: now_ms,
    })
}

/// A request's signature, from its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestSignature {
    /// `X-Connect-Request-Signature-Algorithm`.
    pub algorithm: String,
    /// `X-Connect-Authorization`, base64.
    pub signature: String,
}

/// Checks a request to the leader as Kafka's `DistributedHerder.putTaskConfigs` does: a
/// missing signature or an algorithm this worker does not accept is a 400, a signature that
/// does not match the body under the current session key a 403.
pub fn verify(
    signature: Option<&RequestSignature>,
    body: &[u8],
    key: Option<&SessionKey>,
    accepted: &[String],
) -> std::result::Result<(), HerderError> {
    let Some(signature) = signature else {
        return Err(HerderError::BadRequest(
            "Internal request missing required signature".into(),
        ));
    };
    if !accepted.contains(&signature.algorithm) {
        return Err(HerderError::BadRequest(format!(
            "This worker does not support the '{}' key signing algorithm used by other workers. \
This worker is currently configured to use: [{}]. Check that all workers' configuration files \
permit the same set of signature algorithms, and correct any misconfigured worker and restart it.",
            signature.algorithm,
            accepted.join(", ")
        )));
    }
    let engine = base64::engine::general_purpose::STANDARD;
    let valid = key.is_some_and(|key| {
        let (Ok(key_bytes), Ok(given)) =
            (engine.decode(&key.key), engine.decode(&signature.signature))
        else {
            return false;
        };
        sign(&signature.algorithm, &key_bytes, body).is_some_and(|expected| {
            // compared whole, not stopping at the first difference
            expected.len() == given.len()
                && expected
                    .iter()
                    .zip(&given)
                    .fold(0u8, |d, (a, b)| d | (a ^ b))
                    == 0
        })
    });
    if valid {
        Ok(())
    } else {
        Err(HerderError::Forbidden(
            "Internal request contained invalid signature.".into(),
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn macs_match_rfc_4231_test_case_2() {
        let (key, data) = (
            b"Jefe".as_slice(),
            b"what do ya want for nothing?".as_slice(),
        );
        assert_eq!(
            hex(&sign("HmacSHA256", key, data).unwrap()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert!(hex(&sign("HmacSHA512", key, data).unwrap()).starts_with("164b7a7bfcf819e2"));
        assert_eq!(sign("HmacMD5", key, data), None);
    }

    fn signed(key: &SessionKey, body: &[u8]) -> RequestSignature {
        let engine = base64::engine::general_purpose::STANDARD;
        let mac = sign("HmacSHA256", &engine.decode(&key.key).unwrap(), body).unwrap();
        RequestSignature {
            algorithm: "HmacSHA256".into(),
            signature: engine.encode(mac),
        }
    }

    #[test]
    fn requests_are_checked_as_kafka_checks_them() {
        let key = new_key("HmacSHA256", None, 1).unwrap();
        assert_eq!(
            base64::engine::general_purpose::STANDARD
                .decode(&key.key)
                .unwrap()
                .len(),
            32
        );
        let accepted = vec!["HmacSHA256".to_string()];
        let body = br#"[{"k":"v"}]"#;
        let good = signed(&key, body);
        assert_eq!(verify(Some(&good), body, Some(&key), &accepted), Ok(()));
        let missing = verify(None, body, Some(&key), &accepted).unwrap_err();
        assert_eq!(missing.http_status(), 400, "{missing}");
        let other = new_key("HmacSHA256", None, 2).unwrap();
        let wrong_key = verify(Some(&good), body, Some(&other), &accepted).unwrap_err();
        assert_eq!(wrong_key.http_status(), 403, "{wrong_key}");
        let tampered = verify(Some(&good), br#"[{"k":"w"}]"#, Some(&key), &accepted);
        assert_eq!(tampered.unwrap_err().http_status(), 403);
        assert_eq!(
            verify(Some(&good), body, None, &accepted)
                .unwrap_err()
                .http_status(),
            403
        );
        let sha512 = RequestSignature {
            algorithm: "HmacSHA512".into(),
            ..good
        };
        let refused = verify(Some(&sha512), body, Some(&key), &accepted).unwrap_err();
        assert_eq!(refused.http_status(), 400);
        assert!(refused.to_string().contains("'HmacSHA512'"), "{refused}");
    }
}
