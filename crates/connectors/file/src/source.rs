//! `FileStreamSourceConnector` and its task.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use connect_api::config::{ConfigDef, ConfigKey, ConfigType, Importance, NonEmptyString, Range};
use connect_api::plugin::{
    ConfigMap, Connector, ConnectorContext, SourceConnector, SourceTask, SourceTaskContext,
};
use connect_api::{
    ConnectError, Headers, Record, Result, Schema, SchemaAndValue, SourceMeta, SourceRecord, Topic,
    Type, Value,
};
use std::io::{Read, Seek};

use tokio::io::AsyncReadExt;

use crate::line_buffer::LineBuffer;
use crate::{
    BATCH_SIZE_CONFIG, DEFAULT_BATCH_SIZE, FILENAME_FIELD, FILE_CONFIG, POSITION_FIELD,
    TOPIC_CONFIG, VERSION,
};

/// How long a poll waits when there is no new data (Kafka waits one second).
const IDLE_WAIT: Duration = Duration::from_secs(1);
/// Records a poll allocates room for up front (`batch.size` may be large).
const MAX_PREALLOCATED: usize = 4096;
/// Bytes read per read call.
const READ_CHUNK: usize = 256 * 1024;

fn config_def() -> ConfigDef {
    ConfigDef::new()
        .define(
            ConfigKey::new(FILE_CONFIG, ConfigType::String)
                .default_null()
                .importance(Importance::High)
                .documentation("File to read lines from; standard input is read when unset."),
        )
        .define(
            ConfigKey::new(TOPIC_CONFIG, ConfigType::String)
                .validator(NonEmptyString)
                .importance(Importance::High)
                .documentation("Topic the records read from the file are sent to."),
        )
        .define(
            ConfigKey::new(BATCH_SIZE_CONFIG, ConfigType::Int)
                .default_value(DEFAULT_BATCH_SIZE)
                .validator(Range::at_least(1))
                .importance(Importance::Low)
                .documentation(
                    "Upper bound on the records the task reads from the file in a \
single poll.",
                ),
        )
}

/// Kafka's `FileStreamSourceConnector`: exactly one task, whatever `tasks.max` says.
#[derive(Debug, Default)]
pub struct FileStreamSourceConnector {
    config: ConfigMap,
}

impl Connector for FileStreamSourceConnector {
    fn version(&self) -> String {
        VERSION.to_string()
    }

    fn config_def(&self) -> ConfigDef {
        config_def()
    }

    fn task_class(&self) -> &'static str {
        "org.apache.kafka.connect.file.FileStreamSourceTask"
    }

    fn start(&mut self, config: &ConfigMap, _context: Arc<dyn ConnectorContext>) -> Result<()> {
        config_def().parse(config)?;
        self.config = config.clone();
        Ok(())
    }

    fn task_configs(&self, _max_tasks: usize) -> Result<Vec<ConfigMap>> {
        Ok(vec![self.config.clone()])
    }

    fn stop(&mut self) -> Result<()> {
        Ok(())
    }

    /// Kafka's checks: a file must be configured (stdin has no offsets), and each new offset
    /// is null or `{"position": <non-negative long>}` of a partition `{"filename": …}`.
    fn alter_offsets(
        &self,
        config: &ConfigMap,
        offsets: &[(Value, Option<Value>)],
    ) -> Result<bool> {
        if config.get(FILE_CONFIG).is_none_or(|f| f.trim().is_empty()) {
            return Err(ConnectError::other(
                "Offsets cannot be modified if the 'file' configuration is unspecified. This is \
because stdin is used for input and offsets are not tracked.",
            ));
        }
        let field = |map: &Value, name: &str| match map {
            Value::Map(entries) => entries
                .iter()
                .find(|(k, _)| matches!(k, Value::String(s) if s == name))
                .map(|(_, v)| v.clone()),
            _ => None,
        };
        for (partition, offset) in offsets {
            let Some(offset) = offset else { continue };
            let Some(position) = field(offset, POSITION_FIELD) else {
                return Err(ConnectError::other(
                    "Offset objects should either be null or contain the key 'position'",
                ));
            };
            let Value::Int64(p) = position else {
                return Err(ConnectError::other(
                    "The value for the 'position' key in the offset is expected to be a Long value",
                ));
            };
            if p < 0 {
                return Err(ConnectError::other(
                    "The value for the 'position' key in the offset should be a non-negative value",
                ));
            }
            if partition.is_null() {
                return Err(ConnectError::other("Partition objects cannot be null"));
            }
            if field(partition, FILENAME_FIELD).is_none() {
                return Err(ConnectError::other(
                    "Partition objects should contain the key 'filename'",
                ));
            }
        }
        Ok(true)
    }
}

