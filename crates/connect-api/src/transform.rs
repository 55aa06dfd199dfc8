//! Single message transforms and predicates (Java `Transformation` and `Predicate`).
//!
//! Both are pure and synchronous and are built already configured. They are generic over the
//! record metadata `M`, so one implementation serves source and sink records alike and cannot
//! touch offsets: implement them as `impl<M: Send + Sync> Transformation<M> for MyTransform`.

use crate::error::Result;
use crate::record::Record;

/// What a transformation did with a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub enum Transformed {
    /// The record (possibly changed) goes on to the next stage.
    Keep,
    /// The record is dropped (Java: `apply` returned `null`); the chain stops.
    Drop,
}

/// Java `org.apache.kafka.connect.transforms.Transformation`.
///
/// Java returns a new record (or `null`); Ferry's transformations change the record in place,
/// so a chain moves no record between its stages.
pub trait Transformation<M>: Send + Sync {
    /// Transforms one record in place. Called by the task loop for every record, after the
    /// previous stage of the chain (source: before the converters; sink: after them), unless
    /// this stage's predicate says to skip it. [`Transformed::Drop`] drops the record and stops
    /// the chain. An `Err` is a failure of stage `TRANSFORMATION` for this transform's alias: a
    /// `ConnectError::Data` is handled by `errors.tolerance` (skip and dead-letter, or fail the
    /// task); a `ConnectError::Retriable` is retried within `errors.retry.timeout`; anything
    /// else fails the task. After an `Err` the record's content is unspecified: the runtime
    /// reports the record it kept from before the chain.
    fn apply(&self, record: &mut Record<M>) -> Result<Transformed>;

    /// [`apply`](Transformation::apply) to an owned record, in Java's form: `Ok(None)` when the
    /// record is dropped. For tests and one-off use; the chain calls `apply`.
    fn apply_owned(&self, record: Record<M>) -> Result<Option<Record<M>>> {
        let mut record = record;
        Ok(match self.apply(&mut record)? {
            Transformed::Keep => Some(record),
            Transformed::Drop => None,
        })
    }
}

/// Java `org.apache.kafka.connect.transforms.predicates.Predicate`.
pub trait Predicate<M>: Send + Sync {
    /// Whether the record matches. Called before each transform stage that names this
    /// predicate (`transforms.<alias>.predicate`); the stage runs when `negate XOR test(record)`.
    /// An `Err` fails that stage like an error of the transform would.
    fn test(&self, record: &Record<M>) -> Result<bool>;
}
