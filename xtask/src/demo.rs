//! `cargo xtask demo`: the main job on a machine with nothing configured.
//!
//! Starts a throwaway PostgreSQL from the machine's binaries, applies the
//! reference schema the way an application does at startup (the chain embedded
//! by `migrations!()`, a typed target), then runs the `current` and `history`
//! commands against it, and stops the server.
//!
//! Without PostgreSQL's server binaries it installs Debian's `postgresql`
//! package when running as root with `apt-get` (unless
//! `SCHEMA_MIGRATIONS_NO_INSTALL` is set); elsewhere it prints the install
//! command of each common system and exits with status 3
//! ([`EXIT_NOT_INSTALLED`]). `SCHEMA_MIGRATIONS_PG_BIN` names the directory of
//! the binaries to use (see `schema_runtime::testing`).

use std::process::ExitCode;

use schema_runtime::testing::{ClusterError, TestCluster};
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

/// The exit status when PostgreSQL's server binaries are missing and were
/// not installed (the install commands are printed).
pub const EXIT_NOT_INSTALLED: u8 = 3;

/// Why the demo stopped: what to print and the exit status.
struct Failure {
    message: String,
    status: u8,
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure { message, status: 1 }
    }
}

/// Runs the demo.
pub fn run() -> ExitCode {
    match demo() {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("{}", f.message);
            ExitCode::from(f.status)
        }
    }
}

fn cannot_start(e: ClusterError) -> Failure {
    let mut drawn =
        schema_runtime::core::render::Message::new(format!("cannot start PostgreSQL: {e}"));
    if let Some(help) = e.help() {
        drawn = drawn.note("help", help);
    }
    let message = format!("error: {}", drawn.draw());
    let status = match e {
        ClusterError::NotInstalled { .. } => EXIT_NOT_INSTALLED,
        _ => 1,
    };
    Failure { message, status }
}

fn demo() -> Result<(), Failure> {
    step("Starting a throwaway PostgreSQL from the machine's binaries");
    let cluster = TestCluster::start().map_err(cannot_start)?;
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
    let report = report.map_err(|e| e.render())?;
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
