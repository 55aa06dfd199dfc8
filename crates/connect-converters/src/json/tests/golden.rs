//! Runs the JSON reference cases of `shared/golden/connect` (format: its README) through the
//! converter and reports every disagreement. Case inputs are decoded and outputs rendered with
//! the README's "Value JSON" rules. Deliberate divergences (Ferry errors where Kafka silently
//! coerces data) are listed in [`DIVERGENCES`] and must still fail, with a data error.

use std::collections::BTreeMap;
use std::path::Path;

use base64::Engine as _;
use connect_api::data::logical::{self, Logical};
use connect_api::{
    ConnectError, Converter, Decimal, HeaderConverter, Headers, Schema, Struct, Type, Value,
};

use super::super::{write_json, JsonConverter, JsonNode};

const DIR: &str = "/work/shared/golden/connect";

/// Cases where Ferry deliberately raises a data error instead of Kafka's silent coercion.
pub(crate) const DIVERGENCES: &[(&str, &str)] = &[
    ("json_to_connect-3d14dce86e", "int8 300 wraps to 44"),
    ("json_to_connect-39af515469", "int8 -129 wraps to 127"),
    ("json_to_connect-ad031dcb6a", "int8 1.9 truncated to 1"),
    (
        "json_to_connect-a26020d5ac",
        "int8 \"5\" (string) read as 0",
    ),
    ("json_to_connect-09b3f7881e", "int16 70000 wraps to 4464"),
    ("json_to_connect-9dc1618e7d", "int32 1.9 truncated to 1"),
    ("json_to_connect-93ac2062c6", "int32 -1.9 truncated to -1"),
    ("json_to_connect-a47f68c2a8", "int32 \"abc\" read as 0"),
    ("json_to_connect-b294215bd3", "int32 {\"a\":1} read as 0"),
    (
        "json_to_connect-79ce0df1c1",
        "int64 12345678901234567890 wraps",
    ),
    (
        "json_to_connect-755e8a8d81",
        "int64 \"12\" (string) read as 0",
    ),
    ("json_to_connect-6c7ecced80", "int64 1.5 truncated to 1"),
    (
        "json_to_connect-c3d96a9fc8",
        "float \"1.5\" (string) read as 0.0",
    ),
    (
        "json_to_connect-1dd7f6e7c6",
        "double \"Infinity\" (string) read as 0.0",
    ),
    ("json_to_connect-dbbf0bf96c", "boolean 1 read as false"),
    (
        "json_to_connect-fc2d6c10c3",
        "boolean \"true\" read as false",
    ),
    (
        "json_to_connect-f66008d393",
        "boolean \"false\" (string) read as false whatever its text",
    ),
    (
        "json_to_connect-48efaed70a",
        "required string 5 read as null",
    ),
    (
        "json_to_connect-0cd4263e81",
        "required string true read as null",
    ),
    (
        "json_to_connect-dabbf37830",
        "required string {\"a\":1} read as null",
    ),
    ("json_to_connect-1b1f1ce5a1", "bytes 5 read as null"),
    (
        "json_to_connect-a18c097930",
        "array schema, object payload: keys dropped",
    ),
    (
        "json_to_connect-fae069a99c",
        "array schema, \"abc\" read as []",
    ),
    (
        "json_to_connect-071e22ede8",
        "array<int32> element \"x\" read as 0",
    ),
    (
        "json_to_connect-2592531331",
        "map<string,int32> value \"x\" read as 0",
    ),
    (
        "json_to_connect-bd32ea5870",
        "schemaless integer beyond int64 wraps",
    ),
    (
        "json_to_connect-22518e011d",
        "schemaless -9223372036854775809 wraps to Long.MAX",
    ),
    (
        "json_to_connect-71da25e3b2",
        "Timestamp 12345678901234567890 wraps",
    ),
    (
        "json_roundtrip-233db6fdd8",
        "schemaless 9223372036854775808 wraps to Long.MIN",
    ),
    ("json_roundtrip-c5203ef515", "schemaless 2^100 wraps to 0"),
    (
        "json_roundtrip-835734ccee",
        "float \"NaN\" (string) read as 0.0",
    ),
    (
        "json_roundtrip-f29200c645",
        "float \"-Infinity\" (string) read as 0.0",
    ),
    (
        "json_roundtrip-4c53d2ba4f",
        "double \"Infinity\" (string) read as 0.0",
    ),
    (
        "json_roundtrip-2380d3dc74",
        "double \"-Infinity\" (string) read as 0.0",
    ),
    (
        "json_roundtrip-9f486dbd63",
        "array<double> \"NaN\"/\"-Infinity\" read as 0.0",
    ),
    (
        "json_roundtrip-9f0bf04ab5",
        "map<double,string> key \"NaN\" read as 0.0",
    ),
    (
        "json_schema-8d410bcdc7",
        "boolean default \"true\" read as false",
    ),
    (
        "json_schema-40eb603627",
        "float default 1e+40 read as Infinity",
    ),
    (
        "json_to_connect-87dff78acc",
        "exact: schemaless -0.0 keeps its sign (Kafka: 0.0)",
    ),
    (
        "json_roundtrip-dc2c99eae7",
        "exact: float -0.0 keeps its sign (Kafka: 0.0)",
    ),
    (
        "json_roundtrip-602edb5fa3",
        "exact: schemaless double -0.0 keeps its sign (Kafka: 0.0)",
    ),
];

