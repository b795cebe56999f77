//! The command line as an application ships it, for the peer tests to drive
//! as a user would (the same few lines as `schema-tests`' own).

fn main() -> std::process::ExitCode {
    schema_runtime::cli::main()
}
