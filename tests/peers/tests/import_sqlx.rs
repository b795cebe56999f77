//! The way in from sqlx: a history migrated by sqlx's own migrator is
//! imported with `import --from sqlx`, the live database is stamped from its
//! `_sqlx_migrations` (`stamp --from sqlx`) and upgraded further, and a fresh
//! database built from the imported chain alone has the schema sqlx built.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use common::*;
use sqlx::PgConnection;

/// The sqlx history of the fixture.
fn history() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../chains/sqlx_history")
}

/// The last sqlx version of the fixture, and its imported revision.
const LAST: &str = "sqlx_20240101000006";

/// A fresh database migrated by sqlx's own migrator over the fixture.
async fn sqlx_migrated_db() -> (String, PgConnection) {
    sqlx_migrated_db_into(None).await
}

/// A fresh database migrated by sqlx's own migrator over the fixture,
/// recording into `table` instead of `_sqlx_migrations` when given.
async fn sqlx_migrated_db_into(table: Option<&'static str>) -> (String, PgConnection) {
    let (url, mut conn) = fresh_db().await;
    let mut migrator = sqlx::migrate::Migrator::new(history())
        .await
        .expect("sqlx reads the fixture");
    if let Some(table) = table {
        migrator.dangerous_set_table_name(table);
    }
    migrator.run(&mut conn).await.expect("sqlx migrates");
    (url, conn)
}

/// The fixture imported into `<tmp>/migrations`.
fn imported(url: &str) -> (tempfile::TempDir, PathBuf, String) {
    import_fixture(url, "sqlx", &history(), &[])
}

/// `pg_dump --schema-only` without the blocks of either tool's tracking tables.
fn schema_without_tracking(url: &str) -> String {
    schema_without(url, &["_sqlx_migrations", "alembic_version"])
}

#[tokio::test]
async fn a_sqlx_database_is_imported_stamped_upgraded_and_rebuilt_to_the_same_schema() {
    let (sqlx_url, mut sqlx_conn) = sqlx_migrated_db().await;
    let (_tmp, dir, out) = imported(&sqlx_url);
    // Said in the output: what is irreversible or non-transactional, and why.
    for expected in [
        "skipped README.md",
        "irreversible: 20240101000003_seed_roles.sql is a simple migration",
        "irreversible: 20240101000005_add_user_email.down.sql holds no statement",
        "non-transactional: 20240101000004_posts_author_index.up.sql starts with `-- no-transaction`",
        &format!("base sqlx_20240101000001, head {LAST}"),
    ] {
        assert!(out.contains(expected), "no {expected:?} in:\n{out}");
    }
    let revision = std::fs::read_to_string(dir.join("sqlx_20240101000004_posts_author_index.sql"))
        .expect("the revision keeps the sqlx version in its id and file name");
    assert!(
        revision.contains("-- Revises: sqlx_20240101000003\n-- Options: non-transactional\n"),
        "{revision}"
    );

    let stamped = ok(&dir, &sqlx_url, &["stamp", "--from", "sqlx"]);
    assert!(stamped.contains(&format!("Stamped {LAST}")), "{stamped}");
    assert_eq!(version_rows(&mut sqlx_conn).await, [LAST]);

    // A fresh database upgraded by this project alone builds sqlx's schema.
    let (fresh_url, _fresh_conn) = fresh_db().await;
    let applied = ok(&dir, &fresh_url, &["upgrade", "head"]);
    assert!(applied.contains("Applied 6 revision(s)"), "{applied}");
    let sqlx_schema = schema_without_tracking(&sqlx_url);
    assert!(sqlx_schema.contains("posts_author_idx"), "{sqlx_schema}");
    assert_eq!(schema_without_tracking(&fresh_url), sqlx_schema);

    // The project carries on from the stamped database.
    carries_on_after_stamp(
        &dir,
        &sqlx_url,
        &fresh_url,
        LAST,
        "bigint",
        schema_without_tracking,
    );
}

#[tokio::test]
async fn import_writes_only_into_an_empty_directory_and_again_changes_nothing() {
    let url = "postgres://unused.invalid/db";
    let (_tmp, dir, _) = imported(url);
    let history = history();
    let args = ["import", "--from", "sqlx", history.to_str().unwrap()];
    let again = ok(&dir, url, &args);
    assert!(again.contains("Nothing to import"), "{again}");
    std::fs::write(
        dir.join("zzz.sql"),
        "-- Revision ID: zzz\n-- Revises: sqlx_20240101000006\n\n-- migrate:upgrade\n\n-- migrate:downgrade\n",
    )
    .unwrap();
    let err = refused(&dir, url, &args);
    assert!(err.contains("already holds 7 revision file(s)"), "{err}");
    // The sqlx directory itself is not a place to import into.
    let err = refused(&history, url, &args);
    assert!(err.contains("import into a directory of its own"), "{err}");
}

/// A sqlx-migrated database whose `_sqlx_migrations` is changed by `tamper`
/// is refused by `stamp --from sqlx` with `reason`, and nothing is stamped.
async fn stamp_refuses(tamper: &str, reason: &str) {
    let (url, mut conn) = sqlx_migrated_db().await;
    let (_tmp, dir, _) = imported(&url);
    sqlx::raw_sql(sqlx::AssertSqlSafe(tamper))
        .execute(&mut conn)
        .await
        .expect("tamper with _sqlx_migrations");
    let err = refused(&dir, &url, &["stamp", "--from", "sqlx"]);
    assert!(err.contains(reason), "no {reason:?} in:\n{err}");
    assert!(version_rows(&mut conn).await.is_empty());
}

#[tokio::test]
async fn stamp_from_sqlx_refuses_a_failed_migration() {
    stamp_refuses(
        "UPDATE _sqlx_migrations SET success = false WHERE version = 20240101000006",
        "sqlx migration 20240101000006 (post status) is recorded as failed",
    )
    .await;
}

#[tokio::test]
async fn stamp_from_sqlx_refuses_a_checksum_that_is_not_the_imported_file() {
    stamp_refuses(
        "UPDATE _sqlx_migrations SET checksum = sha384('edited') WHERE version = 20240101000002",
        "sqlx migration 20240101000002 (create posts) was applied from another file",
    )
    .await;
}

#[tokio::test]
async fn stamp_from_sqlx_refuses_a_gap_and_an_unknown_migration() {
    stamp_refuses(
        "DELETE FROM _sqlx_migrations WHERE version = 20240101000003",
        "earlier migration(s) are not: 20240101000003 (sqlx_20240101000003)",
    )
    .await;
    stamp_refuses(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (20240101000007, 'later', true, '\\x00', 0)",
        "sqlx migration 20240101000007 (later) is applied but no imported revision",
    )
    .await;
}

#[tokio::test]
async fn stamp_from_sqlx_reads_the_migrations_table_named_with_source_table() {
    let (url, mut conn) = sqlx_migrated_db_into(Some("deploy_history")).await;
    let (_tmp, dir, _) = imported(&url);
    stamps_from_a_renamed_source_table(
        &dir,
        &url,
        &mut conn,
        "sqlx",
        "_sqlx_migrations",
        "deploy_history",
        LAST,
    )
    .await;
}
