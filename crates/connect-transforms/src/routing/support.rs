//! Helpers shared by the routing transforms, the predicates and the Debezium transform: Java's
//! `RegexValidator` and `ConnectHeaders.checkSchemaMatches`.

use connect_api::config::{LambdaValidator, ParsedValue};
use connect_api::data::logical::Logical;
use connect_api::error::ConfigIssue;
use connect_api::{ConnectError, Result, Schema, Type, Value};

use crate::routing::java_regex::JavaRegex;

/// Java `org.apache.kafka.common.config.ConfigDef` `RegexValidator` (used by RegexRouter and
/// TopicNameMatches): `Invalid value [ for configuration regex: Invalid regex: Unclosed
/// character class near index 0 …`.
pub fn valid_regex() -> LambdaValidator {
    LambdaValidator::new(
        |name, value| match value {
            Some(ParsedValue::String(s)) => JavaRegex::compile(s).map(|_| ()).map_err(|e| {
                ConfigIssue::invalid_value(name, s.clone(), format!("Invalid regex: {e}"))
            }),
            Some(other) => Err(ConfigIssue::invalid_value(
                name,
                other.to_string(),
                "Invalid regex: not a string",
            )),
            None => Err(ConfigIssue::invalid_null(name, "Invalid regex: null")),
        },
        "valid regex",
    )
}

/// Compiles a pattern that a [`valid_regex`] validator already accepted, as a config error on
/// `key` should it fail anyway.
pub fn compile_regex(key: &str, pattern: &str) -> Result<JavaRegex> {
    JavaRegex::compile(pattern)
        .map_err(|e| ConnectError::config(key, pattern, format!("Invalid regex: {e}")))
}

/// Java `ConnectHeaders.checkSchemaMatches`, run by `Headers.add(key, value, schema)`: a null
/// value needs an optional schema, and a value must be of the Java class of its schema's type
/// (shallow: the contents of arrays, maps and structs are not checked).
pub fn check_header_value(schema: Option<&Schema>, value: &Value) -> Result<()> {
    let Some(schema) = schema else {
        return Ok(());
    };
    if value.is_null() {
        if schema.is_optional() {
            return Ok(());
        }
        return Err(ConnectError::data(format!(
            "A null value requires an optional schema but was {schema}"
        )));
    }
    let logical = schema.logical();
    let fits = match (schema.schema_type(), value) {
        (Type::Bytes, Value::Bytes(_)) => true,
        (Type::Bytes, Value::Decimal(_)) => logical == Some(Logical::Decimal),
        (Type::String, Value::String(_)) => true,
        (Type::Boolean, Value::Boolean(_)) => true,
        (Type::Int8, Value::Int8(_)) => true,
        (Type::Int16, Value::Int16(_)) => true,
        (Type::Int32, Value::Int32(_)) => true,
        (Type::Int32, v) if v.is_java_date() => {
            matches!(logical, Some(Logical::Date) | Some(Logical::Time))
        }
        (Type::Int64, Value::Int64(_)) => true,
        (Type::Int64, v) if v.is_java_date() => logical == Some(Logical::Timestamp),
        (Type::Float32, Value::Float32(_)) => true,
        (Type::Float64, Value::Float64(_)) => true,
        (Type::Array, Value::Array(_)) => true,
        (Type::Map, Value::Map(_)) => true,
        (Type::Struct, Value::Struct(_)) => true,
        _ => false,
    };
    if fits {
        Ok(())
    } else {
        Err(ConnectError::data(format!(
            "The value {value} is not compatible with the schema {schema}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_api::config::Validator;
    use connect_api::SchemaBuilder;

    #[test]
    fn non_empty_list_messages() {
        let v = crate::util::NonEmptyList;
        let e = v
            .ensure_valid("fields", Some(&ParsedValue::List(vec![])))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Invalid value [] for configuration fields: Empty list"
        );
        let e = v.ensure_valid("fields", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Invalid value null for configuration fields: Empty list"
        );
        v.ensure_valid("fields", Some(&ParsedValue::List(vec!["a".into()])))
            .unwrap();
    }

    #[test]
    fn regex_validator_messages() {
        let v = valid_regex();
        let e = v
            .ensure_valid("regex", Some(&ParsedValue::String("[".into())))
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Invalid value [ for configuration regex: Invalid regex: Unclosed character class near index 0\n[\n^"
        );
        v.ensure_valid("regex", Some(&ParsedValue::String("a.*".into())))
            .unwrap();
        let e = v.ensure_valid("regex", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "Invalid value null for configuration regex: Invalid regex: null"
        );
        let e = compile_regex("pattern", "(").unwrap_err();
        assert!(e.is_config());
        assert_eq!(
            e.to_string(),
            "Invalid value ( for configuration pattern: Invalid regex: Unclosed group near index 1\n("
        );
    }

    #[test]
    fn header_value_checks() {
        let s = Schema::required(Type::Int64);
        assert_eq!(
            check_header_value(Some(&s), &Value::Null)
                .unwrap_err()
                .to_string(),
            "A null value requires an optional schema but was Schema{INT64}"
        );
        check_header_value(Some(&Schema::optional(Type::Int64)), &Value::Null).unwrap();
        check_header_value(None, &Value::Int8(1)).unwrap();
        check_header_value(Some(&s), &Value::Int64(1)).unwrap();
        assert_eq!(
            check_header_value(Some(&s), &Value::String("x".into()))
                .unwrap_err()
                .to_string(),
            "The value x is not compatible with the schema Schema{INT64}"
        );
        let ts = connect_api::data::logical::schema_of(Logical::Timestamp, false, 0);
        check_header_value(Some(&ts), &Value::Timestamp(5)).unwrap();
        assert!(check_header_value(Some(&s), &Value::Timestamp(5)).is_err());
        let dec = connect_api::data::logical::schema_of(Logical::Decimal, false, 2);
        check_header_value(
            Some(&dec),
            &Value::Decimal(connect_api::Decimal::from_i64(150, 2)),
        )
        .unwrap();
        assert!(check_header_value(
            Some(&Schema::required(Type::Bytes)),
            &Value::Decimal(connect_api::Decimal::from_i64(1, 0))
        )
        .is_err());
        let st = SchemaBuilder::struct_builder().build().unwrap();
        check_header_value(
            Some(&st),
            &Value::Struct(connect_api::Struct::new(&st).unwrap()),
        )
        .unwrap();
    }
}
