//! Debezium's `FieldReference`: an envelope field named in `add.fields` / `add.headers`
//! (`op`, `ts_ms`, `table`, `source.ts_ms`, `transaction.id`, optionally renamed with
//! `:NEW_NAME`), where to find it in the envelope and under which name to add it.

use connect_api::{ConnectError, Result, Schema, Struct, Type, Value};

use crate::util::{class_name, copy_schema_basics};

/// One entry of `add.fields` or `add.headers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldRef {
    /// The entry as configured.
    spec: String,
    /// The envelope struct that holds the field (`source`, `transaction`), or `None` for the
    /// envelope's own fields (`op`, `ts_ms`, `ts_us`, `ts_ns`).
    parent: Option<String>,
    /// The field name.
    field: String,
    /// The name of the added field or header: prefix + field, prefix + struct + `_` + field
    /// for a qualified entry, or prefix + the name given after `:`.
    new_name: String,
}

/// Java's `String.split(regex)` for a one-character separator: trailing empty strings are
/// removed (so `"a:"` is `["a"]` and `":"` is `[]`), but the empty string is `[""]`.
fn java_split(s: &str, sep: char) -> Vec<&str> {
    if s.is_empty() {
        return vec![""];
    }
    let mut parts: Vec<&str> = s.split(sep).collect();
    while parts.last() == Some(&"") {
        parts.pop();
    }
    parts
}

/// The envelope struct holding an unqualified field, as Debezium decides it.
fn default_parent(field: &str) -> Option<String> {
    match field {
        "id" | "total_order" | "data_collection_order" => Some("transaction".to_string()),
        "op" | "ts_ms" | "ts_us" | "ts_ns" => None,
        "updateDescription" => Some("updateDescription".to_string()),
        _ => Some("source".to_string()),
    }
}

impl FieldRef {
    /// Parses one entry (already trimmed) with the `add.*.prefix` prefix. The error is
    /// Debezium's `Unexpected field name: …` for entries with more than one `:`.
    pub fn parse(prefix: &str, spec: &str) -> std::result::Result<FieldRef, String> {
        let unexpected = || format!("Unexpected field name: {spec}");
        let parts = java_split(spec, ':');
        let Some(path) = parts.first() else {
            return Err(unexpected());
        };
        let splits = java_split(path, '.');
        let (parent, field) = match splits.as_slice() {
            [] => return Err(unexpected()),
            [field] => (default_parent(field), field.to_string()),
            [parent, field, ..] => (Some(parent.to_string()), field.to_string()),
        };
        let new_name = match parts.as_slice() {
            [_] => match (&parent, splits.len()) {
                (Some(p), n) if n > 1 => format!("{prefix}{p}_{field}"),
                _ => format!("{prefix}{field}"),
            },
            [_, name] => format!("{prefix}{name}"),
            _ => return Err(unexpected()),
        };
        Ok(FieldRef {
            spec: spec.to_string(),
            parent,
            field,
            new_name,
        })
    }

    /// The field name (without its struct).
    pub fn field(&self) -> &str {
        &self.field
    }

    /// The name of the added field or header.
    pub fn new_name(&self) -> &str {
        &self.new_name
    }

    /// The schema of the added field or header, read from the envelope schema: the field's
    /// schema basics (type, name, version, doc, parameters; for a struct not its fields) made
    /// optional. `None` when neither the struct nor the envelope has the field (it is then not
    /// added). A missing struct (e.g. `transaction` when the connector does not provide
    /// transaction metadata) is a data error, where Debezium fails with a
    /// NullPointerException.
    pub fn schema_in(&self, envelope: &Schema) -> Result<Option<Schema>> {
        let parent_schema = match &self.parent {
            None => envelope,
            Some(p) => match envelope.field(p) {
                Some(f) => f.schema(),
                None => {
                    return Err(ConnectError::data(format!(
                        "Cannot add '{}': the envelope schema {envelope} has no field '{p}'",
                        self.spec
                    )))
                }
            },
        };
        if parent_schema.schema_type() != Type::Struct {
            return Err(ConnectError::data(
                "Cannot look up fields on non-struct type",
            ));
        }
        let field = parent_schema
            .field(&self.field)
            .or_else(|| envelope.field(&self.field));
        match field {
            None => Ok(None),
            Some(f) => copy_schema_basics(f.schema()).optional().build().map(Some),
        }
    }

    /// The value of the field in an envelope struct (stored value, defaults not applied); null
    /// when its struct is null. Only called once [`schema_in`](Self::schema_in) found it.
    pub fn value_in(&self, envelope: &Struct) -> Result<Value> {
        let parent = match &self.parent {
            None => envelope,
            Some(p) => match envelope.get_without_default(p)? {
                Value::Null => return Ok(Value::Null),
                Value::Struct(s) => s,
                other => {
                    return Err(ConnectError::data(format!(
                        "Envelope field '{p}' is not a struct: {}",
                        class_name(other)
                    )))
                }
            },
        };
        let value = if parent.schema().field(&self.field).is_some() {
            parent.get_without_default(&self.field)?
        } else {
            envelope.get_without_default(&self.field)?
        };
        Ok(value.clone())
    }

