//! The way in from Alembic: a database migrated by Alembic itself (from a
//! virtualenv) over the fixture project is imported with
//! `import --from alembic` (each revision rendered by Alembic's offline
//! mode), stamped with `stamp --from alembic` and upgraded further, and a
//! fresh database built from the imported chain alone has the schema
//! Alembic built.
//!
//! Without `python3`, or when the virtualenv cannot be made, the tests fail
//! with the reason: they test nothing without Alembic.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use common::*;
use sqlx::PgConnection;

/// The Alembic project of the fixture.
fn project() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("chains/alembic_project")
}

/// The head revision of the fixture.
const HEAD: &str = "5e6f708192a3";

/// The Python of a virtualenv that has Alembic, SQLAlchemy and psycopg2,
/// made on first use under the test's target directory.
fn python() -> &'static Path {
    static PYTHON: OnceLock<PathBuf> = OnceLock::new();
    PYTHON.get_or_init(|| {
        let venv = Path::new(env!("CARGO_TARGET_TMPDIR")).join("alembic-import-venv");
        let python = venv.join("bin/python");
        let ready = |py: &Path| {
            Command::new(py)
                .args(["-c", "import alembic, sqlalchemy, psycopg2"])
                .output()
                .is_ok_and(|o| o.status.success())
        };
        if ready(&python) {
            return python;
        }
        let _ = std::fs::remove_dir_all(&venv);
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .output()
            .unwrap_or_else(|e| {
                panic!(
                    "python3 cannot be run ({e}): Alembic is needed (`bash .ci/run` installs it)"
                )
            });
        assert!(
            made.status.success(),
            "python3 -m venv failed (Debian: apt-get install python3-venv): {}",
            String::from_utf8_lossy(&made.stderr)
        );
        let pip = Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "-q",
                "alembic>=1.13",
                "sqlalchemy>=2",
                "psycopg2-binary",
            ])
            .output()
            .expect("run pip");
        assert!(
            pip.status.success(),
            "pip cannot install alembic: {}",
            String::from_utf8_lossy(&pip.stderr)
        );
        assert!(
            ready(&python),
            "alembic is installed but cannot be imported"
        );
        python
    })
}

/// Runs Alembic's own command line over the fixture on the database `url`.
fn alembic(url: &str, args: &[&str]) {
    alembic_in(&project(), url, args);
}

/// Runs Alembic's own command line over the project in `project` on the
/// database `url`.
fn alembic_in(project: &Path, url: &str, args: &[&str]) {
    let alchemy = url.replacen("postgresql://", "postgresql+psycopg2://", 1);
    let out = Command::new(python())
        .args(["-m", "alembic", "-c"])
        .arg(project.join("alembic.ini"))
        .args(["-x", &format!("url={alchemy}")])
        .args(args)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run alembic");
    assert!(
        out.status.success(),
        "alembic {args:?} failed: {}",
        stderr(&out)
    );
}

/// A fresh database migrated to head by Alembic itself.
async fn alembic_migrated_db() -> (String, PgConnection) {
    let (url, conn) = fresh_db().await;
    alembic(&url, &["upgrade", "head"]);
    (url, conn)
}

/// The fixture imported into `<tmp>/migrations` with the virtualenv's Python.
fn imported(url: &str) -> (tempfile::TempDir, PathBuf, String) {
    let python = python();
    import_fixture(
        url,
        "alembic",
        &project(),
        &["--python", python.to_str().unwrap()],
    )
}

/// `pg_dump --schema-only` without the blocks of the version table and log.
fn schema_without_tracking(url: &str) -> String {
    schema_without(url, &["alembic_version"])
}

