//! The fixed-width number and boolean converters of `org.apache.kafka.connect.converters`.
//!
//! Each writes the Kafka serializer's big-endian bytes of exactly one Java class (the schema
//! is not consulted: `IntegerConverter` rejects a `Byte` or a `Long` whatever the schema) and
//! reads them back with an optional schema of its type.

mod boolean;
mod double;
mod float;
mod integer;
mod long;
mod short;

pub use boolean::BooleanConverter;
pub use double::DoubleConverter;
pub use float::FloatConverter;
pub use integer::IntegerConverter;
pub use long::LongConverter;
pub use short::ShortConverter;

use std::fmt;

use connect_api::{ConnectError, Result, Schema, SchemaAndValue, Type, Value};

/// A Java exception Kafka chains as the cause of a converter error (informational).
#[derive(Debug)]
pub(crate) struct JavaCause {
    class: &'static str,
    message: String,
}

impl fmt::Display for JavaCause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class, self.message)
    }
}

impl std::error::Error for JavaCause {}

/// What distinguishes one number converter (Java's `NumberConverter` subclasses).
pub(crate) struct NumberKind {
    /// The type name in messages: `short`, `integer`, …
    pub name: &'static str,
    /// The Java class the value must be: `java.lang.Short`, …
    pub java_class: &'static str,
    /// The schema type read back (optional).
    pub schema_type: Type,
    /// The Kafka deserializer's name in its size message.
    pub deserializer: &'static str,
    /// The byte width.
    pub width: usize,
}

/// Whether a value is a `java.lang.Number` in Java.
fn is_java_number(value: &Value) -> bool {
    matches!(
        value,
        Value::Int8(_)
            | Value::Int16(_)
            | Value::Int32(_)
            | Value::Int64(_)
            | Value::Float32(_)
            | Value::Float64(_)
            | Value::Decimal(_)
    )
}

/// The module Java reports a class in, for `ClassCastException` messages.
fn module_of(class: &str) -> &'static str {
    if class.starts_with("java.") || class.starts_with('[') {
        "module java.base of loader 'bootstrap'"
    } else {
        "unnamed module of loader 'app'"
    }
}

/// Java's `ClassCastException` text for casting `from` to `to` (both without `class `).
fn class_cast_message(from: &str, to: &str) -> String {
    let (fm, tm) = (module_of(from), module_of(to));
    let where_ = if fm == tm {
        format!("{from} and {to} are in {fm}")
    } else {
        format!("{from} is in {fm}; {to} is in {tm}")
    };
    format!("class {from} cannot be cast to class {to} ({where_})")
}

impl NumberKind {
    /// Java `NumberConverter.fromConnectData`: the serializer's bytes of a value of exactly
    /// this kind's class (`bytes` extracts it), `None` for null.
    pub fn serialize(
        &self,
        value: &Value,
        bytes: impl Fn(&Value) -> Option<Vec<u8>>,
    ) -> Result<Option<Vec<u8>>> {
        if value.is_null() {
            return Ok(None);
        }
        if let Some(b) = bytes(value) {
            return Ok(Some(b));
        }
        let class = value.java_class();
        let from = class.trim_start_matches("class ");
        let to = if is_java_number(value) {
            self.java_class
        } else {
            "java.lang.Number"
        };
        Err(ConnectError::data_with(
            format!("Failed to serialize to {} (was {class}): ", self.name),
            JavaCause {
                class: "java.lang.ClassCastException",
                message: class_cast_message(from, to),
            },
        ))
    }

    /// Java `NumberConverter.toConnectData`: the value of exactly `width` bytes (`value`
    /// builds it), with an optional schema; null for null.
    pub fn deserialize(
        &self,
        bytes: Option<&[u8]>,
        value: impl Fn(&[u8]) -> Value,
    ) -> Result<SchemaAndValue> {
        let schema = Some(Schema::optional(self.schema_type));
        let Some(bytes) = bytes else {
            return Ok(SchemaAndValue::new(schema, Value::Null));
        };
        if bytes.len() != self.width {
            return Err(ConnectError::data_with(
                format!("Failed to deserialize {}: ", self.name),
                JavaCause {
                    class: "org.apache.kafka.common.errors.SerializationException",
                    message: format!(
                        "Size of data received by {} is not {}",
                        self.deserializer, self.width
                    ),
                },
            ));
        }
        Ok(SchemaAndValue::new(schema, value(bytes)))
    }
}

