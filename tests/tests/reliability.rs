//! Reliability under concurrency and faults, with the built CLI against a real
//! PostgreSQL: many deploys at once, a CLI killed mid-revision, a backend
//! terminated mid-run. Every revision inserts its id into `side_effects`, so
//! "applied exactly once" is counted, not assumed.

mod common;

use std::path::Path;
use std::process::{Child, Stdio};
use std::time::Duration;

use common::*;
use sqlx::PgConnection;

fn spawn(dir: &Path, url: &str, args: &[&str]) -> Child {
    cli(dir, url, args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn the CLI")
}

/// A chain whose revisions record themselves in `side_effects`; `extra[i]` is
/// appended to revision i's upgrade.
fn counted_chain(dir: &Path, extra: &[&str], non_transactional: Option<usize>) -> Vec<String> {
    let ids: Vec<String> = (0..extra.len()).map(|i| format!("rev{i}")).collect();
    let ups: Vec<String> = ids
        .iter()
        .zip(extra)
        .map(|(id, x)| format!("INSERT INTO side_effects VALUES ('{id}');\n{x}"))
        .collect();
    let revs: Vec<Rev<'_>> = ids
        .iter()
        .zip(&ups)
        .enumerate()
        .map(|(i, (id, up))| Rev {
            id,
            up,
            down: Some("SELECT 1;"),
            options: if non_transactional == Some(i) {
                "non-transactional"
            } else {
                ""
            },
        })
        .collect();
    write_chain(dir, &revs);
    ids
}

fn once_each(ids: &[String]) -> Vec<(String, i64)> {
    ids.iter().map(|i| (i.clone(), 1)).collect()
}

/// Waits until a backend of this database sleeps in `pg_sleep` (a revision
/// under way) and returns its pid; fails if `child`, the CLI that runs the
/// revision, exits first. No wall-clock limit: a slow machine only waits longer.
async fn wait_for_sleep(conn: &mut PgConnection, child: &mut Child) -> i32 {
    loop {
        let pid: Option<i32> = sqlx::query_scalar(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' \
             AND pid <> pg_backend_pid() AND wait_event = 'PgSleep' LIMIT 1",
        )
        .fetch_optional(&mut *conn)
        .await
        .unwrap();
        if let Some(pid) = pid {
            return pid;
        }
        if let Some(status) = child.try_wait().expect("the CLI's status") {
            let mut stderr = String::new();
            if let Some(mut e) = child.stderr.take() {
                std::io::Read::read_to_string(&mut e, &mut stderr).expect("the CLI's stderr");
            }
            panic!("the CLI exited ({status}) before any revision slept in pg_sleep: {stderr}");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Runs `upgrade head` from the CLI, terminates its backend once it sleeps
/// in `pg_sleep`, and returns the CLI's stderr (it must have failed).
async fn upgrade_with_its_backend_terminated(
    dir: &Path,
    url: &str,
    conn: &mut PgConnection,
) -> String {
    let mut child = spawn(dir, url, &["upgrade", "head"]);
    let pid = wait_for_sleep(conn, &mut child).await;
    sqlx::query("SELECT pg_terminate_backend($1)")
        .bind(pid)
        .execute(&mut *conn)
        .await
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Waits for every child; each must exit 0.
fn wait_all_succeed(children: Vec<Child>) {
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

async fn advisory_locks(conn: &mut PgConnection) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' \
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_one(conn)
    .await
    .unwrap()
}

/// How many requests for an advisory lock of this database wait (not granted).
async fn advisory_lock_waits(conn: &mut PgConnection) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted \
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_one(conn)
    .await
    .unwrap()
}

/// The migration lock of the default version table (`public.alembic_version`)
/// for the chain in `dir`.
fn migration_lock_key(dir: &Path) -> i64 {
    schema_runtime::Migrator::load(dir, "migrations")
        .unwrap()
        .schema("public")
        .version_table()
        .lock_key()
}

/// A connection of its own that holds the migration lock of `dir`'s chain.
async fn hold_migration_lock(url: &str, dir: &Path) -> PgConnection {
    let mut holder = schema_runtime::connect(url).await.unwrap();
    sqlx::query("SELECT pg_advisory_lock($1)")
        .bind(migration_lock_key(dir))
        .execute(&mut holder)
        .await
        .unwrap();
    holder
}

/// Releases the lock [`hold_migration_lock`] took.
async fn release_migration_lock(mut holder: PgConnection, dir: &Path) {
    let released: bool = sqlx::query_scalar("SELECT pg_advisory_unlock($1)")
        .bind(migration_lock_key(dir))
        .fetch_one(&mut holder)
        .await
        .unwrap();
    assert!(released, "the test did not hold the migration lock");
}

/// Waits until `n` requests for an advisory lock of this database wait at
/// once; fails if one of `children` exits first (it did not wait). No
/// wall-clock limit: a slow machine only waits longer.
async fn wait_for_lock_waiters(conn: &mut PgConnection, n: i64, children: &mut [Child]) {
    loop {
        let waiting = advisory_lock_waits(conn).await;
        if waiting == n {
            return;
        }
        assert!(waiting < n, "{waiting} lock requests wait, expected {n}");
        for child in children.iter_mut() {
            if let Some(status) = child.try_wait().unwrap() {
                panic!("a run exited ({status}) while the migration lock was held");
            }
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Waits until the backend `pid` has ended (the server noticed its client
/// is gone, finished or rolled back its transaction and freed its locks).
async fn wait_for_backend_to_end(conn: &mut PgConnection, pid: i32) {
    loop {
        let alive: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)")
                .bind(pid)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
        if !alive {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn sixteen_cli_processes_deploying_at_once_apply_each_revision_exactly_once() {
    let (url, mut conn) = counted_db().await;
    let dir = tempfile::tempdir().unwrap();
    let ids = counted_chain(dir.path(), &["SELECT pg_sleep(0.2);", "", "", "", ""], None);
    // The test holds the migration lock until all 16 runs wait for it, so
    // they overlap for sure.
    let holder = hold_migration_lock(&url, dir.path()).await;
    let mut children: Vec<Child> = (0..16)
        .map(|_| spawn(dir.path(), &url, &["upgrade", "head"]))
        .collect();
    wait_for_lock_waiters(&mut conn, 16, &mut children).await;
    assert!(effects(&mut conn).await.is_empty());
    release_migration_lock(holder, dir.path()).await;
    wait_all_succeed(children);
    assert_eq!(effects(&mut conn).await, once_each(&ids));
    assert_eq!(version(&mut conn).await, ["rev4"]);
    assert_eq!(advisory_locks(&mut conn).await, 0);
}

#[tokio::test]
async fn sixteen_migrators_in_one_process_apply_each_revision_exactly_once() {
    let (url, mut conn) = counted_db().await;
    let dir = tempfile::tempdir().unwrap();
    let ids = counted_chain(dir.path(), &["SELECT pg_sleep(0.2);", "", "", "", ""], None);
    let m = schema_runtime::Migrator::load(dir.path(), "migrations").unwrap();
    let holder = hold_migration_lock(&url, dir.path()).await;
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let (m, url) = (m.clone(), url.clone());
            tokio::spawn(async move {
                let mut c = schema_runtime::connect(&url).await.unwrap();
                m.upgrade(&mut c, "head").await.unwrap().steps.len()
            })
        })
        .collect();
    // Every migrator waits for the lock the test holds before any runs.
    loop {
        let waiting = advisory_lock_waits(&mut conn).await;
        assert!(waiting <= 16, "{waiting}");
        if waiting == 16 {
            break;
        }
        assert!(
            tasks.iter().all(|t| !t.is_finished()),
            "a migrator finished while the migration lock was held"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(effects(&mut conn).await.is_empty());
    release_migration_lock(holder, dir.path()).await;
    let mut ran = Vec::new();
    for t in tasks {
        ran.push(t.await.unwrap());
    }
    ran.sort();
    assert_eq!(ran.iter().sum::<usize>(), 5, "{ran:?}");
    assert_eq!(
        ran[15], 5,
        "the first migrator to take the lock does everything: {ran:?}"
    );
    assert_eq!(effects(&mut conn).await, once_each(&ids));
    assert_eq!(version(&mut conn).await, ["rev4"]);
}

#[tokio::test]
async fn upgrades_and_current_running_together_all_succeed() {
    let (url, mut conn) = counted_db().await;
    let dir = tempfile::tempdir().unwrap();
    let ids = counted_chain(dir.path(), &["SELECT pg_sleep(0.2);", "", ""], None);
    let holder = hold_migration_lock(&url, dir.path()).await;
    let (mut upgrades, mut currents) = (Vec::new(), Vec::new());
    for _ in 0..8 {
        upgrades.push(spawn(dir.path(), &url, &["upgrade", "head"]));
        currents.push(spawn(dir.path(), &url, &["current"]));
    }
    // The 8 upgrades wait for the lock the test holds; the 8 reads do not
    // wait for it and finish meanwhile.
    wait_for_lock_waiters(&mut conn, 8, &mut upgrades).await;
    wait_all_succeed(currents);
    assert_eq!(advisory_lock_waits(&mut conn).await, 8);
    release_migration_lock(holder, dir.path()).await;
    wait_all_succeed(upgrades);
    assert_eq!(effects(&mut conn).await, once_each(&ids));
    assert_eq!(version(&mut conn).await, ["rev2"]);
}

#[tokio::test]
async fn a_cli_killed_inside_a_transactional_revision_that_the_server_finishes_has_it_committed_whole(
) {
    let (url, mut conn) = counted_db().await;
    let dir = tempfile::tempdir().unwrap();
    let ids = counted_chain(dir.path(), &["", "SELECT pg_sleep(2.5);", ""], None);
    let mut child = spawn(dir.path(), &url, &["upgrade", "head"]);
    let dead = wait_for_sleep(&mut conn, &mut child).await;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    // The server does not notice the dead client during the sleep: its
    // session goes on, holding the migration lock, and the next run waits.
    let mut next = spawn(dir.path(), &url, &["upgrade", "head"]);
    wait_for_lock_waiters(&mut conn, 1, std::slice::from_mut(&mut next)).await;
    let still_sleeping: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)")
            .bind(dead)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    assert!(still_sleeping);
    assert_eq!(version(&mut conn).await, ["rev0"]);
    assert_eq!(effects(&mut conn).await, once_each(&ids[..1]));
    // The dead session committed the rest of its message and ended; the run
    // that waited finds the chain applied and runs nothing.
    let out = next.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Nothing to upgrade: the database is at rev2"),
        "{stdout}"
    );
    assert_eq!(version(&mut conn).await, ["rev2"]);
    assert_eq!(effects(&mut conn).await, once_each(&ids));
    assert_eq!(advisory_locks(&mut conn).await, 0);
}

#[tokio::test]
async fn a_cli_killed_inside_a_transactional_revision_that_the_server_aborts_has_none_of_it_applied(
) {
    let (url, mut conn) = counted_db().await;
    // The backend checks every 100 ms whether its client is still there
    // (PostgreSQL 14 and later), so it notices the kill during the sleep.
    sqlx::raw_sql(
        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET client_connection_check_interval = %L', \
         current_database(), '100ms'); END $$",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let ids = counted_chain(dir.path(), &["", "SELECT pg_sleep(20);", ""], None);
    let mut child = spawn(dir.path(), &url, &["upgrade", "head"]);
    let dead = wait_for_sleep(&mut conn, &mut child).await;
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    wait_for_backend_to_end(&mut conn, dead).await;
    // The revision was rolled back as a whole and the lock freed; the one
    // before it, a transaction of its own, stays.
    assert_eq!(version(&mut conn).await, ["rev0"]);
    assert_eq!(effects(&mut conn).await, once_each(&ids[..1]));
    assert_eq!(advisory_locks(&mut conn).await, 0);
    // The revision no longer sleeps long; the next run applies it and the rest.
    counted_chain(dir.path(), &["", "", ""], None);
    let out = cli(dir.path(), &url, &["upgrade", "head"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("Applied 2 revision(s): rev0 -> rev2"),
        "{stdout}"
    );
    assert_eq!(effects(&mut conn).await, once_each(&ids));
    assert_eq!(advisory_locks(&mut conn).await, 0);
}

#[tokio::test]
async fn terminating_the_backend_mid_revision_leaves_the_last_good_revision() {
    let (url, mut conn) = counted_db().await;
    let dir = tempfile::tempdir().unwrap();
    let ids = counted_chain(dir.path(), &["", "SELECT pg_sleep(20);", ""], None);
    let stderr = upgrade_with_its_backend_terminated(dir.path(), &url, &mut conn).await;
    assert!(
        stderr.contains("terminating connection due to administrator command"),
        "{stderr}"
    );
    // The connection is gone, so the CLI cannot read the version table
    // again: it says what it knows and how to learn the rest.
    assert!(
        stderr.contains("the database is at `rev0` or at a later revision of this run"),
        "{stderr}"
    );
    assert_eq!(version(&mut conn).await, ["rev0"]);
    assert_eq!(effects(&mut conn).await, once_each(&ids[..1]));
    // The revision no longer sleeps long; the next run completes the chain.
    counted_chain(dir.path(), &["", "", ""], None);
    let out = cli(dir.path(), &url, &["upgrade", "head"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(effects(&mut conn).await, once_each(&ids));
    assert_eq!(advisory_locks(&mut conn).await, 0);
}

#[tokio::test]
async fn a_connection_lost_during_a_commit_names_that_revision_and_only_the_confirmed_ones() {
    let (url, mut conn) = counted_db().await;
    let dir = tempfile::tempdir().unwrap();
    // rev1 sleeps in a deferred constraint trigger, that is, in its COMMIT,
    // after the statement that records it has run.
    let ids = counted_chain(
        dir.path(),
        &[
            "",
            "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(20); RETURN NULL; END $$;\n\
             CREATE TABLE slow_commit (id int);\n\
             CREATE CONSTRAINT TRIGGER slow AFTER INSERT ON slow_commit DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION slow();\n\
             INSERT INTO slow_commit VALUES (1);",
            "",
        ],
        None,
    );
    let stderr = upgrade_with_its_backend_terminated(dir.path(), &url, &mut conn).await;
    assert!(stderr.contains("revision `rev1` failed"), "{stderr}");
    assert!(
        stderr.contains("the database is at `rev0` or at a later revision of this run"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("-> rev1:"),
        "rev1 reported as applied: {stderr}"
    );
    assert_eq!(version(&mut conn).await, ["rev0"]);
    assert_eq!(effects(&mut conn).await, once_each(&ids[..1]));
}

#[tokio::test]
async fn killing_the_cli_inside_a_non_transactional_revision_is_reported_and_resumable() {
    let (url, mut conn) = counted_db().await;
    let dir = tempfile::tempdir().unwrap();
    let ids = counted_chain(
        dir.path(),
        &[
            "",
            "CREATE TABLE half (id int);\nSELECT pg_sleep(2.5);\nCREATE TABLE other_half (id int);",
            "",
        ],
        Some(1),
    );
    let mut child = spawn(dir.path(), &url, &["upgrade", "head"]);
    wait_for_sleep(&mut conn, &mut child).await;
    child.kill().unwrap();
    child.wait().unwrap();
    let out = cli(dir.path(), &url, &["upgrade", "head"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "the upgrade of revision `rev1` (non-transactional) was interrupted part way"
        ) && stderr.contains("2 of its 4 statements completed")
            && stderr.contains("--resume-interrupted"),
        "{stderr}"
    );
    assert_eq!(version(&mut conn).await, ["rev0"]);
    // What ran before the kill is still there; resuming continues at the
    // statement that was interrupted.
    let out = cli(
        dir.path(),
        &url,
        &["upgrade", "head", "--resume-interrupted"],
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(version(&mut conn).await, ["rev2"]);
    assert_eq!(effects(&mut conn).await, once_each(&ids));
    assert_eq!(
        tables(&mut conn).await,
        ["half", "other_half", "side_effects"]
    );
}
