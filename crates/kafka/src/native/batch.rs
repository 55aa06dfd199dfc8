//! Kafka's record batch format (magic 2) as a producer writes it: records are encoded into
//! their partition's open batch as they are sent, and the batch header is filled in when the
//! batch closes. Written here rather than through kafka-protocol's `Record` model because
//! that model keeps headers in a map, and Kafka records may repeat a header key.

use bytes::{BufMut, Bytes, BytesMut};

use crate::record::RawHeader;

/// Bytes before the first record: base offset (8), batch length (4), partition leader epoch
/// (4), magic (1), CRC (4), attributes (2), last offset delta (4), base timestamp (8), max
/// timestamp (8), producer id (8), producer epoch (2), base sequence (4), record count (4).
pub const HEADER_LEN: usize = 61;
/// Where the CRC sits, and where what it covers starts.
const CRC_AT: usize = 17;
const CRC_FROM: usize = 21;

/// The length of `v` as a zig-zag varint.
fn varint_len(v: i64) -> usize {
    let mut z = ((v << 1) ^ (v >> 63)) as u64;
    let mut n = 1;
    while z >= 0x80 {
        z >>= 7;
        n += 1;
    }
    n
}

fn put_varint(buf: &mut BytesMut, v: i64) {
    let mut z = ((v << 1) ^ (v >> 63)) as u64;
    while z >= 0x80 {
        buf.put_u8((z as u8) | 0x80);
        z >>= 7;
    }
    buf.put_u8(z as u8);
}

fn bytes_len(b: Option<&[u8]>) -> usize {
    match b {
        None => varint_len(-1),
        Some(b) => varint_len(b.len() as i64) + b.len(),
    }
}

fn put_bytes(buf: &mut BytesMut, b: Option<&[u8]>) {
    match b {
        None => put_varint(buf, -1),
        Some(b) => {
            put_varint(buf, b.len() as i64);
            buf.put_slice(b);
        }
    }
}

/// One record as a producer hands it over.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    /// Epoch milliseconds.
    pub timestamp: i64,
    /// The key, `None` for null.
    pub key: Option<&'a [u8]>,
    /// The value, `None` for null.
    pub value: Option<&'a [u8]>,
    /// The headers, in order (keys may repeat).
    pub headers: &'a [RawHeader],
}

impl Entry<'_> {
    /// The encoded size of the record's body (without its length prefix), at `offset_delta`
    /// and `timestamp_delta` in its batch.
    fn body_len(&self, offset_delta: i64, timestamp_delta: i64) -> usize {
        let headers: usize = self
            .headers
            .iter()
            .map(|h| bytes_len(Some(h.key.as_bytes())) + bytes_len(h.value.as_deref()))
            .sum();
        1 + varint_len(timestamp_delta)
            + varint_len(offset_delta)
            + bytes_len(self.key)
            + bytes_len(self.value)
            + varint_len(self.headers.len() as i64)
            + headers
    }

    /// An upper bound of the record's size in a batch (for size limits before it is placed).
    pub fn size_bound(&self) -> usize {
        // deltas take at most 10 bytes each, the length prefix at most 5
        self.body_len(0, 0) + 2 * 9 + 5
    }
}

/// An open batch of one partition.
#[derive(Debug)]
pub struct Batch {
    buf: BytesMut,
    count: i32,
    base_timestamp: i64,
    max_timestamp: i64,
}

impl Batch {
    /// An empty batch with room for `capacity` bytes.
    pub fn new(capacity: usize) -> Self {
        Batch::in_buffer(BytesMut::with_capacity(capacity.max(HEADER_LEN)))
    }

    /// An empty batch written into `buf` (a buffer of an earlier batch, for reuse).
    pub fn in_buffer(mut buf: BytesMut) -> Self {
        buf.clear();
        buf.put_bytes(0, HEADER_LEN);
        Batch {
            buf,
            count: 0,
            base_timestamp: 0,
            max_timestamp: i64::MIN,
        }
    }

    /// Records in the batch.
    #[cfg(test)]
    pub fn count(&self) -> usize {
        self.count as usize
    }

    /// The batch's size so far, header included.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Appends a record.
    pub fn push(&mut self, entry: &Entry<'_>) {
        if self.count == 0 {
            self.base_timestamp = entry.timestamp;
        }
        let offset_delta = i64::from(self.count);
        let timestamp_delta = entry.timestamp.wrapping_sub(self.base_timestamp);
        let body = entry.body_len(offset_delta, timestamp_delta);
        self.buf.reserve(body + 5);
        put_varint(&mut self.buf, body as i64);
        self.buf.put_i8(0); // attributes (unused)
        put_varint(&mut self.buf, timestamp_delta);
        put_varint(&mut self.buf, offset_delta);
        put_bytes(&mut self.buf, entry.key);
        put_bytes(&mut self.buf, entry.value);
        put_varint(&mut self.buf, entry.headers.len() as i64);
        for h in entry.headers {
            put_bytes(&mut self.buf, Some(h.key.as_bytes()));
            put_bytes(&mut self.buf, h.value.as_deref());
        }
        self.max_timestamp = self.max_timestamp.max(entry.timestamp);
        self.count += 1;
    }

