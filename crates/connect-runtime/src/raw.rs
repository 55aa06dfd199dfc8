//! Records as Kafka holds them: bytes, before a sink's converters or after a source's (the
//! type lives in the `kafka` crate, which produces and consumes them).

pub use kafka::record::{RawHeader, RawRecord};
