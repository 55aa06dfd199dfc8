//! Forwarding in a cluster, as Kafka's `RestServer` does it: a request that changes
//! connectors goes to the leader (and a task restart to the worker running the task), which
//! answers it; the answer goes back to the client as it came. A forwarded request carries
//! `forward=true` on its first hop and `forward=false` on its second, so a request never
//! travels more than two hops; with `forward=false` the receiving worker serves it itself
//! (and answers 409 if it cannot).

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use connect_runtime::distributed::request_signing::{SIGNATURE_ALGORITHM_HEADER, SIGNATURE_HEADER};
use http_body_util::BodyExt;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

use crate::body::error;
use crate::routes::Shared;

/// The largest request body forwarded.
const MAX_BODY: usize = 16 * 1024 * 1024;

/// How long a forwarded request may take (Kafka's 90 s request timeout).
const FORWARD_TIMEOUT: Duration = Duration::from_secs(90);

/// Where a request must be served: `None` here, else the base URL of the worker to forward
/// it to (`Err` when it must be forwarded but no leader is known).
fn target(h: &Shared, method: &Method, path: &str) -> Option<Result<String, ()>> {
    if method == Method::GET || method == Method::HEAD || method == Method::OPTIONS {
        return None;
    }
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    match parts.as_slice() {
        ["connectors", name, "tasks", task, "restart"] => {
            let task: u32 = task.parse().ok()?;
            h.task_owner(&percent_decode(name), task).map(Ok)
        }
        ["connectors", ..] => {
            if h.is_leader() {
                None
            } else {
                Some(h.leader_url().ok_or(()))
            }
        }
        _ => None,
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The `forward` query parameter: `None` when absent.
fn forward_param(uri: &Uri) -> Option<bool> {
    uri.query()?.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        (k == "forward").then(|| !v.eq_ignore_ascii_case("false"))
    })
}

/// The query with `forward` set to `next`.
fn query_with_forward(uri: &Uri, next: bool) -> String {
    let mut pairs: Vec<&str> = uri
        .query()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("forward=") && *p != "forward")
        .collect();
    let forward = format!("forward={next}");
    pairs.push(&forward);
    pairs.join("&")
}

/// The middleware: forwards what another worker must serve.
pub async fn forward(State(h): State<Shared>, request: Request, next: Next) -> Response {
    let Some(target) = target(&h, request.method(), request.uri().path()) else {
        return next.run(request).await;
    };
    let param = forward_param(request.uri());
    if param == Some(false) {
        // the last hop: this worker answers, 409 if it cannot
        return next.run(request).await;
    }
    let Ok(base) = target else {
        return error(
            StatusCode::CONFLICT,
            connect_runtime::distributed::requests::NOT_LEADER,
        );
    };
    // the first hop may take one more (the leader may have changed), the second may not
    let next_forward = param.is_none();
    let url = format!(
        "{}{}?{}",
        base.trim_end_matches('/'),
        request.uri().path(),
        query_with_forward(request.uri(), next_forward)
    );
    match proxy(request, &url).await {
        Ok(response) => response,
        Err(message) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("Error trying to forward REST request: {message}"),
        ),
    }
}

async fn proxy(request: Request, url: &str) -> Result<Response, String> {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, MAX_BODY)
        .await
        .map_err(|e| e.to_string())?;
    let mut outgoing = hyper_util::client::legacy::connect::HttpConnector::new();
    outgoing.set_connect_timeout(Some(Duration::from_secs(10)));
    let client: Client<_, Body> = Client::builder(TokioExecutor::new()).build(outgoing);
    let mut builder = axum::http::Request::builder()
        .method(parts.method.clone())
        .uri(url);
    // the KIP-507 signature goes along with the body it signs
    for name in [
        axum::http::header::CONTENT_TYPE.as_str(),
        axum::http::header::ACCEPT.as_str(),
        axum::http::header::HOST.as_str(),
        axum::http::header::AUTHORIZATION.as_str(),
        SIGNATURE_HEADER,
        SIGNATURE_ALGORITHM_HEADER,
    ] {
        if let Some(v) = parts.headers.get(name) {
            builder = builder.header(name, v);
        }
    }
    let outgoing = builder.body(Body::from(body)).map_err(|e| e.to_string())?;
    tracing::debug!("forwarding {} {} to {url}", parts.method, parts.uri.path());
    let answer = tokio::time::timeout(FORWARD_TIMEOUT, client.request(outgoing))
        .await
        .map_err(|_| format!("no answer from {url} within {FORWARD_TIMEOUT:?}"))?
        .map_err(|e| format!("{url}: {e}"))?;
    let (parts, body) = answer.into_parts();
    let bytes = body
        .collect()
        .await
        .map_err(|e| format!("{url}: {e}"))?
        .to_bytes();
    let mut response = (parts.status, bytes).into_response();
    for (name, value) in parts.headers.iter() {
        if name == axum::http::header::CONTENT_TYPE || name == axum::http::header::LOCATION {
            response.headers_mut().insert(name.clone(), value.clone());
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forward_parameter_counts_hops() {
        let uri: Uri = "/connectors/a/restart?includeTasks=true"
            .parse()
            .unwrap_or_default();
        assert_eq!(forward_param(&uri), None);
        assert_eq!(
            query_with_forward(&uri, true),
            "includeTasks=true&forward=true"
        );
        let uri: Uri = "/connectors?forward=true".parse().unwrap_or_default();
        assert_eq!(forward_param(&uri), Some(true));
        assert_eq!(query_with_forward(&uri, false), "forward=false");
        let uri: Uri = "/connectors?forward=false".parse().unwrap_or_default();
        assert_eq!(forward_param(&uri), Some(false));
    }

    #[test]
    fn names_in_paths_are_decoded() {
        assert_eq!(percent_decode("my%20conn"), "my conn");
        assert_eq!(percent_decode("a%2"), "a%2");
        assert_eq!(percent_decode("plain"), "plain");
    }
}
