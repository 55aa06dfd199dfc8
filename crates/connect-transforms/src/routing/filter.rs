//! `org.apache.kafka.connect.transforms.Filter`: drops every record. Used with a predicate
//! (`transforms.<alias>.predicate`) to drop the records that match, or with `negate=true` the
//! records that do not.

use std::collections::BTreeMap;

use connect_api::{ConfigDef, Record, Result, Transformation, Transformed};

/// Java's `Filter.OVERVIEW_DOC`.
pub const OVERVIEW_DOC: &str =
    "Discards every record it sees, so later transformations in the chain never get it; \
pair it with a predicate (optionally negated) to discard only some records.";

/// The Filter transformation: every record is dropped.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter;

impl Filter {
    /// A configured Filter. It has no keys; any given are ignored, as in Kafka.
    pub fn new(config: &BTreeMap<String, String>) -> Result<Self> {
        Self::config_def().parse(config)?;
        Ok(Filter)
    }

    /// The (empty) config definition.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
    }
}

impl<M: Send + Sync> Transformation<M> for Filter {
    fn apply(&self, _record: &mut Record<M>) -> Result<Transformed> {
        Ok(Transformed::Drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::test_support::record;

    #[test]
    fn drops_every_record_and_ignores_unknown_keys() {
        let f = Filter::new(&BTreeMap::from([(
            "unexpected".to_string(),
            "x".to_string(),
        )]))
        .unwrap();
        assert_eq!(
            Transformation::apply_owned(&f, record("orders")).unwrap(),
            None
        );
        assert!(Filter::config_def().is_empty());
        assert!(OVERVIEW_DOC.starts_with("Discards every record"));
    }
}
