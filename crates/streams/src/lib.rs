//! Ferry Streams: Kafka Streams in Rust.
//!
//! Build a [`Topology`] with the DSL ([`StreamsBuilder`], [`KStream`], [`KTable`],
//! [`GlobalKTable`]) or the Processor API ([`Processor`], [`Topology::add_processor`]); run it
//! against a broker with [`KafkaStreams`], or without one in tests with
//! [`TopologyTestDriver`]. Names, configs, internal topics and byte formats are Kafka's, so a
//! Ferry application can take over a Java application's topics, changelogs and consumer group.

pub mod config;
pub mod driver;
pub mod dsl;
pub mod error;
pub mod processor;
pub mod record;
pub mod runtime;
pub mod serde;
pub mod state;
pub mod task;
pub mod topology;

pub use config::{ProcessingGuarantee, StreamsConfig};
pub use driver::{TestInputTopic, TestOutputTopic, TopologyTestDriver};
pub use dsl::{
    Branched, BranchedKStream, Change, Consumed, GlobalKTable, Grouped, Joined, KGroupedStream,
    KStream, KTable, Materialized, Produced, Repartitioned, StreamsBuilder,
};
pub use error::{Result, SerdeError, StreamsError};
pub use processor::{Cancellable, Processor, ProcessorContext, ProcessorSupplier, PunctuationType};
pub use record::{Headers, Record, RecordMetadata};
pub use runtime::{KafkaStreams, Metrics, State};
pub use serde::{Serde, SerdeRef, Serdes};
pub use state::{KeyValueStore, StoreBuilder, Stores};
pub use task::TaskId;
pub use topology::{Topology, TopologyDescription};
