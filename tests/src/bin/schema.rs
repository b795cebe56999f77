//! The command line as an application ships it: a few lines over
//! `schema_runtime::cli`. The CLI tests drive this binary as a user would.

fn main() -> std::process::ExitCode {
    schema_runtime::cli::main()
}
