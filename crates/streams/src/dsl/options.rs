//! The DSL's option objects (Kafka's `Consumed`, `Produced`, `Grouped`, `Materialized`,
//! `Named`, `Repartitioned`, `Joined`, `Branched`): names and serdes for the nodes, stores and
//! topics an operation creates.

use std::collections::BTreeMap;

use crate::serde::{SerdeRef, SerdeSpec};
use crate::state::{KeyValueBytesStoreSupplier, StoreKind};

fn spec<T: 'static>(s: &Option<SerdeRef<T>>, is_key: bool) -> SerdeSpec<T> {
    match s {
        Some(s) => SerdeSpec::Given(s.clone()),
        None => SerdeSpec::Default { is_key },
    }
}

/// Serdes and a name for a source (`Consumed`).
pub struct Consumed<K, V> {
    pub(crate) keys: Option<SerdeRef<K>>,
    pub(crate) values: Option<SerdeRef<V>>,
    pub(crate) name: Option<String>,
}

impl<K: 'static, V: 'static> Consumed<K, V> {
    /// `Consumed.with(keySerde, valueSerde)`.
    pub fn with(keys: SerdeRef<K>, values: SerdeRef<V>) -> Self {
        Consumed {
            keys: Some(keys),
            values: Some(values),
            name: None,
        }
    }

    /// `Consumed.as(name)`: the source node's name.
    pub fn as_(name: &str) -> Self {
        Consumed {
            keys: None,
            values: None,
            name: Some(name.to_string()),
        }
    }

    /// `withName(name)`.
    pub fn with_name(mut self, name: &str) -> Self {
        self.name = Some(name.to_string());
        self
    }

    pub(crate) fn key_spec(&self) -> SerdeSpec<K> {
        spec(&self.keys, true)
    }

    pub(crate) fn value_spec(&self) -> SerdeSpec<V> {
        spec(&self.values, false)
    }
}

impl<K, V> Default for Consumed<K, V> {
    fn default() -> Self {
        Consumed {
            keys: None,
            values: None,
            name: None,
        }
    }
}

/// Serdes and a name for a sink (`Produced`).
pub struct Produced<K, V> {
    pub(crate) keys: Option<SerdeRef<K>>,
    pub(crate) values: Option<SerdeRef<V>>,
    pub(crate) name: Option<String>,
}

impl<K: 'static, V: 'static> Produced<K, V> {
    /// `Produced.with(keySerde, valueSerde)`.
    pub fn with(keys: SerdeRef<K>, values: SerdeRef<V>) -> Self {
        Produced {
            keys: Some(keys),
            values: Some(values),
            name: None,
        }
    }

    /// `Produced.as(name)`: the sink node's name.
    pub fn as_(name: &str) -> Self {
        Produced {
            keys: None,
            values: None,
            name: Some(name.to_string()),
        }
    }

    /// `withName(name)`.
    pub fn with_name(mut self, name: &str) -> Self {
        self.name = Some(name.to_string());
        self
    }
}

impl<K, V> Default for Produced<K, V> {
    fn default() -> Self {
        Produced {
            keys: None,
            values: None,
            name: None,
        }
    }
}

/// Serdes and a name for the repartition topic of a grouping (`Grouped`).
pub struct Grouped<K, V> {
    pub(crate) keys: Option<SerdeRef<K>>,
    pub(crate) values: Option<SerdeRef<V>>,
    pub(crate) name: Option<String>,
}

impl<K: 'static, V: 'static> Grouped<K, V> {
    /// `Grouped.with(keySerde, valueSerde)`.
    pub fn with(keys: SerdeRef<K>, values: SerdeRef<V>) -> Self {
        Grouped {
            keys: Some(keys),
            values: Some(values),
            name: None,
        }
    }

    /// `Grouped.as(name)`: names the repartition topic `<name>-repartition` and its nodes.
    pub fn as_(name: &str) -> Self {
        Grouped {
            keys: None,
            values: None,
            name: Some(name.to_string()),
        }
    }

    /// `withName(name)`.
    pub fn with_name(mut self, name: &str) -> Self {
        self.name = Some(name.to_string());
        self
    }
}

impl<K, V> Default for Grouped<K, V> {
    fn default() -> Self {
        Grouped {
            keys: None,
            values: None,
            name: None,
        }
    }
}

/// How an aggregation or table is stored (`Materialized`). By default: a persistent store,
/// cached and change-logged, with a generated name.
pub struct Materialized<K, V> {
    pub(crate) name: Option<String>,
    pub(crate) kind: StoreKind,
    pub(crate) keys: Option<SerdeRef<K>>,
    pub(crate) values: Option<SerdeRef<V>>,
    pub(crate) caching: bool,
    pub(crate) logging: bool,
    pub(crate) log_config: BTreeMap<String, String>,
}