impl SourceConnector for FileStreamSourceConnector {
    fn create_task(&self) -> Box<dyn SourceTask> {
        Box::new(FileStreamSourceTask::default())
    }
}

/// Where the task reads from. A regular file is read in place, as Kafka's task reads it on
/// its own thread: reading a chunk from the page cache takes tens of microseconds, less than
/// handing the read to a blocking thread and copying its result back, as an asynchronous
/// file does. Standard input, which may wait indefinitely, is read asynchronously (a read
/// dropped midway loses nothing: tokio keeps its result for the next read).
enum Input {
    Stdin(tokio::io::Stdin),
    File(std::fs::File),
}

impl Input {
    async fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self {
            Input::Stdin(s) => s.read(buf).await,
            Input::File(f) => f.read(buf),
        }
    }
}

/// Kafka's `FileStreamSourceTask`.
#[derive(Default)]
pub struct FileStreamSourceTask {
    filename: Option<String>,
    topic: Topic,
    batch_size: usize,
    context: Option<SourceTaskContext>,
    input: Option<Input>,
    /// Bytes read but not yet returned as lines.
    pending: LineBuffer,
    /// Bytes of the file consumed by returned lines (`None` for stdin).
    position: Option<i64>,
    /// The source partition `{"filename": …}`, built once and shared by the records.
    partition: Arc<Value>,
}

impl std::fmt::Debug for FileStreamSourceTask {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileStreamSourceTask")
            .field("filename", &self.filename)
            .field("topic", &self.topic)
            .field("position", &self.position)
            .finish()
    }
}

/// The end of the first line in `buf` and where the next one starts, as Kafka's
/// `extractLine` finds them: `\n`, `\r\n` or `\r`; a `\r` at the very end waits for the next
/// byte, which may make it `\r\n` (as in Kafka, even at the end of the file).
fn line_end(buf: &[u8]) -> Option<(usize, usize)> {
    let i = memchr::memchr2(b'\n', b'\r', buf)?;
    if buf[i] == b'\n' {
        return Some((i, i + 1));
    }
    match buf.get(i + 1) {
        Some(b'\n') => Some((i, i + 2)),
        Some(_) => Some((i, i + 1)),
        None => None,
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

impl FileStreamSourceTask {
    /// Opens the input on first use and skips to the committed position. `Ok(false)` when
    /// the file does not exist yet (Kafka logs a warning and waits a second).
    async fn open(&mut self) -> Result<bool> {
        let Some(name) = self.filename.clone() else {
            self.input = Some(Input::Stdin(tokio::io::stdin()));
            return Ok(true);
        };
        let mut file = match std::fs::File::open(PathBuf::from(&name)) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                tracing::warn!(
                    "Couldn't find file {name} for FileStreamSourceTask, sleeping to wait for it \
to be created"
                );
                return Ok(false);
            }
            Err(e) => {
                return Err(ConnectError::other(format!(
                    "Error while trying to open file {name}: {e}"
                )))
            }
        };
        let offsets = self.context.as_ref().map(|c| c.offsets.clone());
        let committed = match offsets {
            Some(reader) => reader.offset(&self.partition)?,
            None => None,
        };
        let mut position = 0i64;
        if let Some(offset) = committed {
            match offset_position(&offset) {
                Some(Ok(p)) => position = p,
                Some(Err(found)) => {
                    return Err(ConnectError::other(format!(
                        "Offset position is the incorrect type: {found}"
                    )))
                }
                None => {}
            }
            if position > 0 {
                tracing::debug!("Found previous offset, trying to skip to file offset {position}");
                file.seek(std::io::SeekFrom::Start(position as u64))
                    .map_err(|e| {
                        ConnectError::other(format!("Error while skipping in {name}: {e}"))
                    })?;
            }
        }
        self.position = Some(position);
        self.input = Some(Input::File(file));
        Ok(true)
    }

    /// Moves complete lines out of the pending bytes into records, until `out` holds `limit`.
    fn take_lines(&mut self, out: &mut Vec<SourceRecord>, limit: usize) {
        // one clock reading per call: the lines of one read arrived together
        let timestamp = now_ms();
        let mut start = 0;
        let pending = self.pending.data();
        while out.len() < limit {
            let Some((end, next)) = line_end(&pending[start..]) else {
                break;
            };
            let bytes = &pending[start..start + end];
            let line = match std::str::from_utf8(bytes) {
                Ok(text) => text.to_owned(),
                // Java's decoder replaces malformed input
                Err(_) => String::from_utf8_lossy(bytes).into_owned(),
            };
            if let Some(p) = self.position.as_mut() {
                *p += next as i64;
            }
            start += next;
            out.push(record(
                &self.topic,
                &self.partition,
                self.position,
                line,
                timestamp,
            ));
        }
        self.pending.consume(start);
    }
}