/// A listed divergence where Ferry raises a data error.
fn is_divergence(id: &str) -> bool {
    DIVERGENCES
        .iter()
        .any(|(d, why)| *d == id && !why.starts_with("exact:"))
}

/// A listed divergence where Ferry returns the exact value instead of Kafka's lossy one.
fn is_exact_divergence(id: &str) -> bool {
    DIVERGENCES
        .iter()
        .any(|(d, why)| *d == id && why.starts_with("exact:"))
}

// ---------- case inputs ----------

fn text(node: &JsonNode) -> String {
    node.to_string()
}

fn num_text(node: &JsonNode) -> String {
    match node {
        JsonNode::String(s) => s.clone(),
        other => text(other),
    }
}

fn f64_of(node: &JsonNode) -> f64 {
    match num_text(node).as_str() {
        "NaN" => f64::NAN,
        "Infinity" => f64::INFINITY,
        "-Infinity" => f64::NEG_INFINITY,
        t => t.parse().unwrap(),
    }
}

fn int_of(node: &JsonNode) -> i64 {
    match node {
        JsonNode::Int(v) => *v,
        other => panic!("not an int: {other:?}"),
    }
}

fn b64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

/// A case value with a schema ("the schema decides").
fn value_with(schema: &Schema, node: &JsonNode) -> Value {
    if matches!(node, JsonNode::Null) {
        return Value::Null;
    }
    if let Some(JsonNode::Int(ms)) = node.get("epochMillis") {
        return Value::Timestamp(*ms);
    }
    match schema.logical() {
        Some(Logical::Decimal) => return Value::Decimal(Decimal::parse(&num_text(node)).unwrap()),
        Some(Logical::Date) => return Value::Date(int_of(node) as i32),
        Some(Logical::Time) => return Value::Time(int_of(node) as i32),
        Some(Logical::Timestamp) => return Value::Timestamp(int_of(node)),
        None => {}
    }
    match schema.schema_type() {
        Type::Int8 => Value::Int8(int_of(node) as i8),
        Type::Int16 => Value::Int16(int_of(node) as i16),
        Type::Int32 => Value::Int32(int_of(node) as i32),
        Type::Int64 => Value::Int64(int_of(node)),
        Type::Float32 => Value::Float32(
            num_text(node)
                .parse::<f32>()
                .unwrap_or_else(|_| f64_of(node) as f32),
        ),
        Type::Float64 => Value::Float64(f64_of(node)),
        Type::Boolean => match node {
            JsonNode::Bool(b) => Value::Boolean(*b),
            other => panic!("{other:?}"),
        },
        Type::String => match node {
            JsonNode::String(s) => Value::String(s.clone()),
            other => panic!("{other:?}"),
        },
        Type::Bytes => match node {
            JsonNode::String(s) => Value::Bytes(b64(s)),
            other => panic!("{other:?}"),
        },
        Type::Array => match node {
            JsonNode::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|i| value_with(schema.value_schema().unwrap(), i))
                    .collect(),
            ),
            other => panic!("{other:?}"),
        },
        Type::Map => {
            let ks = schema.key_schema().unwrap();
            let vs = schema.value_schema().unwrap();
            match node {
                JsonNode::Object(entries) => Value::Map(
                    entries
                        .iter()
                        .map(|(k, v)| (Value::String(k.clone()), value_with(vs, v)))
                        .collect(),
                ),
                JsonNode::Array(pairs) => Value::Map(
                    pairs
                        .iter()
                        .map(|p| match p {
                            JsonNode::Array(kv) => (value_with(ks, &kv[0]), value_with(vs, &kv[1])),
                            other => panic!("{other:?}"),
                        })
                        .collect(),
                ),
                other => panic!("{other:?}"),
            }
        }
        Type::Struct => {
            let mut s = Struct::new(schema).unwrap();
            for f in schema.fields() {
                if let Some(v) = node.get(f.name()) {
                    let v = value_with(f.schema(), v);
                    if !v.is_null() {
                        s.put(f.name(), v).unwrap();
                    }
                }
            }
            Value::Struct(s)
        }
    }
}

