//! Java `.properties` text, read as `Properties.load(InputStream)` reads it (ISO-8859-1 bytes,
//! escapes, continuation lines, `:`/`=`/space separators, `#`/`!` comments).

use std::collections::BTreeMap;

/// Parses `.properties` bytes; a later duplicate key replaces an earlier one. `Err` carries
/// the parser's message.
pub fn parse_properties(bytes: &[u8]) -> Result<BTreeMap<String, String>, String> {
    // ISO-8859-1 maps each byte to the code point of the same value (windows-1252, which the
    // properties crate would use, differs in 0x80..=0x9F).
    let text: String = bytes.iter().map(|&b| char::from(b)).collect();
    let mut out = BTreeMap::new();
    java_properties::PropertiesIter::new_with_encoding(text.as_bytes(), encoding_rs::UTF_8)
        .read_into(|k, v| {
            out.insert(k, v);
        })
        .map_err(|e| e.to_string())?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn java_forms() {
        let p = parse_properties(b"# c\na=1\nb : 2\nc 3\nd=x\\\n  y\ne=caf\xe9\n").unwrap();
        assert_eq!(p["a"], "1");
        assert_eq!(p["b"], "2");
        assert_eq!(p["c"], "3");
        assert_eq!(p["d"], "xy");
        assert_eq!(p["e"], "caf\u{e9}");
    }
}
