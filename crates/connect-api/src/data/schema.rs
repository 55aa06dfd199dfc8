//! Connect schemas: [`Type`], immutable shared [`Schema`], [`Field`] and [`SchemaBuilder`].

use std::fmt;
use std::sync::{Arc, LazyLock};

use crate::data::logical;
use crate::data::validate::validate_value;
use crate::data::Value;
use crate::error::{ConnectError, Result};

/// The schema types of Kafka Connect (`Schema.Type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Type {
    /// 8-bit signed integer.
    Int8,
    /// 16-bit signed integer.
    Int16,
    /// 32-bit signed integer.
    Int32,
    /// 64-bit signed integer.
    Int64,
    /// 32-bit IEEE 754 float.
    Float32,
    /// 64-bit IEEE 754 float.
    Float64,
    /// Boolean.
    Boolean,
    /// UTF-8 string.
    String,
    /// Byte array.
    Bytes,
    /// Ordered list of values of one schema.
    Array,
    /// Map from key schema to value schema.
    Map,
    /// Ordered named fields.
    Struct,
}

impl Type {
    /// All types, in Java's declaration order.
    pub const ALL: [Type; 12] = [
        Type::Int8,
        Type::Int16,
        Type::Int32,
        Type::Int64,
        Type::Float32,
        Type::Float64,
        Type::Boolean,
        Type::String,
        Type::Bytes,
        Type::Array,
        Type::Map,
        Type::Struct,
    ];

    /// Java's enum constant name (`INT8`, `FLOAT64`, …), as `Schema.Type.toString()` prints it.
    pub fn java_name(self) -> &'static str {
        match self {
            Type::Int8 => "INT8",
            Type::Int16 => "INT16",
            Type::Int32 => "INT32",
            Type::Int64 => "INT64",
            Type::Float32 => "FLOAT32",
            Type::Float64 => "FLOAT64",
            Type::Boolean => "BOOLEAN",
            Type::String => "STRING",
            Type::Bytes => "BYTES",
            Type::Array => "ARRAY",
            Type::Map => "MAP",
            Type::Struct => "STRUCT",
        }
    }

    /// The lower-case name Java's `Schema.Type.getName()` returns (`int8`, `float64`, …).
    pub fn lower_name(self) -> &'static str {
        match self {
            Type::Int8 => "int8",
            Type::Int16 => "int16",
            Type::Int32 => "int32",
            Type::Int64 => "int64",
            Type::Float32 => "float32",
            Type::Float64 => "float64",
            Type::Boolean => "boolean",
            Type::String => "string",
            Type::Bytes => "bytes",
            Type::Array => "array",
            Type::Map => "map",
            Type::Struct => "struct",
        }
    }

    /// Whether the type is primitive (not array, map or struct).
    pub fn is_primitive(self) -> bool {
        !matches!(self, Type::Array | Type::Map | Type::Struct)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.java_name())
    }
}

/// A field of a struct schema: name, position and schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    name: String,
    index: usize,
    schema: Schema,
}

impl Field {
    /// A field; `index` is its position in the struct.
    pub fn new(name: impl Into<String>, index: usize, schema: Schema) -> Self {
        Field {
            name: name.into(),
            index,
            schema,
        }
    }

    /// The field's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The field's position in its struct.
    pub fn index(&self) -> usize {
        self.index
    }

    /// The field's schema.
    pub fn schema(&self) -> &Schema {
        &self.schema
    }
}

impl fmt::Display for Field {
    /// Java's `Field.toString()`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Field{{name={}, index={}, schema={}}}",
            self.name, self.index, self.schema
        )
    }
}

#[derive(Debug, PartialEq)]
struct SchemaInner {
    ty: Type,
    optional: bool,
    default: Option<Value>,
    name: Option<String>,
    version: Option<i32>,
    doc: Option<String>,
    /// Insertion order is kept: it is the order JsonConverter writes them in.
    parameters: Vec<(String, String)>,
    fields: Vec<Field>,
    key_schema: Option<Schema>,
    value_schema: Option<Schema>,
}

/// An immutable, cheaply clonable Connect schema (Java `ConnectSchema`).
#[derive(Clone)]
pub struct Schema(Arc<SchemaInner>);

impl PartialEq for Schema {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0 == other.0
    }
}

