//! Tests of `def.rs`: defining, parsing (all errors at once), validating, embedding.

use std::collections::BTreeMap;

use super::*;
use crate::config::{
    ConfigKey, ConfigType, Importance, NonEmptyString, Password, Range, ValidList, ValidString,
    Width,
};

fn raw(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn parse_err(def: &ConfigDef, pairs: &[(&str, &str)]) -> ConfigError {
    match def.parse(&raw(pairs)) {
        Err(ConnectError::Config(e)) => e,
        other => panic!("expected a config error, got {other:?}"),
    }
}

fn connector_def() -> ConfigDef {
    ConfigDef::new()
        .define(
            ConfigKey::new("name", ConfigType::String)
                .validator(NonEmptyString)
                .importance(Importance::High)
                .group("Common")
                .order_in_group(1),
        )
        .define(
            ConfigKey::new("tasks.max", ConfigType::Int)
                .default_value(1)
                .validator(Range::at_least(1))
                .importance(Importance::High)
                .group("Common")
                .order_in_group(3)
                .width(Width::Short)
                .display_name("Tasks max"),
        )
        .define(ConfigKey::new("batch.size", ConfigType::Long).default_value("2000"))
        .define(
            ConfigKey::new("mode", ConfigType::String)
                .default_value("bulk")
                .validator(ValidString::one_of(["bulk", "incrementing"]))
                .group("Mode"),
        )
        .define(ConfigKey::new("topics", ConfigType::List).default_value(""))
        .define(ConfigKey::new("key.converter", ConfigType::Class).default_null())
        .define(ConfigKey::new("ratio", ConfigType::Double).default_value(0.5))
        .define(ConfigKey::new("enabled", ConfigType::Boolean).default_value(true))
        .define(ConfigKey::new("port", ConfigType::Short).default_value(8083))
        .define(ConfigKey::new("connection.password", ConfigType::Password).default_null())
}

#[test]
fn define_keeps_declaration_order_and_groups() {
    let def = connector_def();
    assert!(
        def.definition_errors().is_empty(),
        "{:?}",
        def.definition_errors()
    );
    assert_eq!(
        def.names().collect::<Vec<_>>(),
        [
            "name",
            "tasks.max",
            "batch.size",
            "mode",
            "topics",
            "key.converter",
            "ratio",
            "enabled",
            "port",
            "connection.password"
        ]
    );
    assert_eq!(def.len(), 10);
    assert!(!def.is_empty());
    assert!(ConfigDef::new().is_empty());
    assert_eq!(def.groups(), ["Common", "Mode"]);
    assert!(def.contains("mode"));
    assert!(!def.contains("nope"));
    assert_eq!(
        def.key("tasks.max").map(|k| k.get_display_name()),
        Some("Tasks max")
    );
    assert_eq!(
        def.keys()[2].config_default(),
        &ConfigDefault::Value(ParsedValue::Long(2000))
    );
    assert_eq!(
        def.keys()[8].config_default(),
        &ConfigDefault::Value(ParsedValue::Short(8083))
    );
}

#[test]
fn parse_applies_values_and_defaults() {
    let def = connector_def();
    let config = def
        .parse(&raw(&[
            ("name", " my-conn "),
            ("tasks.max", " 4 "),
            ("topics", "a, b"),
            ("connection.password", "s3cret"),
            ("not.defined", "kept"),
        ]))
        .unwrap();
    assert_eq!(config.get_string("name").unwrap(), "my-conn");
    assert_eq!(config.get_int("tasks.max").unwrap(), 4);
    assert_eq!(config.get_long("batch.size").unwrap(), 2000);
    assert_eq!(config.get_string("mode").unwrap(), "bulk");
    assert_eq!(
        config.get_list("topics").unwrap(),
        ["a".to_string(), "b".to_string()]
    );
    assert_eq!(config.get_raw("key.converter").unwrap(), None);
    assert_eq!(config.get_double("ratio").unwrap(), 0.5);
    assert!(config.get_bool("enabled").unwrap());
    assert_eq!(config.get_short("port").unwrap(), 8083);
    assert_eq!(
        config.get_password("connection.password").unwrap().value(),
        "s3cret"
    );
    assert!(!config.contains("not.defined"));
    assert_eq!(
        config.originals().get("not.defined").map(String::as_str),
        Some("kept")
    );
    assert!(!format!("{config:?}").contains("s3cret"));
}

#[test]
fn parse_reports_every_error_at_once() {
    let def = connector_def();
    let err = parse_err(
        &def,
        &[
            ("tasks.max", "0"),
            ("batch.size", "abc"),
            ("mode", "MOVE"),
            ("ratio", "1,5"),
            ("enabled", "yes"),
            ("port", "70000"),
            ("key.converter", " "),
        ],
    );
    let lines: Vec<String> = err.issues().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "Missing required configuration \"name\" which has no default value.",
            "Invalid value 0 for configuration tasks.max: Value must be at least 1",
            "Invalid value abc for configuration batch.size: Not a number of type LONG",
            "Invalid value MOVE for configuration mode: String must be one of: bulk, incrementing",
            "Invalid value   for configuration key.converter: Class   could not be found.",
            "Invalid value 1,5 for configuration ratio: Not a number of type DOUBLE",
            "Invalid value yes for configuration enabled: Expected value to be either true or false",
            "Invalid value 70000 for configuration port: Not a number of type SHORT",
        ]
    );
    assert_eq!(err.issue_count(), 8);
    assert_eq!(err.to_string(), lines.join("\n"));
    let names: Vec<Option<&str>> = err.issues().map(|i| i.name()).collect();
    assert_eq!(
        names,
        [
            Some("name"),
            Some("tasks.max"),
            Some("batch.size"),
            Some("mode"),
            Some("key.converter"),
            Some("ratio"),
            Some("enabled"),
            Some("port")
        ]
    );
    let values: Vec<Option<&str>> = err.issues().map(|i| i.value()).collect();
    assert_eq!(values[0], None);
    assert_eq!(values[2], Some("abc"));
    assert_eq!(err.first().reason(), err.message());
    assert!(def
        .parse(&raw(&[("name", "x"), ("tasks.max", "0")]))
        .unwrap_err()
        .is_config());
}

