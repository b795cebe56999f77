//! The promises of the README and the docs that no other test file holds,
//! one behaviour per test: downgrades through non-transactional revisions,
//! failing downgrades in each transaction mode, `stamp` and the log table,
//! drift after `--allow-drift` and on a downgrade, `--single-transaction`
//! from a revision other than base, the lock timeout, every key of
//! `migrations.toml`, and the commands and options the README shows.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::*;
use schema_runtime::{Direction, MigrateError, Migrator, TransactionMode};
use sqlx::PgConnection;

// ---------------------------------------------------------------- helpers

/// The `in_progress` mark of a revision's log row (`None`: no mark or no row).
async fn mark(conn: &mut PgConnection, id: &str) -> Option<String> {
    sqlx::query_scalar::<_, Option<String>>(
        "SELECT in_progress FROM alembic_version_log WHERE version_num = $1",
    )
    .bind(id)
    .fetch_optional(conn)
    .await
    .unwrap()
    .flatten()
}

/// The checksum the log recorded for a revision.
async fn recorded_checksum(conn: &mut PgConnection, id: &str) -> String {
    sqlx::query_scalar("SELECT checksum::text FROM alembic_version_log WHERE version_num = $1")
        .bind(id)
        .fetch_one(conn)
        .await
        .unwrap()
}

/// The checksum of revision `id` in a migrator's set.
fn checksum_of(m: &Migrator, id: &str) -> String {
    m.set()
        .revisions()
        .iter()
        .find(|r| &*r.id == id)
        .unwrap()
        .checksum_hex()
}

/// The built CLI run in `cwd`, with nothing in the environment that names a URL.
fn cli_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schema"))
        .args(args)
        .current_dir(cwd)
        .env_remove("DATABASE_URL")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Stdout of a run that must have succeeded.
fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "failed: {}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Stderr of a run that must have exited 1.
fn failed(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The migration lock of the default version table (`public.alembic_version`),
/// held by a connection of its own until it is dropped.
async fn hold_migration_lock(url: &str, m: &Migrator) -> PgConnection {
    let key = m.clone().schema("public").version_table().lock_key();
    let mut holder = schema_runtime::connect(url).await.unwrap();
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(key)
        .execute(&mut holder)
        .await
        .unwrap();
    holder
}

// ------------------------------------- downgrades through non-transactional revisions

/// t1 and t3 transactional, n2 and n4 non-transactional; every downgrade
/// records itself in `side_effects`.
fn mixed_chain() -> Vec<Rev<'static>> {
    vec![
        rev(
            "t1",
            "CREATE TABLE a (id int);",
            "DROP TABLE a;\nINSERT INTO side_effects VALUES ('down t1');",
        ),
        Rev {
            id: "n2",
            up: "CREATE INDEX CONCURRENTLY a_id ON a (id);",
            down: Some(
                "DROP INDEX CONCURRENTLY a_id;\nINSERT INTO side_effects VALUES ('down n2');",
            ),
            options: "non-transactional",
        },
        rev(
            "t3",
            "CREATE TABLE b (id int);",
            "DROP TABLE b;\nINSERT INTO side_effects VALUES ('down t3');",
        ),
        Rev {
            id: "n4",
            up: "CREATE INDEX CONCURRENTLY b_id ON b (id);",
            down: Some(
                "DROP INDEX CONCURRENTLY b_id;\nINSERT INTO side_effects VALUES ('down n4');",
            ),
            options: "non-transactional",
        },
    ]
}

#[tokio::test]
async fn a_downgrade_through_mixed_transactional_and_non_transactional_revisions_reverts_each_once()
{
    let (_url, mut conn) = counted_db().await;
    let (_d, m) = migrator(&mixed_chain());
    m.upgrade(&mut conn, "head").await.unwrap();
    let report = m.downgrade(&mut conn, "base").await.unwrap();
    let order: Vec<&str> = report.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(order, ["n4", "t3", "n2", "t1"]);
    assert_eq!(
        effects(&mut conn).await,
        once(&["down n4", "down t3", "down n2", "down t1"])
    );
    assert!(version(&mut conn).await.is_empty());
    assert!(logged(&mut conn).await.is_empty());
    assert_eq!(tables(&mut conn).await, ["side_effects"]);
}

