//! The JSON entities, in Kafka's field order.

use connect_runtime::standalone::ConnectorInfo;
use connect_runtime::status::{ConnectorStatus, Status};
use serde_json::{json, Map, Value};

pub use connect_runtime::redact::is_secret_key;

/// A config with secret values replaced by `[hidden]` and passwords inside URLs masked
/// (config provider references `${provider:…}` are not secrets and stay).
pub fn redacted_config(config: &std::collections::BTreeMap<String, String>) -> Value {
    let mut out = Map::new();
    for (k, v) in config {
        let shown = if is_secret_key(k) && !v.starts_with("${") {
            connect_runtime::redact::HIDDEN.to_string()
        } else {
            // a password inside a URL (`jdbc:…?password=…`) is not shown either
            connect_api::config::mask_url_credentials(v).into_owned()
        };
        out.insert(k.clone(), Value::String(shown));
    }
    Value::Object(out)
}

/// `ConnectorInfo`.
pub fn connector_info(info: &ConnectorInfo) -> Value {
    let tasks: Vec<Value> = (0..info.tasks.len())
        .map(|i| json!({"connector": info.name, "task": i}))
        .collect();
    json!({
        "name": info.name,
        "config": redacted_config(&info.config),
        "tasks": tasks,
        "type": info.kind,
    })
}

fn state(status: &Status, id: Option<u32>) -> Value {
    let mut m = Map::new();
    if let Some(id) = id {
        m.insert("id".into(), json!(id));
    }
    m.insert("state".into(), json!(status.state.name()));
    m.insert("worker_id".into(), json!(status.worker_id));
    if let Some(t) = status.trace.as_ref().filter(|t| !t.is_empty()) {
        m.insert("trace".into(), json!(t));
    }
    Value::Object(m)
}

/// `TaskState` of one task.
pub fn task_state(status: &Status, id: u32) -> Value {
    state(status, Some(id))
}

/// `ConnectorStateInfo`.
pub fn connector_state(name: &str, status: &ConnectorStatus) -> Value {
    let tasks: Vec<Value> = status
        .tasks
        .iter()
        .map(|(id, s)| task_state(s, *id))
        .collect();
    json!({
        "name": name,
        "connector": state(&status.connector, None),
        "tasks": tasks,
        "type": status.kind,
    })
}

/// `TaskInfo` list.
pub fn task_infos(info: &ConnectorInfo) -> Value {
    Value::Array(
        info.tasks
            .iter()
            .enumerate()
            .map(|(i, c)| json!({"id": {"connector": info.name, "task": i}, "config": redacted_config(c)}))
            .collect(),
    )
}

/// The deprecated `tasks-config` map: `<connector>-<task>` to the task's config.
pub fn tasks_config(info: &ConnectorInfo) -> Value {
    let mut out = Map::new();
    for (i, c) in info.tasks.iter().enumerate() {
        out.insert(format!("{}-{i}", info.name), redacted_config(c));
    }
    Value::Object(out)
}
