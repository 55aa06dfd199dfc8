//! Validators of config values (Java `ConfigDef.Validator` and its implementations), with
//! Kafka's error messages.

use std::fmt;
use std::sync::Arc;

use crate::config::ParsedValue;
use crate::data::java_text::f64_to_string;
use crate::error::ConfigIssue;

/// Checks a parsed config value (Java `ConfigDef.Validator`).
///
/// A validator runs on the parsed value of its key, including the default when the key is not
/// set; `None` stands for a null value. It names the key and the offending value in the
/// returned issue, usually through [`ConfigIssue::invalid_value`] with the value's `Display`
/// (which prints passwords as `[hidden]`).
pub trait Validator: Send + Sync {
    /// Java `ensureValid(name, value)`: `Ok` if `value` is acceptable for key `name`.
    fn ensure_valid(&self, name: &str, value: Option<&ParsedValue>) -> Result<(), ConfigIssue>;

    /// Java `toString()`: the valid values in words, as printed in the docs (`[1,...]`).
    fn describe(&self) -> String {
        String::new()
    }
}

impl fmt::Debug for dyn Validator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Validator({})", self.describe())
    }
}

/// The issue for a validator given a value of a type it cannot check (a programming error;
/// Java throws a `ClassCastException` there).
fn wrong_type(name: &str, value: &ParsedValue, expected: &str) -> ConfigIssue {
    ConfigIssue::invalid_value(
        name,
        value.to_string(),
        format!(
            "Value must be {expected}, not a {}",
            value.config_type().java_name()
        ),
    )
}

/// A bound of a [`Range`], printed as Java prints the `Number` it was given (`1`, `0.5`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RangeBound {
    /// An integral bound (Java `Integer`, `Short` or `Long`).
    Whole(i64),
    /// A floating-point bound (Java `Double`).
    Float(f64),
}

impl RangeBound {
    fn as_f64(self) -> f64 {
        match self {
            RangeBound::Whole(v) => v as f64,
            RangeBound::Float(v) => v,
        }
    }
}

impl fmt::Display for RangeBound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RangeBound::Whole(v) => write!(f, "{v}"),
            RangeBound::Float(v) => f.write_str(&f64_to_string(*v)),
        }
    }
}

impl From<i16> for RangeBound {
    fn from(v: i16) -> Self {
        RangeBound::Whole(i64::from(v))
    }
}

impl From<i32> for RangeBound {
    fn from(v: i32) -> Self {
        RangeBound::Whole(i64::from(v))
    }
}

impl From<i64> for RangeBound {
    fn from(v: i64) -> Self {
        RangeBound::Whole(v)
    }
}

impl From<f64> for RangeBound {
    fn from(v: f64) -> Self {
        RangeBound::Float(v)
    }
}

/// A numeric range (Java `ConfigDef.Range`) for `INT`, `SHORT`, `LONG` and `DOUBLE` keys.
/// Values are compared as doubles, as Java does. Messages: `Value must be non-null`,
/// `Value must be at least 1`, `Value must be no more than 10`.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    min: Option<RangeBound>,
    max: Option<RangeBound>,
}

impl Range {
    /// Java `Range.atLeast(min)`.
    pub fn at_least(min: impl Into<RangeBound>) -> Self {
        Range {
            min: Some(min.into()),
            max: None,
        }
    }

    /// At most `max` (no lower bound).
    pub fn at_most(max: impl Into<RangeBound>) -> Self {
        Range {
            min: None,
            max: Some(max.into()),
        }
    }

    /// Java `Range.between(min, max)`, both inclusive.
    pub fn between(min: impl Into<RangeBound>, max: impl Into<RangeBound>) -> Self {
        Range {
            min: Some(min.into()),
            max: Some(max.into()),
        }
    }
}

impl Validator for Range {
    fn ensure_valid(&self, name: &str, value: Option<&ParsedValue>) -> Result<(), ConfigIssue> {
        let Some(value) = value else {
            return Err(ConfigIssue::invalid_null(name, "Value must be non-null"));
        };
        let Some(n) = value.as_number() else {
            return Err(wrong_type(name, value, "a number"));
        };
        if let Some(min) = self.min {
            if n < min.as_f64() {
                return Err(ConfigIssue::invalid_value(
                    name,
                    value.to_string(),
                    format!("Value must be at least {min}"),
                ));
            }
        }
        if let Some(max) = self.max {
            if n > max.as_f64() {
                return Err(ConfigIssue::invalid_value(
                    name,
                    value.to_string(),
                    format!("Value must be no more than {max}"),
                ));
            }
        }
        Ok(())
    }

