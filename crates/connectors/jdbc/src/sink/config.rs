//! `JdbcSinkConfig`: the sink's keys with Confluent's types and defaults, and its checks.

use std::time::Duration;

use connect_api::config::{
    CaseInsensitiveValidString, ConfigDef, ConfigType, Importance, NonEmptyString, ParsedConfig,
    Range, ValidString,
};
use connect_api::plugin::ConfigMap;
use connect_api::{ConnectError, Result};

use crate::calendar;
use crate::common::{connection_keys, connection_spec, key, parse_timezone, DbTimezone};
use crate::db::ConnectionSpec;
use crate::dialect::Quoting;
use crate::sink::epoch::EpochUnit;

/// `insert.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InsertMode {
    /// Plain `INSERT`.
    Insert,
    /// Insert, or update the row with the same key.
    Upsert,
    /// `UPDATE` by key only.
    Update,
}

/// `pk.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PkMode {
    /// No key columns.
    None,
    /// `__connect_topic`, `__connect_partition`, `__connect_offset`.
    Kafka,
    /// From the record key.
    RecordKey,
    /// From the record value.
    RecordValue,
}

impl PkMode {
    /// The name as users write it.
    pub fn name(self) -> &'static str {
        match self {
            PkMode::None => "none",
            PkMode::Kafka => "kafka",
            PkMode::RecordKey => "record_key",
            PkMode::RecordValue => "record_value",
        }
    }
}

/// The sink connector's config definition.
pub fn config_def() -> ConfigDef {
    let mut def = ConfigDef::new();
    for k in connection_keys(true) {
        def = def.define(k);
    }
    def.define(
        key("insert.mode", ConfigType::String, "The insertion mode to use: insert, upsert or update.")
            .default_value("insert")
            .validator(CaseInsensitiveValidString::one_of(["insert", "upsert", "update"]))
            .importance(Importance::High),
    )
    .define(
        key("batch.size", ConfigType::Int, "Specifies how many records to attempt to batch together for insertion into the destination table, when possible.")
            .default_value(3000)
            .validator(Range::at_least(0))
            .importance(Importance::Medium),
    )
    .define(
        key("delete.enabled", ConfigType::Boolean, "Whether to treat null record values as deletes. Requires pk.mode to be record_key.")
            .default_value(false)
            .importance(Importance::Medium),
    )
    .define(
        key("table.types", ConfigType::List, "The table types the connector may write to: TABLE, PARTITIONED_TABLE, VIEW.")
            .default_value(vec!["TABLE".to_string()])
            .importance(Importance::Low),
    )
    .define(
        key("replace.null.with.default", ConfigType::Boolean, "Whether to write a field's default value when the field is null.")
            .default_value(true)
            .importance(Importance::Low),
    )
    .define(
        key("table.name.format", ConfigType::String, "A format string for the destination table name, which may contain '${topic}' as a placeholder for the originating topic name.")
            .default_value("${topic}")
            .validator(NonEmptyString)
            .importance(Importance::Medium),
    )
    .define(
        key("pk.mode", ConfigType::String, "The primary key mode: none, kafka, record_key or record_value.")
            .default_value("none")
            .validator(CaseInsensitiveValidString::one_of(["none", "kafka", "record_key", "record_value"]))
            .importance(Importance::High),
    )
    .define(
        key("pk.fields", ConfigType::List, "List of comma-separated primary key field names; their meaning depends on pk.mode.")
            .default_value(Vec::<String>::new())
            .importance(Importance::Medium),
    )
    .define(
        key("fields.whitelist", ConfigType::List, "List of comma-separated record value field names. If empty, all fields from the record value are used.")
            .default_value(Vec::<String>::new())
            .importance(Importance::Medium),
    )
    .define(
        key("db.timezone", ConfigType::String, "Time zone zone-less time values are written in: UTC, a fixed offset such as +02:00, or a region such as Europe/Paris.")
            .default_value("UTC")
            .importance(Importance::Medium),
    )
    .define(
        key("date.timezone", ConfigType::String, "Time zone dates are written in: DB_TIMEZONE or UTC.")
            .default_value("DB_TIMEZONE")
            .validator(CaseInsensitiveValidString::one_of(["DB_TIMEZONE", "UTC"]))
            .importance(Importance::Medium),
    )
    .define(
        key("auto.create", ConfigType::Boolean, "Whether to automatically create the destination table based on record schema if it is found to be missing by issuing CREATE.")
            .default_value(false)
            .importance(Importance::Medium),
    )
    .define(
        key("auto.evolve", ConfigType::Boolean, "Whether to automatically add columns in the table schema when found to be missing relative to the record schema by issuing ALTER.")
            .default_value(false)
            .importance(Importance::Medium),
    )
    .define(
        key("quote.sql.identifiers", ConfigType::String, "When to quote table names, column names and other identifiers: always or never.")
            .default_value("ALWAYS")
            .validator(CaseInsensitiveValidString::one_of(["always", "never"]))
            .importance(Importance::Medium),
    )
    .define(
        key("mssql.use.merge.holdlock", ConfigType::Boolean, "Whether to use HOLDLOCK when performing a MERGE INTO upsert statement (SQL Server only).")
            .default_value(true)
            .importance(Importance::Low),
    )
    .define(
        key("max.retries", ConfigType::Int, "The maximum number of times to retry on errors before failing the task.")
            .default_value(10)
            .validator(Range::at_least(0))
            .importance(Importance::Medium),
    )
    .define(
        key("retry.backoff.ms", ConfigType::Int, "The time in milliseconds to wait following an error before a retry attempt is made.")
            .default_value(3000)
            .validator(Range::at_least(0))
            .importance(Importance::Medium),
    )
    .define(
        key("timestamp.precision.mode", ConfigType::String, "What the numbers of timestamp.fields.list count since the epoch: microseconds or nanoseconds.")
            .default_value("microseconds")
            .validator(CaseInsensitiveValidString::one_of(EpochUnit::NAMES))
            .importance(Importance::Medium),
    )
    .define(
        key("timestamp.fields.list", ConfigType::List, "Record value fields (INT64, or the number as a string) holding epoch microseconds or nanoseconds (timestamp.precision.mode), written as timestamps.")
            .default_value(Vec::<String>::new())
            .importance(Importance::Medium),
    )
    .define(
        key("date.calendar.system", ConfigType::String, "The calendar of dates before 1582-10-15: LEGACY (Julian, as Java's JDBC drivers write them) or PROLEPTIC_GREGORIAN.")
            .default_value("LEGACY")
            .validator(ValidString::one_of(calendar::NAMES))
            .importance(Importance::Low),
    )
    .define(
        key("string.output.value.column.name", ConfigType::String, "The column a string record value (StringConverter) is written to.")
            .default_value("record_value")
            .validator(NonEmptyString)
            .importance(Importance::Low),
    )
    .define(
        key("trim.sensitive.log", ConfigType::Boolean, "Whether to trim record contents from the logs of failed statements.")
            .default_value(false)
            .importance(Importance::Low),
    )
}

