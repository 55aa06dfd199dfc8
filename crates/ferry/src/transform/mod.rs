//! `ferry transform`: runs records through a connector's converters and transformation chain,
//! offline, exactly as its tasks would, and prints each result or the error with its stage.
//!
//! - **sink** direction (a sink connector): Kafka bytes → key/value/header converters → chain →
//!   the record the sink task's `put` would receive;
//! - **source** direction (a source connector): Connect data as `poll` returns it → chain →
//!   header/key/value converters → the bytes the producer would send.
//!
//! Record formats are in `input.rs` and `output.rs`. Each output is one line on stdout; a
//! record that the chain drops prints nothing; a record that fails is reported on stderr as
//! `line N: stage STAGE …` and the others are still processed (exit code 1).

mod input;
mod output;

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use connect_api::config::{parse_value, ConfigType, ParsedValue};
use connect_api::{ConfigError, ConnectError, SinkMeta, SourceMeta};
use connect_runtime::{RecordConverters, StageError};
use connect_transforms::chain::{ChainError, TransformationChain};

use crate::config_file;

/// Which way records flow through the connector.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Direction {
    /// A source connector: Connect data → transforms → converters → Kafka bytes.
    Source,
    /// A sink connector: Kafka bytes → converters → transforms → Connect data.
    Sink,
}

/// Arguments of `ferry transform`.
#[derive(Args, Debug)]
pub struct TransformArgs {
    /// The connector config file (`.properties`, or JSON as for `ferry standalone`).
    #[arg(long, value_name = "CONN_FILE")]
    config: PathBuf,
    /// Records to read, one JSON object a line (default: standard input).
    #[arg(long, value_name = "FILE")]
    input: Option<PathBuf>,
    /// A worker `.properties` file for the converters the connector does not set (default:
    /// JsonConverter for keys and values, as in Kafka's sample worker files).
    #[arg(long, value_name = "WORKER_FILE")]
    worker: Option<PathBuf>,
    /// Source or sink; by default taken from the connector class name.
    #[arg(long, value_enum)]
    direction: Option<Direction>,
    /// Topic of records that name none (default: the connector's `topic`, or its first
    /// `topics` entry).
    #[arg(long)]
    topic: Option<String>,
}

/// The direction of a connector class: its simple name ends in `Source`/`SourceConnector` or
/// `Sink`/`SinkConnector`.
fn direction_of(class: &str) -> Option<Direction> {
    let simple = class.rsplit('.').next().unwrap_or(class);
    let simple = simple.strip_suffix("Connector").unwrap_or(simple);
    if simple.ends_with("Source") {
        Some(Direction::Source)
    } else if simple.ends_with("Sink") {
        Some(Direction::Sink)
    } else {
        None
    }
}

/// What the runtime would do with a failed record under `errors.tolerance`.
#[derive(Clone, Copy)]
enum Tolerance {
    None,
    All,
}

fn tolerance(config: &BTreeMap<String, String>) -> anyhow::Result<Tolerance> {
    match config.get("errors.tolerance").map(String::as_str) {
        None | Some("none") => Ok(Tolerance::None),
        Some("all") => Ok(Tolerance::All),
        Some(other) => bail!(
            "Invalid value {other} for configuration errors.tolerance: String must be one of: \
none, all"
        ),
    }
}

fn consequence(tolerance: Tolerance, tolerable: bool, retriable: bool) -> &'static str {
    match (tolerance, tolerable, retriable) {
        (_, _, true) => "the task would retry it within errors.retry.timeout, then fail",
        (Tolerance::All, true, _) => "errors.tolerance=all: the task would skip the record",
        (Tolerance::None, true, _) => "errors.tolerance=none: the task would fail",
        (_, false, _) => "not a data error: the task would fail",
    }
}

