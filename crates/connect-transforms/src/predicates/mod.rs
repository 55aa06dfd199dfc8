//! Kafka's predicates (`org.apache.kafka.connect.transforms.predicates.*`): `HasHeaderKey`,
//! `RecordIsTombstone` and `TopicNameMatches`.

use std::collections::BTreeMap;

use connect_api::{Predicate, Result, Transformation};

pub mod has_header_key;
pub mod record_is_tombstone;
pub mod topic_name_matches;

pub use has_header_key::HasHeaderKey;
pub use record_is_tombstone::RecordIsTombstone;
pub use topic_name_matches::TopicNameMatches;

/// `org.apache.kafka.connect.transforms.predicates.HasHeaderKey`.
pub const HAS_HEADER_KEY: &str = "org.apache.kafka.connect.transforms.predicates.HasHeaderKey";
/// `org.apache.kafka.connect.transforms.predicates.RecordIsTombstone`.
pub const RECORD_IS_TOMBSTONE: &str =
    "org.apache.kafka.connect.transforms.predicates.RecordIsTombstone";
/// `org.apache.kafka.connect.transforms.predicates.TopicNameMatches`.
pub const TOPIC_NAME_MATCHES: &str =
    "org.apache.kafka.connect.transforms.predicates.TopicNameMatches";

/// The classes this module provides (fully qualified Java names).
pub const CLASSES: &[&str] = &[HAS_HEADER_KEY, RECORD_IS_TOMBSTONE, TOPIC_NAME_MATCHES];

/// This module has no transformations: always `None`.
pub fn create_transformation<M: Send + Sync + 'static>(
    _class: &str,
    _config: &BTreeMap<String, String>,
) -> Option<Result<Box<dyn Transformation<M>>>> {
    None
}

fn boxed<M, P>(p: Result<P>) -> Option<Result<Box<dyn Predicate<M>>>>
where
    P: Predicate<M> + 'static,
{
    Some(p.map(|p| Box::new(p) as Box<dyn Predicate<M>>))
}

/// Builds a predicate of this module by fully qualified class name, or `None`.
pub fn create_predicate<M: Send + Sync + 'static>(
    class: &str,
    config: &BTreeMap<String, String>,
) -> Option<Result<Box<dyn Predicate<M>>>> {
    match class {
        HAS_HEADER_KEY => boxed(HasHeaderKey::new(config)),
        RECORD_IS_TOMBSTONE => boxed(RecordIsTombstone::new(config)),
        TOPIC_NAME_MATCHES => boxed(TopicNameMatches::new(config)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::test_support::{config, record};
    use connect_api::SourceMeta;

    #[test]
    fn every_class_is_constructible_through_the_registry() {
        let configs = [
            (HAS_HEADER_KEY, config(&[("name", "h1")]), true),
            (RECORD_IS_TOMBSTONE, config(&[]), false),
            (TOPIC_NAME_MATCHES, config(&[("pattern", "ord.*")]), true),
        ];
        assert_eq!(configs.len(), CLASSES.len());
        for (class, cfg, expected) in configs {
            let p = crate::registry::predicate::<SourceMeta>(class, &cfg).unwrap();
            assert_eq!(p.test(&record("orders")).unwrap(), expected, "{class}");
            let simple = class.rsplit('.').next().unwrap();
            assert!(crate::registry::predicate::<SourceMeta>(simple, &cfg).is_ok());
        }
        assert!(create_predicate::<SourceMeta>("x.Nope", &config(&[])).is_none());
        assert!(create_transformation::<SourceMeta>(HAS_HEADER_KEY, &config(&[])).is_none());
    }
}
