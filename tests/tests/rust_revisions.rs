//! Revisions written in Rust (`.rs` files in the migrations directory):
//! compiled into the application by `migrations!()`, run on the run's
//! connection inside their own transaction, recorded with it, refused where
//! they cannot run.

mod common;

use std::path::Path;

use common::{fresh_db, logged, tables, version};
use schema_runtime::sqlx::{self, PgConnection};
use schema_runtime::{Direction, MigrateError, Migrator, Range, Target, TransactionMode};

mod mixed {
    schema_runtime::migrations!("chains/mixed");
}
mod failing {
    schema_runtime::migrations!("chains/failing_rust");
}
mod committing {
    schema_runtime::migrations!("chains/committing_rust");
}

async fn codes(conn: &mut PgConnection) -> Vec<(i64, String)> {
    sqlx::query_as("SELECT item_id, code FROM item_codes ORDER BY item_id")
        .fetch_all(conn)
        .await
        .unwrap()
}

fn chain_dir(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("chains")
        .join(name)
}

#[tokio::test]
async fn a_mixed_chain_runs_its_rust_revision_between_the_sql_ones() {
    let (_url, mut conn) = fresh_db().await;
    let m = Migrator::new(&mixed::migrations::SET);
    let report = m.upgrade(&mut conn, mixed::migrations::HEAD).await.unwrap();
    let ids: Vec<&str> = report.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a1", "b2", "c3", "d4", "e5"]);
    assert_eq!(
        codes(&mut conn).await,
        [
            (1, "AREMAC-1".to_owned()),
            (2, "ENOZ-2".to_owned()),
            (3, "TRELA-3".to_owned())
        ]
    );
    assert_eq!(version(&mut conn).await, ["e5"]);
    assert_eq!(logged(&mut conn).await, ["a1", "b2", "c3", "d4", "e5"]);
}

#[tokio::test]
async fn a_mixed_chain_goes_down_through_its_rust_revision() {
    let (_url, mut conn) = fresh_db().await;
    let m = Migrator::new(&mixed::migrations::SET);
    m.upgrade(&mut conn, "head").await.unwrap();
    m.downgrade(&mut conn, "b2").await.unwrap();
    assert!(codes(&mut conn).await.is_empty());
    assert_eq!(version(&mut conn).await, ["b2"]);
    m.downgrade(&mut conn, "base").await.unwrap();
    assert!(tables(&mut conn).await.is_empty());
}

