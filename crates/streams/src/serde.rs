//! Serdes: how keys and values become bytes, with Kafka's byte formats (`LongSerializer` writes
//! 8 bytes big-endian, `StringSerializer` UTF-8, …), and the defaults named by
//! `default.key.serde` / `default.value.serde`.
//!
//! A null key or value is never given to a serde: it stays null on the wire, as Kafka's
//! serializers turn `null` into `null`.

use std::any::Any;
use std::sync::Arc;

use crate::error::{Result, SerdeError, StreamsError};

/// Turns values of one type into bytes and back. Called on the stream thread for every record
/// read from or written to a topic or a store.
pub trait Serde<T>: Send + Sync {
    /// Serializes `value`, bound for `topic` (or a store's changelog). An `Err` fails the
    /// stream thread (Kafka's production/serialization error).
    fn serialize(&self, topic: &str, value: &T) -> Result<Vec<u8>, SerdeError>;

    /// Deserializes bytes read from `topic`. An `Err` goes to
    /// `deserialization.exception.handler` (fail, or log and skip the record).
    fn deserialize(&self, topic: &str, data: &[u8]) -> Result<T, SerdeError>;
}

/// A shared serde.
pub type SerdeRef<T> = Arc<dyn Serde<T>>;

/// `Serdes$StringSerde`: UTF-8; invalid UTF-8 is read with replacement characters, as Java's
/// `new String(bytes, UTF_8)` does.
#[derive(Debug, Clone, Copy, Default)]
pub struct StringSerde;

impl Serde<String> for StringSerde {
    fn serialize(&self, _topic: &str, value: &String) -> Result<Vec<u8>, SerdeError> {
        Ok(value.as_bytes().to_vec())
    }

    fn deserialize(&self, _topic: &str, data: &[u8]) -> Result<String, SerdeError> {
        Ok(String::from_utf8_lossy(data).into_owned())
    }
}

/// Fixed-width big-endian numbers, as Kafka's `Long`/`Integer`/`Short`/`Double`/`Float` serdes.
macro_rules! number_serde {
    ($name:ident, $ty:ty, $width:expr, $java:expr) => {
        #[doc = concat!("`Serdes$", stringify!($name), "`: ", stringify!($width), " bytes, big-endian.")]
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;

        impl Serde<$ty> for $name {
            fn serialize(&self, _topic: &str, value: &$ty) -> Result<Vec<u8>, SerdeError> {
                Ok(value.to_be_bytes().to_vec())
            }

            fn deserialize(&self, _topic: &str, data: &[u8]) -> Result<$ty, SerdeError> {
                let bytes: [u8; $width] = data.try_into().map_err(|_| {
                    SerdeError::new(format!(
                        "Size of data received by {} is not {}",
                        $java, $width
                    ))
                })?;
                Ok(<$ty>::from_be_bytes(bytes))
            }
        }
    };
}

number_serde!(LongSerde, i64, 8, "LongDeserializer");
number_serde!(IntegerSerde, i32, 4, "IntegerDeserializer");
number_serde!(ShortSerde, i16, 2, "ShortDeserializer");
// Kafka's DoubleDeserializer and FloatDeserializer name no class in their message.
number_serde!(DoubleSerde, f64, 8, "Deserializer");
number_serde!(FloatSerde, f32, 4, "Deserializer");

/// `Serdes$ByteArraySerde`: the bytes as they are.
#[derive(Debug, Clone, Copy, Default)]
pub struct ByteArraySerde;

impl Serde<Vec<u8>> for ByteArraySerde {
    fn serialize(&self, _topic: &str, value: &Vec<u8>) -> Result<Vec<u8>, SerdeError> {
        Ok(value.clone())
    }

    fn deserialize(&self, _topic: &str, data: &[u8]) -> Result<Vec<u8>, SerdeError> {
        Ok(data.to_vec())
    }
}

/// JSON documents (`serde_json::Value`), written compactly as Jackson's `ObjectMapper` writes a
/// `JsonNode` (`org.apache.kafka.connect.json.JsonSerializer`).
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonSerde;

impl Serde<serde_json::Value> for JsonSerde {
    fn serialize(&self, _topic: &str, value: &serde_json::Value) -> Result<Vec<u8>, SerdeError> {
        serde_json::to_vec(value)
            .map_err(|e| SerdeError::new(format!("Error serializing JSON message: {e}")))
    }

    fn deserialize(&self, _topic: &str, data: &[u8]) -> Result<serde_json::Value, SerdeError> {
        serde_json::from_slice(data)
            .map_err(|e| SerdeError::new(format!("Error deserializing JSON message: {e}")))
    }
}

