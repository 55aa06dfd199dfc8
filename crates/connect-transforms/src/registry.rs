//! Transformations and predicates by class name: the fully qualified Java name, or its simple
//! name (`Cast$Value`, `TopicNameMatches`), as `transforms.<alias>.type=` and
//! `predicates.<alias>.type=` give them.

use std::collections::BTreeMap;

use connect_api::{ConnectError, Predicate, Result, Transformation};

use crate::{conversion, debezium, fields, predicates, routing};

/// Every transformation class Ferry provides, fully qualified.
pub fn transformation_classes() -> Vec<&'static str> {
    [
        conversion::CLASSES,
        fields::CLASSES,
        routing::CLASSES,
        debezium::CLASSES,
    ]
    .concat()
}

/// Every predicate class Ferry provides, fully qualified.
pub fn predicate_classes() -> Vec<&'static str> {
    predicates::CLASSES.to_vec()
}

fn simple_name(class: &str) -> &str {
    class.rsplit('.').next().unwrap_or(class)
}

/// The fully qualified class among `classes` that `name` stands for (exact, or the simple
/// name).
pub fn resolve<'a>(name: &str, classes: &[&'a str]) -> Option<&'a str> {
    let name = name.trim();
    classes
        .iter()
        .find(|c| **c == name || simple_name(c) == name)
        .copied()
}

/// Builds a configured transformation. Unknown classes and invalid configs are config errors
/// that name the class or key and value.
pub fn transformation<M: Send + Sync + 'static>(
    class: &str,
    config: &BTreeMap<String, String>,
) -> Result<Box<dyn Transformation<M>>> {
    let classes = transformation_classes();
    let resolved = resolve(class, &classes).ok_or_else(|| {
        ConnectError::config_message(format!(
            "Class {class} could not be found or is not a transformation"
        ))
    })?;
    conversion::create_transformation(resolved, config)
        .or_else(|| fields::create_transformation(resolved, config))
        .or_else(|| routing::create_transformation(resolved, config))
        .or_else(|| debezium::create_transformation(resolved, config))
        .unwrap_or_else(|| {
            Err(ConnectError::config_message(format!(
                "Class {resolved} is registered but has no constructor"
            )))
        })
}

/// Builds a configured predicate.
pub fn predicate<M: Send + Sync + 'static>(
    class: &str,
    config: &BTreeMap<String, String>,
) -> Result<Box<dyn Predicate<M>>> {
    let classes = predicate_classes();
    let resolved = resolve(class, &classes).ok_or_else(|| {
        ConnectError::config_message(format!(
            "Class {class} could not be found or is not a predicate"
        ))
    })?;
    predicates::create_predicate(resolved, config).unwrap_or_else(|| {
        Err(ConnectError::config_message(format!(
            "Class {resolved} is registered but has no constructor"
        )))
    })
}

/// The config keys of a transformation or predicate class (its Java `config()`), by fully
/// qualified or simple name; `None` for a class Ferry does not have.
pub fn config_def(class: &str) -> Option<connect_api::config::ConfigDef> {
    let transformations = transformation_classes();
    let predicates = predicate_classes();
    let resolved = resolve(class, &transformations).or_else(|| resolve(class, &predicates))?;
    let simple = simple_name(resolved);
    let base = simple.split_once('$').map_or(simple, |(b, _)| b);
    Some(match base {
        "Cast" => conversion::Cast::config_def(),
        "TimestampConverter" => conversion::TimestampConverter::config_def(),
        "TimestampRouter" => conversion::TimestampRouter::config_def(),
        "ExtractField" => fields::ExtractField::config_def(),
        "Flatten" => fields::Flatten::config_def(),
        "HoistField" => fields::HoistField::config_def(),
        "InsertField" => fields::InsertField::config_def(),
        "MaskField" => fields::MaskField::config_def(),
        "ReplaceField" => fields::ReplaceField::config_def(),
        "SetSchemaMetadata" => fields::SetSchemaMetadata::config_def(),
        "ValueToKey" => fields::ValueToKey::config_def(),
        "DropHeaders" => routing::DropHeaders::config_def(),
        "Filter" => routing::Filter::config_def(),
        "HeaderFrom" => routing::HeaderFrom::config_def(),
        "InsertHeader" => routing::InsertHeader::config_def(),
        "RegexRouter" => routing::RegexRouter::config_def(),
        "ExtractNewRecordState" => debezium::ExtractNewRecordState::config_def(),
        "HasHeaderKey" => predicates::HasHeaderKey::config_def(),
        "RecordIsTombstone" => predicates::RecordIsTombstone::config_def(),
        "TopicNameMatches" => predicates::TopicNameMatches::config_def(),
        _ => return None,
    })
}

#[cfg(test)]
mod config_def_tests {
    use super::*;

    #[test]
    fn every_class_has_its_keys() {
        for class in transformation_classes()
            .into_iter()
            .chain(predicate_classes())
        {
            assert!(config_def(class).is_some(), "{class}");
        }
        let cast = config_def("Cast$Value").unwrap_or_default();
        assert!(cast.contains("spec"));
        assert!(config_def("NoSuchTransform").is_none());
    }
}
