//! `JdbcSourceConnectorConfig`: the source's keys with Confluent's types and defaults, and
//! the checks that span keys.

use std::time::Duration;

use connect_api::config::{
    CaseInsensitiveValidString, ConfigDef, ConfigType, Importance, ParsedConfig, Range, ValidString,
};
use connect_api::plugin::ConfigMap;
use connect_api::{ConnectError, Result};

use crate::calendar;
use crate::common::{connection_keys, connection_spec, key, parse_timezone, DbTimezone};
use crate::db::catalog::TableId;
use crate::db::isolation::Isolation;
use crate::db::ConnectionSpec;
use crate::dialect::Quoting;
use crate::granularity::Granularity;
use crate::schema::NumericMapping;
use crate::source::mappings::{self, ColumnMapping};

/// `mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Every poll reads the whole table.
    Bulk,
    /// New rows by a strictly increasing column.
    Incrementing,
    /// New and changed rows by timestamp columns.
    Timestamp,
    /// Timestamp, with an incrementing column to order rows with equal timestamps.
    TimestampIncrementing,
}

impl Mode {
    /// Whether the mode reads an incrementing column.
    pub fn uses_incrementing(self) -> bool {
        matches!(self, Mode::Incrementing | Mode::TimestampIncrementing)
    }

    /// Whether the mode reads timestamp columns.
    pub fn uses_timestamp(self) -> bool {
        matches!(self, Mode::Timestamp | Mode::TimestampIncrementing)
    }
}

const MODES: [&str; 5] = [
    "",
    "bulk",
    "timestamp",
    "incrementing",
    "timestamp+incrementing",
];

/// The task-only key listing the task's tables (quoted, comma-separated).
pub const TABLES_CONFIG: &str = "tables";
/// The task-only key saying the table list was read before the task was configured.
pub const TABLES_FETCHED_CONFIG: &str = "tables.fetched";

