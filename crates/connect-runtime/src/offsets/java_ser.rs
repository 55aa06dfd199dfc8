//! The offsets file of Kafka Connect's standalone worker (`offset.storage.file.filename`).
//!
//! Java's `FileOffsetBackingStore.save()` writes it with an `ObjectOutputStream` holding one
//! `java.util.HashMap<byte[], byte[]>` (built with `new HashMap<>()` and `put`): keys and values
//! are the UTF-8 JSON bytes of offset keys and values, either may be null. [`write_byte_map`]
//! writes what Java 17 writes for the same entry order, byte for byte; [`read_byte_map`] reads
//! that and anything else a JVM writes for such a map (block data split into several records or
//! as `TC_BLOCKDATALONG`, `TC_REFERENCE`s to earlier arrays, any capacity/threshold), and
//! rejects everything else with the byte offset at which it went wrong.
//!
//! Layout (Java Object Serialization Stream Protocol, version 5):
//!
//! ```text
//! AC ED 00 05                      magic, version
//! 73 72 "java.util.HashMap" SUID 03 0002 F "loadFactor" I "threshold" 78 70
//!                                  TC_OBJECT, class desc (handle 0x7E0000); object 0x7E0001
//! f32 loadFactor, i32 threshold    default fields
//! 77 08 i32 capacity, i32 size     HashMap.writeObject's block data
//! size × (key, value)              TC_NULL | TC_ARRAY desc i32 len bytes | TC_REFERENCE handle
//! 78                               TC_ENDBLOCKDATA
//! ```
//!
//! The first array's desc is `72 "[B" SUID 02 0000 78 70`; later arrays refer to it with
//! `71 00 7E 00 02`. Every class desc, object and array gets the next handle when it appears.

/// An error reading a Java-serialized offsets file: what was expected at which byte.
#[derive(Debug, thiserror::Error)]
#[error("not a Java-serialized HashMap<byte[], byte[]> at byte {offset}: {message}")]
pub struct JavaSerError {
    /// The byte of the input where the unexpected data (or the end of input) is.
    pub offset: usize,
    /// What was expected there, and what was found.
    pub message: String,
}

/// One entry of the map: key and value bytes, `None` for null.
pub type Entry = (Option<Vec<u8>>, Option<Vec<u8>>);

const STREAM_MAGIC: u16 = 0xACED;
const STREAM_VERSION: u16 = 5;
const TC_NULL: u8 = 0x70;
const TC_REFERENCE: u8 = 0x71;
const TC_CLASSDESC: u8 = 0x72;
const TC_OBJECT: u8 = 0x73;
const TC_ARRAY: u8 = 0x75;
const TC_BLOCKDATA: u8 = 0x77;
const TC_ENDBLOCKDATA: u8 = 0x78;
const TC_BLOCKDATALONG: u8 = 0x7A;
const BASE_WIRE_HANDLE: u32 = 0x7E_0000;
/// The `[B` desc's handle: it follows the HashMap desc (0x7E0000) and the map (0x7E0001).
const BYTE_ARRAY_DESC_HANDLE: u32 = BASE_WIRE_HANDLE + 2;
const SC_WRITE_METHOD: u8 = 0x01;
const SC_SERIALIZABLE: u8 = 0x02;

/// A class this format contains: its name, serialVersionUID, flags and (type code, name) fields.
struct ClassSpec {
    name: &'static str,
    suid: u64,
    flags: u8,
    fields: &'static [(u8, &'static str)],
}

const HASH_MAP: ClassSpec = ClassSpec {
    name: "java.util.HashMap",
    suid: 0x0507_DAC1_C316_60D1,
    flags: SC_SERIALIZABLE | SC_WRITE_METHOD,
    fields: &[(b'F', "loadFactor"), (b'I', "threshold")],
};

const BYTE_ARRAY: ClassSpec = ClassSpec {
    name: "[B",
    suid: 0xACF3_17F8_0608_54E0,
    flags: SC_SERIALIZABLE,
    fields: &[],
};

/// Bytes copied out of shared arrays may total at most this many times the input's length.
const MAX_SHARED_COPIES: usize = 16;

/// `HashMap`'s default load factor, the one `new HashMap<>()` has.
const LOAD_FACTOR: f32 = 0.75;
/// `HashMap.MAXIMUM_CAPACITY`.
const MAXIMUM_CAPACITY: i32 = 1 << 30;

