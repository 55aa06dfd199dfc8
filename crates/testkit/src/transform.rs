//! `transform` cases (the `smt_*` areas): the input record and the transform chain are parsed,
//! the chain is built through `connect_transforms::registry` and applied with the worker's
//! stage semantics, and the output record is rendered.

use std::collections::BTreeMap;

use connect_api::{
    ConnectError, Headers, Predicate, Record, SchemaAndValue, SinkMeta, SourceMeta, TimestampType,
    Transformation,
};
use connect_converters::json::JsonNode;
use connect_transforms::registry;

use crate::case::{config_of, field, str_field};
use crate::out::Out;
use crate::outcome::{Failure, Outcome, Produced, Stage as OutcomeStage};
use crate::render::render;
use crate::schema_json::Ctx;
use crate::value_json::decode;

/// The input record of a case: a sink record when it has a `kafkaOffset`, else a source
/// record with null source partition and offset.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseRecord {
    /// A `SourceRecord`.
    Source(Record<SourceMeta>),
    /// A `SinkRecord`.
    Sink(Record<SinkMeta>),
}

/// A predicate of a transform stage.
#[derive(Debug, Clone, PartialEq)]
pub struct PredicateSpec {
    /// Java class name.
    pub class: String,
    /// Its config.
    pub config: BTreeMap<String, String>,
    /// Whether the stage runs when the predicate does *not* match.
    pub negate: bool,
}

/// One stage of the chain.
#[derive(Debug, Clone, PartialEq)]
pub struct TransformSpec {
    /// Java class name (`org.apache.kafka.connect.transforms.ReplaceField$Value`).
    pub class: String,
    /// Its config.
    pub config: BTreeMap<String, String>,
    /// The stage's predicate, if any.
    pub predicate: Option<PredicateSpec>,
}

/// A parsed transform case.
#[derive(Debug, Clone, PartialEq)]
pub struct TransformCase {
    /// The input record.
    pub record: CaseRecord,
    /// The chain, in order.
    pub transforms: Vec<TransformSpec>,
}

/// Runs a `transform` case.
pub fn run(ctx: &Ctx, input: &JsonNode) -> Outcome {
    let case = parse_case(ctx, input)?;
    let output = apply_chain(&case)?;
    let out = match output {
        None => Out::Null,
        Some(record) => render_record(ctx, &record)?,
    };
    Ok(Produced::new(out))
}

/// Instantiates and configures every transform and predicate (errors: stage `configure` /
/// `configurePredicate` with the transform index), then applies them in order with the
/// worker's semantics (a stage runs if it has no predicate or `negate ^ predicate.test`; the
/// chain stops at a null record; errors: stage `apply`). `Ok(None)`: the record was dropped.
pub fn apply_chain(case: &TransformCase) -> Result<Option<CaseRecord>, Failure> {
    Ok(match &case.record {
        CaseRecord::Source(r) => apply_typed(&case.transforms, r.clone())?.map(CaseRecord::Source),
        CaseRecord::Sink(r) => apply_typed(&case.transforms, r.clone())?.map(CaseRecord::Sink),
    })
}

type Stage<M> = (
    Box<dyn Transformation<M>>,
    Option<(Box<dyn Predicate<M>>, bool)>,
);

fn at(stage: OutcomeStage, index: usize, error: &ConnectError) -> Failure {
    Failure::Ferry {
        stage,
        transform_index: Some(index),
        error: error.into(),
    }
}

fn apply_typed<M: Send + Sync + 'static>(
    specs: &[TransformSpec],
    record: Record<M>,
) -> Result<Option<Record<M>>, Failure> {
    // Kafka instantiates and configures every stage before applying any.
    let mut stages: Vec<Stage<M>> = Vec::with_capacity(specs.len());
    for (i, spec) in specs.iter().enumerate() {
        let transform = registry::transformation::<M>(&spec.class, &spec.config)
            .map_err(|e| at(OutcomeStage::Configure, i, &e))?;
        let predicate = match &spec.predicate {
            None => None,
            Some(p) => Some((
                registry::predicate::<M>(&p.class, &p.config)
                    .map_err(|e| at(OutcomeStage::ConfigurePredicate, i, &e))?,
                p.negate,
            )),
        };
        stages.push((transform, predicate));
    }
    let mut record = record;
    for (i, (transform, predicate)) in stages.iter().enumerate() {
        if let Some((predicate, negate)) = predicate {
            let matched = predicate
                .test(&record)
                .map_err(|e| at(OutcomeStage::Apply, i, &e))?;
            if !(negate ^ matched) {
                continue;
            }
        }
        match transform
            .apply_owned(record)
            .map_err(|e| at(OutcomeStage::Apply, i, &e))?
        {
            Some(next) => record = next,
            None => return Ok(None),
        }
    }
    Ok(Some(record))
}

/// Parses the record and the chain of a `transform` case.
pub fn parse_case(ctx: &Ctx, input: &JsonNode) -> Result<TransformCase, Failure> {
    let record = parse_record(ctx, field(input, "record")?)?;
    let transforms = match field(input, "transforms")? {
        JsonNode::Array(items) => items
            .iter()
            .map(parse_transform)
            .collect::<Result<_, _>>()?,
        other => {
            return Err(Failure::invalid(format!(
                "transforms must be an array, got {other}"
            )))
        }
    };
    Ok(TransformCase { record, transforms })
}