/// The source connector's config definition.
pub fn config_def() -> ConfigDef {
    let mut def = ConfigDef::new();
    for k in connection_keys(false) {
        def = def.define(k);
    }
    def.define(
        key("table.whitelist", ConfigType::List, "List of tables to include in copying. If specified, table.blacklist may not be set.")
            .default_value(Vec::<String>::new())
            .importance(Importance::Medium),
    )
    .define(
        key("table.blacklist", ConfigType::List, "List of tables to exclude from copying. If specified, table.whitelist may not be set.")
            .default_value(Vec::<String>::new())
            .importance(Importance::Medium),
    )
    .define(
        key("table.include.list", ConfigType::List, "Regular expressions over fully qualified table names of the tables to copy.")
            .default_value(Vec::<String>::new())
            .importance(Importance::Medium),
    )
    .define(
        key("table.exclude.list", ConfigType::List, "Regular expressions over fully qualified table names of the tables not to copy; needs table.include.list.")
            .default_value(Vec::<String>::new())
            .importance(Importance::Medium),
    )
    .define(
        key("catalog.pattern", ConfigType::String, "Catalog pattern to fetch table metadata from the database.")
            .default_null()
            .importance(Importance::Medium),
    )
    .define(
        key("schema.pattern", ConfigType::String, "Schema pattern to fetch table metadata from the database.")
            .default_null()
            .importance(Importance::Medium),
    )
    .define(
        key("numeric.precision.mapping", ConfigType::Boolean, "Deprecated: use numeric.mapping=precision_only.")
            .default_value(false)
            .importance(Importance::Low),
    )
    .define(
        key("numeric.mapping", ConfigType::String, "Map NUMERIC values by precision and optionally scale to integral or decimal types: none, precision_only, best_fit or best_fit_eager_double.")
            .default_null()
            .importance(Importance::Low),
    )
    .define(
        key("mode", ConfigType::String, "The mode for updating a table each time it is polled: bulk, incrementing, timestamp or timestamp+incrementing.")
            .default_value("")
            .validator(CaseInsensitiveValidString::one_of(MODES))
            .importance(Importance::High),
    )
    .define(
        key("incrementing.column.name", ConfigType::String, "The name of the strictly incrementing column to use to detect new rows (empty: autodetect an auto-increment column).")
            .default_value("")
            .importance(Importance::Medium),
    )
    .define(
        key("timestamp.column.name", ConfigType::List, "Comma separated list of timestamp columns; the first non-null value of each row is its timestamp.")
            .default_value(Vec::<String>::new())
            .importance(Importance::Medium),
    )
    .define(
        key("timestamp.columns.mapping", ConfigType::List, "Timestamp columns per table, with table.include.list: entries regex:[col1|col2|...], the regex matching a table's fully qualified name.")
            .default_value(Vec::<String>::new())
            .importance(Importance::Medium),
    )
    .define(
        key("incrementing.column.mapping", ConfigType::List, "The incrementing column per table, with table.include.list: entries regex:column, the regex matching a table's fully qualified name.")
            .default_value(Vec::<String>::new())
            .importance(Importance::Medium),
    )
    .define(
        key("timestamp.initial", ConfigType::Long, "Epoch milliseconds to start from when no offset is stored (-1: the database's current time; unset: all rows).")
            .default_null()
            .importance(Importance::Low),
    )
    .define(
        key("validate.non.null", ConfigType::Boolean, "Check that the incrementing and timestamp columns are NOT NULL.")
            .default_value(true)
            .importance(Importance::Low),
    )
    .define(
        key("query", ConfigType::String, "A custom query to run instead of copying whole tables; it must accept an appended WHERE clause.")
            .default_value("")
            .importance(Importance::Medium),
    )
    .define(
        key("query.masked", ConfigType::Password, "The same as query, hidden in logs and REST answers.")
            .default_null()
            .importance(Importance::Medium),
    )
    .define(
        key("quote.sql.identifiers", ConfigType::String, "When to quote table names, column names and other identifiers: always or never.")
            .default_value("ALWAYS")
            .validator(CaseInsensitiveValidString::one_of(["always", "never"]))
            .importance(Importance::Medium),
    )
    .define(
        key("query.suffix", ConfigType::String, "Suffix appended to the generated query.")
            .default_value("")
            .importance(Importance::Low),
    )
    .define(
        key("transaction.isolation.mode", ConfigType::String, "Isolation level of the source's queries.")
            .default_value("DEFAULT")
            .validator(CaseInsensitiveValidString::one_of(Isolation::NAMES))
            .importance(Importance::Low),
    )
    .define(
        key("query.retry.attempts", ConfigType::Int, "Times a failed query is retried (-1: without limit).")
            .default_value(-1)
            .importance(Importance::Low),
    )
    .define(
        key("table.types", ConfigType::List, "Table types to copy: TABLE, VIEW, PARTITIONED TABLE, MATERIALIZED VIEW.")
            .default_value(vec!["TABLE".to_string()])
            .importance(Importance::Low),
    )
    .define(
        key("poll.interval.ms", ConfigType::Int, "Frequency in ms to poll for new data in each table.")
            .default_value(5000)
            .importance(Importance::High),
    )
    .define(
        key("batch.max.rows", ConfigType::Int, "Maximum number of rows to include in a single batch when polling for new data.")
            .default_value(1000)
            .importance(Importance::Low),
    )
    .define(
        key("max.buffer.size", ConfigType::Int, "Rows read ahead of the polls, at most (0: four times batch.max.rows).")
            .default_value(0)
            .validator(Range::at_least(0))
            .importance(Importance::Low),
    )
    .define(
        key("poll.linger.ms", ConfigType::Long, "How long a poll that finds no rows read ahead waits for them (until batch.max.rows arrived).")
            .default_value(5000i64)
            .validator(Range::at_least(0i64))
            .importance(Importance::Low),
    )
    .define(
        key("table.poll.interval.ms", ConfigType::Long, "Frequency in ms to poll for new or removed tables.")
            .default_value(60000i64)
            .importance(Importance::Low),
    )
    .define(
        key("topic.prefix", ConfigType::String, "Prefix to prepend to table names to generate the name of the Kafka topic to publish data to, or in the case of a custom query, the full name of the topic.")
            .default_value("")
            .importance(Importance::High),
    )
    .define(
        key("timestamp.delay.interval.ms", ConfigType::Long, "How long to wait after a row with a certain timestamp appears before including it in the result.")
            .default_value(0i64)
            .validator(Range::at_least(0i64))
            .importance(Importance::High),
    )
    .define(
        key("db.timezone", ConfigType::String, "Time zone of zone-less timestamp columns and of the timestamp criteria: UTC, an offset such as +02:00, or a region such as Europe/Paris.")
            .default_value("UTC")
            .importance(Importance::Medium),
    )
    .define(
        key("date.calendar.system", ConfigType::String, "The calendar of dates before 1582-10-15: LEGACY (Julian, as Java's JDBC drivers read them) or PROLEPTIC_GREGORIAN.")
            .default_value("LEGACY")
            .validator(ValidString::one_of(calendar::NAMES))
            .importance(Importance::Low),
    )
    .define(
        key("timestamp.granularity", ConfigType::String, "How timestamp columns are represented: connect_logical (Connect's Timestamp), micros_long, micros_string, micros_iso_datetime_string, nanos_long, nanos_string or nanos_iso_datetime_string.")
            .default_value("connect_logical")
            .validator(CaseInsensitiveValidString::one_of(Granularity::NAMES))
            .importance(Importance::Low),
    )
}