/// Serializes entries as Java's ObjectOutputStream.writeObject(HashMap<byte[],byte[]>) does.
///
/// The output is what Java 17 writes for a map built with `new HashMap<>()` and `put` (as
/// `FileOffsetBackingStore.save()` builds it) whose iteration order is `entries`' order. Every
/// array is written anew: like distinct Java arrays, equal entries are not shared.
///
/// # Panics
///
/// If there are more than `i32::MAX` entries or an array is longer than `i32::MAX` bytes: Java
/// cannot represent either.
#[allow(clippy::type_complexity)] // the entry type spelled out, as `read_byte_map` returns it
pub fn write_byte_map(entries: &[(Option<Vec<u8>>, Option<Vec<u8>>)]) -> Vec<u8> {
    let payload: usize = entries
        .iter()
        .map(|(k, v)| k.as_ref().map_or(0, Vec::len) + v.as_ref().map_or(0, Vec::len))
        .sum();
    let mut out = Vec::with_capacity(128 + payload + entries.len() * 18);
    out.extend_from_slice(&STREAM_MAGIC.to_be_bytes());
    out.extend_from_slice(&STREAM_VERSION.to_be_bytes());
    out.push(TC_OBJECT);
    write_class_desc(&mut out, &HASH_MAP);
    let size = java_int(entries.len(), "entries");
    let (capacity, threshold) = table_size(size);
    out.extend_from_slice(&LOAD_FACTOR.to_bits().to_be_bytes());
    out.extend_from_slice(&threshold.to_be_bytes());
    out.push(TC_BLOCKDATA);
    out.push(8);
    out.extend_from_slice(&capacity.to_be_bytes());
    out.extend_from_slice(&size.to_be_bytes());
    let mut array_desc_written = false;
    for array in entries.iter().flat_map(|(key, value)| [key, value]) {
        let Some(array) = array else {
            out.push(TC_NULL);
            continue;
        };
        out.push(TC_ARRAY);
        if array_desc_written {
            out.push(TC_REFERENCE);
            out.extend_from_slice(&BYTE_ARRAY_DESC_HANDLE.to_be_bytes());
        } else {
            write_class_desc(&mut out, &BYTE_ARRAY);
            array_desc_written = true;
        }
        out.extend_from_slice(&java_int(array.len(), "array bytes").to_be_bytes());
        out.extend_from_slice(array);
    }
    out.push(TC_ENDBLOCKDATA);
    out
}

/// `n` as a Java `int`; panics (documented on [`write_byte_map`]) when it does not fit.
fn java_int(n: usize, what: &str) -> i32 {
    match i32::try_from(n) {
        Ok(n) => n,
        Err(_) => panic!("{n} {what} do not fit a Java int"),
    }
}

/// A new class desc: name, serialVersionUID, flags, fields, empty annotation, no superclass.
fn write_class_desc(out: &mut Vec<u8>, class: &ClassSpec) {
    out.push(TC_CLASSDESC);
    write_utf(out, class.name);
    out.extend_from_slice(&class.suid.to_be_bytes());
    out.push(class.flags);
    // Both classes have at most two fields.
    out.extend_from_slice(&(class.fields.len() as u16).to_be_bytes());
    for &(type_code, name) in class.fields {
        out.push(type_code);
        write_utf(out, name);
    }
    out.push(TC_ENDBLOCKDATA);
    out.push(TC_NULL);
}

/// An ASCII name as `writeUTF` writes it (only ever our short constant names).
fn write_utf(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(&(s.len() as u16).to_be_bytes());
    out.extend_from_slice(s.as_bytes());
}

/// `(capacity, threshold)` of a `new HashMap<>()` after `size` puts: the table starts at 16
/// entries on the first put and doubles whenever the size exceeds 3/4 of it; an empty map has
/// no table (capacity 16 is written) and threshold 0.
fn table_size(size: i32) -> (i32, i32) {
    if size == 0 {
        return (16, 0);
    }
    let mut capacity: i32 = 16;
    while capacity < MAXIMUM_CAPACITY && size > capacity / 4 * 3 {
        capacity *= 2;
    }
    let threshold = if capacity >= MAXIMUM_CAPACITY {
        i32::MAX
    } else {
        capacity / 4 * 3
    };
    (capacity, threshold)
}

