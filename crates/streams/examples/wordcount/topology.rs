//! The WordCount topology of Kafka's `WordCountDemo`.

use streams::serde::Serdes;
use streams::{Produced, StreamsBuilder};

/// The demo's input topic.
pub const INPUT: &str = "streams-plaintext-input";
/// The demo's output topic.
pub const OUTPUT: &str = "streams-wordcount-output";

/// Java's `line.toLowerCase(Locale.getDefault()).split("\\W+")`: `\W` is ASCII-only, a leading
/// delimiter gives a leading empty word, trailing empty words are dropped, and an empty line
/// is one empty word.
pub fn words(line: &str) -> Vec<String> {
    let lower = line.to_lowercase();
    let delimiter = |c: char| !(c.is_ascii_alphanumeric() || c == '_');
    if !lower.contains(delimiter) {
        return vec![lower];
    }
    let mut out: Vec<String> = lower
        .split(delimiter)
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    if !out.is_empty() && lower.starts_with(delimiter) {
        out.insert(0, String::new());
    }
    out
}

/// `stream(input).flatMapValues(words).groupBy((k, w) -> w).count().toStream().to(output)`.
pub fn build(builder: &StreamsBuilder, input: &str, output: &str) {
    let lines = builder.stream::<String, String>(input);
    lines
        .flat_map_values(|line: &String| words(line))
        .group_by(|_, word: &String| word.clone())
        .count()
        .to_stream()
        .to_with(output, Produced::with(Serdes::string(), Serdes::long()));
}
