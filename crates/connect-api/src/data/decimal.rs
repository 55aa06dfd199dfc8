//! [`Decimal`]: Java's `BigDecimal` as an unscaled big integer and a scale.

use std::fmt;
use std::str::FromStr;

use num_bigint::{BigInt, Sign};
use num_traits::{Signed, ToPrimitive, Zero};

/// An arbitrary-precision decimal: `unscaled × 10^(-scale)`, as Java's `BigDecimal`.
///
/// Equality is Java's `BigDecimal.equals`: `1.5` and `1.50` differ (their scales differ).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    unscaled: BigInt,
    scale: i32,
}

/// Why a decimal text could not be parsed (Java `NumberFormatException`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct DecimalParseError(pub String);

impl Decimal {
    /// `unscaled × 10^(-scale)`.
    pub fn new(unscaled: BigInt, scale: i32) -> Self {
        Decimal { unscaled, scale }
    }

    /// `unscaled × 10^(-scale)` from a machine integer.
    pub fn from_i64(unscaled: i64, scale: i32) -> Self {
        Decimal {
            unscaled: BigInt::from(unscaled),
            scale,
        }
    }

    /// The unscaled value.
    pub fn unscaled(&self) -> &BigInt {
        &self.unscaled
    }

    /// The scale (digits after the decimal point; negative for multiples of powers of ten).
    pub fn scale(&self) -> i32 {
        self.scale
    }

    /// Whether the value is zero (at any scale).
    pub fn is_zero(&self) -> bool {
        self.unscaled.is_zero()
    }

    /// Java `BigInteger.toByteArray()` of the unscaled value: minimal big-endian two's complement
    /// (the Connect `Decimal` wire encoding). Zero is one `0x00` byte.
    pub fn to_twos_complement(&self) -> Vec<u8> {
        self.unscaled.to_signed_bytes_be()
    }

    /// Decodes the Connect `Decimal` wire encoding. Java rejects empty input
    /// (`Zero length BigInteger`).
    pub fn from_twos_complement(bytes: &[u8], scale: i32) -> Result<Self, DecimalParseError> {
        if bytes.is_empty() {
            return Err(DecimalParseError("Zero length BigInteger".to_string()));
        }
        Ok(Decimal {
            unscaled: BigInt::from_signed_bytes_be(bytes),
            scale,
        })
    }

