//! Source offsets: how they are keyed ([`codec`]), where they are kept ([`store`]: memory, or
//! the standalone worker's file in Java serialization, [`java_ser`]), and how tasks read them.

pub mod codec;
pub mod java_ser;
pub mod rest;
pub mod store;

pub use codec::OffsetCodec;
pub use store::{FileOffsetStore, MemoryOffsetStore, OffsetStore};