#[test]
fn parse_error_with_one_issue_prints_like_java() {
    let def = connector_def();
    let err = def
        .parse(&raw(&[("name", "n"), ("tasks.max", "abc")]))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Invalid value abc for configuration tasks.max: Not a number of type INT"
    );
    let err = def.parse(&raw(&[])).unwrap_err();
    assert_eq!(
        err.to_string(),
        "Missing required configuration \"name\" which has no default value."
    );
}

#[test]
fn passwords_never_appear_in_errors() {
    let def = ConfigDef::new()
        .define(ConfigKey::new("pw", ConfigType::Password).validator(NonEmptyString))
        .define(
            ConfigKey::new("pw2", ConfigType::Password).validator(ValidString::one_of(["never"])),
        );
    let err = parse_err(&def, &[("pw", "   "), ("pw2", "s3cret")]);
    assert_eq!(
        err.to_string(),
        "Invalid value [hidden] for configuration pw: String must be non-empty\n\
         Invalid value [hidden] for configuration pw2: String must be one of: never"
    );
    assert!(!format!("{err:?}").contains("s3cret"));
    let values = def.validate(&raw(&[("pw", "   "), ("pw2", "s3cret")]));
    for v in &values {
        assert_eq!(v.value_string().as_deref(), Some("[hidden]"));
        assert!(v.error_messages.iter().all(|m| !m.contains("s3cret")));
        assert!(!format!("{v:?}").contains("s3cret"));
        assert_eq!(v.info().value.as_deref(), Some("[hidden]"));
    }
}

