//! The way in from refinery: a history migrated by refinery's own runner is
//! imported with `import --from refinery`, the live database is stamped from
//! its `refinery_schema_history` (`stamp --from refinery`) and upgraded
//! further, and a fresh database built from the imported chain alone has the
//! schema refinery built.

#[path = "../../tests/common/mod.rs"]
mod common;
mod peer;

use std::path::{Path, PathBuf};

use common::*;
use peer::pg_config;
use sqlx::PgConnection;

/// The refinery history of the fixture.
fn history() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../chains/refinery_history")
}

/// The last refinery version of the fixture, and its imported revision.
const LAST: &str = "refinery_6";

/// A fresh database migrated by refinery's own runner over the fixture.
async fn refinery_migrated_db() -> (String, PgConnection) {
    refinery_migrated_db_into(None).await
}

/// A fresh database migrated by refinery's own runner over the fixture,
/// keeping its history in `table` (refinery's `set_migration_table_name`)
/// when one is given.
async fn refinery_migrated_db_into(table: Option<&str>) -> (String, PgConnection) {
    let (url, mut conn) = fresh_db().await;
    if let Some((schema, _)) = table.and_then(|t| t.split_once('.')) {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(&mut conn)
            .await
            .expect("a schema for the history table");
    }
    let (mut client, connection) = pg_config(&url)
        .connect(tokio_postgres::NoTls)
        .await
        .expect("tokio-postgres connects");
    let driver = tokio::spawn(connection);
    let migrations = refinery::load_sql_migrations(history()).expect("refinery reads the fixture");
    let mut runner = refinery::Runner::new(&migrations);
    if let Some(table) = table {
        runner.set_migration_table_name(table);
    }
    let report = runner
        .run_async(&mut client)
        .await
        .expect("refinery migrates");
    assert_eq!(report.applied_migrations().len(), 6);
    drop(client);
    let _ = driver.await;
    (url, conn)
}

/// The fixture imported into `<tmp>/migrations`.
fn imported(url: &str) -> (tempfile::TempDir, PathBuf, String) {
    import_fixture(url, "refinery", &history(), &[])
}

/// `pg_dump --schema-only` without the blocks of either tool's tracking tables.
fn schema_without_tracking(url: &str) -> String {
    schema_without(url, &["refinery_schema_history", "alembic_version"])
}

