//! Java regular expressions (`java.util.regex.Pattern`) on top of the `regex` crate, as
//! RegexRouter and TopicNameMatches need them: `matches()` (the whole text), `replaceFirst`
//! with Java's replacement syntax (`$1`, `${name}`, `\$`), and Java's `PatternSyntaxException`
//! message layout (`Unclosed character class near index 0` + pattern + caret).
//!
//! A Java pattern is rewritten into the `regex` crate's dialect first:
//! - `\d \w \s \h \v` and their negations keep Java's (ASCII) meaning, POSIX classes
//!   (`\p{Alpha}`, `\p{Punct}`, …) become ASCII classes, `\Q…\E` quotes, `\e \a \cX \0oo \R`
//!   are spelled out, and the flags Java and Rust read differently (`u`, `d`, `U`) are dropped;
//! - constructs the `regex` crate cannot run (look-around, atomic groups, back-references,
//!   possessive quantifiers) are refused with a clear message rather than approximated.
//!
//! Structural errors Java reports with a fixed text (unclosed character class or group,
//! unmatched `)`, dangling `*`/`+`/`?`, trailing `\`) get Java's text and index.

use std::fmt::Write as _;

use regex::{Captures, Regex};

/// A compiled Java pattern.
#[derive(Debug, Clone)]
pub struct JavaRegex {
    /// The Java pattern as configured.
    source: String,
    /// The translated pattern anchored at both ends (Java `Matcher.matches()`).
    full: Regex,
    /// The translated pattern unanchored (Java `Matcher.find()`).
    find: Regex,
}

impl JavaRegex {
    /// Compiles a Java pattern. The error is the message Java's `PatternSyntaxException` would
    /// carry (`getMessage()`), or a Ferry message of the same layout for a construct that the
    /// engine does not support.
    pub fn compile(pattern: &str) -> Result<JavaRegex, String> {
        let translated = translate(pattern)?;
        let find = Regex::new(&translated).map_err(|e| rust_error(pattern, &e))?;
        let full =
            Regex::new(&format!(r"\A(?:{translated})\z")).map_err(|e| rust_error(pattern, &e))?;
        Ok(JavaRegex {
            source: pattern.to_string(),
            full,
            find,
        })
    }

    /// The Java pattern as configured.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Java `pattern.matcher(text).matches()`: whether the whole text matches.
    pub fn matches(&self, text: &str) -> bool {
        self.full.is_match(text)
    }

    /// The first match found scanning from the start (Java `find()` after `reset()`).
    pub fn first_captures<'t>(&self, text: &'t str) -> Option<Captures<'t>> {
        self.find.captures(text)
    }

    /// The number of capturing groups (Java `groupCount()`).
    pub fn group_count(&self) -> usize {
        self.find.captures_len().saturating_sub(1)
    }

    /// The group number of a named group.
    pub fn group_index(&self, name: &str) -> Option<usize> {
        self.find.capture_names().position(|n| n == Some(name))
    }
}

/// Java's `PatternSyntaxException.getMessage()`: the description, ` near index i` when known,
/// then the pattern, then a caret under the index when it falls inside the pattern.
pub fn syntax_message(desc: &str, index: Option<usize>, pattern: &str) -> String {
    let mut out = String::from(desc);
    if let Some(i) = index {
        let _ = write!(out, " near index {i}");
    }
    out.push('\n');
    out.push_str(pattern);
    if let Some(i) = index {
        if i < pattern.encode_utf16().count() {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', i));
            out.push('^');
        }
    }
    out
}

/// The message for an error the `regex` crate reports on a translated pattern: its own
/// description (capitalised), laid out like Java's.
fn rust_error(pattern: &str, error: &regex::Error) -> String {
    let text = error.to_string();
    let desc = text
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error: "))
        .unwrap_or(text.as_str());
    let mut chars = desc.chars();
    let desc = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect::<String>(),
        None => String::from("Invalid pattern"),
    };
    syntax_message(&desc, None, pattern)
}

/// Java's ASCII `\s`.
const SPACE: &str = r"\t\n\x0B\f\r ";
/// Java's `\h`.
const HSPACE: &str = r" \t\xA0\x{1680}\x{180E}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}";
/// Java's `\v` (vertical whitespace).
const VSPACE: &str = r"\n\x0B\f\r\x{85}\x{2028}\x{2029}";

