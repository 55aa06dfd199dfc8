//! The sink's SQL per dialect: Confluent's column types for `auto.create`, `CREATE TABLE`,
//! `ALTER TABLE … ADD`, and the insert, upsert, update and delete statements (inserts and
//! upserts carry many rows per statement).

use connect_api::data::logical::Logical;
use connect_api::{ConnectError, Result, Schema, Type, Value};

use crate::dialect::{Dialect, Quoting};
use crate::sink::fields::SinkField;

/// The most bind parameters one statement may carry.
pub fn max_params(dialect: Dialect) -> usize {
    match dialect {
        Dialect::Postgres | Dialect::MySql => 65_535,
        Dialect::Sqlite => 32_766,
    }
}

/// The column type `auto.create`/`auto.evolve` give a field (Confluent's per-dialect tables).
pub fn sql_type(dialect: Dialect, schema: &Schema, key: bool) -> Result<String> {
    let logical = schema.logical();
    let t = match (dialect, logical, schema.schema_type()) {
        (Dialect::Postgres, Some(Logical::Decimal), _) => "DECIMAL".to_string(),
        (Dialect::MySql, Some(Logical::Decimal), _) => {
            format!("DECIMAL(65,{})", schema.parameter("scale").unwrap_or("0"))
        }
        (Dialect::Sqlite, Some(_), _) => "NUMERIC".to_string(),
        (_, Some(Logical::Date), _) => "DATE".to_string(),
        (Dialect::MySql, Some(Logical::Time), _) => "TIME(3)".to_string(),
        (_, Some(Logical::Time), _) => "TIME".to_string(),
        (Dialect::MySql, Some(Logical::Timestamp), _) => "DATETIME(3)".to_string(),
        (_, Some(Logical::Timestamp), _) => "TIMESTAMP".to_string(),
        (
            Dialect::Sqlite,
            None,
            Type::Int8 | Type::Int16 | Type::Int32 | Type::Int64 | Type::Boolean,
        ) => "INTEGER".to_string(),
        (Dialect::Sqlite, None, Type::Float32 | Type::Float64) => "REAL".to_string(),
        (Dialect::Sqlite, None, Type::String) => "TEXT".to_string(),
        (Dialect::Sqlite, None, Type::Bytes) => "BLOB".to_string(),
        (Dialect::Postgres, None, Type::Int8 | Type::Int16) => "SMALLINT".to_string(),
        (Dialect::MySql, None, Type::Int8) => "TINYINT".to_string(),
        (Dialect::MySql, None, Type::Int16) => "SMALLINT".to_string(),
        (_, None, Type::Int32) => "INT".to_string(),
        (_, None, Type::Int64) => "BIGINT".to_string(),
        (Dialect::Postgres, None, Type::Float32) => "REAL".to_string(),
        (Dialect::MySql, None, Type::Float32) => "FLOAT".to_string(),
        (Dialect::Postgres, None, Type::Float64) => "DOUBLE PRECISION".to_string(),
        (Dialect::MySql, None, Type::Float64) => "DOUBLE".to_string(),
        (Dialect::Postgres, None, Type::Boolean) => "BOOLEAN".to_string(),
        (Dialect::MySql, None, Type::Boolean) => "TINYINT".to_string(),
        (Dialect::MySql, None, Type::String) if key => "VARCHAR(256)".to_string(),
        (_, None, Type::String) => "TEXT".to_string(),
        (Dialect::Postgres, None, Type::Bytes) => "BYTEA".to_string(),
        (Dialect::MySql, None, Type::Bytes) => "VARBINARY(1024)".to_string(),
        _ => {
            return Err(ConnectError::other(format!(
                "{} ({}) type doesn't have a mapping to the SQL database column type",
                schema.name().unwrap_or("null"),
                schema.schema_type().java_name()
            )))
        }
    };
    Ok(t)
}