fn parse_transform(node: &JsonNode) -> Result<TransformSpec, Failure> {
    let predicate = match node.get("predicate") {
        None | Some(JsonNode::Null) => None,
        Some(p) => Some(PredicateSpec {
            class: str_field(p, "type")?.to_string(),
            config: config_of(p.get("config"))?,
            negate: crate::case::bool_or(p, "negate", false)?,
        }),
    };
    Ok(TransformSpec {
        class: str_field(node, "type")?.to_string(),
        config: config_of(node.get("config"))?,
        predicate,
    })
}

fn opt_int(node: &JsonNode, name: &str) -> Result<Option<i64>, Failure> {
    match node.get(name) {
        None | Some(JsonNode::Null) => Ok(None),
        Some(JsonNode::Int(v)) => Ok(Some(*v)),
        Some(other) => Err(Failure::invalid(format!(
            "\"{name}\" must be an integer or null, got {other}"
        ))),
    }
}

fn schema_and_value(
    ctx: &Ctx,
    node: &JsonNode,
    schema_key: &str,
    value_key: &str,
) -> Result<SchemaAndValue, Failure> {
    let schema = match node.get(schema_key) {
        None => None,
        Some(s) => ctx.parse_schema(s)?,
    };
    let value = match node.get(value_key) {
        None => connect_api::Value::Null,
        Some(v) => decode(ctx, schema.as_ref(), v)?,
    };
    Ok(SchemaAndValue::new(schema, value))
}

/// Parses a case record (`topic`, `partition`, `keySchema`, `key`, `valueSchema`, `value`,
/// `timestamp`, `headers`, optional `kafkaOffset`).
pub fn parse_record(ctx: &Ctx, node: &JsonNode) -> Result<CaseRecord, Failure> {
    if !matches!(node, JsonNode::Object(_)) {
        return Err(Failure::invalid(format!(
            "record must be an object, got {node}"
        )));
    }
    let topic = str_field(node, "topic")?.to_string();
    let partition = match opt_int(node, "partition")? {
        None => None,
        Some(p) => Some(
            i32::try_from(p)
                .map_err(|_| Failure::invalid(format!("partition {p} is out of range")))?,
        ),
    };
    let key = schema_and_value(ctx, node, "keySchema", "key")?;
    let value = schema_and_value(ctx, node, "valueSchema", "value")?;
    let timestamp = opt_int(node, "timestamp")?;
    let mut headers = Headers::new();
    match node.get("headers") {
        None | Some(JsonNode::Null) => {}
        Some(JsonNode::Array(items)) => {
            for h in items {
                let sav = schema_and_value(ctx, h, "schema", "value")?;
                headers.add(str_field(h, "key")?, sav.schema, sav.value);
            }
        }
        Some(other) => {
            return Err(Failure::invalid(format!(
                "headers must be an array, got {other}"
            )))
        }
    }
    let offset = opt_int(node, "kafkaOffset")?;
    Ok(match offset {
        None => CaseRecord::Source(Record {
            topic: topic.into(),
            kafka_partition: partition,
            key,
            value,
            timestamp,
            headers,
            meta: SourceMeta::default(),
        }),
        Some(offset) => CaseRecord::Sink(Record {
            meta: SinkMeta {
                kafka_offset: offset,
                timestamp_type: if timestamp.is_some() {
                    TimestampType::CreateTime
                } else {
                    TimestampType::NoTimestampType
                },
                original_topic: topic.clone().into(),
                original_kafka_partition: partition.unwrap_or(0),
                original_kafka_offset: offset,
            },
            topic: topic.into(),
            kafka_partition: partition,
            key,
            value,
            timestamp,
            headers,
        }),
    })
}

fn render_fields<M>(ctx: &Ctx, r: &Record<M>) -> Result<Vec<(String, Out)>, Failure> {
    let opt_int = |v: Option<i64>| v.map_or(Out::Null, Out::Int);
    let headers = r
        .headers
        .iter()
        .map(|h| {
            Ok(Out::obj([
                ("key", Out::str(h.key.clone())),
                ("schema", ctx.schema_out(h.schema.as_ref())?),
                ("value", render(ctx, h.schema.as_ref(), &h.value)?),
            ]))
        })
        .collect::<Result<_, Failure>>()?;
    Ok(vec![
        ("topic".into(), Out::str(r.topic.to_string())),
        (
            "partition".into(),
            opt_int(r.kafka_partition.map(i64::from)),
        ),
        ("keySchema".into(), ctx.schema_out(r.key.schema.as_ref())?),
        (
            "key".into(),
            render(ctx, r.key.schema.as_ref(), &r.key.value)?,
        ),
        (
            "valueSchema".into(),
            ctx.schema_out(r.value.schema.as_ref())?,
        ),
        (
            "value".into(),
            render(ctx, r.value.schema.as_ref(), &r.value.value)?,
        ),
        ("timestamp".into(), opt_int(r.timestamp)),
        ("headers".into(), Out::Arr(headers)),
    ])
}

/// Renders an output record in the shape of the input record.
pub fn render_record(ctx: &Ctx, record: &CaseRecord) -> Result<Out, Failure> {
    let entries = match record {
        CaseRecord::Source(r) => render_fields(ctx, r)?,
        CaseRecord::Sink(r) => {
            let mut e = render_fields(ctx, r)?;
            e.push(("kafkaOffset".into(), Out::Int(r.meta.kafka_offset)));
            e
        }
    };
    Ok(Out::Obj {
        entries,
        ordered: false,
    })
}
