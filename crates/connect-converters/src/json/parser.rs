//! A JSON parser with Jackson's leniencies, generic over what it builds.
//!
//! One grammar, three products: a [`JsonNode`](super::JsonNode) tree, a schemaless Connect
//! [`Value`](connect_api::Value) (see `schemaless.rs`), or nothing at all (syntax check only, used
//! to skip the envelope's `schema` member). Keeping one grammar means every product accepts and
//! rejects exactly the same documents.
//!
//! Lenient mode is what Kafka's `JsonDeserializer` (Jackson 2.14, `ObjectMapper.readTree`) accepts:
//! a UTF-8 BOM, numbers with leading zeros (`007` is 7), anything after the first complete value
//! (`{}x`, `1 2`; but a root-level number must be followed by white space, so `1x` fails), and
//! repeated object keys (the last value wins, at the first key's position). Strict mode is plain
//! RFC 8259 with nothing after the value.

use std::borrow::Cow;

pub(crate) use super::stacks::{MemberKey, Stacks};
use super::writer::{has_string_special, word_at};

/// Maximum nesting of arrays and objects (Jackson 2.16's `StreamReadConstraints` default, the
/// version Kafka 3.9 ships). Also bounds the recursion of everything that walks a parsed tree.
pub(crate) const MAX_DEPTH: usize = 1000;

/// Maximum length of a number's text (Jackson 2.16's `StreamReadConstraints` default).
const MAX_NUMBER_LENGTH: usize = 1000;

/// A JSON syntax error with its byte position.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at byte {position}")]
pub struct JsonParseError {
    /// What is wrong.
    pub message: String,
    /// Byte offset in the input.
    pub position: usize,
}