/// A default value as a SQL literal (Confluent's `formatColumnValue`).
fn literal(dialect: Dialect, schema: &Schema, value: &Value) -> Option<String> {
    Some(match value {
        Value::Boolean(b) => match dialect {
            Dialect::Postgres => if *b { "TRUE" } else { "FALSE" }.to_string(),
            _ => if *b { "1" } else { "0" }.to_string(),
        },
        Value::Int8(v) => v.to_string(),
        Value::Int16(v) => v.to_string(),
        Value::Int32(v) if schema.logical().is_none() => v.to_string(),
        Value::Int64(v) if schema.logical().is_none() => v.to_string(),
        Value::Float32(v) => v.to_string(),
        Value::Float64(v) => v.to_string(),
        Value::String(s) => format!("'{}'", s.replace('\'', "''")),
        Value::Bytes(b) => format!(
            "x'{}'",
            b.iter().map(|x| format!("{x:02X}")).collect::<String>()
        ),
        Value::Decimal(d) => d.to_string(),
        Value::Date(days) => {
            let d = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?
                .checked_add_signed(chrono::Duration::days(i64::from(*days)))?;
            format!("'{}'", d.format("%Y-%m-%d"))
        }
        Value::Time(ms) => {
            let t = chrono::NaiveTime::from_num_seconds_from_midnight_opt(
                (*ms / 1000) as u32,
                ((*ms % 1000) * 1_000_000) as u32,
            )?;
            format!("'{}'", t.format("%H:%M:%S%.3f"))
        }
        Value::Timestamp(ms) => {
            let t = chrono::DateTime::from_timestamp_millis(*ms)?;
            format!("'{}'", t.format("%Y-%m-%d %H:%M:%S%.3f"))
        }
        _ => return None,
    })
}

/// `"name" TYPE [DEFAULT x | NULL | NOT NULL]`.
pub fn column_spec(dialect: Dialect, q: Quoting, f: &SinkField) -> Result<String> {
    let ty = match (f.epoch, dialect) {
        // epoch numbers of timestamp.fields.list are timestamps to the microsecond
        (Some(_), Dialect::Postgres) => "TIMESTAMP".to_string(),
        (Some(_), Dialect::MySql) => "TIMESTAMP(6)".to_string(),
        (Some(_), Dialect::Sqlite) => "NUMERIC".to_string(),
        (None, _) => sql_type(dialect, &f.schema, f.key)?,
    };
    let mut spec = format!("{} {ty}", dialect.ident(&f.name, q));
    match f
        .schema
        .default_value()
        .and_then(|v| literal(dialect, &f.schema, v))
    {
        Some(d) => spec.push_str(&format!(" DEFAULT {d}")),
        None if f.schema.is_optional() && !f.key => spec.push_str(" NULL"),
        None => spec.push_str(" NOT NULL"),
    }
    Ok(spec)
}

/// `CREATE TABLE` for the fields, with their primary key.
pub fn create_table(
    dialect: Dialect,
    q: Quoting,
    table: &str,
    all: &[SinkField],
) -> Result<String> {
    let cols = all
        .iter()
        .map(|f| column_spec(dialect, q, f))
        .collect::<Result<Vec<_>>>()?;
    let mut sql = format!("CREATE TABLE {table} (\n{}", cols.join(",\n"));
    let keys: Vec<String> = all
        .iter()
        .filter(|f| f.key)
        .map(|f| dialect.ident(&f.name, q))
        .collect();
    if !keys.is_empty() {
        sql.push_str(&format!(",\nPRIMARY KEY({})", keys.join(",")));
    }
    sql.push(')');
    Ok(sql)
}

/// `ALTER TABLE … ADD` for missing fields: one statement (Postgres, MySQL) or one per field
/// (SQLite).
pub fn alter_table(
    dialect: Dialect,
    q: Quoting,
    table: &str,
    missing: &[SinkField],
) -> Result<Vec<String>> {
    let adds = missing
        .iter()
        .map(|f| Ok(format!("ADD {}", column_spec(dialect, q, f)?)))
        .collect::<Result<Vec<_>>>()?;
    Ok(match dialect {
        Dialect::Sqlite => adds
            .iter()
            .map(|a| format!("ALTER TABLE {table} {a}"))
            .collect(),
        _ => vec![format!("ALTER TABLE {table} {}", adds.join(",\n"))],
    })
}

/// Numbers placeholders (`$1`… for Postgres) and adds a cast where a Postgres column needs
/// one (`uuid`, `json`, `jsonb`).
pub struct Placeholders<'a> {
    dialect: Dialect,
    next: usize,
    cast: &'a (dyn Fn(&str) -> Option<&'static str> + Sync),
}

