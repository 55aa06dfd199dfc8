//! Result columns to Connect schemas, as Confluent's source connector maps them (its
//! `GenericDatabaseDialect.addFieldToSchema` over what each database's JDBC driver reports):
//! the struct is named after the table (unnamed for a custom query), a column that may be
//! null is an optional field, and a type the connector does not support leaves its column out
//! with a warning.

use connect_api::data::logical;
use connect_api::{Schema, SchemaBuilder, Type};

use crate::db::rows::Conv;
use crate::dialect::Dialect;
use crate::granularity::Granularity;

/// `numeric.mapping`: how `NUMERIC` columns become Connect types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NumericMapping {
    /// Always a `Decimal`.
    #[default]
    None,
    /// Whole numbers of at most 18 digits become the smallest integer that holds them.
    PrecisionOnly,
    /// Also fractions of at most 18 digits become `FLOAT64`.
    BestFit,
    /// Every fraction becomes `FLOAT64`.
    BestFitEagerDouble,
}

impl NumericMapping {
    /// Parses `numeric.mapping` (case-insensitive); `None` for an unknown name.
    pub fn parse(text: &str) -> Option<NumericMapping> {
        match text.trim().to_ascii_lowercase().as_str() {
            "none" => Some(NumericMapping::None),
            "precision_only" => Some(NumericMapping::PrecisionOnly),
            "best_fit" => Some(NumericMapping::BestFit),
            "best_fit_eager_double" => Some(NumericMapping::BestFitEagerDouble),
            _ => None,
        }
    }
}

/// A result column as the mapping sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnInfo {
    /// The column label.
    pub name: String,
    /// The type name: the driver's (`INT4`, `INT UNSIGNED`) or, for SQLite, the declared one.
    pub type_name: String,
    /// Numeric precision, if known.
    pub precision: Option<i64>,
    /// Numeric scale, if known.
    pub scale: Option<i64>,
    /// Whether the column may be null (or it is not known that it cannot).
    pub nullable: bool,
}

/// The Decimal scale Confluent uses when a column's scale is unknown or unconstrained.
const UNSET_SCALE: i32 = 127;

fn int_of_precision(p: i64) -> Conv {
    if p > 9 {
        Conv::Int64
    } else if p > 4 {
        Conv::Int32
    } else if p > 2 {
        Conv::Int16
    } else {
        Conv::Int8
    }
}

/// How a `NUMERIC(p, s)` is mapped.
fn numeric(p: i64, s: i64, mapping: NumericMapping) -> Conv {
    let decimal = Conv::Decimal(if p == 0 && s == 0 {
        UNSET_SCALE
    } else {
        s as i32
    });
    match mapping {
        NumericMapping::None => decimal,
        NumericMapping::PrecisionOnly if s == 0 && p <= 18 => int_of_precision(p),
        NumericMapping::BestFit if p <= 18 && (-84..=0).contains(&s) => int_of_precision(p),
        NumericMapping::BestFit if p <= 18 && s > 0 => Conv::Float64,
        NumericMapping::BestFitEagerDouble if p <= 18 && (-84..=0).contains(&s) => {
            int_of_precision(p)
        }
        NumericMapping::BestFitEagerDouble if s > 0 => Conv::Float64,
        _ => decimal,
    }
}

