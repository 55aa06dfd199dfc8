//! The `ferry` binary.
//!
//! Subcommands so far:
//! - `ferry convert`: re-encode records from one Connect converter's bytes to another's,
//!   offline (e.g. a JsonConverter envelope with schema → schemaless JSON).
//! - `ferry version`.

mod convert;

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
    /// Print the version.
    Version,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Convert(args) => match convert::run(&args) {
            Ok(true) => ExitCode::SUCCESS,
            Ok(false) => ExitCode::from(1),
            Err(e) => {
                eprintln!("error: {e:#}");
                ExitCode::from(2)
            }
        },
        Command::Version => {
            println!("ferry {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
    }
}
