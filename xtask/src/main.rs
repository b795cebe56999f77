//! `cargo xtask`: the migration commands on this repository's `migrations/`
//! (through `schema_runtime::cli`, over the chain compiled in, so that Rust
//! revisions run), plus repository tasks:
//!
//! - `cargo xtask demo`: start a throwaway PostgreSQL, apply the reference
//!   schema as an application would at startup, show `current` and `history`.
//! - `cargo xtask fuzz [--seconds N] [--target NAME]`: run the fuzz targets of `fuzz/`.
//! - `cargo xtask bench-backfill [--detections N] [--runs N]`: the reference
//!   schema's Rust revision over many detections, against the same in SQL.
//! - `cargo xtask bench-autogenerate [--tables N] [--runs N]`: one
//!   `new-revision --autogenerate` on the reference schema and on a schema
//!   of N tables.
//! - `cargo xtask bench [--sizes ...] [--runs N]`: the benchmarks of
//!   `docs/BENCHMARKS.md`.

mod autogen_bench;
mod backfill_bench;
mod bench;
mod demo;
mod fuzz;

use std::process::ExitCode;

schema_runtime::migrations!("../migrations");

const TASKS: &str = "Repository tasks:
  demo   Apply the reference schema to a throwaway PostgreSQL and show current and history
  fuzz   Run each fuzz target for a fixed time: fuzz [--seconds N] [--target NAME] (default 60 s each)
  bench  Time this project against the one-query limit, psql, sqlx and Alembic: bench --help
  bench-backfill  Time the reference schema's Rust revision over many detections: [--detections N] [--runs N]
  bench-autogenerate  Time new-revision --autogenerate on the reference schema and on a wide one: [--tables N] [--runs N]
";

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    match args.get(1).and_then(|a| a.to_str()) {
        Some("demo") => demo::run(),
        Some("bench") => bench::run(&task_args(&args)),
        Some("fuzz") => fuzz::run(&task_args(&args)),
        Some("bench-backfill") => backfill_bench::run(&task_args(&args)),
        Some("bench-autogenerate") => autogen_bench::run(&task_args(&args)),
        Some("help" | "--help" | "-h") | None => {
            let code = schema_runtime::cli::main_from(["cargo xtask", "--help"]);
            println!("\n{TASKS}");
            code
        }
        _ => schema_runtime::cli::main_with_args(&migrations::SET, args),
    }
}

/// The arguments after the task name.
fn task_args(args: &[std::ffi::OsString]) -> Vec<String> {
    args[2..]
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect()
}