#[test]
fn validate_returns_one_value_per_key_with_all_errors() {
    let def = connector_def();
    let values = def.validate(&raw(&[
        ("tasks.max", "abc"),
        ("mode", "MOVE"),
        ("topics", "a,b"),
        ("unknown", "ignored"),
        ("connection.password", "s3cret"),
    ]));
    let names: Vec<&str> = values.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, def.names().collect::<Vec<_>>());
    assert_eq!(values[0].value, None);
    assert_eq!(
        values[0].error_messages,
        ["Missing required configuration \"name\" which has no default value."]
    );
    // like Kafka: the parse error, then the validator's verdict on the resulting null
    assert_eq!(
        values[1].error_messages,
        [
            "Invalid value abc for configuration tasks.max: Not a number of type INT",
            "Invalid value null for configuration tasks.max: Value must be non-null",
        ]
    );
    assert_eq!(values[1].value, None);
    assert_eq!(
        values[3].error_messages,
        ["Invalid value MOVE for configuration mode: String must be one of: bulk, incrementing"]
    );
    assert_eq!(values[3].value, Some(ParsedValue::from("MOVE")));
    assert_eq!(values[4].value_string().as_deref(), Some("a,b"));
    assert_eq!(values[2].value_string().as_deref(), Some("2000"));
    assert_eq!(values[5].value, None);
    assert!(values[5].error_messages.is_empty());
    assert_eq!(values[9].value_string().as_deref(), Some("[hidden]"));
    assert!(values
        .iter()
        .all(|v| v.visible && v.recommended_values.is_empty()));
    let errors: usize = values.iter().map(|v| v.error_messages.len()).sum();
    assert_eq!(errors, 4);
}

#[test]
fn validate_runs_the_validator_on_missing_required_keys() {
    let def = ConfigDef::new()
        .define(ConfigKey::new("m", ConfigType::String).validator(ValidString::one_of(["a", "b"])));
    let values = def.validate(&raw(&[]));
    assert_eq!(
        values[0].error_messages,
        [
            "Missing required configuration \"m\" which has no default value.",
            "Invalid value null for configuration m: String must be one of: a, b",
        ]
    );
}

struct ModeRecommender;

impl Recommender for ModeRecommender {
    fn valid_values(
        &self,
        _name: &str,
        parsed: &ParsedConfig,
    ) -> Result<Vec<ParsedValue>, ConfigIssue> {
        match parsed.get_string("mode") {
            Ok("incrementing") => Ok(vec![ParsedValue::from("id"), ParsedValue::from("seq")]),
            Ok("broken") => Err(ConfigIssue::invalid_key("column", "cannot list columns")),
            _ => Ok(vec![]),
        }
    }

    fn visible(&self, _name: &str, parsed: &ParsedConfig) -> Result<bool, ConfigIssue> {
        Ok(parsed.get_string("mode").ok() == Some("incrementing"))
    }
}

fn recommended_def() -> ConfigDef {
    ConfigDef::new()
        .define(
            ConfigKey::new("mode", ConfigType::String)
                .default_value("bulk")
                .dependents(["column"]),
        )
        .define(
            ConfigKey::new("column", ConfigType::String)
                .default_value("")
                .recommender(ModeRecommender),
        )
}

#[test]
fn validate_asks_recommenders() {
    let def = recommended_def();
    let values = def.validate(&raw(&[("mode", "incrementing")]));
    assert!(values[1].visible);
    assert_eq!(
        values[1].info().recommended_values,
        vec!["id".to_string(), "seq".to_string()]
    );
    let values = def.validate(&raw(&[]));
    assert!(!values[1].visible);
    assert!(values[1].recommended_values.is_empty());
    let values = def.validate(&raw(&[("mode", "broken")]));
    assert_eq!(
        values[1].error_messages,
        ["Invalid configuration column: cannot list columns"]
    );
    assert!(values[1].visible);
    // parsing never consults recommenders
    assert!(def.parse(&raw(&[("mode", "broken")])).is_ok());
}

