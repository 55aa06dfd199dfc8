//! [`Out`]: what Ferry produced for a case, as a JSON-like tree that remembers what the
//! comparison needs to know (which objects are ordered, which numbers are `float`s).

use std::fmt::{self, Write};

use connect_api::data::java_text::{f32_to_string, f64_to_string};
use connect_converters::json::JsonNode;

/// A rendered Ferry output.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    /// JSON `null`.
    Null,
    /// JSON boolean.
    Bool(bool),
    /// An integer (a Java `Byte`/`Short`/`Integer`/`Long` or an integer in schema JSON).
    Int(i64),
    /// An integer beyond 64 bits, as text (only from schema JSON).
    BigInt(String),
    /// A finite Java `Float`: compared after parsing the expected text as `f32`.
    F32(f32),
    /// A finite Java `Double`: compared after parsing the expected text as `f64`.
    F64(f64),
    /// A number as text, from JSON Ferry wrote (schema JSON): compared by decimal value.
    Num(String),
    /// A JSON string.
    Str(String),
    /// A JSON array (order matters).
    Arr(Vec<Out>),
    /// A JSON object. `ordered` objects (struct values) must list their keys in the same
    /// order as the expected object; the others (maps, envelopes, schema JSON) need not.
    Obj {
        /// The members.
        entries: Vec<(String, Out)>,
        /// Whether member order matters.
        ordered: bool,
    },
    /// The `[key, value]` pair list of a map (compared without order).
    Pairs(Vec<(Out, Out)>),
}

impl Out {
    /// An unordered object.
    pub fn obj<K: Into<String>>(entries: impl IntoIterator<Item = (K, Out)>) -> Out {
        Out::Obj {
            entries: entries.into_iter().map(|(k, v)| (k.into(), v)).collect(),
            ordered: false,
        }
    }

    /// A one-member object such as the `{"$int8": 1}` tags.
    pub fn tag(name: &str, value: Out) -> Out {
        Out::obj([(name, value)])
    }

    /// A string.
    pub fn str(s: impl Into<String>) -> Out {
        Out::Str(s.into())
    }

    /// A `float`: finite values as numbers, the others as Java's `"NaN"`/`"Infinity"` strings.
    pub fn f32(v: f32) -> Out {
        if v.is_finite() {
            Out::F32(v)
        } else {
            Out::Str(f32_to_string(v))
        }
    }

    /// A `double`: finite values as numbers, the others as Java's `"NaN"`/`"Infinity"` strings.
    pub fn f64(v: f64) -> Out {
        if v.is_finite() {
            Out::F64(v)
        } else {
            Out::Str(f64_to_string(v))
        }
    }

    /// The tree of a parsed JSON document (objects unordered, number text kept).
    pub fn from_node(node: &JsonNode) -> Out {
        match node {
            JsonNode::Null => Out::Null,
            JsonNode::Bool(b) => Out::Bool(*b),
            JsonNode::Int(v) => Out::Int(*v),
            JsonNode::BigInt(t) => Out::BigInt(t.clone()),
            JsonNode::Float(t) => Out::Num(t.clone()),
            JsonNode::String(s) => Out::Str(s.clone()),
            JsonNode::Array(items) => Out::Arr(items.iter().map(Out::from_node).collect()),
            JsonNode::Object(entries) => Out::Obj {
                entries: entries
                    .iter()
                    .map(|(k, v)| (k.clone(), Out::from_node(v)))
                    .collect(),
                ordered: false,
            },
        }
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Out> {
        match self {
            Out::Obj { entries, .. } => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Writes `s` as a JSON string literal (ASCII-safe: non-ASCII as `\uXXXX`).
pub fn write_json_string(out: &mut impl Write, s: &str) -> fmt::Result {
    out.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => out.write_str("\\\"")?,
            '\\' => out.write_str("\\\\")?,
            '\n' => out.write_str("\\n")?,
            '\r' => out.write_str("\\r")?,
            '\t' => out.write_str("\\t")?,
            c if (c as u32) < 0x20 || (c as u32) >= 0x7f => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    write!(out, "\\u{unit:04x}")?;
                }
            }
            c => out.write_char(c)?,
        }
    }
    out.write_char('"')
}

impl fmt::Display for Out {
    /// Compact JSON text, for reports.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Out::Null => f.write_str("null"),
            Out::Bool(b) => write!(f, "{b}"),
            Out::Int(v) => write!(f, "{v}"),
            Out::BigInt(t) | Out::Num(t) => f.write_str(t),
            Out::F32(v) => f.write_str(&f32_to_string(*v)),
            Out::F64(v) => f.write_str(&f64_to_string(*v)),
            Out::Str(s) => write_json_string(f, s),
            Out::Arr(items) => {
                f.write_char('[')?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_char(']')
            }
            Out::Obj { entries, .. } => {
                f.write_char('{')?;
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write_json_string(f, k)?;
                    write!(f, ":{v}")?;
                }
                f.write_char('}')
            }
            Out::Pairs(pairs) => {
                f.write_char('[')?;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write!(f, "[{k},{v}]")?;
                }
                f.write_char(']')
            }
        }
    }
}

/// `s` cut to at most `max` bytes (at a character boundary), with `…` when cut.
pub fn clip(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

/// A JSON node as compact, ASCII-safe text (for reports).
pub fn node_text(node: &JsonNode) -> String {
    Out::from_node(node).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_json() {
        let v = Out::obj([
            ("a", Out::Arr(vec![Out::F64(1.0e7), Out::f32(f32::NAN)])),
            ("é", Out::str("x\"😀")),
            ("m", Out::Pairs(vec![(Out::Int(1), Out::Null)])),
        ]);
        assert_eq!(
            v.to_string(),
            r#"{"a":[1.0E7,"NaN"],"\u00e9":"x\"\ud83d\ude00","m":[[1,null]]}"#
        );
        assert!(JsonNode::parse(v.to_string().as_bytes()).is_ok());
    }
}
