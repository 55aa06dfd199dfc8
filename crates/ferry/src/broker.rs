//! `ferry embedded-broker`: the embedded broker (librdkafka's mock cluster) as a process of
//! its own, for benchmarks that compare Ferry with other clients (kcat) on one broker. It
//! prints `KAFKA_BOOTSTRAP_SERVERS=…` and runs until SIGINT/SIGTERM. In memory, not for
//! production.

use clap::Args;
use kafka::embedded::EmbeddedBroker;

use crate::standalone::{self, Exit};

/// Arguments of `ferry embedded-broker`.
#[derive(Args, Debug)]
pub struct BrokerArgs {
    /// Topics to create first, as NAME or NAME:PARTITIONS (unknown topics get 4 partitions
    /// on first use).
    #[arg(long = "topic", value_name = "NAME[:PARTITIONS]")]
    topics: Vec<String>,
}

/// Runs the broker until a signal stops it.
pub async fn run(args: &BrokerArgs) -> Result<(), Exit> {
    let broker = EmbeddedBroker::start().map_err(|e| Exit::Worker(e.to_string()))?;
    for spec in &args.topics {
        let (name, partitions) = match spec.rsplit_once(':') {
            Some((n, p)) => (
                n,
                p.parse::<i32>().map_err(|_| {
                    Exit::Worker(format!(
                        "--topic {spec}: the partition count is not a number"
                    ))
                })?,
            ),
            None => (spec.as_str(), 1),
        };
        broker
            .create_topic(name, partitions)
            .map_err(|e| Exit::Worker(e.to_string()))?;
    }
    println!("KAFKA_BOOTSTRAP_SERVERS={}", broker.bootstrap_servers());
    standalone::shutdown_signal().await;
    drop(broker);
    Ok(())
}