impl<'a> Placeholders<'a> {
    /// Placeholders from 1; `cast` gives a column's cast, if any.
    pub fn new(dialect: Dialect, cast: &'a (dyn Fn(&str) -> Option<&'static str> + Sync)) -> Self {
        Placeholders {
            dialect,
            next: 0,
            cast,
        }
    }

    /// The next placeholder, for a value of `column`.
    pub fn next(&mut self, column: &str) -> String {
        self.next += 1;
        let p = self.dialect.placeholder(self.next);
        match (self.dialect, (self.cast)(column)) {
            (Dialect::Postgres, Some(c)) => format!("{p}::{c}"),
            _ => p,
        }
    }
}

/// `INSERT` (or upsert, `upsert_keys` naming the key) of `rows` rows of `columns`.
pub fn insert(
    dialect: Dialect,
    q: Quoting,
    table: &str,
    columns: &[&str],
    upsert_keys: Option<&[&str]>,
    rows: usize,
    ph: &mut Placeholders<'_>,
) -> String {
    let cols: Vec<String> = columns.iter().map(|c| dialect.ident(c, q)).collect();
    let verb = match (dialect, upsert_keys) {
        (Dialect::Sqlite, Some(_)) => "INSERT OR REPLACE INTO",
        _ => "INSERT INTO",
    };
    let mut sql = format!("{verb} {table} ({}) VALUES ", cols.join(","));
    for r in 0..rows {
        if r > 0 {
            sql.push(',');
        }
        let vals: Vec<String> = columns.iter().map(|c| ph.next(c)).collect();
        sql.push_str(&format!("({})", vals.join(",")));
    }
    if let Some(keys) = upsert_keys {
        let non_keys: Vec<&&str> = columns.iter().filter(|c| !keys.contains(c)).collect();
        match dialect {
            Dialect::Postgres => {
                let k: Vec<String> = keys.iter().map(|c| dialect.ident(c, q)).collect();
                if non_keys.is_empty() {
                    sql.push_str(&format!(" ON CONFLICT ({}) DO NOTHING", k.join(",")));
                } else {
                    let sets: Vec<String> = non_keys
                        .iter()
                        .map(|c| {
                            let c = dialect.ident(c, q);
                            format!("{c}=EXCLUDED.{c}")
                        })
                        .collect();
                    sql.push_str(&format!(
                        " ON CONFLICT ({}) DO UPDATE SET {}",
                        k.join(","),
                        sets.join(",")
                    ));
                }
            }
            Dialect::MySql => {
                let update: Vec<&&str> = if non_keys.is_empty() {
                    keys.iter().collect()
                } else {
                    non_keys
                };
                let sets: Vec<String> = update
                    .iter()
                    .map(|c| {
                        let c = dialect.ident(c, q);
                        format!("{c}=VALUES({c})")
                    })
                    .collect();
                sql.push_str(&format!(" ON DUPLICATE KEY UPDATE {}", sets.join(",")));
            }
            Dialect::Sqlite => {}
        }
    }
    sql
}

/// `UPDATE … SET n = ? … WHERE k = ? AND …` (values bound first, then keys).
pub fn update(
    dialect: Dialect,
    q: Quoting,
    table: &str,
    keys: &[&str],
    values: &[&str],
    ph: &mut Placeholders<'_>,
) -> String {
    let sets: Vec<String> = values
        .iter()
        .map(|c| format!("{} = {}", dialect.ident(c, q), ph.next(c)))
        .collect();
    let mut sql = format!("UPDATE {table} SET {}", sets.join(", "));
    if !keys.is_empty() {
        let wh: Vec<String> = keys
            .iter()
            .map(|c| format!("{} = {}", dialect.ident(c, q), ph.next(c)))
            .collect();
        sql.push_str(&format!(" WHERE {}", wh.join(" AND ")));
    }
    sql
}

