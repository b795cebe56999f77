//! The reference schema (`migrations/`): every downgrade exactly undoes its
//! upgrade, and the embedded chain drives it with typed targets.

mod common;

use common::*;
use schema_runtime::{Migrator, Target};

schema_runtime::migrations!("../migrations");

#[tokio::test]
async fn each_step_of_the_reference_chain_is_undone_exactly_by_its_downgrade() {
    let (url, mut conn) = fresh_db().await;
    let m = Migrator::new(&migrations::SET);
    let empty = schema_dump(&url);
    let mut before = empty.clone();
    for r in migrations::SET.revisions() {
        m.upgrade(&mut conn, "+1").await.unwrap();
        let after = schema_dump(&url);
        assert_ne!(after, before, "{} changes the schema", r.id);
        m.downgrade(&mut conn, "-1").await.unwrap();
        assert_eq!(schema_dump(&url), before, "the downgrade of {} undoes its upgrade", r.id);
        m.upgrade(&mut conn, "+1").await.unwrap();
        assert_eq!(schema_dump(&url), after, "{} applies the same way twice", r.id);
        before = after;
    }
    m.downgrade(&mut conn, "base").await.unwrap();
    // Only the version tables are left: no type, function, table or index of the schema.
    let objects: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relname NOT LIKE 'alembic_version%' \
         UNION ALL SELECT t.typname::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace \
         WHERE n.nspname = 'public' AND t.typtype IN ('e', 'd', 'c') AND t.typname NOT LIKE 'alembic_version%' \
         UNION ALL SELECT p.proname::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace \
         WHERE n.nspname = 'public'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert!(objects.is_empty(), "left after downgrade base: {objects:?}");
    let stripped = |dump: &str| {
        dump.lines().filter(|l| !l.contains("alembic_version")).collect::<Vec<_>>().join("\n")
    };
    assert_eq!(stripped(&schema_dump(&url)).len(), stripped(&empty).len());
}

#[tokio::test]
async fn the_full_text_trigger_keeps_the_search_vector_current() {
    let (_url, mut conn) = fresh_db().await;
    Migrator::new(&migrations::SET).upgrade(&mut conn, migrations::HEAD).await.unwrap();
    let cols: Vec<String> = sqlx::query_scalar(
        "SELECT column_name::text FROM information_schema.columns WHERE table_name = 'events' AND data_type = 'tsvector'",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(cols.len(), 1, "events has one tsvector column");
}

#[tokio::test]
async fn typed_targets_from_the_macro_drive_the_reference_chain() {
    let (_url, mut conn) = fresh_db().await;
    let m = Migrator::new(&migrations::SET);
    m.upgrade(&mut conn, migrations::CameraZones).await.unwrap();
    assert_eq!(version(&mut conn).await, ["add_zones_001"]);
    m.upgrade(&mut conn, migrations::HEAD).await.unwrap();
    assert_eq!(version(&mut conn).await, ["add_baselines"]);
    m.downgrade(&mut conn, migrations::BASE).await.unwrap();
    assert_eq!(version(&mut conn).await, ["968b0dff6a9b"]);
    m.downgrade(&mut conn, Target::BASE).await.unwrap();
    assert!(tables(&mut conn).await.is_empty());
}