#[tokio::test]
async fn an_alembic_database_is_imported_stamped_upgraded_and_rebuilt_to_the_same_schema() {
    let (alembic_url, mut alembic_conn) = alembic_migrated_db().await;
    let (_tmp, dir, out) = imported(&alembic_url);
    for expected in [
        "irreversible: its downgrade() runs no statement",
        "irreversible: its downgrade() raises NotImplementedError: published posts cannot be unpublished in bulk",
        &format!("base 1a2b3c4d5e6f, head {HEAD}"),
    ] {
        assert!(out.contains(expected), "no {expected:?} in:\n{out}");
    }
    let revision = std::fs::read_to_string(dir.join("3c4d5e6f7081_add_user_email.sql"))
        .expect("the revision keeps Alembic's id, and its message in the file name");
    for expected in [
        "-- add user email\n--\n-- Revision ID: 3c4d5e6f7081\n-- Revises: 2b3c4d5e6f70\n-- Create Date: 2024-01-03 10:00:00.000000\n",
        "-- migrate:upgrade\nALTER TABLE users ADD COLUMN email VARCHAR(200);\n\nCREATE UNIQUE INDEX ix_users_email ON users (email);\n-- migrate:downgrade\n",
    ] {
        assert!(revision.contains(expected), "no {expected:?} in:\n{revision}");
    }
    assert!(!revision.contains("alembic_version"), "{revision}");

    // Alembic's row is the stamp's revision; the log gets every checksum.
    assert_eq!(version(&mut alembic_conn).await, [HEAD]);
    let stamped = ok(&dir, &alembic_url, &["stamp", "--from", "alembic"]);
    assert!(stamped.contains(&format!("Stamped {HEAD}")), "{stamped}");
    assert_eq!(version(&mut alembic_conn).await, [HEAD]);
    assert_eq!(logged(&mut alembic_conn).await.len(), 5);
    let check = ok(&dir, &alembic_url, &["upgrade", "head"]);
    assert!(!check.contains("drift"), "{check}");

    // A fresh database upgraded by this project alone builds Alembic's schema.
    let (fresh_url, mut fresh_conn) = fresh_db().await;
    let applied = ok(&dir, &fresh_url, &["upgrade", "head"]);
    assert!(applied.contains("Applied 5 revision(s)"), "{applied}");
    let alembic_schema = schema_without_tracking(&alembic_url);
    assert!(
        alembic_schema.contains("ix_posts_author_published"),
        "{alembic_schema}"
    );
    assert_eq!(schema_without_tracking(&fresh_url), alembic_schema);
    let admins: i64 = sqlx::query_scalar("SELECT count(*) FROM users WHERE name = 'admin'")
        .fetch_one(&mut fresh_conn)
        .await
        .expect("the data revision ran");
    assert_eq!(admins, 1);

    // The project carries on from the stamped database.
    carries_on_after_stamp(
        &dir,
        &alembic_url,
        &fresh_url,
        HEAD,
        "integer",
        schema_without_tracking,
    );
}

#[tokio::test]
async fn stamp_from_alembic_refuses_a_row_that_names_no_imported_revision() {
    let (url, mut conn) = fresh_db().await;
    alembic(&url, &["upgrade", "3c4d5e6f7081"]);
    let (_tmp, dir, _) = imported(&url);
    sqlx::raw_sql("UPDATE alembic_version SET version_num = 'f00dfeedbeef'")
        .execute(&mut conn)
        .await
        .expect("an unknown row");
    let err = refused(&dir, &url, &["stamp", "--from", "alembic"]);
    assert!(
        err.contains(
            "the version table names `f00dfeedbeef`, which is not a revision imported from Alembic"
        ),
        "{err}"
    );
    assert_eq!(version(&mut conn).await, ["f00dfeedbeef"]);
    let logged: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_tables WHERE tablename = 'alembic_version_log'",
    )
    .fetch_one(&mut conn)
    .await
    .expect("look for the log");
    assert_eq!(logged, 0, "nothing is stamped");
}

#[tokio::test]
async fn stamp_from_alembic_stamps_where_alembic_stopped() {
    let (url, mut conn) = fresh_db().await;
    alembic(&url, &["upgrade", "3c4d5e6f7081"]);
    let (_tmp, dir, _) = imported(&url);
    let stamped = ok(&dir, &url, &["stamp", "--from", "alembic"]);
    assert!(stamped.contains("Stamped 3c4d5e6f7081"), "{stamped}");
    assert_eq!(logged(&mut conn).await.len(), 3);
    let applied = ok(&dir, &url, &["upgrade", "head"]);
    assert!(
        applied.contains(&format!("Applied 2 revision(s): 3c4d5e6f7081 -> {HEAD}")),
        "{applied}"
    );
}

