//! The reference cases of the implemented areas (`converters`, `header_converters`, `json_*`,
//! `values`, `smt_*`) must agree with Kafka, except the listed deliberate divergences.
//!
//! Reads `FERRY_GOLDEN_DIR` (default `../shared/golden/connect` from the workspace root). When
//! the folder is missing the test is skipped, unless `CI=true`, where it fails.

use testkit::{run_dir, RunOptions, IMPLEMENTED_AREAS};

#[test]
fn converter_reference_cases_agree() {
    let dir = testkit::golden_dir();
    if !dir.is_dir() {
        assert!(
            !testkit::in_ci(),
            "reference cases not found at {} (set FERRY_GOLDEN_DIR)",
            dir.display()
        );
        eprintln!("skipped: no reference cases at {}", dir.display());
        return;
    }
    let opts = RunOptions::new(Some(IMPLEMENTED_AREAS)).expect("area pattern");
    let report = run_dir(&dir, &opts).expect("reference cases load");
    for line in report.summary_lines() {
        println!("{line}");
    }
    for w in &report.warnings {
        println!("warning: {w}");
    }
    assert!(
        report.list_problems.is_empty(),
        "golden-divergences.txt: {:?}",
        report.list_problems
    );
    assert!(
        !report.results.is_empty(),
        "no cases of {IMPLEMENTED_AREAS} in {}",
        dir.display()
    );
    let failures = report.failures();
    if !failures.is_empty() {
        let ids: Vec<&str> = failures.iter().map(|r| r.id.as_str()).collect();
        panic!(
            "{} of {} reference cases disagree with Kafka (details: cargo run -q --release -p testkit --bin golden -- --area '{IMPLEMENTED_AREAS}' -v {}):\n{}\n\nfirst ones:\n{}",
            failures.len(),
            report.results.len(),
            dir.display(),
            ids.join("\n"),
            report.details(Some(3))
        );
    }
}
