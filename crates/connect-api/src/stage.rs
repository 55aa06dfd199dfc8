//! Where in a task a record failed: Kafka's `org.apache.kafka.connect.runtime.errors.Stage`,
//! shared by the transformation chain and the runtime's converter and task stages.

use std::fmt;

/// Kafka's `org.apache.kafka.connect.runtime.errors.Stage`: where in a task a record failed.
/// Its [`name`](Stage::name) is what the `__connect.errors.stage` dead-letter header carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// The key converter.
    KeyConverter,
    /// The value converter.
    ValueConverter,
    /// The header converter.
    HeaderConverter,
    /// A transformation or its predicate (Kafka has no separate predicate stage).
    Transformation,
    /// The sink task's `put`.
    TaskPut,
    /// The source task's `poll`.
    TaskPoll,
    /// Producing to Kafka.
    KafkaProduce,
    /// Consuming from Kafka.
    KafkaConsume,
}

impl Stage {
    /// Kafka's enum constant name (`TRANSFORMATION`, `KEY_CONVERTER`, …).
    pub fn name(self) -> &'static str {
        match self {
            Stage::KeyConverter => "KEY_CONVERTER",
            Stage::ValueConverter => "VALUE_CONVERTER",
            Stage::HeaderConverter => "HEADER_CONVERTER",
            Stage::Transformation => "TRANSFORMATION",
            Stage::TaskPut => "TASK_PUT",
            Stage::TaskPoll => "TASK_POLL",
            Stage::KafkaProduce => "KAFKA_PRODUCE",
            Stage::KafkaConsume => "KAFKA_CONSUME",
        }
    }
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
