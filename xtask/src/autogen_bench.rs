//! `cargo xtask bench-autogenerate`: how long one `new-revision
//! --autogenerate` takes, on the reference schema and on a schema of 1,000
//! tables, and where the time goes (reading a catalog, diffing two).
//!
//! Each case runs the command itself, in process, over a desired schema
//! that differs from the head by a few changes, and checks that it wrote a
//! revision. The command's time includes everything a user waits for:
//! starting the throwaway server, building the head, loading the desired
//! schema, reading both catalogs, diffing both ways, and running the
//! upgrade and the downgrade on the head database to check them.

use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use schema_runtime::autogen::diff;
use schema_runtime::catalog::Catalog;
use schema_runtime::sqlx::{self, PgConnection};
use schema_runtime::testing::TestCluster;
use schema_runtime::VersionTable;

use crate::migrations;

/// Runs the benchmark; `args`: `--tables N` (default 1,000) and `--runs N`
/// (default 3).
pub fn run(args: &[String]) -> ExitCode {
    let mut tables = 1000;
    let mut runs = 3;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = it.next().and_then(|v| v.parse::<usize>().ok());
        match (a.as_str(), value) {
            ("--tables", Some(n)) if n > 1 => tables = n,
            ("--runs", Some(n)) if n > 0 => runs = n,
            _ => {
                eprintln!("usage: cargo xtask bench-autogenerate [--tables N] [--runs N]");
                return ExitCode::from(2);
            }
        }
    }
    match bench(tables, runs) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The DDL of a schema of `n` tables: each with an identity key, a few
/// columns of common types, a foreign key to the table before it, a check,
/// an index and a partial index; a view over every tenth table; and one
/// enum shared by all.
fn wide_schema(n: usize) -> String {
    let mut s = String::from(
        "CREATE TYPE state AS ENUM ('new', 'active', 'archived');\n\
         CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := now(); RETURN NEW; END $$;\n",
    );
    for i in 0..n {
        let parent = if i == 0 {
            String::new()
        } else {
            format!(
                ",\n    parent_id bigint REFERENCES t{:04} (id) ON DELETE CASCADE",
                i - 1
            )
        };
        let _ = write!(
            s,
            "CREATE TABLE t{i:04} (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n    \
             name text NOT NULL,\n    state state NOT NULL DEFAULT 'new',\n    \
             score numeric(10,2) CHECK (score >= 0),\n    created_at timestamptz NOT NULL DEFAULT now(),\n    \
             updated_at timestamptz{parent}\n);\n\
             CREATE INDEX t{i:04}_name ON t{i:04} (name);\n\
             CREATE INDEX t{i:04}_active ON t{i:04} (created_at) WHERE state = 'active';\n"
        );
        if i % 10 == 0 {
            let _ = writeln!(
                s,
                "CREATE TRIGGER t{i:04}_touch BEFORE UPDATE ON t{i:04} FOR EACH ROW EXECUTE FUNCTION touch();\n\
                 CREATE VIEW v{i:04} AS SELECT id, name FROM t{i:04} WHERE state <> 'archived';"
            );
        }
    }
    s
}

/// Changes to a wide schema: a column, an index and a renamed constraint on
/// every hundredth table, a new enum value, a changed trigger function.
fn wide_changes(n: usize) -> String {
    let mut s = String::from(
        "ALTER TYPE state ADD VALUE 'deleted';\n\
         CREATE OR REPLACE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.updated_at := clock_timestamp(); RETURN NEW; END $$;\n",
    );
    for i in (0..n).step_by(100) {
        let _ = writeln!(
            s,
            "ALTER TABLE t{i:04} ADD COLUMN note text;\n\
             CREATE INDEX t{i:04}_score ON t{i:04} (score) WHERE score > 0;\n\
             ALTER TABLE t{i:04} RENAME CONSTRAINT t{i:04}_score_check TO t{i:04}_score_positive;"
        );
    }
    s
}

