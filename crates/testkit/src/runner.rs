//! Running a folder of cases and reporting agreement per area.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use regex::Regex;

use crate::case::{area_of, load_dir, Case};
use crate::divergences::Divergences;
use crate::ops::run_op;
use crate::out::{clip, node_text};
use crate::outcome::{Failure, Outcome};
use crate::schema_json::Ctx;
use crate::verdict::{is_data_error, judge, outcome_text, Verdict};

/// What to run.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Only areas this pattern matches entirely (`values`, `json_.*`); all when `None`.
    pub area: Option<Regex>,
    /// The deliberate divergences.
    pub divergences: Divergences,
}

impl RunOptions {
    /// Options with an area pattern (matched against the whole area name) and the runner's
    /// built-in divergence list.
    pub fn new(area: Option<&str>) -> anyhow::Result<RunOptions> {
        Ok(RunOptions {
            area: area.map(area_regex).transpose()?,
            divergences: Divergences::builtin(),
        })
    }

    fn includes(&self, area: &str) -> bool {
        self.area.as_ref().is_none_or(|re| re.is_match(area))
    }
}

/// Compiles an area pattern so that it must match the whole area name.
pub fn area_regex(pattern: &str) -> anyhow::Result<Regex> {
    Ok(Regex::new(&format!("^(?:{pattern})$"))?)
}

/// How one case came out, divergence list applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Ferry agrees with Kafka.
    Agree,
    /// Ferry agrees, but the case is still listed as a divergence (warning).
    StaleDivergence,
    /// A listed divergence, and Ferry raises a data error as the policy requires.
    ListedDivergence,
    /// A listed divergence, but Ferry does not raise a data error (failure).
    ListedNotDataError,
    /// Ferry disagrees (failure).
    Disagree,
    /// The runner or the Ferry code it needs is not implemented yet (failure).
    NotImplemented,
    /// The case could not be run (failure).
    Invalid,
}

impl Status {
    /// Whether the case makes the run fail.
    pub fn is_failure(self) -> bool {
        matches!(
            self,
            Status::ListedNotDataError
                | Status::Disagree
                | Status::NotImplemented
                | Status::Invalid
        )
    }

    /// Whether the case counts as an agreement.
    pub fn is_agree(self) -> bool {
        matches!(self, Status::Agree | Status::StaleDivergence)
    }
}

/// The result of one case.
#[derive(Debug, Clone)]
pub struct CaseResult {
    /// The case id.
    pub id: String,
    /// Its area.
    pub area: String,
    /// `file:line`.
    pub location: String,
    /// The verdict before the divergence list is applied.
    pub verdict: Verdict,
    /// The status after it is applied.
    pub status: Status,
    /// The listed reason, if the case is a listed divergence.
    pub listed: Option<String>,
    /// The case input, as JSON text.
    pub input: String,
    /// The expected output, as JSON text.
    pub expected: String,
    /// What Ferry produced (output JSON or its error).
    pub actual: String,
}

/// The results of a run.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every case that was run, in file order.
    pub results: Vec<CaseResult>,
    /// Warnings (stale divergences, listed ids not found, duplicate ids).
    pub warnings: Vec<String>,
    /// Problems of the divergence list (they make the run fail).
    pub list_problems: Vec<String>,
}

/// Per-area counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Cases run.
    pub total: usize,
    /// Agreements (stale divergences included).
    pub agree: usize,
    /// Listed divergences with a Ferry data error.
    pub listed: usize,
    /// Not implemented.
    pub not_implemented: usize,
    /// Invalid cases.
    pub invalid: usize,
    /// Stale divergences.
    pub stale: usize,
    /// Listed divergences where Ferry does not raise a data error.
    pub listed_bad: usize,
}

impl Counts {
    fn add(&mut self, status: Status) {
        self.total += 1;
        match status {
            Status::Agree => self.agree += 1,
            Status::StaleDivergence => {
                self.agree += 1;
                self.stale += 1;
            }
            Status::ListedDivergence => self.listed += 1,
            Status::NotImplemented => self.not_implemented += 1,
            Status::Invalid => self.invalid += 1,
            Status::ListedNotDataError => self.listed_bad += 1,
            Status::Disagree => {}
        }
    }