/// The body of a character class for a Java shorthand (`d`, `w`, …) and whether it is negated.
fn shorthand(c: char) -> Option<(&'static str, bool)> {
    Some(match c {
        'd' => ("0-9", false),
        'D' => ("0-9", true),
        'w' => ("a-zA-Z_0-9", false),
        'W' => ("a-zA-Z_0-9", true),
        's' => (SPACE, false),
        'S' => (SPACE, true),
        'h' => (HSPACE, false),
        'H' => (HSPACE, true),
        'v' => (VSPACE, false),
        'V' => (VSPACE, true),
        _ => return None,
    })
}

/// Java's POSIX character classes (`\p{Alpha}`, US-ASCII only) as `regex` class bodies.
fn posix_class(name: &str) -> Option<&'static str> {
    Some(match name {
        "Lower" => "[:lower:]",
        "Upper" => "[:upper:]",
        "ASCII" => "[:ascii:]",
        "Alpha" => "[:alpha:]",
        "Digit" => "[:digit:]",
        "Alnum" => "[:alnum:]",
        "Punct" => "[:punct:]",
        "Graph" => "[:graph:]",
        "Print" => "[:print:]",
        "Blank" => "[:blank:]",
        "Cntrl" => "[:cntrl:]",
        "XDigit" => "[:xdigit:]",
        "Space" => "[:space:]",
        _ => return None,
    })
}

/// An unsupported construct at `index`.
fn unsupported(what: &str, index: usize, pattern: &str) -> String {
    syntax_message(
        &format!("{what} not supported by Ferry's regular expression engine"),
        Some(index),
        pattern,
    )
}

/// Writes `c` escaped so that it is literal in the `regex` crate, in or out of a class.
fn push_literal(out: &mut String, c: char) {
    if c.is_ascii_punctuation() || c == ' ' || c == '#' {
        out.push('\\');
        out.push(c);
    } else if c.is_control() {
        let _ = write!(out, r"\x{{{:X}}}", u32::from(c));
    } else {
        out.push(c);
    }
}

/// Translator state.
struct Translator<'a> {
    pattern: &'a str,
    chars: Vec<char>,
    pos: usize,
    out: String,
    /// Nesting of character classes (`[` … `]`, Java allows nesting).
    class_depth: usize,
    /// For each open group, the comments mode (`x`) outside it, restored when it closes.
    groups: Vec<bool>,
    /// Whether comments mode is on: `#` starts a comment, which is dropped here so that the
    /// anchoring added around the pattern stays outside it.
    comments: bool,
    /// Whether a quantifier here would have nothing to repeat (start of a sequence).
    at_sequence_start: bool,
}

/// Rewrites a Java pattern into the `regex` crate's dialect (see the module docs).
fn translate(pattern: &str) -> Result<String, String> {
    let mut t = Translator {
        pattern,
        chars: pattern.chars().collect(),
        pos: 0,
        out: String::with_capacity(pattern.len() + 8),
        class_depth: 0,
        groups: Vec::new(),
        comments: false,
        at_sequence_start: true,
    };
    t.run()?;
    Ok(t.out)
}

