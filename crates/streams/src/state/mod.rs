//! State stores: key-value stores in memory or on disk, their record cache and changelogs.

mod builder;
pub(crate) mod cache;
pub(crate) mod core;
pub(crate) mod disk;
mod kv;

pub(crate) use builder::StoreSpec;
pub use builder::{KeyValueBytesStoreSupplier, StoreBuilder, StoreKind, Stores};
pub use kv::KeyValueStore;
