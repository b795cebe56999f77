//! The reference schema (`migrations/`): every downgrade exactly undoes its
//! upgrade (to the byte of `pg_dump`; `test_kit.rs` runs the kit's stairway
//! check on it too), and the embedded chain drives it with typed targets.

mod common;

use common::*;
use schema_runtime::testing::TestDatabase;
use schema_runtime::{Migrator, Target};
use sqlx::PgConnection;

schema_runtime::migrations!("../migrations");

#[tokio::test]
async fn each_step_of_the_reference_chain_is_undone_exactly_by_its_downgrade() {
    let (url, mut conn) = fresh_db().await;
    let m = Migrator::new(&migrations::SET);
    // Stamping base creates the version tables, so every dump below has them.
    m.stamp(&mut conn, "base", false).await.unwrap();
    let empty = schema_dump(&url);
    let mut before = empty.clone();
    for r in migrations::SET.revisions() {
        m.upgrade(&mut conn, "+1").await.unwrap();
        let after = schema_dump(&url);
        assert_ne!(after, before, "{} changes the schema", r.id);
        m.downgrade(&mut conn, "-1").await.unwrap();
        assert_eq!(
            schema_dump(&url),
            before,
            "the downgrade of {} undoes its upgrade",
            r.id
        );
        m.upgrade(&mut conn, "+1").await.unwrap();
        assert_eq!(
            schema_dump(&url),
            after,
            "{} applies the same way twice",
            r.id
        );
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
    assert_eq!(schema_dump(&url), empty);
}

#[schema_runtime::test]
async fn the_full_text_trigger_keeps_the_search_vector_current(mut conn: PgConnection) {
    sqlx::raw_sql(
        "INSERT INTO cameras (id, name, folder_path) VALUES ('front_door', 'Front door', '/cams/front_door');\
         INSERT INTO events (batch_id, camera_id, started_at, summary) \
         VALUES ('b1', 'front_door', now(), 'Person lingering near the garage');",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let matches = |q: &'static str| {
        sqlx::query_scalar::<_, i64>(
            "SELECT count(*) FROM events WHERE search_vector @@ to_tsquery('english', $1)",
        )
        .bind(q)
    };
    assert_eq!(matches("garage").fetch_one(&mut conn).await.unwrap(), 1);
    assert_eq!(matches("delivery").fetch_one(&mut conn).await.unwrap(), 0);
    sqlx::raw_sql("UPDATE events SET notes = 'Delivery driver, expected'")
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(matches("delivery").fetch_one(&mut conn).await.unwrap(), 1);
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

#[tokio::test]
async fn the_readme_example_upgrades_an_application_pool() {
    let db = TestDatabase::empty().await.unwrap();
    let url = db.url();
    let mut conn = db.connect().await.unwrap();
    // As the README and the crate docs write it.
    let pool = schema_runtime::sqlx::PgPool::connect(url).await.unwrap();
    schema_runtime::Migrator::new(&migrations::SET)
        .upgrade(&pool, migrations::HEAD)
        .await
        .unwrap();
    let head: &str = schema_runtime::Migration::id(&migrations::HEAD);
    assert_eq!(version(&mut conn).await, [head]);
}