#[tokio::test]
async fn a_non_transactional_rust_revision_runs_on_the_bare_connection() {
    let (_url, mut conn) = fresh_db().await;
    let m = Migrator::new(&mixed::migrations::SET);
    m.upgrade(&mut conn, "head").await.unwrap();
    let indexes: Vec<String> = sqlx::query_scalar(
        "SELECT indexname::text FROM pg_indexes WHERE tablename = 'items' ORDER BY 1",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(indexes, ["items_name", "items_pkey"]);
    m.downgrade(&mut conn, "-1").await.unwrap();
    assert_eq!(version(&mut conn).await, ["d4"]);
}

#[tokio::test]
async fn the_sql_revisions_each_side_of_a_rust_revision_go_as_one_message_each() {
    let (url, mut conn) = fresh_db().await;
    let Some((mut logged_conn, mark)) = common::logging_connection(&url, &mut conn).await else {
        return;
    };
    Migrator::new(&mixed::migrations::SET)
        .upgrade(&mut logged_conn, "d4")
        .await
        .unwrap();
    let sent = common::messages_since(mark);
    let pipelines: Vec<&String> = sent
        .iter()
        .filter(|l| l.contains("revision(s) in one message"))
        .collect();
    assert_eq!(pipelines.len(), 2, "{sent:#?}");
    assert!(
        pipelines[0].contains("upgrade base -> b2: 2 revision(s)"),
        "{sent:#?}"
    );
    assert!(
        pipelines[1].contains("upgrade c3 -> d4: 1 revision(s)"),
        "{sent:#?}"
    );
    // Between them, the Rust revision's own transaction, with its record.
    let at = |needle: &str| sent.iter().position(|l| l.contains(needle)).unwrap();
    let first = sent.iter().position(|l| l == pipelines[0]).unwrap();
    let second = sent.iter().position(|l| l == pipelines[1]).unwrap();
    assert!(
        first < at("statement: BEGIN") && at("statement: COMMIT") < second,
        "{sent:#?}"
    );
}

#[tokio::test]
async fn a_failing_rust_revision_leaves_the_last_good_revision_and_names_itself() {
    let (_url, mut conn) = fresh_db().await;
    let m = Migrator::new(&failing::migrations::SET);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::CodeFailed {
        revision,
        path,
        line,
        database_at,
        ..
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!((revision.as_str(), *line), ("c3", 28), "{err}");
    assert!(
        path.ends_with("chains/failing_rust/c3_fill_codes.rs"),
        "{path}"
    );
    assert_eq!(database_at, &["b2"]);
    // The row it wrote went with its transaction.
    assert!(codes(&mut conn).await.is_empty());
    assert_eq!(version(&mut conn).await, ["b2"]);
    let applied: Vec<&str> = err.applied().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(applied, ["a1", "b2"]);
}

#[tokio::test]
async fn a_failing_rust_revision_shows_its_error_source_chain() {
    let (_url, mut conn) = fresh_db().await;
    let err = Migrator::new(&failing::migrations::SET)
        .upgrade(&mut conn, "head")
        .await
        .unwrap_err();
    let source = std::error::Error::source(&err).expect("the revision's error");
    assert_eq!(
        source.to_string(),
        "cannot read the serial number of item `camera`"
    );
    let rendered = err.render();
    assert!(
        rendered.contains("revision `c3` failed to upgrade: cannot read the serial number")
            && rendered.contains("c3_fill_codes.rs:28")
            && rendered.contains("= caused by: invalid digit found in string")
            && rendered.contains("the database is at `b2`, the last good revision"),
        "{rendered}"
    );
}

#[tokio::test]
async fn an_edited_rust_revision_is_drift() {
    let (_url, mut conn) = fresh_db().await;
    Migrator::new(&mixed::migrations::SET)
        .upgrade(&mut conn, "head")
        .await
        .unwrap();
    // The same chain read from files, with the Rust revision edited since.
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(chain_dir("mixed")).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let file = dir.path().join("c3_fill_codes.rs");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("to_uppercase", "to_lowercase")).unwrap();
    let edited = Migrator::load(dir.path(), "migrations").unwrap();
    let err = edited.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Drift { drift } = &err else {
        panic!("{err}")
    };
    assert_eq!(drift.len(), 1, "{err}");
    assert_eq!(drift[0].revision, "c3");
    assert_eq!(drift[0].path, "migrations/c3_fill_codes.rs");
}

#[tokio::test]
async fn a_set_read_from_files_refuses_to_run_a_rust_revision_and_says_how_to_embed_it() {
    let (_url, mut conn) = fresh_db().await;
    let loaded = Migrator::load(&chain_dir("mixed"), "migrations").unwrap();
    let err = loaded.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::CodeNotEmbedded { revision, path } = &err else {
        panic!("{err}")
    };
    assert_eq!(
        (revision.as_str(), path.as_str()),
        ("c3", "migrations/c3_fill_codes.rs")
    );
    assert!(err
        .help()
        .unwrap()
        .contains("cli::main_with(&migrations::SET)"));
    // Refused before anything ran.
    assert!(version(&mut conn).await.is_empty());
    assert!(!tables(&mut conn).await.contains(&"items".to_owned()));
}

#[tokio::test]
async fn a_set_read_from_files_runs_the_sql_revisions_before_a_rust_one() {
    let (_url, mut conn) = fresh_db().await;
    let loaded = Migrator::load(&chain_dir("mixed"), "migrations").unwrap();
    loaded.upgrade(&mut conn, "b2").await.unwrap();
    assert_eq!(version(&mut conn).await, ["b2"]);
}

#[test]
fn offline_sql_refuses_a_range_with_a_rust_revision_and_names_it() {
    let m = Migrator::new(&mixed::migrations::SET);
    let err = m
        .offline(Direction::Upgrade, &Range::parse("base:head").unwrap())
        .unwrap_err();
    assert!(
        matches!(&err, MigrateError::CodeOffline { revision, .. } if revision == "c3"),
        "{err}"
    );
    let before = m
        .offline(Direction::Upgrade, &Range::parse("base:b2").unwrap())
        .unwrap();
    assert!(before.contains("CREATE TABLE item_codes"));
}

#[tokio::test]
async fn a_single_transaction_run_refuses_a_rust_revision() {
    let (_url, mut conn) = fresh_db().await;
    let m = Migrator::new(&mixed::migrations::SET).transaction_mode(TransactionMode::Single);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    assert!(
        matches!(&err, MigrateError::CodeInSingle { revision, .. } if revision == "c3"),
        "{err}"
    );
    assert!(version(&mut conn).await.is_empty());
}

#[tokio::test]
async fn a_rust_revision_is_a_typed_target() {
    let (_url, mut conn) = fresh_db().await;
    let m = Migrator::new(&mixed::migrations::SET);
    m.upgrade(&mut conn, mixed::migrations::FillCodes)
        .await
        .unwrap();
    assert_eq!(version(&mut conn).await, ["c3"]);
    assert_eq!(
        Target::revision("c3"),
        schema_runtime::IntoTarget::<mixed::migrations::Revisions>::into_target(
            mixed::migrations::FillCodes
        )
        .unwrap()
    );
}

#[tokio::test]
async fn the_command_line_over_the_embedded_set_runs_the_rust_revision() {
    let (url, mut conn) = fresh_db().await;
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_migrate_mixed"))
        .args(["--database-url", &url, "upgrade", "head"])
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(codes(&mut conn).await.len(), 3);
    assert_eq!(version(&mut conn).await, ["e5"]);
}

#[tokio::test]
async fn the_command_line_that_reads_files_refuses_a_rust_revision_and_names_the_embedding_entry_point(
) {
    let (url, mut conn) = fresh_db().await;
    let out = common::cli(&chain_dir("mixed"), &url, &["upgrade", "head"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("revision `c3` is written in Rust")
            && stderr.contains("c3_fill_codes.rs")
            && stderr.contains("main_with(&migrations::SET)"),
        "{stderr}"
    );
    assert!(version(&mut conn).await.is_empty());
}

#[tokio::test]
async fn a_rust_revision_that_ends_its_transaction_is_refused_and_not_recorded() {
    let (_url, mut conn) = fresh_db().await;
    let m = Migrator::new(&committing::migrations::SET);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    assert!(
        matches!(&err, MigrateError::CodeEndedTransaction { revision, .. } if revision == "b2"),
        "{err}"
    );
    assert_eq!(version(&mut conn).await, ["a1"]);
    assert_eq!(logged(&mut conn).await, ["a1"]);
    // What it committed on its own stays; what came after went with the rollback.
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM items WHERE id >= 10 ORDER BY id")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(ids, [10]);
    // The connection is usable, outside any transaction.
    let in_tx: Option<String> = sqlx::query_scalar("SELECT txid_current_if_assigned()::text")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(in_tx, None);
}

#[tokio::test]
async fn a_rust_revision_runs_under_the_ddl_lock_timeout_of_its_transaction() {
    let (_url, mut conn) = fresh_db().await;
    let m = Migrator::new(&mixed::migrations::SET)
        .ddl_lock_timeout(Some(std::time::Duration::from_millis(250)));
    m.upgrade(&mut conn, "c3").await.unwrap();
    assert_eq!(codes(&mut conn).await.len(), 3);
    assert_eq!(version(&mut conn).await, ["c3"]);
}
