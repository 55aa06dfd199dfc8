//! Output bytes identical to Jackson's `UTF8JsonGenerator` with Kafka's settings: compact,
//! numbers in Java's text (`Double.toString`, `Float.toString`, `BigDecimal.toString`),
//! non-finite floats as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`, binary as standard
//! base64 with padding, and Jackson's string escaping.

use base64::Engine as _;
use connect_api::data::java_text;

use super::JsonNode;

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// For each byte: 0 = copy, otherwise the short escape letter, or `u` for `\u00XX`, or `4` for
/// the lead byte of a 4-byte UTF-8 sequence (written as an escaped surrogate pair).
static ESCAPES: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0A] = b'n';
    t[0x0C] = b'f';
    t[0x0D] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    let mut j = 0xF0;
    while j < 0x100 {
        t[j] = b'4';
        j += 1;
    }
    t
};

fn push_u_escape(out: &mut Vec<u8>, unit: u32) {
    out.extend_from_slice(&[
        b'\\',
        b'u',
        HEX[((unit >> 12) & 0xF) as usize],
        HEX[((unit >> 8) & 0xF) as usize],
        HEX[((unit >> 4) & 0xF) as usize],
        HEX[(unit & 0xF) as usize],
    ]);
}

const LOW: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether any of the 8 bytes in `x` is zero.
#[inline]
pub(crate) fn has_zero_byte(x: u64) -> bool {
    x.wrapping_sub(LOW) & !x & HIGH != 0
}

/// Whether any of the 8 bytes is `"`, `\\` or a control character (the bytes that end a run
/// of plain string content, both when reading and when writing).
#[inline]
pub(crate) fn has_string_special(x: u64) -> bool {
    has_zero_byte(x ^ (LOW * u64::from(b'"')))
        || has_zero_byte(x ^ (LOW * u64::from(b'\\')))
        || x.wrapping_sub(LOW * 0x20) & !x & HIGH != 0
}

/// Whether any of the 8 bytes leads a 4-byte UTF-8 sequence (`0xF0..=0xFF`).
#[inline]
fn has_four_byte_lead(x: u64) -> bool {
    x & (x << 1) & (x << 2) & (x << 3) & HIGH != 0
}

/// Eight bytes at `i` as a little-endian word.
#[inline]
pub(crate) fn word_at(bytes: &[u8], i: usize) -> Option<u64> {
    let chunk: [u8; 8] = bytes.get(i..i + 8)?.try_into().ok()?;
    Some(u64::from_le_bytes(chunk))
}