    /// `AGREE/TOTAL agree`, with details in parentheses when there are any.
    pub fn line(&self, name: &str) -> String {
        let mut line = format!("{name}: {}/{} agree", self.agree, self.total);
        let details: Vec<String> = [
            (self.listed, "listed divergence", "listed divergences"),
            (self.not_implemented, "not implemented", "not implemented"),
            (self.invalid, "invalid case", "invalid cases"),
            (self.stale, "stale divergence", "stale divergences"),
            (
                self.listed_bad,
                "listed divergence without a data error",
                "listed divergences without a data error",
            ),
        ]
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
        if !details.is_empty() {
            let _ = write!(line, " ({})", details.join(", "));
        }
        line
    }
}

impl Report {
    /// Counts per area, sorted by area name.
    pub fn by_area(&self) -> BTreeMap<&str, Counts> {
        let mut areas: BTreeMap<&str, Counts> = BTreeMap::new();
        for r in &self.results {
            areas.entry(r.area.as_str()).or_default().add(r.status);
        }
        areas
    }

    /// Counts over all areas.
    pub fn totals(&self) -> Counts {
        let mut c = Counts::default();
        for r in &self.results {
            c.add(r.status);
        }
        c
    }

    /// One `AREA: AGREE/TOTAL agree` line per area, then the `total:` line.
    pub fn summary_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .by_area()
            .iter()
            .map(|(area, c)| c.line(area))
            .collect();
        lines.push(self.totals().line("total"));
        lines
    }

    /// The cases that make the run fail.
    pub fn failures(&self) -> Vec<&CaseResult> {
        self.results
            .iter()
            .filter(|r| r.status.is_failure())
            .collect()
    }

    /// Whether every case agrees or is a listed divergence, and the list is well-formed.
    pub fn success(&self) -> bool {
        self.list_problems.is_empty() && self.results.iter().all(|r| !r.status.is_failure())
    }

    /// A readable account of every case that does not simply agree (at most `per_area`
    /// failures per area; listed divergences and not-implemented cases take one line each).
    pub fn details(&self, per_area: Option<usize>) -> String {
        let mut out = String::new();
        let mut shown: BTreeMap<&str, usize> = BTreeMap::new();
        let mut hidden = 0usize;
        for r in &self.results {
            if r.status == Status::Agree {
                continue;
            }
            let n = shown.entry(r.area.as_str()).or_default();
            if per_area.is_some_and(|max| *n >= max) {
                hidden += 1;
                continue;
            }
            *n += 1;
            let listed = r.listed.as_deref().unwrap_or("");
            let _ = match r.status {
                Status::Agree => Ok(()),
                Status::StaleDivergence => writeln!(
                    out,
                    "STALE DIVERGENCE {} ({}): agrees now; listed as: {listed}",
                    r.id, r.location
                ),
                Status::ListedDivergence => writeln!(
                    out,
                    "LISTED DIVERGENCE {} ({}): {listed}\n  actual:   {}",
                    r.id,
                    r.location,
                    clip(&r.actual, 400)
                ),
                Status::NotImplemented => {
                    writeln!(
                        out,
                        "NOT IMPLEMENTED {} ({}): {}",
                        r.id, r.location, r.verdict
                    )
                }
                Status::Invalid if r.input.is_empty() => {
                    writeln!(out, "INVALID {} ({}): {}", r.id, r.location, r.verdict)
                }
                Status::Invalid => writeln!(
                    out,
                    "INVALID {} ({}): {}\n  case:     {}",
                    r.id,
                    r.location,
                    r.verdict,
                    clip(&r.input, 2000)
                ),
                Status::Disagree | Status::ListedNotDataError => {
                    let head = if r.status == Status::Disagree {
                        "DISAGREE"
                    } else {
                        "LISTED DIVERGENCE WITHOUT A DATA ERROR"
                    };
                    writeln!(
                        out,
                        "{head} {} ({})\n  reason:   {}\n  case:     {}\n  expected: {}\n  actual:   {}",
                        r.id,
                        r.location,
                        r.verdict,
                        clip(&r.input, 2000),
                        clip(&r.expected, 2000),
                        clip(&r.actual, 2000)
                    )
                }
            };
        }
        if hidden > 0 {
            let _ = writeln!(out, "... {hidden} more not shown");
        }
        out
    }
}

/// Runs every case of `dir` that the options select.
pub fn run_dir(dir: &Path, opts: &RunOptions) -> anyhow::Result<Report> {
    let cases = load_dir(dir)?;
    Ok(run_cases(&cases, opts, &dir.display().to_string()))
}

