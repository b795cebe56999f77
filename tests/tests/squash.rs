//! `squash <rev>` through the built command line: the reference chain is
//! squashed up to `add_baselines` (below its Rust head), and the squashed
//! chain is checked against the original on real databases.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use common::*;
use schema_runtime::testing::TestCluster;
use schema_runtime::Migrator;

fn repo_migrations() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .join("migrations")
}

/// The files directly in `from` copied into a fresh temporary directory.
fn copy_files(from: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.path().is_file() {
            std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
        }
    }
    dir
}

/// The URL of the maintenance database of the test server, where `squash`
/// creates its scratch database.
fn server_url() -> String {
    TestCluster::shared().url("postgres")
}

fn run(out: Output) -> (bool, String, String) {
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A copy of the reference chain squashed up to `add_baselines`, made once
/// per test process.
fn squashed() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = copy_files(&repo_migrations());
        let (ok, stdout, stderr) =
            run(cli(dir.path(), &server_url(), &["squash", "add_baselines"])
                .output()
                .unwrap());
        assert!(ok, "squash failed: {stdout}\n{stderr}");
        assert!(stdout.contains("Squashed 6 revision(s)"), "{stdout}");
        dir
    })
    .path()
}

/// The squashed chain without its Rust head (which only an embedding build
/// runs) and with one more SQL revision above the squashed base.
fn squashed_and_extended() -> tempfile::TempDir {
    let dir = copy_files(squashed());
    std::fs::remove_file(dir.path().join("backfill_baselines_from_detections.rs")).unwrap();
    let after = rev(
        "after_squash",
        "CREATE TABLE after_squash (id int);",
        "DROP TABLE after_squash;",
    );
    std::fs::write(
        dir.path().join("after_squash.sql"),
        revision_text(&after, Some("add_baselines")),
    )
    .unwrap();
    dir
}

/// A fresh database brought to `target` with the original reference chain.
async fn original_at(target: &str) -> (String, sqlx::PgConnection) {
    let (url, mut conn) = fresh_db().await;
    let set = schema_core::load_dir(&repo_migrations(), "migrations").expect("reference chain");
    Migrator::new(&set)
        .upgrade(&mut conn, target)
        .await
        .expect("upgrade with the original chain");
    (url, conn)
}

