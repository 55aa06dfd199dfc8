//! `org.apache.kafka.connect.transforms.predicates.TopicNameMatches`: true for records whose
//! whole topic name matches the Java regular expression `pattern`.

use std::collections::BTreeMap;

use connect_api::config::{CompositeValidator, ConfigKey, ConfigType, Importance, NonEmptyString};
use connect_api::{ConfigDef, Predicate, Record, Result};

use crate::routing::java_regex::JavaRegex;
use crate::routing::support::{compile_regex, valid_regex};

/// Java's `TopicNameMatches.OVERVIEW_DOC`.
pub const OVERVIEW_DOC: &str =
    "Matches records whose whole topic name fits the configured regular expression.";

/// Config key: the regular expression.
pub const PATTERN: &str = "pattern";

/// The TopicNameMatches predicate.
#[derive(Debug, Clone)]
pub struct TopicNameMatches {
    pattern: JavaRegex,
}

impl TopicNameMatches {
    /// A configured TopicNameMatches. An invalid regex is a config error naming `pattern` and
    /// the value (`Invalid value [ for configuration pattern: Invalid regex: …`).
    pub fn new(config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        Ok(TopicNameMatches {
            pattern: compile_regex(PATTERN, parsed.get_string(PATTERN)?)?,
        })
    }

    /// Kafka's config definition.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new().define(
            ConfigKey::new(PATTERN, ConfigType::String)
                .validator(
                    CompositeValidator::new()
                        .and(NonEmptyString)
                        .and(valid_regex()),
                )
                .importance(Importance::Medium)
                .documentation(
                    "Java-syntax regular expression tested against the record's topic name.",
                ),
        )
    }
}

impl<M: Send + Sync> Predicate<M> for TopicNameMatches {
    fn test(&self, record: &Record<M>) -> Result<bool> {
        Ok(self.pattern.matches(&record.topic))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::test_support::{config, record};

    fn test(pattern: &str, topic: &str) -> bool {
        let p = TopicNameMatches::new(&config(&[(PATTERN, pattern)])).unwrap();
        Predicate::test(&p, &record(topic)).unwrap()
    }

    #[test]
    fn whole_topic_must_match() {
        // smt_filter_predicates-c20360e4e6, -fbf7b04810, -326699502c, -5566765750
        assert!(test("orders", "orders"));
        assert!(!test("ord", "orders"));
        assert!(!test(".*-eu", "orders"));
        assert!(test(".*-eu", "orders-eu"));
        assert!(test("orders|users", "users"));
        assert!(test("(?i)ORDERS", "orders"));
        assert!(test(r"orders\.\d+", "orders.12"));
    }

    #[test]
    fn config_errors() {
        // smt_filter_predicates-3eb3e0f57f
        let e = TopicNameMatches::new(&config(&[(PATTERN, "[")])).unwrap_err();
        assert!(e.is_config());
        assert_eq!(
            e.to_string(),
            "Invalid value [ for configuration pattern: Invalid regex: Unclosed character class near index 0\n[\n^"
        );
        // smt_filter_predicates-d3ead6ac89
        assert_eq!(
            TopicNameMatches::new(&config(&[])).unwrap_err().to_string(),
            "Missing required configuration \"pattern\" which has no default value."
        );
        assert_eq!(
            TopicNameMatches::new(&config(&[(PATTERN, "")]))
                .unwrap_err()
                .to_string(),
            "Invalid value  for configuration pattern: String must be non-empty"
        );
        assert!(TopicNameMatches::config_def()
            .definition_errors()
            .is_empty());
        assert!(!OVERVIEW_DOC.is_empty());
    }
}
