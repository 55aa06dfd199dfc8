//! Which record fields become which columns (Confluent's `FieldsMetadata`): the key columns
//! `pk.mode` and `pk.fields` name, and the value fields `fields.whitelist` lets through.

use connect_api::{ConnectError, Result, Schema, SchemaBuilder, SinkRecord, Type, Value};

use crate::sink::config::{PkMode, SinkConfig};
use crate::sink::epoch::EpochUnit;

/// The default names of `pk.mode=kafka`'s columns.
pub const KAFKA_PK_NAMES: [&str; 3] =
    ["__connect_topic", "__connect_partition", "__connect_offset"];

/// Where a column's value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The record's topic (`pk.mode=kafka`).
    Topic,
    /// The record's Kafka partition.
    Partition,
    /// The record's Kafka offset.
    Offset,
    /// The whole (primitive) key.
    Key,
    /// A field of the key struct.
    KeyField(String),
    /// A field of the value struct.
    ValueField(String),
    /// The whole (string) value, in the column `string.output.value.column.name`.
    Value,
}

/// One column of the destination table, as the record defines it.
#[derive(Debug, Clone, PartialEq)]
pub struct SinkField {
    /// The column name.
    pub name: String,
    /// Its schema.
    pub schema: Schema,
    /// Whether it is a primary key column.
    pub key: bool,
    /// Where its value comes from.
    pub source: Source,
    /// For a field of `timestamp.fields.list`: the unit of its epoch number, written as a
    /// timestamp.
    pub epoch: Option<EpochUnit>,
}

impl SinkField {
    /// Confluent's `SinkRecordField` text, used in its error messages.
    pub fn describe(&self) -> String {
        format!(
            "SinkRecordField{{schema=Schema{{{}{}}}, name='{}', isPrimaryKey={}}}",
            self.schema
                .name()
                .map(|n| format!("{n}:"))
                .unwrap_or_default(),
            self.schema.schema_type().java_name(),
            self.name,
            self.key
        )
    }
}

/// The columns of a table for one key/value schema pair.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldsMetadata {
    /// The key columns, in key order.
    pub keys: Vec<SinkField>,
    /// The other columns, in value schema order.
    pub values: Vec<SinkField>,
    /// Every column, in the order a created table has them.
    pub all: Vec<SinkField>,
}

fn required(ty: Type) -> Schema {
    Schema::required(ty)
}

