//! `org.apache.kafka.connect.transforms.RegexRouter`: renames the topic when the whole topic
//! matches `regex`, replacing the first match with `replacement` (Java `replaceFirst`
//! semantics: `$1`, `${name}`, `\$`).

use std::collections::BTreeMap;

use connect_api::config::{ConfigKey, ConfigType, Importance};
use connect_api::{ConfigDef, ConnectError, Record, Result, Transformation, Transformed};

use crate::routing::java_regex::{JavaRegex, Replacement};
use crate::routing::support::{compile_regex, valid_regex};

/// Java's `RegexRouter.OVERVIEW_DOC`.
pub const OVERVIEW_DOC: &str =
    "Renames the record's topic: when the whole topic matches the configured regular expression \
(<code>java.util.regex.Pattern</code> syntax), the new topic is computed with \
<code>java.util.regex.Matcher#replaceFirst()</code> and the replacement string.";

/// Config key: the regular expression the topic must match entirely.
pub const REGEX: &str = "regex";
/// Config key: the replacement (Java `Matcher.replaceFirst` syntax).
pub const REPLACEMENT: &str = "replacement";

/// The RegexRouter transformation.
#[derive(Debug, Clone)]
pub struct RegexRouter {
    regex: JavaRegex,
    replacement: Replacement,
}

impl RegexRouter {
    /// A configured RegexRouter.
    pub fn new(config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        let regex = compile_regex(REGEX, parsed.get_string(REGEX)?)?;
        let replacement = Replacement::parse(parsed.get_string(REPLACEMENT)?, &regex);
        Ok(RegexRouter { regex, replacement })
    }

    /// Kafka's config definition.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(REGEX, ConfigType::String)
                    .validator(valid_regex())
                    .importance(Importance::High)
                    .documentation("The regular expression the topic name is tested against."),
            )
            .define(
                ConfigKey::new(REPLACEMENT, ConfigType::String)
                    .importance(Importance::High)
                    .documentation("The new topic name; it may refer to capture groups such as <code>$1</code>."),
            )
    }
}

impl<M: Send + Sync> Transformation<M> for RegexRouter {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        if self.regex.matches(&record.topic) {
            // Java throws IllegalArgumentException / IndexOutOfBoundsException here.
            record.topic = self
                .replacement
                .replace_first(&self.regex, &record.topic)
                .map_err(ConnectError::data)?
                .into();
        }
        Ok(Transformed::Keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::test_support::{config, record};

    fn route(regex: &str, replacement: &str, topic: &str) -> Result<String> {
        let t = RegexRouter::new(&config(&[(REGEX, regex), (REPLACEMENT, replacement)]))?;
        let out = Transformation::apply_owned(&t, record(topic))?.unwrap();
        Ok(out.topic.to_string())
    }

    #[test]
    fn routes_matching_topics() {
        // smt_regex_router-c4ecf93a8d, -ebac7dfa4e, -281bef0c3f, -fedfbd41b2, -eced8c4013
        assert_eq!(route("orders", "x", "orders").unwrap(), "x");
        assert_eq!(
            route("(.*)-(.*)", "$2_$1", "orders-eu").unwrap(),
            "eu_orders"
        );
        assert_eq!(route("(?<n>o)rders", "${n}k", "orders").unwrap(), "ok");
        assert_eq!(route(".*", "", "orders").unwrap(), "");
        assert_eq!(route("orders", "\\$x", "orders").unwrap(), "$x");
        // smt_regex_router-dbe3cb5d3e: case-sensitive, no match → unchanged
        assert_eq!(route("ORDERS", "x", "orders").unwrap(), "orders");
        // a partial match is not enough
        assert_eq!(route("ord", "x", "orders").unwrap(), "orders");
        // config values are trimmed
        assert_eq!(route(" orders ", " x ", "orders").unwrap(), "x");
    }

    #[test]
    fn keeps_everything_but_the_topic() {
        let t = RegexRouter::new(&config(&[(REGEX, "o(.*)"), (REPLACEMENT, "p$1")])).unwrap();
        let input = record("orders");
        let out = Transformation::apply_owned(&t, input.clone())
            .unwrap()
            .unwrap();
        assert_eq!(out.topic, "prders".into());
        assert_eq!(out.key, input.key);
        assert_eq!(out.value, input.value);
        assert_eq!(out.headers, input.headers);
        assert_eq!(out.kafka_partition, input.kafka_partition);
        assert_eq!(out.timestamp, input.timestamp);
    }

    #[test]
    fn bad_replacement_fails_at_apply_only_on_match() {
        // smt_regex_router-483d087b68
        let e = route("orders", "$", "orders").unwrap_err();
        assert!(e.is_data());
        assert_eq!(
            e.to_string(),
            "Illegal group reference: group index is missing"
        );
        assert_eq!(route("orders", "$", "other").unwrap(), "other");
        assert_eq!(
            route("(o)rders", "$3", "orders").unwrap_err().to_string(),
            "No group 3"
        );
    }

    #[test]
    fn config_errors() {
        // smt_regex_router-b9302a0066
        let e = RegexRouter::new(&config(&[(REGEX, "["), (REPLACEMENT, "x")])).unwrap_err();
        assert!(e.is_config());
        assert_eq!(
            e.to_string(),
            "Invalid value [ for configuration regex: Invalid regex: Unclosed character class near index 0\n[\n^"
        );
        // smt_regex_router-317dbcf3ee, -de5375dfb1
        assert_eq!(
            RegexRouter::new(&config(&[(REGEX, "x")]))
                .unwrap_err()
                .to_string(),
            "Missing required configuration \"replacement\" which has no default value."
        );
        assert_eq!(
            RegexRouter::new(&config(&[(REPLACEMENT, "x")]))
                .unwrap_err()
                .to_string(),
            "Missing required configuration \"regex\" which has no default value."
        );
        assert!(RegexRouter::config_def().definition_errors().is_empty());
        assert!(OVERVIEW_DOC.contains("replaceFirst"));
    }
}
