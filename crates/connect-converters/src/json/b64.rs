//! Base64 decoding with the exact rules of Jackson's `TextNode.binaryValue()` (variant
//! `MIME-NO-LINEFEEDS`): standard alphabet, padding required, white space (any character up to
//! U+0020) allowed before each 4-character unit and around the text, nothing else.
//! So `"YWJj ZGVm"` and `"AQI=\n"` decode, while `"AQI"` (no padding), URL-safe `-`/`_`, and
//! white space inside a unit (`"not base64!"`) are errors.

/// Why a base64 text was rejected; the message is Jackson's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Cannot access contents of TextNode as binary due to broken Base64 encoding: {0}")]
pub struct Base64Error(String);

const PADDING: i8 = -2;

static DECODE: [i8; 256] = {
    let mut t = [-1i8; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = i as i8;
        i += 1;
    }
    t[b'=' as usize] = PADDING;
    t
};

fn invalid(ch: u8, index: usize, extra: Option<&str>) -> Base64Error {
    let mut msg = if ch <= b' ' {
        format!(
            "Illegal white space character (code 0x{ch:x}) as character #{} of 4-char base64 unit: can only used between units",
            index + 1
        )
    } else if ch == b'=' {
        format!(
            "Unexpected padding character ('=') as character #{} of 4-char base64 unit: padding only legal as 3rd or 4th character",
            index + 1
        )
    } else if ch >= 0x7F {
        format!("Illegal character (code 0x{ch:x}) in base64 content")
    } else {
        format!(
            "Illegal character '{}' (code 0x{ch:x}) in base64 content",
            ch as char
        )
    };
    if let Some(extra) = extra {
        msg.push_str(": ");
        msg.push_str(extra);
    }
    Base64Error(msg)
}

fn eof() -> Base64Error {
    Base64Error(
        "Unexpected end of base64-encoded String: base64 variant 'MIME-NO-LINEFEEDS' expects padding (one or more '=' characters) at the end"
            .to_string(),
    )
}

/// Decodes `text` as Jackson's `TextNode.binaryValue()` does.
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let s = text.as_bytes();
    // String.trim(): strip characters <= ' ' at both ends.
    let start = s.iter().position(|c| *c > b' ').unwrap_or(s.len());
    let end = s.iter().rposition(|c| *c > b' ').map_or(start, |i| i + 1);
    let s = &s[start..end];
    let mut out = Vec::with_capacity(s.len() / 4 * 3 + 3);
    let mut ptr = 0;
    let len = s.len();
    loop {
        // White space is allowed before each unit.
        let mut ch;
        loop {
            if ptr >= len {
                return Ok(out);
            }
            ch = s[ptr];
            ptr += 1;
            if ch > b' ' {
                break;
            }
        }
        let bits = DECODE[ch as usize];
        if bits < 0 {
            return Err(invalid(ch, 0, None));
        }
        let mut data = bits as u32;
        if ptr >= len {
            return Err(eof());
        }
        ch = s[ptr];
        ptr += 1;
        let bits = DECODE[ch as usize];
        if bits < 0 {
            return Err(invalid(ch, 1, None));
        }
        data = (data << 6) | bits as u32;
        if ptr >= len {
            return Err(eof());
        }
        ch = s[ptr];
        ptr += 1;
        let bits = DECODE[ch as usize];
        if bits < 0 {
            if bits != PADDING {
                return Err(invalid(ch, 2, None));
            }
            if ptr >= len {
                return Err(eof());
            }
            ch = s[ptr];
            ptr += 1;
            if ch != b'=' {
                return Err(invalid(ch, 3, Some("expected padding character '='")));
            }
            out.push((data >> 4) as u8);
            continue;
        }
        data = (data << 6) | bits as u32;
        if ptr >= len {
            return Err(eof());
        }
        ch = s[ptr];
        ptr += 1;
        let bits = DECODE[ch as usize];
        if bits < 0 {
            if bits != PADDING {
                return Err(invalid(ch, 3, None));
            }
            data >>= 2;
            out.extend_from_slice(&[(data >> 8) as u8, data as u8]);
        } else {
            data = (data << 6) | bits as u32;
            out.extend_from_slice(&[(data >> 16) as u8, (data >> 8) as u8, data as u8]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_jackson_accepts() {
        assert_eq!(decode("AQI=").unwrap(), vec![1, 2]);
        assert_eq!(decode("AQI=\n").unwrap(), vec![1, 2]);
        assert_eq!(decode("YWJj ZGVm").unwrap(), b"abcdef");
        assert_eq!(decode(" YWJj\r\nZGVm ").unwrap(), b"abcdef");
        assert_eq!(decode("").unwrap(), Vec::<u8>::new());
        assert_eq!(decode("/+8=").unwrap(), vec![0xff, 0xef]);
        assert_eq!(decode("AA==").unwrap(), vec![0]);
        assert_eq!(decode("AAEC/w==").unwrap(), vec![0, 1, 2, 255]);
    }

    #[test]
    fn rejects_what_jackson_rejects() {
        assert!(decode("AQI")
            .unwrap_err()
            .to_string()
            .contains("expects padding"));
        assert!(decode("not base64!")
            .unwrap_err()
            .to_string()
            .contains("Illegal white space character (code 0x20) as character #4"));
        assert!(decode("1.5")
            .unwrap_err()
            .to_string()
            .contains("Illegal character '.' (code 0x2e) in base64 content"));
        assert!(decode("-_8=").is_err());
        assert!(decode("A===").is_err());
        assert!(decode("AQ=x").is_err());
        assert!(decode("é").is_err());
    }
}