/// Works out the columns (Confluent's `FieldsMetadata.extract`). `table` names the table in
/// errors, as `"t"`.
pub fn extract(
    cfg: &SinkConfig,
    table: &str,
    key_schema: Option<&Schema>,
    value_schema: Option<&Schema>,
) -> Result<FieldsMetadata> {
    let string_value = value_schema.is_some_and(|v| v.schema_type() == Type::String);
    if let Some(v) = value_schema {
        if v.schema_type() != Type::Struct && !string_value {
            return Err(ConnectError::other("Value schema must be of type Struct"));
        }
    }
    let mode = cfg.pk_mode;
    let mut keys: Vec<SinkField> = Vec::new();
    let field = |name: &str, schema: Schema, source: Source| SinkField {
        name: name.to_string(),
        schema,
        key: true,
        source,
        epoch: None,
    };
    match mode {
        PkMode::None => {}
        PkMode::Kafka => {
            let names: Vec<String> = if cfg.pk_fields.is_empty() {
                KAFKA_PK_NAMES.iter().map(|s| s.to_string()).collect()
            } else if cfg.pk_fields.len() == 3 {
                cfg.pk_fields.clone()
            } else {
                return Err(ConnectError::config(
                    "pk.fields",
                    cfg.pk_fields.join(","),
                    format!(
                        "PK mode for table '{table}' is KAFKA so there should either be no field \
names defined for defaults [__connect_topic, __connect_partition, __connect_offset] to be \
applicable, or exactly 3, defined fields are: [{}]",
                        cfg.pk_fields.join(", ")
                    ),
                ));
            };
            keys.push(field(&names[0], required(Type::String), Source::Topic));
            keys.push(field(&names[1], required(Type::Int32), Source::Partition));
            keys.push(field(&names[2], required(Type::Int64), Source::Offset));
        }
        PkMode::RecordKey => {
            let Some(ks) = key_schema else {
                return Err(ConnectError::other(format!(
                    "PK mode for table '{table}' is RECORD_KEY, but record key schema is missing"
                )));
            };
            if ks.schema_type().is_primitive() {
                if cfg.pk_fields.len() != 1 {
                    return Err(ConnectError::config(
                        "pk.fields",
                        cfg.pk_fields.join(","),
                        format!(
                            "Need exactly one PK column defined since the key schema for records \
is a primitive type, defined columns are: [{}]",
                            cfg.pk_fields.join(", ")
                        ),
                    ));
                }
                keys.push(field(&cfg.pk_fields[0], ks.clone(), Source::Key));
            } else if ks.schema_type() == Type::Struct {
                let names: Vec<String> = if cfg.pk_fields.is_empty() {
                    ks.fields().iter().map(|f| f.name().to_string()).collect()
                } else {
                    cfg.pk_fields.clone()
                };
                for n in names {
                    let f = ks.field(&n).ok_or_else(|| {
                        ConnectError::config(
                            "pk.fields",
                            cfg.pk_fields.join(","),
                            format!(
                                "PK mode for table '{table}' is RECORD_KEY with configured PK \
fields [{}], but record key schema does not contain field: {n}",
                                cfg.pk_fields.join(", ")
                            ),
                        )
                    })?;
                    keys.push(field(&n, f.schema().clone(), Source::KeyField(n.clone())));
                }
            } else {
                return Err(ConnectError::other(format!(
                    "Key schema must be primitive type or Struct, but is of type: {}",
                    ks.schema_type().java_name()
                )));
            }
        }
        PkMode::RecordValue => {
            let Some(vs) = value_schema else {
                return Err(ConnectError::other(format!(
                    "PK mode for table '{table}' is RECORD_VALUE, but record value schema is missing"
                )));
            };
            let names: Vec<String> = if cfg.pk_fields.is_empty() {
                vs.fields().iter().map(|f| f.name().to_string()).collect()
            } else {
                cfg.pk_fields.clone()
            };
            for n in names {
                let f = vs.field(&n).ok_or_else(|| {
                    ConnectError::config(
                        "pk.fields",
                        cfg.pk_fields.join(","),
                        format!(
                            "PK mode for table '{table}' is RECORD_VALUE with configured PK \
fields [{}], but record value schema does not contain field: {n}",
                            cfg.pk_fields.join(", ")
                        ),
                    )
                })?;
                keys.push(field(&n, f.schema().clone(), Source::ValueField(n.clone())));
            }
        }
    }
    let is_key = |n: &str| keys.iter().any(|k| k.name == n);
    let mut values = Vec::new();
    if let (true, Some(vs)) = (string_value, value_schema) {
        values.push(SinkField {
            name: cfg.string_value_column.clone(),
            schema: vs.clone(),
            key: false,
            source: Source::Value,
            epoch: None,
        });
    } else if let Some(vs) = value_schema {
        for f in vs.fields() {
            let n = f.name();
            if is_key(n)
                || (!cfg.fields_whitelist.is_empty()
                    && !cfg.fields_whitelist.iter().any(|w| w == n))
            {
                continue;
            }
            let epoch = (cfg.timestamp_fields.iter().any(|t| t == n)
                && matches!(f.schema().schema_type(), Type::Int64 | Type::String)
                && f.schema().logical().is_none())
            .then_some(cfg.timestamp_precision);
            values.push(SinkField {
                name: n.to_string(),
                schema: f.schema().clone(),
                key: false,
                source: Source::ValueField(n.to_string()),
                epoch,
            });
        }
    }
    if keys.is_empty() && values.is_empty() {
        return Err(ConnectError::other(format!(
            "No fields found using key and value schemas for table: {table}"
        )));
    }
    // creation order: kafka key columns, then the value's fields in order, then the rest
    let mut all: Vec<SinkField> = Vec::with_capacity(keys.len() + values.len());
    if mode == PkMode::Kafka {
        all.extend(keys.iter().cloned());
    }
    if let Some(vs) = value_schema {
        for f in vs.fields() {
            if let Some(k) = keys.iter().find(|k| k.name == f.name()) {
                if !all.iter().any(|a| a.name == k.name) {
                    all.push(k.clone());
                }
            } else if let Some(v) = values.iter().find(|v| v.name == f.name()) {
                all.push(v.clone());
            }
        }
    }
    let mut rest: Vec<SinkField> = keys
        .iter()
        .filter(|k| !all.iter().any(|a| a.name == k.name))
        .cloned()
        .collect();
    rest.sort_by(|a, b| a.name.cmp(&b.name));
    all.extend(rest);
    if string_value {
        all.extend(values.iter().cloned());
    }
    Ok(FieldsMetadata { keys, values, all })
}

