//! Debezium's `io.debezium.transforms.ExtractNewRecordState` (configs usually alias it
//! `unwrap`; the class name is what `transforms.<alias>.type` names).

use std::collections::BTreeMap;

use connect_api::{Predicate, Result, Transformation};

pub mod config;
pub mod extract_new_record_state;
pub mod field_ref;

pub use extract_new_record_state::ExtractNewRecordState;

/// `io.debezium.transforms.ExtractNewRecordState`.
pub const EXTRACT_NEW_RECORD_STATE: &str = "io.debezium.transforms.ExtractNewRecordState";

/// The classes this module provides (fully qualified Java names).
pub const CLASSES: &[&str] = &[EXTRACT_NEW_RECORD_STATE];

/// Builds a transformation of this module by fully qualified class name, or `None` if the
/// class is not one of this module's.
pub fn create_transformation<M: Send + Sync + 'static>(
    class: &str,
    config: &BTreeMap<String, String>,
) -> Option<Result<Box<dyn Transformation<M>>>> {
    match class {
        EXTRACT_NEW_RECORD_STATE => Some(
            ExtractNewRecordState::new(config).map(|t| Box::new(t) as Box<dyn Transformation<M>>),
        ),
        _ => None,
    }
}

/// This module has no predicates: always `None`.
pub fn create_predicate<M: Send + Sync + 'static>(
    _class: &str,
    _config: &BTreeMap<String, String>,
) -> Option<Result<Box<dyn Predicate<M>>>> {
    None
}