/// A wide schema's `n` tables moved to schema `archive`, as one would move
/// a whole schema: all but the first are alike in shape.
fn wide_moved(n: usize) -> String {
    let mut s = String::from("CREATE SCHEMA archive;\n");
    for i in 0..n {
        let _ = writeln!(s, "ALTER TABLE t{i:04} SET SCHEMA archive;");
    }
    s
}

/// The reference head's changes (those of tests/tests/autogenerate.rs).
const REFERENCE_CHANGES: &str = "ALTER TABLE public.cameras ADD COLUMN firmware text;\n\
CREATE INDEX cameras_offline_idx ON public.cameras (id) WHERE status = 'offline';\n\
ALTER TYPE public.camera_status ADD VALUE 'maintenance' AFTER 'error';\n\
ALTER TABLE public.cameras RENAME CONSTRAINT cameras_id_format TO cameras_id_is_slug;\n";

/// One case: a chain (embedded, or a directory), and the desired schema.
struct Case {
    name: String,
    /// The command line before `new-revision` (`--dir` for a directory).
    args: Vec<String>,
    /// The desired schema's file.
    schema: std::path::PathBuf,
    /// The head's DDL, to time reading and diffing.
    head_sql: String,
    desired_sql: String,
}

fn bench(tables: usize, runs: usize) -> Result<(), String> {
    let work = tempfile::tempdir().map_err(|e| e.to_string())?;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let cluster = TestCluster::shared();

    // The reference head's schema, dumped from a database the chain built.
    let reference_head = rt.block_on(async {
        let db = cluster.database().map_err(|e| e.to_string())?;
        let mut conn = connect(&cluster.url(&db)).await?;
        schema_runtime::Migrator::new(&migrations::SET)
            .upgrade(&mut conn, "head")
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>(cluster.url(&db))
    })?;
    let table = VersionTable::default();
    let dump = std::process::Command::new(cluster.bin_dir().join("pg_dump"))
        .args(["--schema-only", "--no-owner", "--no-privileges"])
        .arg(format!("--exclude-table={}", table.table()))
        .arg(format!("--exclude-table={}", table.log_table()))
        .arg(format!("--dbname={reference_head}"))
        .output()
        .map_err(|e| e.to_string())?;
    let dump: String = String::from_utf8_lossy(&dump.stdout)
        .lines()
        .filter(|l| !l.starts_with('\\'))
        .map(|l| format!("{l}\n"))
        .collect();

    let reference_schema = work.path().join("reference.sql");
    let reference_desired = format!("{dump}\n{REFERENCE_CHANGES}");
    std::fs::write(&reference_schema, &reference_desired).map_err(|e| e.to_string())?;
    let reference_config = work.path().join("reference.toml");
    std::fs::write(
        &reference_config,
        format!(
            "directory = {:?}\n",
            work.path().join("reference-out").display().to_string()
        ),
    )
    .map_err(|e| e.to_string())?;

    let wide_dir = work.path().join("wide");
    std::fs::create_dir_all(&wide_dir).map_err(|e| e.to_string())?;
    let wide = wide_schema(tables);
    std::fs::write(
        wide_dir.join("0001_wide.sql"),
        format!("-- {tables} tables\n--\n-- Revision ID: wide\n-- Revises:\n-- Create Date: 2026-01-01 00:00:00.000000\n\n-- migrate:upgrade\n{wide}\n-- migrate:downgrade\nDROP SCHEMA public CASCADE; CREATE SCHEMA public;\n"),
    )
    .map_err(|e| e.to_string())?;
    let wide_schema_file = work.path().join("wide.sql");
    let wide_desired = format!("{wide}\n{}", wide_changes(tables));
    std::fs::write(&wide_schema_file, &wide_desired).map_err(|e| e.to_string())?;
    let moved_schema_file = work.path().join("moved.sql");
    let moved_desired = format!("{wide}\n{}", wide_moved(tables));
    std::fs::write(&moved_schema_file, &moved_desired).map_err(|e| e.to_string())?;

    let cases = [
        Case {
            name: "reference schema (12 tables), 4 changes".to_owned(),
            args: vec!["--config".into(), reference_config.display().to_string()],
            schema: reference_schema,
            head_sql: dump.clone(),
            desired_sql: reference_desired,
        },
        Case {
            name: format!("{tables} tables, {} changes", 2 + 3 * tables.div_ceil(100)),
            args: vec!["--dir".into(), wide_dir.display().to_string()],
            schema: wide_schema_file,
            head_sql: wide.clone(),
            desired_sql: wide_desired,
        },
        Case {
            name: format!("{tables} tables moved to another schema"),
            args: vec!["--dir".into(), wide_dir.display().to_string()],
            schema: moved_schema_file,
            head_sql: wide,
            desired_sql: moved_desired,
        },
    ];

    println!("| schema | `new-revision --autogenerate` (median of {runs}) | read one catalog | diff both ways |");
    println!("|---|---:|---:|---:|");
    for case in &cases {
        let mut command = Vec::new();
        for run in 0..runs {
            let mut args = vec!["cargo xtask".to_owned()];
            args.extend(case.args.iter().cloned());
            args.extend([
                "new-revision".into(),
                "--autogenerate".into(),
                "-q".into(),
                "-m".into(),
                "bench".into(),
                "--schema".into(),
                case.schema.display().to_string(),
                "--rev-id".into(),
                format!("bench{run}"),
            ]);
            let started = Instant::now();
            let code = schema_runtime::cli::main_with_args(&migrations::SET, args);
            command.push(started.elapsed());
            if code != ExitCode::SUCCESS {
                return Err(format!("{}: the command failed", case.name));
            }
            if clean_written(&case.args, work.path())? != 1 {
                return Err(format!("{}: the command wrote no revision", case.name));
            }
        }
        let (read, diffed) = rt.block_on(parts(cluster, &case.head_sql, &case.desired_sql))?;
        println!(
            "| {} | {} | {} | {} |",
            case.name,
            ms(median(&mut command)),
            ms(read),
            ms(diffed)
        );
    }
    Ok(())
}