impl fmt::Debug for Schema {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Schema");
        d.field("type", &self.0.ty)
            .field("optional", &self.0.optional);
        if let Some(n) = &self.0.name {
            d.field("name", n);
        }
        if let Some(v) = &self.0.version {
            d.field("version", v);
        }
        if let Some(v) = &self.0.doc {
            d.field("doc", v);
        }
        if !self.0.parameters.is_empty() {
            d.field("parameters", &self.0.parameters);
        }
        if let Some(v) = &self.0.default {
            d.field("default", v);
        }
        if !self.0.fields.is_empty() {
            d.field("fields", &self.0.fields);
        }
        if let Some(v) = &self.0.key_schema {
            d.field("keys", v);
        }
        if let Some(v) = &self.0.value_schema {
            d.field("values", v);
        }
        d.finish()
    }
}

impl fmt::Display for Schema {
    /// Java's `ConnectSchema.toString()`: `Schema{INT8}` or `Schema{name:STRUCT}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.name {
            Some(name) => write!(f, "Schema{{{}:{}}}", name, self.0.ty),
            None => write!(f, "Schema{{{}}}", self.0.ty),
        }
    }
}

macro_rules! cached_schema {
    ($name:ident, $ty:expr, $opt:expr) => {
        static $name: LazyLock<Schema> = LazyLock::new(|| Schema::new_primitive($ty, $opt));
    };
}
cached_schema!(INT8, Type::Int8, false);
cached_schema!(INT16, Type::Int16, false);
cached_schema!(INT32, Type::Int32, false);
cached_schema!(INT64, Type::Int64, false);
cached_schema!(FLOAT32, Type::Float32, false);
cached_schema!(FLOAT64, Type::Float64, false);
cached_schema!(BOOLEAN, Type::Boolean, false);
cached_schema!(STRING, Type::String, false);
cached_schema!(BYTES, Type::Bytes, false);
cached_schema!(OPT_INT8, Type::Int8, true);
cached_schema!(OPT_INT16, Type::Int16, true);
cached_schema!(OPT_INT32, Type::Int32, true);
cached_schema!(OPT_INT64, Type::Int64, true);
cached_schema!(OPT_FLOAT32, Type::Float32, true);
cached_schema!(OPT_FLOAT64, Type::Float64, true);
cached_schema!(OPT_BOOLEAN, Type::Boolean, true);
cached_schema!(OPT_STRING, Type::String, true);
cached_schema!(OPT_BYTES, Type::Bytes, true);

impl Schema {
    fn new_primitive(ty: Type, optional: bool) -> Schema {
        Schema(Arc::new(SchemaInner {
            ty,
            optional,
            default: None,
            name: None,
            version: None,
            doc: None,
            parameters: Vec::new(),
            fields: Vec::new(),
            key_schema: None,
            value_schema: None,
        }))
    }

    /// The shared required schema of a primitive type (Java `Schema.INT8_SCHEMA`, …).
    /// For array, map and struct use [`SchemaBuilder`]; they get a bare schema without children.
    pub fn required(ty: Type) -> Schema {
        match ty {
            Type::Int8 => INT8.clone(),
            Type::Int16 => INT16.clone(),
            Type::Int32 => INT32.clone(),
            Type::Int64 => INT64.clone(),
            Type::Float32 => FLOAT32.clone(),
            Type::Float64 => FLOAT64.clone(),
            Type::Boolean => BOOLEAN.clone(),
            Type::String => STRING.clone(),
            Type::Bytes => BYTES.clone(),
            _ => Schema::new_primitive(ty, false),
        }
    }

    /// The shared optional schema of a primitive type (Java `Schema.OPTIONAL_INT8_SCHEMA`, …).
    pub fn optional(ty: Type) -> Schema {
        match ty {
            Type::Int8 => OPT_INT8.clone(),
            Type::Int16 => OPT_INT16.clone(),
            Type::Int32 => OPT_INT32.clone(),
            Type::Int64 => OPT_INT64.clone(),
            Type::Float32 => OPT_FLOAT32.clone(),
            Type::Float64 => OPT_FLOAT64.clone(),
            Type::Boolean => OPT_BOOLEAN.clone(),
            Type::String => OPT_STRING.clone(),
            Type::Bytes => OPT_BYTES.clone(),
            _ => Schema::new_primitive(ty, true),
        }
    }

    /// The schema's type.
    pub fn schema_type(&self) -> Type {
        self.0.ty
    }

    /// Whether null is a valid value.
    pub fn is_optional(&self) -> bool {
        self.0.optional
    }

    /// The default value, if any.
    pub fn default_value(&self) -> Option<&Value> {
        self.0.default.as_ref()
    }

    /// The schema name (logical types use `org.apache.kafka.connect.data.*`).
    pub fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    /// The schema version.
    pub fn version(&self) -> Option<i32> {
        self.0.version
    }

    /// The documentation string.
    pub fn doc(&self) -> Option<&str> {
        self.0.doc.as_deref()
    }

