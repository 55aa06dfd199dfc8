//! [`Value`]: a Connect value, typed as the Java object it stands for.

use crate::data::{Decimal, Schema, Struct};

/// A Connect value. Each variant stands for the Java class Kafka Connect would hold:
/// `Int8` ↔ `Byte`, `Int64` ↔ `Long`, `Bytes` ↔ `byte[]`, `Array` ↔ `List`, `Map` ↔ `Map`, …
///
/// Logical types are typed variants: [`Value::Decimal`] (`BigDecimal`), and the three
/// `java.util.Date` forms [`Value::Date`] (days since epoch), [`Value::Time`] (milliseconds of
/// the day) and [`Value::Timestamp`] (milliseconds since epoch). A `java.util.Date` that is
/// neither a whole day nor a time of day (Kafka can produce one, e.g. `Values.convertToDate` of a
/// timestamp text) is held as a `Timestamp`; the schema it sits under decides how it is written.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Value {
    /// Java `null`.
    #[default]
    Null,
    /// `Boolean`.
    Boolean(bool),
    /// `Byte`.
    Int8(i8),
    /// `Short`.
    Int16(i16),
    /// `Integer`.
    Int32(i32),
    /// `Long`.
    Int64(i64),
    /// `Float`.
    Float32(f32),
    /// `Double`.
    Float64(f64),
    /// `String`.
    String(String),
    /// `byte[]`.
    Bytes(Vec<u8>),
    /// `List`.
    Array(Vec<Value>),
    /// `Map`, entries in iteration order.
    Map(Vec<(Value, Value)>),
    /// `Struct`.
    Struct(Struct),
    /// `BigDecimal` (logical type `Decimal`).
    Decimal(Decimal),
    /// `java.util.Date` at midnight UTC (logical type `Date`): days since the epoch.
    Date(i32),
    /// `java.util.Date` within the first day (logical type `Time`): milliseconds of the day,
    /// `0..=86_400_000`.
    Time(i32),
    /// `java.util.Date` (logical type `Timestamp`): milliseconds since the epoch.
    Timestamp(i64),
}

/// Milliseconds in one day.
pub const MILLIS_PER_DAY: i64 = 86_400_000;

impl Value {
    /// Whether this is `Null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// Whether the value owns heap memory (strings, bytes, arrays, maps, structs, decimals).
    pub fn owns_heap(&self) -> bool {
        // exhaustive on purpose: a new variant must say whether it owns memory
        match self {
            Value::String(_)
            | Value::Bytes(_)
            | Value::Array(_)
            | Value::Map(_)
            | Value::Struct(_)
            | Value::Decimal(_) => true,
            Value::Null
            | Value::Boolean(_)
            | Value::Int8(_)
            | Value::Int16(_)
            | Value::Int32(_)
            | Value::Int64(_)
            | Value::Float32(_)
            | Value::Float64(_)
            | Value::Date(_)
            | Value::Time(_)
            | Value::Timestamp(_) => false,
        }
    }

    /// Drops the value, skipping the out-of-line destructor when it owns no heap memory (null,
    /// numbers, booleans, dates): for hot paths that overwrite or discard many scalar slots.
    #[inline]
    pub fn discard(self) {
        if self.owns_heap() {
            drop(self);
        } else {
            // nothing to free: a scalar or null has no destructor work to do
            std::mem::forget(self);
        }
    }

    /// Overwrites the value with `new`, dropping the old one as [`discard`](Value::discard)
    /// does.
    #[inline]
    pub fn set(&mut self, new: Value) {
        std::mem::replace(self, new).discard();
    }

    /// For the three `java.util.Date` forms, the instant in epoch milliseconds.
    pub fn as_epoch_millis(&self) -> Option<i64> {
        match self {
            Value::Date(days) => Some(*days as i64 * MILLIS_PER_DAY),
            Value::Time(ms) => Some(*ms as i64),
            Value::Timestamp(ms) => Some(*ms),
            _ => None,
        }
    }

    /// Whether the value is one of the `java.util.Date` forms.
    pub fn is_java_date(&self) -> bool {
        matches!(self, Value::Date(_) | Value::Time(_) | Value::Timestamp(_))
    }

    /// The Java class of the value as `Object.getClass().toString()` prints it (used in
    /// Kafka's error messages): `class java.lang.String`, `class [B`, …
    pub fn java_class(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Boolean(_) => "class java.lang.Boolean",
            Value::Int8(_) => "class java.lang.Byte",
            Value::Int16(_) => "class java.lang.Short",
            Value::Int32(_) => "class java.lang.Integer",
            Value::Int64(_) => "class java.lang.Long",
            Value::Float32(_) => "class java.lang.Float",
            Value::Float64(_) => "class java.lang.Double",
            Value::String(_) => "class java.lang.String",
            Value::Bytes(_) => "class [B",
            Value::Array(_) => "class java.util.ArrayList",
            Value::Map(_) => "class java.util.HashMap",
            Value::Struct(_) => "class org.apache.kafka.connect.data.Struct",
            Value::Decimal(_) => "class java.math.BigDecimal",
            Value::Date(_) | Value::Time(_) | Value::Timestamp(_) => "class java.util.Date",
        }
    }

    /// Looks up a map entry by key (linear; maps are small in practice).
    pub fn map_get<'a>(entries: &'a [(Value, Value)], key: &Value) -> Option<&'a Value> {
        entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Value::Boolean(v)
    }
}
impl From<i8> for Value {
    fn from(v: i8) -> Self {
        Value::Int8(v)
    }
}
impl From<i16> for Value {
    fn from(v: i16) -> Self {
        Value::Int16(v)
    }
}
impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Int32(v)
    }
}
impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Int64(v)
    }
}
impl From<f32> for Value {
    fn from(v: f32) -> Self {
        Value::Float32(v)
    }
}
impl From<f64> for Value {
    fn from(v: f64) -> Self {
        Value::Float64(v)
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::String(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::String(v.to_string())
    }
}
impl From<Vec<u8>> for Value {
    fn from(v: Vec<u8>) -> Self {
        Value::Bytes(v)
    }
}
impl From<Struct> for Value {
    fn from(v: Struct) -> Self {
        Value::Struct(v)
    }
}
impl From<Decimal> for Value {
    fn from(v: Decimal) -> Self {
        Value::Decimal(v)
    }
}

/// A schema (absent for schemaless data) together with a value (Java `SchemaAndValue`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SchemaAndValue {
    /// The schema, or `None` for schemaless data.
    pub schema: Option<Schema>,
    /// The value.
    pub value: Value,
}

impl SchemaAndValue {
    /// A schema and a value.
    pub fn new(schema: Option<Schema>, value: Value) -> Self {
        SchemaAndValue { schema, value }
    }

    /// No schema and a null value (Java `SchemaAndValue.NULL`).
    pub fn null() -> Self {
        SchemaAndValue::default()
    }
}
