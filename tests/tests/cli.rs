//! The built command line, driven as a user drives it: a real process against
//! a real database.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// A copy of the reference migrations in a temporary directory: its SQL
/// revisions, which a command line that reads files can run (the Rust head
/// needs the embedding one: `rust_revisions.rs`).
fn reference_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("migrations")).unwrap();
    for e in std::fs::read_dir(repo().join("migrations")).unwrap() {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "rs") {
            continue;
        }
        std::fs::copy(e.path(), dir.path().join("migrations").join(e.file_name())).unwrap();
    }
    dir
}

/// Runs the CLI in `cwd` with a clean environment for URL resolution.
fn schema(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schema"))
        .args(args)
        .current_dir(cwd)
        .env_remove("DATABASE_URL")
        .env("NO_COLOR", "1")
        .output()
        .expect("run the CLI")
}

fn ok(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "failed: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Runs the CLI against the database at `url`; its stdout, which must be a success.
fn ok_on(cwd: &Path, url: &str, args: &[&str]) -> String {
    let mut all = vec!["--database-url", url];
    all.extend_from_slice(args);
    ok(&schema(cwd, &all))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn fresh_url() -> String {
    fresh_db().await.0
}

#[tokio::test]
async fn new_revision_on_the_reference_chain_writes_a_revision_that_checks_and_applies() {
    let dir = reference_copy();
    let out = ok(&schema(
        dir.path(),
        &["new-revision", "-m", "Add camera tags"],
    ));
    let path = out
        .trim()
        .strip_prefix("Generating ")
        .and_then(|s| s.strip_suffix(" ... done"))
        .unwrap();
    let file = dir.path().join(path);
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("-- Add camera tags\n--\n-- Revision ID: "),
        "{text}"
    );
    assert!(text.contains("-- Revises: add_baselines\n"), "{text}");
    assert!(file
        .file_name()
        .unwrap()
        .to_str()
        .unwrap()
        .ends_with("_add_camera_tags.sql"));
    std::fs::write(
        &file,
        text.replace(
            "-- migrate:upgrade\n",
            "-- migrate:upgrade\nCREATE TABLE camera_tags (camera_id text, tag text);\n",
        )
        .replace(
            "-- migrate:downgrade\n",
            "-- migrate:downgrade\nDROP TABLE camera_tags;\n",
        ),
    )
    .unwrap();
    // The same check the macro runs at compile time accepts the new chain.
    let set = schema_runtime::core::load_dir(&dir.path().join("migrations"), "migrations").unwrap();
    assert_eq!(set.len(), 7);
    let url = fresh_url().await;
    ok(&schema(
        dir.path(),
        &["--database-url", &url, "upgrade", "head"],
    ));
    let current = ok(&schema(dir.path(), &["--database-url", &url, "current"]));
    assert_eq!(current.trim(), format!("{} (head)", set.head().id));
}

#[tokio::test]
async fn upgrade_and_downgrade_accept_every_target_form() {
    let dir = reference_copy();
    let url = fresh_url().await;
    let cur = || {
        ok(&schema(dir.path(), &["--database-url", &url, "current"]))
            .trim()
            .to_owned()
    };
    let run = |args: &[&str]| {
        ok_on(dir.path(), &url, args);
    };
    run(&["upgrade", "+2"]);
    assert_eq!(cur(), "20251228_fts");
    run(&["upgrade", "add_zones"]);
    assert_eq!(cur(), "add_zones_001");
    run(&["downgrade", "-1"]);
    assert_eq!(cur(), "add_alerts_rules");
    run(&["upgrade", "add_alerts_rules+2"]);
    assert_eq!(cur(), "add_audit_logs");
    run(&["upgrade", "head"]);
    assert_eq!(cur(), "add_baselines (head)");
    run(&["downgrade", "add_baselines-3"]);
    assert_eq!(cur(), "add_alerts_rules");
    run(&["downgrade", "968b0dff6a9b"]);
    assert_eq!(cur(), "968b0dff6a9b");
    run(&["downgrade", "base"]);
    assert_eq!(cur(), "");
    let err = schema(dir.path(), &["--database-url", &url, "upgrade", "add"]);
    assert!(!err.status.success());
    assert!(
        stderr(&err).contains("`add` is ambiguous"),
        "{}",
        stderr(&err)
    );
}

#[tokio::test]
async fn sql_output_applied_by_psql_matches_the_online_schema() {
    let dir = reference_copy();
    let online = fresh_url().await;
    ok(&schema(
        dir.path(),
        &["--database-url", &online, "upgrade", "head"],
    ));
    let script = ok(&schema(dir.path(), &["upgrade", "base:head", "--sql"]));
    let offline = fresh_url().await;
    psql(&offline, &script);
    assert_eq!(schema_dump(&online), schema_dump(&offline));
    let current = ok(&schema(
        dir.path(),
        &["--database-url", &offline, "current"],
    ));
    assert_eq!(current.trim(), "add_baselines (head)");
}

#[test]
fn check_fails_on_a_broken_directory_with_the_macros_message() {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = schema(crate_dir, &["--dir", "ui/fail/unmerged_fork", "check"]);
    assert_eq!(out.status.code(), Some(1));
    let cli = stderr(&out);
    let compiler = std::fs::read_to_string(crate_dir.join("ui/fail/unmerged_fork.stderr")).unwrap();
    // Every line the CLI prints stands, in order, in what the compiler prints.
    let mut rest = compiler.as_str();
    for line in cli
        .lines()
        .map(|l| l.trim().trim_start_matches("error: "))
        .filter(|l| !l.is_empty())
    {
        let at = rest
            .find(line)
            .unwrap_or_else(|| panic!("`{line}` not in the compiler's message:\n{compiler}"));
        rest = &rest[at + line.len()..];
    }
    assert!(
        cli.contains("the chain has 2 heads: `b` and `c`, which branch off at `a` and never merge"),
        "{cli}"
    );
}

#[tokio::test]
async fn check_fails_when_the_database_is_behind_and_passes_at_head() {
    let dir = reference_copy();
    let url = fresh_url().await;
    let behind = schema(dir.path(), &["--database-url", &url, "check"]);
    assert_eq!(behind.status.code(), Some(1));
    assert!(
        stderr(&behind).contains("6 revision(s) to apply"),
        "{}",
        stderr(&behind)
    );
    ok(&schema(
        dir.path(),
        &["--database-url", &url, "upgrade", "head"],
    ));
    ok(&schema(dir.path(), &["--database-url", &url, "check"]));
}

#[tokio::test]
async fn new_revision_explains_a_broken_chain_and_accepts_an_explicit_parent() {
    let dir = tempfile::tempdir().unwrap();
    let fork = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/fail/unmerged_fork");
    std::fs::create_dir(dir.path().join("migrations")).unwrap();
    for e in std::fs::read_dir(fork).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join("migrations").join(e.file_name())).unwrap();
    }
    let out = schema(dir.path(), &["new-revision", "-m", "merge"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--revises"), "{}", stderr(&out));
    ok(&schema(
        dir.path(),
        &[
            "new-revision",
            "-m",
            "after c",
            "--revises",
            "c",
            "--rev-id",
            "d",
        ],
    ));
    assert!(dir.path().join("migrations/d_after_c.sql").exists());
}

#[tokio::test]
async fn a_password_in_the_url_never_appears_in_any_output() {
    let dir = reference_copy();
    let Some(cluster) = own_server("a Unix socket that accepts any password") else {
        return;
    };
    // The test cluster trusts local connections, so a password is accepted and ignored.
    let db = cluster.database().unwrap();
    let good = format!(
        "postgresql://postgres:S3cretPw@localhost/{db}?host={}",
        cluster.socket_dir().display()
    );
    let bad = format!(
        "postgresql://postgres:S3cretPw@localhost/nosuchdb?host={}",
        cluster.socket_dir().display()
    );
    let runs = [
        schema(dir.path(), &["--database-url", &good, "upgrade", "head"]),
        schema(
            dir.path(),
            &["--database-url", &good, "current", "--verbose"],
        ),
        schema(
            dir.path(),
            &["--database-url", &good, "current", "--format", "json"],
        ),
        schema(dir.path(), &["--database-url", &bad, "current"]),
        schema(dir.path(), &["--database-url", &bad, "upgrade", "head"]),
        schema(
            dir.path(),
            &["--database-url", &good, "upgrade", "head", "--sql"],
        ),
        Command::new(env!("CARGO_BIN_EXE_schema"))
            .args(["history"])
            .current_dir(dir.path())
            .env("DATABASE_URL", &bad)
            .output()
            .unwrap(),
    ];
    for out in &runs {
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(out));
        assert!(!all.contains("S3cretPw"), "{all}");
    }
    assert!(String::from_utf8_lossy(&runs[1].stdout).contains("postgres:***@"));
    assert!(
        stderr(&runs[3]).contains("postgres:***@"),
        "{}",
        stderr(&runs[3])
    );
}

