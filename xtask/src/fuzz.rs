//! `cargo xtask fuzz [--seconds N]`: runs each fuzz target of `fuzz/` for a
//! fixed time on its stored corpus (which grows with what it finds), and
//! prints the executions and time of each. Installs `cargo-fuzz` when missing.
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

/// Runs the fuzzers.
pub fn run(args: &[String]) -> ExitCode {
    let seconds: u64 = match args {
        [] => 60,
        [flag, n] if flag == "--seconds" => match n.parse() {
            Ok(n) => n,
            Err(_) => {
                eprintln!("error: --seconds takes a whole number");
                return ExitCode::from(2);
            }
        },
        _ => {
            eprintln!("usage: cargo xtask fuzz [--seconds N]");
            return ExitCode::from(2);
        }
    };
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
    for target in TARGETS {
        let corpus = fuzz_dir.join("corpus").join(target);
        let out = Command::new("cargo")
            .args(["fuzz", "run", target])
            .arg(&corpus)
            .args(["--", &format!("-max_total_time={seconds}")])
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
