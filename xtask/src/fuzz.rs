//! `cargo xtask fuzz [--seconds N] [--target NAME]`: runs each fuzz target
//! of `fuzz/` (or the one named) for a fixed time on its stored corpus
//! (which grows with what it finds), and prints the executions and time of
//! each. Installs `cargo-fuzz` when missing.
//! libFuzzer needs unstable compiler flags; `RUSTC_BOOTSTRAP=1` allows them
//! on the stable toolchain.

use std::path::Path;
use std::process::{Command, ExitCode};

const TARGETS: [&str; 3] = ["parse_revision", "target_syntax", "database_url"];

fn has_cargo_fuzz() -> bool {
    Command::new("cargo")
        .args(["fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Runs the fuzzers: `[--seconds N] [--target NAME]` (every target by default).
pub fn run(args: &[String]) -> ExitCode {
    let mut seconds: u64 = 60;
    let mut only: Option<&str> = None;
    let mut rest = args.iter();
    while let Some(flag) = rest.next() {
        match (flag.as_str(), rest.next()) {
            ("--seconds", Some(n)) => match n.parse() {
                Ok(n) => seconds = n,
                Err(_) => {
                    eprintln!("error: --seconds takes a whole number");
                    return ExitCode::from(2);
                }
            },
            ("--target", Some(t)) if TARGETS.contains(&t.as_str()) => only = Some(t),
            ("--target", Some(t)) => {
                eprintln!("error: no fuzz target `{t}`: {}", TARGETS.join(", "));
                return ExitCode::from(2);
            }
            _ => {
                eprintln!("usage: cargo xtask fuzz [--seconds N] [--target NAME]");
                return ExitCode::from(2);
            }
        }
    }
    if !has_cargo_fuzz() {
        println!("installing cargo-fuzz");
        let ok = Command::new("cargo")
            .args(["install", "cargo-fuzz", "--locked"])
            .status()
            .is_ok_and(|s| s.success());
        if !ok {
            eprintln!("error: cannot install cargo-fuzz");
            return ExitCode::FAILURE;
        }
    }
    let fuzz_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz");
    println!("| target | seconds | executions | corpus files | result |");
    println!("|---|---:|---:|---:|---|");
    let mut failed = false;
    for target in TARGETS.into_iter().filter(|t| only.is_none_or(|o| o == *t)) {
        let corpus = fuzz_dir.join("corpus").join(target);
        let out = Command::new("cargo")
            .args(["fuzz", "run", target])
            .arg(&corpus)
            // An input that takes 30 s is a bug too (a crash for libFuzzer).
            .args(["--", &format!("-max_total_time={seconds}"), "-timeout=30"])
            .current_dir(&fuzz_dir)
            .env("RUSTC_BOOTSTRAP", "1")
            .output();
        let Ok(out) = out else {
            eprintln!("error: cannot run cargo fuzz");
            return ExitCode::FAILURE;
        };
        let log = String::from_utf8_lossy(&out.stderr);
        let runs = log
            .lines()
            .find_map(|l| {
                l.strip_prefix("Done ")
                    .and_then(|r| r.split_whitespace().next())
            })
            .unwrap_or("?")
            .to_owned();
        let files = std::fs::read_dir(&corpus).map_or(0, |d| d.count());
        let result = if out.status.success() {
            "no crash"
        } else {
            "CRASH (see fuzz/artifacts)"
        };
        failed |= !out.status.success();
        println!("| {target} | {seconds} | {runs} | {files} | {result} |");
        if !out.status.success() {
            eprintln!(
                "{}",
                log.lines()
                    .rev()
                    .take(30)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect::<Vec<_>>()
                    .join("\n")
            );
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
