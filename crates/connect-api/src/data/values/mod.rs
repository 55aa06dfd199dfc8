//! Java's `org.apache.kafka.connect.data.Values`: parse text into Connect data, convert
//! between types, infer schemas. (Skeleton: being implemented.)

use crate::data::{Schema, SchemaAndValue, Value};
use crate::error::{ConnectError, Result};

fn todo_err() -> ConnectError {
    ConnectError::other("Values: not implemented yet")
}

/// Java `Values.parseString(value)`; `Ok(None)` is Java's null `SchemaAndValue` (input `null`).
pub fn parse_string(_value: &str) -> Result<Option<SchemaAndValue>> {
    Err(todo_err())
}

/// Java `Values.inferSchema(value)`.
pub fn infer_schema(_value: &Value) -> Option<Schema> {
    None
}

macro_rules! convert_fn {
    ($($name:ident => $doc:literal),* $(,)?) => {$(
        #[doc = $doc]
        pub fn $name(_schema: Option<&Schema>, _value: &Value) -> Result<Value> {
            Err(todo_err())
        }
    )*};
}

convert_fn!(
    convert_to_boolean => "Java `Values.convertToBoolean`; `Value::Null` for null.",
    convert_to_byte => "Java `Values.convertToByte`.",
    convert_to_short => "Java `Values.convertToShort`.",
    convert_to_integer => "Java `Values.convertToInteger`.",
    convert_to_long => "Java `Values.convertToLong`.",
    convert_to_float => "Java `Values.convertToFloat`.",
    convert_to_double => "Java `Values.convertToDouble`.",
    convert_to_string => "Java `Values.convertToString`.",
    convert_to_list => "Java `Values.convertToList`.",
    convert_to_map => "Java `Values.convertToMap`.",
    convert_to_struct => "Java `Values.convertToStruct`.",
    convert_to_date => "Java `Values.convertToDate`.",
    convert_to_time => "Java `Values.convertToTime`.",
    convert_to_timestamp => "Java `Values.convertToTimestamp`.",
);

/// Java `Values.convertToDecimal(schema, value, scale)`.
pub fn convert_to_decimal(_schema: Option<&Schema>, _value: &Value, _scale: i32) -> Result<Value> {
    Err(todo_err())
}