    fn describe(&self) -> String {
        match (self.min, self.max) {
            (None, None) => "[...]".to_string(),
            (None, Some(max)) => format!("[...,{max}]"),
            (Some(min), None) => format!("[{min},...]"),
            (Some(min), Some(max)) => format!("[{min},...,{max}]"),
        }
    }
}

/// One of a fixed set of strings, case-sensitive (Java `ConfigDef.ValidString.in(...)`).
/// Message: `String must be one of: a, b` (in declaration order). Null is rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidString {
    valid: Vec<String>,
}

impl ValidString {
    /// Java `ValidString.in(a, b, …)` (`in` is a Rust keyword).
    #[doc(alias = "in")]
    pub fn one_of<S: Into<String>>(valid: impl IntoIterator<Item = S>) -> Self {
        ValidString {
            valid: valid.into_iter().map(Into::into).collect(),
        }
    }

    /// The accepted strings, in declaration order.
    pub fn valid_values(&self) -> &[String] {
        &self.valid
    }

    fn check(&self, name: &str, value: Option<&str>, shown: String) -> Result<(), ConfigIssue> {
        match value {
            Some(s) if self.valid.iter().any(|v| v == s) => Ok(()),
            _ => {
                let message = format!("String must be one of: {}", self.valid.join(", "));
                Err(match value {
                    Some(_) => ConfigIssue::invalid_value(name, shown, message),
                    None => ConfigIssue::invalid_null(name, message),
                })
            }
        }
    }
}

impl Validator for ValidString {
    fn ensure_valid(&self, name: &str, value: Option<&ParsedValue>) -> Result<(), ConfigIssue> {
        match value {
            None => self.check(name, None, String::new()),
            Some(v) => match v.as_text() {
                Some(s) => self.check(name, Some(s), v.to_string()),
                None => Err(wrong_type(name, v, "a string")),
            },
        }
    }

    fn describe(&self) -> String {
        format!("[{}]", self.valid.join(", "))
    }
}

/// One of a fixed set of strings, ignoring case (Java `ConfigDef.CaseInsensitiveValidString`).
/// Message: `String must be one of (case insensitive): NUMERIC, BASE64`: the strings are
/// upper-cased and listed in the iteration order of the Java `HashSet` that holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseInsensitiveValidString {
    upper: Vec<String>,
}

impl CaseInsensitiveValidString {
    /// Java `CaseInsensitiveValidString.in(a, b, …)`.
    #[doc(alias = "in")]
    pub fn one_of<S: Into<String>>(valid: impl IntoIterator<Item = S>) -> Self {
        let upper = valid.into_iter().map(|s| s.into().to_uppercase()).collect();
        CaseInsensitiveValidString {
            upper: java_hash_set_order(upper),
        }
    }

    /// The accepted strings, upper-cased, in the order Java lists them.
    pub fn valid_values(&self) -> &[String] {
        &self.upper
    }
}

impl Validator for CaseInsensitiveValidString {
    fn ensure_valid(&self, name: &str, value: Option<&ParsedValue>) -> Result<(), ConfigIssue> {
        let message = || {
            format!(
                "String must be one of (case insensitive): {}",
                self.upper.join(", ")
            )
        };
        let Some(v) = value else {
            return Err(ConfigIssue::invalid_null(name, message()));
        };
        let Some(s) = v.as_text() else {
            return Err(wrong_type(name, v, "a string"));
        };
        let up = s.to_uppercase();
        if self.upper.contains(&up) {
            Ok(())
        } else {
            Err(ConfigIssue::invalid_value(name, v.to_string(), message()))
        }
    }

    fn describe(&self) -> String {
        format!("(case insensitive) [{}]", self.upper.join(", "))
    }
}

/// Java's `String.hashCode()`.
fn java_string_hash(s: &str) -> i32 {
    s.encode_utf16().fold(0i32, |h, unit| {
        h.wrapping_mul(31).wrapping_add(i32::from(unit))
    })
}