/// The default topic: `--topic`, else the connector's `topic` (source) or first `topics`
/// entry (sink).
fn default_topic(
    args: &TransformArgs,
    config: &BTreeMap<String, String>,
    d: Direction,
) -> Option<String> {
    if let Some(t) = &args.topic {
        return Some(t.clone());
    }
    match d {
        Direction::Source => config.get("topic").map(|t| t.trim().to_string()),
        Direction::Sink => match parse_value("topics", config.get("topics")?, ConfigType::List) {
            Ok(ParsedValue::List(list)) => list.into_iter().next(),
            _ => None,
        },
    }
}

/// Reports a failed record on stderr, after flushing what stdout holds so the two interleave
/// in record order.
fn report(out: &mut impl Write, n: usize, message: &str) -> anyhow::Result<()> {
    out.flush()?;
    eprintln!("line {n}: {message}");
    Ok(())
}

fn chain_failure(e: &ChainError, t: Tolerance) -> String {
    let predicate = match &e.predicate {
        Some(p) => format!(", predicate '{}' ({})", p.alias, p.class),
        None => String::new(),
    };
    format!(
        "stage {}, transform '{}' ({}){predicate}: {} ({})",
        e.stage,
        e.alias,
        e.class,
        e.source,
        consequence(t, e.is_tolerable(), e.is_retriable())
    )
}

fn converter_failure(e: &StageError, t: Tolerance) -> String {
    format!(
        "stage {} ({}): {} ({})",
        e.stage,
        e.class,
        e.source,
        consequence(t, e.is_tolerable(), e.is_retriable())
    )
}

/// The connector's converters and chain, or every problem of both in one error.
fn build<M: Send + Sync + 'static>(
    worker: &BTreeMap<String, String>,
    config: &BTreeMap<String, String>,
) -> anyhow::Result<(RecordConverters, TransformationChain<M>)> {
    let converters = RecordConverters::from_configs(worker, config);
    let chain = TransformationChain::<M>::from_config(config);
    match (converters, chain) {
        (Ok(converters), Ok(chain)) => Ok((converters, chain)),
        (Err(ConnectError::Config(mut a)), Err(ConnectError::Config(b))) => {
            for issue in b.into_issues() {
                a.push(issue);
            }
            Err(config_error(a))
        }
        (Err(ConnectError::Config(e)), _) | (_, Err(ConnectError::Config(e))) => {
            Err(config_error(e))
        }
        (Err(e), _) | (_, Err(e)) => Err(e.into()),
    }
}

/// A config error with one issue a line, each starting with the key it concerns unless its
/// message already names it (some of Kafka's messages do not).
fn config_error(config: ConfigError) -> anyhow::Error {
    let mut text = String::from("invalid connector configuration:");
    for issue in config.issues() {
        let message = issue.to_string();
        match issue.name() {
            Some(name) if !message.contains(name) => {
                text.push_str(&format!("\n  {name}: {message}"))
            }
            _ => text.push_str(&format!("\n  {message}")),
        }
    }
    anyhow::anyhow!(text)
}

