//! Type and timestamp conversions: [`Cast`], [`TimestampConverter`] and [`TimestampRouter`],
//! with the `SimpleDateFormat` subset they share ([`SimpleDateFormat`]).

use std::collections::BTreeMap;

use connect_api::{Predicate, Result, Transformation};

use crate::util::Side;

mod calendar;
pub mod cast;
mod date_symbols;
pub mod simple_date_format;
pub mod timestamp_converter;
pub mod timestamp_router;

pub use cast::Cast;
pub use simple_date_format::SimpleDateFormat;
pub use timestamp_converter::TimestampConverter;
pub use timestamp_router::TimestampRouter;

const CAST_KEY: &str = "org.apache.kafka.connect.transforms.Cast$Key";
const CAST_VALUE: &str = "org.apache.kafka.connect.transforms.Cast$Value";
const TIMESTAMP_CONVERTER_KEY: &str = "org.apache.kafka.connect.transforms.TimestampConverter$Key";
const TIMESTAMP_CONVERTER_VALUE: &str =
    "org.apache.kafka.connect.transforms.TimestampConverter$Value";
const TIMESTAMP_ROUTER: &str = "org.apache.kafka.connect.transforms.TimestampRouter";

/// The classes this module provides (fully qualified Java names).
pub const CLASSES: &[&str] = &[
    CAST_KEY,
    CAST_VALUE,
    TIMESTAMP_CONVERTER_KEY,
    TIMESTAMP_CONVERTER_VALUE,
    TIMESTAMP_ROUTER,
];

fn boxed<M, T>(built: Result<T>) -> Result<Box<dyn Transformation<M>>>
where
    M: Send + Sync + 'static,
    T: Transformation<M> + 'static,
{
    built.map(|t| Box::new(t) as Box<dyn Transformation<M>>)
}

/// Builds a transformation of this module by fully qualified class name, or `None` if the
/// class is not one of this module's.
pub fn create_transformation<M: Send + Sync + 'static>(
    class: &str,
    config: &BTreeMap<String, String>,
) -> Option<Result<Box<dyn Transformation<M>>>> {
    let side = Side::of_class(class);
    Some(match class {
        CAST_KEY | CAST_VALUE => boxed(Cast::new(side?, config)),
        TIMESTAMP_CONVERTER_KEY | TIMESTAMP_CONVERTER_VALUE => {
            boxed(TimestampConverter::new(side?, config))
        }
        TIMESTAMP_ROUTER => boxed(TimestampRouter::new(config)),
        _ => return None,
    })
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
    use connect_api::SourceMeta;

    #[test]
    fn creates_every_class() {
        let config = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let cast = config(&[("spec", "int32")]);
        let tsc = config(&[("target.type", "unix")]);
        for (class, cfg) in [
            (CAST_KEY, &cast),
            (CAST_VALUE, &cast),
            (TIMESTAMP_CONVERTER_KEY, &tsc),
            (TIMESTAMP_CONVERTER_VALUE, &tsc),
            (TIMESTAMP_ROUTER, &config(&[])),
        ] {
            assert!(create_transformation::<SourceMeta>(class, cfg)
                .expect(class)
                .is_ok());
        }
        assert!(create_transformation::<SourceMeta>("x.Flatten$Value", &cast).is_none());
        assert!(create_predicate::<SourceMeta>(CAST_KEY, &cast).is_none());
        assert!(
            create_transformation::<SourceMeta>(CAST_VALUE, &config(&[]))
                .expect("cast")
                .is_err()
        );
    }
}
