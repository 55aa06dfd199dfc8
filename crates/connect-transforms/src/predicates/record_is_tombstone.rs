//! `org.apache.kafka.connect.transforms.predicates.RecordIsTombstone`: true for records whose
//! value is null, whatever the value schema.

use std::collections::BTreeMap;

use connect_api::{ConfigDef, Predicate, Record, Result};

/// Java's `RecordIsTombstone.OVERVIEW_DOC`.
pub const OVERVIEW_DOC: &str = "Matches tombstone records, i.e. those whose value is null.";

/// The RecordIsTombstone predicate.
#[derive(Debug, Clone, Copy, Default)]
pub struct RecordIsTombstone;

impl RecordIsTombstone {
    /// A configured RecordIsTombstone. It has no keys; any given are ignored.
    pub fn new(config: &BTreeMap<String, String>) -> Result<Self> {
        Self::config_def().parse(config)?;
        Ok(RecordIsTombstone)
    }

    /// The (empty) config definition.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
    }
}

impl<M: Send + Sync> Predicate<M> for RecordIsTombstone {
    fn test(&self, record: &Record<M>) -> Result<bool> {
        Ok(record.value.value.is_null())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::test_support::{config, record, user_schema};
    use connect_api::SchemaAndValue;

    #[test]
    fn null_values_are_tombstones() {
        let p = RecordIsTombstone::new(&config(&[("x", "y")])).unwrap();
        // smt_filter_predicates-3d7882370f
        assert!(!Predicate::test(&p, &record("orders")).unwrap());
        // smt_filter_predicates-e4e898e52f: null value with a schema
        let mut r = record("orders");
        r.value = SchemaAndValue::new(Some(user_schema()), connect_api::Value::Null);
        assert!(Predicate::test(&p, &r).unwrap());
        // smt_filter_predicates-d75bd42b64: no schema
        r.value = SchemaAndValue::null();
        assert!(Predicate::test(&p, &r).unwrap());
        // a null key does not matter
        let mut r = record("orders");
        r.key = SchemaAndValue::null();
        assert!(!Predicate::test(&p, &r).unwrap());
        assert!(RecordIsTombstone::config_def().is_empty());
        assert!(!OVERVIEW_DOC.is_empty());
    }
}