#[tokio::test]
async fn the_url_comes_from_database_url_then_dotenv_then_the_config_file() {
    let dir = reference_copy();
    let (a, b, c) = (fresh_url().await, fresh_url().await, fresh_url().await);
    std::fs::write(
        dir.path().join("migrations.toml"),
        format!("database_url = {c:?}\n"),
    )
    .unwrap();
    ok(&schema(dir.path(), &["upgrade", "+1"]));
    std::fs::write(dir.path().join(".env"), format!("DATABASE_URL={b}\n")).unwrap();
    ok(&schema(dir.path(), &["upgrade", "+2"]));
    let with_env = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_schema"))
            .args(args)
            .current_dir(dir.path())
            .env(
                "DATABASE_URL",
                a.replace("postgresql://", "postgresql+asyncpg://"),
            )
            .output()
            .unwrap()
    };
    ok(&with_env(&["upgrade", "+3"]));
    let at = |url: &str| {
        ok(&schema(dir.path(), &["--database-url", url, "current"]))
            .trim()
            .to_owned()
    };
    assert_eq!(at(&a), "add_alerts_rules");
    assert_eq!(at(&b), "20251228_fts");
    assert_eq!(at(&c), "968b0dff6a9b");
}

#[tokio::test]
async fn read_only_commands_speak_json() {
    let dir = reference_copy();
    let url = fresh_url().await;
    ok(&schema(
        dir.path(),
        &["--database-url", &url, "upgrade", "+3"],
    ));
    let history: serde_json::Value = serde_json::from_str(&ok(&schema(
        dir.path(),
        &["--database-url", &url, "history", "--format", "json"],
    )))
    .unwrap();
    let rows = history.as_array().unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0]["id"], "add_baselines");
    assert_eq!(rows[0]["is_head"], true);
    assert_eq!(rows[0]["applied"], false);
    assert_eq!(rows[3]["id"], "add_alerts_rules");
    assert_eq!(rows[3]["current"], true);
    let current: serde_json::Value = serde_json::from_str(&ok(&schema(
        dir.path(),
        &["--database-url", &url, "current", "--format", "json"],
    )))
    .unwrap();
    assert_eq!(current["current"][0]["id"], "add_alerts_rules");
    let heads: serde_json::Value =
        serde_json::from_str(&ok(&schema(dir.path(), &["heads", "--format", "json"]))).unwrap();
    assert_eq!(heads[0]["id"], "add_baselines");
}

