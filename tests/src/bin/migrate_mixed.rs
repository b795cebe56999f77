//! The command line over an embedded chain with a Rust revision
//! (`chains/mixed`), as an application builds it with
//! `schema_runtime::cli::main_with`.

schema_runtime::migrations!("chains/mixed");

fn main() -> std::process::ExitCode {
    schema_runtime::cli::main_with(&migrations::SET)
}
