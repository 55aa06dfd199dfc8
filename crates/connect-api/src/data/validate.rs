//! Java's `ConnectSchema.validateValue`: does a value fit a schema?

use crate::data::logical::Logical;
use crate::data::{Schema, Type, Value};
use crate::error::{ConnectError, Result};

/// Checks `value` against `schema` as Java's `ConnectSchema.validateValue(field, schema, value)`
/// does, with the same messages. `field` names the struct field being checked, if any.
pub fn validate_value(field: Option<&str>, schema: &Schema, value: &Value) -> Result<()> {
    let location = match field {
        Some(f) => format!("field: \"{f}\""),
        None => "value".to_string(),
    };
    validate_at(schema, value, &location)
}

/// Whether the Java class of a non-null `value` is one `schema` accepts at the top level
/// (logical types by class; children of arrays, maps and structs are not checked).
pub fn class_matches(schema: &Schema, value: &Value) -> bool {
    match schema.logical() {
        Some(Logical::Decimal) => return matches!(value, Value::Decimal(_)),
        Some(Logical::Date) | Some(Logical::Time) | Some(Logical::Timestamp) => {
            return value.is_java_date()
        }
        None => {}
    }
    matches!(
        (schema.schema_type(), value),
        (Type::Int8, Value::Int8(_))
            | (Type::Int16, Value::Int16(_))
            | (Type::Int32, Value::Int32(_))
            | (Type::Int64, Value::Int64(_))
            | (Type::Float32, Value::Float32(_))
            | (Type::Float64, Value::Float64(_))
            | (Type::Boolean, Value::Boolean(_))
            | (Type::String, Value::String(_))
            | (Type::Bytes, Value::Bytes(_))
            | (Type::Array, Value::Array(_))
            | (Type::Map, Value::Map(_))
            | (Type::Struct, Value::Struct(_))
    )
}

fn validate_at(schema: &Schema, value: &Value, location: &str) -> Result<()> {
    if value.is_null() {
        if !schema.is_optional() {
            return Err(ConnectError::data(format!(
                "Invalid value: null used for required {location}, schema type: {}",
                schema.schema_type()
            )));
        }
        return Ok(());
    }
    if !class_matches(schema, value) {
        let mut msg = String::from("Invalid Java object for schema");
        if let Some(name) = schema.name() {
            msg.push_str(" \"");
            msg.push_str(name);
            msg.push('"');
        }
        msg.push_str(" with type ");
        msg.push_str(schema.schema_type().java_name());
        msg.push_str(": ");
        msg.push_str(value.java_class());
        msg.push_str(" for ");
        msg.push_str(location);
        return Err(ConnectError::data(msg));
    }
    match value {
        Value::Struct(s) => {
            if s.schema() != schema {
                return Err(ConnectError::data("Struct schemas do not match."));
            }
            s.validate()
        }
        Value::Array(items) => {
            let loc = format!("element of array {location}");
            let item_schema = child(schema.value_schema(), &loc)?;
            items
                .iter()
                .try_for_each(|v| validate_at(item_schema, v, &loc))
        }
        Value::Map(entries) => {
            let key_loc = format!("key of map {location}");
            let value_loc = format!("value of map {location}");
            let key_schema = child(schema.key_schema(), &key_loc)?;
            let value_schema = child(schema.value_schema(), &value_loc)?;
            for (k, v) in entries {
                validate_at(key_schema, k, &key_loc)?;
                validate_at(value_schema, v, &value_loc)?;
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn child<'a>(schema: Option<&'a Schema>, location: &str) -> Result<&'a Schema> {
    schema.ok_or_else(|| ConnectError::data(format!("No schema defined for {location}")))
}
