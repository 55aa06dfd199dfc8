//! `FileStreamSinkConnector` and its task.

use std::sync::Arc;

use async_trait::async_trait;
use connect_api::config::{ConfigDef, ConfigKey, ConfigType, Importance};
use connect_api::plugin::{
    ConfigMap, Connector, ConnectorContext, SinkConnector, SinkOffsets, SinkTask, SinkTaskContext,
};
use connect_api::{ConnectError, Result, SinkRecord, Value};
use tokio::io::AsyncWriteExt;

use crate::{FILE_CONFIG, VERSION};

/// Buffered bytes that trigger a write before the next flush.
const WRITE_BUFFER: usize = 256 * 1024;

fn config_def() -> ConfigDef {
    ConfigDef::new().define(
        ConfigKey::new(FILE_CONFIG, ConfigType::String)
            .default_null()
            .importance(Importance::High)
            .documentation("File the records are written to; standard output is used when unset."),
    )
}

/// Kafka's `FileStreamSinkConnector`: `tasks.max` identical tasks.
#[derive(Debug, Default)]
pub struct FileStreamSinkConnector {
    config: ConfigMap,
}

impl Connector for FileStreamSinkConnector {
    fn version(&self) -> String {
        VERSION.to_string()
    }

    fn config_def(&self) -> ConfigDef {
        config_def()
    }

    fn task_class(&self) -> &'static str {
        "org.apache.kafka.connect.file.FileStreamSinkTask"
    }

    fn start(&mut self, config: &ConfigMap, _context: Arc<dyn ConnectorContext>) -> Result<()> {
        config_def().parse(config)?;
        self.config = config.clone();
        Ok(())
    }

    fn task_configs(&self, max_tasks: usize) -> Result<Vec<ConfigMap>> {
        Ok(vec![self.config.clone(); max_tasks.max(1)])
    }

    fn stop(&mut self) -> Result<()> {
        Ok(())
    }

    /// The sink keeps no offsets of its own: Kafka's consumer group offsets are all there is.
    fn alter_offsets(
        &self,
        _config: &ConfigMap,
        _offsets: &[(connect_api::Value, Option<connect_api::Value>)],
    ) -> Result<bool> {
        Ok(true)
    }
}

impl SinkConnector for FileStreamSinkConnector {
    fn create_task(&self) -> Box<dyn SinkTask> {
        Box::new(FileStreamSinkTask::default())
    }
}

/// Where the task writes. A regular file is written in place, as Kafka's task writes it on
/// its own thread: a 256 KB write into the page cache takes tens of microseconds, less than
/// handing it to a blocking thread with a copy of the buffer. Standard output, which may
/// block on a slow reader, is written asynchronously.
enum Output {
    Stdout(tokio::io::Stdout),
    File(std::fs::File),
}

impl Output {
    async fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Output::Stdout(out) => out.write_all(bytes).await,
            Output::File(f) => std::io::Write::write_all(f, bytes),
        }
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Output::Stdout(out) => out.flush().await,
            Output::File(f) => std::io::Write::flush(f),
        }
    }
}

/// Kafka's `FileStreamSinkTask`: `println(record.value())` per record.
#[derive(Default)]
pub struct FileStreamSinkTask {
    filename: Option<String>,
    output: Option<Output>,
    buffer: Vec<u8>,
}

impl std::fmt::Debug for FileStreamSinkTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStreamSinkTask")
            .field("filename", &self.filename)
            .field("buffered", &self.buffer.len())
            .finish()
    }
}

impl FileStreamSinkTask {
    fn target(&self) -> &str {
        self.filename.as_deref().unwrap_or("stdout")
    }

    async fn write_buffer(&mut self) -> Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let Some(out) = self.output.as_mut() else {
            return Err(ConnectError::other("FileStreamSinkTask was not started"));
        };
        let result = out.write_all(&self.buffer).await;
        if let Err(e) = result {
            return Err(ConnectError::other(format!(
                "Couldn't write to {}: {e}",
                self.filename.as_deref().unwrap_or("stdout")
            )));
        }
        self.buffer.clear();
        Ok(())
    }
}

#[async_trait]
impl SinkTask for FileStreamSinkTask {
    async fn start(&mut self, config: &ConfigMap, _context: SinkTaskContext) -> Result<()> {
        let parsed = config_def().parse(config)?;
        self.filename = match parsed.get_raw(FILE_CONFIG)? {
            Some(_) => Some(parsed.get_string(FILE_CONFIG)?.to_string()).filter(|f| !f.is_empty()),
            None => None,
        };
        self.output = Some(match &self.filename {
            None => Output::Stdout(tokio::io::stdout()),
            Some(name) => {
                let file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(name)
                    .map_err(|e| {
                        ConnectError::other(format!(
                            "Couldn't find or create file '{name}' for FileStreamSinkTask: {e}"
                        ))
                    })?;
                Output::File(file)
            }
        });
        self.buffer = Vec::with_capacity(WRITE_BUFFER);
        Ok(())
    }

    async fn put(&mut self, records: &[SinkRecord]) -> Result<()> {
        use std::io::Write;
        for record in records {
            // Java's PrintStream.println(Object): String.valueOf(value) and the line separator
            match &record.value.value {
                Value::String(text) => {
                    self.buffer.extend_from_slice(text.as_bytes());
                    self.buffer.push(b'\n');
                }
                other => {
                    let _ = writeln!(self.buffer, "{other}");
                }
            }
            if self.buffer.len() >= WRITE_BUFFER {
                self.write_buffer().await?;
            }
        }
        // what a batch wrote is in the file when put returns, as Java's println writes it at
        // once: one write per batch, not one per record and not one per commit
        self.write_buffer().await?;
        tracing::trace!("wrote {} records to {}", records.len(), self.target());
        Ok(())
    }

    async fn flush(&mut self, _offsets: &SinkOffsets) -> Result<()> {
        self.write_buffer().await?;
        if let Some(out) = self.output.as_mut() {
            out.flush().await.map_err(|e| {
                ConnectError::retriable(format!(
                    "Couldn't flush {}: {e}",
                    self.filename.as_deref().unwrap_or("stdout")
                ))
            })?;
        }
        Ok(())
    }

    async fn stop(&mut self) -> Result<()> {
        let flushed = self.flush(&SinkOffsets::new()).await;
        self.output = None;
        flushed
    }
}

#[cfg(test)]
#[path = "sink_tests.rs"]
mod tests;
