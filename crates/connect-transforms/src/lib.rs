//! Kafka Connect's built-in single message transforms (SMTs) and predicates, with the same
//! class names, config keys and behaviour as Apache Kafka 3.9, plus Debezium's
//! `ExtractNewRecordState`.
//!
//! Modules by family: [`conversion`] (Cast, TimestampConverter, TimestampRouter), [`fields`]
//! (ReplaceField, InsertField, MaskField, ExtractField, HoistField, ValueToKey, Flatten,
//! SetSchemaMetadata), [`routing`] (Filter, RegexRouter, DropHeaders, HeaderFrom, InsertHeader),
//! [`predicates`] (HasHeaderKey, RecordIsTombstone, TopicNameMatches), [`debezium`].

pub mod cache;
pub mod chain;
pub mod conversion;
pub mod debezium;
pub mod fields;
pub mod predicates;
pub mod registry;
pub mod routing;
pub mod util;

#[cfg(test)]
mod test_support;