    /// The value of the field in a schemaless envelope (a map with string keys): looked up in
    /// its struct's map, then in the envelope itself; `None` when absent from both (then
    /// nothing is added). A null struct gives a null value.
    pub fn value_in_map(&self, envelope: &[(Value, Value)]) -> Option<Value> {
        let key = Value::String(self.field.clone());
        if let Some(p) = &self.parent {
            match Value::map_get(envelope, &Value::String(p.clone())) {
                Some(Value::Map(parent)) => {
                    if let Some(v) = Value::map_get(parent, &key) {
                        return Some(v.clone());
                    }
                }
                Some(Value::Null) if Value::map_get(envelope, &key).is_none() => {
                    return Some(Value::Null);
                }
                _ => {}
            }
        }
        Value::map_get(envelope, &key).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_api::SchemaBuilder;

    fn parse(spec: &str) -> FieldRef {
        FieldRef::parse("__", spec).unwrap()
    }

    #[test]
    fn parsing_follows_debezium() {
        let r = parse("op");
        assert_eq!(
            (r.parent.as_deref(), r.field(), r.new_name()),
            (None, "op", "__op")
        );
        let r = parse("ts_ms");
        assert_eq!((r.parent.as_deref(), r.new_name()), (None, "__ts_ms"));
        let r = parse("table");
        assert_eq!(
            (r.parent.as_deref(), r.new_name()),
            (Some("source"), "__table")
        );
        let r = parse("source.ts_ms");
        assert_eq!(
            (r.parent.as_deref(), r.field(), r.new_name()),
            (Some("source"), "ts_ms", "__source_ts_ms")
        );
        let r = parse("id");
        assert_eq!(
            (r.parent.as_deref(), r.new_name()),
            (Some("transaction"), "__id")
        );
        let r = parse("source.ts_ms:EVENT_TS");
        assert_eq!((r.field(), r.new_name()), ("ts_ms", "__EVENT_TS"));
        let r = parse("lsn:");
        assert_eq!(r.new_name(), "__lsn");
        let r = parse("a.b.c");
        assert_eq!(
            (r.parent.as_deref(), r.field(), r.new_name()),
            (Some("a"), "b", "__a_b")
        );
        let r = FieldRef::parse("", "op").unwrap();
        assert_eq!(r.new_name(), "op");
        assert_eq!(
            FieldRef::parse("__", "a:b:c").unwrap_err(),
            "Unexpected field name: a:b:c"
        );
        assert_eq!(
            FieldRef::parse("__", ":").unwrap_err(),
            "Unexpected field name: :"
        );
        assert_eq!(
            FieldRef::parse("__", ".").unwrap_err(),
            "Unexpected field name: ."
        );
        assert_eq!(parse("").new_name(), "__");
    }

    #[test]
    fn java_split_drops_trailing_empties() {
        assert_eq!(java_split("a:b", ':'), ["a", "b"]);
        assert_eq!(java_split("a:", ':'), ["a"]);
        assert_eq!(java_split(":b", ':'), ["", "b"]);
        assert!(java_split("::", ':').is_empty());
        assert_eq!(java_split("", ':'), [""]);
    }

    #[test]
    fn lookups() {
        let source = SchemaBuilder::struct_builder()
            .name("io.debezium.connector.postgresql.Source")
            .field("ts_ms", Schema::required(Type::Int64))
            .field("table", Schema::optional(Type::String))
            .build()
            .unwrap();
        let envelope = SchemaBuilder::struct_builder()
            .name("x.Envelope")
            .field("op", Schema::required(Type::String))
            .field("source", source.clone())
            .field("ts_ms", Schema::optional(Type::Int64))
            .field("extra", Schema::required(Type::Int32))
            .build()
            .unwrap();
        let mut src = Struct::new(&source).unwrap();
        src.put("ts_ms", 5i64).unwrap();
        let mut env = Struct::new(&envelope).unwrap();
        env.put("op", "c").unwrap();
        env.put("source", src).unwrap();
        env.put("extra", 9i32).unwrap();

        let r = parse("source.ts_ms");
        assert_eq!(
            r.schema_in(&envelope).unwrap(),
            Some(Schema::optional(Type::Int64))
        );
        assert_eq!(r.value_in(&env).unwrap(), Value::Int64(5));
        // falls back to the envelope: `extra` is not in source
        let r = parse("extra");
        assert_eq!(
            r.schema_in(&envelope).unwrap(),
            Some(Schema::optional(Type::Int32))
        );
        assert_eq!(r.value_in(&env).unwrap(), Value::Int32(9));
        // absent everywhere: not added
        assert_eq!(parse("lsn").schema_in(&envelope).unwrap(), None);
        // a missing struct
        let e = parse("transaction.id").schema_in(&envelope).unwrap_err();
        assert!(e.is_data());
        assert!(e.to_string().contains("has no field 'transaction'"), "{e}");
        let e = parse("op.x").schema_in(&envelope).unwrap_err();
        assert_eq!(e.to_string(), "Cannot look up fields on non-struct type");
        // a null struct reads as null
        let mut env2 = Struct::new(&envelope).unwrap();
        env2.put("op", "c").unwrap();
        assert_eq!(parse("table").value_in(&env2).unwrap(), Value::Null);

        let map = vec![
            (Value::from("op"), Value::from("u")),
            (
                Value::from("source"),
                Value::Map(vec![(Value::from("table"), Value::from("t"))]),
            ),
            (Value::from("transaction"), Value::Null),
            (Value::from("version"), Value::from("v")),
        ];
        assert_eq!(parse("op").value_in_map(&map), Some(Value::from("u")));
        assert_eq!(parse("table").value_in_map(&map), Some(Value::from("t")));
        assert_eq!(parse("version").value_in_map(&map), Some(Value::from("v")));
        assert_eq!(parse("id").value_in_map(&map), Some(Value::Null));
        assert_eq!(parse("lsn").value_in_map(&map), None);
    }
}
