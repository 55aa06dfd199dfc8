//! What standalone and distributed workers share on the way up: the host name they
//! advertise, the Kafka cluster id `GET /` shows, and serving the REST API on the bound
//! listeners.

use std::time::Duration;

use connect_api::plugin::ConfigMap;
use kafka::admin::Admin;
use kafka::config::{task_client_settings, ClientRole};
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// What `GET /` answers: the Kafka version whose Connect Ferry stands in for, Ferry's own
/// version as the commit, and the cluster id.
pub fn server_info(kafka_cluster_id: Option<String>) -> connect_rest::ServerInfo {
    connect_rest::ServerInfo {
        version: connect_runtime::plugins::KAFKA_VERSION.to_string(),
        commit: format!("ferry-{}", env!("CARGO_PKG_VERSION")),
        kafka_cluster_id,
    }
}

/// This machine's host name (`localhost` when it cannot be read).
pub fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

/// The Kafka cluster id, read with the worker's client settings within 10 s; an `Err`
/// naming the bootstrap servers when the cluster cannot be reached.
pub async fn cluster_id(client_base: &ConfigMap) -> Result<Option<String>, String> {
    let settings = task_client_settings(
        ClientRole::Admin,
        client_base,
        &ConfigMap::new(),
        "worker",
        0,
    )
    .map_err(|e| e.to_string())?;
    let admin = Admin::new(&settings).map_err(|e| e.to_string())?;
    let looked_up = tokio::task::spawn_blocking(move || {
        let id = admin.cluster_id(Duration::from_secs(10));
        (id, admin)
    })
    .await;
    let id = match looked_up {
        Ok((id, admin)) => {
            // closing a librdkafka client waits about 100 ms for its threads: not on the
            // start-up path
            tokio::task::spawn_blocking(move || drop(admin));
            id
        }
        Err(_) => None,
    };
    match id {
        Some(id) => Ok(Some(id)),
        None => Err(format!(
            "Failed to connect to and describe Kafka cluster at bootstrap.servers={} within 10 s",
            client_base
                .get("bootstrap.servers")
                .map(String::as_str)
                .unwrap_or("localhost:9092")
        )),
    }
}

/// Serves `app` on every bound listener until the returned token is cancelled; the handle
/// ends when all listeners have stopped.
pub fn serve(
    bound: Vec<(tokio::net::TcpListener, std::net::SocketAddr)>,
    app: axum::Router,
) -> (JoinHandle<()>, CancellationToken) {
    let stop_rest = CancellationToken::new();
    let mut servers = Vec::new();
    for (listener, _) in bound {
        let app = app.clone();
        let stop = stop_rest.clone();
        servers.push(tokio::spawn(async move {
            let served = axum::serve(listener, app)
                .with_graceful_shutdown(async move { stop.cancelled().await })
                .await;
            if let Err(e) = served {
                tracing::error!("REST listener failed: {e}");
            }
        }));
    }
    let server = tokio::spawn(async move {
        for s in servers {
            let _ = s.await;
        }
    });
    (server, stop_rest)
}