/// Runs the given cases (`source` names them in warnings).
pub fn run_cases(cases: &[Case], opts: &RunOptions, source: &str) -> Report {
    let ctx = Ctx::new();
    let mut report = Report {
        list_problems: opts.divergences.problems.clone(),
        ..Report::default()
    };
    let mut seen = BTreeSet::new();
    for case in cases.iter().filter(|c| opts.includes(&c.area)) {
        if !seen.insert(case.id.as_str()) {
            report.warnings.push(format!(
                "duplicate case id {} at {}",
                case.id,
                case.location()
            ));
        }
        report.results.push(run_case(&ctx, case, &opts.divergences));
    }
    for r in &report.results {
        if r.status == Status::StaleDivergence {
            report.warnings.push(format!(
                "stale divergence: {} agrees with Kafka now; remove it from golden-divergences.txt",
                r.id
            ));
        }
    }
    for id in opts.divergences.entries.keys() {
        let selected = area_of(id).is_some_and(|a| opts.includes(a));
        if selected && !seen.contains(id.as_str()) {
            report.warnings.push(format!(
                "listed divergence {id} is not among the cases of {source}"
            ));
        }
    }
    report
}

/// Runs one case through Ferry (a panic is caught and reported) and judges it.
pub fn run_case(ctx: &Ctx, case: &Case, divergences: &Divergences) -> CaseResult {
    let listed = divergences.reason(&case.id).map(str::to_string);
    let (verdict, outcome, input, expected) = match &case.body {
        Err(reason) => (
            Verdict::Invalid(reason.clone()),
            None,
            String::new(),
            String::new(),
        ),
        Ok(body) => {
            let outcome = run_guarded(ctx, &body.input);
            (
                judge(&body.expected, &outcome),
                Some(outcome),
                node_text(&body.input),
                node_text(&body.expected),
            )
        }
    };
    // A listing whose reason starts with `exact:` says Ferry keeps the exact value where Kafka
    // returns a lossy one: Ferry's outcome must then be a value. Any other listing says Ferry
    // raises a data error where Kafka corrupts data.
    let exact = listed
        .as_deref()
        .is_some_and(|r| r.starts_with(EXACT_PREFIX));
    let acceptable = match &outcome {
        Some(o) if exact => o.is_ok(),
        Some(o) => is_data_error(o),
        None => false,
    };
    let status = classify(&verdict, listed.is_some(), acceptable);
    CaseResult {
        id: case.id.clone(),
        area: case.area.clone(),
        location: case.location(),
        verdict,
        status,
        listed,
        input,
        expected,
        actual: outcome.as_ref().map(outcome_text).unwrap_or_default(),
    }
}

/// Reason prefix of a listed divergence where Ferry returns the exact value instead of an error.
pub const EXACT_PREFIX: &str = "exact:";

/// Applies the divergence list to a verdict: a listed case must not agree and Ferry's outcome
/// must be a data error (the policy), else the listing is stale or wrong.
pub fn classify(verdict: &Verdict, listed: bool, ferry_data_error: bool) -> Status {
    match (verdict, listed) {
        (Verdict::Agree, false) => Status::Agree,
        (Verdict::Agree, true) => Status::StaleDivergence,
        (_, true) if ferry_data_error => Status::ListedDivergence,
        (_, true) => Status::ListedNotDataError,
        (Verdict::Disagree(_), false) => Status::Disagree,
        (Verdict::NotImplemented(_), false) => Status::NotImplemented,
        (Verdict::Invalid(_), false) => Status::Invalid,
    }
}

