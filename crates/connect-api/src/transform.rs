//! Single message transforms and predicates (Java `Transformation` and `Predicate`).
//!
//! Both are pure and synchronous and are built already configured. They are generic over the
//! record metadata `M`, so one implementation serves source and sink records alike and cannot
//! touch offsets: implement them as `impl<M: Send + Sync> Transformation<M> for MyTransform`.

use crate::error::Result;
use crate::record::Record;

/// Java `org.apache.kafka.connect.transforms.Transformation`.
pub trait Transformation<M>: Send + Sync {
    /// Transforms one record, taking it by value. Called by the task loop for every record,
    /// after the previous stage of the chain (source: before the converters; sink: after them),
    /// unless this stage's predicate says to skip it. `Ok(None)` drops the record and stops the
    /// chain. An `Err` is a failure of stage `TRANSFORMATION` for this transform's alias: a
    /// `ConnectError::Data` is handled by `errors.tolerance` (skip and dead-letter, or fail the
    /// task); a `ConnectError::Retriable` is retried within `errors.retry.timeout`; anything else
    /// fails the task.
    fn apply(&self, record: Record<M>) -> Result<Option<Record<M>>>;
}

/// Java `org.apache.kafka.connect.transforms.predicates.Predicate`.
pub trait Predicate<M>: Send + Sync {
    /// Whether the record matches. Called before each transform stage that names this
    /// predicate (`transforms.<alias>.predicate`); the stage runs when `negate XOR test(record)`.
    /// An `Err` fails that stage like an error of the transform would.
    fn test(&self, record: &Record<M>) -> Result<bool>;
}