/// `DELETE FROM … WHERE k = ? AND …`.
pub fn delete(dialect: Dialect, q: Quoting, table: &str, keys: &[&str]) -> String {
    let mut n = 0;
    let wh: Vec<String> = keys
        .iter()
        .map(|c| {
            n += 1;
            format!("{} = {}", dialect.ident(c, q), dialect.placeholder(n))
        })
        .collect();
    format!("DELETE FROM {table} WHERE {}", wh.join(" AND "))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::sink::fields::Source;
    use connect_api::data::logical;
    use connect_api::SchemaBuilder;

    fn f(name: &str, schema: Schema, key: bool) -> SinkField {
        SinkField {
            epoch: None,
            name: name.into(),
            schema,
            key,
            source: Source::ValueField(name.into()),
        }
    }

    fn none(_: &str) -> Option<&'static str> {
        None
    }

    #[test]
    fn types_per_dialect() {
        let s = Schema::required(Type::String);
        assert_eq!(sql_type(Dialect::MySql, &s, true).unwrap(), "VARCHAR(256)");
        assert_eq!(sql_type(Dialect::MySql, &s, false).unwrap(), "TEXT");
        let dec = logical::decimal_builder(2).build().unwrap();
        assert_eq!(
            sql_type(Dialect::MySql, &dec, false).unwrap(),
            "DECIMAL(65,2)"
        );
        assert_eq!(sql_type(Dialect::Postgres, &dec, false).unwrap(), "DECIMAL");
        let ts = logical::timestamp_builder().build().unwrap();
        assert_eq!(sql_type(Dialect::MySql, &ts, false).unwrap(), "DATETIME(3)");
        assert_eq!(sql_type(Dialect::Sqlite, &ts, false).unwrap(), "NUMERIC");
        assert_eq!(
            sql_type(Dialect::Postgres, &Schema::required(Type::Float64), false).unwrap(),
            "DOUBLE PRECISION"
        );
        let map = SchemaBuilder::map(
            Schema::required(Type::String),
            Schema::required(Type::String),
        )
        .build()
        .unwrap();
        let e = sql_type(Dialect::Postgres, &map, false).unwrap_err();
        assert_eq!(
            e.to_string(),
            "null (MAP) type doesn't have a mapping to the SQL database column type"
        );
    }

    #[test]
    fn create_and_alter() {
        let all = vec![
            f("id", Schema::required(Type::Int64), true),
            f("name", Schema::optional(Type::String), false),
            f(
                "n",
                SchemaBuilder::new(Type::Int32)
                    .default_value(Value::Int32(5))
                    .build()
                    .unwrap(),
                false,
            ),
        ];
        assert_eq!(
            create_table(Dialect::Postgres, Quoting::Always, "\"t\"", &all).unwrap(),
            "CREATE TABLE \"t\" (\n\"id\" BIGINT NOT NULL,\n\"name\" TEXT NULL,\n\"n\" INT DEFAULT 5,\nPRIMARY KEY(\"id\"))"
        );
        assert_eq!(
            alter_table(Dialect::Sqlite, Quoting::Always, "\"t\"", &all[1..]).unwrap(),
            vec![
                "ALTER TABLE \"t\" ADD \"name\" TEXT NULL",
                "ALTER TABLE \"t\" ADD \"n\" INTEGER DEFAULT 5"
            ]
        );
    }

    #[test]
    fn statements() {
        let cast = |c: &str| (c == "u").then_some("uuid");
        let mut ph = Placeholders::new(Dialect::Postgres, &cast);
        assert_eq!(
            insert(Dialect::Postgres, Quoting::Always, "\"t\"", &["id", "u"], Some(&["id"]), 2, &mut ph),
            "INSERT INTO \"t\" (\"id\",\"u\") VALUES ($1,$2::uuid),($3,$4::uuid) ON CONFLICT (\"id\") DO UPDATE SET \"u\"=EXCLUDED.\"u\""
        );
        let mut ph = Placeholders::new(Dialect::MySql, &none);
        assert_eq!(
            insert(
                Dialect::MySql,
                Quoting::Always,
                "`t`",
                &["id", "v"],
                Some(&["id"]),
                1,
                &mut ph
            ),
            "INSERT INTO `t` (`id`,`v`) VALUES (?,?) ON DUPLICATE KEY UPDATE `v`=VALUES(`v`)"
        );
        let mut ph = Placeholders::new(Dialect::Sqlite, &none);
        assert_eq!(
            insert(
                Dialect::Sqlite,
                Quoting::Never,
                "t",
                &["id"],
                Some(&["id"]),
                1,
                &mut ph
            ),
            "INSERT OR REPLACE INTO t (id) VALUES (?)"
        );
        let mut ph = Placeholders::new(Dialect::Postgres, &none);
        assert_eq!(
            update(
                Dialect::Postgres,
                Quoting::Always,
                "\"t\"",
                &["id"],
                &["v", "w"],
                &mut ph
            ),
            "UPDATE \"t\" SET \"v\" = $1, \"w\" = $2 WHERE \"id\" = $3"
        );
        assert_eq!(
            delete(Dialect::MySql, Quoting::Always, "`t`", &["a", "b"]),
            "DELETE FROM `t` WHERE `a` = ? AND `b` = ?"
        );
    }
}
