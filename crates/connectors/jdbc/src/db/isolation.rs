//! `transaction.isolation.mode`: the isolation level a source's connections run their
//! queries in (Confluent sets it with `Connection.setTransactionIsolation` when the database
//! supports it, and warns and keeps the database's default when it does not).

use crate::dialect::Dialect;

/// The isolation levels of `transaction.isolation.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Isolation {
    /// `DEFAULT`: the database's own default; nothing is set.
    #[default]
    Default,
    /// `READ_UNCOMMITTED`.
    ReadUncommitted,
    /// `READ_COMMITTED`.
    ReadCommitted,
    /// `REPEATABLE_READ`.
    RepeatableRead,
    /// `SERIALIZABLE`.
    Serializable,
}

impl Isolation {
    /// The values of the config key, as Confluent spells them.
    pub const NAMES: [&'static str; 5] = [
        "DEFAULT",
        "READ_UNCOMMITTED",
        "READ_COMMITTED",
        "REPEATABLE_READ",
        "SERIALIZABLE",
    ];

    /// Parses a value of `transaction.isolation.mode` (any case); `None` if unknown.
    pub fn parse(value: &str) -> Option<Isolation> {
        Some(match value.trim().to_ascii_uppercase().as_str() {
            "DEFAULT" => Isolation::Default,
            "READ_UNCOMMITTED" => Isolation::ReadUncommitted,
            "READ_COMMITTED" => Isolation::ReadCommitted,
            "REPEATABLE_READ" => Isolation::RepeatableRead,
            "SERIALIZABLE" => Isolation::Serializable,
            _ => return None,
        })
    }

    /// The SQL level name.
    fn level(self) -> &'static str {
        match self {
            Isolation::Default => "DEFAULT",
            Isolation::ReadUncommitted => "READ UNCOMMITTED",
            Isolation::ReadCommitted => "READ COMMITTED",
            Isolation::RepeatableRead => "REPEATABLE READ",
            Isolation::Serializable => "SERIALIZABLE",
        }
    }

    /// The statement that puts a new connection of `dialect` in this level: `Ok(None)` for
    /// `DEFAULT` (and for SQLite's serializable default); `Err` with the reason when the
    /// database has no such level (the caller warns and keeps the default, as Confluent does).
    pub fn session_sql(self, dialect: Dialect) -> Result<Option<String>, String> {
        if self == Isolation::Default {
            return Ok(None);
        }
        match dialect {
            Dialect::Postgres => Ok(Some(format!(
                "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL {}",
                self.level()
            ))),
            Dialect::MySql => Ok(Some(format!(
                "SET SESSION TRANSACTION ISOLATION LEVEL {}",
                self.level()
            ))),
            // SQLite transactions are serializable; reading uncommitted data is a pragma
            // (it matters only between connections sharing a cache)
            Dialect::Sqlite => match self {
                Isolation::Serializable => Ok(None),
                Isolation::ReadUncommitted => Ok(Some("PRAGMA read_uncommitted = 1".into())),
                _ => Err(format!(
                    "SQLite has no isolation level {}, only SERIALIZABLE and READ UNCOMMITTED",
                    self.level()
                )),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_per_database() {
        assert_eq!(
            Isolation::parse("read_committed"),
            Some(Isolation::ReadCommitted)
        );
        assert_eq!(Isolation::parse("SNAPSHOT"), None);
        assert_eq!(Isolation::Default.session_sql(Dialect::Postgres), Ok(None));
        assert_eq!(
            Isolation::RepeatableRead.session_sql(Dialect::Postgres),
            Ok(Some(
                "SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ".into()
            ))
        );
        assert_eq!(
            Isolation::Serializable.session_sql(Dialect::MySql),
            Ok(Some(
                "SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE".into()
            ))
        );
        assert_eq!(
            Isolation::Serializable.session_sql(Dialect::Sqlite),
            Ok(None)
        );
        assert!(Isolation::ReadCommitted
            .session_sql(Dialect::Sqlite)
            .unwrap_err()
            .contains("READ COMMITTED"));
    }
}
