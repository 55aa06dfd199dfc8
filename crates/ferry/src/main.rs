//! The `ferry` binary.
//!
//! Subcommands so far:
//! - `ferry convert`: re-encode records from one Connect converter's bytes to another's,
//!   offline (e.g. a JsonConverter envelope with schema → schemaless JSON).
//! - `ferry transform`: run records through a connector's converters and transformation
//!   chain, offline, and print each result or the error with its stage.
//! - `ferry standalone` / `ferry distributed`: a Connect worker, alone or in a cluster.
//! - `ferry version`.

mod broker;
mod config_file;
mod convert;
mod distributed;
mod loggers;
mod plugins;
mod quickstart;
mod serving;
mod standalone;
mod transform;

#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Ferry: Kafka Connect and Kafka Streams, rebuilt in Rust.
#[derive(Parser, Debug)]
#[command(name = "ferry", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Decode records with one converter and encode them with another (one record per line).
    Convert(convert::ConvertArgs),
    /// Run records (JSON lines) through a connector's converters and transforms, offline.
    Transform(transform::TransformArgs),
    /// Run a standalone worker, as Kafka's connect-standalone.sh.
    Standalone(standalone::StandaloneArgs),
    /// Run a member of a worker cluster, as Kafka's connect-distributed.sh.
    Distributed(distributed::DistributedArgs),
    /// Try Ferry: file -> topic -> file on an embedded broker, checked, in one command.
    Quickstart(quickstart::QuickstartArgs),
    /// Run the embedded (in-memory, mock) broker on its own, for benchmarks.
    EmbeddedBroker(broker::BrokerArgs),
    /// Print the version.
    Version,
}

/// Exit code 0 when every record went through, 1 when some failed (each reported), 2 when
/// the command could not run at all.
fn record_tool(result: anyhow::Result<bool>) -> ExitCode {
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// Logs to stderr; `RUST_LOG` filters (default `info`, librdkafka's debug chatter off), and
/// `/admin/loggers` changes the levels at runtime.
fn init_logging() {
    loggers::init();
}

/// Runs an async command on a tokio runtime; worker errors exit 2, connector errors 3.
fn worker_command<F>(command: F) -> ExitCode
where
    F: std::future::Future<Output = Result<(), standalone::Exit>>,
{
    init_logging();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: could not start the async runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let result = runtime.block_on(command);
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{}", e.message());
            eprintln!("error: {}", e.message());
            ExitCode::from(e.code())
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Standalone(args) => worker_command(standalone::run(&args)),
        Command::Distributed(args) => worker_command(distributed::run(&args)),
        Command::Quickstart(args) => worker_command(quickstart::run(&args)),
        Command::EmbeddedBroker(args) => worker_command(broker::run(&args)),
        Command::Convert(args) => record_tool(convert::run(&args)),
        Command::Transform(args) => record_tool(transform::run(&args)),
        Command::Version => {
            println!("ferry {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
    }
}
