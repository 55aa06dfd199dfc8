//! Reading `{"schema": …, "payload": …}` in one pass: the payload becomes a tree, the schema is
//! only syntax-checked and located, so that a schema seen before is looked up by its text
//! instead of being parsed again. The whole document is still checked first, as Jackson parses
//! it completely before Kafka looks at the envelope.

use connect_api::{Result, Schema, Value};

use super::config::JsonConverterConfig;
use super::decode;
use super::node::NodeBuilder;
use super::parser::{JsonParseError, Parser, Skip};
use super::typed;
use super::JsonNode;

/// What a document holds, as far as the envelope check is concerned.
pub(crate) enum Document<'a> {
    /// An object with exactly the members `schema` and `payload`.
    Envelope {
        /// The text of the schema value.
        schema: &'a [u8],
        /// The payload value.
        payload: JsonNode,
    },
    /// Anything else (including empty input).
    Other,
}

/// Parses `bytes` leniently (see `parser.rs`) and splits the envelope: the reference reading,
/// used when [`read_typed`] meets an unusual layout.
pub(crate) fn read(bytes: &[u8]) -> std::result::Result<Document<'_>, JsonParseError> {
    let mut p = Parser::new(bytes, true);
    if !p.start_document() {
        return Ok(Document::Other);
    }
    if p.input().get(p.pos()) != Some(&b'{') {
        p.document(&mut Skip)?;
        return Ok(Document::Other);
    }
    // The root object, member by member (depth 0; members are at depth 1).
    let mut schema: Option<(usize, usize)> = None;
    let mut payload: Option<JsonNode> = None;
    let mut other = false;
    if !p.begin_container(0, b'}')? {
        loop {
            let key = p.member_name()?;
            p.skip_ws();
            match key.as_ref() {
                "schema" => {
                    let start = p.pos();
                    p.value(&mut Skip, 1)?;
                    schema = Some((start, p.pos()));
                }
                "payload" => payload = Some(p.value(&mut NodeBuilder::new(), 1)?),
                _ => {
                    p.value(&mut Skip, 1)?;
                    other = true;
                }
            }
            if p.member_end(b'}')? {
                break;
            }
        }
    }
    p.finish_root(false)?;
    match (schema, payload, other) {
        (Some((start, end)), Some(payload), false) => Ok(Document::Envelope {
            schema: &bytes[start..end],
            payload,
        }),
        _ => Ok(Document::Other),
    }
}

/// What the one-pass reading gave.
// Returned once per record and matched at once; boxing `Done` would cost an allocation.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Typed {
    /// Not an object with exactly `schema` and `payload`.
    NotEnvelope,
    /// The schema, and the payload converted under it.
    Done {
        schema: Result<Option<Schema>>,
        value: Result<Value>,
    },
    /// An unusual layout (the payload before the schema, the schema twice): use [`read`].
    Generic,
}

/// The state of the `schema` member while reading.
enum SchemaState {
    Unseen,
    Seen(Result<Option<Schema>>),
}

