//! `/connector-plugins`: the plugins Ferry has, a connector plugin's keys, and config
//! validation (`ConfigInfos`).

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use connect_api::config::{ConfigKeyInfo, ConfigValueInfo};
use connect_runtime::validation::ConfigInfos;
use serde_json::{json, Map, Value};

use crate::body::{self, herder_error};
use crate::routes::Shared;

fn key_info(k: &ConfigKeyInfo) -> Value {
    json!({
        "name": k.name,
        "type": k.type_name,
        "required": k.required,
        "default_value": k.default_value,
        "importance": k.importance,
        "documentation": k.documentation,
        "group": k.group,
        "width": k.width,
        "display_name": k.display_name,
        "dependents": k.dependents,
        "order": k.order_in_group,
    })
}

fn value_info(v: &ConfigValueInfo) -> Value {
    json!({
        "name": v.name,
        "value": v.value,
        "recommended_values": v.recommended_values,
        "errors": v.errors,
        "visible": v.visible,
    })
}

/// `ConfigInfos` as JSON.
pub fn config_infos(infos: &ConfigInfos) -> Value {
    let configs: Vec<Value> = infos
        .configs
        .iter()
        .map(|c| {
            json!({
                "definition": c.definition.as_ref().map(key_info),
                "value": c.value.as_ref().map(value_info),
            })
        })
        .collect();
    json!({
        "name": infos.name,
        "error_count": infos.error_count,
        "groups": infos.groups,
        "configs": configs,
    })
}

/// `GET /connector-plugins?connectorsOnly=…` (true unless `false`).
pub async fn list(
    State(h): State<Shared>,
    Query(query): Query<Vec<(String, String)>>,
) -> Json<Value> {
    let connectors_only = !query
        .iter()
        .rev()
        .find(|(k, _)| k == "connectorsOnly")
        .is_some_and(|(_, v)| v.eq_ignore_ascii_case("false"));
    let list: Vec<Value> = h
        .plugins()
        .descriptors(connectors_only)
        .into_iter()
        .map(|d| {
            let mut m = Map::new();
            m.insert("class".into(), json!(d.class));
            m.insert("type".into(), json!(d.kind));
            if let Some(v) = d.version {
                m.insert("version".into(), json!(v));
            }
            Value::Object(m)
        })
        .collect();
    Json(Value::Array(list))
}

/// `GET /connector-plugins/{plugin}/config`.
pub async fn config(State(h): State<Shared>, Path(plugin): Path<String>) -> Response {
    match connect_runtime::validation::plugin_config(h.plugins(), &plugin) {
        Ok(keys) => Json(Value::Array(keys.iter().map(key_info).collect())).into_response(),
        Err(e) => herder_error(e),
    }
}

/// A class name without a trailing `Connector` (Kafka's alias matching).
fn normalized(class: &str) -> &str {
    match class.strip_suffix("Connector") {
        Some(short) if !short.is_empty() => short,
        _ => class,
    }
}

/// `PUT /connector-plugins/{plugin}/config/validate`: 200 with the ConfigInfos even when
/// the config has errors; 400 when the body's `connector.class` is another plugin.
pub async fn validate(
    State(h): State<Shared>,
    Path(plugin): Path<String>,
    body: Bytes,
) -> Response {
    let config = match body::put_config(&body) {
        Ok(c) => c,
        Err(bad) => return bad.into_response(),
    };
    if let Some(included) = config.get("connector.class") {
        if !normalized(included).ends_with(normalized(&plugin)) {
            return body::error(
                StatusCode::BAD_REQUEST,
                format!("Included connector type {included} does not match request type {plugin}"),
            );
        }
    }
    match h.validate_connector_config(&config) {
        Ok(infos) => Json(config_infos(&infos)).into_response(),
        Err(e) => herder_error(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_match_as_in_kafka() {
        assert_eq!(normalized("FileStreamSourceConnector"), "FileStreamSource");
        assert_eq!(normalized("Connector"), "Connector");
        assert!(
            normalized("org.apache.kafka.connect.file.FileStreamSourceConnector")
                .ends_with(normalized("FileStreamSource"))
        );
    }
}