/// A serde named by class in `default.key.serde` / `default.value.serde`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SerdeKind {
    /// `Serdes$StringSerde` (Rust type `String`).
    String,
    /// `Serdes$LongSerde` (`i64`).
    Long,
    /// `Serdes$IntegerSerde` (`i32`).
    Integer,
    /// `Serdes$ShortSerde` (`i16`).
    Short,
    /// `Serdes$DoubleSerde` (`f64`).
    Double,
    /// `Serdes$FloatSerde` (`f32`).
    Float,
    /// `Serdes$ByteArraySerde` (`Vec<u8>`).
    ByteArray,
    /// JSON (`serde_json::Value`).
    Json,
}

const SERDES_PREFIX: &str = "org.apache.kafka.common.serialization.Serdes$";

impl SerdeKind {
    /// The serde a class name stands for: Kafka's `Serdes$XxxSerde` names, their simple names
    /// (`StringSerde`), and for JSON `org.apache.kafka.connect.json.JsonSerde` or `JsonSerde`.
    pub fn from_class(class: &str) -> Option<SerdeKind> {
        let simple = class.strip_prefix(SERDES_PREFIX).unwrap_or(class);
        Some(match simple {
            "StringSerde" => SerdeKind::String,
            "LongSerde" => SerdeKind::Long,
            "IntegerSerde" => SerdeKind::Integer,
            "ShortSerde" => SerdeKind::Short,
            "DoubleSerde" => SerdeKind::Double,
            "FloatSerde" => SerdeKind::Float,
            "ByteArraySerde" => SerdeKind::ByteArray,
            "JsonSerde" | "org.apache.kafka.connect.json.JsonSerde" => SerdeKind::Json,
            _ => return None,
        })
    }

    /// Kafka's class name for it.
    pub fn class_name(self) -> String {
        match self {
            SerdeKind::Json => "org.apache.kafka.connect.json.JsonSerde".to_string(),
            other => format!("{SERDES_PREFIX}{}", other.simple_name()),
        }
    }

    fn simple_name(self) -> &'static str {
        match self {
            SerdeKind::String => "StringSerde",
            SerdeKind::Long => "LongSerde",
            SerdeKind::Integer => "IntegerSerde",
            SerdeKind::Short => "ShortSerde",
            SerdeKind::Double => "DoubleSerde",
            SerdeKind::Float => "FloatSerde",
            SerdeKind::ByteArray => "ByteArraySerde",
            SerdeKind::Json => "JsonSerde",
        }
    }

    /// The Rust type its values have.
    pub fn rust_type(self) -> &'static str {
        match self {
            SerdeKind::String => "String",
            SerdeKind::Long => "i64",
            SerdeKind::Integer => "i32",
            SerdeKind::Short => "i16",
            SerdeKind::Double => "f64",
            SerdeKind::Float => "f32",
            SerdeKind::ByteArray => "Vec<u8>",
            SerdeKind::Json => "serde_json::Value",
        }
    }

    /// This serde for values of type `T`, or `None` when it produces another type.
    pub fn for_type<T: 'static>(self) -> Option<SerdeRef<T>> {
        let any: Box<dyn Any> = match self {
            SerdeKind::String => Box::new(Arc::new(StringSerde) as SerdeRef<String>),
            SerdeKind::Long => Box::new(Arc::new(LongSerde) as SerdeRef<i64>),
            SerdeKind::Integer => Box::new(Arc::new(IntegerSerde) as SerdeRef<i32>),
            SerdeKind::Short => Box::new(Arc::new(ShortSerde) as SerdeRef<i16>),
            SerdeKind::Double => Box::new(Arc::new(DoubleSerde) as SerdeRef<f64>),
            SerdeKind::Float => Box::new(Arc::new(FloatSerde) as SerdeRef<f32>),
            SerdeKind::ByteArray => Box::new(Arc::new(ByteArraySerde) as SerdeRef<Vec<u8>>),
            SerdeKind::Json => Box::new(Arc::new(JsonSerde) as SerdeRef<serde_json::Value>),
        };
        any.downcast::<SerdeRef<T>>().ok().map(|b| *b)
    }
}

/// Where a node's serde comes from: given in code (`Consumed`, `Produced`, `Grouped`,
/// `Materialized`), or the configured default, resolved when a task is created.
pub enum SerdeSpec<T> {
    /// Given in code.
    Given(SerdeRef<T>),
    /// `default.key.serde` (`is_key`) or `default.value.serde`.
    Default {
        /// Which of the two defaults.
        is_key: bool,
    },
}

impl<T> Clone for SerdeSpec<T> {
    fn clone(&self) -> Self {
        match self {
            SerdeSpec::Given(s) => SerdeSpec::Given(Arc::clone(s)),
            SerdeSpec::Default { is_key } => SerdeSpec::Default { is_key: *is_key },
        }
    }
}

