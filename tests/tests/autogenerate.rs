//! `new-revision --autogenerate`, `check --autogenerate` and
//! `check --database` on the reference schema, driven as a user runs them:
//! the command line over the embedded reference chain, a desired schema
//! written as DDL (here, the head's own `pg_dump`, edited), and scratch
//! databases on a throwaway server the command starts itself (or on the
//! tests' server, when they run on one).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::*;
use schema_runtime::catalog::Catalog;
use schema_runtime::testing::{TestCluster, TestDatabase};
use schema_runtime::VersionTable;

schema_runtime::migrations!("../migrations");

/// The reference chain's head as a desired schema: `pg_dump --schema-only`
/// of a database at head, without the version table and its log.
async fn head_dump() -> String {
    let db = TestDatabase::at(&migrations::SET, "head").await.unwrap();
    // The version table and its log (`alembic_version_log` starts alike).
    schema_without(db.url(), &["alembic_version"])
}

/// The five changes the seed's guide says Alembic's autogenerate misses or
/// gets wrong, made to the head's schema.
const CHANGES: &str = r#"
ALTER TABLE public.cameras ADD COLUMN firmware text;
CREATE INDEX cameras_offline_idx ON public.cameras (id) WHERE status = 'offline';
ALTER TYPE public.camera_status ADD VALUE 'maintenance' AFTER 'error';
CREATE OR REPLACE FUNCTION public.events_search_vector_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('simple', coalesce(NEW.summary, '')), 'A') ||
        setweight(to_tsvector('simple', coalesce(NEW.notes, '')), 'B');
    RETURN NEW;
END;
$$;
ALTER TABLE public.cameras RENAME CONSTRAINT cameras_id_format TO cameras_id_is_slug;
"#;

/// The command line over the reference chain, in `dir` (where it writes
/// `migrations/`), with no database URL from the environment.
/// On a server named by `SCHEMA_MIGRATIONS_TEST_SERVER_URL`, the command
/// builds its scratch databases there (`--scratch-url`); else it starts a
/// throwaway server of its own.
fn xtask(dir: &Path, args: &[&str]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_migrate_reference"));
    c.current_dir(dir).args(args).env_remove("DATABASE_URL");
    if let Some(url) = std::env::var_os(schema_runtime::testing::SERVER_URL_VAR) {
        c.arg("--scratch-url").arg(url);
    }
    c.output().unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// The revision files written under `dir/migrations`.
fn written(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir.join("migrations"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default()
}

/// A fresh database with `sql` loaded.
async fn loaded(sql: &str) -> (TestDatabase, Catalog) {
    let db = TestDatabase::empty().await.unwrap();
    let mut conn = db.connect().await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut conn)
        .await
        .unwrap();
    let c = Catalog::read(&mut conn, &VersionTable::default())
        .await
        .unwrap();
    (db, c)
}

#[tokio::test]
async fn the_heads_own_schema_autogenerates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("schema.sql"), head_dump().await).unwrap();
    let out = xtask(
        dir.path(),
        &[
            "new-revision",
            "--autogenerate",
            "-m",
            "nothing",
            "--schema",
            "schema.sql",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("No changes in schema detected"),
        "{}",
        text(&out)
    );
    assert!(written(dir.path()).is_empty(), "nothing is written");
    let check = xtask(
        dir.path(),
        &["check", "--autogenerate", "--schema", "schema.sql"],
    );
    assert!(check.status.success(), "{}", text(&check));
}