impl Translator<'_> {
    fn peek(&self, ahead: usize) -> Option<char> {
        self.chars.get(self.pos + ahead).copied()
    }

    fn error(&self, desc: &str, index: usize) -> String {
        syntax_message(desc, Some(index), self.pattern)
    }

    /// An error Java reports one character before `index` (its cursor had not moved past the
    /// offending character); at the very start Java's index is -1 and not shown.
    fn error_before(&self, desc: &str, index: usize) -> String {
        syntax_message(desc, index.checked_sub(1), self.pattern)
    }

    fn run(&mut self) -> Result<(), String> {
        while let Some(c) = self.peek(0) {
            if self.class_depth > 0 {
                self.class_char(c)?;
            } else {
                self.outer_char(c)?;
            }
        }
        if self.class_depth > 0 {
            let last = self.chars.len().saturating_sub(1);
            return Err(self.error("Unclosed character class", last));
        }
        if !self.groups.is_empty() {
            return Err(self.error("Unclosed group", self.chars.len()));
        }
        Ok(())
    }

    fn outer_char(&mut self, c: char) -> Result<(), String> {
        let start = self.pos;
        match c {
            '\\' => {
                self.escape(false)?;
                self.at_sequence_start = false;
            }
            '[' => {
                self.pos += 1;
                self.out.push('[');
                self.class_depth = 1;
                if self.peek(0) == Some('^') {
                    self.pos += 1;
                    self.out.push('^');
                }
                self.at_sequence_start = false;
            }
            '(' => self.open_group()?,
            ')' => {
                let Some(outer) = self.groups.pop() else {
                    return Err(self.error_before("Unmatched closing ')'", start));
                };
                self.comments = outer;
                self.pos += 1;
                self.out.push(')');
                self.at_sequence_start = false;
            }
            '#' if self.comments => {
                while let Some(ch) = self.peek(0) {
                    self.pos += 1;
                    if ch == '\n' {
                        break;
                    }
                }
                self.out.push('\n');
            }
            '|' => {
                self.pos += 1;
                self.out.push('|');
                self.at_sequence_start = true;
            }
            '*' | '+' | '?' => {
                if self.at_sequence_start {
                    return Err(self.error(&format!("Dangling meta character '{c}'"), start));
                }
                self.pos += 1;
                self.out.push(c);
                self.after_quantifier()?;
            }
            '{' => {
                // Java reads `{` as a repetition `{n}`, `{n,}` or `{n,m}`, and nothing else.
                let rest: String = self.chars[self.pos..].iter().collect();
                let body_ok = |end: usize| {
                    let body = &rest[1..end];
                    let mut parts = body.splitn(2, ',');
                    let min = parts.next().unwrap_or("");
                    let max = parts.next();
                    !min.is_empty()
                        && min.chars().all(|c| c.is_ascii_digit())
                        && max.is_none_or(|m| m.chars().all(|c| c.is_ascii_digit()))
                };
                match rest.find('}') {
                    Some(end) if end > 1 && body_ok(end) && !self.at_sequence_start => {
                        self.out.push_str(&rest[..=end]);
                        self.pos += rest[..=end].chars().count();
                        self.after_quantifier()?;
                    }
                    _ => return Err(self.error_before("Illegal repetition", start)),
                }
            }
            _ => {
                self.pos += 1;
                self.out.push(c);
                self.at_sequence_start = false;
            }
        }
        Ok(())
    }

    /// After a quantifier: a lazy `?` is kept, a possessive `+` is refused.
    fn after_quantifier(&mut self) -> Result<(), String> {
        match self.peek(0) {
            Some('?') => {
                self.pos += 1;
                self.out.push('?');
            }
            Some('+') => {
                return Err(unsupported(
                    "Possessive quantifiers are",
                    self.pos,
                    self.pattern,
                ))
            }
            _ => {}
        }
        self.at_sequence_start = false;
        Ok(())
    }

    fn open_group(&mut self) -> Result<(), String> {
        let start = self.pos;
        self.pos += 1;
        self.groups.push(self.comments);
        self.at_sequence_start = true;
        if self.peek(0) != Some('?') {
            self.out.push('(');
            return Ok(());
        }
        match (self.peek(1), self.peek(2)) {
            (Some(':'), _) => {
                self.pos += 2;
                self.out.push_str("(?:");
            }
            (Some('<'), Some('=' | '!')) | (Some('=' | '!'), _) => {
                return Err(unsupported("Look-around groups are", start, self.pattern));
            }
            (Some('>'), _) => return Err(unsupported("Atomic groups are", start, self.pattern)),
            (Some('<'), _) => {
                // Named group `(?<name>`: the same syntax in both dialects.
                self.pos += 2;
                self.out.push_str("(?<");
            }
            _ => self.flag_group(start)?,
        }
        Ok(())
    }

    /// `(?flags)` or `(?flags:`: Java's `i m s x` are kept; `u d U` (Unicode case, Unix lines,
    /// Unicode classes) mean something else or nothing to the `regex` crate and are dropped.
    fn flag_group(&mut self, start: usize) -> Result<(), String> {
        self.pos += 1; // past '?'
        let mut kept = String::new();
        let mut negated = false;
        let mut comments = self.comments;
        loop {
            match self.peek(0) {
                Some(c @ ('i' | 'm' | 's' | 'x' | '-')) => {
                    match c {
                        '-' => negated = true,
                        'x' => comments = !negated,
                        _ => {}
                    }
                    kept.push(c);
                    self.pos += 1;
                }
                Some('u' | 'd' | 'U' | 'c') => self.pos += 1,
                Some(')') => {
                    self.pos += 1;
                    // A bare flag group opens no group; its flags hold until the enclosing
                    // group closes.
                    self.groups.pop();
                    self.comments = comments;
                    let kept = kept.trim_end_matches('-');
                    if !kept.is_empty() {
                        let _ = write!(self.out, "(?{kept})");
                    }
                    return Ok(());
                }
                Some(':') => {
                    self.pos += 1;
                    self.comments = comments;
                    let kept = kept.trim_end_matches('-');
                    let _ = write!(self.out, "(?{kept}:");
                    return Ok(());
                }
                _ => return Err(self.error("Unknown inline modifier", self.pos.max(start))),
            }
        }
    }

    fn class_char(&mut self, c: char) -> Result<(), String> {
        match c {
            '\\' => self.escape(true),
            '[' => {
                self.pos += 1;
                self.out.push('[');
                self.class_depth += 1;
                if self.peek(0) == Some('^') {
                    self.pos += 1;
                    self.out.push('^');
                }
                Ok(())
            }
            ']' => {
                self.pos += 1;
                self.out.push(']');
                self.class_depth -= 1;
                Ok(())
            }
            '~' => {
                // `~~` is an operator to the `regex` crate, a literal to Java.
                self.pos += 1;
                self.out.push_str(r"\~");
                Ok(())
            }
            _ => {
                self.pos += 1;
                self.out.push(c);
                Ok(())
            }
        }
    }

    /// A backslash sequence; `self.pos` is on the backslash.
    fn escape(&mut self, in_class: bool) -> Result<(), String> {
        let start = self.pos;
        let Some(c) = self.peek(1) else {
            return Err(self.error("Unexpected internal error", self.chars.len()));
        };
        self.pos += 2;
        if let Some((body, negated)) = shorthand(c) {
            let open = if negated { "[^" } else { "[" };
            let _ = write!(self.out, "{open}{body}]");
            return Ok(());
        }
        match c {
            'Q' => {
                while self.pos < self.chars.len() {
                    if self.peek(0) == Some('\\') && self.peek(1) == Some('E') {
                        self.pos += 2;
                        return Ok(());
                    }
                    push_literal(&mut self.out, self.chars[self.pos]);
                    self.pos += 1;
                }
            }
            'E' => {} // a stray \E is ignored by Java
            'e' => self.out.push_str(r"\x1B"),
            'a' => self.out.push_str(r"\x07"),
            'c' => {
                let Some(ctl) = self.peek(0) else {
                    return Err(self.error("Illegal control escape sequence", self.pos));
                };
                self.pos += 1;
                let _ = write!(self.out, r"\x{{{:X}}}", u32::from(ctl) ^ 64);
            }
            '0' => {
                let mut value: u32 = 0;
                let mut digits = 0;
                while digits < 3 {
                    match self.peek(0).and_then(|d| d.to_digit(8)) {
                        Some(d) if value * 8 + d <= 0o377 => {
                            value = value * 8 + d;
                            self.pos += 1;
                            digits += 1;
                        }
                        _ => break,
                    }
                }
                if digits == 0 {
                    return Err(self.error("Illegal octal escape sequence", self.pos));
                }
                let _ = write!(self.out, r"\x{{{value:X}}}");
            }
            'R' if !in_class => self
                .out
                .push_str(r"(?:\r\n|[\n\x0B\f\r\x{85}\x{2028}\x{2029}])"),
            'Z' if !in_class => self.out.push_str(r"\z"),
            '1'..='9' | 'k' => {
                return Err(unsupported("Back-references are", start, self.pattern));
            }
            'G' | 'X' => {
                return Err(unsupported(&format!("\\{c} is"), start, self.pattern));
            }
            'p' | 'P' => self.property(c == 'P', start)?,
            _ => {
                self.out.push('\\');
                self.out.push(c);
            }
        }
        Ok(())
    }

    /// `\p{Name}`, `\pL`, `\P{…}`: POSIX names become ASCII classes, `Is`/`java` prefixes are
    /// resolved where the `regex` crate knows the property.
    fn property(&mut self, negated: bool, start: usize) -> Result<(), String> {
        let name: String = if self.peek(0) == Some('{') {
            let rest: String = self.chars[self.pos + 1..].iter().collect();
            let Some(end) = rest.find('}') else {
                return Err(self.error("Unclosed character family", self.chars.len()));
            };
            let name = rest[..end].to_string();
            self.pos += 1 + name.chars().count() + 1;
            name
        } else {
            let Some(c) = self.peek(0) else {
                return Err(self.error("Illegal character family", start));
            };
            self.pos += 1;
            c.to_string()
        };
        if let Some(body) = posix_class(&name) {
            let open = if negated { "[^" } else { "[" };
            let _ = write!(self.out, "{open}{body}]");
            return Ok(());
        }
        let mapped = match name.as_str() {
            "javaLowerCase" => "Lowercase",
            "javaUpperCase" => "Uppercase",
            "javaWhitespace" | "javaSpaceChar" => "White_Space",
            "javaAlphabetic" => "Alphabetic",
            other => other.strip_prefix("Is").unwrap_or(other),
        };
        let letter = if negated { 'P' } else { 'p' };
        let _ = write!(self.out, "\\{letter}{{{mapped}}}");
        Ok(())
    }
}

