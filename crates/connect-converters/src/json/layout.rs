//! Pre-escaped member prefixes (`"name":`, then `,"name":`) of struct schemas, so that writing a
//! struct copies each field name once instead of escaping it for every record.
//!
//! A small per-thread cache holds the layouts of recently written struct schemas. An entry is
//! found by schema identity (it holds the schema, so the identity stays valid), or else by
//! equal field names (schemas rebuilt per record by a transform still hit).

use std::cell::RefCell;
use std::rc::Rc;

use connect_api::data::logical::Logical;
use connect_api::Schema;

use super::writer::write_json_string;

/// How many struct layouts each thread keeps.
const CAPACITY: usize = 32;

/// The member prefixes of one struct schema.
pub(crate) struct Layout {
    schema: Schema,
    bytes: Vec<u8>,
    /// `bytes[ends[i-1]..ends[i]]` is field i's prefix.
    ends: Vec<usize>,
    /// Each field's logical type.
    logicals: Vec<Option<Logical>>,
}

impl Layout {
    fn build(schema: &Schema) -> Layout {
        let mut bytes = Vec::new();
        let mut ends = Vec::with_capacity(schema.fields().len());
        for (i, f) in schema.fields().iter().enumerate() {
            if i > 0 {
                bytes.push(b',');
            }
            write_json_string(f.name(), &mut bytes);
            bytes.push(b':');
            ends.push(bytes.len());
        }
        Layout {
            schema: schema.clone(),
            bytes,
            ends,
            logicals: schema
                .fields()
                .iter()
                .map(|f| f.schema().logical())
                .collect(),
        }
    }

    /// Field i's logical type.
    pub(crate) fn logical(&self, i: usize) -> Option<Logical> {
        self.logicals[i]
    }

    /// The prefix to write before field `i`.
    pub(crate) fn prefix(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }

    fn same_names(&self, schema: &Schema) -> bool {
        let (a, b) = (self.schema.fields(), schema.fields());
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.name() == y.name())
    }
}

thread_local! {
    static LAYOUTS: RefCell<Vec<Rc<Layout>>> = const { RefCell::new(Vec::new()) };
}

/// The layout of a struct schema.
pub(crate) fn layout_of(schema: &Schema) -> Rc<Layout> {
    LAYOUTS.with(|cell| {
        let mut layouts = cell.borrow_mut();
        if let Some(l) = layouts.iter().rev().find(|l| l.schema.ptr_eq(schema)) {
            return l.clone();
        }
        let layout = match layouts.iter().rposition(|l| l.same_names(schema)) {
            Some(i) => {
                let old = layouts.remove(i);
                Rc::new(Layout {
                    schema: schema.clone(),
                    bytes: old.bytes.clone(),
                    ends: old.ends.clone(),
                    logicals: schema
                        .fields()
                        .iter()
                        .map(|f| f.schema().logical())
                        .collect(),
                })
            }
            None => Rc::new(Layout::build(schema)),
        };
        if layouts.len() >= CAPACITY {
            layouts.remove(0);
        }
        layouts.push(layout.clone());
        layout
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use connect_api::{SchemaBuilder, Type};

    #[test]
    fn prefixes() {
        let s = SchemaBuilder::struct_builder()
            .field("a", Schema::required(Type::Int8))
            .field("é\"😀", Schema::required(Type::Int8))
            .build()
            .unwrap();
        let l = layout_of(&s);
        assert_eq!(l.prefix(0), b"\"a\":");
        assert_eq!(l.prefix(1), r#","é\"\uD83D\uDE00":"#.as_bytes());
        assert!(Rc::ptr_eq(&l, &layout_of(&s)));
        // an equal schema in another allocation reuses the names
        let s2 = SchemaBuilder::struct_builder()
            .field("a", Schema::required(Type::Int8))
            .field("é\"😀", Schema::required(Type::Int8))
            .build()
            .unwrap();
        assert_eq!(layout_of(&s2).prefix(0), b"\"a\":");
        let empty = SchemaBuilder::struct_builder().build().unwrap();
        assert!(layout_of(&empty).ends.is_empty());
    }
}
