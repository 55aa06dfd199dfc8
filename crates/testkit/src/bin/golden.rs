//! `golden [--area REGEX] [--verbose|-v] [--show N] [--divergences FILE] DIR`
//!
//! Runs every `*.jsonl` case of DIR through Ferry and prints one `AREA: AGREE/TOTAL agree`
//! line per area (sorted), then `total: AGREE/TOTAL agree`. Exit code 0 when every case
//! agrees or is a listed divergence, 1 otherwise, 2 on a usage or I/O error.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use testkit::{run_dir, Divergences, RunOptions};

const USAGE: &str =
    "usage: golden [--area REGEX] [--verbose|-v] [--show N] [--divergences FILE] DIR

  DIR              folder of *.jsonl reference cases (default: $FERRY_GOLDEN_DIR)
  --area REGEX     only areas the pattern matches entirely (e.g. 'json_.*|values')
  -v, --verbose    print every case that does not agree: id, reason, case, expected, actual
  --show N         like -v, but at most N cases per area
  --divergences F  divergence list to use instead of the built-in golden-divergences.txt";

struct Args {
    dir: PathBuf,
    area: Option<String>,
    show: Option<Option<usize>>,
    divergences: Option<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut dir = None;
    let mut area = None;
    let mut show = None;
    let mut divergences = None;
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "-h" | "--help" => return Err(String::new()),
            "-v" | "--verbose" => show = Some(None),
            "--area" => area = Some(value("--area")?),
            "--show" => {
                let n = value("--show")?;
                let n = n
                    .parse()
                    .map_err(|_| format!("--show needs a number, got {n}"))?;
                show = Some(Some(n));
            }
            "--divergences" => divergences = Some(PathBuf::from(value("--divergences")?)),
            s if s.starts_with('-') && s.len() > 1 => return Err(format!("unknown option {s}")),
            _ if dir.is_none() => dir = Some(PathBuf::from(arg)),
            _ => return Err(format!("unexpected argument {arg}")),
        }
    }
    let dir = dir
        .or_else(|| std::env::var_os("FERRY_GOLDEN_DIR").map(PathBuf::from))
        .ok_or("no DIR given (and FERRY_GOLDEN_DIR is not set)")?;
    Ok(Args {
        dir,
        area,
        show,
        divergences,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("golden: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let mut opts = match RunOptions::new(args.area.as_deref()) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("golden: bad --area pattern: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(path) = &args.divergences {
        match std::fs::read_to_string(path) {
            Ok(text) => opts.divergences = Divergences::parse(&path.display().to_string(), &text),
            Err(e) => {
                eprintln!("golden: cannot read {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    }
    let started = Instant::now();
    let report = match run_dir(&args.dir, &opts) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("golden: {e:#}");
            return ExitCode::from(2);
        }
    };
    if let Some(per_area) = args.show {
        print!("{}", report.details(per_area));
        eprintln!(
            "golden: {} cases in {:.3}s",
            report.results.len(),
            started.elapsed().as_secs_f64()
        );
    }
    for line in report.summary_lines() {
        println!("{line}");
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    for p in &report.list_problems {
        eprintln!("error: divergence list: {p}");
    }
    if report.results.is_empty() {
        eprintln!("golden: no cases selected in {}", args.dir.display());
        return ExitCode::from(1);
    }
    if report.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
