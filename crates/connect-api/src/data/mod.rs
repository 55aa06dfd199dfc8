//! The Connect data model: [`Schema`], [`Value`], [`Struct`], [`Decimal`] and the logical types.
//!
//! Values carry logical types as typed variants ([`Value::Decimal`], [`Value::Date`],
//! [`Value::Time`], [`Value::Timestamp`]), as Java holds `BigDecimal` and `java.util.Date` in a
//! `Struct`; converters and transforms work on the typed form.

mod decimal;
pub mod java_number;
pub mod java_text;
pub mod logical;
mod schema;
mod structs;
mod validate;
mod value;
pub mod values;

pub use decimal::Decimal;
pub use schema::{Field, Schema, SchemaBuilder, Type};
pub use structs::Struct;
pub use validate::{class_matches, validate_value};
pub use value::{SchemaAndValue, Value};
