//! `split()`: routing each record to the first branch whose predicate accepts it
//! (Kafka's `BranchedKStream`).

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use super::kstream::KStream;
use super::stateless;
use crate::error::StreamsError;

type Predicate<K, V> = Arc<dyn Fn(Option<&K>, &V) -> bool + Send + Sync>;

/// The branches' predicates with their child names, shared with the splitter's factory.
type Branches<K, V> = Arc<Mutex<Vec<(Predicate<K, V>, String)>>>;

/// Options of one branch (`Branched`): its name suffix.
pub struct Branched(pub(crate) Option<String>);

impl Branched {
    /// `Branched.as(name)`: the branch is `<split name><name>`.
    pub fn as_(name: &str) -> Branched {
        Branched(Some(name.to_string()))
    }

    /// A branch numbered by its position.
    pub fn none() -> Branched {
        Branched(None)
    }
}

/// The branches of a split stream.
pub struct BranchedKStream<K, V> {
    stream: KStream<K, V>,
    name: String,
    /// (predicate, child name); shared with the splitter node's factory.
    predicates: Branches<K, V>,
    default: Arc<Mutex<Option<String>>>,
    branches: BTreeMap<String, KStream<K, V>>,
    count: usize,
}

impl<K: Clone + 'static, V: Clone + 'static> BranchedKStream<K, V> {
    pub(crate) fn new(stream: KStream<K, V>, name: String) -> Self {
        let predicates: Branches<K, V> = Arc::new(Mutex::new(Vec::new()));
        let default: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
        let (p, d) = (Arc::clone(&predicates), Arc::clone(&default));
        let factory = stateless::<K, V, K, V>(&name, move |r, ctx| {
            let Some(v) = &r.value else {
                super::dropped(ctx, "null value");
                return Ok(());
            };
            let target = {
                let list = p
                    .lock()
                    .map_err(|_| StreamsError::topology("split predicates poisoned"))?;
                list.iter()
                    .find(|(pred, _)| pred(r.key.as_ref(), v))
                    .map(|(_, n)| n.clone())
            };
            let target = match target {
                Some(t) => Some(t),
                None => d
                    .lock()
                    .map_err(|_| StreamsError::topology("split default poisoned"))?
                    .clone(),
            };
            if let Some(child) = target {
                ctx.forward_to(&child, r)?;
            }
            Ok(())
        });
        stream
            .b
            .borrow_mut()
            .add_node(&name, factory, &[&stream.name]);
        BranchedKStream {
            stream,
            name,
            predicates,
            default,
            branches: BTreeMap::new(),
            count: 0,
        }
    }

    fn add_child(&mut self, suffix: String) -> String {
        let child = format!("{}{}", self.name, suffix);
        let mut b = self.stream.b.borrow_mut();
        b.processor_name(&child);
        let f = stateless::<K, V, K, V>(&child, |r, ctx| {
            ctx.forward(r);
            Ok(())
        });
        b.add_node(&child, f, &[&self.name]);
        drop(b);
        let s = KStream::new(
            self.stream.b.clone(),
            child.clone(),
            self.stream.keys.clone(),
            self.stream.values.clone(),
            self.stream.repartition_required,
        );
        self.branches.insert(child.clone(), s);
        child
    }

    /// A branch for the records `predicate` accepts (and no earlier branch took).
    pub fn branch(
        mut self,
        predicate: impl Fn(Option<&K>, &V) -> bool + Send + Sync + 'static,
        branched: Branched,
    ) -> Self {
        self.count += 1;
        let suffix = branched.0.unwrap_or_else(|| self.count.to_string());
        let child = self.add_child(suffix);
        if let Ok(mut list) = self.predicates.lock() {
            list.push((Arc::new(predicate), child));
        }
        self
    }

    /// A branch for the records no predicate took; returns every branch by name.
    pub fn default_branch(mut self, branched: Branched) -> BTreeMap<String, KStream<K, V>> {
        let suffix = branched.0.unwrap_or_else(|| "0".to_string());
        let child = self.add_child(suffix);
        if let Ok(mut d) = self.default.lock() {
            *d = Some(child);
        }
        self.branches
    }

    /// Drops the records no predicate took; returns every branch by name.
    pub fn no_default_branch(self) -> BTreeMap<String, KStream<K, V>> {
        self.branches
    }
}