    /// Parses Java `new BigDecimal(String)` syntax: `[+-]digits[.digits][(e|E)[+-]digits]`.
    /// The scale is the number of fraction digits minus the exponent (`"1.50"` → scale 2,
    /// `"1.2E+3"` → scale −2).
    pub fn parse(text: &str) -> Result<Self, DecimalParseError> {
        let err = || {
            DecimalParseError(format!(
                "Character array is missing \"exponent\" mark 'e' or 'E'. Input: {text}"
            ))
        };
        let bytes = text.as_bytes();
        let mut i = 0;
        let negative = match bytes.first() {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        let mut digits = String::with_capacity(bytes.len());
        let mut frac_digits: i64 = 0;
        let mut seen_dot = false;
        while i < bytes.len() {
            match bytes[i] {
                b'0'..=b'9' => {
                    digits.push(bytes[i] as char);
                    if seen_dot {
                        frac_digits += 1;
                    }
                }
                b'.' if !seen_dot => seen_dot = true,
                b'e' | b'E' => break,
                c => {
                    return Err(DecimalParseError(format!(
                        "Character {} is neither a decimal digit number, decimal point, nor \"e\" notation exponential mark.",
                        c as char
                    )))
                }
            }
            i += 1;
        }
        if digits.is_empty() {
            return Err(DecimalParseError(format!("No digits found in {text:?}")));
        }
        let mut exponent: i64 = 0;
        if i < bytes.len() {
            // at 'e' / 'E'
            i += 1;
            let exp_text = &text[i..];
            if exp_text.is_empty() {
                return Err(err());
            }
            let (exp_neg, exp_digits) = match exp_text.as_bytes()[0] {
                b'-' => (true, &exp_text[1..]),
                b'+' => (false, &exp_text[1..]),
                _ => (false, exp_text),
            };
            if exp_digits.is_empty() || !exp_digits.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err());
            }
            let trimmed = exp_digits.trim_start_matches('0');
            if trimmed.len() > 10 {
                return Err(DecimalParseError("Exponent overflow.".to_string()));
            }
            let magnitude: i64 = if trimmed.is_empty() {
                0
            } else {
                trimmed
                    .parse()
                    .map_err(|_| DecimalParseError("Exponent overflow.".to_string()))?
            };
            exponent = if exp_neg { -magnitude } else { magnitude };
        }
        let scale = frac_digits - exponent;
        let scale = i32::try_from(scale)
            .map_err(|_| DecimalParseError("Scale out of range.".to_string()))?;
        let mut unscaled = BigInt::from_str(&digits)
            .map_err(|e| DecimalParseError(format!("Invalid digits in {text:?}: {e}")))?;
        if negative {
            unscaled = -unscaled;
        }
        Ok(Decimal { unscaled, scale })
    }

    /// The nearest `f64` (Java `BigDecimal.doubleValue()`).
    pub fn to_f64(&self) -> f64 {
        // Going through the canonical text lets Rust's correctly rounded parser do the work.
        let text = format!("{}e{}", self.unscaled, -(self.scale as i64));
        text.parse::<f64>().unwrap_or(f64::NAN)
    }

    /// The integer part, truncated toward zero (Java `BigDecimal.toBigInteger()`).
    pub fn to_bigint_truncated(&self) -> BigInt {
        if self.scale <= 0 {
            let factor = num_traits::pow(BigInt::from(10), self.scale.unsigned_abs() as usize);
            &self.unscaled * factor
        } else {
            let factor = num_traits::pow(BigInt::from(10), self.scale as usize);
            &self.unscaled / factor // BigInt division truncates toward zero
        }
    }

    /// Java `BigDecimal.longValue()`: the truncated integer part, wrapped to 64 bits.
    pub fn to_i64_wrapping(&self) -> i64 {
        let int = self.to_bigint_truncated();
        wrap_bigint_to_i64(&int)
    }

    /// Java `BigDecimal.setScale(newScale)` without rounding: `None` if digits would be lost.
    pub fn with_scale_exact(&self, new_scale: i32) -> Option<Decimal> {
        if new_scale == self.scale {
            return Some(self.clone());
        }
        if new_scale > self.scale {
            let diff = (new_scale as i64 - self.scale as i64) as usize;
            let factor = num_traits::pow(BigInt::from(10), diff);
            Some(Decimal::new(&self.unscaled * factor, new_scale))
        } else {
            let diff = (self.scale as i64 - new_scale as i64) as usize;
            let factor = num_traits::pow(BigInt::from(10), diff);
            let rem = &self.unscaled % &factor;
            if rem.is_zero() {
                Some(Decimal::new(&self.unscaled / factor, new_scale))
            } else {
                None
            }
        }
    }

    /// Java `BigDecimal.toPlainString()`.
    pub fn to_plain_string(&self) -> String {
        let digits = self.unscaled.abs().to_string();
        let mut out = String::new();
        if self.unscaled.sign() == Sign::Minus {
            out.push('-');
        }
        if self.scale <= 0 {
            out.push_str(&digits);
            if !self.unscaled.is_zero() {
                out.extend(std::iter::repeat_n('0', self.scale.unsigned_abs() as usize));
            }
            return out;
        }
        let scale = self.scale as usize;
        if digits.len() > scale {
            let (int, frac) = digits.split_at(digits.len() - scale);
            out.push_str(int);
            out.push('.');
            out.push_str(frac);
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', scale - digits.len()));
            out.push_str(&digits);
        }
        out
    }
}