/// r1 transactional; r2 non-transactional whose downgrade is `down` (three
/// statements); r3 transactional.
fn failing_down_chain(down: &'static str) -> Vec<Rev<'static>> {
    vec![
        rev(
            "r1",
            "SELECT 1;",
            "INSERT INTO side_effects VALUES ('down r1');",
        ),
        Rev {
            id: "r2",
            up: "SELECT 1;",
            down: Some(down),
            options: "non-transactional",
        },
        rev(
            "r3",
            "SELECT 1;",
            "INSERT INTO side_effects VALUES ('down r3');",
        ),
    ]
}

const BROKEN_DOWN: &str = "INSERT INTO side_effects VALUES ('d1');\n\
                           INSERT INTO missing VALUES (1);\n\
                           INSERT INTO side_effects VALUES ('d3');";

const FIXED_DOWN: &str = "INSERT INTO side_effects VALUES ('d1');\n\
                          INSERT INTO side_effects VALUES ('d2');\n\
                          INSERT INTO side_effects VALUES ('d3');";

#[tokio::test]
async fn a_failing_non_transactional_downgrade_keeps_its_completed_statements_and_is_marked() {
    let (_url, mut conn) = counted_db().await;
    let (_d, m) = migrator(&failing_down_chain(BROKEN_DOWN));
    m.upgrade(&mut conn, "head").await.unwrap();
    let err = m.downgrade(&mut conn, "base").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert_eq!(
        (s.revision.as_str(), s.direction),
        ("r2", Direction::Downgrade)
    );
    // Header (6 lines with Options), a blank, the upgrade marker, its line,
    // a blank, the downgrade marker: the section starts on line 12.
    assert_eq!((s.line, s.column), (13, 13), "{err}");
    assert_eq!(s.statements_done, Some((1, 3)), "{err}");
    // r3 was reverted, r2 is still applied, marked with how far it got.
    assert_eq!(version(&mut conn).await, ["r2"]);
    assert_eq!(mark(&mut conn, "r2").await.as_deref(), Some("downgrade 1"));
    assert_eq!(effects(&mut conn).await, once(&["down r3", "d1"]));
}

#[tokio::test]
async fn an_interrupted_non_transactional_downgrade_is_refused_until_resumed_after_its_last_completed_statement(
) {
    let (_url, mut conn) = counted_db().await;
    let (_d, m) = migrator(&failing_down_chain(BROKEN_DOWN));
    m.upgrade(&mut conn, "head").await.unwrap();
    m.downgrade(&mut conn, "base").await.unwrap_err();
    let (_d, fixed) = migrator(&failing_down_chain(FIXED_DOWN));
    let err = fixed.downgrade(&mut conn, "base").await.unwrap_err();
    assert!(
        matches!(&err, MigrateError::Interrupted { revision, direction, progress, .. }
            if revision == "r2" && direction == "downgrade" && progress.contains("1 of its 3")),
        "{err}"
    );
    assert_eq!(version(&mut conn).await, ["r2"]);
    fixed
        .resume_interrupted(true)
        .downgrade(&mut conn, "base")
        .await
        .unwrap();
    assert!(version(&mut conn).await.is_empty());
    assert!(logged(&mut conn).await.is_empty());
    // d1 ran once, before the failure; the resumed run began at d2.
    assert_eq!(
        effects(&mut conn).await,
        once(&["down r3", "d1", "d2", "d3", "down r1"])
    );
}

// ------------------------------------- a failing downgrade in each transaction mode

/// a, b, c; b's downgrade fails on line 12, column 8 (`nope`).
fn failing_b_down() -> Vec<Rev<'static>> {
    let mut revs = abc();
    revs[1].down = Some("SELECT 1;\nSELECT nope FROM b;");
    revs
}