/// The parsed sink config.
#[derive(Debug, Clone)]
pub struct SinkConfig {
    /// The connector's name (for messages).
    pub name: String,
    /// `timestamp.fields.list`.
    pub timestamp_fields: Vec<String>,
    /// `timestamp.precision.mode`.
    pub timestamp_precision: EpochUnit,
    /// `date.calendar.system=LEGACY`.
    pub legacy_calendar: bool,
    /// `string.output.value.column.name`.
    pub string_value_column: String,
    /// How to connect.
    pub connection: ConnectionSpec,
    /// `insert.mode`.
    pub insert_mode: InsertMode,
    /// `batch.size` (0: one batch per `put`).
    pub batch_size: usize,
    /// `delete.enabled`.
    pub delete_enabled: bool,
    /// `table.types`.
    pub table_types: Vec<String>,
    /// `replace.null.with.default`.
    pub replace_null_with_default: bool,
    /// `table.name.format`.
    pub table_name_format: String,
    /// `pk.mode`.
    pub pk_mode: PkMode,
    /// `pk.fields`.
    pub pk_fields: Vec<String>,
    /// `fields.whitelist`.
    pub fields_whitelist: Vec<String>,
    /// `db.timezone`.
    pub timezone: DbTimezone,
    /// Whether dates are written in UTC (`date.timezone=UTC`) rather than `db.timezone`.
    pub date_utc: bool,
    /// `auto.create`.
    pub auto_create: bool,
    /// `auto.evolve`.
    pub auto_evolve: bool,
    /// `quote.sql.identifiers`.
    pub quoting: Quoting,
    /// `max.retries`.
    pub max_retries: u32,
    /// `retry.backoff.ms`.
    pub retry_backoff: Duration,
}

