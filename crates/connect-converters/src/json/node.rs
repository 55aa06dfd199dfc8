//! [`JsonNode`]: a JSON document tree that keeps number text exact (as Jackson's tree with
//! `USE_BIG_DECIMAL_FOR_FLOATS` does), and its parser.

use std::fmt;

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
        let mut p = Parser { input, pos: 0 };
        p.skip_ws();
        let node = p.value(0)?;
        p.skip_ws();
        if p.pos != input.len() {
            return Err(p.error("unexpected trailing characters"));
        }
        Ok(node)
    }
}

/// A JSON syntax error with its byte position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at byte {position}")]
pub struct JsonParseError {
    /// What is wrong.
    pub message: String,
    /// Byte offset in the input.
    pub position: usize,
}

const MAX_DEPTH: usize = 1000;

struct Parser<'a> {
    input: &'a [u8],
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> JsonParseError {
        JsonParseError {
            message: message.to_string(),
            position: self.pos,
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.input.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<JsonNode, JsonParseError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        match self.input.get(self.pos) {
            None => Err(self.error("unexpected end of input")),
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => Ok(JsonNode::String(self.string()?)),
            Some(b't') => self.literal(b"true", JsonNode::Bool(true)),
            Some(b'f') => self.literal(b"false", JsonNode::Bool(false)),
            Some(b'n') => self.literal(b"null", JsonNode::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    fn literal(&mut self, word: &[u8], node: JsonNode) -> Result<JsonNode, JsonParseError> {
        if self.input[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(node)
        } else {
            Err(self.error("invalid literal"))
        }
    }

    fn object(&mut self, depth: usize) -> Result<JsonNode, JsonParseError> {
        self.pos += 1;
        let mut entries: Vec<(String, JsonNode)> = Vec::new();
        self.skip_ws();
        if self.input.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(JsonNode::Object(entries));
        }
        loop {
            self.skip_ws();
            if self.input.get(self.pos) != Some(&b'"') {
                return Err(self.error("expected a member name"));
            }
            let key = self.string()?;
            self.skip_ws();
            if self.input.get(self.pos) != Some(&b':') {
                return Err(self.error("expected ':'"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            match entries.iter_mut().find(|(k, _)| *k == key) {
                Some(slot) => slot.1 = value,
                None => entries.push((key, value)),
            }
            self.skip_ws();
            match self.input.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(JsonNode::Object(entries));
                }
                _ => return Err(self.error("expected ',' or '}'")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<JsonNode, JsonParseError> {
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.input.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(JsonNode::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.input.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(JsonNode::Array(items));
                }
                _ => return Err(self.error("expected ',' or ']'")),
            }
        }
    }

    fn number(&mut self) -> Result<JsonNode, JsonParseError> {
        let start = self.pos;
        if self.input.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        while let Some(b'0'..=b'9') = self.input.get(self.pos) {
            self.pos += 1;
        }
        if self.pos == int_start {
            return Err(self.error("expected a digit"));
        }
        let mut is_float = false;
        if self.input.get(self.pos) == Some(&b'.') {
            is_float = true;
            self.pos += 1;
            let frac_start = self.pos;
            while let Some(b'0'..=b'9') = self.input.get(self.pos) {
                self.pos += 1;
            }
            if self.pos == frac_start {
                return Err(self.error("expected a fraction digit"));
            }
        }
        if let Some(b'e' | b'E') = self.input.get(self.pos) {
            is_float = true;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.input.get(self.pos) {
                self.pos += 1;
            }
            let exp_start = self.pos;
            while let Some(b'0'..=b'9') = self.input.get(self.pos) {
                self.pos += 1;
            }
            if self.pos == exp_start {
                return Err(self.error("expected an exponent digit"));
            }
        }
        // The slice holds only ASCII digits, signs, '.', 'e'.
        let text = String::from_utf8_lossy(&self.input[start..self.pos]);
        if is_float {
            return Ok(JsonNode::Float(text.into_owned()));
        }
        match text.parse::<i64>() {
            Ok(v) => Ok(JsonNode::Int(v)),
            Err(_) => Ok(JsonNode::BigInt(text.into_owned())),
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonParseError> {
        let digits = self
            .input
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error("truncated \\u escape"))?;
        let mut v = 0u32;
        for d in digits {
            let n = (*d as char)
                .to_digit(16)
                .ok_or_else(|| self.error("invalid \\u escape"))?;
            v = v * 16 + n;
        }
        self.pos += 4;
        Ok(v)
    }

    fn string(&mut self) -> Result<String, JsonParseError> {
        self.pos += 1; // opening quote
        let mut out = Vec::new();
        loop {
            let start = self.pos;
            while let Some(&b) = self.input.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.extend_from_slice(&self.input[start..self.pos]);
            match self.input.get(self.pos) {
                None => return Err(self.error("unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return String::from_utf8(out)
                        .map_err(|_| self.error("invalid UTF-8 in string"));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let esc = *self
                        .input
                        .get(self.pos)
                        .ok_or_else(|| self.error("unterminated escape"))?;
                    self.pos += 1;
                    let ch = match esc {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            if (0xD800..0xDC00).contains(&hi)
                                && self.input.get(self.pos..self.pos + 2) == Some(b"\\u")
                            {
                                let save = self.pos;
                                self.pos += 2;
                                let lo = self.hex4()?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                    char::from_u32(c).unwrap_or('\u{FFFD}')
                                } else {
                                    self.pos = save;
                                    '\u{FFFD}'
                                }
                            } else {
                                char::from_u32(hi).unwrap_or('\u{FFFD}')
                            }
                        }
                        _ => return Err(self.error("invalid escape")),
                    };
                    let mut buf = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                Some(_) => return Err(self.error("control character in string")),
            }
        }
    }
}

impl fmt::Display for JsonNode {
    /// Compact JSON text (numbers as written, strings minimally escaped). For Kafka-identical
    /// bytes use the converter's writer instead.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonNode::Null => f.write_str("null"),
            JsonNode::Bool(b) => write!(f, "{b}"),
            JsonNode::Int(v) => write!(f, "{v}"),
            JsonNode::BigInt(t) | JsonNode::Float(t) => f.write_str(t),
            JsonNode::String(s) => write_escaped(f, s),
            JsonNode::Array(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")
            }
            JsonNode::Object(entries) => {
                f.write_str("{")?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write_escaped(f, k)?;
                    write!(f, ":{v}")?;
                }
                f.write_str("}")
            }
        }
    }
}

fn write_escaped(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_str("\"")?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if (c as u32) < 0x20 => write!(f, "\\u{:04X}", c as u32)?,
            c => write!(f, "{c}")?,
        }
    }
    f.write_str("\"")
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
}
