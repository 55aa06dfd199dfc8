//! Kafka Connect's REST API over a [`Herder`]: the same paths, JSON shapes, status codes and
//! `{"error_code","message"}` bodies. Served so far: `GET /`, `GET /health`, the connectors
//! (list with `expand`, create, info, config get/put/patch, status, tasks, task status,
//! restart, task restart, pause, resume, stop, delete, offsets), and the connector plugins (list, keys,
//! config validation), and `/admin/loggers`. Secrets in configs are shown as
//! `[hidden]`.

mod body;
mod distributed_herder;
mod entities;
mod forward;
mod herder;
mod listener;
mod loggers;
mod offset_routes;
mod plugin_routes;
mod routes;
mod writes;

pub use distributed_herder::DistributedHerder;
pub use herder::{Herder, ServerInfo, StandaloneHerder};
pub use listener::{bind_listeners, ListenerError};
pub use loggers::{LevelError, LogLevels, LoggerLevel};
pub use routes::router;