/// What the parser produces from the values it reads.
pub(crate) trait Builder<'a> {
    /// A finished value.
    type Out;
    /// An array being filled.
    type Arr;
    /// An object being filled.
    type Obj;

    fn null(&mut self) -> Self::Out;
    fn boolean(&mut self, v: bool) -> Self::Out;
    /// An integer that fits in 64 bits.
    fn int(&mut self, v: i64) -> Self::Out;
    /// An integer beyond 64 bits, leading zeros removed.
    fn big_int(&mut self, text: &str) -> Self::Out;
    /// A number with a fraction or an exponent, leading zeros of the integer part removed.
    fn float(&mut self, text: &str) -> Self::Out;
    fn string(&mut self, s: Cow<'a, str>) -> Self::Out;
    fn array_start(&mut self) -> Self::Arr;
    fn array_push(&mut self, arr: &mut Self::Arr, v: Self::Out);
    fn array_end(&mut self, arr: Self::Arr) -> Self::Out;
    fn object_start(&mut self) -> Self::Obj;
    /// Adds a member; a repeated key replaces the earlier value in place.
    fn object_put(&mut self, obj: &mut Self::Obj, key: Cow<'a, str>, v: Self::Out);
    fn object_end(&mut self, obj: Self::Obj) -> Self::Out;
}

/// Builds nothing: a syntax check.
pub(crate) struct Skip;

impl<'a> Builder<'a> for Skip {
    type Out = ();
    type Arr = ();
    type Obj = ();
    fn null(&mut self) {}
    fn boolean(&mut self, _: bool) {}
    fn int(&mut self, _: i64) {}
    fn big_int(&mut self, _: &str) {}
    fn float(&mut self, _: &str) {}
    fn string(&mut self, _: Cow<'a, str>) {}
    fn array_start(&mut self) {}
    fn array_push(&mut self, _: &mut (), _: ()) {}
    fn array_end(&mut self, _: ()) {}
    fn object_start(&mut self) {}
    fn object_put(&mut self, _: &mut (), _: Cow<'a, str>, _: ()) {}
    fn object_end(&mut self, _: ()) {}
}

/// The parser state: the input and a position in it.
pub(crate) struct Parser<'a> {
    input: &'a [u8],
    /// The longest valid UTF-8 prefix of the input: strings inside it need no more checking.
    text: &'a str,
    pos: usize,
    lenient: bool,
    scratch: String,
}

impl<'a> Parser<'a> {
    /// A parser over `input`; `lenient` selects Jackson's leniencies (see the module docs).
    pub(crate) fn new(input: &'a [u8], lenient: bool) -> Self {
        let text = match std::str::from_utf8(input) {
            Ok(t) => t,
            Err(e) => std::str::from_utf8(&input[..e.valid_up_to()]).unwrap_or(""),
        };
        Parser {
            input,
            text,
            pos: 0,
            lenient,
            scratch: String::new(),
        }
    }

    /// The current byte offset.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// The input.
    pub(crate) fn input(&self) -> &'a [u8] {
        self.input
    }

    pub(crate) fn error(&self, message: impl Into<String>) -> JsonParseError {
        JsonParseError {
            message: message.into(),
            position: self.pos,
        }
    }

    /// The byte at the current position.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    pub(crate) fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.input.get(self.pos) {
            self.pos += 1;
        }
    }

    /// Skips the UTF-8 byte order mark (lenient mode only) and white space. Returns whether any
    /// content remains.
    pub(crate) fn start_document(&mut self) -> bool {
        if self.lenient && self.pos == 0 && self.input.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.pos = 3;
        }
        self.skip_ws();
        self.pos < self.input.len()
    }

    /// Parses a whole document: `Ok(None)` when it is empty (only white space), which Jackson
    /// reads as a "missing" node in lenient mode and strict mode rejects.
    pub(crate) fn document<B: Builder<'a>>(
        &mut self,
        b: &mut B,
    ) -> Result<Option<B::Out>, JsonParseError> {
        if !self.start_document() {
            if self.lenient {
                return Ok(None);
            }
            return Err(self.error("unexpected end of input"));
        }
        let root_is_number = matches!(self.peek(), Some(b'-' | b'0'..=b'9'));
        let out = self.value(b, 0)?;
        self.finish_root(root_is_number)?;
        Ok(Some(out))
    }

    /// What follows the root value: in strict mode only white space; in lenient mode anything,
    /// except that a number must be followed by white space (Jackson's `_verifyRootSpace`).
    pub(crate) fn finish_root(&mut self, root_is_number: bool) -> Result<(), JsonParseError> {
        if self.lenient {
            if root_is_number {
                match self.peek() {
                    None | Some(b' ' | b'\t' | b'\n' | b'\r') => {}
                    Some(c) => {
                        return Err(self.error(format!(
                        "Unexpected character ({}): Expected space separating root-level values",
                        describe(c)
                    )))
                    }
                }
            }
            return Ok(());
        }
        self.skip_ws();
        if self.pos != self.input.len() {
            return Err(self.error("unexpected trailing characters"));
        }
        Ok(())
    }

    /// Parses one value at the current position (white space before it already skipped).
    pub(crate) fn value<B: Builder<'a>>(
        &mut self,
        b: &mut B,
        depth: usize,
    ) -> Result<B::Out, JsonParseError> {
        match self.peek() {
            None => Err(self.error("Unexpected end-of-input: expected a value")),
            Some(b'{') => self.object(b, depth),
            Some(b'[') => self.array(b, depth),
            Some(b'"') => {
                let s = self.string()?;
                Ok(b.string(s))
            }
            Some(b't') => {
                self.literal(b"true")?;
                Ok(b.boolean(true))
            }
            Some(b'f') => {
                self.literal(b"false")?;
                Ok(b.boolean(false))
            }
            Some(b'n') => {
                self.literal(b"null")?;
                Ok(b.null())
            }
            Some(b'-' | b'0'..=b'9') => self.number(b),
            Some(c) => Err(self.error(format!(
                "Unexpected character ({}): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
                describe(c)
            ))),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), JsonParseError> {
        if !self.input[self.pos..].starts_with(word) {
            return Err(self.unrecognized_token());
        }
        // Jackson rejects a literal that runs on into an identifier (`truex`, `null1`).
        if let Some(&c) = self.input.get(self.pos + word.len()) {
            if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80 {
                return Err(self.unrecognized_token());
            }
        }
        self.pos += word.len();
        Ok(())
    }

    fn unrecognized_token(&self) -> JsonParseError {
        let rest = &self.input[self.pos..];
        let end = rest
            .iter()
            .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_' || *c == b'$'))
            .unwrap_or(rest.len())
            .clamp(1, 256);
        let token = String::from_utf8_lossy(&rest[..end.min(rest.len())]);
        self.error(format!(
            "Unrecognized token '{token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"
        ))
    }

    fn enter(&self, depth: usize) -> Result<(), JsonParseError> {
        if depth >= MAX_DEPTH {
            return Err(self.error(format!(
                "Document nesting depth ({}) exceeds the maximum allowed ({MAX_DEPTH})",
                depth + 1
            )));
        }
        Ok(())
    }

    /// Parses an object; `self.pos` is at `{`.
    pub(crate) fn object<B: Builder<'a>>(
        &mut self,
        b: &mut B,
        depth: usize,
    ) -> Result<B::Out, JsonParseError> {
        self.enter(depth)?;
        self.pos += 1;
        let mut obj = b.object_start();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(b.object_end(obj));
        }
        loop {
            let key = self.member_name()?;
            self.skip_ws();
            let value = self.value(b, depth + 1)?;
            b.object_put(&mut obj, key, value);
            if self.member_end(b'}')? {
                return Ok(b.object_end(obj));
            }
        }
    }

    /// Steps over `n` bytes the caller has already recognised.
    pub(crate) fn advance(&mut self, n: usize) {
        self.pos += n;
    }

    /// Steps into the array or object at the current position (nesting level `depth`), whose
    /// closing bracket is `close`. Returns true (and steps over the close) when it is empty.
    pub(crate) fn begin_container(
        &mut self,
        depth: usize,
        close: u8,
    ) -> Result<bool, JsonParseError> {
        self.enter(depth)?;
        self.pos += 1;
        self.skip_ws();
        if self.peek() == Some(close) {
            self.pos += 1;
            return Ok(true);
        }
        Ok(false)
    }

    /// Reads `"name" :` (with white space around it) and returns the name.
    pub(crate) fn member_name(&mut self) -> Result<Cow<'a, str>, JsonParseError> {
        self.skip_ws();
        match self.peek() {
            Some(b'"') => {}
            None => return Err(self.error("Unexpected end-of-input: expected a field name")),
            Some(c) => {
                return Err(self.error(format!(
                    "Unexpected character ({}): was expecting double-quote to start field name",
                    describe(c)
                )))
            }
        }
        let key = self.string()?;
        self.skip_ws();
        match self.peek() {
            Some(b':') => self.pos += 1,
            None => return Err(self.error("Unexpected end-of-input: expected a colon")),
            Some(c) => {
                return Err(self.error(format!(
                "Unexpected character ({}): was expecting a colon to separate field name and value",
                describe(c)
            )))
            }
        }
        Ok(key)
    }

    /// After a member or element: `,` (returns false) or the closing bracket (returns true).
    pub(crate) fn member_end(&mut self, close: u8) -> Result<bool, JsonParseError> {
        self.skip_ws();
        match self.peek() {
            Some(b',') => {
                self.pos += 1;
                Ok(false)
            }
            Some(c) if c == close => {
                self.pos += 1;
                Ok(true)
            }
            None => Err(self.error(format!(
                "Unexpected end-of-input: expected close marker for {}",
                if close == b'}' { "Object" } else { "Array" }
            ))),
            Some(c) => Err(self.error(format!(
                "Unexpected character ({}): was expecting comma to separate {} entries",
                describe(c),
                if close == b'}' { "Object" } else { "Array" }
            ))),
        }
    }

    fn array<B: Builder<'a>>(&mut self, b: &mut B, depth: usize) -> Result<B::Out, JsonParseError> {
        self.enter(depth)?;
        self.pos += 1;
        let mut arr = b.array_start();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(b.array_end(arr));
        }
        loop {
            self.skip_ws();
            let v = self.value(b, depth + 1)?;
            b.array_push(&mut arr, v);
            if self.member_end(b']')? {
                return Ok(b.array_end(arr));
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while let Some(b'0'..=b'9') = self.input.get(self.pos) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn number<B: Builder<'a>>(&mut self, b: &mut B) -> Result<B::Out, JsonParseError> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        let int_start = self.pos;
        // Accumulate while scanning; 18 digits always fit in a u64.
        let mut acc: u64 = 0;
        let input = self.input;
        while let Some(&d) = input.get(self.pos) {
            if !d.is_ascii_digit() {
                break;
            }
            acc = acc.wrapping_mul(10).wrapping_add(u64::from(d - b'0'));
            self.pos += 1;
        }
        if self.pos == int_start {
            return Err(self.error(
                "Unexpected character: expected digit (0-9) to follow minus sign, for valid numeric value",
            ));
        }
        // Leading zeros: Jackson (as Kafka configures it) drops them; RFC 8259 forbids them.
        let mut sig_start = int_start;
        while sig_start + 1 < self.pos && self.input[sig_start] == b'0' {
            sig_start += 1;
        }
        if sig_start != int_start && !self.lenient {
            self.pos = int_start;
            return Err(self.error("Invalid numeric value: Leading zeroes not allowed"));
        }
        let int_end = self.pos;
        let mut is_float = false;
        if self.peek() == Some(b'.') {
            is_float = true;
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.error("Decimal point not followed by a digit"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            is_float = true;
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("Exponent indicator not followed by a digit"));
            }
        }
        // Jackson 2.16 (the version Kafka 3.9 ships) refuses longer numbers; this also keeps
        // big-number arithmetic on hostile input bounded.
        let len = self.pos - int_start;
        if len > MAX_NUMBER_LENGTH {
            return Err(self.error(format!(
                "Number value length ({len}) exceeds the maximum allowed ({MAX_NUMBER_LENGTH})"
            )));
        }
        if !is_float {
            let digits = &self.input[sig_start..int_end];
            if digits.len() <= 18 {
                let v = acc as i64;
                return Ok(b.int(if negative { -v } else { v }));
            }
            if let Some(v) = parse_i64(digits, negative) {
                return Ok(b.int(v));
            }
        }
        // Only ASCII digits, sign, '.', 'e', 'E', '+' here: always valid UTF-8.
        let text: &str = if sig_start == int_start {
            std::str::from_utf8(&self.input[start..self.pos]).unwrap_or("0")
        } else {
            self.scratch.clear();
            if negative {
                self.scratch.push('-');
            }
            let rest = std::str::from_utf8(&self.input[sig_start..self.pos]).unwrap_or("0");
            self.scratch.push_str(rest);
            &self.scratch
        };
        if is_float {
            Ok(b.float(text))
        } else {
            Ok(b.big_int(text))
        }
    }

    fn hex4(&mut self) -> Result<u32, JsonParseError> {
        let digits = self
            .input
            .get(self.pos..self.pos + 4)
            .ok_or_else(|| self.error("Unexpected end-of-input in character escape sequence"))?;
        let mut v = 0u32;
        for d in digits {
            let n = (*d as char).to_digit(16).ok_or_else(|| {
                self.error(
                    "Unexpected character: expected a hex-digit for character escape sequence",
                )
            })?;
            v = v * 16 + n;
        }
        self.pos += 4;
        Ok(v)
    }

    /// Parses a string; `self.pos` is at the opening quote. Borrowed when it has no escapes.
    pub(crate) fn string(&mut self) -> Result<Cow<'a, str>, JsonParseError> {
        self.pos += 1;
        let start = self.pos;
        self.scan_plain();
        if self.peek() == Some(b'"') {
            let end = self.pos;
            self.pos += 1;
            return self.slice_str(start, end).map(Cow::Borrowed);
        }
        let mut out = String::with_capacity(self.pos - start + 16);
        out.push_str(self.slice_str(start, self.pos)?);
        loop {
            match self.peek() {
                None => {
                    return Err(self.error(
                        "Unexpected end-of-input: was expecting closing quote for a string value",
                    ))
                }
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(Cow::Owned(out));
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                Some(c) if c < 0x20 => {
                    return Err(self.error(format!(
                        "Illegal unquoted character ({}): has to be escaped using backslash to be included in string value",
                        describe(c)
                    )))
                }
                Some(_) => {
                    let run = self.pos;
                    self.scan_plain();
                    out.push_str(self.slice_str(run, self.pos)?);
                }
            }
        }
    }

    /// Advances over plain string content: up to `"`, `\\`, a control character or the end.
    fn scan_plain(&mut self) {
        let input = self.input;
        while let Some(w) = word_at(input, self.pos) {
            if has_string_special(w) {
                break;
            }
            self.pos += 8;
        }
        while let Some(&c) = input.get(self.pos) {
            if c == b'"' || c == b'\\' || c < 0x20 {
                break;
            }
            self.pos += 1;
        }
    }

    /// The input between two offsets as text; an error if it is not valid UTF-8.
    fn slice_str(&self, start: usize, end: usize) -> Result<&'a str, JsonParseError> {
        if let Some(s) = self.text.get(start..end) {
            return Ok(s);
        }
        std::str::from_utf8(&self.input[start..end]).map_err(|e| self.utf8_error(start, e))
    }

    fn utf8_error(&self, start: usize, e: std::str::Utf8Error) -> JsonParseError {
        let at = start + e.valid_up_to();
        let byte = self.input.get(at).copied().unwrap_or(0);
        JsonParseError {
            message: format!("Invalid UTF-8 start byte 0x{byte:x}"),
            position: at,
        }
    }

    /// One escape sequence after the backslash.
    fn escape(&mut self) -> Result<char, JsonParseError> {
        let esc = self
            .peek()
            .ok_or_else(|| self.error("Unexpected end-of-input in character escape sequence"))?;
        self.pos += 1;
        Ok(match esc {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                if (0xD800..0xDC00).contains(&hi) {
                    // A high surrogate must be followed by an escaped low surrogate: Rust strings
                    // cannot hold an unpaired one.
                    if self.input.get(self.pos..self.pos + 2) == Some(b"\\u") {
                        self.pos += 2;
                        let lo = self.hex4()?;
                        if (0xDC00..0xE000).contains(&lo) {
                            let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                            if let Some(ch) = char::from_u32(c) {
                                return Ok(ch);
                            }
                        }
                    }
                    return Err(
                        self.error(format!("Unpaired surrogate \\u{hi:04X} in string value"))
                    );
                }
                char::from_u32(hi).ok_or_else(|| {
                    self.error(format!("Unpaired surrogate \\u{hi:04X} in string value"))
                })?
            }
            c => return Err(self.error(format!("Unrecognized character escape ({})", describe(c)))),
        })
    }
}