/// Removes the revision a run wrote into its chain directory, so that the
/// next run generates from the same head; returns how many it removed.
fn clean_written(args: &[String], work: &Path) -> Result<usize, String> {
    let dir = match args.first().map(String::as_str) {
        Some("--dir") => Path::new(&args[1]).to_path_buf(),
        _ => work.join("reference-out"),
    };
    let mut removed = 0;
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        if e.file_name().to_string_lossy().starts_with("bench") {
            std::fs::remove_file(e.path()).map_err(|e| e.to_string())?;
            removed += 1;
        }
    }
    Ok(removed)
}

/// The time of one catalog read (of the head) and of both diffs.
async fn parts(
    cluster: &TestCluster,
    head_sql: &str,
    desired_sql: &str,
) -> Result<(Duration, Duration), String> {
    let mut catalogs = Vec::new();
    let mut read = Duration::ZERO;
    for sql in [head_sql, desired_sql] {
        let db = cluster.database().map_err(|e| e.to_string())?;
        let mut conn = connect(&cluster.url(&db)).await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        let started = Instant::now();
        catalogs.push(
            Catalog::read(&mut conn, &VersionTable::default())
                .await
                .map_err(|e| e.to_string())?,
        );
        read = started.elapsed();
    }
    let started = Instant::now();
    let up = diff(&catalogs[0], &catalogs[1]);
    let down = diff(&catalogs[1], &catalogs[0]);
    let diffed = started.elapsed();
    if up.is_empty() || down.is_empty() {
        return Err("the diff found no change".to_owned());
    }
    Ok((read, diffed))
}

async fn connect(url: &str) -> Result<PgConnection, String> {
    use sqlx::Connection;
    PgConnection::connect(url).await.map_err(|e| e.to_string())
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1000.0)
}
