//! The member metadata and assignments of Kafka Connect's worker group (protocol type
//! `connect`, reference §4.5), in Kafka's protocol encoding: big-endian integers, strings
//! with an int16 length, bytes and arrays with an int32 length (-1 for null).
//!
//! - Metadata V0 (`default`): version, url, config offset. V1 (`compatible`) and V2
//!   (`sessioned`) add the member's current assignment as nullable bytes.
//! - Assignment V0: version, error, leader, leader url, config offset, assignment
//!   (`[{connector, [task]}]`, task -1 being the connector itself). V1 and V2 add the
//!   revoked work and the scheduled delay; missing trailing fields read as none and 0.

/// The sub-protocol versions.
pub const PROTOCOL_V0: i16 = 0;
/// `compatible`: incremental cooperative rebalancing (KIP-415).
pub const PROTOCOL_V1: i16 = 1;
/// `sessioned`: V1 plus signed requests between workers (KIP-507).
pub const PROTOCOL_V2: i16 = 2;
/// The task id that stands for the connector instance itself.
pub const CONNECTOR_TASK: i32 = -1;
/// Assignment error: none.
pub const NO_ERROR: i16 = 0;
/// Assignment error: the leader's config is behind a member's (read the config topic, rejoin).
pub const CONFIG_MISMATCH: i16 = 1;

/// Bytes that are not a valid Connect protocol message: the member is skipped or the
/// rebalance fails, as a Java worker's `SchemaException` does.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("Invalid Connect group protocol message: {0}")]
pub struct ProtocolError(String);

/// One connector's part of an assignment: the connector itself (task -1) and/or its tasks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorAssignment {
    /// The connector.
    pub connector: String,
    /// Task numbers; [`CONNECTOR_TASK`] for the connector instance.
    pub tasks: Vec<i32>,
}

/// What the leader assigns one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The protocol version it is encoded with.
    pub version: i16,
    /// [`NO_ERROR`] or [`CONFIG_MISMATCH`].
    pub error: i16,
    /// The leader's member id.
    pub leader: String,
    /// The leader's REST URL (where followers forward writes).
    pub leader_url: String,
    /// The config topic offset the assignment was computed at.
    pub config_offset: i64,
    /// The work to run.
    pub assigned: Vec<ConnectorAssignment>,
    /// The work to stop (V1 and later).
    pub revoked: Vec<ConnectorAssignment>,
    /// Milliseconds until the leader rebalances lost work (V1 and later).
    pub delay_ms: i32,
}

/// What a member tells the group when it joins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerMetadata {
    /// The protocol version it is encoded with.
    pub version: i16,
    /// The worker's REST URL.
    pub url: String,
    /// The config topic offset the worker has read to.
    pub config_offset: i64,
    /// The member's current assignment (V1 and later; `None` when it has none).
    pub allocation: Option<Assignment>,
}

struct Writer(Vec<u8>);

