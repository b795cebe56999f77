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
        // The Rust revision moves data only: the schema stays as it is.
        if r.language == schema_runtime::core::Language::Sql {
            assert_ne!(after, before, "{} changes the schema", r.id);
        }
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
    assert_eq!(version(&mut conn).await, ["backfill_baselines"]);
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

#[tokio::test]
async fn the_rust_backfill_computes_the_baselines_from_the_detections_and_its_downgrade_empties_them(
) {
    let (_url, mut conn) = fresh_db().await;
    let m = Migrator::new(&migrations::SET);
    m.upgrade(&mut conn, migrations::ActivityAndClassBaselines)
        .await
        .unwrap();
    // Two Sundays, one week apart, at 10:00 UTC: three detections, then one.
    sqlx::raw_sql(
        "INSERT INTO cameras (id, name, folder_path) VALUES ('cam', 'Cam', '/cam'); \
         INSERT INTO detections (camera_id, file_path, detected_at, object_type, confidence, bbox) VALUES \
           ('cam', 'a', '2026-11-01 10:05:00+00', 'person', 0.9, '{}'), \
           ('cam', 'b', '2026-11-01 10:20:00+00', 'person', 0.9, '{}'), \
           ('cam', 'c', '2026-11-01 10:59:59+00', 'car', 0.9, '{}'), \
           ('cam', 'd', '2026-11-08 10:30:00+00', 'person', 0.9, '{}');",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    m.upgrade(&mut conn, migrations::HEAD).await.unwrap();
    let activity: Vec<(String, i16, i16, f64, i32)> = sqlx::query_as(
        "SELECT camera_id, hour, day_of_week, avg_count, sample_count FROM activity_baselines",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(activity, [("cam".to_owned(), 10, 0, 2.0, 4)]);
    let classes: Vec<(String, i16, f64, i32)> = sqlx::query_as(
        "SELECT detection_class, hour, frequency, sample_count FROM class_baselines ORDER BY detection_class",
    )
    .fetch_all(&mut conn)
    .await
    .unwrap();
    assert_eq!(
        classes,
        [
            ("car".to_owned(), 10, 0.25, 1),
            ("person".to_owned(), 10, 0.75, 3)
        ]
    );
    m.downgrade(&mut conn, "-1").await.unwrap();
    let left: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM activity_baselines) + (SELECT count(*) FROM class_baselines)",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(left, 0);
    assert_eq!(version(&mut conn).await, ["add_baselines"]);
}
