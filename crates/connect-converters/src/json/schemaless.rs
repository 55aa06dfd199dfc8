//! Schemaless reading (`schemas.enable=false`) straight from bytes to a Connect value, without
//! an intermediate tree: integers → INT64, other numbers → FLOAT64, objects → maps with string
//! keys (document order, a repeated key keeps its last value), arrays → lists.
//!
//! Kafka wraps integers beyond 64 bits silently; Ferry reports them. That conversion error is
//! held until the whole document has parsed, so a syntax error later in the input is still
//! reported first, as in Kafka (Jackson parses everything before Kafka converts).

use std::borrow::Cow;

use connect_api::{ConnectError, Value};

use super::decode::{self, out_of_range};
use super::parser::{Builder, JsonParseError, MemberKey, Parser, Stacks};
use super::JsonNode;

/// Builds schemaless Connect values.
struct ValueBuilder {
    error: Option<ConnectError>,
    stacks: Stacks<Value, Value>,
}

impl MemberKey for Value {
    fn from_key(key: Cow<'_, str>) -> Self {
        Value::String(key.into_owned())
    }
    fn key_str(&self) -> &str {
        match self {
            Value::String(s) => s,
            _ => "",
        }
    }
}

impl<'a> Builder<'a> for ValueBuilder {
    type Out = Value;
    type Arr = usize;
    type Obj = usize;

    fn null(&mut self) -> Value {
        Value::Null
    }
    fn boolean(&mut self, v: bool) -> Value {
        Value::Boolean(v)
    }
    fn int(&mut self, v: i64) -> Value {
        Value::Int64(v)
    }
    fn big_int(&mut self, text: &str) -> Value {
        if self.error.is_none() {
            self.error = Some(out_of_range("INT64", &JsonNode::BigInt(text.to_string())));
        }
        Value::Null
    }
    fn float(&mut self, text: &str) -> Value {
        let v = text.parse::<f64>().unwrap_or(f64::NAN);
        if v.is_infinite() && self.error.is_none() {
            self.error = Some(out_of_range("FLOAT64", &JsonNode::Float(text.to_string())));
        }
        Value::Float64(v)
    }
    fn string(&mut self, s: Cow<'a, str>) -> Value {
        Value::String(s.into_owned())
    }
    fn array_start(&mut self) -> usize {
        self.stacks.array_start()
    }
    fn array_push(&mut self, _: &mut usize, v: Value) {
        self.stacks.array_push(v);
    }
    fn array_end(&mut self, start: usize) -> Value {
        Value::Array(self.stacks.array_end(start))
    }
    fn object_start(&mut self) -> usize {
        self.stacks.object_start()
    }
    fn object_put(&mut self, start: &mut usize, key: Cow<'a, str>, v: Value) {
        self.stacks.object_put(*start, key, v);
    }
    fn object_end(&mut self, start: usize) -> Value {
        Value::Map(self.stacks.object_end(start))
    }
}

thread_local! {
    /// Scratch stacks kept between parses on this thread.
    static VALUE_STACKS: std::cell::Cell<Option<Stacks<Value, Value>>> =
        const { std::cell::Cell::new(None) };
}

/// What reading schemaless bytes gave.
pub(crate) enum Read {
    /// Bad JSON.
    Syntax(JsonParseError),
    /// Good JSON that Ferry will not convert silently.
    Conversion(ConnectError),
    /// The value (null for empty input).
    Value(Value),
}

/// Reads a schemaless document.
pub(crate) fn read(bytes: &[u8]) -> Read {
    let mut b = ValueBuilder {
        error: None,
        stacks: VALUE_STACKS.with(|c| c.take()).unwrap_or_else(Stacks::new),
    };
    let result = Parser::new(bytes, true).document(&mut b);
    if let Some(stacks) = b.stacks.recycle() {
        VALUE_STACKS.with(|c| c.set(Some(stacks)));
    }
    match result {
        Err(e) => Read::Syntax(e),
        Ok(v) => match b.error {
            // A value Ferry refuses: let the tree reading decide which error Kafka's conversion
            // order reports first (a repeated key may have replaced the refused value).
            Some(_) => match JsonNode::parse_lenient(bytes) {
                Ok(node) => match decode::convert_schemaless(node.unwrap_or(JsonNode::Null)) {
                    Ok(v) => Read::Value(v),
                    Err(e) => Read::Conversion(e),
                },
                Err(e) => Read::Syntax(e),
            },
            None => Read::Value(v.unwrap_or(Value::Null)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(text: &str) -> Value {
        match read(text.as_bytes()) {
            Read::Value(v) => v,
            Read::Syntax(e) => panic!("syntax: {e}"),
            Read::Conversion(e) => panic!("conversion: {e}"),
        }
    }

    #[test]
    fn infers_like_kafka() {
        assert_eq!(value("007"), Value::Int64(7));
        assert_eq!(value("1.0"), Value::Float64(1.0));
        assert_eq!(value("1E2"), Value::Float64(100.0));
        assert_eq!(value("2.5e-400"), Value::Float64(0.0));
        assert_eq!(value(""), Value::Null);
        assert_eq!(
            value(r#"{"a":1,"a":2,"b":[true,null,"x"]}"#),
            Value::Map(vec![
                ("a".into(), Value::Int64(2)),
                (
                    "b".into(),
                    Value::Array(vec![true.into(), Value::Null, "x".into()])
                ),
            ])
        );
    }

    #[test]
    fn syntax_errors_win_over_conversion_errors() {
        assert!(matches!(
            read(b"[123456789012345678901234567890"),
            Read::Syntax(_)
        ));
        match read(b"[123456789012345678901234567890]") {
            Read::Conversion(e) => assert_eq!(
                e.to_string(),
                "Cannot convert JSON number 123456789012345678901234567890 to INT64: out of range"
            ),
            _ => panic!(),
        }
        match read(b"[1e400]") {
            Read::Conversion(e) => assert_eq!(
                e.to_string(),
                "Cannot convert JSON number 1e400 to FLOAT64: out of range"
            ),
            _ => panic!(),
        }
        // the refused value was replaced by a repeated key: no error, as in Kafka
        assert!(matches!(
            read(br#"{"a":123456789012345678901234567890,"a":1}"#),
            Read::Value(Value::Map(_))
        ));
    }
}
