//! `cargo xtask`: the migration commands on this repository's `migrations/`
//! (through `schema_runtime::cli`), plus repository tasks:
//!
//! - `cargo xtask demo`: start a throwaway PostgreSQL, apply the reference
//!   schema as an application would at startup, show `current` and `history`.
//! - `cargo xtask fuzz [--seconds N]`: run the fuzz targets of `fuzz/`.

mod demo;
mod fuzz;

use std::process::ExitCode;

const TASKS: &str = "Repository tasks:
  demo   Apply the reference schema to a throwaway PostgreSQL and show current and history
  fuzz   Run each fuzz target for a fixed time: fuzz [--seconds N] (default 60)
";

fn main() -> ExitCode {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    match args.get(1).and_then(|a| a.to_str()) {
        Some("demo") => demo::run(),
        Some("fuzz") => {
            let rest: Vec<String> = args[2..]
                .iter()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            fuzz::run(&rest)
        }
        Some("help" | "--help" | "-h") | None => {
            let code = schema_runtime::cli::main_from(["cargo xtask", "--help"]);
            println!("\n{TASKS}");
            code
        }
        _ => schema_runtime::cli::main_from(args),
    }
}
