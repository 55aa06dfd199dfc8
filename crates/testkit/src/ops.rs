//! Running one case through Ferry: the converter ops, the `Values` ops and the schema
//! round trip. Transform cases are in [`crate::transform`].

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use connect_api::data::logical::{self, Logical};
use connect_api::data::values;
use connect_api::SchemaAndValue;
use connect_api::{Converter, HeaderConverter, Headers, Result as ConnectResult, Schema, Type};
use connect_converters::json::JsonNode;
use connect_converters::{
    BooleanConverter, ByteArrayConverter, DoubleConverter, FloatConverter, IntegerConverter,
    JsonConverter, LongConverter, ShortConverter, SimpleHeaderConverter, StringConverter,
};

use crate::case::{bool_or, config_of, field, str_field, str_or};
use crate::out::Out;
use crate::outcome::{Failure, Outcome, Produced, Stage};
use crate::render::render;
use crate::schema_json::{parse_schema_with, schema_out_with, Ctx};
use crate::value_json::decode;

/// Runs one case input (an object with `op`) through Ferry.
pub fn run_op(ctx: &Ctx, input: &JsonNode) -> Outcome {
    let op = str_field(input, "op")?;
    match op {
        "fromConnect" => from_connect(ctx, input, false),
        "fromConnectHeader" => from_connect(ctx, input, true),
        "toConnect" => to_connect(ctx, input, false),
        "toConnectHeader" => to_connect(ctx, input, true),
        "values.parseString" => parse_string(ctx, input),
        "values.convert" => convert(ctx, input),
        "values.inferSchema" => infer_schema(ctx, input),
        "schema.roundtrip" => schema_roundtrip(input),
        "transform" => crate::transform::run(ctx, input),
        other => Err(Failure::invalid(format!("unknown op \"{other}\""))),
    }
}

/// A converter that is also a header converter (all of Ferry's are).
trait AnyConverter: Converter + HeaderConverter {}
impl<T: Converter + HeaderConverter> AnyConverter for T {}

fn boxed<T: AnyConverter + 'static>(c: ConnectResult<T>) -> ConnectResult<Box<dyn AnyConverter>> {
    c.map(|c| Box::new(c) as Box<dyn AnyConverter>)
}

/// Builds a converter by the cases' short name; a construction error is stage `configure`.
fn build_converter(input: &JsonNode, header: bool) -> Result<Box<dyn AnyConverter>, Failure> {
    let name = str_field(input, "converter")?;
    let mut config = config_of(input.get("config"))?;
    let is_key = if header {
        config.insert("converter.type".to_string(), "header".to_string());
        false
    } else {
        bool_or(input, "isKey", false)?
    };
    let c = &config;
    let built = match name {
        "json" => boxed(JsonConverter::new(c, is_key)),
        "string" => boxed(StringConverter::new(c, is_key)),
        "simple" => boxed(SimpleHeaderConverter::new(c, is_key)),
        "bytearray" => boxed(ByteArrayConverter::new(c, is_key)),
        "int" => boxed(IntegerConverter::new(c, is_key)),
        "long" => boxed(LongConverter::new(c, is_key)),
        "short" => boxed(ShortConverter::new(c, is_key)),
        "float" => boxed(FloatConverter::new(c, is_key)),
        "double" => boxed(DoubleConverter::new(c, is_key)),
        "boolean" => boxed(BooleanConverter::new(c, is_key)),
        other => return Err(Failure::invalid(format!("unknown converter \"{other}\""))),
    };
    built.map_err(|e| Failure::ferry(Stage::Configure, &e))
}

