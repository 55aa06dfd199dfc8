//! Kafka Connect converters, byte-compatible with Apache Kafka 3.9.

pub mod json;
