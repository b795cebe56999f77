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

use crate::migrations;

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

/// Three cameras and four weeks of detections, more by day than by night.
async fn seed(conn: &mut schema_runtime::sqlx::PgConnection) -> Result<(), sqlx::Error> {
    use sqlx::Executor;
    conn.execute(
        "INSERT INTO cameras (id, name, folder_path) VALUES \
           ('front_door', 'Front door', '/cams/front_door'), \
           ('garage', 'Garage', '/cams/garage'), \
           ('garden', 'Garden', '/cams/garden'); \
         INSERT INTO detections (camera_id, file_path, detected_at, object_type, confidence, bbox) \
         SELECT (ARRAY['front_door', 'garage', 'garden'])[1 + i % 3], 'f' || i || '.jpg', \
                timestamptz '2026-11-01 00:00:00+00' + (i * 97 % 2419200) * interval '1 second', \
                CASE WHEN extract(hour FROM timestamptz '2026-11-01 00:00:00+00' + (i * 97 % 2419200) * interval '1 second') BETWEEN 7 AND 19 \
                     THEN (ARRAY['person', 'car', 'dog', 'person'])[1 + i % 4] ELSE 'cat' END, \
                0.9, '{}'::jsonb \
         FROM generate_series(1, 20000) AS i \
         WHERE i % 5 <> 0 OR extract(hour FROM timestamptz '2026-11-01 00:00:00+00' + (i * 97 % 2419200) * interval '1 second') BETWEEN 7 AND 19",
    )
    .await?;
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM detections")
        .fetch_one(&mut *conn)
        .await?;
    println!("{n} detections");
    Ok(())
}

/// The busiest hour of each camera, from the backfilled baselines.
async fn busiest_slots(
    conn: &mut schema_runtime::sqlx::PgConnection,
) -> Result<Vec<String>, sqlx::Error> {
    let rows: Vec<(String, i16, i16, f64, i64)> = sqlx::query_as(
        "SELECT DISTINCT ON (camera_id) camera_id, day_of_week, hour, avg_count, \
                (SELECT count(*) FROM class_baselines c WHERE c.camera_id = a.camera_id) \
         FROM activity_baselines a ORDER BY camera_id, avg_count DESC, day_of_week, hour",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(camera, dow, hour, avg, classes)| {
            format!(
                "{camera}: busiest slot {} {hour:02}:00 UTC, {avg:.1} detections a week; {classes} class baselines",
                ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"][dow as usize]
            )
        })
        .collect())
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
    let migrator = Migrator::new(&migrations::SET);
    let mut conn = runtime
        .block_on(schema_runtime::connect(&url))
        .map_err(|e| e.render())?;
    // A typed target: each revision is a struct; a misspelt one would not compile.
    let report = runtime
        .block_on(migrator.upgrade(&mut conn, migrations::ActivityAndClassBaselines))
        .map_err(|e| e.render())?;
    println!(
        "applied {} revision(s), the database is at {}",
        report.steps.len(),
        migrations::ActivityAndClassBaselines.id()
    );

    step("The cameras have a history: 3 cameras, 4 weeks of detections");
    runtime
        .block_on(seed(&mut conn))
        .map_err(|e| format!("error: seeding detections: {e}"))?;

    step("The next release's head is a revision written in Rust that backfills the baselines");
    let report = runtime
        .block_on(migrator.upgrade(&mut conn, migrations::HEAD))
        .map_err(|e| e.render())?;
    println!(
        "applied {} revision(s), the database is at {} ({})",
        report.steps.len(),
        migrations::HEAD.id(),
        migrations::HEAD.revision().message
    );
    let busiest = runtime
        .block_on(busiest_slots(&mut conn))
        .map_err(|e| format!("error: reading the baselines: {e}"))?;
    for line in busiest {
        println!("{line}");
    }

    step("The command line against the same database");
    cli(&url, &["current", "--verbose"])?;
    println!();
    cli(&url, &["history"])?;

    step("Stopping the server");
    cluster.stop();
    println!("done");
    Ok(())
}
