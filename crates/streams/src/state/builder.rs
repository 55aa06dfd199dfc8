//! Store builders (Kafka's `Stores` factories and `StoreBuilder`), and the erased form the
//! topology keeps.

use std::any::Any;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::Result;
use crate::serde::{DefaultSerdes, SerdeRef, SerdeSpec};

/// Where a store keeps its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreKind {
    /// In memory; rebuilt from the changelog when the task starts.
    InMemory,
    /// On disk under `state.dir`; only the changelog's tail after the last checkpoint is
    /// replayed when the task starts.
    Persistent,
}

/// Names a key-value store and where it lives (Kafka's `KeyValueBytesStoreSupplier`).
#[derive(Debug, Clone)]
pub struct KeyValueBytesStoreSupplier {
    pub(crate) name: String,
    pub(crate) kind: StoreKind,
}

/// Kafka's `Stores` factories.
pub struct Stores;

impl Stores {
    /// `Stores.inMemoryKeyValueStore(name)`.
    pub fn in_memory_key_value_store(name: &str) -> KeyValueBytesStoreSupplier {
        KeyValueBytesStoreSupplier {
            name: name.to_string(),
            kind: StoreKind::InMemory,
        }
    }

    /// `Stores.persistentKeyValueStore(name)`.
    pub fn persistent_key_value_store(name: &str) -> KeyValueBytesStoreSupplier {
        KeyValueBytesStoreSupplier {
            name: name.to_string(),
            kind: StoreKind::Persistent,
        }
    }

    /// `Stores.keyValueStoreBuilder(supplier, keySerde, valueSerde)`: logging on, caching off.
    pub fn key_value_store_builder<K: 'static, V: 'static>(
        supplier: KeyValueBytesStoreSupplier,
        keys: SerdeRef<K>,
        values: SerdeRef<V>,
    ) -> StoreBuilder<K, V> {
        StoreBuilder {
            supplier,
            keys: SerdeSpec::Given(keys),
            values: SerdeSpec::Given(values),
            logging: true,
            log_config: BTreeMap::new(),
            caching: false,
        }
    }
}

/// Builds a key-value store for each task (Kafka's `StoreBuilder`).
pub struct StoreBuilder<K, V> {
    pub(crate) supplier: KeyValueBytesStoreSupplier,
    pub(crate) keys: SerdeSpec<K>,
    pub(crate) values: SerdeSpec<V>,
    pub(crate) logging: bool,
    pub(crate) log_config: BTreeMap<String, String>,
    pub(crate) caching: bool,
}

impl<K: 'static, V: 'static> StoreBuilder<K, V> {
    /// A builder with serdes that may be the defaults (the DSL's stores).
    pub(crate) fn with_specs(
        supplier: KeyValueBytesStoreSupplier,
        keys: SerdeSpec<K>,
        values: SerdeSpec<V>,
    ) -> Self {
        StoreBuilder {
            supplier,
            keys,
            values,
            logging: true,
            log_config: BTreeMap::new(),
            caching: false,
        }
    }

    /// `withCachingEnabled()`.
    pub fn with_caching_enabled(mut self) -> Self {
        self.caching = true;
        self
    }

    /// `withCachingDisabled()`.
    pub fn with_caching_disabled(mut self) -> Self {
        self.caching = false;
        self
    }

    /// `withLoggingEnabled(config)`: topic configs for the changelog.
    pub fn with_logging_enabled(mut self, config: BTreeMap<String, String>) -> Self {
        self.logging = true;
        self.log_config = config;
        self
    }

    /// `withLoggingDisabled()`: no changelog; the store starts empty.
    pub fn with_logging_disabled(mut self) -> Self {
        self.logging = false;
        self
    }

    /// The store's name.
    pub fn name(&self) -> &str {
        &self.supplier.name
    }

    pub(crate) fn into_spec(self) -> StoreSpec {
        let (keys, values) = (self.keys, self.values);
        let name = self.supplier.name.clone();
        StoreSpec {
            kind: self.supplier.kind,
            logging: self.logging,
            log_config: self.log_config,
            caching: self.caching,
            serdes: Arc::new(move |defaults: &DefaultSerdes| {
                let k = keys.resolve(defaults, &format!("the keys of store {name}"))?;
                let v = values.resolve(defaults, &format!("the values of store {name}"))?;
                Ok(Box::new((k, v)) as Box<dyn Any>)
            }),
        }
    }
}

/// Resolves a store's serdes; the box holds `(SerdeRef<K>, SerdeRef<V>)`.
pub(crate) type SerdesFactory = Arc<dyn Fn(&DefaultSerdes) -> Result<Box<dyn Any>> + Send + Sync>;

/// A store as the topology keeps it.
#[derive(Clone)]
pub(crate) struct StoreSpec {
    pub kind: StoreKind,
    pub logging: bool,
    pub log_config: BTreeMap<String, String>,
    pub caching: bool,
    pub serdes: SerdesFactory,
}