fn from_connect(ctx: &Ctx, input: &JsonNode, header: bool) -> Outcome {
    let converter = build_converter(input, header)?;
    let topic = str_or(input, "topic", "t")?;
    let schema = ctx.parse_schema(field(input, "schema")?)?;
    let value = decode(ctx, schema.as_ref(), field(input, "value")?)?;
    let result = if header {
        let key = str_field(input, "headerKey")?;
        converter.from_connect_header(topic, key, schema.as_ref(), &value)
    } else {
        converter.from_connect_data(topic, &mut Headers::new(), schema.as_ref(), &value)
    };
    let bytes = result.map_err(|e| Failure::ferry(Stage::Convert, &e))?;
    Ok(Produced::new(bytes_out(bytes.as_deref())))
}

/// `{"bytes_utf8", "bytes_b64"}` of converter output.
pub fn bytes_out(bytes: Option<&[u8]>) -> Out {
    let (utf8, b64) = match bytes {
        None => (Out::Null, Out::Null),
        Some(b) => (
            std::str::from_utf8(b).map_or(Out::Null, Out::str),
            Out::Str(STANDARD.encode(b)),
        ),
    };
    Out::obj([("bytes_utf8", utf8), ("bytes_b64", b64)])
}

fn input_bytes(input: &JsonNode) -> Result<Option<Vec<u8>>, Failure> {
    match (input.get("bytes_b64"), input.get("bytes_utf8")) {
        (Some(JsonNode::String(b64)), None) => STANDARD
            .decode(b64)
            .map(Some)
            .map_err(|e| Failure::invalid(format!("bytes_b64 is not standard base64: {e}"))),
        (None, Some(JsonNode::String(text))) => Ok(Some(text.as_bytes().to_vec())),
        (Some(JsonNode::Null), None) | (None, Some(JsonNode::Null)) => Ok(None),
        (None, None) => Err(Failure::invalid(
            "the case has neither bytes_b64 nor bytes_utf8",
        )),
        (Some(_), Some(_)) => Err(Failure::invalid(
            "the case has both bytes_b64 and bytes_utf8",
        )),
        _ => Err(Failure::invalid(
            "bytes_b64 / bytes_utf8 must be a string or null",
        )),
    }
}

fn to_connect(ctx: &Ctx, input: &JsonNode, header: bool) -> Outcome {
    let converter = build_converter(input, header)?;
    let topic = str_or(input, "topic", "t")?;
    let bytes = input_bytes(input)?;
    let result = if header {
        let key = str_field(input, "headerKey")?;
        converter.to_connect_header(topic, key, bytes.as_deref())
    } else {
        converter.to_connect_data(topic, &Headers::new(), bytes.as_deref())
    };
    let sav = result.map_err(|e| Failure::ferry(Stage::Convert, &e))?;
    let null_sav_ok = header && sav.schema.is_none() && sav.value.is_null();
    Ok(Produced {
        out: schema_and_value_out(ctx, &sav)?,
        null_sav_ok,
    })
}

/// `{"schema", "payload"}` of a `SchemaAndValue`.
pub fn schema_and_value_out(ctx: &Ctx, sav: &SchemaAndValue) -> Result<Out, Failure> {
    Ok(Out::obj([
        ("schema", ctx.schema_out(sav.schema.as_ref())?),
        ("payload", render(ctx, sav.schema.as_ref(), &sav.value)?),
    ]))
}

fn parse_string(ctx: &Ctx, input: &JsonNode) -> Outcome {
    let text = match field(input, "input")? {
        JsonNode::String(s) => s,
        // Java's parseString(null) returns a SchemaAndValue of nulls; Ferry's takes a &str,
        // the caller holds the null.
        JsonNode::Null => {
            return Ok(Produced::new(schema_and_value_out(
                ctx,
                &SchemaAndValue::null(),
            )?))
        }
        other => {
            return Err(Failure::invalid(format!(
                "input must be a string, got {other}"
            )))
        }
    };
    let parsed = values::parse_string(text).map_err(|e| Failure::ferry(Stage::Convert, &e))?;
    let out = match parsed {
        Some(sav) => schema_and_value_out(ctx, &sav)?,
        None => Out::obj([
            ("isNullSchemaAndValue", Out::Bool(true)),
            ("schema", Out::Null),
            ("payload", Out::Null),
        ]),
    };
    Ok(Produced::new(out))
}