#[tokio::test]
async fn a_plain_pg_dump_of_the_head_with_its_psql_markers_autogenerates_nothing() {
    let db = TestDatabase::at(&migrations::SET, "head").await.unwrap();
    let out = Command::new(TestCluster::shared().bin_dir().join("pg_dump"))
        .args(["--schema-only", "-d", db.url()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let dump = String::from_utf8(out.stdout).unwrap();
    assert!(dump.contains("\\restrict "), "{dump}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("schema.sql"), dump).unwrap();
    let check = xtask(
        dir.path(),
        &["check", "--autogenerate", "--schema", "schema.sql"],
    );
    assert!(check.status.success(), "{}", text(&check));
    assert!(
        text(&check).contains("No changes in schema detected"),
        "{}",
        text(&check)
    );
}

#[tokio::test]
async fn a_psql_meta_command_in_the_desired_schema_is_named_with_its_line_and_why() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("schema.sql"),
        "CREATE TABLE a (id int);\n\\i tables.sql\n",
    )
    .unwrap();
    let out = xtask(
        dir.path(),
        &["check", "--autogenerate", "--schema", "schema.sql"],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(text(&out).contains("schema.sql:2: "), "{}", text(&out));
    assert!(
        text(&out).contains("psql meta-commands (`\\i`"),
        "{}",
        text(&out)
    );
}

#[test]
fn the_repositorys_desired_schema_is_what_the_reference_chain_builds() {
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schema");
    let dir = tempfile::tempdir().unwrap();
    let out = xtask(
        dir.path(),
        &[
            "check",
            "--autogenerate",
            "--schema",
            schema.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("No changes in schema detected"),
        "{}",
        text(&out)
    );
}

#[tokio::test]
async fn five_changes_autogenerate_a_revision_that_reaches_the_desired_schema_and_comes_back() {
    let dir = tempfile::tempdir().unwrap();
    let desired = format!("{}\n{CHANGES}", head_dump().await);
    std::fs::create_dir(dir.path().join("schema")).unwrap();
    std::fs::write(dir.path().join("schema/all.sql"), &desired).unwrap();

    let check = xtask(dir.path(), &["check", "--autogenerate"]);
    assert_eq!(check.status.code(), Some(1), "{}", text(&check));
    assert!(
        text(&check).contains("differs from the chain's head"),
        "{}",
        text(&check)
    );

    let out = xtask(
        dir.path(),
        &["new-revision", "--autogenerate", "-m", "five changes"],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("the upgrade reaches schema and the downgrade returns to the head"),
        "the command checked its own revision: {}",
        text(&out)
    );
    let files = written(dir.path());
    assert_eq!(files.len(), 1, "{files:?}");
    let file = std::fs::read_to_string(&files[0]).unwrap();
    for expected in [
        "ADD COLUMN firmware text",
        "CREATE INDEX cameras_offline_idx ON public.cameras USING btree (id) WHERE (status = 'offline'::public.camera_status)",
        "ADD VALUE 'maintenance'",
        "CREATE OR REPLACE FUNCTION public.events_search_vector_update()",
        "RENAME CONSTRAINT cameras_id_format TO cameras_id_is_slug",
        "Revises: backfill_baselines",
    ] {
        assert!(file.contains(expected), "`{expected}` in:\n{file}");
    }

    // Independently of the command's own check: the written sections, run
    // on a database at head, reach the desired schema and come back.
    let revision = schema_runtime::core::parse_revision("x.sql", &file).unwrap();
    let (_want_db, want) = loaded(&desired).await;
    let db = TestDatabase::at(&migrations::SET, "head").await.unwrap();
    let mut conn = db.connect().await.unwrap();
    let table = VersionTable::default();
    let head = Catalog::read(&mut conn, &table).await.unwrap();
    for (section, expected) in [
        (&*revision.upgrade.sql, &want),
        (&*revision.downgrade.as_ref().unwrap().sql, &head),
    ] {
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("BEGIN;\n{section}\nCOMMIT;")))
            .execute(&mut conn)
            .await
            .unwrap();
        let now = Catalog::read(&mut conn, &table).await.unwrap();
        assert_eq!(
            now.ignoring_column_order().entries(),
            expected.ignoring_column_order().entries()
        );
    }
}

#[tokio::test]
async fn a_desired_schema_that_does_not_load_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("schema.sql"),
        "CREATE TABLE a (id int);\n\nCREATE TABLE b (id nosuchtype);\n",
    )
    .unwrap();
    let out = xtask(
        dir.path(),
        &[
            "new-revision",
            "--autogenerate",
            "-m",
            "x",
            "--schema",
            "schema.sql",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("schema.sql:3: type \"nosuchtype\" does not exist"),
        "{}",
        text(&out)
    );
    assert!(written(dir.path()).is_empty());
}

