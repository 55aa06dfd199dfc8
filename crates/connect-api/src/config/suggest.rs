//! "Did you mean …?": the defined key closest to an unknown one.

use crate::config::ConfigDef;

impl ConfigDef {
    /// The defined key a user probably meant by `unknown`, for a "did you mean …?" hint (see
    /// [`suggest_key`] for the rules). Internal keys are never suggested; `None` if `unknown`
    /// is itself defined or nothing is close.
    pub fn suggest(&self, unknown: &str) -> Option<&str> {
        if self.contains(unknown) {
            return None;
        }
        suggest_key(
            unknown,
            self.keys()
                .iter()
                .filter(|k| !k.is_internal())
                .map(|k| k.name()),
        )
    }
}

/// The candidate a user probably meant by `unknown`:
/// 1. the first candidate equal to it once both are normalised (ASCII case ignored, `-`, `_`
///    and `.` treated alike): `Tasks_Max` → `tasks.max`;
/// 2. otherwise the candidate at the smallest edit distance (insertions, deletions,
///    substitutions and swaps of neighbours, counted on the normalised forms), if that
///    distance is at most 2 and at most half the length of `unknown`; the first such
///    candidate wins a tie.
///
/// `None` if `unknown` is one of the candidates.
pub fn suggest_key<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let candidates: Vec<&'a str> = candidates.into_iter().collect();
    if candidates.contains(&unknown) {
        return None;
    }
    let wanted = normalise(unknown);
    if let Some(same) = candidates.iter().find(|c| normalise(c) == wanted) {
        return Some(same);
    }
    let limit = 2.min(wanted.len() / 2);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let distance = edit_distance(&wanted, &normalise(candidate));
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Lower-cases ASCII letters and maps `-` and `_` to `.`.
fn normalise(key: &str) -> Vec<char> {
    key.chars()
        .map(|c| match c {
            '-' | '_' => '.',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Optimal string alignment distance: Levenshtein plus swaps of two neighbours.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for (i, row) in d.chunks_mut(width).enumerate() {
        row[0] = i;
    }
    for (j, cell) in d.iter_mut().take(width).enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = v;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigKey, ConfigType};

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn edit_distance_counts_swaps_as_one() {
        assert_eq!(edit_distance(&chars(""), &chars("")), 0);
        assert_eq!(edit_distance(&chars("abc"), &chars("")), 3);
        assert_eq!(edit_distance(&chars(""), &chars("ab")), 2);
        assert_eq!(edit_distance(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(edit_distance(&chars("name"), &chars("nmae")), 1);
        assert_eq!(edit_distance(&chars("topics"), &chars("topic")), 1);
    }

    fn def() -> ConfigDef {
        ConfigDef::new()
            .define(ConfigKey::new("tasks.max", ConfigType::Int).default_value(1))
            .define(ConfigKey::new("topics", ConfigType::List).default_value(""))
            .define(ConfigKey::new("topics.regex", ConfigType::String).default_value(""))
            .define(ConfigKey::new("name", ConfigType::String))
            .define(
                ConfigKey::new("internal.secret.knob", ConfigType::String)
                    .default_value("")
                    .internal(true),
            )
    }

    #[test]
    fn suggests_the_probable_key() {
        let def = def();
        assert_eq!(def.suggest("tasks_max"), Some("tasks.max"));
        assert_eq!(def.suggest("tasks-max"), Some("tasks.max"));
        assert_eq!(def.suggest("Tasks.Max"), Some("tasks.max"));
        assert_eq!(def.suggest("task.max"), Some("tasks.max"));
        assert_eq!(def.suggest("tasks.maxx"), Some("tasks.max"));
        assert_eq!(def.suggest("taks.max"), Some("tasks.max"));
        assert_eq!(def.suggest("topic"), Some("topics"));
        assert_eq!(def.suggest("topics.regx"), Some("topics.regex"));
        assert_eq!(def.suggest("topics_regex"), Some("topics.regex"));
        assert_eq!(def.suggest("nmae"), Some("name"));
    }

    #[test]
    fn no_suggestion_when_nothing_is_close() {
        let def = def();
        assert_eq!(def.suggest("tasks.max"), None);
        assert_eq!(def.suggest("bootstrap.servers"), None);
        assert_eq!(def.suggest("tsk.mx"), None);
        assert_eq!(def.suggest("x"), None);
        assert_eq!(def.suggest(""), None);
        // internal keys are not offered
        assert_eq!(def.suggest("internal.secret.knobs"), None);
        assert_eq!(ConfigDef::new().suggest("a"), None);
    }

    #[test]
    fn short_keys_allow_fewer_edits() {
        let candidates = ["ab", "abcd"];
        assert_eq!(suggest_key("a", candidates), None);
        assert_eq!(suggest_key("abc", candidates), Some("ab"));
        assert_eq!(suggest_key("abce", candidates), Some("abcd"));
        assert_eq!(suggest_key("ab", candidates), None);
        assert_eq!(suggest_key("A-B", ["a.b", "a_b"]), Some("a.b"));
    }
}
