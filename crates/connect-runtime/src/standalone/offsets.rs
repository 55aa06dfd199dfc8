//! A standalone connector's offsets through the REST API (KIP-875), served by
//! [`crate::offsets::rest`] under the worker's change lock.

use connect_api::Value;

use super::{lifecycle::not_found, StandaloneWorker};
use crate::herder_error::HerderError;
use crate::offsets::rest::ConnectorOffsets;
pub use crate::offsets::rest::OffsetEntry;
use crate::target::TargetState;

impl StandaloneWorker {
    /// A connector's offsets: its config (config provider references resolved, as its
    /// tasks see it), kind, and whether it is stopped; 404 for an unknown connector.
    fn connector_offsets_of<'a>(
        &'a self,
        name: &'a str,
    ) -> Result<ConnectorOffsets<'a>, HerderError> {
        let (raw, kind, stopped) = {
            let connectors = self.lock();
            let entry = connectors.get(name).ok_or_else(|| not_found(name))?;
            let stopped = entry.target == TargetState::Stopped && entry.tasks.is_empty();
            (entry.config.clone(), entry.kind, stopped)
        };
        let config = self
            .transformer
            .transform(&raw)
            .map_err(HerderError::from)?;
        Ok(ConnectorOffsets {
            name,
            config,
            kind,
            stopped,
            plugins: &self.plugins,
            worker: &self.config,
            offsets: &self.offsets,
            codec: &self.codec,
        })
    }

    /// `GET /connectors/{name}/offsets`: every partition with its offset.
    pub async fn connector_offsets(&self, name: &str) -> Result<Vec<(Value, Value)>, HerderError> {
        self.connector_offsets_of(name)?.get().await
    }

    /// `PATCH /connectors/{name}/offsets`; the message to answer with.
    pub async fn alter_connector_offsets(
        &self,
        name: &str,
        offsets: Vec<OffsetEntry>,
    ) -> Result<String, HerderError> {
        let _changes = self.changes.lock().await;
        self.connector_offsets_of(name)?.alter(offsets).await
    }

    /// `DELETE /connectors/{name}/offsets`; the message to answer with.
    pub async fn reset_connector_offsets(&self, name: &str) -> Result<String, HerderError> {
        // under the lock: no change can slip in between the read and the reset
        let _changes = self.changes.lock().await;
        self.connector_offsets_of(name)?.reset().await
    }
}
