//! Helpers shared by the integration tests: a fresh database on the shared
//! throwaway cluster, revision files written to a temporary directory, and
//! read-outs of the schema.
//!
//! With `SCHEMA_MIGRATIONS_TEST_SERVER_URL` set the databases are on that
//! server (`schema_runtime::testing`); tests that need the throwaway server's
//! log or Unix socket then skip, saying so on standard error.

#![allow(dead_code)]

use sqlx::AssertSqlSafe;
use std::path::{Path, PathBuf};
use std::process::Command;

use schema_runtime::testing::TestCluster;
use schema_runtime::Migrator;
use sqlx::PgConnection;

/// Says on standard error, past the harness's capture, that the running test
/// skips because the tests run on an existing server, which lacks `needs`.
pub fn skip_on_external_server(needs: &str) {
    use std::io::Write as _;
    let test = std::thread::current().name().unwrap_or("a test").to_owned();
    // One write, so that the line does not interleave with the harness's.
    let line = format!(
        "SKIPPED {test}: it needs {needs}, which a server named by \
         SCHEMA_MIGRATIONS_TEST_SERVER_URL does not offer\n"
    );
    let _ = std::io::stderr().write_all(line.as_bytes());
}

/// The test kit's own throwaway server, or `None` (after saying that the
/// test skips) when the tests run on an existing server.
pub fn own_server(needs: &str) -> Option<&'static TestCluster> {
    let cluster = TestCluster::shared();
    if cluster.is_external() {
        skip_on_external_server(needs);
        return None;
    }
    Some(cluster)
}

/// A fresh database: its URL and a connection.
pub async fn fresh_db() -> (String, PgConnection) {
    let cluster = TestCluster::shared();
    let url = cluster.url(&cluster.database().expect("create database"));
    let conn = schema_runtime::connect(&url).await.expect("connect");
    (url, conn)
}

/// One revision to write: id, upgrade SQL, downgrade SQL (`None`: irreversible).
pub struct Rev<'a> {
    pub id: &'a str,
    pub up: &'a str,
    pub down: Option<&'a str>,
    pub options: &'a str,
}

/// Shorthand for a reversible, transactional revision.
pub fn rev<'a>(id: &'a str, up: &'a str, down: &'a str) -> Rev<'a> {
    Rev {
        id,
        up,
        down: Some(down),
        options: "",
    }
}

/// The text of a revision file revising `parent`.
pub fn revision_text(r: &Rev<'_>, parent: Option<&str>) -> String {
    let mut s = format!(
        "-- Revision {id}\n--\n-- Revision ID: {id}\n-- Revises: {}\n-- Create Date: 2026-01-01 00:00:00.000000\n",
        parent.unwrap_or(""),
        id = r.id
    );
    if !r.options.is_empty() {
        s.push_str(&format!("-- Options: {}\n", r.options));
    }
    s.push_str(&format!("\n-- migrate:upgrade\n{}\n", r.up));
    if let Some(d) = r.down {
        s.push_str(&format!("\n-- migrate:downgrade\n{d}\n"));
    }
    s
}

/// Writes a linear chain (each revision revises the previous) into `dir`.
pub fn write_chain(dir: &Path, revs: &[Rev<'_>]) {
    for (i, r) in revs.iter().enumerate() {
        let parent = i.checked_sub(1).map(|p| revs[p].id);
        std::fs::write(dir.join(format!("{}.sql", r.id)), revision_text(r, parent))
            .expect("write revision");
    }
}

/// A migrator over a chain written to a fresh temporary directory.
pub fn migrator(revs: &[Rev<'_>]) -> (tempfile::TempDir, Migrator) {
    let dir = tempfile::tempdir().expect("tempdir");
    write_chain(dir.path(), revs);
    let m = Migrator::load(dir.path(), "migrations").expect("valid chain");
    (dir, m)
}

/// A three-revision chain: tables a, b, c.
pub fn abc() -> Vec<Rev<'static>> {
    vec![
        rev("aaa111", "CREATE TABLE a (id int);", "DROP TABLE a;"),
        rev("bbb222", "CREATE TABLE b (id int);", "DROP TABLE b;"),
        rev("ccc333", "CREATE TABLE c (id int);", "DROP TABLE c;"),
    ]
}

/// The user tables of the public schema, sorted.
pub async fn tables(conn: &mut PgConnection) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' \
         AND tablename NOT LIKE 'alembic_version%' ORDER BY 1",
    )
    .fetch_all(conn)
    .await
    .expect("list tables")
}

/// The rows of the default version table.
pub async fn version(conn: &mut PgConnection) -> Vec<String> {
    sqlx::query_scalar("SELECT version_num::text FROM alembic_version ORDER BY 1")
        .fetch_all(conn)
        .await
        .expect("read version table")
}

/// The ids in the default log table.
pub async fn logged(conn: &mut PgConnection) -> Vec<String> {
    sqlx::query_scalar("SELECT version_num::text FROM alembic_version_log ORDER BY 1")
        .fetch_all(conn)
        .await
        .expect("read log table")
}

