//! The command line in pipes and scripts: a reader that stops early, quiet
//! runs, the server's notices, and a database that another tool built.

mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Output, Stdio};

use common::*;

/// A linear chain of `n` revisions written to `dir/migrations`.
fn long_chain(dir: &Path, n: usize) {
    let m = dir.join("migrations");
    std::fs::create_dir_all(&m).unwrap();
    for i in 0..n {
        let id = format!("r{i:05}");
        let parent = i.checked_sub(1).map(|p| format!("r{p:05}"));
        let r = Rev {
            id: &id,
            up: "SELECT 1;",
            down: Some("SELECT 1;"),
            options: "",
        };
        std::fs::write(
            m.join(format!("{id}.sql")),
            revision_text(&r, parent.as_deref()),
        )
        .unwrap();
    }
}

/// The CLI in `dir`, with a clean environment for URL resolution and logging.
fn schema(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_schema"));
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("RUST_LOG")
        .env_remove("SCHEMA_LOG")
        .env("NO_COLOR", "1");
    cmd
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok(out: &Output) {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

#[tokio::test]
async fn history_into_a_reader_that_stops_after_one_line_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    // Far more output than a pipe buffers, so the writer meets the closed pipe.
    long_chain(dir.path(), 3000);
    let url = fresh_db().await.0;
    let mut child = schema(dir.path())
        .args(["--database-url", &url, "history"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // The reader is dropped here: the pipe is closed.
    let out = child.wait_with_output().unwrap();
    assert!(first.contains("r02999"), "{first}");
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

#[test]
fn offline_sql_into_a_shell_pipe_through_head_exits_quietly() {
    let dir = tempfile::tempdir().unwrap();
    long_chain(dir.path(), 3000);
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!(
            "set -o pipefail; '{}' upgrade base:head --sql | head -1 >/dev/null",
            env!("CARGO_BIN_EXE_schema")
        ))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

fn one_revision(dir: &Path, up: &str) {
    std::fs::create_dir_all(dir.join("migrations")).unwrap();
    write_chain(
        &dir.join("migrations"),
        &[Rev {
            id: "aaa111",
            up,
            down: Some("SELECT 1;"),
            options: "",
        }],
    );
}

#[tokio::test]
async fn progress_lines_print_by_default_and_quiet_silences_them() {
    let dir = tempfile::tempdir().unwrap();
    one_revision(dir.path(), "CREATE TABLE a (id int);");
    let (loud_url, quiet_url) = (fresh_db().await.0, fresh_db().await.0);
    let loud = schema(dir.path())
        .args(["--database-url", &loud_url, "upgrade", "head"])
        .output()
        .unwrap();
    ok(&loud);
    assert!(
        text(&loud.stderr).contains("upgrade base -> aaa111"),
        "{}",
        text(&loud.stderr)
    );
    let quiet = schema(dir.path())
        .args(["--database-url", &quiet_url, "--quiet", "upgrade", "head"])
        .output()
        .unwrap();
    ok(&quiet);
    assert_eq!(text(&quiet.stderr), "");
    assert!(
        text(&quiet.stdout).starts_with("Applied 1 revision(s)"),
        "{}",
        text(&quiet.stdout)
    );
}

#[tokio::test]
async fn rust_log_at_warn_silences_the_progress_lines() {
    let dir = tempfile::tempdir().unwrap();
    one_revision(dir.path(), "CREATE TABLE a (id int);");
    let url = fresh_db().await.0;
    let out = schema(dir.path())
        .env("RUST_LOG", "warn")
        .args(["--database-url", &url, "upgrade", "head"])
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(text(&out.stderr), "");
}

#[tokio::test]
async fn a_notice_raised_by_a_revision_is_shown_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    one_revision(
        dir.path(),
        "DO $$ BEGIN RAISE NOTICE 'hello-notice'; END $$;\nDO $$ BEGIN RAISE WARNING 'careful-warning'; END $$;",
    );
    let url = fresh_db().await.0;
    // Shown even with --quiet: the server is talking to the user.
    let out = schema(dir.path())
        .args(["--database-url", &url, "--quiet", "upgrade", "head"])
        .output()
        .unwrap();
    ok(&out);
    let stderr = text(&out.stderr);
    assert!(stderr.contains("notice: hello-notice\n"), "{stderr}");
    assert!(stderr.contains("warning: careful-warning\n"), "{stderr}");
}

#[tokio::test]
async fn current_on_a_database_with_tables_but_no_version_table_says_so() {
    let dir = tempfile::tempdir().unwrap();
    one_revision(dir.path(), "CREATE TABLE a (id int);");
    let url = fresh_db().await.0;
    psql(
        &url,
        "CREATE TABLE cameras (id int); CREATE TABLE zones (id int);",
    );
    let out = schema(dir.path())
        .args(["--database-url", &url, "current"])
        .output()
        .unwrap();
    ok(&out);
    assert_eq!(text(&out.stdout), "");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "note: no version table `alembic_version` here, but the database holds 2 table(s): it was built by another tool or by hand"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("`stamp <revision>`"), "{stderr}");
    let json = schema(dir.path())
        .args(["--database-url", &url, "current", "--format", "json"])
        .output()
        .unwrap();
    ok(&json);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["untracked_tables"], 2);
}

#[tokio::test]
async fn current_on_an_empty_database_or_one_with_a_version_table_adds_no_note() {
    let dir = tempfile::tempdir().unwrap();
    one_revision(dir.path(), "CREATE TABLE a (id int);");
    let url = fresh_db().await.0;
    let empty = schema(dir.path())
        .args(["--database-url", &url, "current"])
        .output()
        .unwrap();
    ok(&empty);
    assert_eq!(text(&empty.stderr), "");
    ok(&schema(dir.path())
        .args(["--database-url", &url, "--quiet", "upgrade", "head"])
        .output()
        .unwrap());
    let at_head = schema(dir.path())
        .args(["--database-url", &url, "current"])
        .output()
        .unwrap();
    ok(&at_head);
    assert_eq!(text(&at_head.stderr), "");
    assert_eq!(text(&at_head.stdout), "aaa111 (head)\n");
}