#[tokio::test]
async fn import_refuses_a_python_that_cannot_be_run_and_names_the_flag() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let project = project();
    let err = refused(
        &tmp.path().join("migrations"),
        "postgres://unused.invalid/db",
        &[
            "import",
            "--from",
            "alembic",
            project.to_str().unwrap(),
            "--python",
            "/nonexistent/bin/python",
        ],
    );
    for expected in [
        "cannot run `/nonexistent/bin/python`",
        "pip install alembic",
        "--python",
    ] {
        assert!(err.contains(expected), "no {expected:?} in:\n{err}");
    }
    assert!(
        !tmp.path().join("migrations").exists(),
        "nothing is written"
    );
}

/// An Alembic script for [`branchy_project`].
fn script(
    id: &str,
    down: &str,
    labels: &str,
    depends: &str,
    upgrade: &str,
    downgrade: &str,
) -> String {
    format!(
        "\"\"\"{id}\n\nRevision ID: {id}\n\"\"\"\nfrom alembic import op\n\n\
         revision = {id:?}\ndown_revision = {down}\nbranch_labels = {labels}\ndepends_on = {depends}\n\n\n\
         def upgrade():\n{upgrade}\n\n\ndef downgrade():\n{downgrade}\n"
    )
}

/// The fixture's `alembic.ini` and `env.py` over a history with a labelled
/// branch, a merge and a dependency on the label.
fn branchy_project() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tempdir");
    for f in ["alembic.ini", "env.py"] {
        std::fs::copy(project().join(f), tmp.path().join(f)).expect("copy the fixture");
    }
    let versions = tmp.path().join("versions");
    std::fs::create_dir(&versions).unwrap();
    let scripts = [
        script("aaaaaaaaaaa1", "None", "None", "None",
            "    op.execute('CREATE TABLE a (id int PRIMARY KEY)')",
            "    op.execute('DROP TABLE a')"),
        script("aaaaaaaaaaa2", "'aaaaaaaaaaa1'", "None", "None",
            "    op.execute('ALTER TABLE a ADD COLUMN note text')",
            "    op.execute('ALTER TABLE a DROP COLUMN note')"),
        script("bbbbbbbbbbb1", "'aaaaaaaaaaa1'", "('side',)", "None",
            "    op.execute('CREATE TABLE side (id int)')",
            "    op.execute('DROP TABLE side')"),
        script("ccccccccccc1", "('aaaaaaaaaaa2', 'bbbbbbbbbbb1')", "None", "None",
            "    pass", "    pass"),
        script("ddddddddddd1", "'ccccccccccc1'", "None", "'side'",
            "    with op.get_context().autocommit_block():\n        op.execute('CREATE INDEX CONCURRENTLY side_i ON side (id)')",
            "    op.execute('DROP INDEX side_i')"),
    ];
    for (i, s) in scripts.iter().enumerate() {
        std::fs::write(versions.join(format!("r{i}.py")), s).unwrap();
    }
    tmp
}

#[tokio::test]
async fn branches_labels_merges_and_dependencies_come_over_as_alembic_declares_them() {
    let project = branchy_project();
    let (alembic_url, _conn) = fresh_db().await;
    let out = Command::new(python())
        .args(["-m", "alembic", "-c"])
        .arg(project.path().join("alembic.ini"))
        .args([
            "-x",
            &format!(
                "url={}",
                alembic_url.replacen("postgresql://", "postgresql+psycopg2://", 1)
            ),
            "upgrade",
            "head",
        ])
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run alembic");
    assert!(out.status.success(), "alembic: {}", stderr(&out));
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("migrations");
    let imported = ok(
        &dir,
        &alembic_url,
        &[
            "import",
            "--from",
            "alembic",
            project.path().to_str().unwrap(),
            "--python",
            python().to_str().unwrap(),
        ],
    );
    assert!(!imported.contains("irreversible"), "{imported}");
    let text = |id: &str| {
        let file = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(id))
            .unwrap_or_else(|| panic!("no revision file for {id}"));
        std::fs::read_to_string(file).unwrap()
    };
    assert!(text("bbbbbbbbbbb1").contains("-- Branch Labels: side\n"));
    assert!(text("ccccccccccc1").contains("-- Revises: aaaaaaaaaaa2, bbbbbbbbbbb1\n"));
    let d = text("ddddddddddd1");
    for expected in [
        "-- Depends On: bbbbbbbbbbb1\n",
        "-- Options: non-transactional\n",
    ] {
        assert!(d.contains(expected), "no {expected:?} in:\n{d}");
    }
    assert!(!d.contains("BEGIN") && !d.contains("COMMIT"), "{d}");
    let stamped = ok(&dir, &alembic_url, &["stamp", "--from", "alembic"]);
    assert!(stamped.contains("Stamped ddddddddddd1"), "{stamped}");

    let (fresh_url, _fresh) = fresh_db().await;
    let applied = ok(&dir, &fresh_url, &["upgrade", "head"]);
    assert!(applied.contains("Applied 5 revision(s)"), "{applied}");
    let alembic_schema = schema_without_tracking(&alembic_url);
    assert!(alembic_schema.contains("side_i"), "{alembic_schema}");
    assert_eq!(schema_without_tracking(&fresh_url), alembic_schema);
    let reverted = ok(&dir, &fresh_url, &["downgrade", "base"]);
    assert!(reverted.contains("5 revision(s)"), "{reverted}");
}