fn run_guarded(ctx: &Ctx, input: &connect_converters::json::JsonNode) -> Outcome {
    catch_unwind(AssertUnwindSafe(|| run_op(ctx, input))).unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "non-string panic payload".to_string());
        Err(Failure::Panic(message))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("testkit-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn malformed_lines_and_unknown_ops_are_reported_not_fatal() {
        let dir = temp_dir("run");
        let lines = [
            r#"{"id":"zeta-1","case":{"op":"frobnicate"},"expected":{}}"#,
            r#"this is not json"#,
            r#"{"id":"zeta-2","case":{"op":"fromConnect","converter":"nope","schema":null,"value":1},"expected":{}}"#,
            r#"{"id":"zeta-3","case":{"op":"schema.roundtrip","config":{"a":1},"schema":null},"expected":{}}"#,
            r#"{"id":"zeta-4","case":{"op":"toConnect","converter":"json","config":{}},"expected":{}}"#,
            r#"{"id":"zeta-5","case":{"op":"values.convert","to":"int8","schema":null,"value":{"$int8":300}},"expected":{"value":1}}"#,
            r#"{"id":"zeta-6","expected":{}}"#,
            r#"{"id":"smt_x-1","case":{"op":"transform","record":{"topic":"t","partition":null,"keySchema":null,"key":null,"valueSchema":null,"value":{"a":{"$int8":1}},"timestamp":null,"headers":[]},"transforms":[{"type":"X","config":{}}]},"expected":null}"#,
            r#"{"id":"zeta-7","case":{"op":"values.parseString","input":5},"expected":{}}"#,
        ];
        std::fs::write(dir.join("zeta.jsonl"), lines.join("\n")).unwrap();
        std::fs::write(dir.join("ignored.txt"), "not a case file").unwrap();
        let report = run_dir(&dir, &RunOptions::default()).unwrap();
        let status = |id: &str| {
            report
                .results
                .iter()
                .find(|r| r.id == id)
                .map(|r| (r.status, r.verdict.to_string()))
                .unwrap()
        };
        assert_eq!(report.results.len(), 9);
        for id in [
            "zeta-1",
            "zeta.jsonl:2",
            "zeta-2",
            "zeta-3",
            "zeta-4",
            "zeta-5",
            "zeta-6",
            "zeta-7",
        ] {
            assert_eq!(status(id).0, Status::Invalid, "{id}: {}", status(id).1);
        }
        assert!(status("zeta-1").1.contains("unknown op \"frobnicate\""));
        assert!(status("zeta-2").1.contains("unknown converter"));
        // the transform case runs: unknown class `X` is a configure error where Kafka expected null
        assert_eq!(status("smt_x-1").0, Status::Disagree);
        assert!(
            status("smt_x-1").1.contains("configure"),
            "{}",
            status("smt_x-1").1
        );
        assert!(!report.success());
        assert_eq!(
            report.summary_lines(),
            vec![
                "smt_x: 0/1 agree".to_string(),
                "zeta: 0/8 agree (8 invalid cases)".to_string(),
                "total: 0/9 agree (8 invalid cases)".to_string(),
            ]
        );
        assert!(report
            .details(None)
            .contains("INVALID zeta-1 (zeta.jsonl:1)"));

        let only = RunOptions::new(Some("smt_.*")).unwrap();
        let report = run_dir(&dir, &only).unwrap();
        assert_eq!(report.summary_lines()[0], "smt_x: 0/1 agree");
        let none = RunOptions::new(Some("zet")).unwrap();
        assert!(run_dir(&dir, &none).unwrap().results.is_empty());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_missing_folder_is_an_error() {
        let missing = std::env::temp_dir().join("testkit-no-such-folder-xyz");
        assert!(run_dir(&missing, &RunOptions::default()).is_err());
    }

    #[test]
    fn divergence_list_classification() {
        let agree = Verdict::Agree;
        let differ = Verdict::Disagree("x".into());
        assert_eq!(classify(&agree, false, false), Status::Agree);
        assert_eq!(classify(&agree, true, false), Status::StaleDivergence);
        assert_eq!(classify(&differ, true, true), Status::ListedDivergence);
        assert_eq!(classify(&differ, true, false), Status::ListedNotDataError);
        assert_eq!(classify(&differ, false, true), Status::Disagree);
        assert!(Status::StaleDivergence.is_agree() && !Status::StaleDivergence.is_failure());
        assert!(!Status::ListedDivergence.is_failure());
        assert!(Status::ListedNotDataError.is_failure());
        let mut c = Counts::default();
        for s in [
            Status::Agree,
            Status::StaleDivergence,
            Status::ListedDivergence,
            Status::Disagree,
        ] {
            c.add(s);
        }
        assert_eq!(
            c.line("a"),
            "a: 2/4 agree (1 listed divergence, 1 stale divergence)"
        );
    }

    #[test]
    fn listed_ids_not_run_are_warned_about() {
        let mut opts = RunOptions::new(Some("values")).unwrap();
        opts.divergences =
            Divergences::parse("t", "values-0000  reason\nsmt_cast-1  not selected\n");
        let report = run_cases(&[], &opts, "dir");
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        assert!(report.warnings[0].contains("values-0000"));
    }
}