impl<T: 'static> SerdeSpec<T> {
    /// The default key serde.
    pub fn default_key() -> Self {
        SerdeSpec::Default { is_key: true }
    }

    /// The default value serde.
    pub fn default_value() -> Self {
        SerdeSpec::Default { is_key: false }
    }

    /// The serde to use, given the configured defaults; `what` names the node for the error.
    pub fn resolve(&self, defaults: &DefaultSerdes, what: &str) -> Result<SerdeRef<T>> {
        match self {
            SerdeSpec::Given(s) => Ok(Arc::clone(s)),
            SerdeSpec::Default { is_key } => {
                let (key, kind) = if *is_key {
                    ("default.key.serde", defaults.key)
                } else {
                    ("default.value.serde", defaults.value)
                };
                let Some(kind) = kind else {
                    return Err(StreamsError::config(
                        key,
                        "null",
                        format!("{what} has no serde given in code, so {key} must be set"),
                    ));
                };
                kind.for_type::<T>().ok_or_else(|| {
                    StreamsError::config(
                        key,
                        &kind.class_name(),
                        format!(
                            "{what} holds {} but this serde reads and writes {}; pass a serde in code",
                            std::any::type_name::<T>(),
                            kind.rust_type()
                        ),
                    )
                })
            }
        }
    }
}

/// The configured default serdes.
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultSerdes {
    /// `default.key.serde`.
    pub key: Option<SerdeKind>,
    /// `default.value.serde`.
    pub value: Option<SerdeKind>,
}

/// Shorthands for building serdes, as Java's `Serdes.String()`, `Serdes.Long()`, ….
pub struct Serdes;

impl Serdes {
    /// `Serdes.String()`.
    pub fn string() -> SerdeRef<String> {
        Arc::new(StringSerde)
    }
    /// `Serdes.Long()`.
    pub fn long() -> SerdeRef<i64> {
        Arc::new(LongSerde)
    }
    /// `Serdes.Integer()`.
    pub fn integer() -> SerdeRef<i32> {
        Arc::new(IntegerSerde)
    }
    /// `Serdes.Double()`.
    pub fn double() -> SerdeRef<f64> {
        Arc::new(DoubleSerde)
    }
    /// `Serdes.ByteArray()`.
    pub fn byte_array() -> SerdeRef<Vec<u8>> {
        Arc::new(ByteArraySerde)
    }
    /// JSON documents.
    pub fn json() -> SerdeRef<serde_json::Value> {
        Arc::new(JsonSerde)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_big_endian_with_kafkas_size_errors() {
        assert_eq!(
            LongSerde.serialize("t", &3).unwrap(),
            vec![0, 0, 0, 0, 0, 0, 0, 3]
        );
        assert_eq!(
            IntegerSerde.serialize("t", &-2).unwrap(),
            vec![255, 255, 255, 254]
        );
        assert_eq!(
            DoubleSerde.serialize("t", &1.5).unwrap(),
            vec![0x3f, 0xf8, 0, 0, 0, 0, 0, 0]
        );
        assert_eq!(
            LongSerde
                .deserialize("t", &[0, 0, 0, 0, 0, 0, 1, 0])
                .unwrap(),
            256
        );
        assert_eq!(
            LongSerde.deserialize("t", &[1, 2]).unwrap_err().to_string(),
            "Size of data received by LongDeserializer is not 8"
        );
        assert_eq!(
            IntegerSerde.deserialize("t", &[1]).unwrap_err().to_string(),
            "Size of data received by IntegerDeserializer is not 4"
        );
    }

    #[test]
    fn strings_are_utf8_and_read_leniently() {
        assert_eq!(
            StringSerde.serialize("t", &"é".to_string()).unwrap(),
            vec![0xc3, 0xa9]
        );
        assert_eq!(
            StringSerde.deserialize("t", &[0x61, 0xff]).unwrap(),
            "a\u{fffd}"
        );
    }

    #[test]
    fn class_names_resolve_to_serdes_of_the_right_type() {
        let kind = SerdeKind::from_class("org.apache.kafka.common.serialization.Serdes$LongSerde");
        assert_eq!(kind, Some(SerdeKind::Long));
        assert!(SerdeKind::Long.for_type::<i64>().is_some());
        assert!(SerdeKind::Long.for_type::<String>().is_none());
        assert_eq!(
            SerdeKind::from_class("StringSerde"),
            Some(SerdeKind::String)
        );
        assert_eq!(SerdeKind::from_class("com.example.Nope"), None);
        let defaults = DefaultSerdes {
            key: Some(SerdeKind::Long),
            value: None,
        };
        let err = SerdeSpec::<String>::default_key()
            .resolve(&defaults, "source KSTREAM-SOURCE-0000000000")
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("default.key.serde") && err.contains("i64"),
            "{err}"
        );
        let err = SerdeSpec::<String>::default_value()
            .resolve(&defaults, "x")
            .err()
            .unwrap()
            .to_string();
        assert!(err.contains("default.value.serde must be set"), "{err}");
    }
}
