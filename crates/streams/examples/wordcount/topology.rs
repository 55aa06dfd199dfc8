//! The WordCount topology of Kafka's `WordCountDemo`.

use std::sync::OnceLock;

use regex::Regex;
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
    static NON_WORD: OnceLock<Regex> = OnceLock::new();
    let lower = line.to_lowercase();
    let re = NON_WORD.get_or_init(|| Regex::new("[^A-Za-z0-9_]+").expect("a valid regex"));
    let mut parts: Vec<String> = re.split(&lower).map(str::to_string).collect();
    if parts.len() == 1 {
        return parts;
    }
    while parts.last().is_some_and(String::is_empty) {
        parts.pop();
    }
    parts
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
