//! `Values.convertToString`: Connect data as text that `parseString` reads back.
//!
//! Top-level strings and bytes are written bare; inside arrays, maps and structs strings are
//! quoted (`\` and `"` escaped with a backslash) and bytes are quoted base64. Numbers use
//! Java's `toString` (`1.0E21`, `1.2E+3`), dates are formatted by value in UTC (see
//! [`super::datefmt::format_by_value`]), structs apply field defaults.

use base64::Engine;

use super::datefmt::format_by_value;
use crate::data::java_text::{push_f32, push_f64};
use crate::data::Value;

/// Java `Values.convertToString(schema, value)` for a non-null value.
pub(crate) fn convert_to_string_text(value: &Value) -> String {
    let mut out = String::new();
    append(&mut out, value, false);
    out
}

fn push_quoted_escaped(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        if c == '\\' || c == '"' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

fn append(out: &mut String, value: &Value, embedded: bool) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Boolean(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int8(v) => out.push_str(&v.to_string()),
        Value::Int16(v) => out.push_str(&v.to_string()),
        Value::Int32(v) => out.push_str(&v.to_string()),
        Value::Int64(v) => out.push_str(&v.to_string()),
        Value::Float32(v) => push_f32(out, *v),
        Value::Float64(v) => push_f64(out, *v),
        Value::Decimal(d) => out.push_str(&d.to_string()),
        Value::String(s) => {
            if embedded {
                push_quoted_escaped(out, s);
            } else {
                out.push_str(s);
            }
        }
        Value::Bytes(bytes) => {
            let encoded = base64::engine::general_purpose::STANDARD.encode(bytes);
            if embedded {
                out.push('"');
                out.push_str(&encoded);
                out.push('"');
            } else {
                out.push_str(&encoded);
            }
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                append(out, item, true);
            }
            out.push(']');
        }
        Value::Map(entries) => {
            out.push('{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                append(out, k, true);
                out.push(':');
                append(out, v, true);
            }
            out.push('}');
        }
        Value::Struct(s) => {
            out.push('{');
            for (i, field) in s.schema().fields().iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_quoted_escaped(out, field.name());
                out.push(':');
                append(out, s.get_field(field), true);
            }
            out.push('}');
        }
        Value::Date(_) | Value::Time(_) | Value::Timestamp(_) => {
            let millis = value.as_epoch_millis().unwrap_or(0);
            out.push_str(&format_by_value(millis));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::{Schema, SchemaBuilder, Struct, Type};

    #[test]
    fn top_level_values_are_bare() {
        assert_eq!(convert_to_string_text(&Value::from("a\"b")), "a\"b");
        assert_eq!(convert_to_string_text(&Value::Float32(0.1)), "0.1");
        assert_eq!(convert_to_string_text(&Value::Float64(1e21)), "1.0E21");
        assert_eq!(convert_to_string_text(&Value::Float64(f64::NAN)), "NaN");
        assert_eq!(convert_to_string_text(&Value::Bytes(vec![1, 2])), "AQI=");
        assert_eq!(
            convert_to_string_text(&Value::Time(3_723_004)),
            "01:02:03.004Z"
        );
        assert_eq!(
            convert_to_string_text(&Value::Timestamp(-1)),
            "23:59:59.999Z"
        );
        assert_eq!(convert_to_string_text(&Value::Date(19_000)), "2022-01-08");
        assert_eq!(convert_to_string_text(&Value::Date(0)), "00:00:00.000Z");
    }

    #[test]
    fn embedded_values_are_quoted_and_escaped() {
        let list = Value::Array(vec![
            "a".into(),
            "b\\c".into(),
            Value::Null,
            Value::Int32(1),
        ]);
        assert_eq!(convert_to_string_text(&list), r#"["a","b\\c",null,1]"#);
        let map = Value::Map(vec![(Value::Int8(1), Value::Int8(2))]);
        assert_eq!(convert_to_string_text(&map), "{1:2}");
        let bytes = Value::Array(vec![Value::Bytes(vec![0xff])]);
        assert_eq!(convert_to_string_text(&bytes), "[\"/w==\"]");
    }

    #[test]
    fn structs_apply_defaults() {
        let schema = SchemaBuilder::struct_builder()
            .field("a", Schema::required(Type::Int32))
            .field("b", Schema::optional(Type::String))
            .field(
                "c",
                SchemaBuilder::new(Type::Int32)
                    .optional()
                    .default_value(Value::Int32(3))
                    .build()
                    .unwrap(),
            )
            .build()
            .unwrap();
        let mut s = Struct::new(&schema).unwrap();
        s.put("a", 1i32).unwrap();
        s.put("b", "x\"y").unwrap();
        assert_eq!(
            convert_to_string_text(&Value::Struct(s)),
            r#"{"a":1,"b":"x\"y","c":3}"#
        );
    }
}