/// The conversion for a column, or `None` when the connector does not support its type.
pub fn conv_for(dialect: Dialect, col: &ColumnInfo, mapping: NumericMapping) -> Option<Conv> {
    let t = col.type_name.to_ascii_uppercase();
    let p = col.precision.unwrap_or(0);
    let s = col.scale.unwrap_or(0);
    let conv = match dialect {
        Dialect::Postgres => match t.as_str() {
            "BOOL" => Conv::Boolean,
            "INT2" => Conv::Int16,
            "INT4" => Conv::Int32,
            "INT8" | "OID" => Conv::Int64,
            "FLOAT4" => Conv::Float32,
            "FLOAT8" | "MONEY" => Conv::Float64,
            "NUMERIC" => numeric(p, s, mapping),
            "BPCHAR" | "CHAR" | "VARCHAR" | "TEXT" | "NAME" | "JSON" | "JSONB" | "UUID" | "XML" => {
                Conv::String
            }
            "BYTEA" => Conv::Bytes,
            "DATE" => Conv::Date,
            "TIME" => Conv::Time,
            "TIMESTAMP" | "TIMESTAMPTZ" => Conv::Timestamp,
            _ => return None,
        },
        Dialect::MySql => {
            let base = t.split_whitespace().next().unwrap_or("");
            let unsigned = t.contains("UNSIGNED");
            match base {
                // TINYINT(1) is reported as BIT and read with getByte
                "BOOLEAN" | "BOOL" | "BIT" => Conv::Int8,
                "TINYINT" if unsigned => Conv::Int16,
                "TINYINT" => Conv::Int8,
                "SMALLINT" if unsigned => Conv::Int32,
                "SMALLINT" => Conv::Int16,
                "MEDIUMINT" | "INT" | "INTEGER" if unsigned => Conv::Int64,
                "MEDIUMINT" | "INT" | "INTEGER" => Conv::Int32,
                "BIGINT" => Conv::Int64,
                "FLOAT" => Conv::Float32,
                "DOUBLE" | "REAL" => Conv::Float64,
                "DECIMAL" | "NUMERIC" => Conv::Decimal(if col.scale.is_none() {
                    UNSET_SCALE
                } else {
                    s as i32
                }),
                "CHAR" | "VARCHAR" | "TINYTEXT" | "TEXT" | "MEDIUMTEXT" | "LONGTEXT" | "ENUM"
                | "SET" | "JSON" => Conv::String,
                "BINARY" | "VARBINARY" | "TINYBLOB" | "BLOB" | "MEDIUMBLOB" | "LONGBLOB" => {
                    Conv::Bytes
                }
                "DATE" | "YEAR" => Conv::Date,
                "TIME" => Conv::Time,
                "DATETIME" | "TIMESTAMP" => Conv::Timestamp,
                _ => return None,
            }
        }
        // sqlite-jdbc: by declared type name; only NUMERIC, INTEGER and REAL are "signed", so
        // other integer names widen like unsigned ones
        Dialect::Sqlite => {
            let base = t.split('(').next().unwrap_or("").trim();
            match base {
                "BOOLEAN" => Conv::Boolean,
                "TINYINT" => Conv::Int16,
                "SMALLINT" | "INT2" => Conv::Int32,
                "INTEGER" => Conv::Int32,
                "INT" | "MEDIUMINT" | "BIGINT" | "INT8" | "UNSIGNED BIG INT" => Conv::Int64,
                "REAL" => Conv::Float32,
                "FLOAT" | "DOUBLE" | "DOUBLE PRECISION" => Conv::Float64,
                "NUMERIC" => numeric(p, s, mapping),
                "DECIMAL" => Conv::Decimal(s as i32),
                "DATE" | "DATETIME" => Conv::Date,
                "TIMESTAMP" => Conv::Timestamp,
                "TIME" => Conv::Time,
                "BLOB" | "BINARY" | "VARBINARY" => Conv::Bytes,
                b if b.contains("CHAR")
                    || b.contains("TEXT")
                    || b.contains("CLOB")
                    || b.is_empty() =>
                {
                    Conv::String
                }
                _ => Conv::Decimal(s as i32),
            }
        }
    };
    Some(conv)
}

/// The field schema of a conversion.
pub fn field_schema(conv: Conv, precision: Option<i64>, optional: bool) -> Schema {
    let builder = match conv {
        Conv::Boolean => SchemaBuilder::new(Type::Boolean),
        Conv::Int8 => SchemaBuilder::new(Type::Int8),
        Conv::Int16 => SchemaBuilder::new(Type::Int16),
        Conv::Int32 => SchemaBuilder::new(Type::Int32),
        Conv::Int64 => SchemaBuilder::new(Type::Int64),
        Conv::Float32 => SchemaBuilder::new(Type::Float32),
        Conv::Float64 => SchemaBuilder::new(Type::Float64),
        Conv::String => SchemaBuilder::new(Type::String),
        Conv::Bytes => SchemaBuilder::new(Type::Bytes),
        Conv::Decimal(scale) => logical::decimal_builder(scale).parameter(
            "connect.decimal.precision",
            precision.unwrap_or(0).to_string(),
        ),
        Conv::Date => logical::date_builder(),
        Conv::Time => logical::time_builder(),
        Conv::Timestamp | Conv::EpochNanos => logical::timestamp_builder(),
        Conv::Granular(g) => {
            if let Some(schema) = g.schema(optional) {
                return schema;
            }
            logical::timestamp_builder()
        }
    };
    let builder = if optional {
        builder.optional()
    } else {
        builder
    };
    // every builder above is complete, so building cannot fail
    builder
        .build()
        .unwrap_or_else(|_| Schema::optional(Type::String))
}

