//! The database families the connectors speak to, with what differs between them: names
//! (Confluent's dialect class names), identifier quoting, and SQL fragments.

/// A database family (Confluent's `DatabaseDialect`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dialect {
    /// PostgreSQL (`PostgreSqlDatabaseDialect`).
    Postgres,
    /// MySQL and MariaDB (`MySqlDatabaseDialect`).
    MySql,
    /// SQLite (`SqliteDatabaseDialect`).
    Sqlite,
}

/// Whether identifiers are quoted (`quote.sql.identifiers`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Quoting {
    /// Always quote (the default).
    #[default]
    Always,
    /// Never quote.
    Never,
}

impl Quoting {
    /// Parses `quote.sql.identifiers` (case-insensitive, as Confluent's enum recommender).
    pub fn parse(text: &str) -> Option<Quoting> {
        match text.trim().to_ascii_lowercase().as_str() {
            "always" => Some(Quoting::Always),
            "never" => Some(Quoting::Never),
            _ => None,
        }
    }
}

/// The dialect names `dialect.name` accepts (Confluent's), for validation messages.
pub const DIALECT_NAMES: &[&str] = &[
    "PostgreSqlDatabaseDialect",
    "MySqlDatabaseDialect",
    "SqliteDatabaseDialect",
];

impl Dialect {
    /// The dialect of a JDBC subprotocol (`jdbc:<sub>:`).
    pub fn from_subprotocol(sub: &str) -> Option<Dialect> {
        match sub.to_ascii_lowercase().as_str() {
            "postgresql" | "postgres" => Some(Dialect::Postgres),
            "mysql" | "mariadb" => Some(Dialect::MySql),
            "sqlite" => Some(Dialect::Sqlite),
            _ => None,
        }
    }

    /// The dialect called `name` (`dialect.name`).
    pub fn from_name(name: &str) -> Option<Dialect> {
        match name.trim() {
            "PostgreSqlDatabaseDialect" => Some(Dialect::Postgres),
            "MySqlDatabaseDialect" => Some(Dialect::MySql),
            "SqliteDatabaseDialect" => Some(Dialect::Sqlite),
            _ => None,
        }
    }

    /// Confluent's class name for the dialect.
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgres => "PostgreSqlDatabaseDialect",
            Dialect::MySql => "MySqlDatabaseDialect",
            Dialect::Sqlite => "SqliteDatabaseDialect",
        }
    }

    /// The server's default port.
    pub fn default_port(self) -> u16 {
        match self {
            Dialect::Postgres => 5432,
            Dialect::MySql => 3306,
            Dialect::Sqlite => 0,
        }
    }

    /// An identifier as SQL text: quoted (with embedded quotes doubled) unless `quoting` is
    /// `Never`.
    pub fn ident(self, name: &str, quoting: Quoting) -> String {
        if quoting == Quoting::Never {
            return name.to_string();
        }
        let q = match self {
            Dialect::MySql => '`',
            Dialect::Postgres | Dialect::Sqlite => '"',
        };
        let mut out = String::with_capacity(name.len() + 2);
        out.push(q);
        for c in name.chars() {
            if c == q {
                out.push(q);
            }
            out.push(c);
        }
        out.push(q);
        out
    }

    /// The `n`th (1-based) bind parameter placeholder.
    pub fn placeholder(self, n: usize) -> String {
        match self {
            Dialect::Postgres => format!("${n}"),
            Dialect::MySql | Dialect::Sqlite => "?".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn quoting_per_dialect() {
        assert_eq!(
            Dialect::Postgres.ident("a\"b", Quoting::Always),
            "\"a\"\"b\""
        );
        assert_eq!(Dialect::MySql.ident("order", Quoting::Always), "`order`");
        assert_eq!(Dialect::Sqlite.ident("x", Quoting::Never), "x");
        assert_eq!(Dialect::Postgres.placeholder(3), "$3");
        assert_eq!(Dialect::MySql.placeholder(3), "?");
    }

    #[test]
    fn names_round_trip() {
        for d in [Dialect::Postgres, Dialect::MySql, Dialect::Sqlite] {
            assert_eq!(Dialect::from_name(d.name()), Some(d));
            assert!(DIALECT_NAMES.contains(&d.name()));
        }
        assert_eq!(Dialect::from_subprotocol("mariadb"), Some(Dialect::MySql));
        assert_eq!(Quoting::parse("NEVER"), Some(Quoting::Never));
    }
}
