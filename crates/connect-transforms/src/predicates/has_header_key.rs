//! `org.apache.kafka.connect.transforms.predicates.HasHeaderKey`: true for records with at
//! least one header named `name` (exact, case-sensitive).

use std::collections::BTreeMap;

use connect_api::config::{ConfigKey, ConfigType, Importance, NonEmptyString};
use connect_api::{ConfigDef, Predicate, Record, Result};

/// Java's `HasHeaderKey.OVERVIEW_DOC`.
pub const OVERVIEW_DOC: &str =
    "Matches records that carry at least one header with the configured name.";

/// Config key: the header name.
pub const NAME: &str = "name";

/// The HasHeaderKey predicate.
#[derive(Debug, Clone)]
pub struct HasHeaderKey {
    name: String,
}

impl HasHeaderKey {
    /// A configured HasHeaderKey.
    pub fn new(config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        Ok(HasHeaderKey {
            name: parsed.get_string(NAME)?.to_string(),
        })
    }

    /// Kafka's config definition.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new().define(
            ConfigKey::new(NAME, ConfigType::String)
                .validator(NonEmptyString)
                .importance(Importance::Medium)
                .documentation("Header name to look for."),
        )
    }
}

impl<M: Send + Sync> Predicate<M> for HasHeaderKey {
    fn test(&self, record: &Record<M>) -> Result<bool> {
        Ok(record.headers.iter().any(|h| h.key == self.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::test_support::{config, record};
    use connect_api::{Headers, Value};

    fn test(name: &str, headers: Headers) -> bool {
        let p = HasHeaderKey::new(&config(&[(NAME, name)])).unwrap();
        let mut r = record("orders");
        r.headers = headers;
        Predicate::test(&p, &r).unwrap()
    }

    #[test]
    fn matches_on_any_header_with_the_name() {
        let standard = record("orders").headers;
        assert!(test("h1", standard.clone()));
        assert!(test("bin", standard.clone()));
        // smt_filter_predicates-1056bf6526: case-sensitive
        assert!(!test("H1", standard));
        // smt_filter_predicates-17fb3b8e3f: no headers
        assert!(!test("h1", Headers::new()));
        // smt_filter_predicates-f7aaa7b17d: a null header still counts
        let mut h = Headers::new();
        h.add("n", None, Value::Null);
        assert!(test("n", h));
    }

    #[test]
    fn config_errors() {
        // smt_filter_predicates-054d283fee
        let e = HasHeaderKey::new(&config(&[(NAME, "")])).unwrap_err();
        assert!(e.is_config());
        assert_eq!(
            e.to_string(),
            "Invalid value  for configuration name: String must be non-empty"
        );
        assert_eq!(
            HasHeaderKey::new(&config(&[])).unwrap_err().to_string(),
            "Missing required configuration \"name\" which has no default value."
        );
        assert!(HasHeaderKey::config_def().definition_errors().is_empty());
        assert!(!OVERVIEW_DOC.is_empty());
    }
}