/// The record schema of a result: the struct (named `name`, if any) and how each column is
/// read (its index in the result and its conversion; timestamps as `granularity` says).
/// Unsupported columns are left out, each with a warning.
pub fn record_schema(
    dialect: Dialect,
    name: Option<&str>,
    columns: &[ColumnInfo],
    mapping: NumericMapping,
    granularity: Granularity,
) -> (Schema, Vec<(usize, Conv)>) {
    let mut builder = SchemaBuilder::struct_builder();
    if let Some(n) = name {
        builder = builder.name(n);
    }
    let mut convs = Vec::with_capacity(columns.len());
    for (i, col) in columns.iter().enumerate() {
        let conv = conv_for(dialect, col, mapping).map(|c| match c {
            Conv::Timestamp if granularity != Granularity::ConnectLogical => {
                Conv::Granular(granularity)
            }
            c => c,
        });
        match conv {
            Some(conv) => {
                builder = builder.field(&col.name, field_schema(conv, col.precision, col.nullable));
                convs.push((i, conv));
            }
            None => tracing::warn!(
                "JDBC type {} of column '{}' not currently supported: the column is left out",
                col.type_name,
                col.name
            ),
        }
    }
    let schema = builder
        .build()
        .unwrap_or_else(|_| Schema::optional(Type::String));
    (schema, convs)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn col(name: &str, ty: &str, p: Option<i64>, s: Option<i64>, nullable: bool) -> ColumnInfo {
        ColumnInfo {
            name: name.into(),
            type_name: ty.into(),
            precision: p,
            scale: s,
            nullable,
        }
    }

    #[test]
    fn numeric_mappings_follow_confluent() {
        use NumericMapping::*;
        assert_eq!(numeric(10, 2, None), Conv::Decimal(2));
        assert_eq!(numeric(0, 0, None), Conv::Decimal(127));
        assert_eq!(numeric(5, 0, PrecisionOnly), Conv::Int32);
        assert_eq!(numeric(10, 2, PrecisionOnly), Conv::Decimal(2));
        assert_eq!(numeric(10, 2, BestFit), Conv::Float64);
        assert_eq!(numeric(20, 2, BestFit), Conv::Decimal(2));
        assert_eq!(numeric(20, 2, BestFitEagerDouble), Conv::Float64);
        assert_eq!(numeric(0, 0, BestFit), Conv::Int8);
        assert_eq!(numeric(2, 0, PrecisionOnly), Conv::Int8);
        assert_eq!(numeric(19, 0, PrecisionOnly), Conv::Decimal(0));
    }

    #[test]
    fn postgres_and_mysql_types() {
        let pg = |t: &str| {
            conv_for(
                Dialect::Postgres,
                &col("c", t, None, None, true),
                NumericMapping::None,
            )
        };
        assert_eq!(pg("INT4"), Some(Conv::Int32));
        assert_eq!(pg("BOOL"), Some(Conv::Boolean));
        assert_eq!(pg("JSONB"), Some(Conv::String));
        assert_eq!(pg("TIMESTAMPTZ"), Some(Conv::Timestamp));
        assert_eq!(pg("INTERVAL"), None);
        let my = |t: &str| {
            conv_for(
                Dialect::MySql,
                &col("c", t, None, Some(2), true),
                NumericMapping::BestFit,
            )
        };
        assert_eq!(my("INT UNSIGNED"), Some(Conv::Int64));
        assert_eq!(my("TINYINT UNSIGNED"), Some(Conv::Int16));
        assert_eq!(my("BOOLEAN"), Some(Conv::Int8));
        assert_eq!(
            my("DECIMAL"),
            Some(Conv::Decimal(2)),
            "numeric.mapping leaves DECIMAL alone"
        );
        assert_eq!(my("DATETIME"), Some(Conv::Timestamp));
        assert_eq!(my("GEOMETRY"), None);
    }

    #[test]
    fn record_schema_names_the_struct_and_leaves_out_unsupported_columns() {
        let cols = vec![
            col("id", "INT4", Some(32), Some(0), false),
            col("price", "NUMERIC", Some(10), Some(2), true),
            col("span", "INTERVAL", None, None, true),
            col("name", "VARCHAR", None, None, true),
        ];
        let (schema, convs) = record_schema(
            Dialect::Postgres,
            Some("orders"),
            &cols,
            NumericMapping::None,
            Granularity::ConnectLogical,
        );
        assert_eq!(schema.name(), Some("orders"));
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name()).collect();
        assert_eq!(names, ["id", "price", "name"]);
        assert!(!schema.fields()[0].schema().is_optional());
        let price = schema.fields()[1].schema();
        assert!(price.is_optional());
        assert_eq!(price.name(), Some("org.apache.kafka.connect.data.Decimal"));
        assert_eq!(price.parameter("scale"), Some("2"));
        assert_eq!(price.parameter("connect.decimal.precision"), Some("10"));
        assert_eq!(
            convs,
            vec![(0, Conv::Int32), (1, Conv::Decimal(2)), (3, Conv::String)]
        );
    }
}