/// `pg_dump --schema-only` of a database, without the lines that vary per run.
pub fn schema_dump(url: &str) -> String {
    let out = Command::new(TestCluster::shared().bin_dir().join("pg_dump"))
        .args(["--schema-only", "--no-owner", "--no-privileges", "-d", url])
        .output()
        .expect("run pg_dump");
    assert!(
        out.status.success(),
        "pg_dump: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("utf-8")
        .lines()
        .filter(|l| {
            !l.starts_with("-- Dumped")
                && !l.starts_with("\\restrict")
                && !l.starts_with("\\unrestrict")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Where a logging connection's messages start in the cluster's log, and the
/// pid of its backend (the log is shared by every test of the binary).
#[derive(Debug, Clone, Copy)]
pub struct LogMark {
    /// Byte offset in the log when the connection was opened.
    offset: usize,
    /// The backend of the logging connection.
    pid: i32,
}

/// Turns on statement logging for the database of `url` and returns a new
/// connection that logs every message it sends, with the mark from which to
/// read them ([`messages_since`]); `None` (the test skips, saying so) when
/// the tests run on an existing server, whose log cannot be read.
pub async fn logging_connection(
    url: &str,
    conn: &mut PgConnection,
) -> Option<(PgConnection, LogMark)> {
    let log = own_server("the server's log")?.log_file();
    // Lines from other tests' connections are told apart by the pid in the
    // line prefix (PostgreSQL's default, `%m [%p] `).
    let prefix: String = sqlx::query_scalar("SHOW log_line_prefix")
        .fetch_one(&mut *conn)
        .await
        .expect("read log_line_prefix");
    assert!(
        prefix.contains("[%p]"),
        "log_line_prefix {prefix:?} has no `[%p]`"
    );
    let db = url.split('?').next().unwrap().rsplit('/').next().unwrap();
    sqlx::raw_sql(AssertSqlSafe(format!(
        "ALTER DATABASE \"{db}\" SET log_statement = 'all'"
    )))
    .execute(conn)
    .await
    .expect("turn on statement logging");
    let mut logged = schema_runtime::connect(url).await.expect("connect");
    let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut logged)
        .await
        .expect("read the backend's pid");
    let offset = std::fs::metadata(log).expect("server log").len() as usize;
    Some((logged, LogMark { offset, pid }))
}

/// The messages the connection of `mark` sent since the mark, one line each
/// (the first line of each message's text).
pub fn messages_since(mark: LogMark) -> Vec<String> {
    let text = std::fs::read(TestCluster::shared().log_file()).expect("server log");
    let this_backend = format!("[{}] LOG:  statement:", mark.pid);
    String::from_utf8_lossy(&text[mark.offset..])
        .lines()
        .filter(|l| l.contains(&this_backend))
        .map(str::to_owned)
        .collect()
}

/// Runs a script with `psql -v ON_ERROR_STOP=1`; panics with its output on failure.
pub fn psql(url: &str, script: &str) {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("script.sql");
    std::fs::write(&file, script).expect("write script");
    let out = Command::new(TestCluster::shared().bin_dir().join("psql"))
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-f"])
        .arg(&file)
        .output()
        .expect("run psql");
    assert!(
        out.status.success(),
        "psql failed: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A fresh database with a `side_effects` table that revisions write to
/// (so that "ran once" is counted), and the (empty) version table, so that
/// the migrator runs over a database that holds a table.
pub async fn counted_db() -> (String, PgConnection) {
    let (url, mut conn) = fresh_db().await;
    sqlx::raw_sql(
        "CREATE TABLE side_effects (id text NOT NULL);\n\
         CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, \
         CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    (url, conn)
}

/// Each id written to `side_effects` and how many times.
pub async fn effects(conn: &mut PgConnection) -> Vec<(String, i64)> {
    sqlx::query_as("SELECT id, count(*) FROM public.side_effects GROUP BY id ORDER BY id")
        .fetch_all(conn)
        .await
        .unwrap()
}

/// Each of `ids` once, as [`effects`] lists them.
pub fn once(ids: &[&str]) -> Vec<(String, i64)> {
    let mut v: Vec<(String, i64)> = ids.iter().map(|i| ((*i).to_owned(), 1)).collect();
    v.sort();
    v
}

/// The built CLI over the revisions of `dir`, on the database `url`.
pub fn cli(dir: &Path, url: &str, args: &[&str]) -> Command {
    // The same few lines built by each test crate: `schema` in schema-tests,
    // `peer-schema` in schema-peer-tests (one name would collide in target/).
    let bin = option_env!("CARGO_BIN_EXE_schema")
        .or(option_env!("CARGO_BIN_EXE_peer-schema"))
        .expect("the test crate builds the command line");
    let mut c = Command::new(bin);
    c.args(["--database-url", url, "--dir"])
        .arg(dir)
        .args(args)
        .env_remove("DATABASE_URL");
    c
}

/// The standard output of a finished command, as text.
pub fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The standard error of a finished command, as text.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `import --from <tool> <source> <extra...>` into `<tmp>/migrations`, which
/// must succeed: the temporary directory (kept alive by the caller), the
/// migrations directory and the command's output.
pub fn import_fixture(
    url: &str,
    tool: &str,
    source: &Path,
    extra: &[&str],
) -> (tempfile::TempDir, PathBuf, String) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("migrations");
    let mut args = vec!["import", "--from", tool, source.to_str().unwrap()];
    args.extend_from_slice(extra);
    let out = ok(&dir, url, &args);
    (tmp, dir, out)
}

/// Runs the CLI; its stdout, which must be a success.
pub fn ok(dir: &Path, url: &str, args: &[&str]) -> String {
    let out = cli(dir, url, args).output().expect("run the CLI");
    assert!(
        out.status.success(),
        "{args:?} failed: {}\n{}",
        stdout(&out),
        stderr(&out)
    );
    stdout(&out)
}

/// Runs the CLI; its stderr, which must be a failure.
pub fn refused(dir: &Path, url: &str, args: &[&str]) -> String {
    let out = cli(dir, url, args).output().expect("run the CLI");
    assert!(
        !out.status.success(),
        "{args:?} succeeded: {}",
        stdout(&out)
    );
    stderr(&out)
}

/// `pg_dump --schema-only` without the blocks of the named tables (the
/// tracking tables of the tools being compared).
pub fn schema_without(url: &str, tables: &[&str]) -> String {
    let dump = schema_dump(url);
    let mut blocks = dump.split("\n--\n-- Name: ");
    let mut kept = vec![blocks.next().unwrap_or("").to_owned()];
    kept.extend(
        blocks
            .filter(|b| !tables.iter().any(|t| b.starts_with(t)))
            .map(str::to_owned),
    );
    kept.join("\n--\n-- Name: ")
}

/// The rows of `alembic_version`, none when the table does not exist.
pub async fn version_rows(conn: &mut PgConnection) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT version_num::text FROM alembic_version \
         WHERE to_regclass('alembic_version') IS NOT NULL ORDER BY 1",
    )
    .fetch_all(conn)
    .await
    .unwrap_or_default()
}

/// `stamp --from <tool>` on a database whose tracking table the tool was
/// told to name `renamed`: refused without `--source-table` (naming
/// `default_table` and the flag) and with nothing stamped; stamped at `head`
/// with it, after which there is nothing to upgrade.
pub async fn stamps_from_a_renamed_source_table(
    dir: &Path,
    url: &str,
    conn: &mut PgConnection,
    tool: &str,
    default_table: &str,
    renamed: &str,
    head: &str,
) {
    let err = refused(dir, url, &["stamp", "--from", tool]);
    assert!(
        err.contains(&format!("the database has no `{default_table}` table")),
        "{err}"
    );
    assert!(err.contains("--source-table"), "{err}");
    assert!(version_rows(conn).await.is_empty(), "nothing is stamped");
    let stamped = ok(
        dir,
        url,
        &["stamp", "--from", tool, "--source-table", renamed],
    );
    assert!(stamped.contains(&format!("Stamped {head}")), "{stamped}");
    assert_eq!(version_rows(conn).await, [head]);
    let upgraded = ok(dir, url, &["upgrade", "head"]);
    assert!(upgraded.contains("Nothing to upgrade"), "{upgraded}");
}

/// The project carries on from a database stamped from another tool at
/// `url`: a new revision after `head` adds a table `comments` (its `post_id`
/// of type `post_id`, referencing `posts`), upgrades that database and the
/// fresh one at `fresh_url`, and both end with the same schema as
/// `schema_without_tracking` reads it.
pub fn carries_on_after_stamp(
    dir: &Path,
    url: &str,
    fresh_url: &str,
    head: &str,
    post_id: &str,
    schema_without_tracking: fn(&str) -> String,
) {
    ok(
        dir,
        url,
        &[
            "new-revision",
            "--rev-id",
            "add_comments",
            "-m",
            "Add comments",
        ],
    );
    let path = dir.join("add_comments_add_comments.sql");
    let text = std::fs::read_to_string(&path).expect("the new revision");
    assert!(text.contains(&format!("-- Revises: {head}\n")), "{text}");
    let text = text
        .replace(
            "-- migrate:upgrade\n",
            &format!("-- migrate:upgrade\nCREATE TABLE comments (post_id {post_id} REFERENCES posts (id), body text);\n"),
        )
        .replace(
            "-- migrate:downgrade\n",
            "-- migrate:downgrade\nDROP TABLE comments;\n",
        );
    std::fs::write(&path, text).unwrap();
    let applied = ok(dir, url, &["upgrade", "head"]);
    assert!(
        applied.contains(&format!("Applied 1 revision(s): {head} -> add_comments")),
        "{applied}"
    );
    ok(dir, fresh_url, &["upgrade", "head"]);
    let schema = schema_without_tracking(url);
    assert!(schema.contains("CREATE TABLE public.comments"), "{schema}");
    assert_eq!(schema_without_tracking(fresh_url), schema);
}

/// SplitMix64: a small deterministic generator, so a failing case is named
/// by its seed.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}