/// Reads what write_byte_map (or Java) wrote. Entries in stream order.
///
/// The whole input must be the one map: trailing bytes are an error. Arrays that Java shared
/// (`TC_REFERENCE`) are copied; those copies may total at most 16 times the
/// input's length (Connect never shares arrays), so that a small crafted file cannot claim
/// gigabytes.
pub fn read_byte_map(bytes: &[u8]) -> Result<Vec<Entry>, JavaSerError> {
    let mut r = Reader {
        bytes,
        pos: 0,
        handles: Vec::new(),
        copied: 0,
    };
    let at = r.pos;
    if r.u16("the stream magic 0xACED")? != STREAM_MAGIC {
        return Err(r.err_at(at, "expected the stream magic 0xACED"));
    }
    let at = r.pos;
    let version = r.u16("the stream version")?;
    if version != STREAM_VERSION {
        return Err(r.err_at(at, format!("expected stream version 5, found {version}")));
    }
    let at = r.pos;
    if r.u8("TC_OBJECT")? != TC_OBJECT {
        return Err(r.err_at(at, "expected TC_OBJECT (0x73), the HashMap"));
    }
    r.class_desc(&HASH_MAP, Handle::HashMapDesc)?;
    r.handles.push(Handle::HashMap);

    let at = r.pos;
    let load_factor = f32::from_bits(r.u32("the loadFactor field")?);
    if load_factor.is_nan() || load_factor <= 0.0 {
        return Err(r.err_at(at, format!("illegal load factor {load_factor}")));
    }
    r.u32("the threshold field")?;
    let mut header = [0u8; 8];
    r.block_data(&mut header)?;
    let [_, _, _, _, s0, s1, s2, s3] = header; // capacity (unused), size
    let size = i32::from_be_bytes([s0, s1, s2, s3]);
    let size = usize::try_from(size).map_err(|_| {
        r.err_at(
            r.pos.saturating_sub(4),
            format!("illegal mappings count {size}"),
        )
    })?;

    // Each entry takes at least two bytes (two TC_NULLs).
    let mut entries = Vec::with_capacity(size.min(r.remaining() / 2));
    for _ in 0..size {
        let key = r.array_or_null("a key")?;
        let value = r.array_or_null("a value")?;
        entries.push((key, value));
    }
    let at = r.pos;
    if r.u8("TC_ENDBLOCKDATA after the entries")? != TC_ENDBLOCKDATA {
        return Err(r.err_at(
            at,
            format!("expected TC_ENDBLOCKDATA (0x78) after {size} entries"),
        ));
    }
    if r.remaining() > 0 {
        return Err(r.err_at(r.pos, "trailing bytes after the HashMap"));
    }
    Ok(entries)
}

/// What a stream handle refers to.
#[derive(Clone, Copy)]
enum Handle<'a> {
    HashMapDesc,
    HashMap,
    ByteArrayDesc,
    ByteArray(&'a [u8]),
}

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    handles: Vec<Handle<'a>>,
    /// Bytes copied out of `TC_REFERENCE`d arrays so far.
    copied: usize,
}

impl<'a> Reader<'a> {
    fn err_at(&self, offset: usize, message: impl Into<String>) -> JavaSerError {
        JavaSerError {
            offset,
            message: message.into(),
        }
    }

    fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    /// The next `n` bytes, or an error naming `what` if the input ends first.
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], JavaSerError> {
        let bytes: &'a [u8] = self.bytes;
        match self
            .pos
            .checked_add(n)
            .and_then(|end| bytes.get(self.pos..end))
        {
            Some(slice) => {
                self.pos += n;
                Ok(slice)
            }
            None => Err(self.err_at(
                self.pos,
                format!(
                    "unexpected end of input: expected {what} ({n} bytes, {} left)",
                    self.remaining()
                ),
            )),
        }
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], JavaSerError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    fn u8(&mut self, what: &str) -> Result<u8, JavaSerError> {
        Ok(self.array::<1>(what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16, JavaSerError> {
        self.array(what).map(u16::from_be_bytes)
    }

    fn u32(&mut self, what: &str) -> Result<u32, JavaSerError> {
        self.array(what).map(u32::from_be_bytes)
    }

    /// A length as Java writes it: a non-negative `int`.
    fn length(&mut self, what: &str) -> Result<usize, JavaSerError> {
        let at = self.pos;
        let n = i32::from_be_bytes(self.array(what)?);
        usize::try_from(n).map_err(|_| self.err_at(at, format!("negative {what} {n}")))
    }

    /// A reference's handle, resolved.
    fn reference(&mut self) -> Result<Handle<'a>, JavaSerError> {
        let at = self.pos;
        let handle = self.u32("a handle")?;
        handle
            .checked_sub(BASE_WIRE_HANDLE)
            .and_then(|i| self.handles.get(usize::try_from(i).ok()?).copied())
            .ok_or_else(|| self.err_at(at, format!("unknown handle {handle:#x}")))
    }

    /// A class desc that must be `class`, either new (`TC_CLASSDESC`, getting handle `handle`)
    /// or a `TC_REFERENCE` to an earlier one.
    fn class_desc(&mut self, class: &ClassSpec, handle: Handle<'a>) -> Result<(), JavaSerError> {
        let at = self.pos;
        match self.u8("a class desc")? {
            TC_CLASSDESC => {}
            TC_REFERENCE => {
                return match (self.reference()?, handle) {
                    (Handle::HashMapDesc, Handle::HashMapDesc)
                    | (Handle::ByteArrayDesc, Handle::ByteArrayDesc) => Ok(()),
                    _ => Err(self.err_at(
                        at,
                        format!("reference to something other than the {} class", class.name),
                    )),
                };
            }
            tc => {
                return Err(self.err_at(
                    at,
                    format!(
                    "expected the {} class desc (TC_CLASSDESC or TC_REFERENCE), found {tc:#04x}",
                    class.name
                ),
                ))
            }
        }
        self.expect_utf(class.name, "class name")?;
        let at = self.pos;
        let suid = u64::from_be_bytes(self.array("a serialVersionUID")?);
        if suid != class.suid {
            return Err(self.err_at(
                at,
                format!(
                    "expected {} serialVersionUID {:#018x}, found {suid:#018x}",
                    class.name, class.suid
                ),
            ));
        }
        let at = self.pos;
        let flags = self.u8("class flags")?;
        if flags != class.flags {
            return Err(self.err_at(
                at,
                format!(
                    "expected {} class flags {:#04x}, found {flags:#04x}",
                    class.name, class.flags
                ),
            ));
        }
        let at = self.pos;
        let count = self.u16("a field count")?;
        if usize::from(count) != class.fields.len() {
            return Err(self.err_at(
                at,
                format!(
                    "expected {} fields in {}, found {count}",
                    class.fields.len(),
                    class.name
                ),
            ));
        }
        for &(type_code, name) in class.fields {
            let at = self.pos;
            if self.u8("a field type code")? != type_code {
                return Err(self.err_at(
                    at,
                    format!("expected field type '{}' of {name}", char::from(type_code)),
                ));
            }
            self.expect_utf(name, "field name")?;
        }
        self.handles.push(handle);
        let at = self.pos;
        if self.u8("TC_ENDBLOCKDATA ending the class annotation")? != TC_ENDBLOCKDATA {
            return Err(self.err_at(
                at,
                format!(
                    "expected an empty class annotation (TC_ENDBLOCKDATA) of {}",
                    class.name
                ),
            ));
        }
        let at = self.pos;
        if self.u8("the superclass desc")? != TC_NULL {
            return Err(self.err_at(
                at,
                format!(
                    "expected no serializable superclass (TC_NULL) of {}",
                    class.name
                ),
            ));
        }
        Ok(())
    }

    /// A `writeUTF` string that must equal the ASCII `expected`.
    fn expect_utf(&mut self, expected: &str, what: &str) -> Result<(), JavaSerError> {
        let at = self.pos;
        let len = usize::from(self.u16(what)?);
        let found = self.take(len, what)?;
        if found != expected.as_bytes() {
            return Err(self.err_at(
                at,
                format!(
                    "expected {what} {expected:?}, found {:?}",
                    String::from_utf8_lossy(found)
                ),
            ));
        }
        Ok(())
    }

    /// Fills `out` from block data records (`TC_BLOCKDATA`/`TC_BLOCKDATALONG`, split anyhow);
    /// the last record must end exactly at the end of `out`.
    fn block_data(&mut self, out: &mut [u8]) -> Result<(), JavaSerError> {
        let mut filled = 0;
        while filled < out.len() {
            let at = self.pos;
            let len = match self.u8("block data")? {
                TC_BLOCKDATA => usize::from(self.u8("a block data length")?),
                TC_BLOCKDATALONG => self.length("block data length")?,
                tc => {
                    return Err(self.err_at(
                        at,
                        format!(
                            "expected block data (TC_BLOCKDATA or TC_BLOCKDATALONG) holding the \
                             map's capacity and size, found {tc:#04x}"
                        ),
                    ))
                }
            };
            let want = out.len() - filled;
            if len > want {
                return Err(self.err_at(
                    at,
                    format!("block data of {len} bytes where {want} were expected"),
                ));
            }
            let data = self.take(len, "block data")?;
            if let Some(dest) = out.get_mut(filled..filled + len) {
                dest.copy_from_slice(data);
            }
            filled += len;
        }
        Ok(())
    }

    /// A `byte[]` object or null.
    fn array_or_null(&mut self, what: &str) -> Result<Option<Vec<u8>>, JavaSerError> {
        let at = self.pos;
        match self.u8(what)? {
            TC_NULL => Ok(None),
            TC_ARRAY => {
                self.class_desc(&BYTE_ARRAY, Handle::ByteArrayDesc)?;
                let len = self.length("array length")?;
                let data = self.take(len, "array bytes")?;
                self.handles.push(Handle::ByteArray(data));
                Ok(Some(data.to_vec()))
            }
            TC_REFERENCE => match self.reference()? {
                Handle::ByteArray(data) => {
                    self.copied = self.copied.saturating_add(data.len());
                    if self.copied > self.bytes.len().saturating_mul(MAX_SHARED_COPIES) {
                        return Err(self
                            .err_at(at, "shared arrays copied to over 16 times the input's size"));
                    }
                    Ok(Some(data.to_vec()))
                }
                _ => Err(self.err_at(at, format!("expected {what}: reference to a non-byte[]"))),
            },
            tc => Err(self.err_at(
                at,
                format!(
                    "expected {what}: a byte[] (TC_ARRAY, TC_REFERENCE or TC_NULL), found {tc:#x}"
                ),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const EMPTY: &[u8] = include_bytes!("../../tests/fixtures/offsets/empty.bin");
    const ONE: &[u8] = include_bytes!("../../tests/fixtures/offsets/one.bin");
    const MANY: &[u8] = include_bytes!("../../tests/fixtures/offsets/many.bin");
    const MANY_TXT: &str = include_str!("../../tests/fixtures/offsets/many.txt");
    const NULLS: &[u8] = include_bytes!("../../tests/fixtures/offsets/nulls.bin");
    const NULLS_TXT: &str = include_str!("../../tests/fixtures/offsets/nulls.txt");
    const SHARED: &[u8] = include_bytes!("../../tests/fixtures/offsets/shared.bin");
    const SHARED_TXT: &str = include_str!("../../tests/fixtures/offsets/shared.txt");

    const ONE_KEY: &str = r#"["local-file-source",{"filename":"test.txt"}]"#;
    const ONE_VALUE: &str = r#"{"position":1234}"#;

    fn b(s: &str) -> Option<Vec<u8>> {
        Some(s.as_bytes().to_vec())
    }

    /// A GenOffsets listing (`key<TAB>value`, `<null>` for null), sorted.
    fn listing(txt: &str) -> Vec<Entry> {
        let side = |s: &str| (s != "<null>").then(|| s.as_bytes().to_vec());
        let mut entries: Vec<Entry> = txt
            .lines()
            .map(|line| {
                let (k, v) = line.split_once('\t').unwrap();
                (side(k), side(v))
            })
            .collect();
        entries.sort();
        entries
    }

    fn sorted(mut entries: Vec<Entry>) -> Vec<Entry> {
        entries.sort();
        entries
    }

    fn round_trip(entries: &[Entry]) {
        let bytes = write_byte_map(entries);
        assert_eq!(read_byte_map(&bytes).unwrap(), entries);
    }

    fn error_offset(bytes: &[u8]) -> usize {
        read_byte_map(bytes).unwrap_err().offset
    }

    /// Where `one.bin`-like streams hold their `77 08 capacity size` block.
    fn block_at(bytes: &[u8]) -> usize {
        bytes
            .windows(2)
            .position(|w| w == [TC_BLOCKDATA, 8])
            .unwrap()
    }

    fn many_entries(n: usize) -> Vec<Entry> {
        (0..n)
            .map(|i| {
                let key = format!(r#"["src",{{"file":"f{i}"}}]"#);
                (
                    b(&key),
                    (i % 5 != 3).then(|| format!("{{\"pos\":{i}}}").into_bytes()),
                )
            })
            .collect()
    }

    #[test]
    fn round_trips() {
        round_trip(&[]);
        round_trip(&[(b(ONE_KEY), b(ONE_VALUE))]);
        round_trip(&many_entries(20));
        round_trip(&many_entries(300));
        round_trip(&[(None, None)]);
        round_trip(&[
            (None, b("{}")),
            (b("[]"), None),
            (Some(vec![]), Some(vec![])),
        ]);
        round_trip(&[(b("k"), b("v")), (b("k"), b("v"))]); // distinct Java arrays, equal bytes
        let big: Vec<u8> = (0..70 * 1024).map(|i| b'a' + (i % 26) as u8).collect();
        round_trip(&[(b(ONE_KEY), Some(big.clone())), (Some(big), None)]);
    }

    #[test]
    fn writes_what_java_writes() {
        assert_eq!(write_byte_map(&[]), EMPTY);
        assert_eq!(write_byte_map(&[(b(ONE_KEY), b(ONE_VALUE))]), ONE);
        // Multi-entry fixtures: same bytes when written in Java's (stream) order.
        for fixture in [MANY, NULLS] {
            assert_eq!(write_byte_map(&read_byte_map(fixture).unwrap()), fixture);
        }
    }

    #[test]
    fn reads_java_fixtures() {
        assert_eq!(read_byte_map(EMPTY).unwrap(), vec![]);
        assert_eq!(
            read_byte_map(ONE).unwrap(),
            vec![(b(ONE_KEY), b(ONE_VALUE))]
        );
        let many = read_byte_map(MANY).unwrap();
        assert_eq!(many.len(), 20);
        assert_eq!(many.iter().filter(|(_, v)| v.is_none()).count(), 1);
        assert_eq!(sorted(many), listing(MANY_TXT));
        assert_eq!(sorted(read_byte_map(NULLS).unwrap()), listing(NULLS_TXT));
        // shared.bin holds TC_REFERENCEs to earlier arrays (one array stored twice).
        assert!(SHARED
            .windows(5)
            .any(|w| w == [TC_REFERENCE, 0, 0x7E, 0, 3]));
        assert_eq!(sorted(read_byte_map(SHARED).unwrap()), listing(SHARED_TXT));
    }

    #[test]
    fn table_sizes_follow_new_hash_map_and_put() {
        assert_eq!(table_size(0), (16, 0));
        assert_eq!(table_size(1), (16, 12));
        assert_eq!(table_size(12), (16, 12));
        assert_eq!(table_size(13), (32, 24));
        assert_eq!(table_size(20), (32, 24));
        assert_eq!(table_size(25), (64, 48));
        assert_eq!(table_size(768), (1024, 768));
        assert_eq!(table_size(769), (2048, 1536));
        assert_eq!(table_size(i32::MAX), (MAXIMUM_CAPACITY, i32::MAX));
    }

    #[test]
    fn accepts_block_data_split_or_long() {
        let at = block_at(ONE);
        let (head, rest) = ONE.split_at(at);
        let data = &rest[2..10];
        let tail = &rest[10..];
        let variants: [Vec<u8>; 3] = [
            [
                &[TC_BLOCKDATA, 4],
                &data[..4],
                &[TC_BLOCKDATA, 4],
                &data[4..],
            ]
            .concat(),
            [
                &[TC_BLOCKDATA, 0, TC_BLOCKDATA, 3],
                &data[..3],
                &[TC_BLOCKDATA, 5],
                &data[3..],
            ]
            .concat(),
            [&[TC_BLOCKDATALONG, 0, 0, 0, 8], data].concat(),
        ];
        for block in variants {
            let bytes = [head, &block, tail].concat();
            assert_eq!(read_byte_map(&bytes).unwrap(), read_byte_map(ONE).unwrap());
        }
        // More block data than the capacity and size.
        let bytes = [head, &[TC_BLOCKDATA, 9], data, &[0], tail].concat();
        assert_eq!(error_offset(&bytes), at);
    }

    #[test]
    fn accepts_references_to_earlier_arrays() {
        // one.bin with the value replaced by a reference to the key array (handle 0x7E0003).
        let value_at = ONE.len() - 1 - 4 - ONE_VALUE.len() - 6;
        assert_eq!(&ONE[value_at..value_at + 2], [TC_ARRAY, TC_REFERENCE]);
        let bytes = [
            &ONE[..value_at],
            &[TC_REFERENCE, 0, 0x7E, 0, 3, TC_ENDBLOCKDATA],
        ]
        .concat();
        assert_eq!(
            read_byte_map(&bytes).unwrap(),
            vec![(b(ONE_KEY), b(ONE_KEY))]
        );
        // A reference to the map, to the [B desc or to no handle yet is not a byte[].
        for handle in [1u8, 2, 4] {
            let bytes = [
                &ONE[..value_at],
                &[TC_REFERENCE, 0, 0x7E, 0, handle, TC_ENDBLOCKDATA],
            ]
            .concat();
            // An unknown handle is reported at the handle, a wrong one at the reference.
            assert_eq!(error_offset(&bytes), value_at + usize::from(handle == 4));
        }
    }

    #[test]
    fn rejects_with_offsets() {
        let patched = |at: usize, with: &[u8]| {
            let mut bytes = ONE.to_vec();
            bytes[at..at + with.len()].copy_from_slice(with);
            bytes
        };
        assert_eq!(error_offset(&patched(0, &[0xAC, 0xEE])), 0);
        assert_eq!(error_offset(&patched(2, &[0, 4])), 2);
        assert_eq!(error_offset(&patched(4, &[TC_ARRAY])), 4);
        assert_eq!(error_offset(&patched(8, b"J")), 6); // class name
        assert_eq!(error_offset(&patched(0x19, &[0])), 0x19); // serialVersionUID
        assert_eq!(error_offset(&patched(0x21, &[0x02])), 0x21); // flags
        let load_factor = block_at(ONE) - 8;
        assert_eq!(
            error_offset(&patched(load_factor, &[0, 0, 0, 0])),
            load_factor
        );
        assert_eq!(
            error_offset(&patched(load_factor, &[0x7F, 0xC0, 0, 0])),
            load_factor
        );
        assert_eq!(
            error_offset(&patched(load_factor, &[0xBF, 0x40, 0, 0])),
            load_factor
        );
        let size = block_at(ONE) + 6;
        assert!(read_byte_map(&patched(size, &[0xFF, 0xFF, 0xFF, 0xFF])).is_err());
        assert!(read_byte_map(&patched(size, &[0, 0, 0, 2])).is_err());
        let key = size + 4;
        assert_eq!(error_offset(&patched(key, &[TC_OBJECT])), key);
        let key_len = key + 2 + 2 + 2 + 8 + 1 + 2 + 1 + 1;
        assert_eq!(error_offset(&patched(key_len, &[0x80, 0, 0, 0])), key_len);
        assert_eq!(error_offset(&patched(key_len, &[0, 0, 1, 0])), key_len + 4);
        assert_eq!(
            error_offset(&patched(ONE.len() - 1, &[TC_NULL])),
            ONE.len() - 1
        );
        let trailing = [ONE, &[0]].concat();
        assert_eq!(error_offset(&trailing), ONE.len());
        let err = read_byte_map(&[]).unwrap_err();
        assert_eq!(err.offset, 0);
        assert!(err
            .to_string()
            .starts_with("not a Java-serialized HashMap<byte[], byte[]> at byte 0"));
    }

    #[test]
    fn bounds_copies_of_shared_arrays() {
        // One 1000-byte value, then 10 000 keys referring to it: 10 MB out of 50 kB in.
        let n = 10_000u32;
        let mut bytes = write_byte_map(&[(Some(vec![7; 1000]), None)]);
        let size = block_at(&bytes) + 6;
        bytes[size..size + 4].copy_from_slice(&(n + 1).to_be_bytes());
        bytes.truncate(bytes.len() - 2); // TC_NULL, TC_ENDBLOCKDATA
        bytes.push(TC_NULL);
        for _ in 0..n {
            bytes.extend_from_slice(&[TC_REFERENCE, 0, 0x7E, 0, 3, TC_NULL]);
        }
        bytes.push(TC_ENDBLOCKDATA);
        assert!(read_byte_map(&bytes)
            .unwrap_err()
            .message
            .contains("shared arrays"));
        // A few references are fine.
        let mut few = bytes[..size].to_vec();
        few.extend_from_slice(&3u32.to_be_bytes());
        let start = block_at(&bytes) + 10;
        // TC_ARRAY, the [B desc, the length, the bytes; TC_NULL.
        let first = &bytes[start..start + 1 + 18 + 4 + 1000 + 1];
        few.extend_from_slice(first);
        for _ in 0..2 {
            few.extend_from_slice(&[TC_REFERENCE, 0, 0x7E, 0, 3, TC_NULL]);
        }
        few.push(TC_ENDBLOCKDATA);
        assert_eq!(read_byte_map(&few).unwrap().len(), 3);
    }

    #[test]
    fn truncated_or_corrupted_input_never_panics() {
        for fixture in [EMPTY, ONE, MANY, NULLS, SHARED] {
            for len in 0..fixture.len() {
                assert!(
                    read_byte_map(&fixture[..len]).is_err(),
                    "prefix of {len} bytes"
                );
            }
        }
        let mut bytes = ONE.to_vec();
        for at in 0..ONE.len() {
            for byte in 0..=255u8 {
                bytes[at] = byte;
                let _ = read_byte_map(&bytes);
            }
            bytes[at] = ONE[at];
        }
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for fixture in [MANY, NULLS, SHARED] {
            for _ in 0..5_000 {
                let mut bytes = fixture.to_vec();
                for _ in 0..1 + next() % 4 {
                    let at = (next() % bytes.len() as u64) as usize;
                    bytes[at] = next() as u8;
                }
                let _ = read_byte_map(&bytes);
            }
        }
    }

    /// Manual check that Java reads what Ferry writes (CI has no Java). With GenOffsets
    /// compiled to /tmp/genoffsets (see GenOffsets.java):
    /// 1. `cargo test -p connect-runtime --release write_for_java -- --ignored`;
    /// 2. `java -cp /tmp/genoffsets GenOffsets read /tmp/ferry-java-ser/rust.bin | sort` must
    ///    equal `sort /tmp/ferry-java-ser/rust.txt`;
    /// 3. `java -cp /tmp/genoffsets GenOffsets copy /tmp/ferry-java-ser/rust.bin
    ///    /tmp/ferry-java-ser/java-copy.bin` (Java loads and saves it again), then
    ///    `cargo test -p connect-runtime --release check_java_copy -- --ignored`.
    #[test]
    #[ignore = "writes files for a manual check with Java"]
    fn write_for_java() {
        let mut entries = many_entries(40);
        entries.push((None, b(r#"{"position":-1}"#)));
        entries.push((b(r#"["big",{"f":"x"}]"#), Some(vec![b'x'; 70 * 1024])));
        let dir = std::path::Path::new("/tmp/ferry-java-ser");
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("rust.bin"), write_byte_map(&entries)).unwrap();
        let text = |side: &Option<Vec<u8>>| match side {
            Some(bytes) => String::from_utf8(bytes.clone()).unwrap(),
            None => "<null>".to_owned(),
        };
        let txt: String = entries
            .iter()
            .map(|(k, v)| format!("{}\t{}\n", text(k), text(v)))
            .collect();
        std::fs::write(dir.join("rust.txt"), txt).unwrap();
    }

    #[test]
    #[ignore = "needs /tmp/ferry-java-ser/java-copy.bin from GenOffsets copy"]
    fn check_java_copy() {
        let dir = std::path::Path::new("/tmp/ferry-java-ser");
        let java = std::fs::read(dir.join("java-copy.bin")).unwrap();
        let expected = std::fs::read_to_string(dir.join("rust.txt")).unwrap();
        let entries = read_byte_map(&java).unwrap();
        assert_eq!(write_byte_map(&entries), java);
        assert_eq!(sorted(entries), listing(&expected));
    }
}
