//! [`ConfigKey`]: the definition of one config key, built with a builder.

use std::fmt;
use std::sync::Arc;

use crate::config::{ConfigType, Importance, ParsedValue, Recommender, Validator, Width};
use crate::error::ConfigIssue;

/// The default of a config key.
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigDefault {
    /// No default: the key is required (Java `ConfigDef.NO_DEFAULT_VALUE`).
    Required,
    /// The default is null: the key is optional and has no value unless set.
    Null,
    /// A default value, of the key's type once the key is defined in a
    /// [`crate::config::ConfigDef`].
    Value(ParsedValue),
}

/// The definition of one config key (Java `ConfigDef.ConfigKey`), built with a builder:
///
/// ```
/// use connect_api::config::{ConfigKey, ConfigType, Importance, Range, Width};
///
/// let key = ConfigKey::new("tasks.max", ConfigType::Int)
///     .default_value(1)
///     .validator(Range::at_least(1))
///     .importance(Importance::High)
///     .documentation("Maximum number of tasks to use for this connector.")
///     .group("Common")
///     .order_in_group(3)
///     .width(Width::Short)
///     .display_name("Tasks max");
/// assert!(!key.is_required());
/// ```
///
/// Unless set: no default (required), no validator, importance `MEDIUM`, no documentation, no
/// group, order in group `-1`, width `NONE`, display name = the key's name, no dependents, no
/// recommender, not internal.
#[derive(Clone)]
pub struct ConfigKey {
    pub(crate) name: String,
    pub(crate) ty: ConfigType,
    pub(crate) default: ConfigDefault,
    /// Why the given default could not be used (set by `ConfigDef::define`).
    pub(crate) broken_default: Option<ConfigIssue>,
    pub(crate) validator: Option<Arc<dyn Validator>>,
    pub(crate) importance: Importance,
    pub(crate) documentation: Option<String>,
    pub(crate) group: Option<String>,
    pub(crate) order_in_group: i32,
    pub(crate) width: Width,
    pub(crate) display_name: Option<String>,
    pub(crate) dependents: Vec<String>,
    pub(crate) recommender: Option<Arc<dyn Recommender>>,
    pub(crate) internal: bool,
}

impl ConfigKey {
    /// A required key of type `ty`, with the defaults listed on [`ConfigKey`].
    pub fn new(name: impl Into<String>, ty: ConfigType) -> Self {
        ConfigKey {
            name: name.into(),
            ty,
            default: ConfigDefault::Required,
            broken_default: None,
            validator: None,
            importance: Importance::Medium,
            documentation: None,
            group: None,
            order_in_group: -1,
            width: Width::None,
            display_name: None,
            dependents: Vec::new(),
            recommender: None,
            internal: false,
        }
    }

    /// Sets the default value, which makes the key optional. A string default is parsed
    /// according to the key's type when the key is defined (`"1000"` for an `INT`, `"a,b"` for
    /// a `LIST`), as Java does; a typed default must fit the type (an `i32` literal is
    /// accepted for `SHORT`, `LONG` and `DOUBLE` keys when it fits). A default that does not
    /// fit is reported by [`crate::config::ConfigDef::definition_errors`].
    pub fn default_value(mut self, value: impl Into<ParsedValue>) -> Self {
        let value = match (self.ty, value.into()) {
            // hide a secret default at once, not only once the key is defined
            (ConfigType::Password, ParsedValue::String(s)) => {
                ParsedValue::Password(crate::config::Password::new(crate::config::java_trim(&s)))
            }
            (_, v) => v,
        };
        self.default = ConfigDefault::Value(value);
        self
    }

    /// Makes null the default: the key is optional and has no value unless set.
    pub fn default_null(mut self) -> Self {
        self.default = ConfigDefault::Null;
        self
    }

    /// Removes the default: the key is required (the initial state).
    pub fn required(mut self) -> Self {
        self.default = ConfigDefault::Required;
        self
    }

    /// Sets the validator, run on the parsed value (or the default).
    pub fn validator(self, validator: impl Validator + 'static) -> Self {
        self.shared_validator(Arc::new(validator))
    }

    /// Sets a validator shared with other keys.
    pub fn shared_validator(mut self, validator: Arc<dyn Validator>) -> Self {
        self.validator = Some(validator);
        self
    }

    /// Sets the importance.
    pub fn importance(mut self, importance: Importance) -> Self {
        self.importance = importance;
        self
    }

    /// Sets the documentation.
    pub fn documentation(mut self, documentation: impl Into<String>) -> Self {
        self.documentation = Some(documentation.into());
        self
    }

    /// Sets the group the key belongs to (groups are listed in order of first appearance).
    pub fn group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// Sets the position of the key within its group.
    pub fn order_in_group(mut self, order: i32) -> Self {
        self.order_in_group = order;
        self
    }

    /// Sets the UI width.
    pub fn width(mut self, width: Width) -> Self {
        self.width = width;
        self
    }

    /// Sets the name shown in a UI.
    pub fn display_name(mut self, display_name: impl Into<String>) -> Self {
        self.display_name = Some(display_name.into());
        self
    }

    /// Sets the keys whose valid values or visibility depend on this one.
    pub fn dependents<S: Into<String>>(mut self, dependents: impl IntoIterator<Item = S>) -> Self {
        self.dependents = dependents.into_iter().map(Into::into).collect();
        self
    }

