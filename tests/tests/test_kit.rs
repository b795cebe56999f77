//! The test kit for revision authors (`schema_runtime::testing`, docs/TESTING.md):
//! the stairway check on the reference schema and on a chain with a broken
//! downgrade, the catalog snapshot it compares, a fresh database at a
//! revision for a data migration, and `#[schema_runtime::test]`.

use std::cell::RefCell;

use schema_runtime::sqlx::{self, PgConnection, PgPool};
use schema_runtime::testing::{stairway, Snapshot, StairwayError, TestDatabase};
use schema_runtime::{Migration, Migrator, VersionTable};

schema_runtime::migrations!("../migrations");

/// A chain whose second revision's downgrade forgets an index and puts back
/// another default than the one it found.
mod broken {
    schema_runtime::migrations!("chains/broken_downgrade", lint = false);
}

async fn version(conn: impl sqlx::PgExecutor<'_>) -> Vec<String> {
    sqlx::query_scalar("SELECT version_num::text FROM alembic_version ORDER BY 1")
        .fetch_all(conn)
        .await
        .expect("read the version table")
}

#[tokio::test]
async fn the_stairway_walks_every_reference_revision_and_each_downgrade_restores_the_schema() {
    let db = TestDatabase::empty().await.unwrap();
    let report = stairway(&migrations::SET, db.pool())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = migrations::SET.revisions().iter().map(|r| &*r.id).collect();
    assert_eq!(report.revisions().collect::<Vec<_>>(), ids);
    for (step, revision) in report.steps.iter().zip(migrations::SET.revisions()) {
        assert!(step.reversible, "{step}");
        // The Rust revision moves data only.
        let data_only = revision.language == schema_runtime::core::Language::Rust;
        assert_eq!(step.changes.is_empty(), data_only, "{step}");
    }
    // The initial schema creates the cameras table, among others.
    let initial = &report.steps[0].changes;
    assert!(
        initial
            .extra
            .iter()
            .any(|o| o.name == "table public.cameras"),
        "{initial}"
    );
    assert_eq!(version(db.pool()).await, [migrations::HEAD.id()]);
}

#[tokio::test]
async fn the_stairway_names_the_revision_whose_downgrade_leaves_an_index_and_another_default() {
    let db = TestDatabase::empty().await.unwrap();
    let err = stairway(&broken::migrations::SET, db.pool())
        .await
        .expect_err("b2's downgrade does not restore the schema");
    let text = err.to_string();
    let StairwayError::DowngradeDiffers {
        revision,
        difference,
    } = err
    else {
        panic!("another error: {text}");
    };
    assert_eq!(revision, "b2");
    assert!(difference.missing.is_empty(), "{difference}");
    let extra: Vec<String> = difference.extra.iter().map(|o| o.to_string()).collect();
    assert_eq!(
        extra,
        ["index public.widgets_name_idx: CREATE INDEX widgets_name_idx ON public.widgets USING btree (name), on public.widgets"]
    );
    let changed = &difference.changed;
    assert_eq!(changed.len(), 1, "{difference}");
    assert_eq!(changed[0].name, "column public.widgets.name");
    assert_eq!(changed[0].expected, "text not null default ''::text");
    assert_eq!(changed[0].found, "text not null default 'none'::text");
    assert_eq!(
        text,
        "the downgrade of b2 does not restore the schema its upgrade started from \
         (- missing after the downgrade, + left by it, ~ changed):\n\
         \x20 + index public.widgets_name_idx: CREATE INDEX widgets_name_idx ON public.widgets USING btree (name), on public.widgets\n\
         \x20 ~ column public.widgets.name: text not null default ''::text\n\
         \x20   now: text not null default 'none'::text"
    );
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/TESTING.md"))
        .expect("read docs/TESTING.md");
    assert!(
        doc.contains(&text),
        "docs/TESTING.md quotes the error:\n{text}"
    );
}

/// A migrator over a linear chain written to a temporary directory: each
/// revision is `(id, upgrade, downgrade)`, `None` for an irreversible one.
fn chain(revisions: &[(&str, &str, Option<&str>)]) -> (tempfile::TempDir, Migrator) {
    let dir = tempfile::tempdir().unwrap();
    let mut parent = "";
    for (id, up, down) in revisions {
        let mut text = format!(
            "-- {id}\n--\n-- Revision ID: {id}\n-- Revises: {parent}\n\
             -- Create Date: 2026-01-01 00:00:00.000000\n"
        );
        match down {
            Some(down) => text.push_str(&format!(
                "\n-- migrate:upgrade\n{up}\n\n-- migrate:downgrade\n{down}\n"
            )),
            None => text.push_str(&format!(
                "-- Options: irreversible\n\n-- migrate:upgrade\n{up}\n"
            )),
        }
        std::fs::write(dir.path().join(format!("{id}.sql")), text).unwrap();
        parent = id;
    }
    let migrator = Migrator::load(dir.path(), "chain").unwrap();
    (dir, migrator)
}

