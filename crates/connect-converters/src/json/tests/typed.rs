//! The one-pass schema-guided reading gives exactly what the tree reading gives: same values,
//! same first error, for payloads with repeated keys, missing fields, wrong kinds, nesting.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use proptest::prelude::*;

const SCHEMAS: &[&str] = &[
    r#"{"type":"struct","fields":[{"type":"int32","field":"a"},{"type":"string","optional":true,"field":"b"},{"type":"array","items":{"type":"int8"},"optional":true,"field":"c"},{"type":"struct","fields":[{"type":"boolean","field":"x"},{"type":"double","default":1.5,"field":"y"}],"optional":true,"field":"d"},{"type":"map","keys":{"type":"string"},"values":{"type":"int64"},"optional":true,"field":"e"},{"type":"bytes","name":"org.apache.kafka.connect.data.Decimal","parameters":{"scale":"2"},"optional":true,"field":"f"},{"type":"int64","name":"org.apache.kafka.connect.data.Timestamp","optional":true,"field":"g"}]}"#,
    r#"{"type":"array","items":{"type":"map","keys":{"type":"string"},"values":{"type":"int32","optional":true}}}"#,
    r#"{"type":"map","keys":{"type":"int32"},"values":{"type":"string"}}"#,
    r#"{"type":"map","keys":{"type":"string"},"values":{"type":"struct","fields":[{"type":"int16","field":"a"}]}}"#,
    "null",
];

fn json_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("1".to_string()),
        Just("300".to_string()),
        Just("-1.5".to_string()),
        Just("12345678901234567890".to_string()),
        Just("\"x\"".to_string()),
        Just("\"AJY=\"".to_string()),
        Just("1e400".to_string()),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        let key = prop_oneof![
            Just("a"),
            Just("b"),
            Just("c"),
            Just("d"),
            Just("e"),
            Just("f"),
            Just("g"),
            Just("x"),
            Just("y"),
            Just("z")
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::vec((key, inner), 0..7).prop_map(|v| {
                let members: Vec<String> =
                    v.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

fn outcome(r: Result<connect_api::SchemaAndValue, ConnectError>) -> String {
    match r {
        Ok(sv) => format!("ok {:?} {:?}", sv.schema, sv.value),
        Err(e) => format!(
            "err {e} {:?}",
            std::error::Error::source(&e).map(|s| s.to_string())
        ),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]
    #[test]
    fn same_results(schema_index in 0..SCHEMAS.len(), payload in json_value(), payload_first in any::<bool>()) {
        let c = conv(&[]);
        let schema = SCHEMAS[schema_index];
        let doc = if payload_first {
            format!(r#"{{"payload":{payload},"schema":{schema}}}"#)
        } else {
            format!(r#"{{"schema":{schema},"payload":{payload}}}"#)
        };
        let typed = c.to_connect_data("t", &Headers::new(), Some(doc.as_bytes()));
        let generic = c.decode_generic(doc.as_bytes());
        prop_assert_eq!(outcome(typed), outcome(generic), "{}", doc);
    }
}

#[test]
fn repeated_members_and_error_order() {
    let c = conv(&[]);
    let s = SCHEMAS[0];
    for payload in [
        r#"{"a":"bad","a":1}"#,
        r#"{"a":1,"a":"bad"}"#,
        r#"{"c":[1,300],"a":"bad"}"#,
        r#"{"b":5,"a":"bad"}"#,
        r#"{"d":{"x":1},"a":1}"#,
        r#"{"e":{"k":"bad","k":2},"a":1}"#,
        r#"{"e":{"k":2,"k":"bad"},"a":1}"#,
        r#"{"a":1,"zz":{"deep":[1,2,{"q":null}]}}"#,
        r#"{}"#,
        r#"{"a":1,"f":1e400}"#,
    ] {
        let doc = format!(r#"{{"schema":{s},"payload":{payload}}}"#);
        let typed = c.to_connect_data("t", &Headers::new(), Some(doc.as_bytes()));
        let generic = c.decode_generic(doc.as_bytes());
        assert_eq!(outcome(typed), outcome(generic), "{doc}");
    }
    // repeated envelope members
    for doc in [
        r#"{"schema":{"type":"int8"},"payload":"x","payload":1}"#,
        r#"{"schema":{"type":"string"},"schema":{"type":"int8"},"payload":1}"#,
        r#"{"schema":{"type":"int8"},"payload":1,"schema":{"type":"string"}}"#,
        r#"{"schema":{"type":"bogus"},"payload":1}"#,
        r#"{"schema":{"type":"bogus"},"payload":1,"x":1}"#,
        r#"{"schema":{"type":"int8"},"payload":[1,}"#,
    ] {
        let typed = c.to_connect_data("t", &Headers::new(), Some(doc.as_bytes()));
        let generic = c.decode_generic(doc.as_bytes());
        assert_eq!(outcome(typed), outcome(generic), "{doc}");
    }
}
