//! The enums of a config key's metadata: [`ConfigType`], [`Importance`], [`Width`].

use std::fmt;

/// The type of a config key (Java `ConfigDef.Type`). It decides how the string value of the key
/// is parsed (see [`crate::config::parse_value`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConfigType {
    /// `BOOLEAN`: `true` or `false`, case-insensitive.
    Boolean,
    /// `STRING`: the trimmed string.
    String,
    /// `INT`: a 32-bit signed integer (`Integer.parseInt`).
    Int,
    /// `SHORT`: a 16-bit signed integer (`Short.parseShort`).
    Short,
    /// `LONG`: a 64-bit signed integer (`Long.parseLong`).
    Long,
    /// `DOUBLE`: a 64-bit float (`Double.parseDouble`).
    Double,
    /// `LIST`: a comma-separated list of trimmed strings; the empty string is the empty list.
    List,
    /// `CLASS`: a class name (resolving it is the runtime's job).
    Class,
    /// `PASSWORD`: a secret string, kept in a [`crate::config::Password`].
    Password,
}

impl ConfigType {
    /// All types, in Java's declaration order.
    pub const ALL: [ConfigType; 9] = [
        ConfigType::Boolean,
        ConfigType::String,
        ConfigType::Int,
        ConfigType::Short,
        ConfigType::Long,
        ConfigType::Double,
        ConfigType::List,
        ConfigType::Class,
        ConfigType::Password,
    ];

    /// The name Java prints (`Type.name()`): `STRING`, `INT`, …
    pub fn java_name(self) -> &'static str {
        match self {
            ConfigType::Boolean => "BOOLEAN",
            ConfigType::String => "STRING",
            ConfigType::Int => "INT",
            ConfigType::Short => "SHORT",
            ConfigType::Long => "LONG",
            ConfigType::Double => "DOUBLE",
            ConfigType::List => "LIST",
            ConfigType::Class => "CLASS",
            ConfigType::Password => "PASSWORD",
        }
    }

    /// The type whose [`java_name`](Self::java_name) is `name` (exact match).
    pub fn from_java_name(name: &str) -> Option<ConfigType> {
        ConfigType::ALL.into_iter().find(|t| t.java_name() == name)
    }

    /// Whether values of this type are secrets that must never be printed.
    pub fn is_sensitive(self) -> bool {
        self == ConfigType::Password
    }
}

impl fmt::Display for ConfigType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.java_name())
    }
}

/// How important a key is for users (Java `ConfigDef.Importance`). Ordered as Java orders it:
/// `High < Medium < Low`, so sorting puts the most important first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Importance {
    /// `HIGH`.
    High,
    /// `MEDIUM`.
    Medium,
    /// `LOW`.
    Low,
}

impl Importance {
    /// The name Java prints: `HIGH`, `MEDIUM`, `LOW`.
    pub fn java_name(self) -> &'static str {
        match self {
            Importance::High => "HIGH",
            Importance::Medium => "MEDIUM",
            Importance::Low => "LOW",
        }
    }
}

impl fmt::Display for Importance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.java_name())
    }
}

/// The width of a key's input field in a UI (Java `ConfigDef.Width`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Width {
    /// `NONE` (the default).
    #[default]
    None,
    /// `SHORT`.
    Short,
    /// `MEDIUM`.
    Medium,
    /// `LONG`.
    Long,
}

impl Width {
    /// The name Java prints: `NONE`, `SHORT`, `MEDIUM`, `LONG`.
    pub fn java_name(self) -> &'static str {
        match self {
            Width::None => "NONE",
            Width::Short => "SHORT",
            Width::Medium => "MEDIUM",
            Width::Long => "LONG",
        }
    }
}

impl fmt::Display for Width {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.java_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn java_names_round_trip() {
        for t in ConfigType::ALL {
            assert_eq!(ConfigType::from_java_name(t.java_name()), Some(t));
            assert_eq!(t.to_string(), t.java_name());
        }
        assert_eq!(ConfigType::from_java_name("string"), None);
        assert_eq!(ConfigType::Int.java_name(), "INT");
        assert_eq!(ConfigType::Password.java_name(), "PASSWORD");
        assert!(ConfigType::Password.is_sensitive());
        assert!(!ConfigType::String.is_sensitive());
    }

    #[test]
    fn importance_and_width() {
        assert_eq!(Importance::High.to_string(), "HIGH");
        assert_eq!(Importance::Medium.java_name(), "MEDIUM");
        assert_eq!(Importance::Low.java_name(), "LOW");
        assert!(Importance::High < Importance::Low);
        assert_eq!(Width::default(), Width::None);
        assert_eq!(Width::None.to_string(), "NONE");
        assert_eq!(Width::Short.java_name(), "SHORT");
        assert_eq!(Width::Medium.java_name(), "MEDIUM");
        assert_eq!(Width::Long.java_name(), "LONG");
    }
}