/// Appends `s` as a JSON string literal, escaped as Jackson does: `\"`, `\\`, `\b`, `\t`, `\n`,
/// `\f`, `\r`, other control characters as `\u00XX` (uppercase hex), characters outside the BMP
/// as an escaped surrogate pair (`\uD83D\uDE00`), everything else (DEL, U+2028, `/`, …) raw.
pub fn write_json_string(s: &str, out: &mut Vec<u8>) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        while let Some(w) = word_at(bytes, i) {
            if has_string_special(w) || has_four_byte_lead(w) {
                break;
            }
            i += 8;
        }
        let Some(&b) = bytes.get(i) else {
            break;
        };
        let esc = ESCAPES[b as usize];
        if esc == 0 {
            i += 1;
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        match esc {
            b'u' => {
                push_u_escape(out, u32::from(b));
                i += 1;
            }
            b'4' => {
                // A 4-byte sequence: `s` is valid UTF-8, so the char decodes.
                let ch = s[i..].chars().next().map_or(0xFFFD, u32::from);
                let v = ch.saturating_sub(0x10000);
                push_u_escape(out, 0xD800 + (v >> 10));
                push_u_escape(out, 0xDC00 + (v & 0x3FF));
                i += 4;
            }
            letter => {
                out.extend_from_slice(&[b'\\', letter]);
                i += 1;
            }
        }
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Appends an integer.
pub(crate) fn write_i64(out: &mut Vec<u8>, v: i64) {
    let mut buf = itoa::Buffer::new();
    out.extend_from_slice(buf.format(v).as_bytes());
}

/// Splits ryu's shortest rendering (`1.5e-7`, `123.456`, `1e16`) into significant digits
/// (no leading or trailing zeros) and the decimal point position: value = 0.DIGITS × 10^point.
fn ryu_digits(text: &str, digits: &mut [u8; 24]) -> Option<(usize, i32)> {
    let (mantissa, exp) = match text.find('e') {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    let mut n = 0usize;
    let mut int_len = 0i32;
    let mut seen_dot = false;
    let mut leading = 0i32;
    for &c in mantissa.as_bytes() {
        match c {
            b'.' => seen_dot = true,
            b'0'..=b'9' => {
                if !seen_dot {
                    int_len += 1;
                }
                if n == 0 && c == b'0' {
                    leading += 1;
                    continue;
                }
                *digits.get_mut(n)? = c;
                n += 1;
            }
            _ => return None,
        }
    }
    while n > 0 && digits[n - 1] == b'0' {
        n -= 1;
    }
    if n == 0 {
        return None;
    }
    Some((n, int_len - leading + exp))
}

/// Java's `Double.toString`/`Float.toString` layout of `0.DIGITS × 10^point`.
fn java_layout(out: &mut Vec<u8>, negative: bool, digits: &[u8], point: i32) {
    if negative {
        out.push(b'-');
    }
    let sci_exp = point - 1;
    if (-3..7).contains(&sci_exp) {
        if point <= 0 {
            out.extend_from_slice(b"0.");
            for _ in 0..-point {
                out.push(b'0');
            }
            out.extend_from_slice(digits);
        } else {
            let p = point as usize;
            if digits.len() <= p {
                out.extend_from_slice(digits);
                for _ in digits.len()..p {
                    out.push(b'0');
                }
                out.extend_from_slice(b".0");
            } else {
                out.extend_from_slice(&digits[..p]);
                out.push(b'.');
                out.extend_from_slice(&digits[p..]);
            }
        }
    } else {
        out.push(digits[0]);
        out.push(b'.');
        if digits.len() > 1 {
            out.extend_from_slice(&digits[1..]);
        } else {
            out.push(b'0');
        }
        out.push(b'E');
        write_i64(out, i64::from(sci_exp));
    }
}

/// Java's text for a finite, normal, non-zero number from its shortest digits; false when the
/// shared implementation must decide (zero, subnormals, non-finite).
fn fast_java_number(out: &mut Vec<u8>, shortest: &str, negative: bool) -> bool {
    let mut digits = [0u8; 24];
    match ryu_digits(shortest, &mut digits) {
        Some((n, point)) => {
            java_layout(out, negative, &digits[..n], point);
            true
        }
        None => false,
    }
}

/// Appends a double as Jackson does: `Double.toString`, non-finite values as strings.
pub(crate) fn write_f64(out: &mut Vec<u8>, v: f64) {
    // Normal numbers: ryu's shortest digits laid out as Java does. (Java prints at least two
    // significant digits chosen from the exact binary value, which only differs from the
    // shortest single digit for subnormals; those go through `java_text`.)
    if v.is_normal() {
        let mut buf = ryu::Buffer::new();
        if fast_java_number(out, buf.format_finite(v.abs()), v < 0.0) {
            return;
        }
    }
    let mut text = String::with_capacity(26);
    java_text::push_f64(&mut text, v);
    if v.is_finite() {
        out.extend_from_slice(text.as_bytes());
    } else {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    }
}

/// Appends a float as Jackson does: `Float.toString`, non-finite values as strings.
pub(crate) fn write_f32(out: &mut Vec<u8>, v: f32) {
    if v.is_normal() {
        let mut buf = ryu::Buffer::new();
        if fast_java_number(out, buf.format_finite(v.abs()), v < 0.0) {
            return;
        }
    }
    let mut text = String::with_capacity(18);
    java_text::push_f32(&mut text, v);
    if v.is_finite() {
        out.extend_from_slice(text.as_bytes());
    } else {
        out.push(b'"');
        out.extend_from_slice(text.as_bytes());
        out.push(b'"');
    }
}

/// Appends the minimal big-endian two's complement of `v` (Java `BigInteger.toByteArray()`)
/// as a base64 string.
pub(crate) fn write_base64_i64(out: &mut Vec<u8>, v: i64) {
    let bytes = v.to_be_bytes();
    let mut start = 0;
    while start < 7 {
        let (b, next) = (bytes[start], bytes[start + 1]);
        if (b == 0x00 && next & 0x80 == 0) || (b == 0xFF && next & 0x80 != 0) {
            start += 1;
        } else {
            break;
        }
    }
    write_base64(out, &bytes[start..]);
}

/// Appends bytes as a base64 string (standard alphabet, padded, no line breaks).
pub(crate) fn write_base64(out: &mut Vec<u8>, bytes: &[u8]) {
    let engine = &base64::engine::general_purpose::STANDARD;
    let start = out.len();
    let len = bytes.len().div_ceil(3) * 4;
    out.resize(start + len + 2, b'"');
    // The slice is exactly the encoded length, so encoding cannot fail.
    let written = engine
        .encode_slice(bytes, &mut out[start + 1..start + 1 + len])
        .unwrap_or(0);
    out.truncate(start + 1 + written);
    out.push(b'"');
}

/// Appends a [`JsonNode`] as compact JSON, the way Jackson writes a tree: strings escaped as in
/// [`write_json_string`], integers in decimal, and number text ([`JsonNode::BigInt`],
/// [`JsonNode::Float`]) verbatim.
pub fn write_json(node: &JsonNode, out: &mut Vec<u8>) {
    match node {
        JsonNode::Null => out.extend_from_slice(b"null"),
        JsonNode::Bool(true) => out.extend_from_slice(b"true"),
        JsonNode::Bool(false) => out.extend_from_slice(b"false"),
        JsonNode::Int(v) => write_i64(out, *v),
        JsonNode::BigInt(t) | JsonNode::Float(t) => out.extend_from_slice(t.as_bytes()),
        JsonNode::String(s) => write_json_string(s, out),
        JsonNode::Array(items) => {
            out.push(b'[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json(v, out);
            }
            out.push(b']');
        }
        JsonNode::Object(entries) => {
            out.push(b'{');
            for (i, (k, v)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json_string(k, out);
                out.push(b':');
                write_json(v, out);
            }
            out.push(b'}');
        }
    }
}

/// [`write_json`] into a new vector.
pub fn to_json_bytes(node: &JsonNode) -> Vec<u8> {
    let mut out = Vec::new();
    write_json(node, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> String {
        let mut out = Vec::new();
        write_json_string(v, &mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn escapes_like_jackson() {
        assert_eq!(s("😀"), r#""\uD83D\uDE00""#);
        assert_eq!(s("\u{0}\u{1}\u{1f}"), r#""\u0000\u0001\u001F""#);
        assert_eq!(s("\t\n\r\u{8}\u{c}"), r#""\t\n\r\b\f""#);
        assert_eq!(
            s("\u{7f}\u{80}\u{2028}\u{2029}"),
            "\"\u{7f}\u{80}\u{2028}\u{2029}\""
        );
        assert_eq!(s("</script>"), r#""</script>""#);
        assert_eq!(s(r#"{"a":1}"#), r#""{\"a\":1}""#);
        assert_eq!(s("héllo 日本語"), "\"héllo 日本語\"");
        assert_eq!(s("a\\b"), r#""a\\b""#);
        assert_eq!(s("x😀y\u{10FFFF}"), r#""x\uD83D\uDE00y\uDBFF\uDFFF""#);
    }

    #[test]
    fn numbers_like_java() {
        let f64s = |v: f64| {
            let mut o = Vec::new();
            write_f64(&mut o, v);
            String::from_utf8(o).unwrap()
        };
        assert_eq!(f64s(1.0e7), "1.0E7");
        assert_eq!(f64s(100.0), "100.0");
        assert_eq!(f64s(-0.0), "-0.0");
        assert_eq!(f64s(5e-324), "4.9E-324");
        assert_eq!(f64s(f64::NAN), "\"NaN\"");
        assert_eq!(f64s(f64::NEG_INFINITY), "\"-Infinity\"");
        let mut o = Vec::new();
        write_f32(&mut o, 16777217.0);
        write_f32(&mut o, f32::INFINITY);
        assert_eq!(o, b"1.6777216E7\"Infinity\"");
    }

    #[test]
    fn fast_floats_match_java_text() {
        // xorshift over raw bit patterns plus edge values
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        let check64 = |v: f64| {
            let mut o = Vec::new();
            write_f64(&mut o, v);
            let mut want = String::new();
            java_text::push_f64(&mut want, v);
            if !v.is_finite() {
                want = format!("\"{want}\"");
            }
            assert_eq!(String::from_utf8(o).unwrap(), want, "{v:e}");
        };
        for v in [
            1.0,
            100.0,
            1e7,
            1e-3,
            9.999e-4,
            1234567.0,
            0.1,
            1e21,
            1e-5,
            123456789.12345679,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            -0.0,
            0.0,
            0.5625,
            1e300,
            9007199254740993.0,
        ] {
            check64(v);
            check64(-v);
        }
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            check64(f64::from_bits(x));
            let small = (x % 2_000_000) as f64 / 64.0;
            check64(small);
            let mut o = Vec::new();
            let f = f32::from_bits(x as u32);
            write_f32(&mut o, f);
            let mut want = String::new();
            java_text::push_f32(&mut want, f);
            if !f.is_finite() {
                want = format!("\"{want}\"");
            }
            assert_eq!(String::from_utf8(o).unwrap(), want, "{f:e}");
        }
    }

    #[test]
    fn minimal_twos_complement() {
        let b = |v: i64| {
            let mut o = Vec::new();
            write_base64_i64(&mut o, v);
            let mut want = Vec::new();
            write_base64(&mut want, &num_bigint::BigInt::from(v).to_signed_bytes_be());
            assert_eq!(o, want, "{v}");
            String::from_utf8(o).unwrap()
        };
        assert_eq!(b(150), "\"AJY=\"");
        assert_eq!(b(-1), "\"/w==\"");
        assert_eq!(b(128), "\"AIA=\"");
        assert_eq!(b(0), "\"AA==\"");
        for v in [
            127,
            -128,
            -129,
            255,
            256,
            i64::MAX,
            i64::MIN,
            1 << 40,
            -(1 << 40),
            32767,
            -32768,
        ] {
            b(v);
        }
    }

    #[test]
    fn swar_scanning_agrees_with_bytes() {
        let all: Vec<u8> = (0..=255u8).collect();
        for start in 0..=248 {
            let w = word_at(&all, start).unwrap();
            let bytes = &all[start..start + 8];
            let special = bytes.iter().any(|b| *b < 0x20 || *b == b'"' || *b == b'\\');
            assert_eq!(has_string_special(w), special, "{start}");
            assert_eq!(
                has_four_byte_lead(w),
                bytes.iter().any(|b| *b >= 0xF0),
                "{start}"
            );
        }
        assert_eq!(
            s("aaaaaaaa\"bbbbbbbbb\\cccccccc\u{1}dddddddd😀eeee"),
            "\"aaaaaaaa\\\"bbbbbbbbb\\\\cccccccc\\u0001dddddddd\\uD83D\\uDE00eeee\""
        );
    }

    #[test]
    fn base64_is_standard_padded() {
        let mut o = Vec::new();
        write_base64(&mut o, &[0, 1, 2, 255]);
        write_base64(&mut o, &[]);
        write_base64(&mut o, &[0xff, 0xef]);
        assert_eq!(o, b"\"AAEC/w==\"\"\"\"/+8=\"");
    }

    #[test]
    fn trees() {
        let n = JsonNode::Object(vec![
            (
                "a".into(),
                JsonNode::Array(vec![JsonNode::Int(-1), JsonNode::Null]),
            ),
            ("b".into(), JsonNode::Float("1.50".into())),
            ("é".into(), JsonNode::Bool(true)),
        ]);
        assert_eq!(
            String::from_utf8(to_json_bytes(&n)).unwrap(),
            r#"{"a":[-1,null],"b":1.50,"é":true}"#
        );
    }
}
