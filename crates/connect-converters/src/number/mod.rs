//! The fixed-width number and boolean converters of `org.apache.kafka.connect.converters`.

mod boolean;
mod double;
mod float;
mod integer;
mod long;
mod short;

pub use boolean::BooleanConverter;
pub use double::DoubleConverter;
pub use float::FloatConverter;
pub use integer::IntegerConverter;
pub use long::LongConverter;
pub use short::ShortConverter;
