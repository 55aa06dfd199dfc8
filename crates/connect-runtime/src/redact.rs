//! Which config values are secrets: never shown in REST responses, status traces or logs.

/// Whether a config key holds a secret by its name (`…password…`, `…secret…`, JAAS configs,
/// credentials, API keys, tokens). Keys whose type is PASSWORD are secrets whatever their
/// name; this covers keys Ferry has no definition of (client overrides, unknown keys).
pub fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("password")
        || k.contains("secret")
        || k.ends_with("jaas.config")
        || k.contains("credential")
        || k.ends_with("api.key")
        || k.ends_with(".token")
}

/// How a secret is shown.
pub const HIDDEN: &str = "[hidden]";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for k in [
            "connection.password",
            "producer.override.sasl.jaas.config",
            "aws.secret.access.key",
            "x.api.key",
        ] {
            assert!(is_secret_key(k), "{k}");
        }
        assert!(!is_secret_key("topic"));
    }
}
