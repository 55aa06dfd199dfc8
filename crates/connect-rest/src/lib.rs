//! Kafka Connect's REST API over a [`Herder`]: the same paths, JSON shapes, status codes and
//! `{"error_code","message"}` bodies. So far the read-only endpoints a standalone worker
//! needs: `GET /`, `GET /health`, `GET /connectors` (with `expand`), and per connector its
//! info, config, status, tasks and task status. Secrets in configs are shown as `[hidden]`.

mod entities;
mod listener;
mod routes;

pub use listener::{bind_listeners, ListenerError};
pub use routes::{router, Herder, ServerInfo, StandaloneHerder};
