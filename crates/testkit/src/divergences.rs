//! The project's reviewed list of deliberate divergences from Kafka
//! (`crates/testkit/golden-divergences.txt`): one `<case-id>  <reason>` per line, `#` comments.
//! A case may be listed only where Kafka silently corrupts or loses data and Ferry raises a
//! clear data error instead.

use std::collections::BTreeMap;

/// The divergence list compiled into the runner.
pub const DEFAULT_LIST: &str = include_str!("../golden-divergences.txt");

/// A parsed divergence list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Divergences {
    /// Case id → reason.
    pub entries: BTreeMap<String, String>,
    /// Lines that are not `<case-id>  <reason>` (each makes the run fail).
    pub problems: Vec<String>,
}

impl Divergences {
    /// Parses a list. `source` names it in problem reports.
    pub fn parse(source: &str, text: &str) -> Divergences {
        let mut list = Divergences::default();
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (id, reason) = match line.split_once(char::is_whitespace) {
                Some((id, reason)) if !reason.trim().is_empty() => (id, reason.trim()),
                _ => {
                    list.problems.push(format!(
                        "{source}:{}: \"{line}\" has no reason (format: <case-id>  <reason>)",
                        i + 1
                    ));
                    continue;
                }
            };
            if list
                .entries
                .insert(id.to_string(), reason.to_string())
                .is_some()
            {
                list.problems
                    .push(format!("{source}:{}: {id} is listed twice", i + 1));
            }
        }
        list
    }

    /// The list compiled into the runner.
    pub fn builtin() -> Divergences {
        Divergences::parse("golden-divergences.txt", DEFAULT_LIST)
    }

    /// The reason a case is listed, if it is.
    pub fn reason(&self, id: &str) -> Option<&str> {
        self.entries.get(id).map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ids_reasons_and_problems() {
        let list = Divergences::parse(
            "x",
            "# header\n\njson_to_connect-1  int8 300 wraps to 44\nbad-id\n  a-2\tb c  \na-2 again\n",
        );
        assert_eq!(
            list.reason("json_to_connect-1"),
            Some("int8 300 wraps to 44")
        );
        assert_eq!(list.reason("a-2"), Some("again"));
        assert_eq!(list.problems.len(), 2, "{:?}", list.problems);
        assert!(Divergences::builtin().problems.is_empty());
    }
}
