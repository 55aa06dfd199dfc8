//! Self-check of the runner's value-JSON mapping on the reference cases: every expected
//! `{"schema", "payload"}` and every expected output record is decoded into Ferry values (schema
//! through Ferry's `as_connect_schema`) and rendered back; the result must agree with the text
//! Kafka's side wrote. A failure here is a bug in the runner's mapping (or in the JSON
//! converter's schema functions), not a disagreement between Ferry and Kafka.

use connect_converters::json::JsonNode;
use testkit::case::load_dir;
use testkit::compare::compare;
use testkit::ops::schema_and_value_out;
use testkit::schema_json::Ctx;
use testkit::transform::{parse_record, render_record};
use testkit::value_json::decode;

/// Output schemas Kafka itself cannot parse back (an array or map with a null element, key or
/// value schema, as `Values.parseString` infers) cannot be checked this way.
fn unparseable(schema: &JsonNode) -> bool {
    match schema {
        JsonNode::Object(members) => members.iter().any(|(k, v)| {
            (matches!(k.as_str(), "items" | "keys" | "values") && *v == JsonNode::Null)
                || unparseable(v)
        }),
        JsonNode::Array(items) => items.iter().any(unparseable),
        _ => false,
    }
}

fn roundtrip_sav(ctx: &Ctx, expected: &JsonNode) -> Result<(), String> {
    let (Some(schema), Some(payload)) = (expected.get("schema"), expected.get("payload")) else {
        return Ok(());
    };
    if expected.get("isNullSchemaAndValue").is_some() || unparseable(schema) {
        return Ok(());
    }
    let schema = ctx.parse_schema(schema).map_err(|e| e.to_string())?;
    let value = decode(ctx, schema.as_ref(), payload).map_err(|e| e.to_string())?;
    let sav = connect_api::SchemaAndValue::new(schema, value);
    let out = schema_and_value_out(ctx, &sav).map_err(|e| e.to_string())?;
    compare(expected, &out).map_err(|d| format!("{d}; rendered {out}"))
}

fn roundtrip_record(ctx: &Ctx, expected: &JsonNode) -> Result<(), String> {
    if !matches!(expected, JsonNode::Object(_)) || expected.get("error").is_some() {
        return Ok(());
    }
    let record = parse_record(ctx, expected).map_err(|e| e.to_string())?;
    let out = render_record(ctx, &record).map_err(|e| e.to_string())?;
    compare(expected, &out).map_err(|d| format!("{d}; rendered {out}"))
}

#[test]
fn expected_outputs_survive_decode_and_render() {
    let dir = testkit::golden_dir();
    if !dir.is_dir() {
        assert!(
            !testkit::in_ci(),
            "reference cases not found at {}",
            dir.display()
        );
        eprintln!("skipped: no reference cases at {}", dir.display());
        return;
    }
    let ctx = Ctx::new();
    let cases = load_dir(&dir).expect("cases load");
    let mut checked = 0;
    let mut problems = Vec::new();
    for case in &cases {
        let Ok(body) = &case.body else { continue };
        let op = match body.input.get("op") {
            Some(JsonNode::String(op)) => op.as_str(),
            _ => continue,
        };
        let result = match op {
            "toConnect" | "toConnectHeader" | "values.parseString" => {
                roundtrip_sav(&ctx, &body.expected)
            }
            "transform" => roundtrip_record(&ctx, &body.expected),
            _ => continue,
        };
        checked += 1;
        if let Err(e) = result {
            problems.push(format!("{}: {e}", case.id));
        }
    }
    assert!(checked > 0, "no cases checked in {}", dir.display());
    assert!(
        problems.is_empty(),
        "{} of {checked} expected outputs do not survive decode + render:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
