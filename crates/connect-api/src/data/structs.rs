//! [`Struct`]: a value of a struct schema.

use crate::data::validate::validate_value;
use crate::data::{Field, Schema, Type, Value};
use crate::error::{ConnectError, Result};

/// A value of a struct schema: one slot per field, in field order (Java `Struct`).
/// `Value::Null` in a slot means "not set".
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    schema: Schema,
    values: Vec<Value>,
}

impl Struct {
    /// An empty struct of `schema`. Java: `Not a struct schema: …` for other types.
    pub fn new(schema: &Schema) -> Result<Self> {
        if schema.schema_type() != Type::Struct {
            return Err(ConnectError::data(format!("Not a struct schema: {schema}")));
        }
        Ok(Struct {
            schema: schema.clone(),
            values: vec![Value::Null; schema.fields().len()],
        })
    }

    /// A struct from values in field order, without validation: the caller guarantees they
    /// match (converters that already checked each value use this on the hot path).
    /// Missing trailing values are null; extra values are dropped.
    pub fn from_values_unchecked(schema: &Schema, mut values: Vec<Value>) -> Self {
        let len = schema.fields().len();
        if values.len() != len {
            values.resize_with(len, || Value::Null);
        }
        Struct {
            schema: schema.clone(),
            values,
        }
    }

    /// Gives the struct `schema` and lets `rearrange` turn the old values into the new ones in
    /// place, without validation: the caller guarantees they match (transforms that derived
    /// `schema` from the old one use this on the hot path, to reuse the value slots). Missing
    /// trailing values become null and extra ones are dropped. After an `Err` the struct is
    /// still a struct of `schema` but its values are unspecified.
    pub fn reshape_unchecked<E>(
        &mut self,
        schema: &Schema,
        rearrange: impl FnOnce(&mut Vec<Value>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        if !self.schema.ptr_eq(schema) {
            self.schema = schema.clone();
        }
        let result = rearrange(&mut self.values);
        let len = schema.fields().len();
        if self.values.len() != len {
            self.values.resize_with(len, || Value::Null);
        }
        result
    }

    /// The struct's schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// The raw slots in field order.
    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The raw slots, by value.
    pub fn into_values(self) -> Vec<Value> {
        self.values
    }

    fn lookup(&self, name: &str) -> Result<&Field> {
        self.schema
            .field(name)
            .ok_or_else(|| ConnectError::data(format!("{name} is not a valid field name")))
    }

    /// The value of a field, or the field's default when unset (Java `Struct.get(String)`).
    pub fn get(&self, name: &str) -> Result<&Value> {
        let field = self.lookup(name)?;
        Ok(self.get_field(field))
    }

    /// The value of a field, or its default when unset.
    pub fn get_field(&self, field: &Field) -> &Value {
        let v = &self.values[field.index()];
        if v.is_null() {
            // Look the default up through our own schema so the borrow is tied to `self`.
            if let Some(d) = self
                .schema
                .fields()
                .get(field.index())
                .and_then(|f| f.schema().default_value())
            {
                return d;
            }
        }
        v
    }

    /// The stored value of a field, defaults not applied (Java `getWithoutDefault`).
    pub fn get_without_default(&self, name: &str) -> Result<&Value> {
        let field = self.lookup(name)?;
        Ok(&self.values[field.index()])
    }

    /// The stored value at a field index.
    pub fn get_index(&self, index: usize) -> Option<&Value> {
        self.values.get(index)
    }

    /// Sets a field after validating the value against the field's schema (Java `put`).
    pub fn put(&mut self, name: &str, value: impl Into<Value>) -> Result<&mut Self> {
        let value = value.into();
        let field = self.lookup(name)?;
        validate_value(Some(field.name()), field.schema(), &value)?;
        let index = field.index();
        self.values[index] = value;
        Ok(self)
    }

    /// Sets the value at a field index after validating it.
    pub fn put_index(&mut self, index: usize, value: Value) -> Result<()> {
        let field = self
            .schema
            .fields()
            .get(index)
            .ok_or_else(|| ConnectError::data(format!("{index} is not a valid field index")))?;
        validate_value(Some(field.name()), field.schema(), &value)?;
        self.values[index] = value;
        Ok(())
    }

    /// Checks that every required field without a default is set and every value matches
    /// its schema (Java `Struct.validate()`).
    pub fn validate(&self) -> Result<()> {
        for field in self.schema.fields() {
            let schema = field.schema();
            let value = &self.values[field.index()];
            if value.is_null() && (schema.is_optional() || schema.default_value().is_some()) {
                continue;
            }
            validate_value(Some(field.name()), schema, value)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::SchemaBuilder;

    fn schema() -> Schema {
        SchemaBuilder::struct_builder()
            .field("a", Schema::required(Type::Int32))
            .field("b", Schema::optional(Type::String))
            .field(
                "c",
                SchemaBuilder::new(Type::Int8)
                    .default_value(Value::Int8(7))
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap()
    }

    #[test]
    fn put_validates_and_get_applies_defaults() {
        let mut s = Struct::new(&schema()).unwrap();
        assert!(s.validate().is_err());
        s.put("a", 5i32).unwrap();
        s.validate().unwrap();
        assert_eq!(s.get("c").unwrap(), &Value::Int8(7));
        assert_eq!(s.get_without_default("c").unwrap(), &Value::Null);
        let e = s.put("a", "x").unwrap_err();
        assert_eq!(
            e.to_string(),
            "Invalid Java object for schema with type INT32: class java.lang.String for field: \"a\""
        );
        assert_eq!(
            s.put("zz", 1i32).unwrap_err().to_string(),
            "zz is not a valid field name"
        );
    }

    #[test]
    fn display_is_java_to_string() {
        let mut s = Struct::new(&schema()).unwrap();
        s.put("a", 1i32).unwrap();
        s.put("b", "x").unwrap();
        assert_eq!(Value::Struct(s).to_string(), "Struct{a=1,b=x}");
    }
}
