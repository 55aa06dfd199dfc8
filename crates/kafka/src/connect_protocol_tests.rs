#![allow(clippy::unwrap_used)]

use super::*;

/// Bytes assembled field by field from Kafka's schemas (`ConnectProtocol`,
/// `IncrementalCooperativeConnectProtocol`), independently of the encoder under test.
struct Bytes(Vec<u8>);

impl Bytes {
    fn new() -> Self {
        Bytes(Vec::new())
    }
    fn i16(mut self, v: i16) -> Self {
        self.0.extend(v.to_be_bytes());
        self
    }
    fn i32(mut self, v: i32) -> Self {
        self.0.extend(v.to_be_bytes());
        self
    }
    fn i64(mut self, v: i64) -> Self {
        self.0.extend(v.to_be_bytes());
        self
    }
    fn str(self, s: &str) -> Self {
        let mut b = self.i16(s.len() as i16);
        b.0.extend(s.as_bytes());
        b
    }
    fn raw(mut self, bytes: &[u8]) -> Self {
        self.0.extend(bytes);
        self
    }
}

fn assignment_v1() -> Assignment {
    Assignment {
        version: PROTOCOL_V1,
        error: NO_ERROR,
        leader: "connect-1-7b1c".into(),
        leader_url: "http://w1:8083/".into(),
        config_offset: 42,
        assigned: vec![
            ConnectorAssignment {
                connector: "file-source".into(),
                tasks: vec![CONNECTOR_TASK, 0],
            },
            ConnectorAssignment {
                connector: "file-sink".into(),
                tasks: vec![1],
            },
        ],
        revoked: vec![ConnectorAssignment {
            connector: "file-sink".into(),
            tasks: vec![0],
        }],
        delay_ms: 5000,
    }
}

fn assignment_v1_bytes() -> Vec<u8> {
    Bytes::new()
        .i16(1) // version
        .i16(0) // error
        .str("connect-1-7b1c")
        .str("http://w1:8083/")
        .i64(42)
        .i32(2) // assignment
        .str("file-source")
        .i32(2)
        .i32(-1)
        .i32(0)
        .str("file-sink")
        .i32(1)
        .i32(1)
        .i32(1) // revoked
        .str("file-sink")
        .i32(1)
        .i32(0)
        .i32(5000) // scheduled delay
        .0
}

#[test]
fn an_incremental_assignment_has_kafkas_bytes() {
    assert_eq!(assignment_v1().encode(), assignment_v1_bytes());
    assert_eq!(
        Assignment::decode(&assignment_v1_bytes()).unwrap(),
        assignment_v1()
    );
}

#[test]
fn an_eager_assignment_has_no_revocations_or_delay() {
    let bytes = Bytes::new()
        .i16(0)
        .i16(1) // CONFIG_MISMATCH
        .str("leader")
        .str("http://l:8083/")
        .i64(-1)
        .i32(0)
        .0;
    let a = Assignment::decode(&bytes).unwrap();
    assert_eq!(a.error, CONFIG_MISMATCH);
    assert!(a.assigned.is_empty() && a.revoked.is_empty());
    assert_eq!(a.delay_ms, 0);
    assert_eq!(a.encode(), bytes);
}

#[test]
fn missing_trailing_fields_and_null_arrays_read_as_defaults() {
    // a V1 assignment that ends after its assignment array, and one with a null revoked array
    let short = Bytes::new().i16(1).i16(0).str("l").str("u").i64(3).i32(0).0;
    let a = Assignment::decode(&short).unwrap();
    assert_eq!((a.revoked.len(), a.delay_ms), (0, 0));
    let null_revoked = Bytes::new()
        .i16(1)
        .i16(0)
        .str("l")
        .str("u")
        .i64(3)
        .i32(-1)
        .i32(-1)
        .i32(10)
        .0;
    let a = Assignment::decode(&null_revoked).unwrap();
    assert!(a.assigned.is_empty());
    assert_eq!(a.delay_ms, 10);
}

#[test]
fn member_metadata_of_each_version() {
    let v0 = Bytes::new().i16(0).str("http://w2:8083/").i64(17).0;
    let m = WorkerMetadata::decode(&v0).unwrap();
    assert_eq!(
        m,
        WorkerMetadata {
            version: PROTOCOL_V0,
            url: "http://w2:8083/".into(),
            config_offset: 17,
            allocation: None,
        }
    );
    assert_eq!(m.encode(), v0);

    // compatible/sessioned: the current assignment rides along as nullable bytes
    let allocation = assignment_v1_bytes();
    let v2 = Bytes::new()
        .i16(2)
        .str("http://w1:8083/")
        .i64(42)
        .i32(allocation.len() as i32)
        .raw(&allocation)
        .0;
    let m = WorkerMetadata::decode(&v2).unwrap();
    assert_eq!(m.version, PROTOCOL_V2);
    assert_eq!(m.allocation, Some(assignment_v1()));
    assert_eq!(m.encode(), v2);

    let none = Bytes::new().i16(1).str("u").i64(0).i32(-1).0;
    let m = WorkerMetadata::decode(&none).unwrap();
    assert_eq!(m.allocation, None);
    assert_eq!(m.encode(), none);
}

#[test]
fn truncated_or_invalid_bytes_are_errors_not_panics() {
    let full = assignment_v1_bytes();
    for cut in [0, 1, 3, 10, 30] {
        assert!(Assignment::decode(&full[..cut]).is_err(), "cut at {cut}");
    }
    let err = Assignment::decode(&Bytes::new().i16(-3).0).unwrap_err();
    assert!(err.to_string().contains("version -3"), "{err}");
    let err = WorkerMetadata::decode(&Bytes::new().i16(0).i16(-5).0).unwrap_err();
    assert!(err.to_string().contains("negative length"), "{err}");
    // a huge declared length does not allocate or panic
    let err =
        WorkerMetadata::decode(&Bytes::new().i16(1).str("u").i64(0).i32(i32::MAX).0).unwrap_err();
    assert!(err.to_string().contains("allocation"), "{err}");
}