/// The record of one line; `position` is the file position after it (`None` for stdin, whose
/// records have neither a source partition nor an offset).
fn record(
    topic: &Topic,
    partition: &Arc<Value>,
    position: Option<i64>,
    line: String,
    timestamp: i64,
) -> SourceRecord {
    // stdin's partition is null
    let offset = match position {
        Some(p) => Value::Map(vec![(
            Value::String(POSITION_FIELD.to_string()),
            Value::Int64(p),
        )]),
        None => Value::Null,
    };
    Record {
        topic: Arc::clone(topic),
        kafka_partition: None,
        key: SchemaAndValue::null(),
        value: SchemaAndValue::new(Some(Schema::required(Type::String)), Value::String(line)),
        timestamp: Some(timestamp),
        headers: Headers::new(),
        meta: SourceMeta {
            source_partition: Arc::clone(partition),
            source_offset: offset,
        },
    }
}

/// The `position` of a committed offset: `None` when absent, `Err(type)` when not a long.
fn offset_position(offset: &Value) -> Option<std::result::Result<i64, String>> {
    let Value::Map(entries) = offset else {
        return None;
    };
    let (_, v) = entries
        .iter()
        .find(|(k, _)| matches!(k, Value::String(s) if s == POSITION_FIELD))?;
    Some(match v {
        Value::Int64(p) => Ok(*p),
        // JSON offsets may decode small numbers narrower
        Value::Int32(p) => Ok(i64::from(*p)),
        Value::Int16(p) => Ok(i64::from(*p)),
        Value::Int8(p) => Ok(i64::from(*p)),
        Value::Null => return None,
        other => Err(other.java_class().to_string()),
    })
}

#[async_trait]
impl SourceTask for FileStreamSourceTask {
    async fn start(&mut self, config: &ConfigMap, context: SourceTaskContext) -> Result<()> {
        let parsed = config_def().parse(config)?;
        self.filename = match parsed.get_raw(FILE_CONFIG)? {
            Some(_) => Some(parsed.get_string(FILE_CONFIG)?.to_string()).filter(|f| !f.is_empty()),
            None => None,
        };
        self.topic = parsed.get_string(TOPIC_CONFIG)?.into();
        self.batch_size = parsed.get_int(BATCH_SIZE_CONFIG)?.max(1) as usize;
        self.partition = Arc::new(match &self.filename {
            Some(f) => Value::Map(vec![(
                Value::String(FILENAME_FIELD.to_string()),
                Value::String(f.clone()),
            )]),
            None => Value::Null,
        });
        self.context = Some(context);
        Ok(())
    }

    async fn poll(&mut self) -> Result<Vec<SourceRecord>> {
        let mut records = Vec::with_capacity(self.batch_size.min(MAX_PREALLOCATED));
        self.poll_into(&mut records).await?;
        Ok(records)
    }

    async fn poll_into(&mut self, records: &mut Vec<SourceRecord>) -> Result<()> {
        if self.input.is_none() && !self.open().await? {
            tokio::time::sleep(IDLE_WAIT).await;
            return Ok(());
        }
        let first = records.len();
        let limit = first + self.batch_size;
        self.take_lines(records, limit);
        while records.len() < limit {
            let Some(input) = self.input.as_mut() else {
                break;
            };
            let n = match input.read(self.pending.spare(READ_CHUNK)).await {
                Ok(n) => {
                    self.pending.filled(n);
                    n
                }
                Err(e) => {
                    return Err(ConnectError::other(format!(
                        "Error reading {}: {e}",
                        self.filename.as_deref().unwrap_or("stdin")
                    )));
                }
            };
            if n == 0 {
                if records.len() == first {
                    // nothing new: wait a second, as Kafka's task does
                    tokio::time::sleep(IDLE_WAIT).await;
                }
                break;
            }
            self.take_lines(records, limit);
        }
        Ok(())
    }

    async fn stop(&mut self) -> Result<()> {
        self.input = None;
        Ok(())
    }
}

#[cfg(test)]
#[path = "source_tests.rs"]
mod tests;
