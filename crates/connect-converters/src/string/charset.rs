//! The Java charsets `StringConverter` supports, with Java's replacement behaviour: bytes that
//! do not decode become U+FFFD (as `new String(bytes, charset)` does) and characters a charset
//! cannot encode become `?` (as `String.getBytes(charset)` does).

/// A Java charset, by its canonical name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Charset {
    /// `UTF-8`.
    Utf8,
    /// `ISO-8859-1`.
    Latin1,
    /// `US-ASCII`.
    Ascii,
    /// `windows-1252`.
    Windows1252,
    /// `UTF-16`: reads a byte order mark (big-endian without one), writes big-endian with one.
    Utf16,
    /// `UTF-16BE`: no byte order mark.
    Utf16Be,
    /// `UTF-16LE`: no byte order mark.
    Utf16Le,
    /// `x-UTF-16LE-BOM`: reads a byte order mark (little-endian without one), writes
    /// little-endian with one.
    Utf16LeBom,
    /// `UTF-32`: reads a byte order mark (big-endian without one), writes big-endian without.
    Utf32,
    /// `UTF-32BE`.
    Utf32Be,
    /// `UTF-32LE`.
    Utf32Le,
}

/// Canonical names and aliases, as `java.nio.charset.Charset.forName` knows them.
const NAMES: &[(Charset, &[&str])] = &[
    (Charset::Utf8, &["UTF-8", "UTF8", "unicode-1-1-utf-8"]),
    (
        Charset::Latin1,
        &[
            "ISO-8859-1",
            "iso-ir-100",
            "ISO_8859-1",
            "latin1",
            "l1",
            "IBM819",
            "cp819",
            "csISOLatin1",
            "819",
            "IBM-819",
            "ISO8859_1",
            "ISO_8859-1:1987",
            "ISO_8859_1",
            "8859_1",
            "ISO8859-1",
        ],
    ),
    (
        Charset::Ascii,
        &[
            "US-ASCII",
            "iso-ir-6",
            "ANSI_X3.4-1986",
            "ISO_646.irv:1991",
            "ASCII",
            "iso_646.irv:1983",
            "ANSI_X3.4-1968",
            "ISO646-US",
            "us",
            "IBM367",
            "cp367",
            "csASCII",
            "default",
            "646",
            "ascii7",
        ],
    ),
    (
        Charset::Windows1252,
        &["windows-1252", "cp1252", "cp5348", "ibm-1252", "ibm1252"],
    ),
    (
        Charset::Utf16,
        &["UTF-16", "UTF_16", "utf16", "unicode", "UnicodeBig"],
    ),
    (
        Charset::Utf16Be,
        &[
            "UTF-16BE",
            "UTF_16BE",
            "ISO-10646-UCS-2",
            "X-UTF-16BE",
            "UnicodeBigUnmarked",
        ],
    ),
    (
        Charset::Utf16Le,
        &[
            "UTF-16LE",
            "UTF_16LE",
            "X-UTF-16LE",
            "UnicodeLittleUnmarked",
        ],
    ),
    (Charset::Utf16LeBom, &["x-UTF-16LE-BOM", "UnicodeLittle"]),
    (Charset::Utf32, &["UTF-32", "UTF_32", "UTF32"]),
    (Charset::Utf32Be, &["UTF-32BE", "UTF_32BE", "X-UTF-32BE"]),
    (Charset::Utf32Le, &["UTF-32LE", "UTF_32LE", "X-UTF-32LE"]),
];

const REPLACEMENT: char = '\u{FFFD}';