/// One piece of a parsed Java replacement string.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    Literal(String),
    Group(usize),
}

/// A Java replacement string (`Matcher.appendReplacement` syntax) parsed against a pattern.
/// Java only reads the replacement when it substitutes a match, so an invalid replacement is
/// kept as its error and reported at that moment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    parsed: Result<Vec<Piece>, String>,
}

impl Replacement {
    /// Parses `replacement` for `regex`: `\x` is a literal `x`, `$n` takes the longest group
    /// number that exists (at least one digit), `${name}` a named group.
    pub fn parse(replacement: &str, regex: &JavaRegex) -> Replacement {
        Replacement {
            parsed: parse_replacement(replacement, regex),
        }
    }

    /// Java `matcher.replaceFirst(replacement)`: the text with its first match replaced, or the
    /// text unchanged without a match. The error is the message of Java's
    /// `IllegalArgumentException` / `IndexOutOfBoundsException`.
    pub fn replace_first(&self, regex: &JavaRegex, text: &str) -> Result<String, String> {
        let Some(caps) = regex.first_captures(text) else {
            return Ok(text.to_string());
        };
        let pieces = self.parsed.as_ref().map_err(Clone::clone)?;
        let whole = caps.get(0).map(|m| m.range()).unwrap_or(0..0);
        let mut out = String::with_capacity(text.len() + 16);
        out.push_str(&text[..whole.start]);
        for piece in pieces {
            match piece {
                Piece::Literal(s) => out.push_str(s),
                Piece::Group(i) => {
                    if let Some(m) = caps.get(*i) {
                        out.push_str(m.as_str());
                    }
                }
            }
        }
        out.push_str(&text[whole.end..]);
        Ok(out)
    }
}