impl SinkConfig {
    /// Parses and checks a connector (or task) config. Errors name the key and its value.
    pub fn parse(raw: &ConfigMap) -> Result<SinkConfig> {
        let p: ParsedConfig = config_def().parse(raw)?;
        let lower =
            |k: &str| -> Result<String> { Ok(p.get_string(k)?.trim().to_ascii_lowercase()) };
        let insert_mode = match lower("insert.mode")?.as_str() {
            "upsert" => InsertMode::Upsert,
            "update" => InsertMode::Update,
            _ => InsertMode::Insert,
        };
        let pk_mode = match lower("pk.mode")?.as_str() {
            "kafka" => PkMode::Kafka,
            "record_key" => PkMode::RecordKey,
            "record_value" => PkMode::RecordValue,
            _ => PkMode::None,
        };
        let delete_enabled = p.get_bool("delete.enabled")?;
        if delete_enabled && pk_mode != PkMode::RecordKey {
            return Err(ConnectError::config(
                "pk.mode",
                pk_mode.name(),
                "Primary key mode must be 'record_key' when delete support is enabled",
            ));
        }
        let clean = |k: &str| -> Result<Vec<String>> {
            Ok(p.get_list(k)?
                .iter()
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect())
        };
        let non_negative =
            |k: &str| -> Result<u32> { Ok(u32::try_from(p.get_int(k)?).unwrap_or(0)) };
        let precision = p.get_string("timestamp.precision.mode")?;
        let timestamp_precision = EpochUnit::parse(precision).ok_or_else(|| {
            ConnectError::config(
                "timestamp.precision.mode",
                precision,
                "must be microseconds or nanoseconds".to_string(),
            )
        })?;
        Ok(SinkConfig {
            name: raw.get("name").cloned().unwrap_or_default(),
            timestamp_fields: clean("timestamp.fields.list")?,
            timestamp_precision,
            legacy_calendar: calendar::parse_legacy(p.get_string("date.calendar.system")?)
                .unwrap_or(true),
            string_value_column: p
                .get_string("string.output.value.column.name")?
                .trim()
                .to_string(),
            connection: connection_spec(&p)?,
            insert_mode,
            batch_size: usize::try_from(p.get_int("batch.size")?).unwrap_or(0),
            delete_enabled,
            table_types: p.get_list("table.types")?.to_vec(),
            replace_null_with_default: p.get_bool("replace.null.with.default")?,
            table_name_format: p.get_string("table.name.format")?.to_string(),
            pk_mode,
            pk_fields: clean("pk.fields")?,
            fields_whitelist: clean("fields.whitelist")?,
            timezone: parse_timezone("db.timezone", p.get_string("db.timezone")?)?,
            date_utc: lower("date.timezone")? == "utc",
            auto_create: p.get_bool("auto.create")?,
            auto_evolve: p.get_bool("auto.evolve")?,
            quoting: Quoting::parse(p.get_string("quote.sql.identifiers")?).unwrap_or_default(),
            max_retries: non_negative("max.retries")?,
            retry_backoff: Duration::from_millis(u64::from(non_negative("retry.backoff.ms")?)),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn cfg(pairs: &[(&str, &str)]) -> ConfigMap {
        crate::common::config_map(
            &[
                ("connection.url", "jdbc:sqlite:/tmp/x.db"),
                ("name", "sink"),
            ],
            pairs,
        )
    }

    #[test]
    fn defaults_match_confluent() {
        assert!(config_def().definition_errors().is_empty());
        let c = SinkConfig::parse(&cfg(&[])).unwrap();
        assert_eq!(c.insert_mode, InsertMode::Insert);
        assert_eq!(c.pk_mode, PkMode::None);
        assert_eq!(c.batch_size, 3000);
        assert_eq!(c.max_retries, 10);
        assert_eq!(c.retry_backoff, Duration::from_secs(3));
        assert_eq!(c.table_name_format, "${topic}");
        assert!(!c.auto_create && !c.auto_evolve && !c.delete_enabled);
    }

    #[test]
    fn checks_name_the_key_and_value() {
        let e = SinkConfig::parse(&cfg(&[
            ("delete.enabled", "true"),
            ("pk.mode", "record_value"),
        ]))
        .unwrap_err();
        assert!(
            e.to_string().contains("pk.mode") && e.to_string().contains("record_key"),
            "{e}"
        );
        let e = SinkConfig::parse(&cfg(&[("insert.mode", "merge")])).unwrap_err();
        assert!(
            e.to_string().contains("insert.mode") && e.to_string().contains("merge"),
            "{e}"
        );
        let mut no_url = cfg(&[]);
        no_url.remove("connection.url");
        let e = SinkConfig::parse(&no_url).unwrap_err();
        assert!(e.to_string().contains("connection.url"), "{e}");
        let c = SinkConfig::parse(&cfg(&[
            ("pk.mode", "RECORD_KEY"),
            ("delete.enabled", "true"),
        ]))
        .unwrap();
        assert_eq!(c.pk_mode, PkMode::RecordKey);
    }
}