/// Reads an envelope in one pass, converting the payload while parsing it (see `typed.rs`),
/// which needs the schema first, as Kafka writes it. `known` is the text and schema last
/// seen; `resolve` turns other schema text into a schema.
pub(crate) fn read_typed(
    bytes: &[u8],
    known: Option<(&[u8], &Schema)>,
    resolve: &dyn Fn(&[u8]) -> Result<Option<Schema>>,
    cfg: &JsonConverterConfig,
) -> std::result::Result<Typed, JsonParseError> {
    let known = known.filter(|(k, _)| k.first() == Some(&b'{'));
    let mut p = Parser::new(bytes, true);
    if !p.start_document() {
        return Ok(Typed::NotEnvelope);
    }
    if p.peek() != Some(b'{') {
        p.document(&mut Skip)?;
        return Ok(Typed::NotEnvelope);
    }
    let mut schema = SchemaState::Unseen;
    let mut payload: Option<Result<Value>> = None;
    let mut other = false;
    let mut generic = false;
    if !p.begin_container(0, b'}')? {
        loop {
            let key = p.member_name()?;
            p.skip_ws();
            match key.as_ref() {
                "schema" if !generic && payload.is_none() => {
                    let start = p.pos();
                    schema = SchemaState::Seen(match known {
                        Some((text, s)) if bytes[start..].starts_with(text) => {
                            p.advance(text.len());
                            Ok(Some(s.clone()))
                        }
                        _ => {
                            p.value(&mut Skip, 1)?;
                            resolve(&bytes[start..p.pos()])
                        }
                    });
                }
                "payload" if !generic => match &schema {
                    SchemaState::Seen(Ok(Some(s))) => {
                        payload = Some(typed::read(&mut p, s, cfg, 1)?)
                    }
                    SchemaState::Seen(Ok(None)) => {
                        let node = p.value(&mut NodeBuilder::new(), 1)?;
                        payload = Some(decode::convert_schemaless(node));
                    }
                    SchemaState::Seen(Err(_)) => {
                        p.value(&mut Skip, 1)?;
                        payload = Some(Ok(Value::Null));
                    }
                    SchemaState::Unseen => {
                        generic = true;
                        p.value(&mut Skip, 1)?;
                    }
                },
                "schema" | "payload" => {
                    generic = true;
                    p.value(&mut Skip, 1)?;
                }
                _ => {
                    other = true;
                    p.value(&mut Skip, 1)?;
                }
            }
            if p.member_end(b'}')? {
                break;
            }
        }
    }
    p.finish_root(false)?;
    if other {
        return Ok(Typed::NotEnvelope);
    }
    if generic {
        return Ok(Typed::Generic);
    }
    match (schema, payload) {
        (SchemaState::Seen(schema), Some(value)) => Ok(Typed::Done { schema, value }),
        _ => Ok(Typed::NotEnvelope),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Option<(String, JsonNode)> {
        match read(text.as_bytes()).unwrap() {
            Document::Envelope { schema, payload } => {
                Some((String::from_utf8(schema.to_vec()).unwrap(), payload))
            }
            Document::Other => None,
        }
    }

    #[test]
    fn envelopes() {
        let (s, p) = split(r#" {"schema" : {"type":"int32"} , "payload":5}x"#).unwrap();
        assert_eq!(s, r#"{"type":"int32"}"#);
        assert_eq!(p, JsonNode::Int(5));
        let (s, p) = split(r#"{"payload":1,"schema":null,"payload":2}"#).unwrap();
        assert_eq!((s.as_str(), p), ("null", JsonNode::Int(2)));
        assert!(split(r#"{"schema":null,"payload":1,"x":2}"#).is_none());
        assert!(split(r#"{"payload":1}"#).is_none());
        assert!(split("{}").is_none());
        assert!(split("").is_none());
        assert!(split("[1]").is_none());
        assert!(read(b"[1,2").is_err());
        assert!(read(br#"{"schema":null,"payload":1,"x":[}"#).is_err());
    }

    #[test]
    fn known_schema_text_is_skipped() {
        let cfg = JsonConverterConfig::default();
        let known_schema = connect_api::Schema::required(connect_api::Type::Int32);
        let known: &[u8] = br#"{"type":"int32"}"#;
        let unresolvable = |_: &[u8]| -> Result<Option<Schema>> {
            Err(connect_api::ConnectError::data("not known"))
        };
        let doc = br#"{"schema":{"type":"int32"},"payload":5}"#;
        match read_typed(doc, Some((known, &known_schema)), &unresolvable, &cfg).unwrap() {
            Typed::Done { schema, value } => {
                assert_eq!(schema.unwrap(), Some(known_schema.clone()));
                assert_eq!(value.unwrap(), Value::Int32(5));
            }
            _ => panic!(),
        }
        // a different schema is resolved normally
        let doc = br#"{"schema":{"type":"int64"},"payload":5}"#;
        match read_typed(doc, Some((known, &known_schema)), &unresolvable, &cfg).unwrap() {
            Typed::Done { schema, .. } => assert!(schema.is_err()),
            _ => panic!(),
        }
        // payload first: the reference reading decides
        let doc = br#"{"payload":5,"schema":{"type":"int32"}}"#;
        assert!(matches!(
            read_typed(doc, Some((known, &known_schema)), &unresolvable, &cfg).unwrap(),
            Typed::Generic
        ));
    }
}