/// The parsed source config.
#[derive(Debug, Clone)]
pub struct SourceConfig {
    /// How to connect.
    pub connection: ConnectionSpec,
    /// `mode`.
    pub mode: Mode,
    /// `query` (or `query.masked`); empty in table mode.
    pub query: String,
    /// Whether the query came from `query.masked` (never logged).
    pub query_masked: bool,
    /// `table.whitelist`.
    pub whitelist: Vec<String>,
    /// `table.blacklist`.
    pub blacklist: Vec<String>,
    /// `table.include.list`, compiled.
    pub include: Vec<regex::Regex>,
    /// `table.exclude.list`, compiled.
    pub exclude: Vec<regex::Regex>,
    /// `catalog.pattern` (`None`: unset).
    pub catalog_pattern: Option<String>,
    /// `schema.pattern`.
    pub schema_pattern: Option<String>,
    /// `table.types`.
    pub table_types: Vec<String>,
    /// `incrementing.column.name` (empty: autodetect).
    pub incrementing_column: String,
    /// `timestamp.column.name`.
    pub timestamp_columns: Vec<String>,
    /// `timestamp.columns.mapping` (used with `table.include.list`).
    pub timestamp_mapping: ColumnMapping<Vec<String>>,
    /// `incrementing.column.mapping` (used with `table.include.list`).
    pub incrementing_mapping: ColumnMapping<String>,
    /// `timestamp.initial`.
    pub timestamp_initial: Option<i64>,
    /// `max.buffer.size` (0: four times `batch.max.rows`).
    pub max_buffer_size: usize,
    /// `poll.linger.ms`.
    pub poll_linger: Duration,
    /// `timestamp.delay.interval.ms`.
    pub timestamp_delay: Duration,
    /// `validate.non.null`.
    pub validate_non_null: bool,
    /// `numeric.mapping` (or the deprecated `numeric.precision.mapping`).
    pub numeric_mapping: NumericMapping,
    /// `timestamp.granularity`.
    pub granularity: Granularity,
    /// `date.calendar.system=LEGACY`.
    pub legacy_calendar: bool,
    /// `quote.sql.identifiers`.
    pub quoting: Quoting,
    /// `query.suffix`.
    pub query_suffix: String,
    /// `query.retry.attempts`.
    pub query_retry_attempts: i32,
    /// `poll.interval.ms`.
    pub poll_interval: Duration,
    /// `batch.max.rows` (at least 1).
    pub batch_max_rows: usize,
    /// `table.poll.interval.ms`.
    pub table_poll_interval: Duration,
    /// `topic.prefix`, trimmed.
    pub topic_prefix: String,
    /// `db.timezone`.
    pub timezone: DbTimezone,
}