/// The iteration order of a `java.util.HashSet` filled with `items` in order (duplicates
/// dropped): by bucket `(h ^ h >>> 16) & (capacity - 1)`, then by insertion. The capacity is
/// 16, doubled while the size exceeds 3/4 of it. (Buckets of 8+ colliding strings, which Java
/// turns into trees, are not modelled.)
fn java_hash_set_order(items: Vec<String>) -> Vec<String> {
    let mut unique: Vec<String> = Vec::with_capacity(items.len());
    for item in items {
        if !unique.contains(&item) {
            unique.push(item);
        }
    }
    let mut capacity: usize = 16;
    while unique.len() > capacity / 4 * 3 {
        capacity *= 2;
    }
    let bucket = |s: &str| {
        let h = java_string_hash(s) as u32;
        ((h ^ (h >> 16)) as usize) & (capacity - 1)
    };
    let mut indexed: Vec<(usize, usize, String)> = unique
        .into_iter()
        .enumerate()
        .map(|(i, s)| (bucket(&s), i, s))
        .collect();
    indexed.sort_by_key(|(b, i, _)| (*b, *i));
    indexed.into_iter().map(|(_, _, s)| s).collect()
}

/// Every item of a `LIST` is one of a fixed set (Java `ConfigDef.ValidList.in(...)`). The
/// first bad item is reported: `Invalid value c for configuration x: String must be one of:
/// a, b`. A null list passes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidList {
    inner: ValidString,
}

impl ValidList {
    /// Java `ValidList.in(a, b, …)`.
    #[doc(alias = "in")]
    pub fn one_of<S: Into<String>>(valid: impl IntoIterator<Item = S>) -> Self {
        ValidList {
            inner: ValidString::one_of(valid),
        }
    }
}

impl Validator for ValidList {
    fn ensure_valid(&self, name: &str, value: Option<&ParsedValue>) -> Result<(), ConfigIssue> {
        match value {
            None => Ok(()),
            Some(ParsedValue::List(items)) => items
                .iter()
                .try_for_each(|item| self.inner.check(name, Some(item), item.clone())),
            Some(other) => Err(wrong_type(name, other, "a list")),
        }
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

/// A string that is not empty (Java `ConfigDef.NonEmptyString`): `String must be non-empty`.
/// Null passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NonEmptyString;

impl Validator for NonEmptyString {
    fn ensure_valid(&self, name: &str, value: Option<&ParsedValue>) -> Result<(), ConfigIssue> {
        match value {
            None => Ok(()),
            Some(v) => match v.as_text() {
                Some("") => Err(ConfigIssue::invalid_value(
                    name,
                    v.to_string(),
                    "String must be non-empty",
                )),
                Some(_) => Ok(()),
                None => Err(wrong_type(name, v, "a string")),
            },
        }
    }

    fn describe(&self) -> String {
        "non-empty string".to_string()
    }
}

/// A non-empty string without ISO control characters (Java
/// `ConfigDef.NonEmptyStringWithoutControlChars`, used for connector names). Messages:
/// `String may not be empty`, `String may not contain control sequences but had the
/// following ASCII chars: 10, 13`. Null passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NonEmptyStringWithoutControlChars;

impl Validator for NonEmptyStringWithoutControlChars {
    fn ensure_valid(&self, name: &str, value: Option<&ParsedValue>) -> Result<(), ConfigIssue> {
        let Some(v) = value else {
            return Ok(());
        };
        let Some(s) = v.as_text() else {
            return Err(wrong_type(name, v, "a string"));
        };
        if s.is_empty() {
            return Err(ConfigIssue::invalid_value(
                name,
                v.to_string(),
                "String may not be empty",
            ));
        }
        let controls: Vec<String> = s
            .chars()
            .filter(|c| c.is_control())
            .map(|c| u32::from(c).to_string())
            .collect();
        if controls.is_empty() {
            Ok(())
        } else {
            Err(ConfigIssue::invalid_value(
                name,
                v.to_string(),
                format!(
                    "String may not contain control sequences but had the following ASCII chars: {}",
                    controls.join(", ")
                ),
            ))
        }
    }

    fn describe(&self) -> String {
        "non-empty string without ISO control characters".to_string()
    }
}

/// Any value but null (Java `ConfigDef.NonNullValidator`):
/// `Invalid value null for configuration x: entry must be non null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NonNullValidator;

impl Validator for NonNullValidator {
    fn ensure_valid(&self, name: &str, value: Option<&ParsedValue>) -> Result<(), ConfigIssue> {
        match value {
            Some(_) => Ok(()),
            None => Err(ConfigIssue::invalid_value(
                name,
                "null",
                "entry must be non null",
            )),
        }
    }

    fn describe(&self) -> String {
        "non-null string".to_string()
    }
}

/// A `LIST` of at most `n` items (Java `ConfigDef.ListSize.atMostOfSize(n)`):
/// `exceeds maximum list size of [n].` Null passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListSize {
    max: usize,
}

impl ListSize {
    /// Java `ListSize.atMostOfSize(max)`.
    pub fn at_most(max: usize) -> Self {
        ListSize { max }
    }
}

impl Validator for ListSize {
    fn ensure_valid(&self, name: &str, value: Option<&ParsedValue>) -> Result<(), ConfigIssue> {
        match value {
            None => Ok(()),
            Some(v @ ParsedValue::List(items)) if items.len() > self.max => {
                Err(ConfigIssue::invalid_value(
                    name,
                    v.to_string(),
                    format!("exceeds maximum list size of [{}].", self.max),
                ))
            }
            Some(ParsedValue::List(_)) => Ok(()),
            Some(other) => Err(wrong_type(name, other, "a list")),
        }
    }

