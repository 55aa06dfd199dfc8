//! [`Recommender`]: valid values and visibility of a key that depend on other keys.

use std::fmt;

use crate::config::{ParsedConfig, ParsedValue};
use crate::error::ConfigIssue;

/// Suggests valid values for a key and says whether it is relevant, given the other values of
/// the config (Java `ConfigDef.Recommender`). Used only by [`crate::config::ConfigDef::validate`]
/// (the REST validate endpoint), never by parsing.
///
/// `parsed` holds every defined key of the config being validated: the parsed value, the
/// default, or null where the value was missing or invalid.
pub trait Recommender: Send + Sync {
    /// Java `validValues(name, parsedConfig)`: the values to offer for key `name`. An `Err`
    /// becomes an error message of that key.
    fn valid_values(
        &self,
        name: &str,
        parsed: &ParsedConfig,
    ) -> Result<Vec<ParsedValue>, ConfigIssue> {
        let _ = (name, parsed);
        Ok(Vec::new())
    }

    /// Java `visible(name, parsedConfig)`: whether key `name` matters with these values (a UI
    /// hides invisible keys). An `Err` becomes an error message of that key.
    fn visible(&self, name: &str, parsed: &ParsedConfig) -> Result<bool, ConfigIssue> {
        let _ = (name, parsed);
        Ok(true)
    }
}

impl fmt::Debug for dyn Recommender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Recommender")
    }
}
