//! What the REST API renders about a config: [`ConfigValue`] (a validation result),
//! [`ConfigKeyInfo`] and [`ConfigValueInfo`] (Kafka's REST entities, as plain structs).

use crate::config::{ConfigDef, ConfigDefault, ConfigKey, ParsedValue};

/// The validation result of one key (Java `org.apache.kafka.common.config.ConfigValue`), as
/// returned by [`ConfigDef::validate`].
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigValue {
    /// The key.
    pub name: String,
    /// The parsed value or the default; `None` when null, missing or not parsable.
    pub value: Option<ParsedValue>,
    /// Values the key's recommender suggests (empty without a recommender).
    pub recommended_values: Vec<ParsedValue>,
    /// Every error of this key, as full messages; passwords appear as `[hidden]`.
    pub error_messages: Vec<String>,
    /// Whether the key is relevant given the other values (its recommender decides).
    pub visible: bool,
}

impl ConfigValue {
    /// A visible value with no value, recommendation or error yet.
    pub fn new(name: impl Into<String>) -> Self {
        ConfigValue {
            name: name.into(),
            value: None,
            recommended_values: Vec::new(),
            error_messages: Vec::new(),
            visible: true,
        }
    }

    /// The value as the REST API shows it (Java `ConfigDef.convertToString`: lists joined with
    /// `,`, passwords `[hidden]`), `None` for null.
    pub fn value_string(&self) -> Option<String> {
        self.value.as_ref().map(ParsedValue::to_config_string)
    }

    /// The REST entity for this value (Java `ConfigValueInfo`).
    pub fn info(&self) -> ConfigValueInfo {
        ConfigValueInfo {
            name: self.name.clone(),
            value: self.value_string(),
            recommended_values: self
                .recommended_values
                .iter()
                .map(ParsedValue::to_config_string)
                .collect(),
            errors: self.error_messages.clone(),
            visible: self.visible,
        }
    }
}

/// Java's REST entity `ConfigValueInfo`: the `value` part of a ConfigInfos entry of
/// `PUT /connector-plugins/{plugin}/config/validate`. JSON field names are the field names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigValueInfo {
    /// `name`.
    pub name: String,
    /// `value`: the value as a string, or null.
    pub value: Option<String>,
    /// `recommended_values`.
    pub recommended_values: Vec<String>,
    /// `errors`.
    pub errors: Vec<String>,
    /// `visible`.
    pub visible: bool,
}

/// Java's REST entity `ConfigKeyInfo`: a key's metadata, as listed by
/// `GET /connector-plugins/{plugin}/config` and in the `definition` part of a ConfigInfos
/// entry. JSON field names are the field names, except that `type_name` is `type` and
/// `order_in_group` is serialised as `order` by Kafka.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigKeyInfo {
    /// `name` (with the prefix, if rendered with one).
    pub name: String,
    /// `type`, as Java prints it: `STRING`, `INT`, …
    pub type_name: String,
    /// `required`: whether the key has no default.
    pub required: bool,
    /// `default_value`: the default as a string (`ConfigDef.convertToString`), or null when
    /// the key is required or its default is null. Password defaults are `[hidden]`.
    pub default_value: Option<String>,
    /// `importance`: `HIGH`, `MEDIUM` or `LOW`.
    pub importance: String,
    /// `documentation`, or null.
    pub documentation: Option<String>,
    /// `group`, or null.
    pub group: Option<String>,
    /// `order_in_group` (`order` in JSON); `-1` if unset.
    pub order_in_group: i32,
    /// `width`: `NONE`, `SHORT`, `MEDIUM` or `LONG`.
    pub width: String,
    /// `display_name`.
    pub display_name: String,
    /// `dependents` (with the prefix, if rendered with one).
    pub dependents: Vec<String>,
}

impl ConfigKey {
    /// This key's REST entity (Java `AbstractHerder.convertConfigKey(key)`).
    pub fn info(&self) -> ConfigKeyInfo {
        self.info_with_prefix("")
    }

    /// This key's REST entity with `prefix` before its name (Java
    /// `AbstractHerder.convertConfigKey(key, prefix)`; dependents stay as defined).
    pub fn info_with_prefix(&self, prefix: &str) -> ConfigKeyInfo {
        let default_value = match &self.default {
            ConfigDefault::Value(v) => Some(v.to_config_string()),
            ConfigDefault::Required | ConfigDefault::Null => None,
        };
        ConfigKeyInfo {
            name: format!("{prefix}{}", self.name),
            type_name: self.ty.java_name().to_string(),
            required: self.is_required(),
            default_value,
            importance: self.importance.java_name().to_string(),
            documentation: self.documentation.clone(),
            group: self.group.clone(),
            order_in_group: self.order_in_group,
            width: self.width.java_name().to_string(),
            display_name: self.get_display_name().to_string(),
            dependents: self.dependents.clone(),
        }
    }
}