/// A schemaless case value (Java type from the JSON or a `$tag`).
fn value_without(conv: &JsonConverter, node: &JsonNode) -> Value {
    match node {
        JsonNode::Null => Value::Null,
        JsonNode::Bool(b) => Value::Boolean(*b),
        JsonNode::Int(v) => Value::Int64(*v),
        JsonNode::Float(t) => Value::Float64(t.parse().unwrap()),
        JsonNode::BigInt(t) => panic!("big int {t}"),
        JsonNode::String(s) => Value::String(s.clone()),
        JsonNode::Array(items) => {
            Value::Array(items.iter().map(|i| value_without(conv, i)).collect())
        }
        JsonNode::Object(entries) => {
            if entries.len() == 1 && entries[0].0.starts_with('$') {
                let (tag, v) = &entries[0];
                return match tag.as_str() {
                    "$int8" => Value::Int8(int_of(v) as i8),
                    "$int16" => Value::Int16(int_of(v) as i16),
                    "$int32" => Value::Int32(int_of(v) as i32),
                    "$int64" => Value::Int64(int_of(v)),
                    "$float32" => Value::Float32(
                        num_text(v)
                            .parse::<f32>()
                            .unwrap_or_else(|_| f64_of(v) as f32),
                    ),
                    "$float64" => Value::Float64(f64_of(v)),
                    "$bytes" => Value::Bytes(b64(&num_text(v))),
                    "$decimal" => Value::Decimal(Decimal::parse(&num_text(v)).unwrap()),
                    "$date" => Value::Timestamp(int_of(v)),
                    "$string" => Value::String(num_text(v)),
                    "$map" => match v {
                        JsonNode::Array(pairs) => Value::Map(
                            pairs
                                .iter()
                                .map(|p| match p {
                                    JsonNode::Array(kv) => {
                                        (value_without(conv, &kv[0]), value_without(conv, &kv[1]))
                                    }
                                    other => panic!("{other:?}"),
                                })
                                .collect(),
                        ),
                        other => panic!("{other:?}"),
                    },
                    "$struct" => {
                        let schema = conv
                            .as_connect_schema(v.get("schema").unwrap())
                            .unwrap()
                            .unwrap();
                        value_with(&schema, v.get("value").unwrap())
                    }
                    other => panic!("unknown tag {other}"),
                };
            }
            Value::Map(
                entries
                    .iter()
                    .map(|(k, v)| (Value::String(k.clone()), value_without(conv, v)))
                    .collect(),
            )
        }
    }
}

// ---------- rendering outputs ----------

fn jstr(s: &str) -> JsonNode {
    JsonNode::String(s.to_string())
}