#[tokio::test]
async fn the_stairway_takes_a_migrator_with_its_version_table_and_only_upgrades_an_irreversible_revision(
) {
    let (_dir, migrator) = chain(&[
        ("r1", "CREATE TABLE t (id int);", Some("DROP TABLE t;")),
        ("r2", "ALTER TABLE t ADD COLUMN note text;", None),
    ]);
    let migrator = migrator.table_name("schema_version");
    let db = TestDatabase::empty().await.unwrap();
    let report = stairway(&migrator, db.pool())
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let steps: Vec<String> = report.steps.iter().map(|s| s.to_string()).collect();
    assert_eq!(
        steps,
        [
            "r1: 2 created, 0 dropped, 0 altered",
            // The new column, and the table, whose column list it lengthens.
            "r2 (irreversible: upgraded only): 1 created, 0 dropped, 1 altered"
        ]
    );
    let at: Vec<String> = sqlx::query_scalar("SELECT version_num::text FROM schema_version")
        .fetch_all(db.pool())
        .await
        .unwrap();
    assert_eq!(at, ["r2"]);
}

#[tokio::test]
async fn the_stairway_names_a_revision_that_upgrades_differently_the_second_time() {
    // The downgrade restores the schema but leaves the row the upgrade put
    // in; the second upgrade sees two rows and creates an index.
    let (_dir, migrator) = chain(&[
        (
            "r1",
            "CREATE TABLE flags (name text);",
            Some("DROP TABLE flags;"),
        ),
        (
            "r2",
            "INSERT INTO flags VALUES ('x');\n\
             DO $$ BEGIN IF (SELECT count(*) FROM flags) > 1 THEN \
             CREATE INDEX flags_name_idx ON flags (name); END IF; END $$;",
            Some("DROP INDEX IF EXISTS flags_name_idx;"),
        ),
    ]);
    let db = TestDatabase::empty().await.unwrap();
    let err = stairway(&migrator, db.pool())
        .await
        .expect_err("r2 differs");
    assert_eq!(
        err.to_string(),
        "r2 upgraded again after its downgrade leaves another schema than its first upgrade \
         (- missing the second time, + extra, ~ changed):\n\
         \x20 + index public.flags_name_idx: CREATE INDEX flags_name_idx ON public.flags USING btree (name), on public.flags"
    );
}