impl ConfigDef {
    /// Every key's REST entity, in declaration order (internal keys included; filter on
    /// [`ConfigKey::is_internal`] if needed).
    pub fn key_infos(&self) -> Vec<ConfigKeyInfo> {
        self.keys().iter().map(ConfigKey::info).collect()
    }

    /// Every key's REST entity with `prefix` before its name (how Kafka lists a converter's
    /// or a transform's keys inside a connector's validation).
    pub fn key_infos_with_prefix(&self, prefix: &str) -> Vec<ConfigKeyInfo> {
        self.keys()
            .iter()
            .map(|k| k.info_with_prefix(prefix))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigType, Importance, Password, Range, Width};

    #[test]
    fn key_info_has_kafkas_shape() {
        let def = ConfigDef::new()
            .define(
                ConfigKey::new("tasks.max", ConfigType::Int)
                    .default_value(1)
                    .validator(Range::at_least(1))
                    .importance(Importance::High)
                    .documentation("Maximum number of tasks to use for this connector.")
                    .group("Common")
                    .order_in_group(3)
                    .width(Width::Short)
                    .display_name("Tasks max"),
            )
            .define(ConfigKey::new("name", ConfigType::String))
            .define(ConfigKey::new("n", ConfigType::Class).default_null())
            .define(
                ConfigKey::new("l", ConfigType::List)
                    .default_value(vec!["a", "b"])
                    .dependents(["name"]),
            )
            .define(ConfigKey::new("p", ConfigType::Password).default_value("secret"))
            .define(ConfigKey::new("d", ConfigType::Double).default_value(1e7));
        let infos = def.key_infos();
        assert_eq!(
            infos[0],
            ConfigKeyInfo {
                name: "tasks.max".into(),
                type_name: "INT".into(),
                required: false,
                default_value: Some("1".into()),
                importance: "HIGH".into(),
                documentation: Some("Maximum number of tasks to use for this connector.".into()),
                group: Some("Common".into()),
                order_in_group: 3,
                width: "SHORT".into(),
                display_name: "Tasks max".into(),
                dependents: vec![],
            }
        );
        assert_eq!(
            infos[1],
            ConfigKeyInfo {
                name: "name".into(),
                type_name: "STRING".into(),
                required: true,
                default_value: None,
                importance: "MEDIUM".into(),
                documentation: None,
                group: None,
                order_in_group: -1,
                width: "NONE".into(),
                display_name: "name".into(),
                dependents: vec![],
            }
        );
        assert!(!infos[2].required);
        assert_eq!(infos[2].default_value, None);
        assert_eq!(infos[2].type_name, "CLASS");
        assert_eq!(infos[3].default_value.as_deref(), Some("a,b"));
        assert_eq!(infos[3].dependents, vec!["name".to_string()]);
        assert_eq!(infos[4].default_value.as_deref(), Some("[hidden]"));
        assert_eq!(infos[5].default_value.as_deref(), Some("1.0E7"));
        let prefixed = def.key_infos_with_prefix("transforms.x.");
        assert_eq!(prefixed[0].name, "transforms.x.tasks.max");
        assert_eq!(prefixed[3].dependents, vec!["name".to_string()]);
    }

    #[test]
    fn value_info_renders_strings() {
        let mut v = ConfigValue::new("l");
        assert!(v.visible);
        v.value = Some(ParsedValue::from(vec!["a", "b"]));
        v.recommended_values = vec![ParsedValue::Int(1), ParsedValue::Double(2.0)];
        v.error_messages.push("bad".into());
        assert_eq!(
            v.info(),
            ConfigValueInfo {
                name: "l".into(),
                value: Some("a,b".into()),
                recommended_values: vec!["1".into(), "2.0".into()],
                errors: vec!["bad".into()],
                visible: true,
            }
        );
        let mut p = ConfigValue::new("p");
        p.value = Some(ParsedValue::Password(Password::new("pw")));
        assert_eq!(p.value_string().as_deref(), Some("[hidden]"));
        assert_eq!(p.info().value.as_deref(), Some("[hidden]"));
        assert_eq!(ConfigValue::new("x").info().value, None);
    }
}