fn parse_replacement(replacement: &str, regex: &JavaRegex) -> Result<Vec<Piece>, String> {
    let chars: Vec<char> = replacement.chars().collect();
    let group_count = regex.group_count();
    let mut pieces = Vec::new();
    let mut literal = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            i += 1;
            let Some(&next) = chars.get(i) else {
                return Err("character to be escaped is missing".to_string());
            };
            literal.push(next);
            i += 1;
        } else if c == '$' {
            i += 1;
            let Some(&next) = chars.get(i) else {
                return Err("Illegal group reference: group index is missing".to_string());
            };
            let group = if next == '{' {
                i += 1;
                let mut name = String::new();
                let mut last = next;
                while let Some(&ch) = chars.get(i) {
                    last = ch;
                    if ch.is_ascii_alphanumeric() {
                        name.push(ch);
                        i += 1;
                    } else {
                        break;
                    }
                }
                if name.is_empty() {
                    return Err("named capturing group has 0 length name".to_string());
                }
                if last != '}' {
                    return Err("named capturing group is missing trailing '}'".to_string());
                }
                if name.starts_with(|ch: char| ch.is_ascii_digit()) {
                    return Err(format!(
                        "capturing group name {{{name}}} starts with digit character"
                    ));
                }
                let Some(index) = regex.group_index(&name) else {
                    return Err(format!("No group with name {{{name}}}"));
                };
                i += 1; // past '}'
                index
            } else {
                let Some(first) = next.to_digit(10) else {
                    return Err("Illegal group reference".to_string());
                };
                i += 1;
                let mut number = first as usize;
                while let Some(d) = chars.get(i).and_then(|ch| ch.to_digit(10)) {
                    let longer = number * 10 + d as usize;
                    if longer > group_count {
                        break;
                    }
                    number = longer;
                    i += 1;
                }
                if number > group_count {
                    return Err(format!("No group {number}"));
                }
                number
            };
            if !literal.is_empty() {
                pieces.push(Piece::Literal(std::mem::take(&mut literal)));
            }
            pieces.push(Piece::Group(group));
        } else {
            literal.push(c);
            i += 1;
        }
    }
    if !literal.is_empty() {
        pieces.push(Piece::Literal(literal));
    }
    Ok(pieces)
}

#[cfg(test)]
#[path = "java_regex_tests.rs"]
mod tests;