    /// The parameters, in insertion order.
    pub fn parameters(&self) -> &[(String, String)] {
        &self.0.parameters
    }

    /// One parameter's value.
    pub fn parameter(&self, key: &str) -> Option<&str> {
        self.0
            .parameters
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The fields of a struct schema (empty for other types).
    pub fn fields(&self) -> &[Field] {
        &self.0.fields
    }

    /// A struct field by name.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.0.fields.iter().find(|f| f.name == name)
    }

    /// The key schema of a map schema.
    pub fn key_schema(&self) -> Option<&Schema> {
        self.0.key_schema.as_ref()
    }

    /// The value schema of a map schema, or the element schema of an array schema.
    pub fn value_schema(&self) -> Option<&Schema> {
        self.0.value_schema.as_ref()
    }

    /// The logical type this schema carries, judged by its name.
    pub fn logical(&self) -> Option<logical::Logical> {
        logical::Logical::of(self)
    }

    /// A builder initialised with everything of this schema, to derive a modified copy.
    pub fn to_builder(&self) -> SchemaBuilder {
        SchemaBuilder {
            inner: SchemaInner {
                ty: self.0.ty,
                optional: self.0.optional,
                default: self.0.default.clone(),
                name: self.0.name.clone(),
                version: self.0.version,
                doc: self.0.doc.clone(),
                parameters: self.0.parameters.clone(),
                fields: self.0.fields.clone(),
                key_schema: self.0.key_schema.clone(),
                value_schema: self.0.value_schema.clone(),
            },
            error: None,
        }
    }

    /// Whether two handles share one allocation (a cheap identity check).
    pub fn ptr_eq(&self, other: &Schema) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// Builds a [`Schema`] (Java `SchemaBuilder`). Setters never fail; the first invalid step is
/// remembered and reported by [`SchemaBuilder::build`] as a `SchemaBuilderException`-kind error.
#[derive(Debug)]
pub struct SchemaBuilder {
    inner: SchemaInner,
    error: Option<ConnectError>,
}

impl SchemaBuilder {
    /// A builder for a schema of `ty` (required, no name, no default).
    pub fn new(ty: Type) -> Self {
        SchemaBuilder {
            inner: SchemaInner {
                ty,
                optional: false,
                default: None,
                name: None,
                version: None,
                doc: None,
                parameters: Vec::new(),
                fields: Vec::new(),
                key_schema: None,
                value_schema: None,
            },
            error: None,
        }
    }

    /// A struct schema builder.
    pub fn struct_builder() -> Self {
        SchemaBuilder::new(Type::Struct)
    }

    /// An array schema builder with the given element schema.
    pub fn array(value_schema: Schema) -> Self {
        let mut b = SchemaBuilder::new(Type::Array);
        b.inner.value_schema = Some(value_schema);
        b
    }

    /// A map schema builder with the given key and value schemas.
    pub fn map(key_schema: Schema, value_schema: Schema) -> Self {
        let mut b = SchemaBuilder::new(Type::Map);
        b.inner.key_schema = Some(key_schema);
        b.inner.value_schema = Some(value_schema);
        b
    }

    /// An array or map builder whose child schemas may be absent (as JsonConverter and
    /// `Values.inferSchema` can produce: Java allows null key/value schemas there).
    pub fn container(ty: Type, key_schema: Option<Schema>, value_schema: Option<Schema>) -> Self {
        let mut b = SchemaBuilder::new(ty);
        b.inner.key_schema = key_schema;
        b.inner.value_schema = value_schema;
        b
    }

    /// The type being built.
    pub fn schema_type(&self) -> Type {
        self.inner.ty
    }

    fn fail(&mut self, message: String) {
        if self.error.is_none() {
            self.error = Some(ConnectError::schema_builder(message));
        }
    }

    /// Marks the schema optional.
    pub fn optional(mut self) -> Self {
        self.inner.optional = true;
        self
    }

    /// Marks the schema required.
    pub fn required(mut self) -> Self {
        self.inner.optional = false;
        self
    }

    /// Sets optional or required.
    pub fn set_optional(mut self, optional: bool) -> Self {
        self.inner.optional = optional;
        self
    }

    /// Sets the name. Java refuses to set it twice to different values.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        let name = name.into();
        if let Some(old) = &self.inner.name {
            if *old != name {
                let msg =
                    format!("Invalid SchemaBuilder call: name has already been set to {old}.");
                self.fail(msg);
                return self;
            }
        }
        self.inner.name = Some(name);
        self
    }

    /// Sets the version.
    pub fn version(mut self, version: i32) -> Self {
        self.inner.version = Some(version);
        self
    }