fn issue(key: &str, value: impl std::fmt::Display, message: impl Into<String>) -> ConnectError {
    ConnectError::config(key, value.to_string(), message.into())
}

impl SourceConfig {
    /// Parses and checks a connector (or task) config. Errors name the key and its value.
    pub fn parse(raw: &ConfigMap) -> Result<SourceConfig> {
        let p: ParsedConfig = config_def().parse(raw)?;
        let mut connection = connection_spec(&p)?;
        let isolation = p.get_string("transaction.isolation.mode")?;
        connection.isolation = Isolation::parse(isolation).ok_or_else(|| {
            ConnectError::config(
                "transaction.isolation.mode",
                isolation,
                format!("must be one of {}", Isolation::NAMES.join(", ")),
            )
        })?;
        let mode_text = p.get_string("mode")?.to_ascii_lowercase();
        let mode = match mode_text.as_str() {
            "bulk" => Mode::Bulk,
            "incrementing" => Mode::Incrementing,
            "timestamp" => Mode::Timestamp,
            "timestamp+incrementing" => Mode::TimestampIncrementing,
            _ => {
                return Err(issue(
                    "mode",
                    &mode_text,
                    "The mode must be set to one of bulk, incrementing, timestamp or \
timestamp+incrementing",
                ))
            }
        };
        let (query, query_masked) = match p.get_raw("query.masked")? {
            Some(_) if !p.is_null("query.masked")? => {
                (p.get_password("query.masked")?.value().to_string(), true)
            }
            _ => (p.get_string("query")?.to_string(), false),
        };
        let whitelist = p.get_list("table.whitelist")?.to_vec();
        let blacklist = p.get_list("table.blacklist")?.to_vec();
        let include_text = p.get_list("table.include.list")?.to_vec();
        let exclude_text = p.get_list("table.exclude.list")?.to_vec();
        if !whitelist.is_empty() && !blacklist.is_empty() {
            return Err(issue(
                "table.blacklist",
                blacklist.join(","),
                "Legacy table filtering configurations are mutually exclusive. Cannot use both \
table.whitelist and table.blacklist together.",
            ));
        }
        if !exclude_text.is_empty() && include_text.is_empty() {
            return Err(issue(
                "table.exclude.list",
                exclude_text.join(","),
                "table.exclude.list cannot be used without table.include.list.",
            ));
        }
        if (!whitelist.is_empty() || !blacklist.is_empty()) && !include_text.is_empty() {
            return Err(issue(
                "table.include.list",
                include_text.join(","),
                "Table filtering configurations are mutually exclusive. Cannot use \
table.whitelist/table.blacklist together with table.include.list/table.exclude.list.",
            ));
        }
        let any_filter = !whitelist.is_empty() || !blacklist.is_empty() || !include_text.is_empty();
        if !query.trim().is_empty() && any_filter {
            return Err(issue(
                "query",
                if query_masked {
                    "[hidden]".to_string()
                } else {
                    query.clone()
                },
                "query may not be combined with whole-table copying settings.",
            ));
        }
        let compile = |key: &str, list: &[String]| -> Result<Vec<regex::Regex>> {
            list.iter()
                .map(|r| {
                    regex::Regex::new(&format!("^(?:{r})$"))
                        .map_err(|e| issue(key, r, format!("not a valid regular expression: {e}")))
                })
                .collect()
        };
        let include = compile("table.include.list", &include_text)?;
        let exclude = compile("table.exclude.list", &exclude_text)?;
        let timestamp_columns: Vec<String> = p
            .get_list("timestamp.column.name")?
            .iter()
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect();
        let timestamp_mapping = mappings::parse_timestamp(
            "timestamp.columns.mapping",
            p.get_list("timestamp.columns.mapping")?,
        )?;
        let incrementing_column = p.get_string("incrementing.column.name")?.trim().to_string();
        let incrementing_mapping = mappings::parse_incrementing(
            "incrementing.column.mapping",
            p.get_list("incrementing.column.mapping")?,
        )?;
        for (legacy, legacy_set, new, new_set) in [
            (
                "timestamp.column.name",
                !timestamp_columns.is_empty(),
                "timestamp.columns.mapping",
                !timestamp_mapping.is_empty(),
            ),
            (
                "incrementing.column.name",
                !incrementing_column.is_empty(),
                "incrementing.column.mapping",
                !incrementing_mapping.is_empty(),
            ),
        ] {
            if legacy_set && new_set {
                return Err(issue(
                    new,
                    p.get_list(new)?.join(","),
                    format!(
                        "Cannot use both {legacy} and {new}. Use {new} for new implementations."
                    ),
                ));
            }
            if new_set && include_text.is_empty() {
                return Err(issue(
                    new,
                    p.get_list(new)?.join(","),
                    format!("{new} chooses columns by table and needs table.include.list; with table.whitelist or a query, use {legacy}."),
                ));
            }
        }
        if mode.uses_timestamp() && timestamp_columns.is_empty() && timestamp_mapping.is_empty() {
            return Err(issue(
                "timestamp.column.name",
                "",
                format!("Mode '{mode_text}' requires timestamp column configuration. Provide either 'timestamp.column.name' or 'timestamp.columns.mapping'."),
            ));
        }
        let numeric_mapping = match p.get_raw("numeric.mapping")? {
            Some(_) if !p.is_null("numeric.mapping")? => {
                let text = p.get_string("numeric.mapping")?;
                NumericMapping::parse(text).ok_or_else(|| {
                    issue(
                        "numeric.mapping",
                        text,
                        "must be one of none, precision_only, best_fit, best_fit_eager_double",
                    )
                })?
            }
            _ if p.get_bool("numeric.precision.mapping")? => NumericMapping::PrecisionOnly,
            _ => NumericMapping::None,
        };
        let quoting = Quoting::parse(p.get_string("quote.sql.identifiers")?).unwrap_or_default();
        let topic_prefix = p.get_string("topic.prefix")?.trim().to_string();
        if let Some(bad) = topic_prefix
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
        {
            return Err(issue(
                "topic.prefix",
                &topic_prefix,
                format!("contains '{bad}'; a topic name may only hold ASCII letters, digits, '.', '_' and '-'"),
            ));
        }
        if topic_prefix.len() > 249 {
            return Err(issue(
                "topic.prefix",
                &topic_prefix,
                "is longer than 249 characters",
            ));
        }
        let non_negative = |k: &str, v: i64| -> Result<u64> {
            u64::try_from(v).map_err(|_| issue(k, v, "must not be negative"))
        };
        let poll_interval = Duration::from_millis(non_negative(
            "poll.interval.ms",
            i64::from(p.get_int("poll.interval.ms")?),
        )?);
        let batch = p.get_int("batch.max.rows")?;
        let table_poll_interval = Duration::from_millis(non_negative(
            "table.poll.interval.ms",
            p.get_long("table.poll.interval.ms")?,
        )?);
        let timezone = parse_timezone("db.timezone", p.get_string("db.timezone")?)?;
        let granularity_text = p.get_string("timestamp.granularity")?;
        let granularity = Granularity::parse(granularity_text).ok_or_else(|| {
            ConnectError::config(
                "timestamp.granularity",
                granularity_text,
                format!(
                    "Invalid enumerator: use one of {} (in lower or upper case)",
                    Granularity::NAMES.join(", ")
                ),
            )
        })?;
        Ok(SourceConfig {
            connection,
            mode,
            query,
            query_masked,
            whitelist,
            blacklist,
            include,
            exclude,
            catalog_pattern: match p.is_null("catalog.pattern")? {
                true => None,
                false => Some(p.get_string("catalog.pattern")?.trim().to_string()),
            },
            schema_pattern: p.get_raw("schema.pattern")?.and_then(|_| {
                p.get_string("schema.pattern")
                    .ok()
                    .map(str::to_string)
                    .filter(|s| !s.is_empty())
            }),
            table_types: p.get_list("table.types")?.to_vec(),
            incrementing_column,
            timestamp_columns,
            timestamp_mapping,
            incrementing_mapping,
            timestamp_initial: match p.is_null("timestamp.initial")? {
                true => None,
                false => Some(p.get_long("timestamp.initial")?),
            },
            max_buffer_size: usize::try_from(p.get_int("max.buffer.size")?).unwrap_or(0),
            poll_linger: Duration::from_millis(
                u64::try_from(p.get_long("poll.linger.ms")?).unwrap_or(0),
            ),
            timestamp_delay: Duration::from_millis(
                p.get_long("timestamp.delay.interval.ms")?.max(0) as u64,
            ),
            validate_non_null: p.get_bool("validate.non.null")?,
            numeric_mapping,
            granularity,
            legacy_calendar: calendar::parse_legacy(p.get_string("date.calendar.system")?)
                .unwrap_or(true),
            quoting,
            query_suffix: p.get_string("query.suffix")?.trim().to_string(),
            query_retry_attempts: p.get_int("query.retry.attempts")?,
            poll_interval,
            batch_max_rows: usize::try_from(batch.max(1)).unwrap_or(1),
            table_poll_interval,
            topic_prefix,
            timezone,
        })
    }

