//! A golden transcript of REST requests and responses, and the helpers of the REST
//! end-to-end tests (`tests/rest.rs`).
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::Path;
use std::time::{Duration, Instant};

use super::worker::{Response, Worker};

/// Records requests and responses with the run's variable parts replaced by placeholders.
pub struct Transcript<'a> {
    pub worker: &'a Worker,
    pub replacements: Vec<(String, &'static str)>,
    pub text: String,
    /// Every response body, as served.
    pub responses: String,
}

impl<'a> Transcript<'a> {
    fn normalize(&self, s: &str) -> String {
        let mut out = s.to_string();
        for (from, to) in &self.replacements {
            out = out.replace(from.as_str(), to);
        }
        out
    }

    /// Sends a request, records it and its response, and checks the status.
    pub fn step(
        &mut self,
        title: &str,
        method: &str,
        path: &str,
        body: Option<&str>,
        status: u16,
    ) -> Response {
        let r = self.worker.call(method, path, body);
        self.responses.push_str(&r.body);
        self.text
            .push_str(&format!("### {title}\n{method} {}\n", self.normalize(path)));
        if let Some(b) = body {
            self.text.push_str(&format!("{}\n", self.normalize(b)));
        }
        self.text.push_str(&format!("-> {}", r.status));
        if let Some(l) = r.header("location") {
            self.text
                .push_str(&format!(" Location: {}", self.normalize(l)));
        }
        self.text.push('\n');
        if !r.body.is_empty() {
            self.text
                .push_str(&format!("{}\n", self.normalize(&r.body)));
        }
        self.text.push('\n');
        assert_eq!(
            r.status,
            status,
            "{method} {path}: {}\n{}",
            r.body,
            self.worker.log_text()
        );
        r
    }

    /// Compares with the golden file (or writes it with `FERRY_BLESS=1`).
    pub fn check(&self, golden: &Path) {
        if std::env::var("FERRY_BLESS").is_ok_and(|v| v == "1") {
            std::fs::write(golden, &self.text).unwrap();
            return;
        }
        let want = std::fs::read_to_string(golden).unwrap_or_default();
        if want == self.text {
            return;
        }
        let (got_lines, want_lines): (Vec<&str>, Vec<&str>) =
            (self.text.lines().collect(), want.lines().collect());
        let at = got_lines
            .iter()
            .zip(&want_lines)
            .position(|(g, w)| g != w)
            .unwrap_or(got_lines.len().min(want_lines.len()));
        panic!(
            "the REST transcript differs from {} at line {}:\n  got:  {}\n  want: {}\n(FERRY_BLESS=1 rewrites the golden file)\nwhole transcript:\n{}",
            golden.display(),
            at + 1,
            got_lines.get(at).unwrap_or(&"<end>"),
            want_lines.get(at).unwrap_or(&"<end>"),
            self.text
        );
    }
}

pub fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_string())
}

pub fn append_lines(file: &Path, from: usize, to: usize) -> Vec<String> {
    use std::io::Write;
    let lines: Vec<String> = (from..to).map(|i| format!("line {i:05}")).collect();
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(file)
        .unwrap();
    for l in &lines {
        writeln!(f, "{l}").unwrap();
    }
    lines
}

pub fn lines_of(file: &Path) -> Vec<String> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect()
}

pub fn wait_lines(w: &Worker, file: &Path, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while lines_of(file).len() < n {
        assert!(
            Instant::now() < deadline,
            "{} of {n} lines arrived\n{}",
            lines_of(file).len(),
            w.log_text()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub fn running(body: &str) -> bool {
    body.contains(r#""connector":{"state":"RUNNING""#)
        && body.contains(r#""tasks":[{"id":0,"state":"RUNNING""#)
}
