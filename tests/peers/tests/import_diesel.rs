//! The way in from diesel: a history migrated by diesel's own migration
//! harness (`diesel_migrations`, over `diesel-async`'s connection wrapper) is
//! imported with `import --from diesel`, the live database is stamped from
//! its `__diesel_schema_migrations` (`stamp --from diesel`) and upgraded
//! further, and a fresh database built from the imported chain alone has the
//! schema diesel built.

#[path = "../../tests/common/mod.rs"]
mod common;
mod peer;

use std::path::{Path, PathBuf};

use common::*;
use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::AsyncPgConnection;
use diesel_migrations::{FileBasedMigrations, MigrationHarness};
use peer::pg_config;
use sqlx::PgConnection;

/// The diesel history of the fixture.
fn history() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../chains/diesel_history")
}

/// The first and last diesel versions of the fixture, as revisions.
const BASE: &str = "diesel_00000000000000";
const LAST: &str = "diesel_20230106000000";

/// Runs diesel's migration harness over the migrations directory `dir` on
/// the database at `url`; how many migrations it applied.
async fn diesel_migrate(url: &str, dir: &Path) -> usize {
    let (client, connection) = pg_config(url)
        .connect(tokio_postgres::NoTls)
        .await
        .expect("tokio-postgres connects");
    let conn = AsyncPgConnection::try_from_client_and_connection(client, connection)
        .await
        .expect("diesel-async takes the connection");
    let dir = dir.to_owned();
    // The wrapper blocks on the runtime, so it runs off the runtime's thread.
    tokio::task::spawn_blocking(move || {
        let mut conn = AsyncConnectionWrapper::<AsyncPgConnection>::from(conn);
        let source = FileBasedMigrations::from_path(&dir).expect("diesel reads the directory");
        conn.run_pending_migrations(source)
            .expect("diesel migrates")
            .len()
    })
    .await
    .expect("the migration task finishes")
}

/// A fresh database migrated by diesel over the fixture.
async fn diesel_migrated_db() -> (String, PgConnection) {
    let (url, conn) = fresh_db().await;
    assert_eq!(diesel_migrate(&url, &history()).await, 6);
    (url, conn)
}

/// The diesel directory `source` imported into `<tmp>/migrations`.
fn imported_from(source: &Path, url: &str) -> (tempfile::TempDir, PathBuf, String) {
    import_fixture(url, "diesel", source, &[])
}

/// `pg_dump --schema-only` without the blocks of either tool's tracking tables.
fn schema_without_tracking(url: &str) -> String {
    schema_without(url, &["__diesel_schema_migrations", "alembic_version"])
}

#[tokio::test]
async fn a_diesel_database_is_imported_stamped_upgraded_and_rebuilt_to_the_same_schema() {
    let (diesel_url, mut diesel_conn) = diesel_migrated_db().await;
    let (_tmp, dir, out) = imported_from(&history(), &diesel_url);
    for expected in [
        "skipped README.md",
        "Imported 6 diesel migration(s)",
        &format!("base {BASE}, head {LAST}"),
    ] {
        assert!(out.contains(expected), "no {expected:?} in:\n{out}");
    }
    let revision = std::fs::read_to_string(dir.join("diesel_20230102030405_create_users.sql"))
        .expect("the revision keeps the diesel version in its id and file name");
    assert!(
        revision.contains(&format!(
            "-- Revises: {BASE}\n\n-- Imported from diesel: 2023-01-02-030405_create_users\n-- diesel version: 20230102030405\n"
        )),
        "{revision}"
    );

    let stamped = ok(&dir, &diesel_url, &["stamp", "--from", "diesel"]);
    assert!(stamped.contains(&format!("Stamped {LAST}")), "{stamped}");
    assert_eq!(version_rows(&mut diesel_conn).await, [LAST]);

    // A fresh database upgraded by this project alone builds diesel's schema,
    // diesel's setup functions and the trigger they made included.
    let (fresh_url, _fresh_conn) = fresh_db().await;
    let applied = ok(&dir, &fresh_url, &["upgrade", "head"]);
    assert!(applied.contains("Applied 6 revision(s)"), "{applied}");
    let diesel_schema = schema_without_tracking(&diesel_url);
    for object in [
        "FUNCTION public.diesel_set_updated_at()",
        "TRIGGER set_updated_at",
        "posts_author_idx",
        "users_email_idx",
    ] {
        assert!(
            diesel_schema.contains(object),
            "no {object}: {diesel_schema}"
        );
    }
    assert_eq!(schema_without_tracking(&fresh_url), diesel_schema);

    // The project carries on from the stamped database.
    carries_on_after_stamp(
        &dir,
        &diesel_url,
        &fresh_url,
        LAST,
        "integer",
        schema_without_tracking,
    );
}