/// The value of a column for a record; `replace_default` gives a null field its schema's
/// default (Java's `Struct.get`).
pub fn value_of(field: &SinkField, record: &SinkRecord, replace_default: bool) -> Value {
    let from_struct = |v: &Value, name: &str| match v {
        Value::Struct(s) => {
            let got = if replace_default {
                s.get(name)
            } else {
                s.get_without_default(name)
            };
            got.cloned().unwrap_or(Value::Null)
        }
        _ => Value::Null,
    };
    match &field.source {
        Source::Topic => Value::String(record.topic.to_string()),
        Source::Partition => Value::Int32(record.kafka_partition.unwrap_or(-1)),
        Source::Offset => Value::Int64(record.meta.kafka_offset),
        Source::Key => record.key.value.clone(),
        Source::KeyField(n) => from_struct(&record.key.value, n),
        Source::ValueField(n) => from_struct(&record.value.value, n),
        Source::Value => record.value.value.clone(),
    }
}

/// A schema for tests and tools: a struct of the given (name, type) fields, all required.
pub fn struct_schema(name: &str, fields: &[(&str, Schema)]) -> Result<Schema> {
    let mut b = SchemaBuilder::struct_builder().name(name);
    for (n, s) in fields {
        b = b.field(*n, s.clone());
    }
    b.build()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn cfg(pairs: &[(&str, &str)]) -> SinkConfig {
        SinkConfig::parse(&crate::common::config_map(
            &[("connection.url", "jdbc:sqlite:/tmp/x.db")],
            pairs,
        ))
        .unwrap()
    }

    fn value() -> Schema {
        struct_schema(
            "v",
            &[
                ("name", Schema::required(Type::String)),
                ("id", Schema::required(Type::Int32)),
                ("age", Schema::optional(Type::Int32)),
            ],
        )
        .unwrap()
    }

    fn names(f: &[SinkField]) -> Vec<&str> {
        f.iter().map(|f| f.name.as_str()).collect()
    }

    #[test]
    fn pk_modes() {
        let v = value();
        let m = extract(&cfg(&[]), "t", None, Some(&v)).unwrap();
        assert!(m.keys.is_empty());
        assert_eq!(names(&m.all), ["name", "id", "age"]);

        let m = extract(&cfg(&[("pk.mode", "kafka")]), "t", None, Some(&v)).unwrap();
        assert_eq!(
            names(&m.all),
            [
                "__connect_topic",
                "__connect_partition",
                "__connect_offset",
                "name",
                "id",
                "age"
            ]
        );

        let m = extract(
            &cfg(&[("pk.mode", "record_value"), ("pk.fields", "id")]),
            "t",
            None,
            Some(&v),
        )
        .unwrap();
        assert_eq!(names(&m.keys), ["id"]);
        assert_eq!(names(&m.values), ["name", "age"]);
        assert_eq!(names(&m.all), ["name", "id", "age"]);

        let k = Schema::required(Type::Int64);
        let m = extract(
            &cfg(&[("pk.mode", "record_key"), ("pk.fields", "key_id")]),
            "t",
            Some(&k),
            Some(&v),
        )
        .unwrap();
        assert_eq!(names(&m.all), ["name", "id", "age", "key_id"]);

        let m = extract(
            &cfg(&[("pk.mode", "record_value"), ("fields.whitelist", "age")]),
            "t",
            None,
            Some(&v),
        )
        .unwrap();
        assert_eq!(names(&m.keys), ["name", "id", "age"]);
        assert!(m.values.is_empty(), "the whitelist never removes keys");
    }

    #[test]
    fn pk_errors_follow_confluent() {
        let v = value();
        let k = Schema::required(Type::Int64);
        let e = extract(&cfg(&[("pk.mode", "record_key")]), "t", Some(&k), Some(&v)).unwrap_err();
        assert!(e.to_string().contains("Need exactly one PK column"), "{e}");
        let e = extract(
            &cfg(&[("pk.mode", "record_key"), ("pk.fields", "x")]),
            "t",
            None,
            Some(&v),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("record key schema is missing"),
            "{e}"
        );
        let e = extract(
            &cfg(&[("pk.mode", "record_value"), ("pk.fields", "nope")]),
            "t",
            None,
            Some(&v),
        )
        .unwrap_err();
        assert!(
            e.to_string().contains("does not contain field: nope"),
            "{e}"
        );
        let e = extract(
            &cfg(&[("pk.mode", "kafka"), ("pk.fields", "a,b")]),
            "t",
            None,
            Some(&v),
        )
        .unwrap_err();
        assert!(e.to_string().contains("exactly 3"), "{e}");
        // a string value fills one column (string.output.value.column.name)
        let m = extract(
            &cfg(&[("string.output.value.column.name", "payload")]),
            "t",
            None,
            Some(&Schema::required(Type::String)),
        )
        .unwrap();
        let names: Vec<&str> = m.all.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["payload"]);
        assert_eq!(m.values[0].source, Source::Value);
        let e = extract(&cfg(&[]), "t", None, Some(&Schema::required(Type::Int32))).unwrap_err();
        assert!(
            e.to_string()
                .contains("Value schema must be of type Struct"),
            "{e}"
        );
    }
}
