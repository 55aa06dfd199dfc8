//! An in-process Kafka-protocol broker for trying Ferry with nothing installed: librdkafka's
//! mock cluster (part of the `rdkafka` crate). It keeps data in memory and is for first runs,
//! demos and benchmarks of client code, not for production.

use std::sync::mpsc;
use std::thread;

use rdkafka::mocking::MockCluster;

use crate::error::KafkaConfigError;

/// A running embedded broker; stopped when dropped.
#[derive(Debug)]
pub struct EmbeddedBroker {
    bootstrap: String,
    stop: Option<mpsc::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl EmbeddedBroker {
    /// Starts a one-broker mock cluster on 127.0.0.1 (an ephemeral port).
    pub fn start() -> Result<Self, KafkaConfigError> {
        let (ready_tx, ready_rx) = mpsc::channel::<Result<String, String>>();
        let (stop_tx, stop_rx) = mpsc::channel::<()>();
        let thread = thread::Builder::new()
            .name("embedded-broker".to_string())
            .spawn(move || match MockCluster::new(1) {
                Ok(cluster) => {
                    let _ = ready_tx.send(Ok(cluster.bootstrap_servers()));
                    // keep the cluster alive until asked to stop (or the handle is dropped)
                    let _ = stop_rx.recv();
                    drop(cluster);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e.to_string()));
                }
            })
            .map_err(|e| {
                KafkaConfigError::Client(format!("could not start the embedded broker: {e}"))
            })?;
        let bootstrap = ready_rx
            .recv()
            .map_err(|_| KafkaConfigError::Client("the embedded broker did not start".to_string()))?
            .map_err(|e| {
                KafkaConfigError::Client(format!("the embedded broker did not start: {e}"))
            })?;
        Ok(EmbeddedBroker {
            bootstrap,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// Its `bootstrap.servers`.
    pub fn bootstrap_servers(&self) -> &str {
        &self.bootstrap
    }
}

impl Drop for EmbeddedBroker {
    fn drop(&mut self) {
        self.stop.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
