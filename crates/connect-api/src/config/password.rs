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

#[cfg(test)]
mod tests {
    use super::*;

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
