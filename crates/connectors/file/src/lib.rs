//! Kafka Connect's `FileStreamSourceConnector` and `FileStreamSinkConnector`, with the same
//! class names, config keys, offsets and line handling as Apache Kafka 3.9.
//!
//! - The source reads a file (or stdin when `file` is unset) and produces one record per line
//!   to `topic`: key null, value a required `STRING`, timestamp the wall clock. `\n`, `\r\n`
//!   and `\r` end lines; a last line without a terminator waits for more data. Source
//!   partition `{"filename": <file>}`, offset `{"position": <bytes consumed>}`; on start the
//!   task skips that many bytes. Kafka counts the position in UTF-16 chars but skips bytes,
//!   which re-reads data after non-ASCII text; Ferry counts bytes, so it resumes exactly
//!   (positions are equal for ASCII files).
//! - The sink appends `String.valueOf(value)` and a newline per record to `file` (or stdout),
//!   creating the file if needed, and flushes on `flush`.

mod line_buffer;
mod sink;
mod source;

pub use sink::{FileStreamSinkConnector, FileStreamSinkTask};
pub use source::{FileStreamSourceConnector, FileStreamSourceTask};

/// Config key: the file to read or write (unset or empty: stdin / stdout).
pub const FILE_CONFIG: &str = "file";
/// Source config key: the topic to produce to.
pub const TOPIC_CONFIG: &str = "topic";
/// Source config key: the most records one `poll` returns.
pub const BATCH_SIZE_CONFIG: &str = "batch.size";
/// The default `batch.size`.
pub const DEFAULT_BATCH_SIZE: i32 = 2000;
/// Source partition key.
pub const FILENAME_FIELD: &str = "filename";
/// Source offset key.
pub const POSITION_FIELD: &str = "position";

/// The connectors' version, as `GET /connector-plugins` shows it (Kafka's own version for
/// its bundled connectors).
pub const VERSION: &str = "3.9.0";

/// Fully qualified class name of the source connector.
pub const SOURCE_CLASS: &str = "org.apache.kafka.connect.file.FileStreamSourceConnector";
/// Fully qualified class name of the sink connector.
pub const SINK_CLASS: &str = "org.apache.kafka.connect.file.FileStreamSinkConnector";
