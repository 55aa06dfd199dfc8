//! `ferry quickstart`: Kafka Connect's first tutorial with nothing installed — a
//! FileStreamSource reads a file into a topic and a FileStreamSink writes the topic to another
//! file, on a standalone worker with the embedded broker. It checks the output, shows the
//! connectors' status and exits.

use connect_runtime::target::TargetState;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use clap::Args;
use connect_api::plugin::ConfigMap;

use crate::config_file;
use crate::standalone::{self, Exit};

/// The quickstart files, also usable with `ferry standalone` (paths relative to `DIR`).
const WORKER: &str = include_str!("../../../examples/quickstart/worker.properties");
const SOURCE: &str = include_str!("../../../examples/quickstart/file-source.properties");
const SINK: &str = include_str!("../../../examples/quickstart/file-sink.properties");

/// Arguments of `ferry quickstart`.
#[derive(Args, Debug)]
pub struct QuickstartArgs {
    /// Lines to send through the pipeline.
    #[arg(long, default_value_t = 1000)]
    lines: usize,
    /// Where to put the input, output and offsets files (default: a new temporary folder).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Keep the worker running after the check (stop it with Ctrl-C).
    #[arg(long)]
    keep_running: bool,
}

fn parse(text: &str, dir: &Path) -> Result<ConfigMap, Exit> {
    let mut config = config_file::parse_properties(text.as_bytes(), Path::new("quickstart"))
        .map_err(|e| Exit::Worker(e.to_string()))?;
    for key in ["file", "offset.storage.file.filename"] {
        if let Some(v) = config.get_mut(key) {
            *v = dir.join(v.as_str()).display().to_string();
        }
    }
    Ok(config)
}

fn count_lines(path: &Path) -> usize {
    std::fs::read(path)
        .map(|b| b.iter().filter(|&&c| c == b'\n').count())
        .unwrap_or(0)
}

/// Runs the quickstart.
pub async fn run(args: &QuickstartArgs) -> Result<(), Exit> {
    let dir = match &args.dir {
        Some(d) => d.clone(),
        None => std::env::temp_dir().join(format!("ferry-quickstart-{}", std::process::id())),
    };
    std::fs::create_dir_all(&dir).map_err(|e| Exit::Worker(format!("{}: {e}", dir.display())))?;
    let input = dir.join("input.txt");
    let output = dir.join("output.txt");
    let _ = std::fs::remove_file(&output);
    let _ = std::fs::remove_file(dir.join("connect.offsets"));
    let text: String = (1..=args.lines)
        .map(|i| format!("quickstart line {i} of {}\n", args.lines))
        .collect();
    std::fs::write(&input, &text).map_err(|e| Exit::Worker(format!("{}: {e}", input.display())))?;

    let mut worker = parse(WORKER, &dir)?;
    worker.insert("listeners".into(), "http://127.0.0.1:0".into());
    let source = parse(SOURCE, &dir)?;
    let sink = parse(SINK, &dir)?;
    println!("Ferry quickstart (embedded broker: for trying Ferry, not for production)");
    println!("  input  {} ({} lines)", input.display(), args.lines);
    println!("  output {}", output.display());
    let started = Instant::now();
    let running = standalone::start(
        worker,
        vec![(source, TargetState::Started), (sink, TargetState::Started)],
    )
    .await?;
    let rest = running
        .rest
        .first()
        .map(|a| format!("http://{a}"))
        .unwrap_or_default();
    println!("  REST API {rest} (try: curl {rest}/connectors/local-file-source/status)");

    let deadline = started + Duration::from_secs(60);
    while count_lines(&output) < args.lines && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let elapsed = started.elapsed();
    let got = std::fs::read_to_string(&output).unwrap_or_default();
    let ok = got == text;
    for name in running.worker.connector_names() {
        if let Some(s) = running.worker.connector_status(&name) {
            let tasks: Vec<String> = s
                .tasks
                .iter()
                .map(|(id, t)| format!("task {id} {}", t.state.name()))
                .collect();
            println!(
                "  {name}: {} ({})",
                s.connector.state.name(),
                tasks.join(", ")
            );
        }
    }
    if ok {
        println!(
            "OK: {} lines went file -> topic connect-test -> file in {} ms",
            args.lines,
            elapsed.as_millis()
        );
    } else {
        println!(
            "FAILED: the output has {} of {} lines after {} ms",
            count_lines(&output),
            args.lines,
            elapsed.as_millis()
        );
    }
    if args.keep_running {
        println!("The worker keeps running; append lines to the input file and watch the output. Ctrl-C stops it.");
        standalone::shutdown_signal().await;
    }
    running.stop().await;
    if ok {
        Ok(())
    } else {
        Err(Exit::Connector(
            "the quickstart pipeline did not deliver every line".into(),
        ))
    }
}
