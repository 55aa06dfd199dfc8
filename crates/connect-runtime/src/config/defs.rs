//! The `ConfigDef`s of the keys every connector has, and those of sinks and sources: what
//! configs are parsed and validated against, and what `GET /connector-plugins/{p}/config`
//! and the validate endpoint describe. Groups, order and types are Kafka's; the
//! documentation is Ferry's own.

use connect_api::config::{
    ConfigDef, ConfigKey, ConfigType, Importance, NonEmptyStringWithoutControlChars, Range,
    ValidString, Width,
};

use super::connector::keys::*;

const COMMON: &str = "Common";
const TRANSFORMS: &str = "Transforms";
const PREDICATES: &str = "Predicates";
const ERROR_HANDLING: &str = "Error Handling";
const TOPIC_CREATION: &str = "Topic Creation";

/// A key in `group` at `order`, with its display name and documentation.
fn key(
    name: &str,
    ty: ConfigType,
    group: &str,
    order: i32,
    display: &str,
    documentation: &str,
) -> ConfigKey {
    ConfigKey::new(name, ty)
        .group(group)
        .order_in_group(order)
        .display_name(display)
        .documentation(documentation)
}

/// The keys of every connector (Kafka's `ConnectorConfig`).
pub fn common_def() -> ConfigDef {
    ConfigDef::new()
        .define(
            key(
                NAME,
                ConfigType::String,
                COMMON,
                1,
                "Connector name",
                "The connector's name, unique in the worker or cluster. Tasks are named after it.",
            )
            .validator(NonEmptyStringWithoutControlChars)
            .importance(Importance::High)
            .width(Width::Medium),
        )
        .define(
            key(
                CONNECTOR_CLASS,
                ConfigType::String,
                COMMON,
                2,
                "Connector class",
                "The connector plugin: its fully qualified class name, its simple name, or the \
simple name without the `Connector` suffix (`FileStreamSource`).",
            )
            .importance(Importance::High)
            .width(Width::Long),
        )
        .define(
            key(
                TASKS_MAX,
                ConfigType::Int,
                COMMON,
                3,
                "Tasks max",
                "The most tasks the connector may run; it can choose fewer.",
            )
            .default_value(1)
            .validator(Range::at_least(1))
            .importance(Importance::High)
            .width(Width::Short),
        )
        .define(
            key(
                TASKS_MAX_ENFORCE,
                ConfigType::Boolean,
                COMMON,
                4,
                "Enforce tasks max",
                "Fail the connector when it generates more task configs than tasks.max \
(deprecated in Kafka; kept for compatibility).",
            )
            .default_value(true)
            .importance(Importance::Low)
            .width(Width::Short),
        )
        .define(
            key(
                "key.converter",
                ConfigType::Class,
                COMMON,
                5,
                "Key converter class",
                "How record keys are turned into bytes and back; the worker's key.converter \
when unset.",
            )
            .default_null()
            .importance(Importance::Low)
            .width(Width::Short),
        )
        .define(
            key(
                "value.converter",
                ConfigType::Class,
                COMMON,
                6,
                "Value converter class",
                "How record values are turned into bytes and back; the worker's \
value.converter when unset.",
            )
            .default_null()
            .importance(Importance::Low)
            .width(Width::Short),
        )
        .define(
            key(
                "header.converter",
                ConfigType::Class,
                COMMON,
                7,
                "Header converter class",
                "How header values are turned into bytes and back; the worker's \
header.converter when unset.",
            )
            .default_null()
            .importance(Importance::Low)
            .width(Width::Short),
        )
        .define(
            key(
                "transforms",
                ConfigType::List,
                TRANSFORMS,
                8,
                "Transforms",
                "Aliases of the single message transformations to apply, in order; each is \
configured under transforms.<alias>.",
            )
            .default_value(Vec::<String>::new())
            .importance(Importance::Low)
            .width(Width::Long),
        )
        .define(
            key(
                "predicates",
                ConfigType::List,
                PREDICATES,
                9,
                "Predicates",
                "Aliases of the predicates transformations can be made conditional on; each is \
configured under predicates.<alias>.",
            )
            .default_value(Vec::<String>::new())
            .importance(Importance::Low)
            .width(Width::Long),
        )
        .define(
            key(
                "config.action.reload",
                ConfigType::String,
                COMMON,
                10,
                "Reload action",
                "What to do when a value from a config provider changes: restart the \
connector, or nothing.",
            )
            .default_value("restart")
            .validator(connect_api::config::CaseInsensitiveValidString::one_of([
                "none", "restart",
            ]))
            .importance(Importance::Low)
            .width(Width::Medium),
        )
        .define(
            key(
                ERRORS_RETRY_TIMEOUT,
                ConfigType::Long,
                ERROR_HANDLING,
                1,
                "Retry Timeout for Errors",
                "How long, in milliseconds, a failed operation is retried before the record \
counts as failed: 0 never retries, -1 retries forever.",
            )
            .default_value(0i64)
            .importance(Importance::Medium)
            .width(Width::Medium),
        )
        .define(
            key(
                ERRORS_RETRY_DELAY_MAX_MS,
                ConfigType::Long,
                ERROR_HANDLING,
                2,
                "Maximum Delay Between Retries for Errors",
                "The longest wait, in milliseconds, between two retries; waits grow \
exponentially up to it, with some jitter.",
            )
            .default_value(60_000i64)
            .importance(Importance::Medium)
            .width(Width::Medium),
        )
        .define(
            key(
                ERRORS_TOLERANCE,
                ConfigType::String,
                ERROR_HANDLING,
                3,
                "Error Tolerance",
                "none: the first record that fails a conversion or transformation fails the \
task. all: such records are skipped (and logged or dead-lettered if configured).",
            )
            .default_value("none")
            .validator(ValidString::one_of(["none", "all"]))
            .importance(Importance::Medium)
            .width(Width::Short),
        )
        .define(
            key(
                ERRORS_LOG_ENABLE,
                ConfigType::Boolean,
                ERROR_HANDLING,
                4,
                "Log Errors",
                "Log every failed operation and the record it failed on (without its contents \
unless errors.log.include.messages is set).",
            )
            .default_value(false)
            .importance(Importance::Medium)
            .width(Width::Short),
        )
        .define(
            key(
                ERRORS_LOG_INCLUDE_MESSAGES,
                ConfigType::Boolean,
                ERROR_HANDLING,
                5,
                "Log Error Details",
                "With errors.log.enable, include the failed record's topic, partition, offset, \
key and value in the log.",
            )
            .default_value(false)
            .importance(Importance::Medium)
            .width(Width::Short),
        )
}