#[tokio::test]
async fn a_failing_downgrade_per_revision_points_at_its_line_and_keeps_what_was_reverted_before_it()
{
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&failing_b_down());
    m.upgrade(&mut conn, "head").await.unwrap();
    let err = m.downgrade(&mut conn, "base").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert_eq!(
        (s.revision.as_str(), s.direction),
        ("bbb222", Direction::Downgrade)
    );
    assert_eq!((s.line, s.column), (12, 8), "{err}");
    assert_eq!(s.path, "migrations/bbb222.sql");
    assert_eq!(s.database_at, ["bbb222"]);
    assert!(!s.whole_run_rolled_back);
    assert_eq!(version(&mut conn).await, ["bbb222"]);
    assert_eq!(logged(&mut conn).await, ["aaa111", "bbb222"]);
    assert_eq!(tables(&mut conn).await, ["a", "b"]);
}

#[tokio::test]
async fn a_failing_downgrade_in_one_transaction_points_at_its_line_and_reverts_nothing() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&failing_b_down());
    m.upgrade(&mut conn, "head").await.unwrap();
    let err = m
        .transaction_mode(TransactionMode::Single)
        .downgrade(&mut conn, "base")
        .await
        .unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert_eq!(
        (s.revision.as_str(), s.direction),
        ("bbb222", Direction::Downgrade)
    );
    assert_eq!((s.line, s.column), (12, 8), "{err}");
    assert_eq!(s.database_at, ["ccc333"]);
    assert!(s.whole_run_rolled_back);
    assert_eq!(version(&mut conn).await, ["ccc333"]);
    assert_eq!(logged(&mut conn).await, ["aaa111", "bbb222", "ccc333"]);
    assert_eq!(tables(&mut conn).await, ["a", "b", "c"]);
}

// ------------------------------------------------------------------ stamp

#[tokio::test]
async fn stamping_down_removes_the_log_rows_above_the_target_and_runs_nothing() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    m.upgrade(&mut conn, "head").await.unwrap();
    let report = m.stamp(&mut conn, "aaa111", false).await.unwrap();
    assert_eq!(report.direction, Direction::Downgrade);
    assert_eq!(version(&mut conn).await, ["aaa111"]);
    assert_eq!(logged(&mut conn).await, ["aaa111"]);
    assert_eq!(tables(&mut conn).await, ["a", "b", "c"]);
}

#[tokio::test]
async fn stamping_base_empties_the_version_table_and_the_log() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    m.upgrade(&mut conn, "head").await.unwrap();
    m.stamp(&mut conn, "base", false).await.unwrap();
    assert!(version(&mut conn).await.is_empty());
    assert!(logged(&mut conn).await.is_empty());
    assert_eq!(tables(&mut conn).await, ["a", "b", "c"]);
}

