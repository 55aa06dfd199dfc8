//! A `ferry standalone` process for end-to-end tests, and a minimal HTTP client for its REST
//! API (HTTP/1.0, one request per connection).
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[allow(unused_imports)] // not every test binary uses it
pub use testkit::unique_name as unique;

/// A TCP port free now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Writes `dir/name`.
pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Writes `dir/worker.properties` for a worker on `bootstrap` with its REST API on `port`:
/// String converters, offsets in `dir/connect.offsets` flushed every `flush_ms`, and consumer
/// settings for quick tests (sinks subscribe before their source creates the topic, and
/// librdkafka looks for a missing subscribed topic again only at its metadata refresh, every
/// 5 minutes by default), then the `extra` lines.
pub fn worker_file(dir: &Path, bootstrap: &str, port: u16, flush_ms: u64, extra: &str) -> PathBuf {
    write(
        dir,
        "worker.properties",
        &format!(
            "bootstrap.servers={bootstrap}\n\
key.converter=org.apache.kafka.connect.storage.StringConverter\n\
value.converter=org.apache.kafka.connect.storage.StringConverter\n\
offset.storage.file.filename={}\n\
offset.flush.interval.ms={flush_ms}\n\
listeners=http://127.0.0.1:{port}\n\
consumer.session.timeout.ms=6000\n\
consumer.heartbeat.interval.ms=500\n\
consumer.topic.metadata.refresh.interval.ms=1000\n{extra}",
            dir.join("connect.offsets").display()
        ),
    )
}

/// An HTTP response.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    /// A header's value (name in any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request to `127.0.0.1:port`; `None` when nothing answers.
pub fn http(port: u16, method: &str, path: &str, body: Option<&str>) -> Option<Response> {
    http_with(port, method, path, &[], body)
}

/// [`http`] with extra request headers.
pub fn http_with(
    port: u16,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&str>,
) -> Option<Response> {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(60))).ok()?;
    let mut request = format!("{method} {path} HTTP/1.0\r\nHost: localhost:{port}\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(b) = body {
        request.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body.unwrap_or(""));
    s.write_all(request.as_bytes()).ok()?;
    let mut out = String::new();
    std::io::Read::read_to_string(&mut s, &mut out).ok()?;
    let (head, body) = out.split_once("\r\n\r\n")?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Some(Response {
        status,
        headers,
        body: body.to_string(),
    })
}

/// A running `ferry standalone`.
pub struct Worker {
    child: Child,
    pub port: u16,
    log: PathBuf,
}

impl Worker {
    /// Starts `ferry standalone FILES…` (its stderr goes to `dir/log_name`) and waits until
    /// its REST API answers.
    pub fn start(dir: &Path, files: &[&Path], port: u16, log_name: &str) -> Worker {
        Worker::spawn("standalone", dir, files, port, log_name)
    }

    /// Starts `ferry distributed FILE` (its stderr goes to `dir/log_name`) and waits until
    /// its REST API answers.
    pub fn start_distributed(dir: &Path, file: &Path, port: u16, log_name: &str) -> Worker {
        Worker::spawn("distributed", dir, &[file], port, log_name)
    }

    fn spawn(mode: &str, dir: &Path, files: &[&Path], port: u16, log_name: &str) -> Worker {
        let log = dir.join(log_name);
        let child = Command::new(env!("CARGO_BIN_EXE_ferry"))
            .arg(mode)
            .args(files)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let w = Worker { child, port, log };
        w.wait_for_rest();
        w
    }

    /// `GET path`: the body.
    pub fn get(&self, path: &str) -> Option<String> {
        http(self.port, "GET", path, None).map(|r| r.body)
    }

    /// Any request.
    pub fn call(&self, method: &str, path: &str, body: Option<&str>) -> Response {
        http(self.port, method, path, body)
            .unwrap_or_else(|| panic!("{method} {path}: no answer\n{}", self.log_text()))
    }

    fn wait_for_rest(&self) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self
                .get("/")
                .is_some_and(|b| b.contains("kafka_cluster_id"))
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("the worker did not answer GET /: {}", self.log_text());
    }

    /// Waits until `GET /connectors/{connector}/status` satisfies `ok`; returns that body.
    pub fn wait_status(&self, connector: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(60);
        let path = format!("/connectors/{connector}/status");
        let mut last = String::new();
        while Instant::now() < deadline {
            if let Some(body) = self.get(&path) {
                if ok(&body) {
                    return body;
                }
                last = body;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "{connector} did not reach the state awaited: {last}\n{}",
            self.log_text()
        );
    }

    /// Waits until the connector and its (first) task run.
    pub fn wait_running(&self, connector: &str) {
        self.wait_status(connector, |b| {
            b.contains(r#""tasks":[{"id":0,"state":"RUNNING""#)
        });
    }

    /// The worker's log so far.
    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGTERM, then the exit code.
    pub fn terminate(mut self) -> i32 {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-TERM", &pid]).status().unwrap();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(
                Instant::now() < deadline,
                "the worker did not stop on SIGTERM"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL.
    pub fn kill9(mut self) {
        self.child.kill().unwrap(); // SIGKILL
        let _ = self.child.wait();
    }
}

/// A test that fails midway must not leave its worker running.
impl Drop for Worker {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}