fn jf64(v: f64) -> JsonNode {
    if v.is_finite() {
        JsonNode::Float(format!("{v:e}"))
    } else {
        jstr(&connect_api::data::java_text::f64_to_string(v))
    }
}

fn jf32(v: f32) -> JsonNode {
    if v.is_finite() {
        JsonNode::Float(format!("{v:e}"))
    } else {
        jstr(&connect_api::data::java_text::f32_to_string(v))
    }
}

fn tag(t: &str, v: JsonNode) -> JsonNode {
    JsonNode::Object(vec![(t.to_string(), v)])
}

fn b64s(b: &[u8]) -> JsonNode {
    jstr(&base64::engine::general_purpose::STANDARD.encode(b))
}

fn render_with(schema: &Schema, v: &Value) -> JsonNode {
    if v.is_null() {
        return JsonNode::Null;
    }
    match (schema.logical(), v) {
        (Some(Logical::Decimal), Value::Decimal(d)) => return jstr(&d.to_string()),
        (Some(Logical::Date), _) if v.is_java_date() => {
            let ms = v.as_epoch_millis().unwrap();
            return if ms % 86_400_000 == 0 {
                JsonNode::Int(ms / 86_400_000)
            } else {
                tag("$date", JsonNode::Int(ms))
            };
        }
        (Some(Logical::Time), _) if v.is_java_date() => {
            let ms = v.as_epoch_millis().unwrap();
            return if (0..=86_400_000).contains(&ms) {
                JsonNode::Int(ms)
            } else {
                tag("$date", JsonNode::Int(ms))
            };
        }
        (Some(Logical::Timestamp), _) if v.is_java_date() => {
            return JsonNode::Int(v.as_epoch_millis().unwrap())
        }
        (Some(_), other) => return tag("$mismatch", render_without(other)),
        (None, _) => {}
    }
    match (schema.schema_type(), v) {
        (Type::Int8, Value::Int8(x)) => JsonNode::Int(i64::from(*x)),
        (Type::Int16, Value::Int16(x)) => JsonNode::Int(i64::from(*x)),
        (Type::Int32, Value::Int32(x)) => JsonNode::Int(i64::from(*x)),
        (Type::Int64, Value::Int64(x)) => JsonNode::Int(*x),
        (Type::Float32, Value::Float32(x)) => jf32(*x),
        (Type::Float64, Value::Float64(x)) => jf64(*x),
        (Type::Boolean, Value::Boolean(b)) => JsonNode::Bool(*b),
        (Type::String, Value::String(s)) => jstr(s),
        (Type::Bytes, Value::Bytes(b)) => b64s(b),
        (Type::Array, Value::Array(items)) => JsonNode::Array(
            items
                .iter()
                .map(|i| render_with(schema.value_schema().unwrap(), i))
                .collect(),
        ),
        (Type::Map, Value::Map(entries)) => {
            let ks = schema.key_schema().unwrap();
            let vs = schema.value_schema().unwrap();
            if ks.schema_type() == Type::String {
                JsonNode::Object(
                    entries
                        .iter()
                        .map(|(k, v)| match k {
                            Value::String(k) => (k.clone(), render_with(vs, v)),
                            other => panic!("{other:?}"),
                        })
                        .collect(),
                )
            } else {
                JsonNode::Array(
                    entries
                        .iter()
                        .map(|(k, v)| JsonNode::Array(vec![render_with(ks, k), render_with(vs, v)]))
                        .collect(),
                )
            }
        }
        (Type::Struct, Value::Struct(s)) => JsonNode::Object(
            schema
                .fields()
                .iter()
                .zip(s.values())
                .map(|(f, v)| (f.name().to_string(), render_with(f.schema(), v)))
                .collect(),
        ),
        (_, other) => tag("$mismatch", render_without(other)),
    }
}

