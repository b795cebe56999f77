//! The tools the benchmark compares with, each driven on the same chain and
//! server: the one-query limit, `psql`, sqlx's migrator and Alembic. A tool
//! that cannot be installed or run is reported with the reason, never
//! skipped in silence.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use sqlx::{AssertSqlSafe, Executor, PgConnection};

use super::chain::Chain;

/// Runs a command, returning how long it took, or its output as the error.
pub fn timed_command(cmd: &mut Command) -> Result<Duration, String> {
    let started = Instant::now();
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let took = started.elapsed();
    if out.status.success() {
        Ok(took)
    } else {
        Err(format!(
            "{:?} failed: {}{}",
            cmd.get_program(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

/// `sql` sent as one simple-query message: what the server alone needs for
/// it. The text is copied for the driver before the clock starts.
pub async fn one_query(conn: &mut PgConnection, sql: &str) -> Result<Duration, String> {
    let sql = AssertSqlSafe(sql.to_owned());
    let started = Instant::now();
    conn.execute(sql).await.map_err(|e| e.to_string())?;
    Ok(started.elapsed())
}

fn psql(bin: &Path, url: &str) -> Command {
    let mut c = Command::new(bin.join("psql"));
    c.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url]);
    c
}

/// `psql -1 -f all.sql`: one session and one transaction; psql sends the
/// statements one by one.
pub fn psql_one_session(bin: &Path, url: &str, chain: &Chain) -> Result<Duration, String> {
    timed_command(psql(bin, url).arg("-1").arg("-f").arg(&chain.all_sql_file))
}

/// One `psql` process per revision file.
pub fn psql_per_revision(bin: &Path, url: &str, chain: &Chain) -> Result<Duration, String> {
    let started = Instant::now();
    for f in &chain.per_revision {
        timed_command(psql(bin, url).arg("-1").arg("-f").arg(f))?;
    }
    Ok(started.elapsed())
}

/// sqlx's `Migrator` in process, on the same SQL in sqlx's layout: each
/// migration is one multi-statement query in its own transaction.
pub async fn sqlx_run(conn: &mut PgConnection, chain: &Chain) -> Result<Duration, String> {
    let migrator = sqlx::migrate::Migrator::new(chain.sqlx.as_path())
        .await
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    migrator.run(&mut *conn).await.map_err(|e| e.to_string())?;
    Ok(started.elapsed())
}

/// The Alembic command in `target/bench/venv`, installed with pip when
/// missing; `Err` says why it is not available.
pub fn alembic(bench_dir: &Path) -> Result<PathBuf, String> {
    let venv = bench_dir.join("venv");
    let bin = venv.join("bin/alembic");
    if bin.exists() {
        return Ok(bin);
    }
    eprintln!(
        "bench: installing alembic and psycopg2-binary into {}",
        venv.display()
    );
    timed_command(Command::new("python3").args(["-m", "venv"]).arg(&venv))
        .map_err(|e| format!("cannot create a virtualenv: {e}"))?;
    timed_command(Command::new(venv.join("bin/pip")).args([
        "install",
        "-q",
        "alembic",
        "psycopg2-binary",
    ]))
    .map_err(|e| format!("pip cannot install alembic: {e}"))?;
    Ok(bin)
}

/// `alembic upgrade head` on the chain's revision scripts.
pub fn alembic_upgrade(alembic: &Path, chain: &Chain, url: &str) -> Result<Duration, String> {
    timed_command(
        Command::new(alembic)
            .arg("-c")
            .arg(chain.alembic.join("alembic.ini"))
            .args(["upgrade", "head"])
            .env("BENCH_ALEMBIC_URL", url),
    )
}