/// `windows-1252` bytes 0x80..=0x9F (`None`: unmapped, decoded as U+FFFD).
const CP1252_HIGH: [Option<char>; 32] = [
    Some('\u{20AC}'),
    None,
    Some('\u{201A}'),
    Some('\u{0192}'),
    Some('\u{201E}'),
    Some('\u{2026}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{02C6}'),
    Some('\u{2030}'),
    Some('\u{0160}'),
    Some('\u{2039}'),
    Some('\u{0152}'),
    None,
    Some('\u{017D}'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2022}'),
    Some('\u{2013}'),
    Some('\u{2014}'),
    Some('\u{02DC}'),
    Some('\u{2122}'),
    Some('\u{0161}'),
    Some('\u{203A}'),
    Some('\u{0153}'),
    None,
    Some('\u{017E}'),
    Some('\u{0178}'),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Order {
    Big,
    Little,
}

impl Charset {
    /// The charset a Java name or alias stands for (case-insensitive), or `None` where
    /// `Charset.forName` throws.
    pub fn for_name(name: &str) -> Option<Charset> {
        NAMES
            .iter()
            .find(|(_, names)| names.iter().any(|n| n.eq_ignore_ascii_case(name)))
            .map(|(charset, _)| *charset)
    }

    /// Java's `String.getBytes(charset)`.
    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Charset::Utf8 => text.as_bytes().to_vec(),
            Charset::Latin1 => single_byte(text, |c| u8::try_from(u32::from(c)).ok()),
            Charset::Ascii => {
                single_byte(text, |c| if c.is_ascii() { Some(c as u8) } else { None })
            }
            Charset::Windows1252 => single_byte(text, cp1252_byte),
            Charset::Utf16 => utf16(text, Order::Big, true),
            Charset::Utf16Be => utf16(text, Order::Big, false),
            Charset::Utf16Le => utf16(text, Order::Little, false),
            Charset::Utf16LeBom => utf16(text, Order::Little, true),
            Charset::Utf32 | Charset::Utf32Be => utf32(text, Order::Big),
            Charset::Utf32Le => utf32(text, Order::Little),
        }
    }

    /// Java's `new String(bytes, charset)`.
    pub fn decode(self, bytes: &[u8]) -> String {
        match self {
            Charset::Utf8 => decode_utf8(bytes),
            Charset::Latin1 => bytes.iter().map(|b| char::from(*b)).collect(),
            Charset::Ascii => bytes
                .iter()
                .map(|b| {
                    if b.is_ascii() {
                        char::from(*b)
                    } else {
                        REPLACEMENT
                    }
                })
                .collect(),
            Charset::Windows1252 => bytes.iter().map(|b| cp1252_char(*b)).collect(),
            Charset::Utf16 => decode_utf16(bytes, None, Order::Big),
            Charset::Utf16Be => decode_utf16(bytes, Some(Order::Big), Order::Big),
            Charset::Utf16Le => decode_utf16(bytes, Some(Order::Little), Order::Little),
            Charset::Utf16LeBom => decode_utf16(bytes, None, Order::Little),
            Charset::Utf32 => decode_utf32(bytes, None),
            Charset::Utf32Be => decode_utf32(bytes, Some(Order::Big)),
            Charset::Utf32Le => decode_utf32(bytes, Some(Order::Little)),
        }
    }
}

/// One byte per character; one `?` per character (not per UTF-16 unit) that does not map.
fn single_byte(text: &str, map: impl Fn(char) -> Option<u8>) -> Vec<u8> {
    text.chars().map(|c| map(c).unwrap_or(b'?')).collect()
}

fn cp1252_byte(c: char) -> Option<u8> {
    let cp = u32::from(c);
    if cp < 0x80 || (0xA0..=0xFF).contains(&cp) {
        return u8::try_from(cp).ok();
    }
    CP1252_HIGH
        .iter()
        .position(|m| *m == Some(c))
        .map(|i| 0x80 + i as u8)
}

fn cp1252_char(b: u8) -> char {
    if (0x80..0xA0).contains(&b) {
        CP1252_HIGH[usize::from(b - 0x80)].unwrap_or(REPLACEMENT)
    } else {
        char::from(b)
    }
}

fn utf16(text: &str, order: Order, bom: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 2 + 2);
    let mut push = |unit: u16| match order {
        Order::Big => out.extend_from_slice(&unit.to_be_bytes()),
        Order::Little => out.extend_from_slice(&unit.to_le_bytes()),
    };
    if bom && !text.is_empty() {
        push(0xFEFF);
    }
    for unit in text.encode_utf16() {
        push(unit);
    }
    out
}

