//! The test kit on an existing server (`SCHEMA_MIGRATIONS_TEST_SERVER_URL`):
//! each test's database is created there and dropped when the test ends.
//! The "existing server" is a throwaway cluster this binary starts itself.

mod common;

use sqlx::AssertSqlSafe;
use std::process::Command;

use schema_runtime::testing::{TestCluster, SERVER_URL_VAR};

/// A running server that plays the existing one.
fn existing_server() -> TestCluster {
    TestCluster::start().expect("start the existing server")
}

/// The databases on `server` whose name starts with `prefix`, sorted.
fn databases(server: &TestCluster, prefix: &str) -> Vec<String> {
    let url = server.url("postgres");
    let prefix = prefix.to_owned();
    block_on(async move {
        let mut conn = schema_runtime::connect(&url).await.expect("connect");
        sqlx::query_scalar(
            "SELECT datname::text FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1",
        )
        .bind(prefix)
        .fetch_all(&mut conn)
        .await
        .expect("list databases")
    })
}

/// Runs `f` to completion on a runtime of its own.
fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

#[test]
fn a_database_is_created_on_the_server_and_dropped_when_its_thread_ends() {
    let server = existing_server();
    let kit = TestCluster::on_server(&server.url("postgres")).expect("use the server");
    let name = std::thread::scope(|s| {
        s.spawn(|| {
            let name = kit.database().expect("create a database");
            assert_eq!(databases(&server, &name), std::slice::from_ref(&name));
            let url = kit.url(&name);
            let current: String = block_on(async move {
                let mut conn = schema_runtime::connect(&url).await.expect("connect");
                sqlx::query_scalar("SELECT current_database()::text")
                    .fetch_one(&mut conn)
                    .await
                    .expect("read the database's name")
            });
            assert_eq!(current, name);
            name
        })
        .join()
        .expect("the test thread ran")
    });
    assert!(
        databases(&server, &name).is_empty(),
        "{name} was not dropped"
    );
}

#[test]
fn databases_of_ended_runs_are_dropped_when_the_next_run_starts() {
    let server = existing_server();
    let url = server.url("postgres");
    let (ended, live) = ("schema_test_0badf00d_0", "schema_test_0000beef_3");
    // A live run holds its lock (class 0x736d6967, its id) on a connection.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let holder = runtime.block_on(async {
        let mut conn = schema_runtime::connect(&url).await.expect("connect");
        for sql in [
            format!("CREATE DATABASE {ended}"),
            format!("CREATE DATABASE {live}"),
            "SELECT pg_advisory_lock(x'736d6967'::int, x'0000beef'::int)".to_owned(),
        ] {
            sqlx::raw_sql(AssertSqlSafe(&*sql))
                .execute(&mut conn)
                .await
                .expect("set up the runs");
        }
        conn
    });
    TestCluster::on_server(&server.url("postgres")).expect("use the server");
    assert_eq!(databases(&server, "schema_test_"), [live]);
    drop(holder);
}

#[test]
fn an_unusable_server_is_reported_without_its_password() {
    let err = TestCluster::on_server("postgresql://someone:S3cretPw9@127.0.0.1:1/postgres")
        .err()
        .expect("nothing listens on port 1")
        .to_string();
    assert!(
        err.starts_with("the test server postgresql://someone:***@127.0.0.1:1/postgres: "),
        "{err}"
    );
    assert!(!err.contains("S3cretPw9"), "{err}");
}

#[test]
fn the_shared_kit_uses_the_server_named_by_the_variable_and_tests_needing_the_log_skip() {
    let server = existing_server();
    let out = Command::new(std::env::current_exe().expect("this test binary"))
        .args(["--exact", "probe_on_the_named_server", "--ignored"])
        .args(["--nocapture", "--test-threads", "1"])
        .env(SERVER_URL_VAR, server.url("postgres"))
        .output()
        .expect("run the probe");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    assert!(stdout.contains("1 passed"), "{stdout}");
    let data = server.socket_dir().join("data");
    assert!(
        stdout.contains(&format!("data directory: {}\n", data.display())),
        "{stdout}"
    );
    assert!(
        stderr.contains(
            "SKIPPED probe_on_the_named_server: it needs the server's log, which a server \
             named by SCHEMA_MIGRATIONS_TEST_SERVER_URL does not offer"
        ),
        "{stderr}"
    );
    assert!(
        databases(&server, "schema_test_").is_empty(),
        "the probe's database was not dropped"
    );
}

/// Run by the test above, with `SCHEMA_MIGRATIONS_TEST_SERVER_URL` set.
#[tokio::test]
#[ignore = "run by the_shared_kit_uses_the_server_named_by_the_variable_and_tests_needing_the_log_skip"]
async fn probe_on_the_named_server() {
    if std::env::var_os(SERVER_URL_VAR).is_none() {
        return;
    }
    let (url, mut conn) = common::fresh_db().await;
    let data: String = sqlx::query_scalar("SHOW data_directory")
        .fetch_one(&mut conn)
        .await
        .expect("read the data directory");
    println!("data directory: {data}");
    // psql and pg_dump are found for an existing server too.
    common::psql(&url, "CREATE TABLE t (id int);");
    assert!(common::schema_dump(&url).contains("CREATE TABLE public.t"));
    assert!(common::logging_connection(&url, &mut conn).await.is_none());
}
