//! `Values.inferSchema`: the schema of a schemaless value, when one type fits.

use crate::data::{Schema, SchemaBuilder, Type, Value};
use crate::error::{ConnectError, Result};

/// Java `Values.inferSchema(value)`. `Ok(None)` when no schema can be inferred (empty or mixed
/// containers, `java.util.Date`, `BigDecimal`); an error where Java's `SchemaBuilder` throws
/// (`type cannot be null`, for a container whose elements are all null).
pub(crate) fn infer(value: &Value) -> Result<Option<Schema>> {
    Ok(match value {
        Value::String(_) => Some(Schema::required(Type::String)),
        Value::Boolean(_) => Some(Schema::required(Type::Boolean)),
        Value::Int8(_) => Some(Schema::required(Type::Int8)),
        Value::Int16(_) => Some(Schema::required(Type::Int16)),
        Value::Int32(_) => Some(Schema::required(Type::Int32)),
        Value::Int64(_) => Some(Schema::required(Type::Int64)),
        Value::Float32(_) => Some(Schema::required(Type::Float32)),
        Value::Float64(_) => Some(Schema::required(Type::Float64)),
        Value::Bytes(_) => Some(Schema::required(Type::Bytes)),
        Value::Struct(s) => Some(s.schema().clone()),
        Value::Array(items) => {
            if items.is_empty() {
                return Ok(None);
            }
            let mut detector = Detector::default();
            for item in items {
                if !detector.can_detect(item)? {
                    return Ok(None);
                }
            }
            Some(SchemaBuilder::array(detector.schema()?).build()?)
        }
        Value::Map(entries) => {
            if entries.is_empty() {
                return Ok(None);
            }
            let mut keys = Detector::default();
            let mut values = Detector::default();
            for (k, v) in entries {
                if !keys.can_detect(k)? || !values.can_detect(v)? {
                    return Ok(None);
                }
            }
            Some(SchemaBuilder::map(keys.schema()?, values.schema()?).build()?)
        }
        Value::Null | Value::Decimal(_) | Value::Date(_) | Value::Time(_) | Value::Timestamp(_) => {
            None
        }
    })
}

/// Java `SchemaDetector`: one type for every non-null element, optional if any is null.
#[derive(Default)]
struct Detector {
    known: Option<Type>,
    optional: bool,
}

impl Detector {
    fn can_detect(&mut self, value: &Value) -> Result<bool> {
        if value.is_null() {
            self.optional = true;
            return Ok(true);
        }
        let Some(schema) = infer(value)? else {
            return Ok(false);
        };
        match self.known {
            None => self.known = Some(schema.schema_type()),
            Some(t) if t != schema.schema_type() => return Ok(false),
            Some(_) => {}
        }
        Ok(true)
    }

    /// A bare schema of the detected type (no name, no children).
    fn schema(&self) -> Result<Schema> {
        let ty = self
            .known
            .ok_or_else(|| ConnectError::schema_builder("type cannot be null"))?;
        Ok(if self.optional {
            SchemaBuilder::new(ty).optional().build()?
        } else {
            SchemaBuilder::new(ty).build()?
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn infer_ok(v: Value) -> Option<Schema> {
        infer(&v).unwrap()
    }

    #[test]
    fn primitives_and_unknowns() {
        assert_eq!(infer_ok(true.into()), Some(Schema::required(Type::Boolean)));
        assert_eq!(
            infer_ok(1.5f64.into()),
            Some(Schema::required(Type::Float64))
        );
        assert_eq!(
            infer_ok(Value::Int16(1)),
            Some(Schema::required(Type::Int16))
        );
        assert_eq!(infer_ok(Value::Timestamp(0)), None);
        assert_eq!(infer_ok(Value::Array(vec![])), None);
    }

    #[test]
    fn containers() {
        let s = infer_ok(Value::Array(vec![Value::Int64(1), Value::Null])).unwrap();
        assert_eq!(s.value_schema(), Some(&Schema::optional(Type::Int64)));
        assert_eq!(
            infer_ok(Value::Array(vec![Value::Int32(1), Value::Int64(2)])),
            None
        );
        let nested = infer_ok(Value::Array(vec![Value::Array(vec![Value::Int64(1)])])).unwrap();
        let inner = nested.value_schema().unwrap();
        assert_eq!(inner.schema_type(), Type::Array);
        assert!(inner.value_schema().is_none());
        let map = infer_ok(Value::Map(vec![(Value::Int64(1), "a".into())])).unwrap();
        assert_eq!(map.key_schema(), Some(&Schema::required(Type::Int64)));
        assert_eq!(map.value_schema(), Some(&Schema::required(Type::String)));
        assert_eq!(
            infer_ok(Value::Map(vec![
                ("a".into(), Value::Int64(1)),
                ("b".into(), "x".into())
            ])),
            None
        );
    }

    #[test]
    fn all_null_elements_fail_like_java() {
        let e = infer(&Value::Array(vec![Value::Null])).unwrap_err();
        assert_eq!(e.to_string(), "type cannot be null");
        let e = infer(&Value::Map(vec![("a".into(), Value::Null)])).unwrap_err();
        assert_eq!(e.to_string(), "type cannot be null");
    }
}