    /// Sets the documentation.
    pub fn doc(mut self, doc: impl Into<String>) -> Self {
        self.inner.doc = Some(doc.into());
        self
    }

    /// Adds or replaces a parameter (insertion order is kept).
    pub fn parameter(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let key = key.into();
        let value = value.into();
        if let Some(slot) = self.inner.parameters.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        } else {
            self.inner.parameters.push((key, value));
        }
        self
    }

    /// Sets the default value, validated against the schema built so far (Java checks it the
    /// same way: `Invalid default value`).
    pub fn default_value(mut self, value: Value) -> Self {
        let probe = Schema(Arc::new(SchemaInner {
            ty: self.inner.ty,
            optional: self.inner.optional,
            default: None,
            name: self.inner.name.clone(),
            version: self.inner.version,
            doc: None,
            parameters: self.inner.parameters.clone(),
            fields: self.inner.fields.clone(),
            key_schema: self.inner.key_schema.clone(),
            value_schema: self.inner.value_schema.clone(),
        }));
        if let Err(e) = validate_value(None, &probe, &value) {
            if self.error.is_none() {
                self.error = Some(ConnectError::Data {
                    message: "Invalid default value".to_string(),
                    kind: crate::error::DataErrorKind::SchemaBuilder,
                    source: Some(Box::new(e)),
                });
            }
            return self;
        }
        self.inner.default = Some(value);
        self
    }

    /// Sets the default value without validation (for values already checked by the caller).
    pub fn default_value_unchecked(mut self, value: Value) -> Self {
        self.inner.default = Some(value);
        self
    }

    /// Appends a struct field. Java rejects empty names (`fieldName cannot be null.`),
    /// duplicates, and fields on non-struct types.
    pub fn field(mut self, name: impl Into<String>, schema: Schema) -> Self {
        let name = name.into();
        if self.inner.ty != Type::Struct {
            let msg = format!("Cannot create fields on type {}", self.inner.ty);
            self.fail(msg);
            return self;
        }
        if name.is_empty() {
            self.fail("fieldName cannot be null.".to_string());
            return self;
        }
        if self.inner.fields.iter().any(|f| f.name == name) {
            let msg = format!("Cannot create field because of field name duplication {name}");
            self.fail(msg);
            return self;
        }
        let index = self.inner.fields.len();
        self.inner.fields.push(Field::new(name, index, schema));
        self
    }

    /// Fields added so far.
    pub fn fields(&self) -> &[Field] {
        &self.inner.fields
    }

    /// The finished schema, or the first error a step recorded.
    pub fn build(self) -> Result<Schema> {
        match self.error {
            Some(e) => Err(e),
            None => Ok(Schema(Arc::new(self.inner))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_matches_java() {
        assert_eq!(Schema::required(Type::Int8).to_string(), "Schema{INT8}");
        let s = SchemaBuilder::struct_builder().name("a.B").build().unwrap();
        assert_eq!(s.to_string(), "Schema{a.B:STRUCT}");
    }

    #[test]
    fn builder_rejects_bad_fields() {
        let e = SchemaBuilder::struct_builder()
            .field("", Schema::required(Type::Int8))
            .build()
            .unwrap_err();
        assert_eq!(e.to_string(), "fieldName cannot be null.");
        let e = SchemaBuilder::struct_builder()
            .field("a", Schema::required(Type::Int8))
            .field("a", Schema::required(Type::Int8))
            .build()
            .unwrap_err();
        assert!(e.to_string().contains("duplication a"));
        let e = SchemaBuilder::new(Type::Int8)
            .field("a", Schema::required(Type::Int8))
            .build()
            .unwrap_err();
        assert_eq!(e.to_string(), "Cannot create fields on type INT8");
    }

    #[test]
    fn default_is_validated() {
        let e = SchemaBuilder::new(Type::Int32)
            .default_value(Value::String("x".into()))
            .build()
            .unwrap_err();
        assert_eq!(e.to_string(), "Invalid default value");
        let s = SchemaBuilder::new(Type::Int32)
            .default_value(Value::Int32(5))
            .build()
            .unwrap();
        assert_eq!(s.default_value(), Some(&Value::Int32(5)));
    }

    #[test]
    fn equality_is_structural() {
        let a = SchemaBuilder::array(Schema::required(Type::Int8))
            .build()
            .unwrap();
        let b = SchemaBuilder::array(Schema::required(Type::Int8))
            .build()
            .unwrap();
        assert_eq!(a, b);
        assert_ne!(
            a,
            SchemaBuilder::array(Schema::optional(Type::Int8))
                .build()
                .unwrap()
        );
    }
}
