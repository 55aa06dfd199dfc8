//! An in-process Kafka-protocol broker for trying Ferry with nothing installed: librdkafka's
//! mock cluster (part of the `rdkafka` crate). It keeps data in memory and is for first runs,
//! demos and benchmarks of client code, not for production.

use std::sync::mpsc;
use std::thread;

use rdkafka::mocking::MockCluster;

use crate::error::KafkaConfigError;

/// What the broker thread is asked to do.
enum Command {
    CreateTopic(String, i32, mpsc::Sender<Result<(), String>>),
}

/// A running embedded broker; stopped when dropped.
///
/// The mock cluster answers neither CreateTopics nor admin requests, and creates unknown
/// topics with 4 partitions on first use; [`create_topic`](Self::create_topic) makes a topic
/// beforehand with the partitions wanted (Kafka's brokers default to one).
#[derive(Debug)]
pub struct EmbeddedBroker {
    bootstrap: String,
    commands: Option<mpsc::Sender<Command>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl std::fmt::Debug for Command {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Command")
    }
}

impl EmbeddedBroker {
    /// Starts a one-broker mock cluster on 127.0.0.1 (an ephemeral port).
    pub fn start() -> Result<Self, KafkaConfigError> {
        let (ready_tx, ready_rx) = mpsc::channel::<Result<String, String>>();
        let (commands, command_rx) = mpsc::channel::<Command>();
        let thread = thread::Builder::new()
            .name("embedded-broker".to_string())
            .spawn(move || match MockCluster::new(1) {
                Ok(cluster) => {
                    let _ = ready_tx.send(Ok(cluster.bootstrap_servers()));
                    // serve commands until the handle is dropped
                    while let Ok(command) = command_rx.recv() {
                        match command {
                            Command::CreateTopic(name, partitions, reply) => {
                                let created = cluster
                                    .create_topic(&name, partitions, 1)
                                    .map_err(|e| e.to_string());
                                let _ = reply.send(created);
                            }
                        }
                    }
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
            commands: Some(commands),
            thread: Some(thread),
        })
    }

    /// Creates `topic` with `partitions` partitions (before anything uses it).
    pub fn create_topic(&self, topic: &str, partitions: i32) -> Result<(), KafkaConfigError> {
        let (reply, answer) = mpsc::channel();
        let sent = self
            .commands
            .as_ref()
            .map(|c| c.send(Command::CreateTopic(topic.to_string(), partitions, reply)));
        if !matches!(sent, Some(Ok(()))) {
            return Err(KafkaConfigError::Client(
                "the embedded broker has stopped".into(),
            ));
        }
        answer
            .recv()
            .map_err(|_| KafkaConfigError::Client("the embedded broker has stopped".into()))?
            .map_err(|e| KafkaConfigError::Client(format!("could not create topic {topic}: {e}")))
    }

    /// Its `bootstrap.servers`.
    pub fn bootstrap_servers(&self) -> &str {
        &self.bootstrap
    }
}

impl Drop for EmbeddedBroker {
    fn drop(&mut self) {
        self.commands.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
