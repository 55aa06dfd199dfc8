//! [`JsonNode`]: a JSON document tree that keeps number text exact (as Jackson's tree with
//! `USE_BIG_DECIMAL_FOR_FLOATS` does). The grammar lives in `parser.rs`.

use std::borrow::Cow;
use std::fmt;

pub use super::parser::JsonParseError;
use super::parser::{Builder, Parser, Stacks};

/// A parsed JSON value. Numbers keep what Jackson keeps: integers that fit in 64 bits as
/// [`JsonNode::Int`], longer integers and every number with a fraction or exponent as exact
/// text (Kafka reads those as `BigInteger` / `BigDecimal`).
#[derive(Debug, Clone, PartialEq)]
pub enum JsonNode {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer literal that fits in an `i64`.
    Int(i64),
    /// An integer literal beyond `i64`, as written (sign included).
    BigInt(String),
    /// A literal with a fraction or an exponent, as written.
    Float(String),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<JsonNode>),
    /// An object; entries in document order, keys unique (a repeated key keeps its first
    /// position and its last value, as Jackson's `ObjectNode`).
    Object(Vec<(String, JsonNode)>),
}

impl JsonNode {
    /// The value of an object member.
    pub fn get(&self, key: &str) -> Option<&JsonNode> {
        match self {
            JsonNode::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Whether this is a number of any kind.
    pub fn is_number(&self) -> bool {
        matches!(
            self,
            JsonNode::Int(_) | JsonNode::BigInt(_) | JsonNode::Float(_)
        )
    }

    /// Jackson's `getNodeType()` name, used in Kafka's messages (`STRING`, `NUMBER`, …).
    pub fn node_type(&self) -> &'static str {
        match self {
            JsonNode::Null => "NULL",
            JsonNode::Bool(_) => "BOOLEAN",
            JsonNode::Int(_) | JsonNode::BigInt(_) | JsonNode::Float(_) => "NUMBER",
            JsonNode::String(_) => "STRING",
            JsonNode::Array(_) => "ARRAY",
            JsonNode::Object(_) => "OBJECT",
        }
    }

    /// Parses one JSON document (RFC 8259; whitespace around it allowed, nothing after it).
    pub fn parse(input: &[u8]) -> Result<JsonNode, JsonParseError> {
        let mut p = Parser::new(input, false);
        match p.document(&mut NodeBuilder::new())? {
            Some(node) => Ok(node),
            None => Err(p.error("unexpected end of input")),
        }
    }

    /// Parses bytes the way Kafka's `JsonDeserializer` (Jackson `readTree`) does: a UTF-8 BOM
    /// is skipped, leading zeros are allowed (`007` is 7), anything after the first complete
    /// value is ignored (`{}x` is `{}`, `1 2` is 1; a root-level number must be followed by
    /// white space), a repeated key keeps its last value. `Ok(None)` for empty or
    /// white-space-only input (Jackson's missing node).
    pub fn parse_lenient(input: &[u8]) -> Result<Option<JsonNode>, JsonParseError> {
        Parser::new(input, true).document(&mut NodeBuilder::new())
    }
}

/// Builds [`JsonNode`] trees.
pub(crate) struct NodeBuilder {
    stacks: Stacks<String, JsonNode>,
    pooled: bool,
}

thread_local! {
    /// Scratch stacks kept between parses on this thread.
    static NODE_STACKS: std::cell::Cell<Option<Stacks<String, JsonNode>>> =
        const { std::cell::Cell::new(None) };
}

impl NodeBuilder {
    /// A builder, reusing this thread's scratch stacks when they are free.
    pub(crate) fn new() -> Self {
        let stacks = NODE_STACKS.with(|c| c.take()).unwrap_or_else(Stacks::new);
        NodeBuilder {
            stacks,
            pooled: true,
        }
    }

    /// A builder for a single scalar (no scratch stacks needed).
    pub(crate) fn scalar() -> Self {
        NodeBuilder {
            stacks: Stacks::new(),
            pooled: false,
        }
    }
}

impl Drop for NodeBuilder {
    fn drop(&mut self) {
        if !self.pooled {
            return;
        }
        let stacks = std::mem::replace(&mut self.stacks, Stacks::new());
        if let Some(stacks) = stacks.recycle() {
            NODE_STACKS.with(|c| c.set(Some(stacks)));
        }
    }
}

impl<'a> Builder<'a> for NodeBuilder {
    type Out = JsonNode;
    type Arr = usize;
    type Obj = usize;