/// The dead letter queue keys: Kafka's for sinks, and (a Ferry extension) for sources.
fn dlq_keys() -> [ConfigKey; 3] {
    [
        key(
            DLQ_TOPIC,
            ConfigType::String,
            ERROR_HANDLING,
            6,
            "Dead Letter Queue Topic Name",
            "The topic failed records are written to when errors.tolerance=all; empty means no \
dead letter queue.",
        )
        .default_value("")
        .importance(Importance::Medium)
        .width(Width::Medium),
        key(
            DLQ_REPLICATION_FACTOR,
            ConfigType::Short,
            ERROR_HANDLING,
            7,
            "Dead Letter Queue Topic Replication Factor",
            "The replication factor the dead letter queue topic is created with when it does \
not exist.",
        )
        .default_value(3i16)
        .importance(Importance::Medium)
        .width(Width::Medium),
        key(
            DLQ_CONTEXT_HEADERS,
            ConfigType::Boolean,
            ERROR_HANDLING,
            8,
            "Enable Error Context Headers",
            "Add __connect.errors.* headers saying where and why a record failed to what is \
written to the dead letter queue.",
        )
        .default_value(false)
        .importance(Importance::Medium)
        .width(Width::Medium),
    ]
}

/// The keys of sink connectors (Kafka's `SinkConnectorConfig`).
pub fn sink_def() -> ConfigDef {
    let mut def = common_def()
        .define(
            key(
                TOPICS,
                ConfigType::List,
                COMMON,
                4,
                "Topics",
                "The topics to consume, comma-separated; give this or topics.regex.",
            )
            .default_value(Vec::<String>::new())
            .importance(Importance::High)
            .width(Width::Long),
        )
        .define(
            key(
                TOPICS_REGEX,
                ConfigType::String,
                COMMON,
                4,
                "Topics regex",
                "A Java regular expression: every topic whose whole name matches is consumed; \
give this or topics.",
            )
            .default_value("")
            .importance(Importance::High)
            .width(Width::Long),
        );
    for k in dlq_keys() {
        def = def.define(k);
    }
    def
}

/// The keys of source connectors (Kafka's `SourceConnectorConfig`; the per-group
/// `topic.creation.*` keys are read from the originals). Beyond Kafka, sources take the
/// sinks' `errors.deadletterqueue.*` keys too.
pub fn source_def() -> ConfigDef {
    let mut def = common_def().define(
        key(
            TOPIC_CREATION_GROUPS,
            ConfigType::List,
            TOPIC_CREATION,
            1,
            "Topic Creation Groups",
            "Aliases of topic creation groups besides `default`; each is configured under \
topic.creation.<group>.",
        )
        .default_value(Vec::<String>::new())
        .importance(Importance::Low)
        .width(Width::Long),
    );
    for k in dlq_keys() {
        def = def.define(k);
    }
    def
}
