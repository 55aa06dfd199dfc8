//! `timestamp.columns.mapping` (`regex:[c1|c2]`) and `incrementing.column.mapping`
//! (`regex:column`): the offset columns of each table, chosen by a regex over the table's
//! fully qualified, unquoted name (`catalog.schema.table`). They are used together with
//! `table.include.list`, in place of `timestamp.column.name` and `incrementing.column.name`.

use connect_api::{ConnectError, Result};
use regex::Regex;

/// One parsed mapping key: regexes (anchored, as Java's `String.matches`) and what each
/// one gives.
#[derive(Debug, Clone, Default)]
pub struct ColumnMapping<T> {
    entries: Vec<(String, Regex, T)>,
}

fn issue(key: &str, entry: &str, message: &str) -> ConnectError {
    ConnectError::config(key, entry, message.to_string())
}

/// Splits `regex:rest` and compiles the regex.
fn split_entry(key: &str, entry: &str, format: &str) -> Result<(String, Regex, String)> {
    let parts: Vec<&str> = entry.split(':').collect();
    let [regex, rest] = parts.as_slice() else {
        return Err(issue(
            key,
            entry,
            &format!("Invalid format. Expected '{format}'"),
        ));
    };
    let regex = regex.trim();
    let compiled = Regex::new(&format!("^(?:{regex})$"))
        .map_err(|e| issue(key, entry, &format!("Invalid regular expression: {e}")))?;
    Ok((regex.to_string(), compiled, rest.trim().to_string()))
}

impl<T: Clone> ColumnMapping<T> {
    /// Whether the key was left empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// What the one regex matching `table` (its qualified name) gives; an error when none or
    /// more than one matches (Confluent checks this when a task starts).
    pub fn for_table(&self, what: &str, table: &str) -> Result<T> {
        let mut found = self.entries.iter().filter(|(_, r, _)| r.is_match(table));
        match (found.next(), found.next()) {
            (Some((_, _, v)), None) => Ok(v.clone()),
            (None, _) => Err(ConnectError::other(format!(
                "Error while validating {what} column mappings: Included table '{table}' does \
not match any of the provided regexes"
            ))),
            (Some(_), Some(_)) => Err(ConnectError::other(format!(
                "Error while validating {what} column mappings: Included table '{table}' \
matches more than one of the provided regexes"
            ))),
        }
    }
}

/// Parses `timestamp.columns.mapping`: entries `regex:[col1|col2|…]`.
pub fn parse_timestamp(key: &str, entries: &[String]) -> Result<ColumnMapping<Vec<String>>> {
    let mut out = ColumnMapping::default();
    for entry in entries.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
        let (text, regex, columns) = split_entry(key, entry, "regex:[col1|col2|...]")?;
        let inner = columns
            .strip_prefix('[')
            .and_then(|c| c.strip_suffix(']'))
            .ok_or_else(|| {
                issue(
                    key,
                    entry,
                    "Columns list must be enclosed in square brackets",
                )
            })?;
        if inner.trim().is_empty() {
            return Err(issue(key, entry, "Columns list cannot be empty"));
        }
        let cols: Vec<String> = inner.split('|').map(|c| c.trim().to_string()).collect();
        if cols.iter().any(String::is_empty) {
            return Err(issue(
                key,
                entry,
                "Every column name should be non-empty string",
            ));
        }
        out.entries.push((text, regex, cols));
    }
    Ok(out)
}

/// Parses `incrementing.column.mapping`: entries `regex:column`.
pub fn parse_incrementing(key: &str, entries: &[String]) -> Result<ColumnMapping<String>> {
    let mut out = ColumnMapping::default();
    for entry in entries.iter().map(|e| e.trim()).filter(|e| !e.is_empty()) {
        let (text, regex, column) = split_entry(key, entry, "regex:columnName")?;
        if column.is_empty() {
            return Err(issue(key, entry, "Column name cannot be empty"));
        }
        out.entries.push((text, regex, column));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn timestamp_mappings() {
        let m = parse_timestamp(
            "timestamp.columns.mapping",
            &list(&[
                "public\\.orders.*:[updated_at|created_at]",
                "public\\.users:[ts]",
            ]),
        )
        .unwrap();
        assert_eq!(
            m.for_table("timestamp", "public.orders_2024").unwrap(),
            ["updated_at", "created_at"]
        );
        assert_eq!(m.for_table("timestamp", "public.users").unwrap(), ["ts"]);
        // a full match is needed
        let e = m
            .for_table("timestamp", "public.users_old")
            .unwrap_err()
            .to_string();
        assert!(e.contains("'public.users_old' does not match any"), "{e}");
        let twice = parse_timestamp("k", &list(&["a.*:[x]", ".*b:[y]"])).unwrap();
        assert!(twice
            .for_table("timestamp", "ab")
            .unwrap_err()
            .to_string()
            .contains("more than one"));
        for (bad, why) in [
            ("orders", "Invalid format"),
            ("a:b:[c]", "Invalid format"),
            ("(:[c]", "Invalid regular expression"),
            ("orders:c", "square brackets"),
            ("orders:[ ]", "cannot be empty"),
            ("orders:[a||b]", "non-empty"),
        ] {
            let e = parse_timestamp("timestamp.columns.mapping", &list(&[bad]))
                .unwrap_err()
                .to_string();
            assert!(
                e.contains(why) && e.contains("timestamp.columns.mapping"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn incrementing_mappings() {
        let m = parse_incrementing("k", &list(&["ferry\\.t.*:id", "ferry\\.u:uid"])).unwrap();
        assert_eq!(m.for_table("incrementing", "ferry.t1").unwrap(), "id");
        assert_eq!(m.for_table("incrementing", "ferry.u").unwrap(), "uid");
        assert!(parse_incrementing("k", &list(&["t:"])).is_err());
        assert!(parse_incrementing("k", &list(&["t"])).is_err());
        assert!(!m.is_empty() && ColumnMapping::<String>::default().is_empty());
    }
}
