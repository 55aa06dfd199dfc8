//! The tokenizer of `Values.parseString` (Java's `Values.Parser`).
//!
//! Tokens are the delimiters `: , { } [ ] "` (each its own token unless escaped with `\`) and
//! the runs of text between them. Whitespace is part of the text tokens; `can_consume` skips
//! whitespace-only tokens and compares trimmed text.

use super::number::{is_blank, java_trim};

/// A cursor over the tokens of one text, with one token of look-ahead.
#[derive(Debug)]
pub(crate) struct Tokenizer<'a> {
    original: &'a str,
    /// Byte index of the next unread character.
    pos: usize,
    /// A token already read ahead by `is_next`, not yet consumed.
    next_token: Option<&'a str>,
}

fn is_delimiter(b: u8) -> bool {
    matches!(b, b':' | b',' | b'{' | b'}' | b'[' | b']' | b'"')
}

impl<'a> Tokenizer<'a> {
    /// A tokenizer at the start of `original`.
    pub fn new(original: &'a str) -> Self {
        Tokenizer {
            original,
            pos: 0,
            next_token: None,
        }
    }

    /// The whole text.
    pub fn original(&self) -> &'a str {
        self.original
    }

    /// A position to rewind to: before any look-ahead token.
    pub fn mark(&self) -> usize {
        self.pos - self.next_token.map_or(0, str::len)
    }

    /// Goes back to a position from [`Tokenizer::mark`], forgetting the look-ahead.
    pub fn rewind_to(&mut self, position: usize) {
        self.pos = position;
        self.next_token = None;
    }

    /// Whether any token is left.
    pub fn has_next(&self) -> bool {
        self.next_token.is_some() || self.can_consume_next_token()
    }

    fn can_consume_next_token(&self) -> bool {
        self.pos < self.original.len()
    }

    /// The next token (empty at the end of the text).
    pub fn next(&mut self) -> &'a str {
        match self.next_token.take() {
            Some(t) => t,
            None => self.consume_next_token(),
        }
    }

    /// The text of the next `n` tokens, or `None` (and nothing consumed) if there are fewer.
    pub fn next_n(&mut self, n: usize) -> Option<&'a str> {
        let start = self.mark();
        for _ in 0..n {
            if !self.has_next() {
                self.rewind_to(start);
                return None;
            }
            self.next();
        }
        Some(&self.original[start..self.pos])
    }

    fn consume_next_token(&mut self) -> &'a str {
        let bytes = self.original.as_bytes();
        let start = self.pos;
        let mut escaped = false;
        while self.pos < bytes.len() {
            let b = bytes[self.pos];
            if b == b'\\' {
                escaped = !escaped;
            } else if is_delimiter(b) && !escaped {
                if start < self.pos {
                    return &self.original[start..self.pos];
                }
                self.pos += 1;
                return &self.original[start..self.pos];
            } else {
                escaped = false;
            }
            self.pos += 1;
        }
        &self.original[start..self.pos]
    }

    /// Consumes the next token if, trimmed, it is `expected` (whitespace-only tokens before it
    /// are skipped).
    pub fn can_consume(&mut self, expected: &str) -> bool {
        if self.is_next(expected) {
            self.next_token = None;
            return true;
        }
        false
    }

    fn is_next(&mut self, expected: &str) -> bool {
        let mut token = match self.next_token {
            Some(t) => t,
            None => {
                if !self.has_next() {
                    return false;
                }
                self.consume_next_token()
            }
        };
        while is_blank(token) && self.can_consume_next_token() {
            token = self.consume_next_token();
        }
        self.next_token = Some(token);
        java_trim(token) == expected
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(s: &str) -> Vec<&str> {
        let mut t = Tokenizer::new(s);
        let mut out = Vec::new();
        while t.has_next() {
            out.push(t.next());
        }
        out
    }

    #[test]
    fn splits_on_delimiters() {
        assert_eq!(tokens("[1, 2]"), vec!["[", "1", ",", " 2", "]"]);
        assert_eq!(
            tokens("{\"a\":1}"),
            vec!["{", "\"", "a", "\"", ":", "1", "}"]
        );
        assert_eq!(tokens("12\\:34"), vec!["12\\:34"]);
        assert_eq!(tokens("a\\\\:b"), vec!["a\\\\", ":", "b"]);
        assert_eq!(tokens("x\\\"y"), vec!["x\\\"y"]);
        assert_eq!(tokens("h\u{e9}:"), vec!["h\u{e9}", ":"]);
    }

    #[test]
    fn consume_skips_blank_tokens() {
        let mut t = Tokenizer::new("[ ]");
        assert!(t.can_consume("["));
        assert!(t.can_consume("]"));
        assert!(!t.has_next());
        let mut t = Tokenizer::new("a b");
        assert!(!t.can_consume("a"));
        assert_eq!(t.mark(), 0);
        assert_eq!(t.next(), "a b");
    }

    #[test]
    fn next_n_rewinds_when_short() {
        let mut t = Tokenizer::new("12:34:56.789Z");
        assert_eq!(t.next(), "12");
        let mark = t.mark();
        assert_eq!(t.next_n(4), Some(":34:56.789Z"));
        t.rewind_to(mark);
        assert_eq!(t.next_n(5), None);
        assert_eq!(t.mark(), mark);
    }
}