    /// Sets the recommender.
    pub fn recommender(self, recommender: impl Recommender + 'static) -> Self {
        self.shared_recommender(Arc::new(recommender))
    }

    /// Sets a recommender shared with other keys.
    pub fn shared_recommender(mut self, recommender: Arc<dyn Recommender>) -> Self {
        self.recommender = Some(recommender);
        self
    }

    /// Marks the key internal (Java `defineInternal`): not meant for users, left out of
    /// generated docs and of [`crate::config::ConfigDef::suggest`].
    pub fn internal(mut self, internal: bool) -> Self {
        self.internal = internal;
        self
    }

    /// The key's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The key's type.
    pub fn config_type(&self) -> ConfigType {
        self.ty
    }

    /// The key's default.
    pub fn config_default(&self) -> &ConfigDefault {
        &self.default
    }

    /// Whether the key has a default (possibly null), i.e. is optional.
    pub fn has_default(&self) -> bool {
        !self.is_required()
    }

    /// Whether the key has no default and must be set.
    pub fn is_required(&self) -> bool {
        self.default == ConfigDefault::Required
    }

    /// The validator, if any.
    pub fn get_validator(&self) -> Option<&dyn Validator> {
        self.validator.as_deref()
    }

    /// The recommender, if any.
    pub fn get_recommender(&self) -> Option<&dyn Recommender> {
        self.recommender.as_deref()
    }

    /// The importance.
    pub fn get_importance(&self) -> Importance {
        self.importance
    }

    /// The documentation, if any.
    pub fn get_documentation(&self) -> Option<&str> {
        self.documentation.as_deref()
    }

    /// The group, if any.
    pub fn get_group(&self) -> Option<&str> {
        self.group.as_deref()
    }

    /// The position within the group (`-1` if unset).
    pub fn get_order_in_group(&self) -> i32 {
        self.order_in_group
    }

    /// The UI width.
    pub fn get_width(&self) -> Width {
        self.width
    }

    /// The display name (the key's name unless set).
    pub fn get_display_name(&self) -> &str {
        self.display_name.as_deref().unwrap_or(&self.name)
    }

    /// The dependent keys.
    pub fn get_dependents(&self) -> &[String] {
        &self.dependents
    }

    /// Whether the key is internal.
    pub fn is_internal(&self) -> bool {
        self.internal
    }
}

impl fmt::Debug for ConfigKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigKey")
            .field("name", &self.name)
            .field("type", &self.ty)
            .field("default", &self.default)
            .field("validator", &self.validator)
            .field("importance", &self.importance)
            .field("group", &self.group)
            .field("order_in_group", &self.order_in_group)
            .field("width", &self.width)
            .field("display_name", &self.get_display_name())
            .field("dependents", &self.dependents)
            .field("recommender", &self.recommender.is_some())
            .field("internal", &self.internal)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Password, Range};

    #[test]
    fn builder_defaults_are_javas() {
        let key = ConfigKey::new("a", ConfigType::String);
        assert_eq!(key.name(), "a");
        assert_eq!(key.config_type(), ConfigType::String);
        assert!(key.is_required());
        assert!(!key.has_default());
        assert!(key.get_validator().is_none());
        assert!(key.get_recommender().is_none());
        assert_eq!(key.get_importance(), Importance::Medium);
        assert_eq!(key.get_documentation(), None);
        assert_eq!(key.get_group(), None);
        assert_eq!(key.get_order_in_group(), -1);
        assert_eq!(key.get_width(), Width::None);
        assert_eq!(key.get_display_name(), "a");
        assert!(key.get_dependents().is_empty());
        assert!(!key.is_internal());
    }

    #[test]
    fn builder_sets_everything() {
        let key = ConfigKey::new("tasks.max", ConfigType::Int)
            .default_value(1)
            .validator(Range::at_least(1))
            .importance(Importance::High)
            .documentation("doc")
            .group("Common")
            .order_in_group(3)
            .width(Width::Short)
            .display_name("Tasks max")
            .dependents(["b", "c"])
            .internal(true);
        assert_eq!(
            key.config_default(),
            &ConfigDefault::Value(ParsedValue::Int(1))
        );
        assert!(key.has_default());
        assert_eq!(
            key.get_validator().map(|v| v.describe()),
            Some("[1,...]".to_string())
        );
        assert_eq!(key.get_importance(), Importance::High);
        assert_eq!(key.get_documentation(), Some("doc"));
        assert_eq!(key.get_group(), Some("Common"));
        assert_eq!(key.get_order_in_group(), 3);
        assert_eq!(key.get_width(), Width::Short);
        assert_eq!(key.get_display_name(), "Tasks max");
        assert_eq!(key.get_dependents(), ["b".to_string(), "c".to_string()]);
        assert!(key.is_internal());
        assert!(key.clone().required().is_required());
        let null = key.default_null();
        assert_eq!(null.config_default(), &ConfigDefault::Null);
        assert!(null.has_default());
    }

    #[test]
    fn debug_hides_password_defaults() {
        let key = ConfigKey::new("p", ConfigType::Password).default_value(Password::new("s3cret"));
        let debug = format!("{key:?}");
        assert!(debug.contains("[hidden]"), "{debug}");
        assert!(!debug.contains("s3cret"), "{debug}");
        let key = ConfigKey::new("p", ConfigType::Password).default_value("s3cret");
        assert!(!format!("{key:?}").contains("s3cret"));
    }
}