fn render_without(v: &Value) -> JsonNode {
    match v {
        Value::Null => JsonNode::Null,
        Value::Boolean(b) => JsonNode::Bool(*b),
        Value::Int8(x) => tag("$int8", JsonNode::Int(i64::from(*x))),
        Value::Int16(x) => tag("$int16", JsonNode::Int(i64::from(*x))),
        Value::Int32(x) => tag("$int32", JsonNode::Int(i64::from(*x))),
        Value::Int64(x) => JsonNode::Int(*x),
        Value::Float32(x) => tag("$float32", jf32(*x)),
        Value::Float64(x) if x.is_finite() => jf64(*x),
        Value::Float64(x) => tag("$float64", jf64(*x)),
        Value::String(s) => jstr(s),
        Value::Bytes(b) => tag("$bytes", b64s(b)),
        Value::Array(items) => JsonNode::Array(items.iter().map(render_without).collect()),
        Value::Map(entries) => {
            let all_strings = entries.iter().all(|(k, _)| matches!(k, Value::String(_)));
            let dollar = entries.len() == 1
                && matches!(&entries[0].0, Value::String(k) if k.starts_with('$'));
            if all_strings && !dollar {
                JsonNode::Object(
                    entries
                        .iter()
                        .map(|(k, v)| match k {
                            Value::String(k) => (k.clone(), render_without(v)),
                            _ => unreachable!(),
                        })
                        .collect(),
                )
            } else {
                tag(
                    "$map",
                    JsonNode::Array(
                        entries
                            .iter()
                            .map(|(k, v)| {
                                JsonNode::Array(vec![render_without(k), render_without(v)])
                            })
                            .collect(),
                    ),
                )
            }
        }
        Value::Struct(s) => tag(
            "$struct",
            JsonNode::Object(vec![
                ("schema".into(), JsonNode::Null),
                ("value".into(), render_with(s.schema(), v)),
            ]),
        ),
        Value::Decimal(d) => tag("$decimal", jstr(&d.to_string())),
        Value::Date(_) | Value::Time(_) | Value::Timestamp(_) => {
            tag("$date", JsonNode::Int(v.as_epoch_millis().unwrap()))
        }
    }
}

// ---------- comparison ----------

fn as_f64(n: &JsonNode) -> Option<f64> {
    match n {
        JsonNode::Int(v) => Some(*v as f64),
        JsonNode::BigInt(t) | JsonNode::Float(t) => t.parse().ok(),
        _ => None,
    }
}

/// JSON equality with maps and `$map` pair lists compared regardless of order, and numbers
/// compared numerically.
fn same(a: &JsonNode, b: &JsonNode) -> bool {
    match (a, b) {
        (JsonNode::Int(x), JsonNode::Int(y)) => x == y,
        (x, y) if x.is_number() && y.is_number() => {
            // Java Double.equals: the sign of zero matters
            let (x, y) = (as_f64(x).unwrap(), as_f64(y).unwrap());
            x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
        }
        (JsonNode::Object(x), JsonNode::Object(y)) => {
            if x.len() == 1 && y.len() == 1 && x[0].0 == "$map" && y[0].0 == "$map" {
                return same_unordered(&x[0].1, &y[0].1);
            }
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.iter().any(|(k2, v2)| k == k2 && same(v, v2)))
        }
        (JsonNode::Array(x), JsonNode::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        _ => a == b,
    }
}

fn same_unordered(a: &JsonNode, b: &JsonNode) -> bool {
    match (a, b) {
        (JsonNode::Array(x), JsonNode::Array(y)) => {
            x.len() == y.len() && x.iter().all(|i| y.iter().any(|j| same(i, j)))
        }
        _ => same(a, b),
    }
}

fn error_text(e: &ConnectError) -> String {
    let class = match e {
        ConnectError::Data { kind, .. } => kind.java_class(),
        ConnectError::Config(_) => "org.apache.kafka.common.config.ConfigException",
        _ => "other",
    };
    format!("{class}: {e}")
}

// ---------- running ----------

enum Outcome {
    Agree,
    /// A listed divergence that behaved as intended (a data error).
    Diverged,
    Disagree(String),
}

