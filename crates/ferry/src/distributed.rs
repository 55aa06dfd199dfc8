//! `ferry distributed WORKER_FILE`: a member of a worker cluster, as Kafka's
//! `connect-distributed.sh`. Workers with one `group.id` share the connectors and tasks
//! kept in the config topic; offsets and statuses live in their topics too.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use connect_rest::DistributedHerder;
use connect_runtime::config::distributed::InternalTopic;
use connect_runtime::config::DistributedConfig;
use connect_runtime::config_providers::ConfigTransformer;
use connect_runtime::distributed::config_log::ConfigLog;
use connect_runtime::distributed::herder::{DistributedWorker, WorkerParts};
use connect_runtime::distributed::offset_store::KafkaOffsetStore;
use connect_runtime::distributed::status_log::StatusLog;
use connect_runtime::offsets::OffsetCodec;
use connect_runtime::status::StatusBoard;
use kafka::admin::{Admin, TopicSpec};
use kafka::group_member::GroupSettings;
use kafka::topic_writer::worker_client_settings;
use tokio_util::sync::CancellationToken;

use crate::config_file;
use crate::standalone::{shutdown_signal, Exit};

/// `ferry distributed` arguments.
#[derive(Args, Debug)]
pub struct DistributedArgs {
    /// The worker's properties file (`group.id`, the three storage topics, …).
    worker: PathBuf,
}

fn worker_error(e: impl std::fmt::Display) -> Exit {
    Exit::Worker(e.to_string())
}

/// Creates the internal topics that are missing (compacted, with their partitions and
/// replication factors); existing ones are checked when they are opened.
async fn create_internal_topics(config: &DistributedConfig) -> Result<(), Exit> {
    let settings = worker_client_settings(&config.worker.client_base(), "connect-admin");
    let admin = Arc::new(Admin::new(&settings).map_err(worker_error)?);
    for (topic, what) in [
        (&config.config_topic, "config.storage.topic"),
        (&config.offset_topic, "offset.storage.topic"),
        (&config.status_topic, "status.storage.topic"),
    ] {
        // as Kafka's TopicAdmin: look first, create only what is missing
        let (asker, name) = (Arc::clone(&admin), topic.name.clone());
        let exists =
            tokio::task::spawn_blocking(move || asker.topic_exists(&name, Duration::from_secs(10)))
                .await
                .map_err(worker_error)?
                .map_err(worker_error)?;
        if exists {
            continue;
        }
        let spec = spec(topic);
        let created = admin.create_topic(&spec).await.map_err(|e| {
            Exit::Worker(format!("could not create the {what} '{}': {e}", topic.name))
        })?;
        if created {
            tracing::info!(
                "created the {what} '{}' ({} partition(s), compacted)",
                topic.name,
                topic.partitions
            );
        }
    }
    tokio::task::spawn_blocking(move || drop(admin));
    Ok(())
}

fn spec(topic: &InternalTopic) -> TopicSpec {
    TopicSpec {
        name: topic.name.clone(),
        partitions: topic.partitions,
        replication_factor: i32::from(topic.replication_factor),
        configs: topic.configs.clone(),
    }
}

/// Runs the worker until a signal stops it.
pub async fn run(args: &DistributedArgs) -> Result<(), Exit> {
    let raw = config_file::load_properties(&args.worker).map_err(worker_error)?;
    let raw = ConfigTransformer::from_worker_config(&raw)
        .and_then(|t| t.transform(&raw))
        .map_err(worker_error)?;
    let config = Arc::new(DistributedConfig::parse(&raw).map_err(worker_error)?);
    let bound = connect_rest::bind_listeners(&config.worker.listeners)
        .await
        .map_err(worker_error)?;
    let rest: Vec<_> = bound.iter().map(|(_, a)| *a).collect();
    let port = config
        .worker
        .advertised_port
        .or_else(|| rest.first().map(|a| a.port()))
        .unwrap_or(8083);
    let host = config
        .worker
        .advertised_host
        .clone()
        .unwrap_or_else(crate::serving::hostname);
    let worker_id = format!("{host}:{port}");
    let url = format!("http://{host}:{port}/");

    let cluster_id = crate::serving::cluster_id(&config.worker.client_base())
        .await
        .map_err(Exit::Worker)?;
    create_internal_topics(&config).await?;

    let stop = CancellationToken::new();
    let timeout = config.request_timeout.max(Duration::from_secs(5));
    let settings = worker_client_settings(
        &config.worker.client_base(),
        &format!("connect-{worker_id}"),
    );
    let codec = Arc::new(OffsetCodec::new().map_err(worker_error)?);
    let config_log = ConfigLog::open(
        &settings,
        &config.config_topic.name,
        Arc::clone(&codec),
        timeout,
    )
    .await
    .map_err(worker_error)?;
    let status_log = StatusLog::start(
        &settings,
        &config.status_topic.name,
        Arc::clone(&codec),
        timeout,
        stop.clone(),
    )
    .await
    .map_err(worker_error)?;
    let (offset_settings, offset_topic) = (settings.clone(), config.offset_topic.name.clone());
    let offsets = tokio::task::spawn_blocking(move || {
        KafkaOffsetStore::open(&offset_settings, &offset_topic, timeout)
    })
    .await
    .map_err(worker_error)?
    .map_err(worker_error)?;
    let status = StatusBoard::observed(status_log.observer());
    let group = GroupSettings {
        bootstrap: config
            .worker
            .bootstrap_servers
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        group_id: config.group_id.clone(),
        client_id: format!("connect-{worker_id}"),
        protocol_type: "connect".into(),
        session_timeout: config.session_timeout,
        rebalance_timeout: config.rebalance_timeout,
        request_timeout: config.request_timeout,
        retry_backoff: config.retry_backoff,
    };
    let worker = DistributedWorker::new(WorkerParts {
        config: Arc::clone(&config),
        plugins: crate::plugins::all(),
        transformer: ConfigTransformer::from_worker_config(&raw).map_err(worker_error)?,
        worker_id: worker_id.clone(),
        url,
        codec,
        config_log,
        status_log,
        offsets: Arc::new(offsets),
        status,
        group,
    })
    .map_err(worker_error)?;
    let ready = Arc::new(AtomicBool::new(true));
    let herder = Arc::new(DistributedHerder {
        worker: Arc::clone(&worker),
        info: crate::serving::server_info(cluster_id),
        ready: Arc::clone(&ready),
        log_levels: crate::loggers::current(),
    });
    let (server, stop_rest) = crate::serving::serve(bound, connect_rest::router(herder));
    tracing::info!(
        "Ferry worker {worker_id} of group {} started; REST API on {}",
        config.group_id,
        rest.iter()
            .map(|a| format!("http://{a}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut running = tokio::spawn(Arc::clone(&worker).run(stop.clone()));
    let ended = tokio::select! {
        _ = shutdown_signal() => None,
        ended = &mut running => Some(ended),
    };
    tracing::info!("Ferry worker stopping");
    // the loop stops the connectors and tasks and leaves the group
    stop.cancel();
    let ended = match ended {
        Some(ended) => ended,
        None => running.await,
    };
    stop_rest.cancel();
    let _ = server.await;
    let result = match ended {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(Exit::Worker(e.to_string())),
        Err(e) => Err(Exit::Worker(format!("the worker stopped: {e}"))),
    };
    tracing::info!("Ferry worker stopped");
    result
}
