//! (Being implemented.)

use std::collections::BTreeMap;

use connect_api::{Predicate, Result, Transformation};

/// The classes this module provides (fully qualified Java names).
pub const CLASSES: &[&str] = &[];

/// Builds a transformation of this module by fully qualified class name, or `None` if the
/// class is not one of this module's.
pub fn create_transformation<M: Send + Sync + 'static>(
    _class: &str,
    _config: &BTreeMap<String, String>,
) -> Option<Result<Box<dyn Transformation<M>>>> {
    None
}

/// Builds a predicate of this module by fully qualified class name, or `None`.
pub fn create_predicate<M: Send + Sync + 'static>(
    _class: &str,
    _config: &BTreeMap<String, String>,
) -> Option<Result<Box<dyn Predicate<M>>>> {
    None
}