/// Implements `Converter` and `HeaderConverter` (the same behaviour) for a number converter
/// type with `serialize(schema, value)` and `deserialize(bytes)` methods, through
/// [`crate::codec::Codec`].
macro_rules! number_converter_traits {
    ($ty:ty) => {
        impl $crate::codec::Codec for $ty {
            fn encode(
                &self,
                schema: Option<&connect_api::Schema>,
                value: &connect_api::Value,
            ) -> connect_api::Result<Option<Vec<u8>>> {
                self.serialize(schema, value)
            }

            fn decode(
                &self,
                bytes: Option<&[u8]>,
            ) -> connect_api::Result<connect_api::SchemaAndValue> {
                self.deserialize(bytes)
            }
        }

        $crate::codec::codec_converter!($ty);
    };
}
pub(crate) use number_converter_traits;

/// Fixed-size big-endian chunk of a slice already checked to be `N` bytes long.
pub(crate) fn array<const N: usize>(bytes: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    out.copy_from_slice(&bytes[..N]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine;
    use connect_api::{Converter, HeaderConverter, Headers};
    use std::collections::BTreeMap;
    use std::error::Error;

    fn b64(text: &str) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .unwrap()
    }

    fn write(c: &dyn Converter, schema: Option<Type>, value: Value) -> Result<Option<Vec<u8>>> {
        let schema = schema.map(Schema::required);
        c.from_connect_data("t", &mut Headers::new(), schema.as_ref(), &value)
    }

    fn read(c: &dyn Converter, bytes: &str) -> Result<SchemaAndValue> {
        c.to_connect_data("t", &Headers::new(), Some(&b64(bytes)))
    }

    fn cfg() -> BTreeMap<String, String> {
        BTreeMap::new()
    }

    #[test]
    fn writes_big_endian_bytes() {
        let int = IntegerConverter::new(&cfg(), false).unwrap();
        // converters-d8247ff72b, converters-8995bbc2d8
        assert_eq!(
            write(&int, Some(Type::Int32), Value::Int32(0)).unwrap(),
            Some(b64("AAAAAA=="))
        );
        assert_eq!(
            write(&int, Some(Type::Int32), Value::Int32(-1)).unwrap(),
            Some(b64("/////w=="))
        );
        let long = LongConverter::new(&cfg(), false).unwrap();
        // converters-2aa563c1f8, converters-ca4d909993
        assert_eq!(
            write(&long, None, Value::Int64(5)).unwrap(),
            Some(b64("AAAAAAAAAAU="))
        );
        assert_eq!(write(&long, None, Value::Null).unwrap(), None);
        let short = ShortConverter::new(&cfg(), false).unwrap();
        // converters-52cdea358a
        assert_eq!(
            write(&short, Some(Type::Int16), Value::Int16(-32768)).unwrap(),
            Some(b64("gAA="))
        );
        let float = FloatConverter::new(&cfg(), false).unwrap();
        // converters-55d6122568, converters-a44f8da5d2
        assert_eq!(
            write(&float, Some(Type::Float32), Value::Float32(f32::NAN)).unwrap(),
            Some(b64("f8AAAA=="))
        );
        assert_eq!(
            write(&float, Some(Type::Float32), Value::Float32(3.4028235e38)).unwrap(),
            Some(b64("f3///w=="))
        );
        let double = DoubleConverter::new(&cfg(), true).unwrap();
        // converters-bcd57c6d43, converters-377ab37067, converters-c21eace900
        assert_eq!(
            write(&double, None, Value::Float64(-0.0)).unwrap(),
            Some(b64("gAAAAAAAAAA="))
        );
        assert_eq!(
            write(&double, None, Value::Float64(0.1)).unwrap(),
            Some(b64("P7mZmZmZmZo="))
        );
        assert_eq!(
            write(&double, None, Value::Float64(5e-324)).unwrap(),
            Some(b64("AAAAAAAAAAE="))
        );
    }

    #[test]
    fn requires_the_exact_java_class() {
        let int = IntegerConverter::new(&cfg(), false).unwrap();
        // converters-916f6f0a0e
        let e = write(&int, None, Value::Int8(1)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Failed to serialize to integer (was class java.lang.Byte): "
        );
        assert_eq!(
            e.source().unwrap().to_string(),
            "java.lang.ClassCastException: class java.lang.Byte cannot be cast to class java.lang.Integer (java.lang.Byte and java.lang.Integer are in module java.base of loader 'bootstrap')"
        );
        // converters-6c8f24e4b4
        let e = write(&int, Some(Type::String), "12".into()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Failed to serialize to integer (was class java.lang.String): "
        );
        assert!(e
            .source()
            .unwrap()
            .to_string()
            .contains("to class java.lang.Number"));
        // converters-323b7ab0c1, converters-df2e8c534f, converters-46fc7b9491
        let short = ShortConverter::new(&cfg(), false).unwrap();
        let e = write(&short, None, Value::Int64(5)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Failed to serialize to short (was class java.lang.Long): "
        );
        let e = write(&short, None, Value::Float64(2.5)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Failed to serialize to short (was class java.lang.Double): "
        );
        let float = FloatConverter::new(&cfg(), false).unwrap();
        let e = write(&float, None, Value::Int64(5)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Failed to serialize to float (was class java.lang.Long): "
        );
        let long = LongConverter::new(&cfg(), false).unwrap();
        let e = write(&long, Some(Type::String), "12".into()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Failed to serialize to long (was class java.lang.String): "
        );
        let double = DoubleConverter::new(&cfg(), false).unwrap();
        let e = write(&double, Some(Type::String), "12".into()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Failed to serialize to double (was class java.lang.String): "
        );
    }

    #[test]
    fn reads_with_optional_schemas() {
        let int = IntegerConverter::new(&cfg(), false).unwrap();
        // converters-494a298204
        let sv = read(&int, "f////w==").unwrap();
        assert_eq!(sv.schema, Some(Schema::optional(Type::Int32)));
        assert_eq!(sv.value, Value::Int32(i32::MAX));
        let short = ShortConverter::new(&cfg(), false).unwrap();
        assert_eq!(read(&short, "f/8=").unwrap().value, Value::Int16(32767)); // converters-9f34c73fa6
        let float = FloatConverter::new(&cfg(), false).unwrap();
        // converters-98f283ec7b, converters-f7d0659036
        let neg_zero = read(&float, "gAAAAA==").unwrap().value;
        assert!(matches!(neg_zero, Value::Float32(v) if v == 0.0 && v.is_sign_negative()));
        assert!(matches!(read(&float, "f8AAAQ==").unwrap().value, Value::Float32(v) if v.is_nan()));
        let double = DoubleConverter::new(&cfg(), false).unwrap();
        // converters-3e44f48022
        assert_eq!(
            read(&double, "//AAAAAAAAA=").unwrap().value,
            Value::Float64(f64::NEG_INFINITY)
        );
        let long = LongConverter::new(&cfg(), false).unwrap();
        // converters-566f430b10
        let sv = long.to_connect_data("t", &Headers::new(), None).unwrap();
        assert_eq!(sv.schema, Some(Schema::optional(Type::Int64)));
        assert_eq!(sv.value, Value::Null);
    }

    #[test]
    fn wrong_lengths_fail_to_deserialize() {
        let cases: Vec<(Box<dyn Converter>, &str, &str, &str)> = vec![
            // converters-46276bbc00
            (
                Box::new(IntegerConverter::default()),
                "AAAAAAA=",
                "integer",
                "IntegerDeserializer is not 4",
            ),
            // converters-5b48e7924b
            (
                Box::new(ShortConverter::default()),
                "",
                "short",
                "ShortDeserializer is not 2",
            ),
            // converters-3f0001afa6
            (
                Box::new(LongConverter::default()),
                "AAAAAAAAAA==",
                "long",
                "LongDeserializer is not 8",
            ),
            // converters-fdc5c1fee9
            (
                Box::new(FloatConverter::default()),
                "AAAA",
                "float",
                "Deserializer is not 4",
            ),
            // converters-839438284b
            (
                Box::new(DoubleConverter::default()),
                "AAAAAAAAAAAA",
                "double",
                "Deserializer is not 8",
            ),
        ];
        for (c, bytes, name, cause) in cases {
            let e = read(c.as_ref(), bytes).unwrap_err();
            assert_eq!(e.to_string(), format!("Failed to deserialize {name}: "));
            let source = e.source().unwrap().to_string();
            assert!(
                source.ends_with(&format!("Size of data received by {cause}")),
                "{source}"
            );
        }
    }

    #[test]
    fn header_methods_behave_the_same() {
        let int = IntegerConverter::default();
        assert_eq!(
            int.from_connect_header("t", "h", None, &Value::Int32(1))
                .unwrap(),
            Some(vec![0, 0, 0, 1])
        );
        assert_eq!(
            int.to_connect_header("t", "h", Some(&[0, 0, 0, 1]))
                .unwrap()
                .value,
            Value::Int32(1)
        );
    }

    #[test]
    fn class_cast_messages_like_java() {
        assert_eq!(
            class_cast_message("java.lang.Byte", "java.lang.Integer"),
            "class java.lang.Byte cannot be cast to class java.lang.Integer (java.lang.Byte and java.lang.Integer are in module java.base of loader 'bootstrap')"
        );
        assert_eq!(
            class_cast_message("org.apache.kafka.connect.data.Struct", "java.lang.Number"),
            "class org.apache.kafka.connect.data.Struct cannot be cast to class java.lang.Number (org.apache.kafka.connect.data.Struct is in unnamed module of loader 'app'; java.lang.Number is in module java.base of loader 'bootstrap')"
        );
    }
}
