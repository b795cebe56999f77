//! The command line over the reference chain (`migrations/`) compiled in,
//! as `cargo xtask` builds it: its head is a Rust revision, which only an
//! embedded chain can run.

schema_runtime::migrations!("../migrations");

fn main() -> std::process::ExitCode {
    schema_runtime::cli::main_with(&migrations::SET)
}
