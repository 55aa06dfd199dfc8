//! Worker and connector config files, read as Kafka Connect's command line reads them.
//!
//! - Worker files are Java `.properties` (`Utils.loadProps`: ISO-8859-1, `\` escapes and
//!   continuation lines, `=`/`:`/whitespace separators, `#`/`!` comments).
//! - Connector files (`ConnectStandalone.parseConnectorConfigurationFile`, KIP-980) are tried,
//!   in this order, as a JSON object of string values that must contain `name`; as a JSON
//!   `CreateConnectorRequest` `{"name","config","initial_state"}`; and as a `.properties` file
//!   that must contain `name`.

use connect_runtime::target::TargetState;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

/// A config file could not be used; the message names the file and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum ConfigFileError {
    /// The file could not be read.
    #[error("Could not read config file '{path}': {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not a valid `.properties` file.
    #[error("Could not parse config file '{path}' as Java properties: {message}")]
    Properties {
        /// The file.
        path: PathBuf,
        /// What the parser said, with the line number.
        message: String,
    },
    /// The file parsed but its content is not a usable connector config.
    #[error("{0}")]
    Invalid(String),
}

/// A connector read from a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectorFile {
    /// The connector name (also `config["name"]`).
    pub name: String,
    /// The connector config, including `name`.
    pub config: BTreeMap<String, String>,
    /// `initial_state` of a `CreateConnectorRequest` file, if given.
    pub initial_state: Option<TargetState>,
}

fn read(path: &Path) -> Result<Vec<u8>, ConfigFileError> {
    std::fs::read(path).map_err(|source| ConfigFileError::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Parses Java `.properties` text (bytes read as ISO-8859-1, as `Properties.load(InputStream)`
/// does); a later duplicate key replaces an earlier one.
pub fn parse_properties(
    bytes: &[u8],
    path: &Path,
) -> Result<BTreeMap<String, String>, ConfigFileError> {
    connect_runtime::properties::parse_properties(bytes).map_err(|message| {
        ConfigFileError::Properties {
            path: path.to_path_buf(),
            message,
        }
    })
}

/// Reads a `.properties` file (a worker config).
pub fn load_properties(path: &Path) -> Result<BTreeMap<String, String>, ConfigFileError> {
    parse_properties(&read(path)?, path)
}

/// A JSON object whose values are all scalars, as Jackson reads it into a
/// `Map<String, String>` (numbers and booleans become their text, `null` is dropped as Java's
/// properties-backed config cannot hold it); `None` if any value is an object or array.
fn string_map(object: &serde_json::Map<String, Json>) -> Option<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (k, v) in object {
        let text = match v {
            Json::String(s) => s.clone(),
            Json::Number(n) => n.to_string(),
            Json::Bool(b) => b.to_string(),
            Json::Null => continue,
            Json::Array(_) | Json::Object(_) => return None,
        };
        out.insert(k.clone(), text);
    }
    Some(out)
}

fn missing_name(path: &Path) -> ConfigFileError {
    ConfigFileError::Invalid(format!(
        "Connector configuration at '{}' is missing the mandatory 'name' configuration",
        path.display()
    ))
}

/// Reads a connector file in any of the three forms Kafka's `connect-standalone` accepts.
pub fn load_connector(path: &Path) -> Result<ConnectorFile, ConfigFileError> {
    let bytes = read(path)?;
    if let Ok(Json::Object(object)) = serde_json::from_slice::<Json>(&bytes) {
        if let Some(config) = string_map(&object) {
            let name = config
                .get("name")
                .cloned()
                .ok_or_else(|| missing_name(path))?;
            return Ok(ConnectorFile {
                name,
                config,
                initial_state: None,
            });
        }
        return from_request(&object, path);
    }
    let config = parse_properties(&bytes, path)?;
    let name = config
        .get("name")
        .cloned()
        .ok_or_else(|| missing_name(path))?;
    Ok(ConnectorFile {
        name,
        config,
        initial_state: None,
    })
}

/// A `CreateConnectorRequest` file: `{"name": …, "config": {…}, "initial_state": …}`; other
/// fields are ignored, as Kafka's reader ignores them.
fn from_request(
    object: &serde_json::Map<String, Json>,
    path: &Path,
) -> Result<ConnectorFile, ConfigFileError> {
    let invalid = |what: String| {
        ConfigFileError::Invalid(format!(
            "Connector configuration at '{}' is not a valid connector request: {what}",
            path.display()
        ))
    };
    let name = match object.get("name") {
        Some(Json::String(s)) => s.clone(),
        None | Some(Json::Null) => return Err(invalid("'name' is missing".into())),
        Some(other) => return Err(invalid(format!("'name' must be a string, not {other}"))),
    };
    let mut config = match object.get("config") {
        Some(Json::Object(c)) => string_map(c).ok_or_else(|| {
            invalid("every value in 'config' must be a string, number or boolean".into())
        })?,
        None | Some(Json::Null) => BTreeMap::new(),
        Some(other) => return Err(invalid(format!("'config' must be an object, not {other}"))),
    };
    match config.get("name") {
        Some(n) if *n != name => {
            return Err(ConfigFileError::Invalid(format!(
                "Connector name configuration in 'config' doesn't match the one specified in \
'name' at '{}'",
                path.display()
            )))
        }
        Some(_) => {}
        None => {
            config.insert("name".to_string(), name.clone());
        }
    }
    let initial_state = match object.get("initial_state") {
        None | Some(Json::Null) => None,
        Some(Json::String(s)) => Some(TargetState::from_initial_state(s).ok_or_else(|| {
            invalid(format!(
                "'initial_state' is {s:?}; it must be RUNNING, PAUSED or STOPPED"
            ))
        })?),
        Some(other) => {
            return Err(invalid(format!(
                "'initial_state' must be a string, not {other}"
            )))
        }
    };
    Ok(ConnectorFile {
        name,
        config,
        initial_state,
    })
}

#[cfg(test)]
#[path = "config_file_tests.rs"]
mod tests;
