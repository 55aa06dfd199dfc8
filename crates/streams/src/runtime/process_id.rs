//! The instance's process id, kept in `state.dir/<application.id>/kafka-streams-process-metadata`
//! as Kafka Streams keeps it, so a restarted instance has the same transactional ids (and so
//! fences its previous incarnation's producers).

use std::fs;

use crate::config::StreamsConfig;
use crate::error::{Result, StreamsError};

const FILE: &str = "kafka-streams-process-metadata";

fn uuid() -> Result<String> {
    let mut b = [0u8; 16];
    getrandom::fill(&mut b)
        .map_err(|e| StreamsError::store("process id", format!("no randomness: {e}")))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    ))
}

/// Reads the process id, or creates and saves a new one.
pub(crate) fn load_or_create(config: &StreamsConfig) -> Result<String> {
    let dir = config.state_dir.join(&config.application_id);
    let path = dir.join(FILE);
    if let Ok(text) = fs::read_to_string(&path) {
        if let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) {
            if let Some(id) = v.get("processId").and_then(|p| p.as_str()) {
                return Ok(id.to_string());
            }
        }
    }
    let id = uuid()?;
    fs::create_dir_all(&dir).map_err(|e| {
        StreamsError::config(
            "state.dir",
            &config.state_dir.display().to_string(),
            format!("cannot be created: {e}"),
        )
    })?;
    let text = serde_json::json!({"processId": id}).to_string();
    fs::write(&path, text).map_err(|e| {
        StreamsError::config(
            "state.dir",
            &config.state_dir.display().to_string(),
            format!("cannot be written: {e}"),
        )
    })?;
    Ok(id)
}