#[tokio::test]
async fn stamp_from_alembic_stamps_every_branch_head_alembic_left_and_upgrade_goes_on_through_the_merge(
) {
    let project = branchy_project();
    let (url, mut conn) = fresh_db().await;
    // Alembic stops with both branches applied and not yet merged: one row
    // per branch head.
    alembic_in(project.path(), &url, &["upgrade", "aaaaaaaaaaa2"]);
    alembic_in(project.path(), &url, &["upgrade", "bbbbbbbbbbb1"]);
    let mut rows = version_rows(&mut conn).await;
    rows.sort();
    assert_eq!(rows, ["aaaaaaaaaaa2", "bbbbbbbbbbb1"]);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("migrations");
    ok(
        &dir,
        &url,
        &[
            "import",
            "--from",
            "alembic",
            project.path().to_str().unwrap(),
            "--python",
            python().to_str().unwrap(),
        ],
    );
    let stamped = ok(&dir, &url, &["stamp", "--from", "alembic"]);
    assert!(
        stamped.contains("aaaaaaaaaaa2") && stamped.contains("bbbbbbbbbbb1"),
        "{stamped}"
    );
    let mut log = logged(&mut conn).await;
    log.sort();
    assert_eq!(log, ["aaaaaaaaaaa1", "aaaaaaaaaaa2", "bbbbbbbbbbb1"]);
    let current = ok(&dir, &url, &["current"]);
    assert!(
        current.contains("aaaaaaaaaaa2") && current.contains("bbbbbbbbbbb1"),
        "{current}"
    );
    let applied = ok(&dir, &url, &["upgrade", "head"]);
    assert!(applied.contains("Applied 2 revision(s)"), "{applied}");
    assert_eq!(version_rows(&mut conn).await, ["ddddddddddd1"]);
    let (alembic_url, _alembic_conn) = fresh_db().await;
    alembic_in(project.path(), &alembic_url, &["upgrade", "head"]);
    let alembic_schema = schema_without_tracking(&alembic_url);
    assert!(alembic_schema.contains("side_i"), "{alembic_schema}");
    assert_eq!(schema_without_tracking(&url), alembic_schema);
}

#[tokio::test]
async fn stamp_from_alembic_takes_a_source_table_only_when_it_is_this_project_s_version_table() {
    let (url, mut conn) = fresh_db().await;
    alembic(&url, &["upgrade", "3c4d5e6f7081"]);
    let (_tmp, dir, _) = imported(&url);
    let err = refused(
        &dir,
        &url,
        &[
            "stamp",
            "--from",
            "alembic",
            "--source-table",
            "custom_version",
        ],
    );
    assert!(
        err.contains("--source-table `custom_version` is not this project's version table"),
        "{err}"
    );
    assert!(err.contains("`version_table`"), "{err}");
    let logs: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_tables WHERE tablename = 'alembic_version_log'",
    )
    .fetch_one(&mut conn)
    .await
    .expect("look for the log");
    assert_eq!(logs, 0, "nothing is stamped");
    let stamped = ok(
        &dir,
        &url,
        &[
            "stamp",
            "--from",
            "alembic",
            "--source-table",
            "public.alembic_version",
        ],
    );
    assert!(stamped.contains("Stamped 3c4d5e6f7081"), "{stamped}");
}