#[tokio::test]
async fn the_snapshot_lists_each_kind_of_object_and_leaves_out_the_version_tables() {
    let db = TestDatabase::at(&broken::migrations::SET, "a1")
        .await
        .unwrap();
    sqlx::raw_sql(
        "CREATE SCHEMA audit;
         CREATE TABLE audit.log (id int GENERATED ALWAYS AS IDENTITY, at timestamptz DEFAULT now(),
                                 CONSTRAINT log_id_positive CHECK (id > 0));
         CREATE VIEW audit.recent AS SELECT id FROM audit.log WHERE at > now() - interval '1 day';
         CREATE FUNCTION audit.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE TRIGGER log_touch BEFORE UPDATE ON audit.log FOR EACH ROW EXECUTE FUNCTION audit.touch();
         CREATE DOMAIN audit.positive AS int CHECK (VALUE > 0);",
    )
    .execute(db.pool())
    .await
    .unwrap();
    let mut conn = db.connect().await.unwrap();
    let snapshot = Snapshot::take(&mut conn, &VersionTable::default())
        .await
        .unwrap();
    let expected = [
        ("schema audit", "schema"),
        ("table public.widgets", "columns (id, kind, name)"),
        ("column public.widgets.id", "bigint not null default nextval('public.widgets_id_seq'::regclass)"),
        ("column public.widgets.kind", "public.widget_kind not null, user type public.widget_kind"),
        ("column audit.log.id", "integer not null generated always as identity"),
        ("constraint public.widgets.widgets_pkey", "PRIMARY KEY (id), kind primary key"),
        ("constraint audit.log.log_id_positive", "CHECK ((id > 0)), kind check"),
        ("domain audit.positive", "integer, constraint positive_check CHECK ((VALUE > 0))"),
        ("enum public.widget_kind", "labels ('gear', 'spring')"),
        ("sequence public.widgets_id_seq", "bigint start 1 increment 1 min 1 max 9223372036854775807 cache 1 owned by public.widgets.id"),
        ("view audit.recent", "AS SELECT log.id FROM audit.log WHERE (log.at > (now() - '1 day'::interval)), depends on (audit.log)"),
        ("trigger audit.log.log_touch", "CREATE TRIGGER log_touch BEFORE UPDATE ON audit.log FOR EACH ROW EXECUTE FUNCTION audit.touch(), executes audit.touch()"),
        ("extension plpgsql", "version 1.0 in schema pg_catalog"),
    ];
    for (name, definition) in expected {
        assert_eq!(snapshot.get(name), Some(definition), "{name}");
    }
    // A constraint's index comes with the constraint.
    assert_eq!(snapshot.get("index public.widgets_pkey"), None);
    let touch = snapshot
        .get("function audit.touch()")
        .expect("the function");
    assert!(
        touch.starts_with("returns trigger, definition CREATE OR REPLACE FUNCTION audit.touch()"),
        "{touch}"
    );
    let version_tables: Vec<&str> = snapshot
        .objects()
        .map(|(name, _)| name)
        .filter(|name| name.contains("alembic_version"))
        .collect();
    assert!(version_tables.is_empty(), "{version_tables:?}");
    // A changed function body is a changed definition.
    sqlx::raw_sql(
        "CREATE OR REPLACE FUNCTION audit.touch() RETURNS trigger LANGUAGE plpgsql \
         AS $$ BEGIN RETURN OLD; END $$",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let after = Snapshot::take(&mut conn, &VersionTable::default())
        .await
        .unwrap();
    let diff = snapshot.diff(&after);
    assert_eq!(diff.changed.len(), 1, "{diff}");
    assert_eq!(diff.changed[0].name, "function audit.touch()");
}

#[tokio::test]
async fn a_data_migration_is_tested_from_a_database_at_the_revision_before_it() {
    // The full-text revision backfills the search vector of existing events.
    let db = TestDatabase::at(&migrations::SET, migrations::InitialSchema)
        .await
        .unwrap();
    sqlx::raw_sql(
        "INSERT INTO cameras (id, name, folder_path) VALUES ('gate', 'Gate', '/cams/gate');
         INSERT INTO events (batch_id, camera_id, started_at, summary, notes)
         VALUES ('b1', 'gate', now(), 'A parcel left at the gate', NULL),
                ('b2', 'gate', now(), NULL, 'raccoon again');",
    )
    .execute(db.pool())
    .await
    .unwrap();
    Migrator::new(&migrations::SET)
        .upgrade(db.pool(), migrations::EventsSearch)
        .await
        .unwrap();
    let found = |q: &'static str| {
        sqlx::query_scalar::<_, String>(
            "SELECT batch_id FROM events WHERE search_vector @@ to_tsquery('english', $1)",
        )
        .bind(q)
        .fetch_all(db.pool())
    };
    assert_eq!(found("parcel").await.unwrap(), ["b1"]);
    assert_eq!(found("raccoon").await.unwrap(), ["b2"]);
}

async fn database_exists(name: &str) -> bool {
    let server = schema_runtime::testing::server();
    let mut conn = schema_runtime::connect(&server.url("postgres"))
        .await
        .unwrap();
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(name)
        .fetch_one(&mut conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_test_database_is_dropped_with_its_last_handle() {
    let db = TestDatabase::empty().await.unwrap();
    let name = db.name().to_owned();
    let other = db.clone();
    drop(db);
    assert!(database_exists(&name).await);
    drop(other);
    assert!(!database_exists(&name).await);
}

#[schema_runtime::test]
async fn the_attribute_gives_a_database_at_head(pool: PgPool) {
    assert_eq!(version(&pool).await, [migrations::HEAD.id()]);
}

#[schema_runtime::test(at = migrations::CameraZones)]
async fn the_attribute_gives_a_database_at_the_revision_named(mut conn: PgConnection) {
    assert_eq!(version(&mut conn).await, ["add_zones_001"]);
    let audit: Option<String> = sqlx::query_scalar("SELECT to_regclass('audit_logs')::text")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(audit, None, "audit_logs comes after add_zones_001");
}

#[schema_runtime::test(migrations = broken::migrations, at = "a1")]
async fn the_attribute_takes_another_chain(db: TestDatabase) -> Result<(), sqlx::Error> {
    let mut conn = db.connect().await?;
    assert_eq!(version(&mut conn).await, ["a1"]);
    Ok(())
}

thread_local! {
    /// The database of the last panicking test run on this thread.
    static PANICKED_IN: RefCell<Option<String>> = const { RefCell::new(None) };
}

#[schema_runtime::test]
#[should_panic(expected = "the test fails")]
async fn a_panicking_test(db: TestDatabase) {
    PANICKED_IN.with(|p| *p.borrow_mut() = Some(db.name().to_owned()));
    panic!("the test fails");
}

#[test]
fn the_database_of_a_panicking_attribute_test_is_dropped() {
    assert!(std::panic::catch_unwind(a_panicking_test).is_err());
    let name = PANICKED_IN
        .with(|p| p.borrow_mut().take())
        .expect("the test ran");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    assert!(!runtime.block_on(database_exists(&name)));
}
