//! [`Password`]: a secret config value that never prints.

use std::fmt;

/// A PASSWORD config value (Java `org.apache.kafka.common.config.types.Password`).
///
/// `Debug` and `Display` print [`Password::HIDDEN`] (`[hidden]`), so a password cannot leak
/// through logs, error messages or the validate endpoint by accident. Read the secret with
/// [`Password::value`] only where it is actually used.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Password(String);

impl Password {
    /// What a password prints as: `[hidden]`.
    pub const HIDDEN: &'static str = "[hidden]";

    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Password(value.into())
    }

    /// The secret itself. Never log or print it.
    pub fn value(&self) -> &str {
        &self.0
    }

    /// The secret itself, by value. Never log or print it.
    pub fn into_value(self) -> String {
        self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Password::HIDDEN)
    }
}

impl fmt::Display for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(Password::HIDDEN)
    }
}

impl From<String> for Password {
    fn from(value: String) -> Self {
        Password(value)
    }
}

impl From<&str> for Password {
    fn from(value: &str) -> Self {
        Password(value.to_string())
    }
}

/// `text` with credentials embedded in URLs masked as `********`: the password of a
/// `scheme://user:password@host` authority and the value of `password=` parameters (as JDBC
/// URLs carry them). Text without either comes back unchanged.
pub fn mask_url_credentials(text: &str) -> std::borrow::Cow<'_, str> {
    const MASK: &str = "********";
    let lower = text.to_ascii_lowercase();
    let authority = text.find("://").and_then(|i| {
        let start = i + 3;
        let end = text[start..]
            .find(['/', '?', ' '])
            .map_or(text.len(), |e| start + e);
        let at = text[start..end].rfind('@').map(|a| start + a)?;
        let colon = text[start..at].find(':').map(|c| start + c)?;
        Some((colon + 1, at))
    });
    if authority.is_none() && !lower.contains("password=") {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    if let Some((from, to)) = authority {
        out.push_str(&text[..from]);
        out.push_str(MASK);
        i = to;
    }
    while let Some(p) = lower[i..].find("password=") {
        let value = i + p + "password=".len();
        out.push_str(&text[i..value]);
        out.push_str(MASK);
        i = text[value..]
            .find(['&', ';', ' '])
            .map_or(text.len(), |e| value + e);
    }
    out.push_str(&text[i..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_credentials_are_masked() {
        assert_eq!(
            mask_url_credentials("jdbc:mysql://u:secret@h:1/db?password=x&a=b"),
            "jdbc:mysql://u:********@h:1/db?password=********&a=b"
        );
        assert_eq!(
            mask_url_credentials("jdbc:postgresql://h/db?user=u&Password=p"),
            "jdbc:postgresql://h/db?user=u&Password=********"
        );
        assert_eq!(
            mask_url_credentials("jdbc:postgresql://u@h/db"),
            "jdbc:postgresql://u@h/db"
        );
        assert!(matches!(
            mask_url_credentials("plain"),
            std::borrow::Cow::Borrowed("plain")
        ));
    }

    #[test]
    fn debug_and_display_hide_the_secret() {
        let p = Password::new("s3cret");
        assert_eq!(format!("{p}"), "[hidden]");
        assert_eq!(format!("{p:?}"), "[hidden]");
        assert_eq!(format!("{:?}", Some(&p)), "Some([hidden])");
        assert_eq!(format!("{p:>10}"), "[hidden]");
        assert!(!format!("{p:#?}").contains("s3cret"));
        assert_eq!(p.value(), "s3cret");
        assert_eq!(p.clone().into_value(), "s3cret");
    }

    #[test]
    fn equality_compares_the_secret() {
        assert_eq!(Password::from("a"), Password::new("a".to_string()));
        assert_ne!(Password::from("a"), Password::from("b"));
        assert_eq!(Password::default().value(), "");
    }
}