fn utf32(text: &str, order: Order) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() * 4);
    for c in text.chars() {
        let cp = u32::from(c);
        match order {
            Order::Big => out.extend_from_slice(&cp.to_be_bytes()),
            Order::Little => out.extend_from_slice(&cp.to_le_bytes()),
        }
    }
    out
}

fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Java 17's UTF-8 decoding in `new String(bytes, UTF_8)`: each malformed sequence becomes one
/// U+FFFD, with the JDK's rules for how many bytes a malformed sequence spans (an encoded
/// surrogate, `ED A0 80`, is one malformed sequence of three bytes).
pub(crate) fn decode_utf8(bytes: &[u8]) -> String {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    let mut out = String::with_capacity(bytes.len());
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let b1 = bytes[i];
        i += 1;
        if b1 < 0x80 {
            out.push(char::from(b1));
        } else if (0xC2..=0xDF).contains(&b1) {
            if i < n {
                let b2 = bytes[i];
                if is_continuation(b2) {
                    let cp = (u32::from(b1 & 0x1F) << 6) | u32::from(b2 & 0x3F);
                    out.push(char::from_u32(cp).unwrap_or(REPLACEMENT));
                    i += 1;
                } else {
                    out.push(REPLACEMENT);
                }
                continue;
            }
            out.push(REPLACEMENT);
            break;
        } else if (0xE0..=0xEF).contains(&b1) {
            if i + 1 < n {
                let (b2, b3) = (bytes[i], bytes[i + 1]);
                let overlong = b1 == 0xE0 && b2 & 0xE0 == 0x80;
                if overlong || !is_continuation(b2) || !is_continuation(b3) {
                    out.push(REPLACEMENT);
                    // The malformed sequence is one byte, or two when the second was valid.
                    if !overlong && is_continuation(b2) {
                        i += 1;
                    }
                } else {
                    let cp = (u32::from(b1 & 0x0F) << 12)
                        | (u32::from(b2 & 0x3F) << 6)
                        | u32::from(b3 & 0x3F);
                    // Surrogates (ED A0..BF xx) are malformed as a whole.
                    out.push(char::from_u32(cp).unwrap_or(REPLACEMENT));
                    i += 2;
                }
                continue;
            }
            if i < n && ((b1 == 0xE0 && bytes[i] & 0xE0 == 0x80) || !is_continuation(bytes[i])) {
                out.push(REPLACEMENT);
                continue;
            }
            out.push(REPLACEMENT);
            break;
        } else if (0xF0..=0xF7).contains(&b1) {
            if i + 2 < n {
                let (b2, b3, b4) = (bytes[i], bytes[i + 1], bytes[i + 2]);
                let cp = (u32::from(b1 & 0x07) << 18)
                    | (u32::from(b2 & 0x3F) << 12)
                    | (u32::from(b3 & 0x3F) << 6)
                    | u32::from(b4 & 0x3F);
                let malformed = !is_continuation(b2)
                    || !is_continuation(b3)
                    || !is_continuation(b4)
                    || !(0x10000..=0x10FFFF).contains(&cp);
                if malformed {
                    out.push(REPLACEMENT);
                    let bad_second = b1 > 0xF4
                        || (b1 == 0xF0 && !(0x90..=0xBF).contains(&b2))
                        || (b1 == 0xF4 && b2 & 0xF0 != 0x80)
                        || !is_continuation(b2);
                    if !bad_second {
                        i += if is_continuation(b3) { 2 } else { 1 };
                    }
                } else {
                    out.push(char::from_u32(cp).unwrap_or(REPLACEMENT));
                    i += 3;
                }
                continue;
            }
            let bad_second = i < n
                && ((b1 == 0xF0 && !(0x90..=0xBF).contains(&bytes[i]))
                    || (b1 == 0xF4 && bytes[i] & 0xF0 != 0x80)
                    || !is_continuation(bytes[i]));
            if b1 > 0xF4 || bad_second {
                out.push(REPLACEMENT);
                continue;
            }
            i += 1;
            out.push(REPLACEMENT);
            if i < n && !is_continuation(bytes[i]) {
                continue;
            }
            break;
        } else {
            out.push(REPLACEMENT);
        }
    }
    out
}