#[tokio::test]
async fn history_marks_applied_revisions_without_colour_when_not_a_terminal() {
    let dir = reference_copy();
    let url = fresh_url().await;
    ok(&schema(
        dir.path(),
        &["--database-url", &url, "upgrade", "+2"],
    ));
    let out = ok(&schema(dir.path(), &["--database-url", &url, "history"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 6, "{out}");
    assert!(
        lines[0].starts_with("[ ] * add_audit_logs -> add_baselines (head), "),
        "{out}"
    );
    assert!(
        lines[4].starts_with("[x] * 968b0dff6a9b -> 20251228_fts (current), "),
        "{out}"
    );
    assert!(
        lines[5].starts_with("[x] * <base> -> 968b0dff6a9b, "),
        "{out}"
    );
    assert!(!out.contains('\x1b'), "{out:?}");
}

/// A copy of a fixture directory of `ui/` as `migrations/` of a temporary directory.
fn fixture_copy(fixture: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(fixture);
    std::fs::create_dir(dir.path().join("migrations")).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join("migrations").join(e.file_name())).unwrap();
    }
    dir
}

#[tokio::test]
async fn merge_heads_writes_a_merge_revision_that_resolves_the_fork() {
    let dir = fixture_copy("ui/fail/unmerged_fork");
    let heads = schema(dir.path(), &["heads"]);
    assert_eq!(ok(&heads), "b (head)\nc (head)\n");
    assert!(stderr(&heads).contains("merge heads"), "{}", stderr(&heads));
    let url = fresh_url().await;
    let refused = schema(dir.path(), &["--database-url", &url, "upgrade", "head"]);
    assert!(
        stderr(&refused).contains("the chain has 2 heads"),
        "{}",
        stderr(&refused)
    );

    ok(&schema(
        dir.path(),
        &["merge", "heads", "-m", "merge b and c", "--rev-id", "m1"],
    ));
    let text = std::fs::read_to_string(dir.path().join("migrations/m1_merge_b_and_c.sql")).unwrap();
    assert!(text.contains("-- Revises: b, c\n"), "{text}");
    assert_eq!(
        ok(&schema(dir.path(), &["heads"])),
        "m1 (head) (mergepoint)\n"
    );
    ok(&schema(
        dir.path(),
        &["--database-url", &url, "upgrade", "head"],
    ));
    let (_u, mut conn) = (url.clone(), schema_runtime::connect(&url).await.unwrap());
    assert_eq!(version(&mut conn).await, ["m1"]);
    assert_eq!(tables(&mut conn).await, ["t_a", "t_b", "t_c"]);
}