#[test]
fn the_squashed_chain_has_one_base_with_the_id_and_passes_the_chain_check() {
    let set = schema_core::load_dir(squashed(), "squashed").expect("the chain check passes");
    let base = set.base();
    assert_eq!(&*base.id, "add_baselines");
    assert!(base.down_revisions.is_empty() && base.options.irreversible);
    assert!(base.downgrade.is_none());
    assert!(
        base.message
            .starts_with("Squashed: 6 revisions: Initial schema"),
        "{}",
        base.message
    );
    let head = set.head();
    assert_eq!(
        (&*head.id, &head.down_revisions[..]),
        ("backfill_baselines", &["add_baselines".into()][..])
    );
    assert_eq!(set.len(), 2);
    let mut moved: Vec<String> = std::fs::read_dir(squashed().join("squashed"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    moved.sort();
    assert_eq!(moved.len(), 6, "{moved:?}");
    assert!(moved.contains(&"add_baselines_activity_and_class_baselines.sql".to_owned()));
    // The moved files are the chain up to the squash point.
    let old = schema_core::load_dir(&squashed().join("squashed"), "old").expect("old chain");
    assert_eq!(&*old.head().id, "add_baselines");
}

#[tokio::test(flavor = "current_thread")]
async fn upgrading_with_the_squashed_chain_builds_the_same_schema_as_the_original() {
    // Both go on to a revision above the squash, which runs in the session
    // the squashed base ran in on the fresh database.
    let extended = squashed_and_extended();
    let set = schema_core::load_dir(extended.path(), "extended").unwrap();
    let (original_url, mut c1) = original_at("add_baselines").await;
    Migrator::new(&set)
        .upgrade(&mut c1, "head")
        .await
        .expect("past the squash");
    let (squashed_url, mut conn) = fresh_db().await;
    let report = Migrator::new(&set)
        .upgrade(&mut conn, "head")
        .await
        .expect("upgrade with the squashed chain");
    assert_eq!(report.steps.len(), 2);
    let (a, b) = (schema_dump(&original_url), schema_dump(&squashed_url));
    assert!(a.contains("CREATE TABLE public.activity_baselines"));
    assert!(a.contains("CREATE TABLE public.after_squash"));
    assert_eq!(a, b, "the squashed base builds another schema");
}

#[tokio::test(flavor = "current_thread")]
async fn a_database_at_the_squashed_revision_goes_on_without_rerunning_anything() {
    let (url, mut conn) = original_at("add_baselines").await;
    let logged_before = logged(&mut conn).await;
    let dir = squashed_and_extended();
    let (ok, stdout, stderr) = run(cli(dir.path(), &url, &["upgrade", "head"])
        .output()
        .unwrap());
    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Applied 1 revision(s): add_baselines -> after_squash"),
        "{stdout}"
    );
    let mut expected = logged_before.clone();
    expected.push("after_squash".to_owned());
    expected.sort();
    assert_eq!(logged(&mut conn).await, expected, "nothing ran again");
    let (ok, stdout, stderr) = run(cli(dir.path(), &url, &["upgrade", "head"])
        .output()
        .unwrap());
    assert!(
        ok && stdout.contains("Nothing to upgrade"),
        "{stdout}\n{stderr}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_database_below_the_squashed_revision_is_refused_naming_the_squash() {
    let (url, mut conn) = original_at("add_audit_logs").await;
    let dir = squashed_and_extended();
    let (ok, stdout, stderr) = run(cli(dir.path(), &url, &["upgrade", "head"])
        .output()
        .unwrap());
    assert!(!ok, "{stdout}");
    assert!(
        stderr.contains(
            "the database is at revision `add_audit_logs`, which was squashed into `add_baselines`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("`upgrade add_baselines --dir "), "{stderr}");
    assert_eq!(version(&mut conn).await, ["add_audit_logs"], "nothing ran");
    // The help's way out: the replaced revisions, then the squashed chain.
    let old = squashed().join("squashed");
    let (ok, _, stderr) = run(cli(&old, &url, &["upgrade", "add_baselines"])
        .output()
        .unwrap());
    assert!(ok, "{stderr}");
    let (ok, stdout, stderr) = run(cli(dir.path(), &url, &["upgrade", "head"])
        .output()
        .unwrap());
    assert!(ok, "{stdout}\n{stderr}");
    assert_eq!(version(&mut conn).await, ["after_squash"]);
}

#[tokio::test(flavor = "current_thread")]
async fn an_application_upgrading_a_database_below_the_squash_gets_below_squash_with_the_way_up() {
    let (_url, mut conn) = original_at("add_audit_logs").await;
    let dir = squashed_and_extended();
    let set = schema_core::load_dir(dir.path(), "migrations").unwrap();
    let err = Migrator::new(&set)
        .upgrade(&mut conn, "head")
        .await
        .expect_err("a database below the squash is refused");
    match &err {
        schema_runtime::MigrateError::BelowSquash { id, squashed_into } => {
            assert_eq!(
                (&id[..], &squashed_into[..]),
                ("add_audit_logs", "add_baselines")
            );
        }
        other => panic!("expected BelowSquash, got {other:?}: {other}"),
    }
    let help = err.help().expect("a way up");
    assert!(
        help.contains("`upgrade add_baselines --dir <migrations>/squashed`"),
        "{help}"
    );
    assert_eq!(version(&mut conn).await, ["add_audit_logs"], "nothing ran");
}

#[test]
fn squash_refuses_a_rust_revision_and_a_branch_it_would_cut_and_leaves_the_files() {
    let dir = copy_files(&repo_migrations());
    let (ok, _, stderr) = run(cli(dir.path(), &server_url(), &["squash", "backfill"])
        .output()
        .unwrap());
    assert!(!ok);
    assert!(
        stderr.contains("`backfill_baselines`") && stderr.contains("is a Rust revision"),
        "{stderr}"
    );
    assert!(!dir.path().join("squashed").exists());

    // a <- b, a <- c, merged by m: squashing b would leave c revising nothing.
    let dir = tempfile::tempdir().unwrap();
    let r = |id| rev(id, "SELECT 1;", "SELECT 1;");
    std::fs::write(dir.path().join("a.sql"), revision_text(&r("a"), None)).unwrap();
    std::fs::write(dir.path().join("b.sql"), revision_text(&r("b"), Some("a"))).unwrap();
    std::fs::write(dir.path().join("c.sql"), revision_text(&r("c"), Some("a"))).unwrap();
    std::fs::write(
        dir.path().join("m.sql"),
        revision_text(&r("m"), Some("b, c")),
    )
    .unwrap();
    let (ok, _, stderr) = run(cli(dir.path(), &server_url(), &["squash", "b"])
        .output()
        .unwrap());
    assert!(!ok);
    assert!(
        stderr.contains("`c` (")
            && stderr
                .contains("revises or depends on `a`, which the squash into `b` would replace"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        4,
        "no file moved"
    );
}

#[test]
fn a_revision_that_runs_too_long_on_the_scratch_database_is_cancelled_and_nothing_moves() {
    let dir = tempfile::tempdir().unwrap();
    let a = rev("a", "CREATE TABLE a (id int);", "DROP TABLE a;");
    let b = rev("b", "SELECT pg_sleep(30);", "SELECT 1;");
    std::fs::write(dir.path().join("a.sql"), revision_text(&a, None)).unwrap();
    std::fs::write(dir.path().join("b.sql"), revision_text(&b, Some("a"))).unwrap();
    let (ok, _, stderr) = run(cli(
        dir.path(),
        &server_url(),
        &["squash", "b", "--scratch-timeout-ms", "500"],
    )
    .output()
    .unwrap());
    assert!(!ok);
    assert!(
        stderr.contains("`b`") && stderr.contains("canceling statement due to statement timeout"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no file moved"
    );
}