    fn describe(&self) -> String {
        format!("List containing maximum of {} elements", self.max)
    }
}

/// Several validators in order; the first failure is reported (Java
/// `ConfigDef.CompositeValidator.of(...)`).
#[derive(Clone, Default)]
pub struct CompositeValidator {
    validators: Vec<Arc<dyn Validator>>,
}

impl CompositeValidator {
    /// An empty composite (accepts everything); add validators with [`and`](Self::and).
    pub fn new() -> Self {
        CompositeValidator::default()
    }

    /// Adds a validator, run after the ones before it.
    pub fn and(mut self, validator: impl Validator + 'static) -> Self {
        self.validators.push(Arc::new(validator));
        self
    }
}

impl fmt::Debug for CompositeValidator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CompositeValidator({})", self.describe())
    }
}

impl Validator for CompositeValidator {
    fn ensure_valid(&self, name: &str, value: Option<&ParsedValue>) -> Result<(), ConfigIssue> {
        self.validators
            .iter()
            .try_for_each(|v| v.ensure_valid(name, value))
    }

    fn describe(&self) -> String {
        self.validators
            .iter()
            .map(|v| v.describe())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The check of a [`LambdaValidator`].
type CheckFn = dyn Fn(&str, Option<&ParsedValue>) -> Result<(), ConfigIssue> + Send + Sync;

/// A validator from a closure (Java `ConfigDef.LambdaValidator.with(ensureValid, toString)`).
///
/// ```
/// use connect_api::config::{LambdaValidator, ParsedValue, Validator};
/// use connect_api::error::ConfigIssue;
///
/// let even = LambdaValidator::new(
///     |name, value| match value {
///         Some(ParsedValue::Int(n)) if n % 2 != 0 => {
///             Err(ConfigIssue::invalid_value(name, n.to_string(), "Value must be even"))
///         }
///         _ => Ok(()),
///     },
///     "an even number",
/// );
/// assert!(even.ensure_valid("x", Some(&ParsedValue::Int(3))).is_err());
/// ```
#[derive(Clone)]
pub struct LambdaValidator {
    check: Arc<CheckFn>,
    description: String,
}

impl LambdaValidator {
    /// A validator that runs `check` and describes itself as `description`.
    pub fn new(
        check: impl Fn(&str, Option<&ParsedValue>) -> Result<(), ConfigIssue> + Send + Sync + 'static,
        description: impl Into<String>,
    ) -> Self {
        LambdaValidator {
            check: Arc::new(check),
            description: description.into(),
        }
    }
}

impl fmt::Debug for LambdaValidator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LambdaValidator({})", self.description)
    }
}

impl Validator for LambdaValidator {
    fn ensure_valid(&self, name: &str, value: Option<&ParsedValue>) -> Result<(), ConfigIssue> {
        (self.check)(name, value)
    }

    fn describe(&self) -> String {
        self.description.clone()
    }
}

#[cfg(test)]
#[path = "validators_tests.rs"]
mod tests;