#[test]
fn merge_of_named_revisions_joins_a_branch_that_another_depends_on() {
    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    // root -> q; root -> r -> p, where r depends on q: two heads, q and p.
    for (id, revises, depends) in [
        ("root", "", ""),
        ("q", "root", ""),
        ("r", "root", "q"),
        ("p", "r", ""),
    ] {
        let mut text = format!("-- {id}\n--\n-- Revision ID: {id}\n-- Revises: {revises}\n");
        if !depends.is_empty() {
            text.push_str(&format!("-- Depends On: {depends}\n"));
        }
        text.push_str(&format!(
            "\n-- migrate:upgrade\nCREATE TABLE t_{id} (id int);\n\n-- migrate:downgrade\nDROP TABLE t_{id};\n"
        ));
        std::fs::write(migrations.join(format!("{id}.sql")), text).unwrap();
    }
    // Heads in file-name order, as Alembic lists them.
    assert_eq!(ok(&schema(dir.path(), &["heads"])), "p (head)\nq (head)\n");
    ok(&schema(
        dir.path(),
        &["merge", "p", "q", "-m", "join q", "--rev-id", "m1"],
    ));
    let text = std::fs::read_to_string(migrations.join("m1_join_q.sql")).unwrap();
    // Named revisions are written in the order given, as Alembic does.
    assert!(text.contains("-- Revises: p, q\n"), "{text}");
    assert_eq!(
        ok(&schema(dir.path(), &["heads"])),
        "m1 (head) (mergepoint)\n"
    );
}

#[test]
fn merge_refuses_a_single_revision_or_one_below_another() {
    let dir = fixture_copy("ui/pass/diamond");
    let one = schema(dir.path(), &["merge", "b", "-m", "x"]);
    assert!(
        stderr(&one).contains("nothing to merge"),
        "{}",
        stderr(&one)
    );
    let below = schema(dir.path(), &["merge", "a", "b", "-m", "x"]);
    assert!(
        stderr(&below).contains("`a` is already below `b`"),
        "{}",
        stderr(&below)
    );
}

#[tokio::test]
async fn current_and_heads_show_every_branch_top_below_a_merge() {
    let dir = fixture_copy("ui/pass/labelled_branches");
    let url = fresh_url().await;
    let run = |args: &[&str]| ok_on(dir.path(), &url, args);
    run(&["upgrade", "head"]);
    run(&["downgrade", "-1"]);
    let current = run(&["current"]);
    assert_eq!(current, "n1\ns2\n");
    let verbose = run(&["heads", "--verbose"]);
    assert!(
        verbose.starts_with(
            "Rev: m (head) (mergepoint)\nMerges: s2, n1\nPath: migrations/m_merge.sql\n"
        ),
        "{verbose}"
    );
}

#[tokio::test]
async fn branch_labels_and_heads_work_as_targets_from_the_command_line() {
    let dir = fixture_copy("ui/pass/labelled_branches");
    let url = fresh_url().await;
    let run = |args: &[&str]| ok_on(dir.path(), &url, args);
    // As in Alembic, a label picks the branch where a step up forks, and
    // its line runs on through the merge (so `shop@head` is the head).
    run(&["upgrade", "shop@+2"]);
    assert_eq!(run(&["current"]), "s1\n");
    run(&["upgrade", "shop@+1"]);
    assert_eq!(run(&["current"]), "s2\n");
    run(&["upgrade", "net@+1"]);
    assert_eq!(run(&["current"]), "n1\ns2\n");
    run(&["upgrade", "shop@head"]);
    assert_eq!(run(&["current"]), "m (head)\n");
    run(&["downgrade", "net@a"]);
    assert_eq!(run(&["current"]), "s2\n");
    let sql = run(&["upgrade", "s2:heads", "--sql"]);
    // As Alembic writes it: the revision's parents, whatever rows move.
    assert!(sql.contains("-- Running upgrade a -> n1:"), "{sql}");
    assert!(sql.contains("-- Running upgrade s2, n1 -> m:"), "{sql}");
}

#[test]
fn history_draws_branch_and_merge_points_and_branches_lists_them() {
    let dir = fixture_copy("ui/pass/labelled_branches");
    let out = ok(&schema(
        dir.path(),
        &[
            "--database-url",
            "postgresql://u@127.0.0.1:9/none",
            "history",
        ],
    ));
    assert_eq!(
        out,
        "* s2, n1 -> m (head) (mergepoint), Revision m_merge\n\
         |\\\n\
         * | s1 -> s2 (shop), Revision s2_shop\n\
         | * a -> n1 (net) (depends on s1), Revision n1_net\n\
         * | a -> s1 (shop), Revision s1_shop\n\
         |/\n\
         * <base> -> a (branchpoint), Revision a_base\n"
    );
    let branches = ok(&schema(dir.path(), &["branches"]));
    assert!(
        branches.starts_with("a (branchpoint), Revision a_base\n    -> s1 (shop), Revision s1_shop\n    -> n1 (net), Revision n1_net\n"),
        "{branches}"
    );
    assert!(
        branches.contains("shop@base..shop@head: s1 -> s2 (2 revision(s))"),
        "{branches}"
    );
}