impl Writer {
    fn i16(&mut self, v: i16) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    fn i32(&mut self, v: i32) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }
    fn string(&mut self, s: &str) {
        let len = i16::try_from(s.len()).unwrap_or(i16::MAX);
        self.i16(len);
        self.0.extend_from_slice(&s.as_bytes()[..len as usize]);
    }
    fn nullable_bytes(&mut self, b: Option<&[u8]>) {
        match b {
            None => self.i32(-1),
            Some(b) => {
                self.i32(b.len() as i32);
                self.0.extend_from_slice(b);
            }
        }
    }
    fn assignments(&mut self, list: &[ConnectorAssignment]) {
        self.i32(list.len() as i32);
        for a in list {
            self.string(&a.connector);
            self.i32(a.tasks.len() as i32);
            for t in &a.tasks {
                self.i32(*t);
            }
        }
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], ProtocolError> {
        let end = self.at.checked_add(n).filter(|e| *e <= self.bytes.len());
        let Some(end) = end else {
            return Err(ProtocolError(format!(
                "{what} needs {n} bytes at offset {}, the message has {}",
                self.at,
                self.bytes.len()
            )));
        };
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }
    fn at_end(&self) -> bool {
        self.at >= self.bytes.len()
    }
    fn i16(&mut self, what: &str) -> Result<i16, ProtocolError> {
        let b = self.take(2, what)?;
        Ok(i16::from_be_bytes([b[0], b[1]]))
    }
    fn i32(&mut self, what: &str) -> Result<i32, ProtocolError> {
        let b = self.take(4, what)?;
        Ok(i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn i64(&mut self, what: &str) -> Result<i64, ProtocolError> {
        let b = self.take(8, what)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(i64::from_be_bytes(a))
    }
    fn string(&mut self, what: &str) -> Result<String, ProtocolError> {
        let len = self.i16(what)?;
        let len = usize::try_from(len)
            .map_err(|_| ProtocolError(format!("{what} has a negative length {len}")))?;
        let b = self.take(len, what)?;
        String::from_utf8(b.to_vec()).map_err(|_| ProtocolError(format!("{what} is not UTF-8")))
    }
    fn nullable_bytes(&mut self, what: &str) -> Result<Option<&'a [u8]>, ProtocolError> {
        let len = self.i32(what)?;
        if len < 0 {
            return Ok(None);
        }
        self.take(len as usize, what).map(Some)
    }
    /// A nullable array of connector assignments (null reads as empty).
    fn assignments(&mut self, what: &str) -> Result<Vec<ConnectorAssignment>, ProtocolError> {
        let count = self.i32(what)?;
        let mut list = Vec::new();
        for _ in 0..count.max(0) {
            let connector = self.string("connector")?;
            let tasks_len = self.i32("tasks")?;
            let mut tasks = Vec::new();
            for _ in 0..tasks_len.max(0) {
                tasks.push(self.i32("task")?);
            }
            list.push(ConnectorAssignment { connector, tasks });
        }
        Ok(list)
    }
}

impl Assignment {
    /// The assignment's bytes, with its version header.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        w.i16(self.version);
        w.i16(self.error);
        w.string(&self.leader);
        w.string(&self.leader_url);
        w.i64(self.config_offset);
        w.assignments(&self.assigned);
        if self.version >= PROTOCOL_V1 {
            w.assignments(&self.revoked);
            w.i32(self.delay_ms);
        }
        w.0
    }

    /// Reads an assignment (any version: later versions' extra fields are not read).
    pub fn decode(bytes: &[u8]) -> Result<Assignment, ProtocolError> {
        let mut r = Reader { bytes, at: 0 };
        let version = r.i16("version")?;
        if version < PROTOCOL_V0 {
            return Err(ProtocolError(format!(
                "unsupported assignment version {version}"
            )));
        }
        let error = r.i16("error")?;
        let leader = r.string("leader")?;
        let leader_url = r.string("leader url")?;
        let config_offset = r.i64("config offset")?;
        let assigned = r.assignments("assignment")?;
        let (mut revoked, mut delay_ms) = (Vec::new(), 0);
        if version >= PROTOCOL_V1 {
            // fields missing at the end read as their defaults, as in Kafka
            if !r.at_end() {
                revoked = r.assignments("revoked")?;
            }
            if !r.at_end() {
                delay_ms = r.i32("scheduled delay")?;
            }
        }
        Ok(Assignment {
            version,
            error,
            leader,
            leader_url,
            config_offset,
            assigned,
            revoked,
            delay_ms,
        })
    }
}

impl WorkerMetadata {
    /// The metadata's bytes, with its version header.
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer(Vec::new());
        w.i16(self.version);
        w.string(&self.url);
        w.i64(self.config_offset);
        if self.version >= PROTOCOL_V1 {
            let allocation = self.allocation.as_ref().map(Assignment::encode);
            w.nullable_bytes(allocation.as_deref());
        }
        w.0
    }

    /// Reads a member's metadata (any version).
    pub fn decode(bytes: &[u8]) -> Result<WorkerMetadata, ProtocolError> {
        let mut r = Reader { bytes, at: 0 };
        let version = r.i16("version")?;
        if version < PROTOCOL_V0 {
            return Err(ProtocolError(format!(
                "unsupported subscription version {version}"
            )));
        }
        let url = r.string("url")?;
        let config_offset = r.i64("config offset")?;
        let allocation = if version >= PROTOCOL_V1 && !r.at_end() {
            r.nullable_bytes("allocation")?
                .map(Assignment::decode)
                .transpose()?
        } else {
            None
        };
        Ok(WorkerMetadata {
            version,
            url,
            config_offset,
            allocation,
        })
    }
}

#[cfg(test)]
#[path = "connect_protocol_tests.rs"]
mod tests;
