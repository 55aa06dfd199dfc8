//! `org.apache.kafka.connect.transforms.InsertHeader`: appends a header `header` whose schema
//! and value are `value.literal` read by `Values.parseString` (`42` is an INT8, `true` a
//! BOOLEAN, `[1,2]` an array, `12:34:56.789Z` a Time, anything else a STRING).

use std::collections::BTreeMap;

use connect_api::config::{ConfigKey, ConfigType, Importance, NonNullValidator};
use connect_api::data::values::parse_string;
use connect_api::{
    ConfigDef, ConnectError, Record, Result, SchemaAndValue, Transformation, Transformed,
};

/// Java's `InsertHeader.OVERVIEW_DOC`.
pub const OVERVIEW_DOC: &str = "Sets a fixed header on every record.";

/// Config key: the header name.
pub const HEADER: &str = "header";
/// Config key: the literal value of the header.
pub const VALUE_LITERAL: &str = "value.literal";

/// The InsertHeader transformation.
#[derive(Debug, Clone)]
pub struct InsertHeader {
    header: String,
    /// The parsed literal; `None` for the text `null` (Java's null `SchemaAndValue`).
    literal: Option<SchemaAndValue>,
}

impl InsertHeader {
    /// A configured InsertHeader. The literal is parsed once, here.
    pub fn new(config: &BTreeMap<String, String>) -> Result<Self> {
        let parsed = Self::config_def().parse(config)?;
        let header = parsed.get_string(HEADER)?.to_string();
        let text = parsed.get_string(VALUE_LITERAL)?;
        let literal = parse_string(text).map_err(|e| {
            ConnectError::config(
                VALUE_LITERAL,
                text,
                format!("Cannot parse the literal: {e}"),
            )
        })?;
        Ok(InsertHeader { header, literal })
    }

    /// Kafka's config definition.
    pub fn config_def() -> ConfigDef {
        ConfigDef::new()
            .define(
                ConfigKey::new(HEADER, ConfigType::String)
                    .validator(NonNullValidator)
                    .importance(Importance::High)
                    .documentation("Name of the header to add."),
            )
            .define(
                ConfigKey::new(VALUE_LITERAL, ConfigType::String)
                    .validator(NonNullValidator)
                    .importance(Importance::High)
                    .documentation("Fixed string used as the header's value on every record."),
            )
    }
}

impl<M: Send + Sync> Transformation<M> for InsertHeader {
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed> {
        match &self.literal {
            Some(sv) => {
                record
                    .headers
                    .add(self.header.clone(), sv.schema.clone(), sv.value.clone())
            }
            None => record
                .headers
                .add(self.header.clone(), None, connect_api::Value::Null),
        };
        Ok(Transformed::Keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routing::test_support::{config, record};
    use connect_api::data::logical::{schema_of, Logical};
    use connect_api::{Header, Schema, SchemaBuilder, Type, Value};

    fn inserted(literal: &str) -> Header {
        let t = InsertHeader::new(&config(&[(HEADER, "new"), (VALUE_LITERAL, literal)])).unwrap();
        let out = Transformation::apply_owned(&t, record("orders"))
            .unwrap()
            .unwrap();
        assert_eq!(out.headers.len(), 5);
        out.headers.iter().last().unwrap().clone()
    }

    fn check(literal: &str, schema: Option<Schema>, value: Value) {
        let h = inserted(literal);
        assert_eq!(h.key, "new", "{literal}");
        assert_eq!(h.schema, schema, "{literal}");
        assert_eq!(h.value, value, "{literal}");
    }

    #[test]
    fn literals_are_parsed_like_values_parse_string() {
        // smt_insert_header-821bae8d0b, -6e30443233, -f85550c2da, -2e2ebc6b04, -0547183b74,
        // -007aa0b3b2, -c959cc0f58, -d7b0115f6e, -f5b9269007, -0965bd46b5
        let string = || Some(Schema::required(Type::String));
        check("hello", string(), Value::from("hello"));
        check("42", Some(Schema::required(Type::Int8)), Value::Int8(42));
        check(
            "300",
            Some(Schema::required(Type::Int16)),
            Value::Int16(300),
        );
        check(
            "true",
            Some(Schema::required(Type::Boolean)),
            Value::Boolean(true),
        );
        check("", string(), Value::from(""));
        check(" ", string(), Value::from("")); // the config value is trimmed
        let array = SchemaBuilder::array(Schema::required(Type::Int8))
            .build()
            .unwrap();
        check(
            "[1,2]",
            Some(array),
            Value::Array(vec![Value::Int8(1), Value::Int8(2)]),
        );
        let map = SchemaBuilder::map(Schema::required(Type::String), Schema::required(Type::Int8))
            .build()
            .unwrap();
        check(
            "{\"a\":1}",
            Some(map),
            Value::Map(vec![(Value::from("a"), Value::Int8(1))]),
        );
        check(
            "12:34:56.789Z",
            Some(schema_of(Logical::Time, false, 0)),
            Value::Time(45_296_789),
        );
        check("{bad", string(), Value::from("{bad"));
        // Values.parseString("null") is a null SchemaAndValue: a null header without schema
        check("null", None, Value::Null);
    }

    #[test]
    fn appends_even_when_the_key_exists_and_allows_an_empty_name() {
        let t = InsertHeader::new(&config(&[(HEADER, "h1"), (VALUE_LITERAL, "x")])).unwrap();
        let out = Transformation::apply_owned(&t, record("orders"))
            .unwrap()
            .unwrap();
        let keys: Vec<_> = out.headers.iter().map(|h| h.key.as_str()).collect();
        assert_eq!(keys, ["h1", "h2", "h1", "bin", "h1"]);
        // smt_insert_header-d3562fcce5
        let t = InsertHeader::new(&config(&[(HEADER, ""), (VALUE_LITERAL, "v")])).unwrap();
        let out = Transformation::apply_owned(&t, record("orders"))
            .unwrap()
            .unwrap();
        assert_eq!(out.headers.iter().last().unwrap().key, "");
    }

    #[test]
    fn config_errors() {
        // smt_insert_header-7da26cfe3d, -ac1388c67c, -0e5eed24e2
        let e = InsertHeader::new(&config(&[(HEADER, "x")])).unwrap_err();
        assert!(e.is_config());
        assert_eq!(
            e.to_string(),
            "Missing required configuration \"value.literal\" which has no default value."
        );
        assert_eq!(
            InsertHeader::new(&config(&[(VALUE_LITERAL, "x")]))
                .unwrap_err()
                .to_string(),
            "Missing required configuration \"header\" which has no default value."
        );
        let e = InsertHeader::new(&config(&[])).unwrap_err();
        assert!(e
            .to_string()
            .starts_with("Missing required configuration \"header\" which has no default value."));
        assert!(InsertHeader::config_def().definition_errors().is_empty());
        assert!(!OVERVIEW_DOC.is_empty());
    }
}