impl<K, V> Default for Materialized<K, V> {
    fn default() -> Self {
        Materialized {
            name: None,
            kind: StoreKind::Persistent,
            keys: None,
            values: None,
            caching: true,
            logging: true,
            log_config: BTreeMap::new(),
        }
    }
}

impl<K: 'static, V: 'static> Materialized<K, V> {
    /// `Materialized.as(storeName)`.
    pub fn as_(name: &str) -> Self {
        Materialized {
            name: Some(name.to_string()),
            ..Default::default()
        }
    }

    /// `Materialized.as(supplier)`: a named store of the supplier's kind.
    pub fn as_store(supplier: KeyValueBytesStoreSupplier) -> Self {
        Materialized {
            name: Some(supplier.name),
            kind: supplier.kind,
            ..Default::default()
        }
    }

    /// `Materialized.with(keySerde, valueSerde)`.
    pub fn with(keys: SerdeRef<K>, values: SerdeRef<V>) -> Self {
        Materialized {
            keys: Some(keys),
            values: Some(values),
            ..Default::default()
        }
    }

    /// `withKeySerde`.
    pub fn with_key_serde(mut self, keys: SerdeRef<K>) -> Self {
        self.keys = Some(keys);
        self
    }

    /// `withValueSerde`.
    pub fn with_value_serde(mut self, values: SerdeRef<V>) -> Self {
        self.values = Some(values);
        self
    }

    /// `withCachingDisabled()`.
    pub fn with_caching_disabled(mut self) -> Self {
        self.caching = false;
        self
    }

    /// `withCachingEnabled()`.
    pub fn with_caching_enabled(mut self) -> Self {
        self.caching = true;
        self
    }

    /// `withLoggingDisabled()`.
    pub fn with_logging_disabled(mut self) -> Self {
        self.logging = false;
        self
    }

    /// `withLoggingEnabled(config)`.
    pub fn with_logging_enabled(mut self, config: BTreeMap<String, String>) -> Self {
        self.logging = true;
        self.log_config = config;
        self
    }
}

/// Options of `repartition()` (`Repartitioned`).
pub struct Repartitioned<K, V> {
    pub(crate) name: Option<String>,
    pub(crate) partitions: Option<i32>,
    pub(crate) keys: Option<SerdeRef<K>>,
    pub(crate) values: Option<SerdeRef<V>>,
}

impl<K, V> Default for Repartitioned<K, V> {
    fn default() -> Self {
        Repartitioned {
            name: None,
            partitions: None,
            keys: None,
            values: None,
        }
    }
}

impl<K: 'static, V: 'static> Repartitioned<K, V> {
    /// `Repartitioned.as(name)`: topic `<name>-repartition`.
    pub fn as_(name: &str) -> Self {
        Repartitioned {
            name: Some(name.to_string()),
            ..Default::default()
        }
    }

    /// `Repartitioned.with(keySerde, valueSerde)`.
    pub fn with(keys: SerdeRef<K>, values: SerdeRef<V>) -> Self {
        Repartitioned {
            keys: Some(keys),
            values: Some(values),
            ..Default::default()
        }
    }

    /// `withNumberOfPartitions(n)`.
    pub fn with_number_of_partitions(mut self, n: i32) -> Self {
        self.partitions = Some(n);
        self
    }
}

/// Options of a stream–table join (`Joined`).
pub struct Joined<K, V> {
    pub(crate) name: Option<String>,
    pub(crate) keys: Option<SerdeRef<K>>,
    pub(crate) values: Option<SerdeRef<V>>,
}

impl<K, V> Default for Joined<K, V> {
    fn default() -> Self {
        Joined {
            name: None,
            keys: None,
            values: None,
        }
    }
}

impl<K: 'static, V: 'static> Joined<K, V> {
    /// `Joined.as(name)`: the join processor's name (and its repartition topic's prefix).
    pub fn as_(name: &str) -> Self {
        Joined {
            name: Some(name.to_string()),
            ..Default::default()
        }
    }

    /// `Joined.with(keySerde, valueSerde)`: the stream side's serdes, for its repartition topic.
    pub fn with(keys: SerdeRef<K>, values: SerdeRef<V>) -> Self {
        Joined {
            name: None,
            keys: Some(keys),
            values: Some(values),
        }
    }
}

pub(crate) fn key_spec<T: 'static>(
    given: &Option<SerdeRef<T>>,
    fallback: &SerdeSpec<T>,
) -> SerdeSpec<T> {
    given
        .clone()
        .map_or_else(|| fallback.clone(), SerdeSpec::Given)
}