#[tokio::test]
async fn run_in_transaction_false_becomes_a_non_transactional_revision_that_runs() {
    let (url, _conn) = fresh_db().await;
    let (_tmp, dir, out) = imported_from(&history(), &url);
    let note = "non-transactional: 20230104000000_posts_author_index/metadata.toml sets `run_in_transaction = false`";
    assert!(out.contains(note), "no {note:?} in:\n{out}");
    let revision =
        std::fs::read_to_string(dir.join("diesel_20230104000000_posts_author_index.sql"))
            .expect("the revision");
    assert!(
        revision.contains("-- Revises: diesel_20230103120000\n-- Options: non-transactional\n"),
        "{revision}"
    );
    // CREATE INDEX CONCURRENTLY fails inside a transaction.
    let applied = ok(&dir, &url, &["upgrade", "diesel_20230104000000"]);
    assert!(applied.contains("Applied 4 revision(s)"), "{applied}");
}

#[tokio::test]
async fn missing_empty_and_placeholder_downs_become_irreversible_and_the_output_says_so() {
    let source = tempfile::tempdir().expect("tempdir");
    for (file, text) in [
        ("2024-01-01-000001_a/up.sql", "CREATE TABLE a (id int);\n"),
        ("2024-01-01-000002_b/up.sql", "CREATE TABLE b (id int);\n"),
        ("2024-01-01-000002_b/down.sql", ""),
        ("2024-01-01-000003_c/up.sql", "CREATE TABLE c (id int);\n"),
        (
            "2024-01-01-000003_c/down.sql",
            "-- This file should undo anything in `up.sql`\n",
        ),
        ("2024-01-01-000004_d/up.sql", "CREATE TABLE d (id int);\n"),
        ("2024-01-01-000004_d/down.sql", "DROP TABLE d;\n"),
    ] {
        let path = source.path().join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    // diesel itself applies the directory.
    let (url, _conn) = fresh_db().await;
    assert_eq!(diesel_migrate(&url, source.path()).await, 4);

    let (_tmp, dir, out) = imported_from(source.path(), &url);
    for expected in [
        "irreversible: 2024-01-01-000001_a has no down.sql",
        "irreversible: 2024-01-01-000002_b/down.sql is empty",
        "irreversible: 2024-01-01-000003_c/down.sql holds no statement",
    ] {
        assert!(out.contains(expected), "no {expected:?} in:\n{out}");
    }
    let options: Vec<bool> = ["a", "b", "c", "d"]
        .iter()
        .enumerate()
        .map(|(n, name)| {
            let file = dir.join(format!("diesel_2024010100000{}_{name}.sql", n + 1));
            let text = std::fs::read_to_string(&file).expect("the revision");
            text.contains("-- Options: irreversible\n")
        })
        .collect();
    assert_eq!(options, [true, true, true, false]);
    let d = std::fs::read_to_string(dir.join("diesel_20240101000004_d.sql")).unwrap();
    assert!(d.ends_with("-- migrate:downgrade\nDROP TABLE d;\n"), "{d}");
}

#[tokio::test]
async fn import_writes_only_into_an_empty_directory_other_than_diesel_s_and_again_changes_nothing()
{
    let url = "postgres://unused.invalid/db";
    let history = history();
    let (_tmp, dir, _) = imported_from(&history, url);
    let args = ["import", "--from", "diesel", history.to_str().unwrap()];
    let again = ok(&dir, url, &args);
    assert!(again.contains("Nothing to import"), "{again}");
    std::fs::write(
        dir.join("zzz.sql"),
        format!("-- Revision ID: zzz\n-- Revises: {LAST}\n\n-- migrate:upgrade\n\n-- migrate:downgrade\n"),
    )
    .unwrap();
    let err = refused(&dir, url, &args);
    assert!(err.contains("already holds 7 revision file(s)"), "{err}");
    let err = refused(&history, url, &args);
    assert!(
        err.contains("the migrations directory is the diesel directory"),
        "{err}"
    );
}

/// A diesel-migrated database whose `__diesel_schema_migrations` is changed
/// by `tamper` is refused by `stamp --from diesel` with `reason`, and nothing
/// is stamped.
async fn stamp_refuses(tamper: &str, reason: &str) {
    let (url, mut conn) = diesel_migrated_db().await;
    let (_tmp, dir, _) = imported_from(&history(), &url);
    sqlx::raw_sql(sqlx::AssertSqlSafe(tamper))
        .execute(&mut conn)
        .await
        .expect("tamper with __diesel_schema_migrations");
    let err = refused(&dir, &url, &["stamp", "--from", "diesel"]);
    assert!(err.contains(reason), "no {reason:?} in:\n{err}");
    assert!(version_rows(&mut conn).await.is_empty());
}

#[tokio::test]
async fn stamp_from_diesel_refuses_a_version_no_imported_revision_stands_for() {
    stamp_refuses(
        "INSERT INTO __diesel_schema_migrations (version) VALUES ('20990101000000')",
        "diesel migration 20990101000000 is applied but no imported revision stands for it",
    )
    .await;
}

#[tokio::test]
async fn stamp_from_diesel_refuses_a_gap_in_the_imported_order() {
    stamp_refuses(
        "DELETE FROM __diesel_schema_migrations WHERE version = '20230103120000'",
        "diesel migration 20230106000000 is applied but earlier migration(s) are not: 20230103120000 (diesel_20230103120000)",
    )
    .await;
}
