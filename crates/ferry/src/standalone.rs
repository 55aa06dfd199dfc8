//! `ferry standalone WORKER_FILE CONNECTOR_FILE…`: Kafka's `connect-standalone.sh`.
//!
//! Exit codes as Kafka's: 1 for a usage error, 2 when the worker cannot start (bad worker
//! file, unreachable broker, listener in use), 3 when a connector file cannot be read or its
//! connector cannot be created; 0 after a clean shutdown on SIGINT/SIGTERM.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use clap::Args;
use connect_api::plugin::ConfigMap;
use connect_rest::StandaloneHerder;
use connect_runtime::config::WorkerConfig;
use connect_runtime::config_providers::ConfigTransformer;
use connect_runtime::standalone::StandaloneWorker;
use connect_runtime::target::TargetState;
use kafka::embedded::EmbeddedBroker;

use crate::config_file;

/// The value of `bootstrap.servers` that starts the embedded broker.
pub const EMBEDDED: &str = "embedded";

/// Arguments of `ferry standalone`.
#[derive(Args, Debug)]
pub struct StandaloneArgs {
    /// The worker config (`.properties`).
    worker: PathBuf,
    /// Connector configs (`.properties` or JSON), started in order.
    connectors: Vec<PathBuf>,
}

/// Why the worker stopped.
#[derive(Debug)]
pub enum Exit {
    /// The worker could not start (exit code 2).
    Worker(String),
    /// A connector file or connector failed (exit code 3).
    Connector(String),
}

impl Exit {
    /// The process exit code.
    pub fn code(&self) -> u8 {
        match self {
            Exit::Worker(_) => 2,
            Exit::Connector(_) => 3,
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        match self {
            Exit::Worker(m) | Exit::Connector(m) => m,
        }
    }
}

/// A worker that runs: its REST address and a handle to stop it.
pub struct Running {
    /// The worker.
    pub worker: Arc<StandaloneWorker>,
    /// The bound REST addresses.
    pub rest: Vec<std::net::SocketAddr>,
    /// The embedded broker, when `bootstrap.servers=embedded`.
    pub broker: Option<EmbeddedBroker>,
    server: tokio::task::JoinHandle<()>,
    stop_rest: tokio_util::sync::CancellationToken,
}

impl Running {
    /// Stops the connectors (within `task.shutdown.graceful.timeout.ms`), then the REST API
    /// and the embedded broker.
    pub async fn stop(self) {
        self.worker.stop().await;
        self.stop_rest.cancel();
        let _ = self.server.await;
        drop(self.broker);
    }
}

/// The topics connector configs name (`topic`, `topics`).
fn named_topics(connectors: &[(ConfigMap, TargetState)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (c, _) in connectors {
        for key in ["topic", "topics"] {
            if let Some(v) = c.get(key) {
                for t in v.split(',').map(str::trim).filter(|t| !t.is_empty()) {
                    if !out.iter().any(|o| o == t) {
                        out.push(t.to_string());
                    }
                }
            }
        }
    }
    out
}

/// Starts a worker with `worker_config` and the connectors of `connectors` (configs, in
/// their initial states).
pub async fn start(
    mut worker_config: ConfigMap,
    connectors: Vec<(ConfigMap, TargetState)>,
) -> Result<Running, Exit> {
    let broker = match worker_config.get("bootstrap.servers").map(|s| s.trim()) {
        Some(EMBEDDED) => {
            let b = EmbeddedBroker::start().map_err(|e| Exit::Worker(e.to_string()))?;
            tracing::warn!(
                "bootstrap.servers=embedded: using an in-memory broker at {} (for trying Ferry, not for production)",
                b.bootstrap_servers()
            );
            worker_config.insert(
                "bootstrap.servers".into(),
                b.bootstrap_servers().to_string(),
            );
            Some(b)
        }
        _ => None,
    };
    if let Some(b) = &broker {
        // as a Kafka broker auto-creates topics with num.partitions=1
        for topic in named_topics(&connectors) {
            b.create_topic(&topic, 1)
                .map_err(|e| Exit::Worker(e.to_string()))?;
        }
    }
    // the worker's own config provider references are resolved once, at start
    let worker_config = ConfigTransformer::from_worker_config(&worker_config)
        .and_then(|t| t.transform(&worker_config))
        .map_err(|e| Exit::Worker(e.to_string()))?;
    let config =
        WorkerConfig::standalone(&worker_config).map_err(|e| Exit::Worker(e.to_string()))?;
    let bound = connect_rest::bind_listeners(&config.listeners)
        .await
        .map_err(|e| Exit::Worker(e.to_string()))?;
    let rest: Vec<_> = bound.iter().map(|(_, a)| *a).collect();
    let port = config
        .advertised_port
        .or_else(|| rest.first().map(|a| a.port()))
        .unwrap_or(8083);
    let host = config
        .advertised_host
        .clone()
        .unwrap_or_else(crate::serving::hostname);
    let worker_id = format!("{host}:{port}");

    let cluster_id = crate::serving::cluster_id(&config.client_base())
        .await
        .map_err(Exit::Worker)?;
    let worker = Arc::new(
        StandaloneWorker::new(config, crate::plugins::all(), worker_id)
            .map_err(|e| Exit::Worker(e.to_string()))?,
    );
    tokio::spawn(Arc::clone(&worker).serve_task_reconfigurations());
    let ready = Arc::new(AtomicBool::new(false));
    let herder = Arc::new(StandaloneHerder {
        worker: Arc::clone(&worker),
        info: crate::serving::server_info(cluster_id),
        ready: Arc::clone(&ready),
        log_levels: crate::loggers::current(),
    });
    let (server, stop_rest) = crate::serving::serve(bound, connect_rest::router(herder));
    tracing::info!(
        "Ferry worker {} started; REST API on {}",
        worker.worker_id(),
        rest.iter()
            .map(|a| format!("http://{a}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let running = Running {
        worker: Arc::clone(&worker),
        rest,
        broker,
        server,
        stop_rest,
    };
    for (config, initial) in connectors {
        if let Err(e) = worker.start_connector(config, initial).await {
            running.stop().await;
            return Err(Exit::Connector(format!(
                "Stopping after connector error: {e}"
            )));
        }
    }
    ready.store(true, Ordering::Relaxed);
    Ok(running)
}

/// Waits for SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

/// Runs the command until a signal stops it.
pub async fn run(args: &StandaloneArgs) -> Result<(), Exit> {
    let worker =
        config_file::load_properties(&args.worker).map_err(|e| Exit::Worker(e.to_string()))?;
    let mut connectors = Vec::with_capacity(args.connectors.len());
    for path in &args.connectors {
        let file = config_file::load_connector(path).map_err(|e| Exit::Connector(e.to_string()))?;
        connectors.push((file.config, file.initial_state.unwrap_or_default()));
    }
    let running = start(worker, connectors).await?;
    shutdown_signal().await;
    tracing::info!("Ferry worker stopping");
    running.stop().await;
    tracing::info!("Ferry worker stopped");
    Ok(())
}