#[test]
fn undefined_dependents_are_reported() {
    let def = ConfigDef::new()
        .define(
            ConfigKey::new("a", ConfigType::String)
                .default_value("")
                .dependents(["b", "c"]),
        )
        .define(
            ConfigKey::new("b", ConfigType::String)
                .default_value("")
                .dependents(["c", "d"]),
        );
    assert_eq!(def.undefined_dependents(), ["c", "d"]);
    let values = def.validate(&raw(&[]));
    assert_eq!(values.len(), 4);
    assert_eq!(values[2].name, "c");
    assert_eq!(
        values[2].error_messages,
        ["c is referred in the dependents, but not defined."]
    );
    assert!(!values[2].visible);
    assert_eq!(values[3].name, "d");
    assert_eq!(
        def.parse(&raw(&[])).unwrap_err().to_string(),
        "Some configurations in are referred in the dependents, but not defined: c,d"
    );
}

#[test]
fn definition_problems_are_recorded_not_panicked() {
    let def = ConfigDef::new()
        .define(ConfigKey::new("a", ConfigType::Int).default_value(1))
        .define(ConfigKey::new("a", ConfigType::String))
        .define(ConfigKey::new("b", ConfigType::Int).default_value("x"))
        .define(
            ConfigKey::new("c", ConfigType::Int)
                .default_value(0)
                .validator(Range::at_least(1)),
        )
        .define(ConfigKey::new("d", ConfigType::Boolean).default_value(1));
    let problems: Vec<String> = def
        .definition_errors()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        problems,
        [
            "Configuration a is defined twice.",
            "Invalid value x for configuration b: Not a number of type INT",
            "Invalid value 0 for configuration c: Value must be at least 1",
            "Invalid value 1 for configuration d: Expected value to be either true or false",
        ]
    );
    // the first definition of a key wins
    assert_eq!(def.key("a").map(|k| k.config_type()), Some(ConfigType::Int));
    assert_eq!(def.len(), 4);
    // broken defaults make the key required, with the definition problem as its error
    assert!(def.key("b").is_some_and(ConfigKey::is_required));
    let lines: Vec<String> = parse_err(&def, &[])
        .issues()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        lines,
        [
            "Configuration a is defined twice.",
            "Invalid value x for configuration b: Not a number of type INT",
            "Invalid value 0 for configuration c: Value must be at least 1",
            "Invalid value 1 for configuration d: Expected value to be either true or false",
        ]
    );
    // set values bypass a broken default
    let lines = parse_err(&def, &[("b", "2"), ("c", "2"), ("d", "true")]);
    assert_eq!(lines.issue_count(), 1);
    let values = def.validate(&raw(&[("b", "2")]));
    assert_eq!(
        values[0].error_messages,
        ["Configuration a is defined twice."]
    );
    assert!(values[1].error_messages.is_empty());
    assert_eq!(values[1].value, Some(ParsedValue::Int(2)));
}

#[test]
fn try_define_fails_at_once() {
    let ok = ConfigDef::new()
        .try_define(ConfigKey::new("a", ConfigType::Int).default_value(1))
        .and_then(|d| d.try_define(ConfigKey::new("b", ConfigType::Int)));
    assert!(ok.is_ok());
    let err = ConfigDef::new()
        .try_define(ConfigKey::new("a", ConfigType::Int).default_value(1))
        .and_then(|d| d.try_define(ConfigKey::new("a", ConfigType::Int)))
        .unwrap_err();
    assert!(err.is_config());
    assert_eq!(err.to_string(), "Configuration a is defined twice.");
    let err = ConfigDef::new()
        .try_define(ConfigKey::new("s", ConfigType::Short).default_value(1 << 20))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Invalid value 1048576 for configuration s: Not a number of type SHORT"
    );
}

