//! Connector config validation as the REST API reports it (Kafka's
//! `AbstractHerder.validateConnectorConfig`): every problem of a config at once, and the
//! `ConfigInfos` of `PUT /connector-plugins/{plugin}/config/validate`; and the key list of
//! `GET /connector-plugins/{plugin}/config`.

use std::collections::BTreeMap;

use connect_api::config::{
    ConfigDef, ConfigKey, ConfigKeyInfo, ConfigType, ConfigValue, ConfigValueInfo,
};
use connect_api::error::ConfigIssue;
use connect_api::plugin::{ConfigMap, ConnectorKind};
use connect_api::{ConnectError, Result};
use connect_transforms::chain::TransformationChain;

use crate::config::connector::keys::CONNECTOR_CLASS;
use crate::config::{sink_def, ConnectorConfig, SinkConfig, SourceConfig, WorkerConfig};
use crate::config_providers::ConfigTransformer;
use crate::convert::RecordConverters;
use crate::herder_error::HerderError;
use crate::plugins::{ConnectorPlugin, Plugins};

/// One entry of a [`ConfigInfos`]: a key's definition (none for a key no definition has)
/// and its validated value (none for a defined key that was not validated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigInfo {
    /// `definition`.
    pub definition: Option<ConfigKeyInfo>,
    /// `value`.
    pub value: Option<ConfigValueInfo>,
}

/// Kafka's `ConfigInfos`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigInfos {
    /// `name`: `connector.class` as given.
    pub name: String,
    /// `error_count`: every error message of every value.
    pub error_count: usize,
    /// `groups`, in definition order.
    pub groups: Vec<String>,
    /// `configs`.
    pub configs: Vec<ConfigInfo>,
}

fn collect(result: Result<()>, issues: &mut Vec<ConfigIssue>) -> Result<()> {
    match result {
        Ok(()) => Ok(()),
        Err(ConnectError::Config(e)) => {
            issues.extend(e.into_issues());
            Ok(())
        }
        Err(other) => Err(other),
    }
}

/// Every problem of a connector config: the common keys, the sink or source keys, the
/// connector's own keys, the converters and the transformation chain (each message once).
pub fn config_issues(
    plugins: &Plugins,
    worker: &WorkerConfig,
    config: &ConfigMap,
) -> Result<Vec<ConfigIssue>> {
    let mut issues = Vec::new();
    collect(ConnectorConfig::parse(config).map(|_| ()), &mut issues)?;
    if let Some(class) = config.get(CONNECTOR_CLASS) {
        match plugins.resolve(class) {
            Err(ConnectError::Config(e)) => issues.extend(e.into_issues()),
            Err(e) => return Err(e),
            Ok(plugin) => {
                let connector = (plugin.factory)();
                let kind = match &connector {
                    ConnectorKind::Source(_) => {
                        SourceConfig::parse(config, worker.topic_creation_enable).map(|_| ())
                    }
                    ConnectorKind::Sink(_) => SinkConfig::parse(config).map(|_| ()),
                };
                collect(kind, &mut issues)?;
                let own = connector.connector().config_def();
                collect(own.parse(config).map(|_| ()), &mut issues)?;
                issues.extend(misspelt_keys(config, &enriched_def(plugin, config), &own));
            }
        }
    }
    collect(
        RecordConverters::from_configs(&worker.originals, config).map(|_| ()),
        &mut issues,
    )?;
    collect(
        TransformationChain::<connect_api::SinkMeta>::from_config(config).map(|_| ()),
        &mut issues,
    )?;
    // the common keys are parsed twice (common and typed): keep each message once
    let mut seen = std::collections::HashSet::new();
    issues.retain(|i| seen.insert(i.to_string()));
    Ok(issues)
}

/// Key namespaces whose keys are not all defined up front (client overrides, converter,
/// transformation and topic creation settings): never reported as misspelt.
const OPEN_PREFIXES: &[&str] = &[
    "producer.override.",
    "consumer.override.",
    "admin.override.",
    "key.converter.",
    "value.converter.",
    "header.converter.",
    "transforms.",
    "predicates.",
    "topic.creation.",
    "errors.deadletterqueue.",
];