#[tokio::test]
async fn a_refinery_database_is_imported_stamped_upgraded_and_rebuilt_to_the_same_schema() {
    let (refinery_url, mut refinery_conn) = refinery_migrated_db().await;
    let (_tmp, dir, out) = imported(&refinery_url);
    for expected in [
        "skipped README.md",
        "Every revision is irreversible: refinery migrations have no down migration",
        "Generating ",
        "Imported 6 refinery migration(s)",
        &format!("base refinery_1, head {LAST}"),
    ] {
        assert!(out.contains(expected), "no {expected:?} in:\n{out}");
    }
    let revision = std::fs::read_to_string(dir.join("refinery_4_posts_author_index.sql"))
        .expect("the revision keeps the refinery version in its id and file name");
    assert!(
        revision.contains("-- Revises: refinery_3\n-- Options: irreversible\n"),
        "{revision}"
    );
    assert!(
        revision.contains("-- Imported from refinery: more/V4__posts_author_index.sql\n"),
        "{revision}"
    );

    let stamped = ok(&dir, &refinery_url, &["stamp", "--from", "refinery"]);
    assert!(stamped.contains(&format!("Stamped {LAST}")), "{stamped}");
    assert_eq!(version_rows(&mut refinery_conn).await, [LAST]);

    // A fresh database upgraded by this project alone builds refinery's schema.
    let (fresh_url, _fresh_conn) = fresh_db().await;
    let applied = ok(&dir, &fresh_url, &["upgrade", "head"]);
    assert!(applied.contains("Applied 6 revision(s)"), "{applied}");
    let refinery_schema = schema_without_tracking(&refinery_url);
    assert!(
        refinery_schema.contains("posts_author_idx"),
        "{refinery_schema}"
    );
    assert_eq!(schema_without_tracking(&fresh_url), refinery_schema);

    // The project carries on from the stamped database.
    carries_on_after_stamp(
        &dir,
        &refinery_url,
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
    let args = ["import", "--from", "refinery", history.to_str().unwrap()];
    let again = ok(&dir, url, &args);
    assert!(again.contains("Nothing to import"), "{again}");
    std::fs::write(
        dir.join("zzz.sql"),
        "-- Revision ID: zzz\n-- Revises: refinery_6\n\n-- migrate:upgrade\n\n-- migrate:downgrade\n",
    )
    .unwrap();
    let err = refused(&dir, url, &args);
    assert!(err.contains("already holds 7 revision file(s)"), "{err}");
}

#[tokio::test]
async fn a_rust_migration_is_refused_naming_the_file() {
    let url = "postgres://unused.invalid/db";
    let source = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        source.path().join("V1__a.sql"),
        "CREATE TABLE a (id int);\n",
    )
    .unwrap();
    std::fs::write(
        source.path().join("V2__b.rs"),
        "pub fn migration() -> String { String::new() }\n",
    )
    .unwrap();
    let target = tempfile::tempdir().expect("tempdir");
    let dir = target.path().join("migrations");
    let err = refused(
        &dir,
        url,
        &[
            "import",
            "--from",
            "refinery",
            source.path().to_str().unwrap(),
        ],
    );
    assert!(err.contains("`V2__b.rs` is a Rust migration"), "{err}");
    assert!(!dir.exists(), "nothing is written");
}

/// A refinery-migrated database whose `refinery_schema_history` is changed
/// by `tamper` is refused by `stamp --from refinery` with `reason`, and
/// nothing is stamped.
async fn stamp_refuses(tamper: &str, reason: &str) {
    let (url, mut conn) = refinery_migrated_db().await;
    let (_tmp, dir, _) = imported(&url);
    sqlx::raw_sql(sqlx::AssertSqlSafe(tamper))
        .execute(&mut conn)
        .await
        .expect("tamper with refinery_schema_history");
    let err = refused(&dir, &url, &["stamp", "--from", "refinery"]);
    assert!(err.contains(reason), "no {reason:?} in:\n{err}");
    assert!(version_rows(&mut conn).await.is_empty());
}

#[tokio::test]
async fn stamp_from_refinery_refuses_a_checksum_that_is_not_the_imported_file() {
    stamp_refuses(
        "UPDATE refinery_schema_history SET checksum = '12345' WHERE version = 2",
        "refinery migration 2 (create_posts) was applied from another file",
    )
    .await;
}

#[tokio::test]
async fn stamp_from_refinery_refuses_a_gap_and_an_unknown_migration() {
    stamp_refuses(
        "DELETE FROM refinery_schema_history WHERE version = 3",
        "earlier migration(s) are not: 3 (refinery_3)",
    )
    .await;
    stamp_refuses(
        "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) \
         VALUES (7, 'later', '2024-01-01T00:00:00Z', '1')",
        "refinery migration 7 (later) is applied but no imported revision",
    )
    .await;
}

#[tokio::test]
async fn stamp_from_refinery_reads_the_history_table_named_with_source_table() {
    let (url, mut conn) = refinery_migrated_db_into(Some("tracking.history")).await;
    let (_tmp, dir, _) = imported(&url);
    let err = refused(
        &dir,
        &url,
        &["stamp", "--from", "refinery", "--source-table", "history"],
    );
    assert!(err.contains("the database has no `history` table"), "{err}");
    stamps_from_a_renamed_source_table(
        &dir,
        &url,
        &mut conn,
        "refinery",
        "refinery_schema_history",
        "tracking.history",
        LAST,
    )
    .await;
    assert_eq!(logged(&mut conn).await.len(), 6);
}