    /// The batch as it goes on the wire: the header filled in (base offset 0, no
    /// compression, create time, no producer id or sequence), its CRC-32C computed.
    pub fn finish(mut self) -> Bytes {
        let len = self.buf.len();
        let header = &mut self.buf[..HEADER_LEN];
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            header[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        };
        put(&0i64.to_be_bytes()); // base offset
        put(&((len - 12) as i32).to_be_bytes()); // length after this field
        put(&(-1i32).to_be_bytes()); // partition leader epoch
        put(&[2]); // magic
        put(&[0; 4]); // CRC, below
        put(&0i16.to_be_bytes()); // attributes
        put(&(self.count - 1).to_be_bytes()); // last offset delta
        put(&self.base_timestamp.to_be_bytes());
        put(&self.max_timestamp.to_be_bytes());
        put(&(-1i64).to_be_bytes()); // producer id
        put(&(-1i16).to_be_bytes()); // producer epoch
        put(&(-1i32).to_be_bytes()); // base sequence
        put(&self.count.to_be_bytes());
        let crc = crc32c::crc32c(&self.buf[CRC_FROM..]);
        self.buf[CRC_AT..CRC_FROM].copy_from_slice(&crc.to_be_bytes());
        self.buf.freeze()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kafka_protocol::records::RecordBatchDecoder;

    fn header(key: &str, value: Option<&[u8]>) -> RawHeader {
        RawHeader {
            key: key.to_string(),
            value: value.map(<[u8]>::to_vec),
        }
    }

    #[test]
    fn a_batch_decodes_with_kafka_protocols_decoder() {
        let headers = [header("h", Some(b"1")), header("h", None)];
        let mut batch = Batch::new(0);
        let entries = [
            Entry {
                timestamp: 1_700_000_000_123,
                key: Some(b"k1"),
                value: Some(b"value one"),
                headers: &[],
            },
            Entry {
                timestamp: 1_700_000_000_100,
                key: None,
                value: None,
                headers: &headers,
            },
            Entry {
                timestamp: 1_700_000_000_200,
                key: Some(b""),
                value: Some(&[0u8; 300]),
                headers: &[],
            },
        ];
        for e in &entries {
            batch.push(e);
        }
        assert_eq!(batch.count(), 3);
        let mut bytes = batch.finish();
        // the decoder checks the CRC and the length
        let set = RecordBatchDecoder::decode(&mut bytes).expect("decodes");
        assert_eq!(set.records.len(), 3);
        for (i, (r, e)) in set.records.iter().zip(&entries).enumerate() {
            assert_eq!(r.offset, i as i64);
            assert_eq!(r.timestamp, e.timestamp);
            assert_eq!(r.key.as_deref(), e.key);
            assert_eq!(r.value.as_deref(), e.value);
            assert_eq!(r.producer_id, -1);
        }
        // the decoder's model keeps one value per header key: the last one
        assert_eq!(set.records[1].headers.len(), 1);
    }

    #[test]
    fn repeated_header_keys_are_all_written() {
        let headers = [header("a", Some(b"1")), header("a", Some(b"2"))];
        let mut batch = Batch::new(0);
        batch.push(&Entry {
            timestamp: 5,
            key: None,
            value: Some(b"v"),
            headers: &headers,
        });
        let bytes = batch.finish();
        let body = &bytes[HEADER_LEN..];
        // length, attributes, ts delta 0, offset delta 0, null key, value "v", 2 headers
        assert_eq!(&body[1..7], &[0, 0, 0, 1, 2, b'v']);
        assert_eq!(body[7], 4, "two headers, zig-zag encoded");
        assert_eq!(&body[8..], &[2, b'a', 2, b'1', 2, b'a', 2, b'2']);
    }

    #[test]
    fn varints_are_zig_zag() {
        for (v, len) in [(0, 1), (-1, 1), (63, 1), (64, 2), (-65, 2), (i64::MAX, 10)] {
            let mut buf = BytesMut::new();
            put_varint(&mut buf, v);
            assert_eq!(buf.len(), len, "{v}");
            assert_eq!(varint_len(v), len, "{v}");
        }
    }

    #[test]
    fn the_size_bound_is_an_upper_bound() {
        let headers = [header("key", Some(&[1; 200]))];
        let e = Entry {
            timestamp: i64::MAX,
            key: Some(&[7; 130]),
            value: Some(&[9; 70_000]),
            headers: &headers,
        };
        let mut batch = Batch::new(0);
        batch.push(&Entry {
            timestamp: i64::MIN,
            ..e
        });
        let before = batch.len();
        batch.push(&e);
        assert!(batch.len() - before <= e.size_bound());
    }
}
