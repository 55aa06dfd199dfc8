//! `ferry convert`: decode each input record with one converter, encode it with another.

use std::collections::BTreeMap;
use std::io::{BufRead, IsTerminal, Write};

use anyhow::{bail, Context};
use base64::Engine;
use clap::{Args, ValueEnum};
use connect_api::Headers;
use connect_converters::registry;

/// A record used when nothing is piped in, so the command shows what it does with no setup.
const SAMPLE: &str = r#"{"schema":{"type":"struct","fields":[{"type":"int32","optional":false,"field":"id"},{"type":"bytes","optional":true,"name":"org.apache.kafka.connect.data.Decimal","version":1,"parameters":{"scale":"2"},"field":"amt"}],"optional":false,"name":"shop.orders.Value"},"payload":{"id":1,"amt":"AJw="}}"#;

/// How record bytes are written on a line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Encoding {
    /// UTF-8 text (input lines as they are; output must be valid UTF-8).
    Text,
    /// Standard base64 with padding (for binary converters such as LongConverter).
    Base64,
}

/// Arguments of `ferry convert`.
#[derive(Args, Debug)]
pub struct ConvertArgs {
    /// Converter that reads the input (class name or simple name).
    #[arg(long, default_value = "org.apache.kafka.connect.json.JsonConverter")]
    from: String,
    /// Config of the input converter, KEY=VALUE (repeatable), e.g. schemas.enable=false.
    #[arg(long = "from-config", value_name = "KEY=VALUE")]
    from_config: Vec<String>,
    /// Converter that writes the output.
    #[arg(long, default_value = "org.apache.kafka.connect.json.JsonConverter")]
    to: String,
    /// Config of the output converter, KEY=VALUE (repeatable). Default: schemas.enable=false.
    #[arg(long = "to-config", value_name = "KEY=VALUE")]
    to_config: Vec<String>,
    /// Convert as record keys instead of values.
    #[arg(long)]
    key: bool,
    /// Topic name passed to the converters.
    #[arg(long, default_value = "ferry")]
    topic: String,
    /// How input lines hold the bytes.
    #[arg(long, value_enum, default_value_t = Encoding::Text)]
    input: Encoding,
    /// How output lines hold the bytes.
    #[arg(long, value_enum, default_value_t = Encoding::Text)]
    output: Encoding,
}

fn parse_config(
    pairs: &[String],
    defaults: &[(&str, &str)],
) -> anyhow::Result<BTreeMap<String, String>> {
    let mut config: BTreeMap<String, String> = defaults
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    for pair in pairs {
        let Some((k, v)) = pair.split_once('=') else {
            bail!("config entry {pair:?} is not KEY=VALUE");
        };
        config.insert(k.trim().to_string(), v.to_string());
    }
    Ok(config)
}

/// Runs the command; `Ok(false)` when some records failed (each reported on stderr).
pub fn run(args: &ConvertArgs) -> anyhow::Result<bool> {
    let from_config = parse_config(&args.from_config, &[])?;
    let to_config = parse_config(&args.to_config, &[("schemas.enable", "false")])?;
    let from = registry::converter(&args.from, &from_config, args.key)
        .with_context(|| format!("--from {}", args.from))?;
    let to = registry::converter(&args.to, &to_config, args.key)
        .with_context(|| format!("--to {}", args.to))?;

    let stdin = std::io::stdin();
    let lines: Box<dyn Iterator<Item = std::io::Result<String>>> = if stdin.is_terminal() {
        eprintln!("(no input piped in: converting a sample record)");
        Box::new(std::iter::once(Ok(SAMPLE.to_string())))
    } else {
        Box::new(stdin.lock().lines())
    };

    let b64 = base64::engine::general_purpose::STANDARD;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut all_ok = true;
    for (n, line) in lines.enumerate() {
        let line = line.context("reading standard input")?;
        let result = (|| -> anyhow::Result<Option<Vec<u8>>> {
            let bytes = match args.input {
                Encoding::Text => line.clone().into_bytes(),
                Encoding::Base64 => b64.decode(line.trim()).context("input is not base64")?,
            };
            let mut headers = Headers::new();
            let data = from.to_connect_data(&args.topic, &headers, Some(&bytes))?;
            Ok(to.from_connect_data(
                &args.topic,
                &mut headers,
                data.schema.as_ref(),
                &data.value,
            )?)
        })();
        match result {
            Ok(None) => writeln!(out, "null")?,
            Ok(Some(bytes)) => match args.output {
                Encoding::Text => match String::from_utf8(bytes) {
                    Ok(text) => writeln!(out, "{text}")?,
                    Err(e) => {
                        all_ok = false;
                        eprintln!("line {}: output is not UTF-8; use --output base64", n + 1);
                        drop(e);
                    }
                },
                Encoding::Base64 => writeln!(out, "{}", b64.encode(bytes))?,
            },
            Err(e) => {
                all_ok = false;
                eprintln!("line {}: {e:#}", n + 1);
            }
        }
    }
    out.flush()?;
    Ok(all_ok)
}