fn config_of(case: &JsonNode, header: bool) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    if let Some(JsonNode::Object(entries)) = case.get("config") {
        for (k, v) in entries {
            map.insert(k.clone(), num_text(v));
        }
    }
    if header {
        map.insert("converter.type".into(), "header".into());
    }
    map
}

fn run_case(line: &JsonNode) -> Outcome {
    let id = num_text(line.get("id").unwrap());
    let case = line.get("case").unwrap();
    let expected = line.get("expected").unwrap();
    let op = num_text(case.get("op").unwrap());
    let header = op.ends_with("Header");
    let is_key = matches!(case.get("isKey"), Some(JsonNode::Bool(true)));
    let config = config_of(case, header);
    let expected_error = expected.get("error").map(num_text);

    let conv = match JsonConverter::new(&config, is_key) {
        Ok(c) => c,
        Err(e) => return compare_error(&id, expected_error, &e),
    };
    let default_conv = JsonConverter::new(&BTreeMap::new(), false).unwrap();

    match op.as_str() {
        "fromConnect" | "fromConnectHeader" => {
            let schema = match conv.as_connect_schema(case.get("schema").unwrap()) {
                Ok(s) => s,
                Err(e) => return Outcome::Disagree(format!("input schema: {e}")),
            };
            let value = match &schema {
                Some(s) => value_with(s, case.get("value").unwrap()),
                None => value_without(&conv, case.get("value").unwrap()),
            };
            let result = if header {
                conv.from_connect_header("t", "h", schema.as_ref(), &value)
            } else {
                conv.from_connect_data("t", &mut Headers::new(), schema.as_ref(), &value)
            };
            match result {
                Err(e) => compare_error(&id, expected_error, &e),
                Ok(bytes) => {
                    if let Some(err) = expected_error {
                        return Outcome::Disagree(format!("expected error {err}, got bytes"));
                    }
                    let want = match expected.get("bytes_b64") {
                        Some(JsonNode::String(s)) => Some(b64(s)),
                        _ => None,
                    };
                    if bytes == want {
                        Outcome::Agree
                    } else {
                        Outcome::Disagree(format!(
                            "bytes: want {:?} got {:?}",
                            want.map(|b| String::from_utf8_lossy(&b).into_owned()),
                            bytes.map(|b| String::from_utf8_lossy(&b).into_owned())
                        ))
                    }
                }
            }
        }
        "toConnect" | "toConnectHeader" => {
            let bytes: Option<Vec<u8>> = match (case.get("bytes_utf8"), case.get("bytes_b64")) {
                (Some(JsonNode::String(s)), _) => Some(s.as_bytes().to_vec()),
                (_, Some(JsonNode::String(s))) => Some(b64(s)),
                _ => None,
            };
            let result = if header {
                conv.to_connect_header("t", "h", bytes.as_deref())
            } else {
                conv.to_connect_data("t", &Headers::new(), bytes.as_deref())
            };
            match result {
                Err(e) => compare_error(&id, expected_error, &e),
                Ok(sv) => {
                    if is_divergence(&id) {
                        return Outcome::Disagree("listed divergence did not fail".into());
                    }
                    if let Some(err) = expected_error {
                        return Outcome::Disagree(format!("expected error {err}, got a value"));
                    }
                    let schema_json = default_conv.as_json_schema(sv.schema.as_ref()).unwrap();
                    let payload = match &sv.schema {
                        Some(s) => render_with(s, &sv.value),
                        None => render_without(&sv.value),
                    };
                    let got = JsonNode::Object(vec![
                        ("schema".into(), schema_json),
                        ("payload".into(), payload),
                    ]);
                    let want = JsonNode::Object(vec![
                        (
                            "schema".into(),
                            expected.get("schema").cloned().unwrap_or(JsonNode::Null),
                        ),
                        (
                            "payload".into(),
                            expected.get("payload").cloned().unwrap_or(JsonNode::Null),
                        ),
                    ]);
                    if same(&got, &want) {
                        Outcome::Agree
                    } else if is_exact_divergence(&id) {
                        Outcome::Diverged
                    } else {
                        Outcome::Disagree(format!("want {want} got {got}"))
                    }
                }
            }
        }
        "schema.roundtrip" => {
            let parsed = conv.as_connect_schema(case.get("schema").unwrap());
            let parsed = match parsed {
                Err(e) => return compare_error(&id, expected_error, &e),
                Ok(s) => s,
            };
            if is_divergence(&id) {
                return Outcome::Disagree("listed divergence did not fail".into());
            }
            let rendered = match conv.as_json_schema(parsed.as_ref()) {
                Err(e) => return compare_error(&id, expected_error, &e),
                Ok(r) => r,
            };
            if let Some(err) = expected_error {
                return Outcome::Disagree(format!("expected error {err}, got a schema"));
            }
            let to_string = parsed.map_or("null".to_string(), |s| s.to_string());
            let want_schema = expected.get("schema").unwrap();
            // schema key order matters: compare the exact text, maps in defaults aside
            let mut a = Vec::new();
            write_json(&rendered, &mut a);
            let mut b = Vec::new();
            write_json(want_schema, &mut b);
            let text_ok = a == b || same(&rendered, want_schema);
            let want_string = num_text(expected.get("toString").unwrap());
            if text_ok && to_string == want_string {
                Outcome::Agree
            } else {
                Outcome::Disagree(format!(
                    "want {} / {want_string}, got {} / {to_string}",
                    String::from_utf8_lossy(&b),
                    String::from_utf8_lossy(&a)
                ))
            }
        }
        other => Outcome::Disagree(format!("unknown op {other}")),
    }
}

