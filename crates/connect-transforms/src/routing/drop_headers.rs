//! `org.apache.kafka.connect.transforms.DropHeaders`: removes every header whose key is listed
//! in `headers` (exact, case-sensitive names; all occurrences).

use std::collections::{BTreeMap, HashSet};

use connect_api::config::{ConfigKey, ConfigType, Importance};
use connect_api::{ConfigDef, Record, Result, Transformation, Transformed};

use crate::util::NonEmptyList;

/// Java's `DropHeaders.OVERVIEW_DOC`.
pub const OVERVIEW_DOC: &str = "Deletes the listed headers from every record.";

/// Config key: the names of the headers to remove.
pub const HEADERS: &str = "headers";

/// The DropHeaders transformation.
#[derive(Debug, Clone)]
pub struct DropHeaders {
    headers: HashSet<String>,
}

impl DropHeaders {
    /// A configured DropHeaders.
    pub fn new(config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        Ok(DropHeaders {
            headers: parsed.get_list(HEADERS)?.iter().cloned().collect(),
        })
    }

    /// Kafka's config definition.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new().define(
            ConfigKey::new(HEADERS, ConfigType::List)
                .validator(NonEmptyList)
                .importance(Importance::High)
                .documentation("Names of the headers to delete."),
        )
    }
}

impl<M: Send + Sync> Transformation<M> for DropHeaders {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        record.headers.retain(|h| !self.headers.contains(&h.key));
        Ok(Transformed::Keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::test_support::{config, header_keys, record};
    use connect_api::Headers;

    fn drop(headers: &str) -> Vec<String> {
        let t = DropHeaders::new(&config(&[(HEADERS, headers)])).unwrap();
        header_keys(
            &Transformation::apply_owned(&t, record("orders"))
                .unwrap()
                .unwrap(),
        )
    }

    #[test]
    fn removes_all_occurrences_of_listed_keys() {
        // smt_drop_headers-090a82f51c, -178db01e46, -8290fe2335, -bfd16a77fd, -afcdfb09ed
        assert_eq!(drop("h1"), ["h2", "bin"]);
        assert_eq!(drop("h1,bin"), ["h2"]);
        assert_eq!(drop("nope"), ["h1", "h2", "h1", "bin"]);
        assert_eq!(drop("H1"), ["h1", "h2", "h1", "bin"]);
        assert_eq!(drop(" h1 , h2 "), ["bin"]);
    }

    #[test]
    fn keeps_values_of_the_others_and_handles_no_headers() {
        let t = DropHeaders::new(&config(&[(HEADERS, "h1")])).unwrap();
        let input = record("orders");
        let out = Transformation::apply_owned(&t, input.clone())
            .unwrap()
            .unwrap();
        let kept: Vec<_> = out.headers.iter().cloned().collect();
        let expected: Vec<_> = input
            .headers
            .iter()
            .filter(|h| h.key != "h1")
            .cloned()
            .collect();
        assert_eq!(kept, expected);
        assert_eq!(out.value, input.value);
        // smt_drop_headers-e9db374087
        let mut empty = record("orders");
        empty.headers = Headers::new();
        let out = Transformation::apply_owned(&t, empty).unwrap().unwrap();
        assert!(out.headers.is_empty());
    }

    #[test]
    fn config_errors() {
        let e = DropHeaders::new(&config(&[(HEADERS, "")])).unwrap_err();
        assert!(e.is_config());
        assert_eq!(
            e.to_string(),
            "Invalid value [] for configuration headers: Empty list"
        );
        assert_eq!(
            DropHeaders::new(&config(&[])).unwrap_err().to_string(),
            "Missing required configuration \"headers\" which has no default value."
        );
        assert!(DropHeaders::config_def().definition_errors().is_empty());
        assert!(!OVERVIEW_DOC.is_empty());
    }
}