/// Java's UTF-16 decoders. `fixed` is the order of UTF-16BE/LE (a BOM is then an ordinary
/// character); otherwise a leading BOM picks the order and `default` applies without one.
fn decode_utf16(bytes: &[u8], fixed: Option<Order>, default: Order) -> String {
    let mut out = String::with_capacity(bytes.len() / 2);
    let mut order = fixed;
    let mut i = 0;
    let unit = |order: Order, i: usize| -> u16 {
        match order {
            Order::Big => u16::from_be_bytes([bytes[i], bytes[i + 1]]),
            Order::Little => u16::from_le_bytes([bytes[i], bytes[i + 1]]),
        }
    };
    while i + 1 < bytes.len() {
        let current = match order {
            Some(o) => o,
            None => {
                let first = u16::from_be_bytes([bytes[i], bytes[i + 1]]);
                if first == 0xFEFF {
                    order = Some(Order::Big);
                    i += 2;
                    continue;
                }
                if first == 0xFFFE {
                    order = Some(Order::Little);
                    i += 2;
                    continue;
                }
                order = Some(default);
                default
            }
        };
        let c = unit(current, i);
        if c == 0xFFFE {
            out.push(REPLACEMENT);
            i += 2;
            continue;
        }
        if (0xD800..=0xDBFF).contains(&c) {
            if i + 3 >= bytes.len() {
                // Incomplete at the end: the rest is one malformed input.
                out.push(REPLACEMENT);
                return out;
            }
            let c2 = unit(current, i + 2);
            if !(0xDC00..=0xDFFF).contains(&c2) {
                out.push(REPLACEMENT);
                i += 4;
                continue;
            }
            let cp = 0x10000 + ((u32::from(c) - 0xD800) << 10) + (u32::from(c2) - 0xDC00);
            out.push(char::from_u32(cp).unwrap_or(REPLACEMENT));
            i += 4;
            continue;
        }
        out.push(char::from_u32(u32::from(c)).unwrap_or(REPLACEMENT));
        i += 2;
    }
    if i < bytes.len() {
        out.push(REPLACEMENT);
    }
    out
}

