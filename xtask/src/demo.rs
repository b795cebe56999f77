//! `cargo xtask demo`: the main job on a machine with nothing configured.
//!
//! Starts a throwaway PostgreSQL from the machine's binaries, applies the
//! reference schema the way an application does at startup (the chain embedded
//! by `migrations!()`, a typed target), then runs the `current` and `history`
//! commands against it, and stops the server.

use std::process::ExitCode;

use schema_runtime::testing::TestCluster;
use schema_runtime::{Migration, Migrator};

schema_runtime::migrations!("../migrations");

fn step(title: &str) {
    println!("\n==> {title}");
}

fn cli(url: &str, args: &[&str]) -> Result<(), String> {
    println!("$ cargo xtask {}", args.join(" "));
    let base = ["cargo xtask", "--database-url", url, "--dir", "migrations"];
    schema_runtime::cli::run_args(base.iter().chain(args)).map_err(|f| f.message)
}

/// Runs the demo.
pub fn run() -> ExitCode {
    match demo() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn demo() -> Result<(), String> {
    step("Starting a throwaway PostgreSQL from the machine's binaries");
    let cluster =
        TestCluster::start().map_err(|e| format!("error: cannot start PostgreSQL: {e}"))?;
    let db = cluster.database().map_err(|e| format!("error: {e}"))?;
    let url = cluster.url(&db);
    println!(
        "database {db} on the Unix socket in {}",
        cluster.socket_dir().display()
    );

    step("Starting the application: it upgrades to its embedded head at startup");
    schema_runtime::cli::init_logging();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("error: {e}"))?;
    let report = runtime.block_on(async {
        let mut conn = schema_runtime::connect(&url).await?;
        // A typed target: `migrations::HEAD` is the struct of the head revision;
        // a misspelt revision type would not compile.
        Migrator::new(&migrations::SET)
            .upgrade(&mut conn, migrations::HEAD)
            .await
    });
    let report = report.map_err(|e| e.to_string())?;
    println!(
        "applied {} revision(s), the database is at {} ({})",
        report.steps.len(),
        migrations::HEAD.id(),
        migrations::HEAD.revision().message
    );

    step("The command line against the same database");
    cli(&url, &["current", "--verbose"])?;
    println!();
    cli(&url, &["history"])?;

    step("Stopping the server");
    cluster.stop();
    println!("done");
    Ok(())
}