/// Runs the command; `Ok(false)` when some records failed (each reported on stderr).
pub fn run(args: &TransformArgs) -> anyhow::Result<bool> {
    let connector = config_file::load_connector(&args.config)?;
    let config = connector.config;
    let worker = match &args.worker {
        Some(path) => config_file::load_properties(path)?,
        None => [
            (
                "key.converter",
                "org.apache.kafka.connect.json.JsonConverter",
            ),
            (
                "value.converter",
                "org.apache.kafka.connect.json.JsonConverter",
            ),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect(),
    };
    let direction = match args.direction {
        Some(d) => d,
        None => {
            let class = config
                .get("connector.class")
                .map(String::as_str)
                .unwrap_or("");
            direction_of(class).with_context(|| {
                format!(
                    "cannot tell from connector.class={class:?} whether this is a source or a \
sink connector: use --direction source|sink"
                )
            })?
        }
    };
    let tolerance = tolerance(&config)?;
    let topic = default_topic(args, &config, direction);

    let lines: Box<dyn BufRead> = match &args.input {
        Some(path) => Box::new(std::io::BufReader::new(
            std::fs::File::open(path)
                .with_context(|| format!("cannot open --input {}", path.display()))?,
        )),
        None => {
            if std::io::stdin().is_terminal() {
                eprintln!("(reading records from standard input, one JSON object a line)");
            }
            Box::new(std::io::stdin().lock())
        }
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let topic = topic.as_deref();
    match direction {
        Direction::Sink => {
            let (converters, chain) = build::<SinkMeta>(&worker, &config)?;
            let writer = output::DataWriter::new()?;
            each_line(lines, &mut out, |n, line, out| {
                let raw = match input::raw_record(line, topic) {
                    Ok(raw) => raw,
                    Err(e) => {
                        return report(out, n, &format!("invalid input record: {e:#}"))
                            .map(|_| false)
                    }
                };
                let record = match converters.to_sink_record(&raw) {
                    Ok(r) => r,
                    Err(e) => {
                        return report(out, n, &converter_failure(&e, tolerance)).map(|_| false)
                    }
                };
                match chain.apply(record) {
                    Ok(Some(r)) => writeln!(out, "{}", output::sink_record(&r, &writer)?)?,
                    Ok(None) => {}
                    Err(e) => return report(out, n, &chain_failure(&e, tolerance)).map(|_| false),
                }
                Ok(true)
            })
        }
        Direction::Source => {
            let (converters, chain) = build::<SourceMeta>(&worker, &config)?;
            let reader = input::DataReader::new()?;
            each_line(lines, &mut out, |n, line, out| {
                let record = match input::source_record(line, topic, &reader) {
                    Ok(r) => r,
                    Err(e) => {
                        return report(out, n, &format!("invalid input record: {e:#}"))
                            .map(|_| false)
                    }
                };
                let mut record = match chain.apply(record) {
                    Ok(Some(r)) => r,
                    Ok(None) => return Ok(true),
                    Err(e) => return report(out, n, &chain_failure(&e, tolerance)).map(|_| false),
                };
                match converters.from_source_record(&mut record) {
                    Ok(raw) => writeln!(out, "{}", output::raw_record(&raw))?,
                    Err(e) => {
                        return report(out, n, &converter_failure(&e, tolerance)).map(|_| false)
                    }
                }
                Ok(true)
            })
        }
    }
}

/// Calls `each` with every non-blank line and its 1-based number; `Ok(false)` if any call
/// returned `Ok(false)` (a failed record).
fn each_line<W: Write>(
    lines: Box<dyn BufRead>,
    out: &mut W,
    mut each: impl FnMut(usize, &str, &mut W) -> anyhow::Result<bool>,
) -> anyhow::Result<bool> {
    let mut all_ok = true;
    for (i, line) in lines.lines().enumerate() {
        let line = line.context("reading the input")?;
        if line.trim().is_empty() {
            continue;
        }
        all_ok &= each(i + 1, &line, out)?;
    }
    out.flush()?;
    Ok(all_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_from_class_names() {
        assert_eq!(direction_of("FileStreamSource"), Some(Direction::Source));
        assert_eq!(
            direction_of("org.apache.kafka.connect.file.FileStreamSinkConnector"),
            Some(Direction::Sink)
        );
        assert_eq!(
            direction_of("io.confluent.connect.jdbc.JdbcSourceConnector"),
            Some(Direction::Source)
        );
        assert_eq!(direction_of("com.example.Mirror"), None);
    }

    #[test]
    fn tolerance_is_none_or_all() {
        let cfg = |v: &str| BTreeMap::from([("errors.tolerance".to_string(), v.to_string())]);
        assert!(matches!(tolerance(&BTreeMap::new()), Ok(Tolerance::None)));
        assert!(matches!(tolerance(&cfg("all")), Ok(Tolerance::All)));
        let err = tolerance(&cfg("ALL"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("errors.tolerance") && err.contains("ALL"),
            "{err}"
        );
    }
}