/// Keys no definition has but that are a typo away from one that does (`tasks.maxx`,
/// `topics.regx`): Kafka would ignore them silently; Ferry names the key probably meant.
/// Other unknown keys are accepted, as in Kafka (connectors may read keys they do not
/// declare).
fn misspelt_keys(config: &ConfigMap, base: &ConfigDef, own: &ConfigDef) -> Vec<ConfigIssue> {
    let known: Vec<&str> = base
        .keys()
        .iter()
        .chain(own.keys())
        .filter(|k| !k.is_internal())
        .map(ConfigKey::name)
        .collect();
    config
        .keys()
        .filter(|k| !known.contains(&k.as_str()))
        .filter(|k| !OPEN_PREFIXES.iter().any(|p| k.starts_with(p)))
        .filter_map(|k| {
            connect_api::config::suggest_key(k, known.iter().copied()).map(|meant| {
                ConfigIssue::invalid_key(k.clone(), format!("no such key; did you mean {meant}?"))
            })
        })
        .collect()
}

fn aliases(config: &ConfigMap, key: &str) -> Vec<String> {
    config
        .get(key)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

/// The base keys of a connector of `plugin`'s kind with the per-alias keys of its
/// transformations and predicates (Kafka's `ConnectorConfig.enrich`).
fn enriched_def(plugin: &ConnectorPlugin, config: &ConfigMap) -> ConfigDef {
    let mut def = if plugin.kind == "sink" {
        sink_def()
    } else {
        crate::config::source_def()
    };
    for alias in aliases(config, "transforms") {
        let group = format!("Transforms: {alias}");
        let prefix = format!("transforms.{alias}.");
        def = def
            .define(
                ConfigKey::new(format!("{prefix}type"), ConfigType::Class)
                    .group(group.clone())
                    .order_in_group(0)
                    .display_name(format!("Transformation type for {alias}"))
                    .documentation("The class of this transformation."),
            )
            .define(
                ConfigKey::new(format!("{prefix}predicate"), ConfigType::String)
                    .default_null()
                    .group(group.clone())
                    .order_in_group(1)
                    .display_name(format!("Predicate for {alias}"))
                    .documentation("The alias of a predicate: the transformation applies only to records it matches."),
            )
            .define(
                ConfigKey::new(format!("{prefix}negate"), ConfigType::Boolean)
                    .default_value(false)
                    .group(group)
                    .order_in_group(2)
                    .display_name(format!("Negate predicate for {alias}"))
                    .documentation("Apply the transformation to the records the predicate does not match instead."),
            );
    }
    for alias in aliases(config, "predicates") {
        def = def.define(
            ConfigKey::new(format!("predicates.{alias}.type"), ConfigType::Class)
                .group(format!("Predicates: {alias}"))
                .order_in_group(0)
                .display_name(format!("Predicate type for {alias}"))
                .documentation("The class of this predicate."),
        );
    }
    def
}

/// `PUT /connector-plugins/{plugin}/config/validate`: the config (its config provider
/// references resolved) validated against the connector's keys and the base keys, with every
/// problem attached to its key; values from references are shown as the references. 400
/// when the config names no connector class or one Ferry does not have.
pub fn config_infos(
    plugins: &Plugins,
    worker: &WorkerConfig,
    transformer: &ConfigTransformer,
    raw: &ConfigMap,
) -> std::result::Result<ConfigInfos, HerderError> {
    let resolved = transformer.transform(raw).map_err(HerderError::from)?;
    let mut infos = resolved_infos(plugins, worker, &resolved)?;
    // what came from a reference is shown as the reference, in values and messages
    for info in &mut infos.configs {
        let Some(value) = info.value.as_mut() else {
            continue;
        };
        if let (Some(r), Some(res)) = (raw.get(&value.name), resolved.get(&value.name)) {
            if r != res && !res.is_empty() {
                if value.value.as_deref() == Some(res.as_str()) {
                    value.value = Some(r.clone());
                }
                for e in &mut value.errors {
                    *e = e.replace(res.as_str(), r);
                }
            }
        }
        // a password inside a URL is never shown, in the value or in a message
        if let Some(v) = value.value.as_mut() {
            *v = connect_api::config::mask_url_credentials(v).into_owned();
        }
        for e in &mut value.errors {
            *e = connect_api::config::mask_url_credentials(e).into_owned();
        }
    }
    Ok(infos)
}

fn resolved_infos(
    plugins: &Plugins,
    worker: &WorkerConfig,
    config: &ConfigMap,
) -> std::result::Result<ConfigInfos, HerderError> {
    let Some(class) = config.get(CONNECTOR_CLASS) else {
        let shown: Vec<String> = config.iter().map(|(k, v)| format!("{k}={v}")).collect();
        return Err(HerderError::BadRequest(format!(
            "Connector config {{{}}} contains no connector type",
            shown.join(", ")
        )));
    };
    let plugin = plugins.resolve(class).map_err(HerderError::from)?;
    let base = enriched_def(plugin, config);
    let own = (plugin.factory)().connector().config_def();
    let mut values: Vec<ConfigValue> = base.validate(config);
    values.extend(own.validate(config));
    // the last value of a name wins (the connector's own over the base one), as in Kafka
    let mut by_name: BTreeMap<String, ConfigValue> = BTreeMap::new();
    for v in values {
        by_name.insert(v.name.clone(), v);
    }
    // problems only the runtime sees (converters, transformations, topic rules…) go to
    // their key; those of keys no definition has are listed first, as Kafka lists them
    let mut undefined: Vec<ConfigValue> = Vec::new();
    for issue in config_issues(plugins, worker, config).map_err(HerderError::from)? {
        let message = issue.to_string();
        let name = issue.name().unwrap_or(CONNECTOR_CLASS).to_string();
        let target = match by_name.get_mut(&name) {
            Some(v) => v,
            None => match undefined.iter().position(|v| v.name == name) {
                Some(i) => &mut undefined[i],
                None => {
                    let mut v = ConfigValue::new(name.clone());
                    v.value = config.get(&name).map(|s| {
                        let shown = if crate::redact::is_secret_key(&name) {
                            crate::redact::HIDDEN.to_string()
                        } else {
                            s.clone()
                        };
                        connect_api::config::ParsedValue::String(shown)
                    });
                    undefined.push(v);
                    let last = undefined.len() - 1;
                    &mut undefined[last]
                }
            },
        };
        if !target.error_messages.contains(&message) {
            target.error_messages.push(message);
        }
    }
    let mut configs: Vec<ConfigInfo> = undefined
        .iter()
        .map(|v| ConfigInfo {
            definition: None,
            value: Some(v.info()),
        })
        .collect();
    let mut error_count: usize = undefined.iter().map(|v| v.error_messages.len()).sum();
    let mut listed: Vec<&ConfigKey> = Vec::new();
    for key in base.keys().iter().chain(own.keys()) {
        match listed.iter().position(|k| k.name() == key.name()) {
            Some(i) => listed[i] = key,
            None => listed.push(key),
        }
    }
    for key in listed {
        let value = by_name.get(key.name());
        error_count += value.map_or(0, |v| v.error_messages.len());
        configs.push(ConfigInfo {
            definition: Some(key.info()),
            value: value.map(ConfigValue::info),
        });
    }
    let mut groups: Vec<String> = Vec::new();
    for g in base.groups().into_iter().chain(own.groups()) {
        if !groups.iter().any(|x| x == g) {
            groups.push(g.to_string());
        }
    }
    Ok(ConfigInfos {
        name: class.clone(),
        error_count,
        groups,
        configs,
    })
}

/// `GET /connector-plugins/{plugin}/config`: a connector plugin's own keys, then the base
/// keys of its kind it does not define itself; a transformation's, predicate's or
/// converter's keys. 404 for a plugin Ferry does not have.
pub fn plugin_config(
    plugins: &Plugins,
    name: &str,
) -> std::result::Result<Vec<ConfigKeyInfo>, HerderError> {
    let Ok(plugin) = plugins.resolve(name) else {
        let other = connect_transforms::registry::config_def(name)
            .or_else(|| connect_converters::registry::config_def(name));
        return other
            .map(|def| def.key_infos())
            .ok_or_else(|| HerderError::NotFound(format!("Unknown plugin {name}.")));
    };
    let own = (plugin.factory)().connector().config_def();
    let base = if plugin.kind == "sink" {
        sink_def()
    } else {
        crate::config::source_def()
    };
    let mut out: Vec<ConfigKeyInfo> = own.key_infos();
    for key in base.keys() {
        if !out.iter().any(|k| k.name == key.name()) {
            out.push(key.info());
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_api::config::ConfigType;

    #[test]
    fn misspelt_keys_name_the_key_probably_meant() {
        let own = ConfigDef::new().define(ConfigKey::new("file", ConfigType::String));
        let config: ConfigMap = [
            ("tasks.maxx", "1"),
            ("topics.regx", "t.*"),
            ("fille", "/tmp/x"),
            ("producer.override.linger.msx", "5"),
            ("my.connector.setting", "x"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let issues: Vec<String> = misspelt_keys(&config, &crate::config::sink_def(), &own)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            issues,
            [
                "Invalid configuration fille: no such key; did you mean file?",
                "Invalid configuration tasks.maxx: no such key; did you mean tasks.max?",
                "Invalid configuration topics.regx: no such key; did you mean topics.regex?",
            ]
        );
    }
}