fn convert(ctx: &Ctx, input: &JsonNode) -> Outcome {
    let to = str_field(input, "to")?;
    let schema = ctx.parse_schema(field(input, "schema")?)?;
    let value = decode(ctx, schema.as_ref(), field(input, "value")?)?;
    let s = schema.as_ref();
    let v = &value;
    let opt = |ty: Type| Some(Schema::optional(ty));
    let (result, target) = match to {
        "boolean" => (values::convert_to_boolean(s, v), opt(Type::Boolean)),
        "int8" => (values::convert_to_byte(s, v), opt(Type::Int8)),
        "int16" => (values::convert_to_short(s, v), opt(Type::Int16)),
        "int32" => (values::convert_to_integer(s, v), opt(Type::Int32)),
        "int64" => (values::convert_to_long(s, v), opt(Type::Int64)),
        "float32" => (values::convert_to_float(s, v), opt(Type::Float32)),
        "float64" => (values::convert_to_double(s, v), opt(Type::Float64)),
        "string" => (values::convert_to_string(s, v), opt(Type::String)),
        "list" => (values::convert_to_list(s, v), None),
        "map" => (values::convert_to_map(s, v), None),
        "struct" => (values::convert_to_struct(s, v), None),
        "date" => (
            values::convert_to_date(s, v),
            logical_schema(Logical::Date, 0),
        ),
        "time" => (
            values::convert_to_time(s, v),
            logical_schema(Logical::Time, 0),
        ),
        "timestamp" => (
            values::convert_to_timestamp(s, v),
            logical_schema(Logical::Timestamp, 0),
        ),
        "decimal" => {
            let scale = match field(input, "scale")? {
                JsonNode::Int(n) => i32::try_from(*n)
                    .map_err(|_| Failure::invalid(format!("scale {n} is out of range")))?,
                other => {
                    return Err(Failure::invalid(format!(
                        "scale must be an integer, got {other}"
                    )))
                }
            };
            (
                values::convert_to_decimal(s, v, scale),
                logical_schema(Logical::Decimal, scale),
            )
        }
        other => {
            return Err(Failure::invalid(format!(
                "unknown conversion target \"{other}\""
            )))
        }
    };
    let converted = result.map_err(|e| Failure::ferry(Stage::Convert, &e))?;
    let out = render(ctx, target.as_ref(), &converted)?;
    Ok(Produced::new(Out::obj([("value", out)])))
}

fn logical_schema(logical: Logical, scale: i32) -> Option<Schema> {
    Some(logical::schema_of(logical, true, scale))
}

fn infer_schema(ctx: &Ctx, input: &JsonNode) -> Outcome {
    let schema = ctx.parse_schema(field(input, "schema")?)?;
    let value = decode(ctx, schema.as_ref(), field(input, "value")?)?;
    let inferred = values::infer_schema(&value).map_err(|e| Failure::ferry(Stage::Convert, &e))?;
    Ok(Produced::new(Out::obj([(
        "schema",
        ctx.schema_out(inferred.as_ref())?,
    )])))
}

/// `asConnectSchema` then `asJsonSchema` with a JsonConverter of the case's config.
fn schema_roundtrip(input: &JsonNode) -> Outcome {
    let config: BTreeMap<String, String> = config_of(input.get("config"))?;
    let conv =
        JsonConverter::new(&config, false).map_err(|e| Failure::ferry(Stage::Configure, &e))?;
    let schema = parse_schema_with(&conv, field(input, "schema")?)?;
    let json = schema_out_with(&conv, schema.as_ref())?;
    // Java `String.valueOf(schema)`: "null" for no schema.
    let text = Out::Str(
        schema
            .as_ref()
            .map_or("null".to_string(), |s| s.to_string()),
    );
    Ok(Produced::new(Out::obj([
        ("schema", json),
        ("toString", text),
    ])))
}