/// Java's UTF-32 decoders (`fixed` as for UTF-16; UTF-32 reads an optional BOM, default
/// big-endian). Invalid code points and a short tail become U+FFFD.
fn decode_utf32(bytes: &[u8], fixed: Option<Order>) -> String {
    let mut out = String::with_capacity(bytes.len() / 4);
    let mut order = fixed;
    let mut i = 0;
    while i + 3 < bytes.len() {
        let quad = [bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]];
        let current = match order {
            Some(o) => o,
            None => {
                let be = u32::from_be_bytes(quad);
                if be == 0x0000_FEFF {
                    order = Some(Order::Big);
                    i += 4;
                    continue;
                }
                if be == 0xFFFE_0000 {
                    order = Some(Order::Little);
                    i += 4;
                    continue;
                }
                order = Some(Order::Big);
                Order::Big
            }
        };
        let cp = match current {
            Order::Big => u32::from_be_bytes(quad),
            Order::Little => u32::from_le_bytes(quad),
        };
        out.push(char::from_u32(cp).unwrap_or(REPLACEMENT));
        i += 4;
    }
    if i < bytes.len() {
        out.push(REPLACEMENT);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_like_java() {
        assert_eq!(Charset::for_name("utf8"), Some(Charset::Utf8));
        assert_eq!(Charset::for_name("UTF-8"), Some(Charset::Utf8));
        assert_eq!(Charset::for_name("latin1"), Some(Charset::Latin1));
        assert_eq!(Charset::for_name("iso-8859-1"), Some(Charset::Latin1));
        assert_eq!(Charset::for_name("US-ASCII"), Some(Charset::Ascii));
        assert_eq!(Charset::for_name("UTF-16"), Some(Charset::Utf16));
        assert_eq!(Charset::for_name("bogus-enc"), None);
        assert_eq!(Charset::for_name(""), None);
    }

    #[test]
    fn utf8_replacement_like_java() {
        // converters-68cd0df581, converters-27ce0e1b9e
        assert_eq!(decode_utf8(&[0xC3, 0x28]), "\u{FFFD}(");
        assert_eq!(decode_utf8(&[0xED, 0xA0, 0x80]), "\u{FFFD}");
        assert_eq!(decode_utf8(&[0x00, 0x01]), "\u{0}\u{1}");
        assert_eq!(decode_utf8(&[0xE2, 0x82]), "\u{FFFD}");
        assert_eq!(decode_utf8(&[0xE2, 0x41]), "\u{FFFD}A");
        assert_eq!(decode_utf8(&[0xE0, 0x80, 0x80]), "\u{FFFD}\u{FFFD}\u{FFFD}");
        assert_eq!(decode_utf8(&[0xE2, 0x82, 0x41]), "\u{FFFD}A");
        assert_eq!(decode_utf8(&[0xF0, 0x9F, 0x98]), "\u{FFFD}");
        assert_eq!(decode_utf8(&[0xF0, 0x9F, 0x98, 0x80]), "\u{1F600}");
        assert_eq!(decode_utf8(&[0xC0, 0xAF]), "\u{FFFD}\u{FFFD}");
        assert_eq!(decode_utf8(&[0xFF]), "\u{FFFD}");
        assert_eq!(decode_utf8(&[0x80, 0x41]), "\u{FFFD}A");
    }

    #[test]
    fn single_byte_charsets() {
        // converters-2c5277b5cf, converters-23fbc356c6, converters-f0529eac81
        assert_eq!(
            Charset::Latin1.encode("h\u{e9}\u{20ac}"),
            vec![0x68, 0xE9, 0x3F]
        );
        assert_eq!(
            Charset::Latin1.decode(&[0x68, 0xC3, 0xA9, 0xE2, 0x82, 0xAC]),
            "h\u{c3}\u{a9}\u{e2}\u{82}\u{ac}"
        );
        assert_eq!(
            Charset::Ascii.decode(&[0x68, 0xC3, 0xA9, 0xE2, 0x82, 0xAC]),
            "h\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}"
        );
        assert_eq!(Charset::Ascii.encode("a\u{1F600}b"), b"a?b".to_vec());
        assert_eq!(
            Charset::Windows1252.encode("\u{20ac}\u{e9}"),
            vec![0x80, 0xE9]
        );
        assert_eq!(
            Charset::Windows1252.decode(&[0x80, 0x81]),
            "\u{20ac}\u{FFFD}"
        );
    }

    #[test]
    fn utf16_like_java() {
        // converters-dbb9110c47
        assert_eq!(
            Charset::Utf16.decode(&[0x68, 0xC3, 0xA9, 0xE2, 0x82, 0xAC]),
            "\u{68c3}\u{a9e2}\u{82ac}"
        );
        assert_eq!(Charset::Utf16.encode("h"), vec![0xFE, 0xFF, 0x00, 0x68]);
        assert_eq!(Charset::Utf16.encode(""), Vec::<u8>::new());
        assert_eq!(Charset::Utf16Le.encode("h"), vec![0x68, 0x00]);
        assert_eq!(Charset::Utf16.decode(&[0xFF, 0xFE, 0x68, 0x00]), "h");
        assert_eq!(
            Charset::Utf16Be.decode(&[0xFE, 0xFF, 0x00, 0x68]),
            "\u{FEFF}h"
        );
        assert_eq!(Charset::Utf16.decode(&[0x00, 0x68, 0x00]), "h\u{FFFD}");
        assert_eq!(
            Charset::Utf16.decode(&[0xD8, 0x3D, 0xDE, 0x00]),
            "\u{1F600}"
        );
        assert_eq!(Charset::Utf16.decode(&[0xD8, 0x3D, 0x00, 0x41]), "\u{FFFD}");
        assert_eq!(
            Charset::Utf16.decode(&[0xDE, 0x00, 0x00, 0x41]),
            "\u{FFFD}A"
        );
        assert_eq!(Charset::Utf32.encode("h"), vec![0, 0, 0, 0x68]);
        assert_eq!(Charset::Utf32Le.decode(&[0x68, 0, 0, 0, 1]), "h\u{FFFD}");
    }
}