    fn null(&mut self) -> JsonNode {
        JsonNode::Null
    }
    fn boolean(&mut self, v: bool) -> JsonNode {
        JsonNode::Bool(v)
    }
    fn int(&mut self, v: i64) -> JsonNode {
        JsonNode::Int(v)
    }
    fn big_int(&mut self, text: &str) -> JsonNode {
        JsonNode::BigInt(text.to_string())
    }
    fn float(&mut self, text: &str) -> JsonNode {
        JsonNode::Float(text.to_string())
    }
    fn string(&mut self, s: Cow<'a, str>) -> JsonNode {
        JsonNode::String(s.into_owned())
    }
    fn array_start(&mut self) -> usize {
        self.stacks.array_start()
    }
    fn array_push(&mut self, _: &mut usize, v: JsonNode) {
        self.stacks.array_push(v);
    }
    fn array_end(&mut self, start: usize) -> JsonNode {
        JsonNode::Array(self.stacks.array_end(start))
    }
    fn object_start(&mut self) -> usize {
        self.stacks.object_start()
    }
    fn object_put(&mut self, start: &mut usize, key: Cow<'a, str>, v: JsonNode) {
        self.stacks.object_put(*start, key, v);
    }
    fn object_end(&mut self, start: usize) -> JsonNode {
        JsonNode::Object(self.stacks.object_end(start))
    }
}

impl fmt::Display for JsonNode {
    /// Compact JSON text as Jackson writes it (see [`write_json`](super::write_json)).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = Vec::new();
        super::writer::write_json(self, &mut out);
        f.write_str(&String::from_utf8_lossy(&out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_keeps_number_text() {
        let n = JsonNode::parse(
            br#" {"a":1.50,"b":[1,-2,123456789012345678901234567890],"c":"\ud83d\ude00x","a":2} "#,
        )
        .unwrap();
        assert_eq!(n.get("a"), Some(&JsonNode::Int(2)));
        match n.get("b") {
            Some(JsonNode::Array(items)) => {
                assert_eq!(items[1], JsonNode::Int(-2));
                assert_eq!(
                    items[2],
                    JsonNode::BigInt("123456789012345678901234567890".into())
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(n.get("c"), Some(&JsonNode::String("😀x".into())));
        assert_eq!(
            JsonNode::parse(b"1.50").unwrap(),
            JsonNode::Float("1.50".into())
        );
        assert!(JsonNode::parse(b"{}x").is_err());
        assert!(JsonNode::parse(b"").is_err());
    }

    #[test]
    fn repeated_keys_keep_first_position_last_value() {
        let n = JsonNode::parse(br#"{"a":1,"b":2,"a":3}"#).unwrap();
        assert_eq!(
            n,
            JsonNode::Object(vec![
                ("a".into(), JsonNode::Int(3)),
                ("b".into(), JsonNode::Int(2))
            ])
        );
        // large objects use an index; same rule
        let mut text = String::from("{");
        for i in 0..40 {
            text.push_str(&format!("\"k{i}\":{i},"));
        }
        text.push_str("\"k3\":99}");
        let n = JsonNode::parse(text.as_bytes()).unwrap();
        match &n {
            JsonNode::Object(e) => {
                assert_eq!(e.len(), 40);
                assert_eq!(e[3], ("k3".to_string(), JsonNode::Int(99)));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn lenient_parse() {
        assert_eq!(
            JsonNode::parse_lenient(b"{}x").unwrap(),
            Some(JsonNode::Object(vec![]))
        );
        assert_eq!(
            JsonNode::parse_lenient(b"1 2").unwrap(),
            Some(JsonNode::Int(1))
        );
        assert_eq!(
            JsonNode::parse_lenient(b"007").unwrap(),
            Some(JsonNode::Int(7))
        );
        assert_eq!(
            JsonNode::parse_lenient(b"-007.50").unwrap(),
            Some(JsonNode::Float("-7.50".into()))
        );
        assert_eq!(
            JsonNode::parse_lenient(b"\xEF\xBB\xBFtrue").unwrap(),
            Some(JsonNode::Bool(true))
        );
        assert_eq!(JsonNode::parse_lenient(b" \n ").unwrap(), None);
        assert!(JsonNode::parse_lenient(b"1x").is_err());
    }
}
