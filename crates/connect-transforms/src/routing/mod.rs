//! Routing and header transforms: `Filter`, `RegexRouter`, `DropHeaders`,
//! `HeaderFrom$Key`/`$Value` and `InsertHeader`, plus the Java regular expression support
//! ([`java_regex`]) they share with the predicates.

use std::collections::BTreeMap;

use connect_api::{Predicate, Result, Transformation};

use crate::util::Side;

pub mod drop_headers;
pub mod filter;
pub mod header_from;
pub mod insert_header;
pub mod java_regex;
pub mod regex_router;
pub mod support;

#[cfg(test)]
pub(crate) mod test_support;

pub use drop_headers::DropHeaders;
pub use filter::Filter;
pub use header_from::HeaderFrom;
pub use insert_header::InsertHeader;
pub use regex_router::RegexRouter;

/// `org.apache.kafka.connect.transforms.Filter`.
pub const FILTER: &str = "org.apache.kafka.connect.transforms.Filter";
/// `org.apache.kafka.connect.transforms.RegexRouter`.
pub const REGEX_ROUTER: &str = "org.apache.kafka.connect.transforms.RegexRouter";
/// `org.apache.kafka.connect.transforms.DropHeaders`.
pub const DROP_HEADERS: &str = "org.apache.kafka.connect.transforms.DropHeaders";
/// `org.apache.kafka.connect.transforms.HeaderFrom$Key`.
pub const HEADER_FROM_KEY: &str = "org.apache.kafka.connect.transforms.HeaderFrom$Key";
/// `org.apache.kafka.connect.transforms.HeaderFrom$Value`.
pub const HEADER_FROM_VALUE: &str = "org.apache.kafka.connect.transforms.HeaderFrom$Value";
/// `org.apache.kafka.connect.transforms.InsertHeader`.
pub const INSERT_HEADER: &str = "org.apache.kafka.connect.transforms.InsertHeader";

/// The classes this module provides (fully qualified Java names).
pub const CLASSES: &[&str] = &[
    FILTER,
    REGEX_ROUTER,
    DROP_HEADERS,
    HEADER_FROM_KEY,
    HEADER_FROM_VALUE,
    INSERT_HEADER,
];

fn boxed<M, T>(t: Result<T>) -> Option<Result<Box<dyn Transformation<M>>>>
where
    T: Transformation<M> + 'static,
{
    Some(t.map(|t| Box::new(t) as Box<dyn Transformation<M>>))
}

/// Builds a transformation of this module by fully qualified class name, or `None` if the
/// class is not one of this module's.
pub fn create_transformation<M: Send + Sync + 'static>(
    class: &str,
    config: &BTreeMap<String, String>,
) -> Option<Result<Box<dyn Transformation<M>>>> {
    match class {
        FILTER => boxed(Filter::new(config)),
        REGEX_ROUTER => boxed(RegexRouter::new(config)),
        DROP_HEADERS => boxed(DropHeaders::new(config)),
        HEADER_FROM_KEY => boxed(HeaderFrom::new(Side::Key, config)),
        HEADER_FROM_VALUE => boxed(HeaderFrom::new(Side::Value, config)),
        INSERT_HEADER => boxed(InsertHeader::new(config)),
        _ => None,
    }
}

/// This module has no predicates: always `None`.
pub fn create_predicate<M: Send + Sync + 'static>(
    _class: &str,
    _config: &BTreeMap<String, String>,
) -> Option<Result<Box<dyn Predicate<M>>>> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::test_support::{config, record};
    use connect_api::SourceMeta;

    #[test]
    fn every_class_is_constructible_through_the_registry() {
        let configs = [
            (FILTER, config(&[])),
            (
                REGEX_ROUTER,
                config(&[("regex", "o.*"), ("replacement", "x")]),
            ),
            (DROP_HEADERS, config(&[("headers", "h1")])),
            (
                HEADER_FROM_KEY,
                config(&[("fields", "k"), ("headers", "hk"), ("operation", "copy")]),
            ),
            (
                HEADER_FROM_VALUE,
                config(&[("fields", "id"), ("headers", "hid"), ("operation", "copy")]),
            ),
            (
                INSERT_HEADER,
                config(&[("header", "h"), ("value.literal", "1")]),
            ),
        ];
        assert_eq!(configs.len(), CLASSES.len());
        for (class, cfg) in configs {
            let t = crate::registry::transformation::<SourceMeta>(class, &cfg).unwrap();
            t.apply_owned(record("orders")).unwrap();
            let simple = class.rsplit('.').next().unwrap();
            assert!(crate::registry::transformation::<SourceMeta>(simple, &cfg).is_ok());
        }
        assert!(create_transformation::<SourceMeta>("x.Nope", &config(&[])).is_none());
        assert!(create_predicate::<SourceMeta>(FILTER, &config(&[])).is_none());
    }
}