#[test]
fn sorted_keys_follow_javas_documentation_order() {
    let def = ConfigDef::new()
        .define(
            ConfigKey::new("z", ConfigType::String)
                .group("G2")
                .order_in_group(1),
        )
        .define(
            ConfigKey::new("y", ConfigType::String)
                .group("G1")
                .order_in_group(2),
        )
        .define(
            ConfigKey::new("x", ConfigType::String)
                .group("G1")
                .order_in_group(1)
                .default_value(""),
        )
        .define(
            ConfigKey::new("w", ConfigType::String)
                .group("G1")
                .order_in_group(1),
        )
        .define(
            ConfigKey::new("v", ConfigType::String)
                .default_value("")
                .importance(Importance::Low),
        )
        .define(
            ConfigKey::new("u", ConfigType::String)
                .default_value("")
                .importance(Importance::High),
        )
        .define(
            ConfigKey::new("t", ConfigType::String)
                .default_value("")
                .importance(Importance::High),
        );
    let order: Vec<&str> = def.sorted_keys().iter().map(|k| k.name()).collect();
    assert_eq!(order, ["t", "u", "v", "z", "w", "x", "y"]);
}

#[test]
fn embed_prefixes_keys_like_java() {
    let child = ConfigDef::new()
        .define(
            ConfigKey::new("fields", ConfigType::List)
                .validator(ValidList::one_of(["a", "b"]))
                .group("Fields")
                .dependents(["column"]),
        )
        .define(
            ConfigKey::new("mode", ConfigType::String)
                .default_value("bulk")
                .order_in_group(1),
        )
        .define(
            ConfigKey::new("column", ConfigType::String)
                .default_value("")
                .order_in_group(2)
                .recommender(ModeRecommender),
        );
    let def = ConfigDef::new()
        .define(ConfigKey::new("name", ConfigType::String).group("Common"))
        .embed("transforms.t.", "Transforms: t", 5, &child);
    assert!(def.definition_errors().is_empty());
    let infos = def.key_infos();
    let names: Vec<&str> = infos.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "name",
            "transforms.t.mode",
            "transforms.t.column",
            "transforms.t.fields"
        ]
    );
    assert_eq!(infos[1].group.as_deref(), Some("Transforms: t"));
    assert_eq!(infos[1].order_in_group, 5);
    assert_eq!(infos[2].order_in_group, 6);
    assert_eq!(infos[3].group.as_deref(), Some("Transforms: t: Fields"));
    assert_eq!(infos[3].order_in_group, 7);
    assert_eq!(infos[3].dependents, ["transforms.t.column".to_string()]);
    assert_eq!(
        def.groups(),
        ["Common", "Transforms: t", "Transforms: t: Fields"]
    );
    // validators see the child's own key name, as in Java
    let err = parse_err(&def, &[("name", "n"), ("transforms.t.fields", "a,c")]);
    assert_eq!(
        err.to_string(),
        "Invalid value c for configuration fields: String must be one of: a, b"
    );
    // recommenders see the child's own names and values
    let values = def.validate(&raw(&[
        ("name", "n"),
        ("transforms.t.fields", "a"),
        ("transforms.t.mode", "incrementing"),
    ]));
    assert!(values[2].visible);
    assert_eq!(values[2].recommended_values.len(), 2);
}

#[test]
fn undefined_keys_lists_what_is_not_defined() {
    let def = connector_def();
    let config = raw(&[("name", "n"), ("tasks_max", "2"), ("topic", "t")]);
    assert_eq!(def.undefined_keys(&config), ["tasks_max", "topic"]);
    let hints: Vec<Option<&str>> = def
        .undefined_keys(&config)
        .into_iter()
        .map(|k| def.suggest(k))
        .collect();
    assert_eq!(hints, [Some("tasks.max"), Some("topics")]);
}

#[test]
fn debug_of_a_definition_hides_password_defaults() {
    let def = ConfigDef::new()
        .define(ConfigKey::new("p", ConfigType::Password).default_value(Password::new("pw1")));
    let debug = format!("{def:?}");
    assert!(debug.contains("[hidden]"));
    assert!(!debug.contains("pw1"));
}

#[test]
fn definitions_and_results_are_thread_safe() {
    fn assert_send_sync<T: Send + Sync + Clone>() {}
    assert_send_sync::<ConfigDef>();
    assert_send_sync::<ConfigKey>();
    assert_send_sync::<ParsedConfig>();
    assert_send_sync::<ConfigValue>();
    assert_send_sync::<ConfigError>();
}