/// Wraps a big integer to its low 64 bits, as Java's `BigInteger.longValue()`.
pub(crate) fn wrap_bigint_to_i64(int: &BigInt) -> i64 {
    if let Some(v) = int.to_i64() {
        return v;
    }
    let bytes = int.to_signed_bytes_le();
    let mut low = [if int.sign() == Sign::Minus { 0xFF } else { 0 }; 8];
    for (i, b) in bytes.iter().take(8).enumerate() {
        low[i] = *b;
    }
    i64::from_le_bytes(low)
}

impl fmt::Display for Decimal {
    /// Java `BigDecimal.toString()`: plain notation when the scale is ≥ 0 and the adjusted
    /// exponent ≥ −6, otherwise scientific (`1.2E+3`, `-1E-10`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = self.unscaled.abs().to_string();
        let negative = self.unscaled.sign() == Sign::Minus;
        let adjusted = -(self.scale as i64) + (digits.len() as i64 - 1);
        if self.scale >= 0 && adjusted >= -6 {
            return f.write_str(&self.to_plain_string());
        }
        let mut out = String::with_capacity(digits.len() + 8);
        if negative {
            out.push('-');
        }
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        if adjusted != 0 {
            out.push('E');
            if adjusted > 0 {
                out.push('+');
            }
            out.push_str(&adjusted.to_string());
        }
        f.write_str(&out)
    }
}

impl fmt::Debug for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Decimal({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rt(s: &str) -> String {
        Decimal::parse(s).unwrap().to_string()
    }

    #[test]
    fn java_to_string() {
        assert_eq!(rt("1.50"), "1.50");
        assert_eq!(rt("-0.0000000001"), "-1E-10");
        assert_eq!(rt("1.2E+3"), "1.2E+3");
        assert_eq!(rt("1E+3"), "1E+3");
        assert_eq!(rt("0.000001"), "0.000001");
        assert_eq!(rt("0.0000001"), "1E-7");
        assert_eq!(rt("-12.345"), "-12.345");
        assert_eq!(rt("0"), "0");
        assert_eq!(Decimal::from_i64(0, -2).to_string(), "0E+2");
        assert_eq!(rt("1.5e400"), "1.5E+400");
        assert_eq!(Decimal::parse("1.2E+3").unwrap().scale(), -2);
    }

    #[test]
    fn parse_rejects_garbage() {
        assert!(Decimal::parse("abc").is_err());
        assert!(Decimal::parse("").is_err());
        assert!(Decimal::parse("1e").is_err());
        assert!(Decimal::parse("1.2.3").is_err());
        assert!(Decimal::parse("Infinity").is_err());
    }

    #[test]
    fn twos_complement_is_minimal() {
        assert_eq!(
            Decimal::parse("1.50").unwrap().to_twos_complement(),
            vec![0x00, 0x96]
        );
        assert_eq!(
            Decimal::parse("-0.01").unwrap().to_twos_complement(),
            vec![0xFF]
        );
        assert_eq!(
            Decimal::from_i64(128, 0).to_twos_complement(),
            vec![0x00, 0x80]
        );
        assert_eq!(Decimal::from_i64(0, 0).to_twos_complement(), vec![0x00]);
        let d = Decimal::from_twos_complement(&[0xFF], 2).unwrap();
        assert_eq!(d.to_string(), "-0.01");
        assert!(Decimal::from_twos_complement(&[], 2).is_err());
    }

    #[test]
    fn conversions() {
        assert_eq!(Decimal::parse("-1.9").unwrap().to_i64_wrapping(), -1);
        assert_eq!(Decimal::parse("1.25").unwrap().to_f64(), 1.25);
        assert_eq!(
            Decimal::parse("1.5")
                .unwrap()
                .with_scale_exact(2)
                .unwrap()
                .to_string(),
            "1.50"
        );
        assert!(Decimal::parse("1.55")
            .unwrap()
            .with_scale_exact(1)
            .is_none());
        assert_eq!(Decimal::parse("1.2E+3").unwrap().to_plain_string(), "1200");
        assert_eq!(
            Decimal::parse("123456789012345678901234567890")
                .unwrap()
                .to_i64_wrapping(),
            -4362896299872285998
        );
    }
}
