//! Kafka Connect converters, byte-compatible with Apache Kafka 3.9.
//!
//! Every converter is built configured (`new(config, is_key)`), from the keys Kafka's class
//! takes, and implements [`connect_api::Converter`] and [`connect_api::HeaderConverter`].

mod bytearray;
mod codec;
pub mod json;
pub mod number;
pub mod registry;
mod simple_header;
mod string;

pub use bytearray::ByteArrayConverter;
pub use connect_api::data::values;
pub use json::JsonConverter;
pub use number::{
    BooleanConverter, DoubleConverter, FloatConverter, IntegerConverter, LongConverter,
    ShortConverter,
};
pub use simple_header::SimpleHeaderConverter;
pub use string::StringConverter;
