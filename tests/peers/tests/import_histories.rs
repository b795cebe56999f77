//! Public histories of 100+ migrations, pinned to a commit under
//! `corpus/histories/` with their licence: each is migrated by its own tool,
//! imported with `import --from <tool>`, the tool's database is stamped with
//! `stamp --from <tool>`, and a fresh database upgraded by the imported chain
//! alone has the schema the tool built. The hand-written fixtures of the
//! `import_*` tests show each rule; these show the rules hold on histories
//! nobody wrote for this project.

#[path = "../../tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

use common::*;

/// A history of the corpus.
fn history(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../corpus/histories")
        .join(name)
}

/// The tracking tables left out of the compared schemas.
const TRACKING: &[&str] = &[
    "_sqlx_migrations",
    "refinery_schema_history",
    "alembic_version",
];

/// A fresh database migrated by sqlx's own migrator over `dir`; its URL and
/// the number of migrations sqlx applied.
async fn sqlx_migrated_db(dir: &Path) -> (String, usize) {
    let (url, mut conn) = fresh_db().await;
    let migrator = sqlx::migrate::Migrator::new(dir.to_path_buf())
        .await
        .expect("sqlx reads the history");
    migrator.run(&mut conn).await.expect("sqlx migrates");
    let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations")
        .fetch_one(&mut conn)
        .await
        .expect("sqlx's table");
    (url, usize::try_from(applied).expect("a count"))
}

/// `name` migrated by sqlx, imported, stamped, and rebuilt by the imported
/// chain alone: the rebuilt schema must be the one sqlx built.
async fn sqlx_history_rebuilds(name: &str, at_least: usize) {
    let source = history(name);
    let (sqlx_url, applied) = sqlx_migrated_db(&source).await;
    assert!(applied >= at_least, "sqlx applied {applied} migration(s)");

    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("migrations");
    let imported = ok(
        &dir,
        &sqlx_url,
        &["import", "--from", "sqlx", source.to_str().unwrap()],
    );
    assert!(
        imported.contains(&format!("Imported {applied} sqlx migration(s)")),
        "{imported}"
    );
    let head = imported
        .split(", head ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("the import names the head");
    let stamped = ok(&dir, &sqlx_url, &["stamp", "--from", "sqlx"]);
    assert!(stamped.contains(&format!("Stamped {head}")), "{stamped}");

    let (fresh_url, _conn) = fresh_db().await;
    let upgraded = ok(&dir, &fresh_url, &["upgrade", "head"]);
    assert!(
        upgraded.contains(&format!("Applied {applied} revision(s)")),
        "{upgraded}"
    );
    let sqlx_schema = schema_without(&sqlx_url, TRACKING);
    assert!(sqlx_schema.contains("CREATE TABLE"), "{sqlx_schema}");
    assert_eq!(schema_without(&fresh_url, TRACKING), sqlx_schema);
}

#[tokio::test]
async fn openmeter_history_imported_from_sqlx_rebuilds_the_schema_sqlx_built() {
    sqlx_history_rebuilds("openmeter", 200).await;
}

#[tokio::test]
async fn zksync_era_history_imported_from_sqlx_rebuilds_the_schema_sqlx_built() {
    sqlx_history_rebuilds("zksync-era", 200).await;
}
