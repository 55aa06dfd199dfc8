//! Ferry's Kafka clients, the only crate that links librdkafka (through `rdkafka`):
//! producers, consumers and admin clients built from worker and connector configs as Kafka
//! Connect builds them ([`config`]), the native producer on Kafka's wire protocol that source
//! tasks use when it serves their config ([`native`]), the records they carry ([`record`]),
//! and an embedded broker for trying Ferry without installing one ([`embedded`]).

pub mod admin;
pub mod config;
pub mod connect_protocol;
pub mod consumer;
pub mod embedded;
pub mod error;
pub mod group_member;
pub mod group_offsets;
pub mod native;
pub mod producer;
pub mod record;
pub mod topic_log;
pub mod topic_writer;
pub mod wire;

pub use error::KafkaConfigError;
/// The librdkafka bindings, for the Streams runtime's own consumer and producer loops (it is
/// built on this crate's config translation, and so still links librdkafka only here).
pub use rdkafka;
