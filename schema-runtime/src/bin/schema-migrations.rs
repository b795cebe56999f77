//! The command line, installed on its own: `cargo install schema-runtime
//! --features cli,testing` gives `schema-migrations`, which sets up a crate
//! (`init`), brings a history over (`import`, `stamp --from`), and runs every
//! other command over a migrations directory (`--dir`, default
//! `migrations`). An application's own `cargo xtask` is the same command
//! line over the chain compiled into it, so its Rust revisions run too.

fn main() -> std::process::ExitCode {
    schema_runtime::cli::main()
}