    /// The incrementing column (empty: autodetect) and timestamp columns of a table: from the
    /// mapping keys when they are set, else `incrementing.column.name` and
    /// `timestamp.column.name`. An error when a mapping has no single regex for the table.
    pub fn offset_columns(&self, table: &TableId) -> Result<(String, Vec<String>)> {
        let name = table.qualified();
        let incrementing = if self.incrementing_mapping.is_empty() || !self.mode.uses_incrementing()
        {
            self.incrementing_column.clone()
        } else {
            self.incrementing_mapping.for_table("incrementing", &name)?
        };
        let timestamps = if self.timestamp_mapping.is_empty() || !self.mode.uses_timestamp() {
            self.timestamp_columns.clone()
        } else {
            self.timestamp_mapping.for_table("timestamp", &name)?
        };
        Ok((incrementing, timestamps))
    }

    /// The rows read ahead of the polls, at most: `max.buffer.size`, or four batches.
    pub fn buffer_rows(&self) -> usize {
        match self.max_buffer_size {
            0 => self.batch_max_rows.saturating_mul(4),
            n => n,
        }
    }

    /// Whether the connector runs a custom query instead of copying tables.
    pub fn is_query_mode(&self) -> bool {
        !self.query.trim().is_empty()
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
                ("mode", "incrementing"),
            ],
            pairs,
        )
    }

    #[test]
    fn definition_is_sound_and_defaults_match_confluent() {
        assert!(config_def().definition_errors().is_empty());
        let c = SourceConfig::parse(&cfg(&[])).unwrap();
        assert_eq!(c.mode, Mode::Incrementing);
        assert_eq!(c.batch_max_rows, 1000);
        assert_eq!(c.buffer_rows(), 4000);
        assert_eq!(c.poll_linger, Duration::from_secs(5));
        assert_eq!(c.poll_interval, Duration::from_secs(5));
        assert_eq!(c.table_types, vec!["TABLE"]);
        assert_eq!(c.connection.attempts, 3);
        assert_eq!(c.quoting, Quoting::Always);
    }

    #[test]
    fn cross_key_checks_name_the_key_and_value() {
        let e = SourceConfig::parse(&cfg(&[("table.whitelist", "a"), ("table.blacklist", "b")]))
            .unwrap_err();
        assert!(
            e.to_string().contains("table.blacklist")
                && e.to_string().contains("mutually exclusive"),
            "{e}"
        );
        let e = SourceConfig::parse(&cfg(&[("mode", "sometimes")])).unwrap_err();
        assert!(
            e.to_string().contains("mode") && e.to_string().contains("sometimes"),
            "{e}"
        );
        let e = SourceConfig::parse(&cfg(&[("mode", "timestamp")])).unwrap_err();
        assert!(e.to_string().contains("timestamp.column.name"), "{e}");
        let e = SourceConfig::parse(&cfg(&[("query", "SELECT 1"), ("table.whitelist", "a")]))
            .unwrap_err();
        assert!(e.to_string().contains("whole-table"), "{e}");
        let e = SourceConfig::parse(&cfg(&[("topic.prefix", "bad prefix")])).unwrap_err();
        assert!(e.to_string().contains("topic.prefix"), "{e}");
        let e = SourceConfig::parse(&cfg(&[("connection.url", "jdbc:oracle:thin:@h:1:x")]))
            .unwrap_err();
        assert!(e.to_string().contains("connection.url"), "{e}");
    }

    #[test]
    fn column_mappings_need_the_include_list_and_replace_the_legacy_keys() {
        let both = SourceConfig::parse(&cfg(&[
            ("table.include.list", "public\\..*"),
            ("incrementing.column.name", "id"),
            ("incrementing.column.mapping", ".*:id"),
        ]))
        .unwrap_err()
        .to_string();
        assert!(
            both.contains("Cannot use both incrementing.column.name"),
            "{both}"
        );
        let legacy_tables = SourceConfig::parse(&cfg(&[
            ("table.whitelist", "a"),
            ("mode", "timestamp"),
            ("timestamp.columns.mapping", ".*:[ts]"),
        ]))
        .unwrap_err()
        .to_string();
        assert!(
            legacy_tables.contains("needs table.include.list"),
            "{legacy_tables}"
        );
        let none = SourceConfig::parse(&cfg(&[("mode", "timestamp")]))
            .unwrap_err()
            .to_string();
        assert!(
            none.contains("requires timestamp column configuration"),
            "{none}"
        );
        let c = SourceConfig::parse(&cfg(&[
            ("table.include.list", "public\\..*"),
            ("mode", "timestamp+incrementing"),
            ("timestamp.columns.mapping", "public\\.a:[t1|t2]"),
            ("incrementing.column.mapping", "public\\.a:id"),
        ]))
        .unwrap();
        let a = TableId {
            catalog: None,
            schema: Some("public".into()),
            name: "a".into(),
        };
        assert_eq!(
            c.offset_columns(&a).unwrap(),
            ("id".to_string(), vec!["t1".to_string(), "t2".to_string()])
        );
        let b = TableId {
            name: "b".into(),
            ..a
        };
        assert!(c.offset_columns(&b).is_err());
    }

    #[test]
    fn buffer_and_linger() {
        let c = SourceConfig::parse(&cfg(&[
            ("batch.max.rows", "10"),
            ("max.buffer.size", "25"),
            ("poll.linger.ms", "0"),
        ]))
        .unwrap();
        assert_eq!((c.buffer_rows(), c.poll_linger), (25, Duration::ZERO));
        let e = SourceConfig::parse(&cfg(&[("max.buffer.size", "-1")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("max.buffer.size") && e.contains("-1"), "{e}");
    }

    #[test]
    fn masked_query_is_used_and_hidden() {
        let c = SourceConfig::parse(&cfg(&[("query.masked", "SELECT secret FROM t")])).unwrap();
        assert!(c.is_query_mode() && c.query_masked);
        let e = SourceConfig::parse(&cfg(&[
            ("query.masked", "SELECT s FROM t"),
            ("table.whitelist", "a"),
        ]))
        .unwrap_err();
        assert!(!e.to_string().contains("SELECT s"), "{e}");
    }
}