#[tokio::test]
async fn a_desired_schema_statement_that_runs_too_long_is_cancelled_by_the_scratch_timeout() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("schema.sql"),
        "CREATE TABLE a (id int);\nSELECT pg_sleep(30);\n",
    )
    .unwrap();
    let out = xtask(
        dir.path(),
        &[
            "check",
            "--autogenerate",
            "--schema",
            "schema.sql",
            "--scratch-timeout-ms",
            "500",
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        text(&out).contains("schema.sql: a statement ran longer than 500 ms and was cancelled"),
        "{}",
        text(&out)
    );
    assert!(
        text(&out).contains("--scratch-timeout-ms"),
        "{}",
        text(&out)
    );
}

#[tokio::test]
async fn check_database_reports_a_change_made_by_hand() {
    let db = TestDatabase::at(&migrations::SET, "head").await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let clean = xtask(
        dir.path(),
        &["check", "--database", "--database-url", db.url()],
    );
    assert!(clean.status.success(), "{}", text(&clean));
    assert!(
        text(&clean).contains("is the one its revisions build"),
        "{}",
        text(&clean)
    );

    psql(
        db.url(),
        "CREATE INDEX by_hand ON cameras (name); ALTER TABLE zones DROP CONSTRAINT zones_name_per_camera;",
    );
    let drift = xtask(
        dir.path(),
        &["check", "--database", "--database-url", db.url()],
    );
    assert_eq!(drift.status.code(), Some(1), "{}", text(&drift));
    let t = text(&drift);
    assert!(t.contains("+ index public.by_hand"), "{t}");
    assert!(
        t.contains("- constraint public.zones.zones_name_per_camera"),
        "{t}"
    );
}

#[tokio::test]
async fn scratch_databases_go_on_the_server_of_scratch_url_and_are_dropped_after() {
    let server = TestDatabase::empty().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("schema.sql"), head_dump().await).unwrap();
    let child = Command::new(env!("CARGO_BIN_EXE_migrate_reference"))
        .current_dir(dir.path())
        .args([
            "check",
            "--autogenerate",
            "--schema",
            "schema.sql",
            "--scratch-url",
        ])
        .arg(server.url())
        .env_remove("DATABASE_URL")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let pid = child.id();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let mut conn = server.connect().await.unwrap();
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_database WHERE datname LIKE $1")
        .bind(format!("schema\\_scratch\\_{pid}\\_%"))
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(left, 0, "the command's scratch databases are dropped");
}

#[tokio::test]
async fn the_first_revision_of_a_new_project_is_autogenerated_from_an_empty_database() {
    let dir = tempfile::tempdir().unwrap();
    let desired = "CREATE TYPE mood AS ENUM ('calm', 'busy');\n\
                   CREATE TABLE people (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, \
                   name text NOT NULL, mood mood DEFAULT 'calm');\n\
                   CREATE INDEX people_busy ON people (name) WHERE mood = 'busy';\n";
    std::fs::write(dir.path().join("schema.sql"), desired).unwrap();
    let schema_cli = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_schema"));
        c.current_dir(dir.path())
            .args(args)
            .env_remove("DATABASE_URL");
        if let Some(url) = std::env::var_os(schema_runtime::testing::SERVER_URL_VAR) {
            c.arg("--scratch-url").arg(url);
        }
        c.output().unwrap()
    };
    // No migrations directory yet.
    let out = schema_cli(&[
        "new-revision",
        "--autogenerate",
        "-m",
        "initial",
        "--schema",
        "schema.sql",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let files = written(dir.path());
    assert_eq!(files.len(), 1, "{}", text(&out));
    let file = std::fs::read_to_string(&files[0]).unwrap();
    assert!(
        file.contains("-- Revises: \n") || file.contains("-- Revises:\n"),
        "{file}"
    );

    // The chain it starts builds the desired schema.
    let db = TestDatabase::empty().await.unwrap();
    let up = schema_cli(&["--database-url", db.url(), "upgrade", "head"]);
    assert!(up.status.success(), "{}", text(&up));
    let (_want_db, want) = loaded(desired).await;
    let mut conn = db.connect().await.unwrap();
    let got = Catalog::read(&mut conn, &VersionTable::default())
        .await
        .unwrap();
    assert_eq!(got.entries(), want.entries());
    let again = schema_cli(&["check", "--autogenerate", "--schema", "schema.sql"]);
    assert!(again.status.success(), "{}", text(&again));
}