/// Parses ASCII digits (no sign, no leading zeros except a lone `0`) as an `i64`.
fn parse_i64(digits: &[u8], negative: bool) -> Option<i64> {
    if digits.len() > 19 {
        return None;
    }
    let mut v: u64 = 0;
    for d in digits {
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    if negative {
        if v <= i64::MAX as u64 {
            Some(-(v as i64))
        } else if v == i64::MAX as u64 + 1 {
            Some(i64::MIN)
        } else {
            None
        }
    } else {
        i64::try_from(v).ok()
    }
}

/// Jackson's description of a character in error messages: `'x' (code 120)`.
fn describe(c: u8) -> String {
    if c.is_ascii_graphic() || c == b' ' {
        format!("'{}' (code {c})", c as char)
    } else {
        format!("CTRL-CHAR, code {c}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &[u8], lenient: bool) -> Result<bool, JsonParseError> {
        let mut p = Parser::new(input, lenient);
        Ok(p.document(&mut Skip)?.is_some())
    }

    #[test]
    fn lenient_accepts_what_jackson_accepts() {
        for ok in [
            &b"{}x"[..],
            b"1 2",
            b"007",
            b"\xEF\xBB\xBF{\"a\":1}",
            b"\"a\"x",
            b"[1] garbage",
            b"true:",
            b"-00.5",
        ] {
            assert!(check(ok, true).unwrap(), "{}", String::from_utf8_lossy(ok));
        }
        assert!(!check(b"  \n", true).unwrap());
        assert!(!check(b"", true).unwrap());
    }

    #[test]
    fn lenient_rejects_what_jackson_rejects() {
        for bad in [
            &b"1x"[..],
            b"1,",
            b"truex",
            b"nul",
            b"[1,2",
            b"{\"a\":1,}",
            b"{bad",
            b"// c\n1",
            b"'single'",
            b"NaN",
            b"Infinity",
            b"+1",
            b".5",
            b"1.",
            b"1e",
            b"\"\\x\"",
            b"\"a\nb\"",
            b"\"\\ud800\"",
            b"\xff\xfe\x00",
            b"\"\xff\"",
        ] {
            assert!(
                check(bad, true).is_err(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn strict_is_rfc8259() {
        assert!(check(b"{}x", false).is_err());
        assert!(check(b"007", false).is_err());
        assert!(check(b"", false).is_err());
        assert!(check(b"\xEF\xBB\xBF1", false).is_err());
        assert!(check(b" [1, 2.5e3, \"x\"] ", false).unwrap());
    }

    #[test]
    fn depth_is_limited() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(check(ok.as_bytes(), true).unwrap());
        let bad = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert!(check(bad.as_bytes(), true).is_err());
    }

    #[test]
    fn number_length_is_limited() {
        assert!(check("9".repeat(1000).as_bytes(), true).unwrap());
        assert!(check("9".repeat(1001).as_bytes(), true).is_err());
        assert!(check(format!("0.{}", "1".repeat(1000)).as_bytes(), true).is_err());
    }

    #[test]
    fn integers_split_at_64_bits() {
        assert_eq!(parse_i64(b"9223372036854775807", false), Some(i64::MAX));
        assert_eq!(parse_i64(b"9223372036854775808", true), Some(i64::MIN));
        assert_eq!(parse_i64(b"9223372036854775808", false), None);
        assert_eq!(parse_i64(b"99999999999999999999", false), None);
    }
}