#[tokio::test]
async fn stamping_without_purge_keeps_the_recorded_checksums_so_an_edit_stays_drift() {
    let (_url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    write_chain(dir.path(), &abc());
    let original = Migrator::load(dir.path(), "migrations").unwrap();
    original.upgrade(&mut conn, "head").await.unwrap();
    let mut edited = abc();
    edited[0].up = "CREATE TABLE a (id bigint);";
    write_chain(dir.path(), &edited);
    let m = Migrator::load(dir.path(), "migrations").unwrap();
    m.stamp(&mut conn, "head", false).await.unwrap();
    assert_eq!(
        recorded_checksum(&mut conn, "aaa111").await,
        checksum_of(&original, "aaa111")
    );
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    assert!(matches!(err, MigrateError::Drift { .. }), "{err}");
}

#[tokio::test]
async fn stamping_with_purge_records_the_files_checksums_so_an_edit_is_accepted() {
    let (_url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    write_chain(dir.path(), &abc());
    Migrator::load(dir.path(), "migrations")
        .unwrap()
        .upgrade(&mut conn, "head")
        .await
        .unwrap();
    let mut edited = abc();
    edited[0].up = "CREATE TABLE a (id bigint);";
    write_chain(dir.path(), &edited);
    let m = Migrator::load(dir.path(), "migrations").unwrap();
    m.stamp(&mut conn, "head", true).await.unwrap();
    assert_eq!(version(&mut conn).await, ["ccc333"]);
    assert_eq!(logged(&mut conn).await, ["aaa111", "bbb222", "ccc333"]);
    assert_eq!(
        recorded_checksum(&mut conn, "aaa111").await,
        checksum_of(&m, "aaa111")
    );
    assert!(m.upgrade(&mut conn, "head").await.unwrap().steps.is_empty());
}

#[tokio::test]
async fn the_stamp_command_records_the_named_revision_up_or_down_without_running_it() {
    let (url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    write_chain(dir.path(), &abc());
    let up = ok(&cli(dir.path(), &url, &["stamp", "head"]).output().unwrap());
    assert_eq!(up.trim(), "Stamped ccc333");
    assert_eq!(version(&mut conn).await, ["ccc333"]);
    assert_eq!(logged(&mut conn).await, ["aaa111", "bbb222", "ccc333"]);
    let down = ok(&cli(dir.path(), &url, &["stamp", "aaa111"])
        .output()
        .unwrap());
    assert_eq!(down.trim(), "Stamped aaa111");
    assert_eq!(version(&mut conn).await, ["aaa111"]);
    assert_eq!(logged(&mut conn).await, ["aaa111"]);
    assert!(tables(&mut conn).await.is_empty());
}

#[tokio::test]
async fn the_stamp_command_with_purge_repairs_an_impossible_version_table() {
    let (url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    write_chain(dir.path(), &abc());
    ok(&cli(dir.path(), &url, &["upgrade", "head"])
        .output()
        .unwrap());
    sqlx::raw_sql("INSERT INTO alembic_version VALUES ('aaa111')")
        .execute(&mut conn)
        .await
        .unwrap();
    let refused = failed(
        &cli(dir.path(), &url, &["stamp", "bbb222"])
            .output()
            .unwrap(),
    );
    assert!(refused.contains("--purge"), "{refused}");
    let out = ok(&cli(dir.path(), &url, &["stamp", "bbb222", "--purge"])
        .output()
        .unwrap());
    assert_eq!(out.trim(), "Stamped bbb222");
    assert_eq!(version(&mut conn).await, ["bbb222"]);
    assert_eq!(logged(&mut conn).await, ["aaa111", "bbb222"]);
}

// ------------------------------------------------- --single-transaction failing

#[tokio::test]
async fn a_failing_single_transaction_upgrade_from_a_revision_leaves_the_database_at_it() {
    let (url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    let mut revs = abc();
    revs[2].up = "CREATE TABLE c (id int);\nSELECT nope FROM c;";
    write_chain(dir.path(), &revs);
    ok(&cli(dir.path(), &url, &["upgrade", "aaa111"])
        .output()
        .unwrap());
    let stderr = failed(
        &cli(
            dir.path(),
            &url,
            &["upgrade", "head", "--single-transaction"],
        )
        .output()
        .unwrap(),
    );
    assert!(stderr.contains("/ccc333.sql:9:8"), "{stderr}");
    assert!(
        stderr.contains("the whole run was one transaction and was rolled back; the database is still at `aaa111`"),
        "{stderr}"
    );
    assert_eq!(version(&mut conn).await, ["aaa111"]);
    assert_eq!(logged(&mut conn).await, ["aaa111"]);
    assert_eq!(tables(&mut conn).await, ["a"]);
}

#[tokio::test]
async fn a_failing_single_transaction_downgrade_reverts_nothing() {
    let (url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    let mut revs = abc();
    revs[0].down = Some("SELECT nope FROM a;");
    write_chain(dir.path(), &revs);
    ok(&cli(dir.path(), &url, &["upgrade", "head"])
        .output()
        .unwrap());
    let stderr = failed(
        &cli(
            dir.path(),
            &url,
            &["downgrade", "base", "--single-transaction"],
        )
        .output()
        .unwrap(),
    );
    assert!(stderr.contains("/aaa111.sql:11:8"), "{stderr}");
    assert!(
        stderr.contains("the whole run was one transaction and was rolled back; the database is still at `ccc333`"),
        "{stderr}"
    );
    assert_eq!(version(&mut conn).await, ["ccc333"]);
    assert_eq!(logged(&mut conn).await, ["aaa111", "bbb222", "ccc333"]);
    assert_eq!(tables(&mut conn).await, ["a", "b", "c"]);
}

// ------------------------------------------------------------------ drift

#[tokio::test]
async fn an_allowed_drift_leaves_the_applied_checksum_in_the_log_and_the_next_run_reports_it_again()
{
    let (_url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    write_chain(dir.path(), &abc()[..2]);
    let original = Migrator::load(dir.path(), "migrations").unwrap();
    original.upgrade(&mut conn, "head").await.unwrap();
    let mut edited = abc();
    edited[0].up = "CREATE TABLE a (id bigint);";
    write_chain(dir.path(), &edited);
    let m = Migrator::load(dir.path(), "migrations").unwrap();
    m.clone()
        .allow_drift(true)
        .upgrade(&mut conn, "head")
        .await
        .unwrap();
    assert_eq!(version(&mut conn).await, ["ccc333"]);
    // The log still says what was applied: the checksum of the old text.
    assert_eq!(
        recorded_checksum(&mut conn, "aaa111").await,
        checksum_of(&original, "aaa111")
    );
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Drift { drift } = &err else {
        panic!("{err}")
    };
    assert_eq!(drift.len(), 1);
    assert_eq!(drift[0].revision, "aaa111");
}

#[tokio::test]
async fn a_drifted_revision_can_be_downgraded_and_is_reapplied_with_its_new_checksum() {
    let (_url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    write_chain(dir.path(), &abc());
    Migrator::load(dir.path(), "migrations")
        .unwrap()
        .upgrade(&mut conn, "head")
        .await
        .unwrap();
    let mut edited = abc();
    edited[1].up = "CREATE TABLE b (id bigint);";
    write_chain(dir.path(), &edited);
    let m = Migrator::load(dir.path(), "migrations").unwrap();
    assert!(matches!(
        m.upgrade(&mut conn, "head").await.unwrap_err(),
        MigrateError::Drift { .. }
    ));
    // A downgrade reverts revisions; it does not refuse an edited upgrade.
    m.downgrade(&mut conn, "aaa111").await.unwrap();
    assert_eq!(logged(&mut conn).await, ["aaa111"]);
    m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(
        recorded_checksum(&mut conn, "bbb222").await,
        checksum_of(&m, "bbb222")
    );
    assert!(m.upgrade(&mut conn, "head").await.unwrap().steps.is_empty());
}

#[tokio::test]
async fn an_edited_downgrade_section_is_not_drift_and_the_downgrade_runs_the_edit() {
    let (_url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    write_chain(dir.path(), &abc());
    Migrator::load(dir.path(), "migrations")
        .unwrap()
        .upgrade(&mut conn, "head")
        .await
        .unwrap();
    let mut edited = abc();
    edited[2].down = Some("DROP TABLE c;\nCREATE TABLE c_reverted (id int);");
    write_chain(dir.path(), &edited);
    let m = Migrator::load(dir.path(), "migrations").unwrap();
    assert!(m.upgrade(&mut conn, "head").await.unwrap().steps.is_empty());
    m.downgrade(&mut conn, "-1").await.unwrap();
    assert_eq!(tables(&mut conn).await, ["a", "b", "c_reverted"]);
}

// ------------------------------------------------------------- lock timeout

#[tokio::test]
async fn lock_timeout_ms_bounds_the_wait_for_another_migrator() {
    let (url, mut conn) = fresh_db().await;
    let (dir, m) = migrator(&abc());
    let _holder = hold_migration_lock(&url, &m).await;
    let started = std::time::Instant::now();
    let stderr = failed(
        &cli(
            dir.path(),
            &url,
            &["upgrade", "head", "--lock-timeout-ms", "300"],
        )
        .output()
        .unwrap(),
    );
    // The default wait is 60 s.
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    assert!(
        stderr.contains("another migrator held the migration lock for more than"),
        "{stderr}"
    );
    assert!(tables(&mut conn).await.is_empty());
}

// ------------------------------------------------------------ migrations.toml

/// A working directory holding `migrations.toml` with `config`, and the
/// chain a, b, c in `chain_dir` under it.
fn project(config: &str, chain_dir: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(chain_dir)).unwrap();
    write_chain(&dir.path().join(chain_dir), &abc());
    std::fs::write(dir.path().join("migrations.toml"), config).unwrap();
    dir
}

#[tokio::test]
async fn directory_in_the_config_file_names_the_migrations_directory() {
    let (url, mut conn) = fresh_db().await;
    let dir = project("directory = \"db/revisions\"\n", "db/revisions");
    ok(&cli_in(
        dir.path(),
        &["--database-url", &url, "upgrade", "head"],
    ));
    assert_eq!(version(&mut conn).await, ["ccc333"]);
}

#[tokio::test]
async fn version_table_and_its_schema_in_the_config_file_name_where_the_revision_is_kept() {
    let (url, mut conn) = fresh_db().await;
    sqlx::raw_sql("CREATE SCHEMA meta")
        .execute(&mut conn)
        .await
        .unwrap();
    let dir = project(
        "version_table = \"deploys\"\nversion_table_schema = \"meta\"\n",
        "migrations",
    );
    ok(&cli_in(
        dir.path(),
        &["--database-url", &url, "upgrade", "head"],
    ));
    let rows: Vec<String> = sqlx::query_scalar("SELECT version_num::text FROM meta.deploys")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(rows, ["ccc333"]);
    let default_table: Option<String> =
        sqlx::query_scalar("SELECT to_regclass('public.alembic_version')::text")
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert_eq!(default_table, None);
    let current = ok(&cli_in(dir.path(), &["--database-url", &url, "current"]));
    assert_eq!(current.trim(), "ccc333 (head)");
}

#[tokio::test]
async fn lock_timeout_ms_in_the_config_file_bounds_the_wait_for_another_migrator() {
    let (url, mut conn) = fresh_db().await;
    let dir = project("lock_timeout_ms = 300\n", "migrations");
    let m = Migrator::load(&dir.path().join("migrations"), "migrations").unwrap();
    let _holder = hold_migration_lock(&url, &m).await;
    let started = std::time::Instant::now();
    let stderr = failed(&cli_in(
        dir.path(),
        &["--database-url", &url, "upgrade", "head"],
    ));
    assert!(started.elapsed().as_secs() < 30, "{:?}", started.elapsed());
    assert!(
        stderr.contains("another migrator held the migration lock for more than"),
        "{stderr}"
    );
    assert!(tables(&mut conn).await.is_empty());
}

#[tokio::test]
async fn config_names_a_config_file_other_than_migrations_toml() {
    let (url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("revs")).unwrap();
    write_chain(&dir.path().join("revs"), &abc());
    std::fs::write(
        dir.path().join("deploy.toml"),
        format!("database_url = {url:?}\ndirectory = \"revs\"\n"),
    )
    .unwrap();
    ok(&cli_in(
        dir.path(),
        &["--config", "deploy.toml", "upgrade", "head"],
    ));
    assert_eq!(version(&mut conn).await, ["ccc333"]);
}

#[test]
fn a_config_file_named_by_config_that_does_not_exist_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let stderr = failed(&cli_in(dir.path(), &["--config", "nope.toml", "heads"]));
    assert!(stderr.contains("error: cannot read nope.toml"), "{stderr}");
}

// ------------------------------------------------------------ the default URL

#[test]
fn without_any_url_the_default_on_localhost_is_tried_and_named_without_its_password() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("migrations")).unwrap();
    write_chain(&dir.path().join("migrations"), &abc());
    let stderr = failed(&cli_in(dir.path(), &["current"]));
    assert!(
        stderr.contains("cannot connect to postgresql://security:***@localhost:5432/security"),
        "{stderr}"
    );
    assert!(!stderr.contains(":password@"), "{stderr}");
}

// ------------------------------------------------- commands the README shows

/// A working directory with the chain a, b, c in `migrations/`.
fn abc_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("migrations")).unwrap();
    write_chain(&dir.path().join("migrations"), &abc());
    dir
}

#[test]
fn show_prints_one_revision_named_by_a_prefix_with_both_sections() {
    let dir = abc_project();
    let out = ok(&cli_in(dir.path(), &["show", "bbb"]));
    assert!(out.contains("Rev: bbb222"), "{out}");
    assert!(out.contains("Parent: aaa111"), "{out}");
    assert!(out.contains("Path: migrations/bbb222.sql"), "{out}");
    assert!(
        out.contains("-- migrate:upgrade (line 8)\nCREATE TABLE b (id int);"),
        "{out}"
    );
    assert!(
        out.contains("-- migrate:downgrade (line 11)\nDROP TABLE b;"),
        "{out}"
    );
}

#[test]
fn show_speaks_json() {
    let dir = abc_project();
    let out = ok(&cli_in(dir.path(), &["show", "bbb222", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["id"], "bbb222");
    // A section runs to the next marker: the blank line before it counts.
    assert_eq!(v["upgrade"], "CREATE TABLE b (id int);\n\n");
    assert_eq!(v["downgrade"], "DROP TABLE b;\n");
}

#[test]
fn branches_speaks_json() {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/pass/labelled_branches");
    std::fs::create_dir(dir.path().join("migrations")).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join("migrations").join(e.file_name())).unwrap();
    }
    let out = ok(&cli_in(dir.path(), &["branches", "--format", "json"]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["branch_points"][0]["id"], "a", "{v}");
    let labels = v["labels"].to_string();
    assert!(labels.contains("shop") && labels.contains("net"), "{v}");
}

#[tokio::test]
async fn history_verbose_prints_a_block_per_revision_with_when_it_was_applied() {
    let (url, _conn) = fresh_db().await;
    let dir = abc_project();
    ok(&cli_in(
        dir.path(),
        &["--database-url", &url, "upgrade", "aaa111"],
    ));
    let out = ok(&cli_in(
        dir.path(),
        &["--database-url", &url, "history", "-v"],
    ));
    for id in ["aaa111", "bbb222", "ccc333"] {
        assert!(out.contains(&format!("Rev: {id}")), "{out}");
    }
    assert_eq!(out.matches("Applied at: ").count(), 1, "{out}");
    let (applied, rest) = out.split_once("Applied at: ").unwrap();
    assert!(
        applied.contains("Rev: aaa111") && !rest.contains("Rev: "),
        "{out}"
    );
}

#[test]
fn history_with_a_range_shows_only_the_revisions_in_it() {
    let dir = abc_project();
    // A URL where nothing listens: history then marks nothing.
    let out = ok(&cli_in(
        dir.path(),
        &[
            "--database-url",
            "postgresql://u@127.0.0.1:9/none",
            "history",
            "-r",
            "bbb222:ccc333",
        ],
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 2, "{out}");
    assert!(lines[0].contains("bbb222 -> ccc333 (head)"), "{out}");
    assert!(lines[1].contains("aaa111 -> bbb222"), "{out}");
}

#[tokio::test]
async fn current_verbose_names_the_url_its_source_and_each_revisions_file_and_time() {
    let (url, _conn) = fresh_db().await;
    let dir = abc_project();
    ok(&cli_in(
        dir.path(),
        &["--database-url", &url, "upgrade", "bbb222"],
    ));
    let out = ok(&cli_in(
        dir.path(),
        &["--database-url", &url, "current", "--verbose"],
    ));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines[0].starts_with("Current revision(s) for postgresql://"),
        "{out}"
    );
    assert!(lines[0].ends_with(" (from --database-url):"), "{out}");
    assert_eq!(lines[1], "bbb222, Revision bbb222");
    assert_eq!(lines[2], "    Path: migrations/bbb222.sql");
    assert!(lines[3].starts_with("    Applied at: 20"), "{out}");
}

#[tokio::test]
async fn allow_drift_on_the_command_line_upgrades_over_an_edited_applied_revision() {
    let (url, mut conn) = fresh_db().await;
    let dir = abc_project();
    let run = |args: &[&str]| {
        let mut all = vec!["--database-url", url.as_str()];
        all.extend_from_slice(args);
        cli_in(dir.path(), &all)
    };
    ok(&run(&["upgrade", "aaa111"]));
    let mut edited = abc();
    edited[0].up = "CREATE TABLE a (id bigint);";
    write_chain(&dir.path().join("migrations"), &edited);
    let refused = failed(&run(&["upgrade", "head"]));
    assert!(
        refused.contains("1 applied revision(s) changed since they were applied")
            && refused.contains("migrations/aaa111.sql (revision `aaa111`: applied ")
            && refused.contains("--allow-drift"),
        "{refused}"
    );
    assert_eq!(version(&mut conn).await, ["aaa111"]);
    ok(&run(&["upgrade", "head", "--allow-drift"]));
    assert_eq!(version(&mut conn).await, ["ccc333"]);
}

/// A working directory with the fixture `ui/pass/labelled_branches` (a
/// branch point `a`, branches `shop` (s1, s2) and `net` (n1), merge `m`)
/// in `migrations/`.
fn labelled_branches_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/pass/labelled_branches");
    std::fs::create_dir(dir.path().join("migrations")).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join("migrations").join(e.file_name())).unwrap();
    }
    dir
}

#[tokio::test]
async fn upgrade_heads_from_the_command_line_applies_every_branch() {
    let (url, mut conn) = fresh_db().await;
    let dir = labelled_branches_project();
    ok(&cli_in(
        dir.path(),
        &["--database-url", &url, "upgrade", "heads"],
    ));
    assert_eq!(version(&mut conn).await, ["m"]);
    assert_eq!(logged(&mut conn).await, ["a", "m", "n1", "s1", "s2"]);
}

#[tokio::test]
async fn current_verbose_shows_a_block_for_each_branch_top_below_a_merge() {
    let (url, _conn) = fresh_db().await;
    let dir = labelled_branches_project();
    let run = |args: &[&str]| {
        let mut all = vec!["--database-url", url.as_str()];
        all.extend_from_slice(args);
        ok(&cli_in(dir.path(), &all))
    };
    run(&["upgrade", "head"]);
    run(&["downgrade", "-1"]);
    let out = run(&["current", "--verbose"]);
    let firsts: Vec<&str> = out
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with(' '))
        .collect();
    assert_eq!(firsts.len(), 2, "{out}");
    assert!(firsts[0].starts_with("n1, "), "{out}");
    assert!(firsts[1].starts_with("s2, "), "{out}");
    assert!(out.contains("    Path: migrations/n1_net.sql\n"), "{out}");
    assert!(out.contains("    Path: migrations/s2_shop.sql\n"), "{out}");
    assert_eq!(out.matches("    Applied at: ").count(), 2, "{out}");
}
