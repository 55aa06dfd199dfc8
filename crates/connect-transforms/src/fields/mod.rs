//! The field transforms of Kafka Connect: `ReplaceField`, `InsertField`, `MaskField`,
//! `ExtractField`, `HoistField`, `ValueToKey`, `Flatten` and `SetSchemaMetadata`, each (but
//! `ValueToKey`) in a `$Key` and a `$Value` variant, plus the KIP-821 [`field_path`] syntax.

use std::collections::BTreeMap;

use connect_api::{Predicate, Result, Transformation};

use crate::util::Side;

pub mod common;
pub mod extract_field;
pub mod field_path;
pub mod flatten;
pub mod hoist_field;
pub mod insert_field;
pub mod mask_field;
pub mod replace_field;
pub mod set_schema_metadata;
pub mod value_to_key;

#[cfg(test)]
mod test_support;

pub use extract_field::ExtractField;
pub use flatten::Flatten;
pub use hoist_field::HoistField;
pub use insert_field::InsertField;
pub use mask_field::MaskField;
pub use replace_field::ReplaceField;
pub use set_schema_metadata::SetSchemaMetadata;
pub use value_to_key::ValueToKey;

const PACKAGE: &str = "org.apache.kafka.connect.transforms.";

/// The classes this module provides (fully qualified Java names).
pub const CLASSES: &[&str] = &[
    "org.apache.kafka.connect.transforms.ReplaceField$Key",
    "org.apache.kafka.connect.transforms.ReplaceField$Value",
    "org.apache.kafka.connect.transforms.InsertField$Key",
    "org.apache.kafka.connect.transforms.InsertField$Value",
    "org.apache.kafka.connect.transforms.MaskField$Key",
    "org.apache.kafka.connect.transforms.MaskField$Value",
    "org.apache.kafka.connect.transforms.ExtractField$Key",
    "org.apache.kafka.connect.transforms.ExtractField$Value",
    "org.apache.kafka.connect.transforms.HoistField$Key",
    "org.apache.kafka.connect.transforms.HoistField$Value",
    "org.apache.kafka.connect.transforms.ValueToKey",
    "org.apache.kafka.connect.transforms.Flatten$Key",
    "org.apache.kafka.connect.transforms.Flatten$Value",
    "org.apache.kafka.connect.transforms.SetSchemaMetadata$Key",
    "org.apache.kafka.connect.transforms.SetSchemaMetadata$Value",
];

fn boxed<M, T>(built: Result<T>) -> Option<Result<Box<dyn Transformation<M>>>>
where
    T: Transformation<M> + 'static,
{
    Some(built.map(|t| Box::new(t) as Box<dyn Transformation<M>>))
}

/// Builds a transformation of this module by fully qualified class name, or `None` if the
/// class is not one of this module's.
pub fn create_transformation<M: Send + Sync + 'static>(
    class: &str,
    config: &BTreeMap<String, String>,
) -> Option<Result<Box<dyn Transformation<M>>>> {
    if !CLASSES.contains(&class) {
        return None;
    }
    let simple = class.strip_prefix(PACKAGE)?;
    let (base, side) = match simple.split_once('$') {
        Some((base, _)) => (base, Side::of_class(simple)?),
        // `ValueToKey` has no variants; the side is unused.
        None => (simple, Side::Value),
    };
    match base {
        "ReplaceField" => boxed(ReplaceField::new(side, config)),
        "InsertField" => boxed(InsertField::new(side, config)),
        "MaskField" => boxed(MaskField::new(side, config)),
        "ExtractField" => boxed(ExtractField::new(side, config)),
        "HoistField" => boxed(HoistField::new(side, config)),
        "ValueToKey" => boxed(ValueToKey::new(config)),
        "Flatten" => boxed(Flatten::new(side, config)),
        "SetSchemaMetadata" => boxed(SetSchemaMetadata::new(side, config)),
        _ => None,
    }
}

/// Builds a predicate of this module by fully qualified class name, or `None` (this module
/// has no predicates).
pub fn create_predicate<M: Send + Sync + 'static>(
    _class: &str,
    _config: &BTreeMap<String, String>,
) -> Option<Result<Box<dyn Predicate<M>>>> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fields::test_support::*;
    use connect_api::{SinkMeta, SourceMeta, Value};

    fn valid_config(class: &str) -> BTreeMap<String, String> {
        let base = class.rsplit('.').next().unwrap().split('$').next().unwrap();
        match base {
            "ReplaceField" | "Flatten" => cfg(&[]),
            "InsertField" => cfg(&[("topic.field", "t")]),
            "MaskField" | "ValueToKey" => cfg(&[("fields", "id")]),
            "ExtractField" | "HoistField" => cfg(&[("field", "id")]),
            "SetSchemaMetadata" => cfg(&[("schema.name", "n")]),
            other => panic!("unexpected class {other}"),
        }
    }

    #[test]
    fn every_class_builds_for_both_record_kinds() {
        assert_eq!(CLASSES.len(), 15);
        for class in CLASSES {
            let config = valid_config(class);
            assert!(create_transformation::<SourceMeta>(class, &config)
                .unwrap()
                .is_ok());
            assert!(create_transformation::<SinkMeta>(class, &config)
                .unwrap()
                .is_ok());
        }
    }

    #[test]
    fn registry_resolves_simple_names_and_sides() {
        let t = crate::registry::transformation::<SourceMeta>(
            "ExtractField$Key",
            &cfg(&[("field", "region")]),
        )
        .unwrap();
        let out = t
            .apply_owned(source(struct_key(), sv(None, Value::Null)))
            .unwrap()
            .unwrap();
        assert_eq!(out.key.value, Value::from("eu"));
        let e = crate::registry::transformation::<SourceMeta>("MaskField$Value", &cfg(&[]))
            .err()
            .unwrap();
        assert!(e.is_config());
    }

    #[test]
    fn other_classes_are_not_ours() {
        let config = cfg(&[]);
        for class in [
            "org.apache.kafka.connect.transforms.Cast$Value",
            "org.apache.kafka.connect.transforms.Flatten",
            "org.apache.kafka.connect.transforms.ValueToKey$Key",
            "ReplaceField$Value",
        ] {
            assert!(create_transformation::<SourceMeta>(class, &config).is_none());
        }
        assert!(create_predicate::<SourceMeta>("x", &config).is_none());
    }
}