fn compare_error(id: &str, expected: Option<String>, got: &ConnectError) -> Outcome {
    if is_divergence(id) {
        return if got.is_data() {
            Outcome::Diverged
        } else {
            Outcome::Disagree(format!("divergence with a non-data error: {got}"))
        };
    }
    let Some(want) = expected else {
        return Outcome::Disagree(format!("unexpected error {}", error_text(got)));
    };
    let got_text = error_text(got);
    if got_text == want {
        return Outcome::Agree;
    }
    // Kafka raises a raw NumberFormatException in one place; Ferry's is a data error with the
    // same message.
    let want_msg = want.split_once(": ").map_or(want.as_str(), |(_, m)| m);
    if want.starts_with("java.lang.NumberFormatException")
        && got.is_data()
        && got.to_string() == want_msg
    {
        return Outcome::Agree;
    }
    Outcome::Disagree(format!("error: want {want:?} got {got_text:?}"))
}

#[test]
fn golden_json_cases() {
    if !Path::new(DIR).exists() {
        return;
    }
    let mut report = String::new();
    let mut total = 0;
    let mut agree = 0;
    let mut diverged = 0;
    for file in [
        "json_from_connect.jsonl",
        "json_to_connect.jsonl",
        "json_roundtrip.jsonl",
        "json_schema.jsonl",
        "header_converters.jsonl",
    ] {
        let content = std::fs::read_to_string(Path::new(DIR).join(file)).unwrap();
        for line in content.lines().filter(|l| !l.trim().is_empty()) {
            let node = JsonNode::parse(line.as_bytes()).unwrap();
            let case = node.get("case").unwrap();
            if num_text(case.get("converter").unwrap_or(&JsonNode::Null)) != "json"
                && case.get("op").map(num_text).as_deref() != Some("schema.roundtrip")
            {
                continue;
            }
            total += 1;
            let id = num_text(node.get("id").unwrap());
            let outcome = std::panic::catch_unwind(|| run_case(&node))
                .unwrap_or_else(|_| Outcome::Disagree("panic".into()));
            match outcome {
                Outcome::Agree => agree += 1,
                Outcome::Diverged => diverged += 1,
                Outcome::Disagree(why) => report.push_str(&format!("{id}: {why}\n")),
            }
        }
    }
    println!("golden json: {total} cases, {agree} agree, {diverged} listed divergences");
    assert!(
        report.is_empty(),
        "{} disagreements:\n{report}",
        total - agree - diverged
    );
    let _ = logical::DECIMAL_NAME;
}
