//! Revisions that try to break the run's bookkeeping, and databases in states
//! the run did not make: each test names the class of attack it covers and
//! checks that nothing is applied twice and nothing is claimed that did not
//! happen.

mod common;

use sqlx::AssertSqlSafe;
use std::time::Duration;

use common::*;
use schema_runtime::Located;
use schema_runtime::{MigrateError, TransactionMode};
use sqlx::PgConnection;

async fn scalar(conn: &mut PgConnection, sql: &str) -> Option<String> {
    sqlx::query_scalar(AssertSqlSafe(sql))
        .fetch_one(conn)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_revision_that_changes_the_search_path_cannot_redirect_the_version_table() {
    let (url, mut conn) = counted_db().await;
    let (_d, m) = migrator(&[
        rev(
            "r1",
            "INSERT INTO side_effects VALUES ('r1');\nCREATE SCHEMA tenant;\n\
             CREATE TABLE tenant.alembic_version (version_num VARCHAR(32) PRIMARY KEY);\n\
             CREATE TABLE tenant.alembic_version_log (version_num VARCHAR(32) PRIMARY KEY, \
             checksum CHAR(64), applied_at TIMESTAMPTZ DEFAULT now(), duration_ms BIGINT, in_progress TEXT);",
            "SELECT 1;",
        ),
        rev(
            "r2",
            "INSERT INTO side_effects VALUES ('r2');\nSET search_path = tenant, public;",
            "SELECT 1;",
        ),
        rev(
            "r3",
            "INSERT INTO public.side_effects VALUES ('r3');",
            "SELECT 1;",
        ),
        rev(
            "r4",
            "INSERT INTO public.side_effects VALUES ('r4');",
            "SELECT 1;",
        ),
    ]);
    let report = m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(report.to, ["r4"]);
    assert_eq!(
        scalar(
            &mut conn,
            "SELECT string_agg(version_num, ',') FROM public.alembic_version"
        )
        .await,
        Some("r4".to_owned())
    );
    assert_eq!(
        scalar(
            &mut conn,
            "SELECT string_agg(version_num, ',') FROM tenant.alembic_version"
        )
        .await,
        None
    );
    // The revision's `SET` would outlive its transaction: the run gives the
    // connection its own search_path back.
    assert_eq!(
        scalar(&mut conn, "SELECT current_setting('search_path')").await,
        Some("\"$user\", public".to_owned())
    );
    let again = m.upgrade(&mut conn, "head").await.unwrap();
    assert!(again.steps.is_empty(), "{again:?}");
    let mut fresh = schema_runtime::connect(&url).await.unwrap();
    let again = m.upgrade(&mut fresh, "head").await.unwrap();
    assert!(again.steps.is_empty(), "{again:?}");
    assert_eq!(effects(&mut conn).await, once(&["r1", "r2", "r3", "r4"]));
}

#[tokio::test]
async fn a_temporary_table_named_like_the_version_table_is_ignored() {
    let (_url, mut conn) = counted_db().await;
    sqlx::raw_sql(
        "CREATE TEMP TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY);\n\
         INSERT INTO alembic_version VALUES ('zzz');",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let (_d, m) = migrator(&[
        rev("r1", "INSERT INTO side_effects VALUES ('r1');", "SELECT 1;"),
        rev("r2", "INSERT INTO side_effects VALUES ('r2');", "SELECT 1;"),
    ]);
    m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(m.current(&mut conn).await.unwrap().current, ["r2"]);
    assert_eq!(
        scalar(
            &mut conn,
            "SELECT string_agg(version_num, ',') FROM public.alembic_version"
        )
        .await,
        Some("r2".to_owned())
    );
    assert_eq!(
        scalar(
            &mut conn,
            "SELECT string_agg(version_num, ',') FROM pg_temp.alembic_version"
        )
        .await,
        Some("zzz".to_owned())
    );
}

#[tokio::test]
async fn the_table_with_or_without_its_schema_is_one_lock() {
    let (url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    let qualified = m.clone().schema("public");
    let key = qualified.version_table().lock_key();
    let mut holder = schema_runtime::connect(&url).await.unwrap();
    sqlx::raw_sql(AssertSqlSafe(format!("SELECT pg_advisory_lock({key})")))
        .execute(&mut holder)
        .await
        .unwrap();
    let err = m
        .clone()
        .lock_timeout(Duration::from_millis(200))
        .upgrade(&mut conn, "head")
        .await
        .unwrap_err();
    assert!(matches!(err, MigrateError::LockTimeout { .. }), "{err}");
}

#[tokio::test]
async fn a_revision_that_edits_the_version_table_is_rolled_back() {
    let (_url, mut conn) = counted_db().await;
    let (_d, m) = migrator(&[
        rev("r1", "INSERT INTO side_effects VALUES ('r1');", "SELECT 1;"),
        rev(
            "r2",
            "INSERT INTO side_effects VALUES ('r2');\nDELETE FROM alembic_version;",
            "SELECT 1;",
        ),
        rev("r3", "INSERT INTO side_effects VALUES ('r3');", "SELECT 1;"),
    ]);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::VersionTableChanged { revision, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(revision, "r2");
    assert!(err.render().contains("changed under the run"), "{err}");
    assert_eq!(version(&mut conn).await, ["r1"]);
    assert_eq!(effects(&mut conn).await, once(&["r1"]));
}

#[tokio::test]
async fn a_revision_that_releases_the_migration_lock_stops_the_run() {
    for mode in [TransactionMode::PerRevision, TransactionMode::Single] {
        let (_url, mut conn) = counted_db().await;
        let (_d, m) = migrator(&[
            rev("r1", "INSERT INTO side_effects VALUES ('r1');", "SELECT 1;"),
            rev(
                "r2",
                "INSERT INTO side_effects VALUES ('r2');\nSELECT pg_advisory_unlock_all();",
                "SELECT 1;",
            ),
            rev("r3", "INSERT INTO side_effects VALUES ('r3');", "SELECT 1;"),
        ]);
        let err = m
            .transaction_mode(mode)
            .upgrade(&mut conn, "head")
            .await
            .unwrap_err();
        assert!(err.render().contains("migration lock"), "{mode:?}: {err}");
        let (at, ran) = match mode {
            TransactionMode::PerRevision => (vec!["r1"], once(&["r1"])),
            TransactionMode::Single => (vec![], vec![]),
        };
        assert_eq!(version(&mut conn).await, at, "{mode:?}");
        assert_eq!(effects(&mut conn).await, ran, "{mode:?}");
    }
}

#[tokio::test]
async fn discard_all_in_a_non_transactional_revision_is_detected() {
    let (_url, mut conn) = counted_db().await;
    let (_d, m) = migrator(&[
        rev("r1", "INSERT INTO side_effects VALUES ('r1');", "SELECT 1;"),
        Rev {
            id: "r2",
            up: "INSERT INTO side_effects VALUES ('r2');\nDISCARD ALL;",
            down: Some("SELECT 1;"),
            options: "non-transactional",
        },
    ]);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::LockLost { revision, .. } = &err else {
        panic!("{err}")
    };
    assert_eq!(revision, "r2");
    assert_eq!(version(&mut conn).await, ["r1"]);
}

#[tokio::test]
async fn a_failing_statement_without_a_position_is_found_without_running_anything_again() {
    let (_url, mut conn) = counted_db().await;
    sqlx::raw_sql("CREATE SEQUENCE calls; CREATE TABLE u (id int PRIMARY KEY)")
        .execute(&mut conn)
        .await
        .unwrap();
    let (_d, m) = migrator(&[
        rev("r1", "INSERT INTO side_effects VALUES ('r1');", "SELECT 1;"),
        rev(
            "r2",
            "SELECT nextval('calls');\nINSERT INTO u VALUES (1);\n\n  INSERT INTO u VALUES (1);\nSELECT nextval('calls');",
            "SELECT 1;",
        ),
    ]);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    // The third statement, at its line, found from what the server completed.
    assert_eq!(
        (s.revision.as_str(), s.line, s.column),
        ("r2", 11, 3),
        "{err}"
    );
    assert_eq!(s.located, Located::Statement);
    assert_eq!(s.code, "23505");
    assert!(
        s.server_fields
            .iter()
            .any(|(k, v)| *k == "constraint" && v == "u_pkey"),
        "{err}"
    );
    // Sequences are not transactional: one call means the revision ran once.
    assert_eq!(
        scalar(&mut conn, "SELECT last_value::text FROM calls").await,
        Some("1".to_owned())
    );
    assert_eq!(version(&mut conn).await, ["r1"]);
}

#[tokio::test]
async fn a_deferred_constraint_failing_at_commit_is_reported_at_commit() {
    let (_url, mut conn) = counted_db().await;
    sqlx::raw_sql("CREATE SEQUENCE calls")
        .execute(&mut conn)
        .await
        .unwrap();
    let (_d, m) = migrator(&[
        rev(
            "r1",
            "CREATE TABLE parent (id int PRIMARY KEY);\n\
             CREATE TABLE child (p int REFERENCES parent DEFERRABLE INITIALLY DEFERRED);",
            "DROP TABLE child, parent;",
        ),
        rev(
            "r2",
            "SELECT nextval('calls');\nINSERT INTO child VALUES (42);",
            "DELETE FROM child;",
        ),
    ]);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert_eq!(
        (s.revision.as_str(), s.located),
        ("r2", Located::Commit),
        "{err}"
    );
    assert!(err.render().contains("COMMIT"), "{err}");
    assert!(
        s.server_fields
            .iter()
            .any(|(k, v)| *k == "constraint" && v == "child_p_fkey"),
        "{err}"
    );
    assert_eq!(
        scalar(&mut conn, "SELECT last_value::text FROM calls").await,
        Some("1".to_owned())
    );
    assert_eq!(version(&mut conn).await, ["r1"]);
}

#[tokio::test]
async fn an_error_inside_a_do_block_points_at_the_line_in_its_body() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[rev(
        "r1",
        "CREATE TABLE a (id int);\nDO $$\nBEGIN\n  PERFORM 1;\n  INSERT INTO missing VALUES (1);\nEND $$;",
        "DROP TABLE a;",
    )]);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    // The header is 6 lines, the marker line 7: the INSERT is on line 12,
    // and `missing` at column 15.
    assert_eq!((s.line, s.column), (12, 15), "{err}");
    assert_eq!(s.located, Located::Body);
    assert!(err.render().contains("inline_code_block line 4"), "{err}");
}

#[tokio::test]
async fn an_error_inside_a_function_created_in_the_same_revision_points_into_its_body() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[rev(
        "r1",
        "CREATE FUNCTION boom() RETURNS void LANGUAGE plpgsql AS $body$\nBEGIN\n  RAISE EXCEPTION 'boom';\nEND $body$;\nSELECT boom();",
        "DROP FUNCTION boom();",
    )]);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert_eq!((s.line, s.column), (10, 3), "{err}");
    assert_eq!(s.message, "boom");
}

#[tokio::test]
async fn notices_and_parameter_changes_do_not_turn_success_into_failure() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[
        rev(
            "r1",
            "DO $$ BEGIN RAISE NOTICE 'hello'; RAISE WARNING 'careful'; END $$;\nCREATE TABLE a (id int);",
            "DROP TABLE a;",
        ),
        rev(
            "r2",
            "SET application_name = 'renamed';\nSET TimeZone = 'Asia/Tokyo';\nNOTIFY somewhere, 'payload';",
            "SELECT 1;",
        ),
        rev("r3", "CREATE TABLE c (id int);", "DROP TABLE c;"),
    ]);
    let report = m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(report.steps.len(), 3);
    assert_eq!(version(&mut conn).await, ["r3"]);
}

#[tokio::test]
async fn rows_empty_statements_and_a_forged_marker_column_in_a_revision_are_harmless() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[
        rev("r1", "CREATE TABLE a (id int);", "DROP TABLE a;"),
        rev(
            "r2",
            "SELECT generate_series(1, 1000) AS n;\n;;\n-- only a comment\n;\n\
             SELECT 1::bigint AS schema_migrations_step, 'x' AS set_config;\nSELECT 2;",
            "SELECT 1;",
        ),
        rev("r3", "CREATE TABLE c (id int);", "DROP TABLE c;"),
    ]);
    let report = m.upgrade(&mut conn, "head").await.unwrap();
    let ran: Vec<&str> = report.steps.iter().map(|s| &*s.id).collect();
    assert_eq!(ran, ["r1", "r2", "r3"]);
    assert_eq!(version(&mut conn).await, ["r3"]);
}

#[tokio::test]
async fn a_connection_that_listens_is_refused_before_anything_runs() {
    let (_url, mut conn) = fresh_db().await;
    sqlx::raw_sql("LISTEN deploys")
        .execute(&mut conn)
        .await
        .unwrap();
    let (_d, m) = migrator(&abc());
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    assert!(matches!(err, MigrateError::Listening { .. }), "{err}");
    assert!(tables(&mut conn).await.is_empty());
    sqlx::raw_sql("UNLISTEN *")
        .execute(&mut conn)
        .await
        .unwrap();
    m.upgrade(&mut conn, "head").await.unwrap();
}

#[tokio::test]
async fn upgrading_a_schema_another_tool_built_is_refused_until_stamped() {
    let (_url, mut conn) = fresh_db().await;
    sqlx::raw_sql("CREATE TABLE a (id int)")
        .execute(&mut conn)
        .await
        .unwrap();
    let (_d, m) = migrator(&abc());
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::ExistingSchema { tables: found, .. } = &err else {
        panic!("{err}")
    };
    assert!(found.contains("public.a"), "{err}");
    assert!(err.render().contains("stamp"), "{err}");
    // Nothing was created.
    assert_eq!(
        scalar(&mut conn, "SELECT to_regclass('alembic_version')::text").await,
        None
    );
    m.stamp(&mut conn, "aaa111", false).await.unwrap();
    m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(version(&mut conn).await, ["ccc333"]);
}

#[tokio::test]
async fn an_existing_schema_can_be_upgraded_when_allowed() {
    let (_url, mut conn) = fresh_db().await;
    sqlx::raw_sql("CREATE TABLE unrelated (id int)")
        .execute(&mut conn)
        .await
        .unwrap();
    let (_d, m) = migrator(&abc());
    m.allow_existing_schema(true)
        .upgrade(&mut conn, "head")
        .await
        .unwrap();
    assert_eq!(version(&mut conn).await, ["ccc333"]);
}

/// A non-transactional revision of three statements, each recording itself.
fn three_statements(second: &'static str) -> Vec<Rev<'static>> {
    vec![
        rev("r1", "INSERT INTO side_effects VALUES ('r1');", "SELECT 1;"),
        Rev {
            id: "r2",
            up: second,
            down: Some("SELECT 1;"),
            options: "non-transactional",
        },
    ]
}

#[tokio::test]
async fn a_non_transactional_revision_resumes_after_its_last_completed_statement() {
    let (_url, mut conn) = counted_db().await;
    let broken = "INSERT INTO side_effects VALUES ('s1');\nINSERT INTO missing VALUES (1);\nINSERT INTO side_effects VALUES ('s3');";
    let (_d, m) = migrator(&three_statements(broken));
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert_eq!(s.statements_done, Some((1, 3)), "{err}");
    assert!(err.render().contains("1 of its 3 statements"), "{err}");
    assert_eq!(s.database_at, ["r1"]);
    // Without resuming, the next run refuses and says how far it got.
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    assert!(
        matches!(&err, MigrateError::Interrupted { progress, .. } if progress.contains("1 of its 3")),
        "{err}"
    );
    // The fixed revision resumes at its second statement.
    let fixed = "INSERT INTO side_effects VALUES ('s1');\nINSERT INTO side_effects VALUES ('s2');\nINSERT INTO side_effects VALUES ('s3');";
    let (_d, m) = migrator(&three_statements(fixed));
    m.resume_interrupted(true)
        .upgrade(&mut conn, "head")
        .await
        .unwrap();
    assert_eq!(version(&mut conn).await, ["r2"]);
    assert_eq!(effects(&mut conn).await, once(&["r1", "s1", "s2", "s3"]));
    assert!(logged(&mut conn).await.contains(&"r2".to_owned()));
}

#[tokio::test]
async fn a_non_transactional_revision_whose_first_statement_fails_is_not_interrupted() {
    let (_url, mut conn) = counted_db().await;
    let broken = "INSERT INTO missing VALUES (1);\nINSERT INTO side_effects VALUES ('s2');";
    let (_d, m) = migrator(&three_statements(broken));
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert_eq!(s.statements_done, None, "{err}");
    let fixed = "INSERT INTO side_effects VALUES ('s1');\nINSERT INTO side_effects VALUES ('s2');";
    let (_d, m) = migrator(&three_statements(fixed));
    m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(effects(&mut conn).await, once(&["r1", "s1", "s2"]));
}

#[tokio::test]
async fn a_revision_waiting_for_a_table_lock_is_retried_until_it_gets_it() {
    let (url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    m.upgrade(&mut conn, "aaa111").await.unwrap();
    let mut revs = abc();
    revs[1].up = "ALTER TABLE a ADD COLUMN x int;";
    revs[1].down = Some("ALTER TABLE a DROP COLUMN x;");
    let (_d, m) = migrator(&revs);
    let mut holder = schema_runtime::connect(&url).await.unwrap();
    sqlx::raw_sql("BEGIN; LOCK TABLE a IN ACCESS SHARE MODE;")
        .execute(&mut holder)
        .await
        .unwrap();
    // Without retries, the revision gives up at once.
    let err = m
        .clone()
        .ddl_lock_timeout(Some(Duration::from_millis(100)))
        .upgrade(&mut conn, "head")
        .await
        .unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert_eq!((s.revision.as_str(), s.code.as_str()), ("bbb222", "55P03"));
    assert_eq!(version(&mut conn).await, ["aaa111"]);
    // With retries, it goes through once the holder is gone.
    let release = async {
        tokio::time::sleep(Duration::from_millis(1500)).await;
        sqlx::raw_sql("COMMIT").execute(&mut holder).await.unwrap();
    };
    let m = m
        .ddl_lock_timeout(Some(Duration::from_millis(100)))
        .ddl_retries(3);
    let (result, ()) = tokio::join!(m.upgrade(&mut conn, "head"), release);
    result.unwrap();
    assert_eq!(version(&mut conn).await, ["ccc333"]);
}

#[tokio::test]
async fn an_alembic_database_without_a_log_reads_as_it_is() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    sqlx::raw_sql(
        "CREATE TABLE a (id int); CREATE TABLE b (id int);\n\
         CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, \
         CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));\n\
         INSERT INTO alembic_version VALUES ('bbb222');",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let state = m.current(&mut conn).await.unwrap();
    assert_eq!(state.current, ["bbb222"]);
    let history = m.history(&mut conn).await.unwrap();
    let applied: Vec<&str> = history
        .iter()
        .filter(|h| h.applied)
        .map(|h| &*h.revision.id)
        .collect();
    assert_eq!(applied, ["aaa111", "bbb222"]);
    let report = m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(report.steps.len(), 1);
}

#[tokio::test]
async fn a_version_table_row_this_build_does_not_know_is_refused_by_every_read() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    m.upgrade(&mut conn, "aaa111").await.unwrap();
    sqlx::raw_sql("UPDATE alembic_version SET version_num = 'fff999'")
        .execute(&mut conn)
        .await
        .unwrap();
    assert_eq!(m.current(&mut conn).await.unwrap().current, ["fff999"]);
    let err = m.history(&mut conn).await.unwrap_err();
    assert!(
        matches!(err, MigrateError::UnknownDatabaseRevision { .. }),
        "{err}"
    );
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    assert!(
        matches!(err, MigrateError::UnknownDatabaseRevision { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn a_search_path_without_any_schema_is_a_clear_error() {
    let (_url, mut conn) = fresh_db().await;
    sqlx::raw_sql("SET search_path = nowhere")
        .execute(&mut conn)
        .await
        .unwrap();
    let (_d, m) = migrator(&abc());
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::NoSchema { search_path } = &err else {
        panic!("{err}")
    };
    assert_eq!(search_path, "nowhere");
    // No lock is left behind.
    assert_eq!(
        scalar(
            &mut conn,
            "SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
        )
        .await,
        Some("0".to_owned())
    );
}

#[test]
fn a_revision_that_needs_the_client_in_the_protocol_is_refused_when_loaded() {
    for (sql, what) in [
        ("COPY t FROM STDIN;\n1\n\\.", "COPY ... FROM STDIN"),
        ("COPY (SELECT 1) TO STDOUT;", "COPY ... TO STDOUT"),
        ("LISTEN deploys;", "LISTEN"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        write_chain(dir.path(), &[rev("r1", sql, "SELECT 1;")]);
        let err = schema_runtime::Migrator::load(dir.path(), "migrations").unwrap_err();
        let text = err.render();
        assert!(text.contains(what) && text.contains("r1.sql:8"), "{text}");
    }
}

#[tokio::test]
async fn a_session_with_standard_conforming_strings_off_runs_revisions_as_written() {
    let (_url, mut conn) = fresh_db().await;
    sqlx::raw_sql("SET standard_conforming_strings = off; SET escape_string_warning = off")
        .execute(&mut conn)
        .await
        .unwrap();
    let (_d, m) = migrator(&[
        rev("r1", "CREATE TABLE t (v text);", "DROP TABLE t;"),
        rev(
            "r2",
            "INSERT INTO t VALUES ('a\\b'); SELECT ';';",
            "DELETE FROM t;",
        ),
        rev("r3", "CREATE TABLE u (id int);", "DROP TABLE u;"),
    ]);
    m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(
        scalar(&mut conn, "SELECT length(v)::text FROM t").await,
        Some("3".to_owned())
    );
    // The session's own setting is back, and the log digest still matches.
    assert_eq!(
        scalar(
            &mut conn,
            "SELECT current_setting('standard_conforming_strings')"
        )
        .await,
        Some("off".to_owned())
    );
    let again = m.upgrade(&mut conn, "head").await.unwrap();
    assert!(again.steps.is_empty());
}

#[tokio::test]
async fn the_cli_retries_a_revision_that_waits_for_a_table_lock_and_says_who_holds_it() {
    let (url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    let mut revs = abc();
    revs[1].up = "ALTER TABLE a ADD COLUMN x int;";
    revs[1].down = Some("ALTER TABLE a DROP COLUMN x;");
    write_chain(dir.path(), &revs);
    let out = cli(dir.path(), &url, &["upgrade", "aaa111"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut holder = schema_runtime::connect(&url).await.unwrap();
    sqlx::raw_sql(
        "SET application_name = 'nightly-report'; BEGIN; LOCK TABLE a IN ACCESS SHARE MODE;",
    )
    .execute(&mut holder)
    .await
    .unwrap();
    let holder_pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut holder)
        .await
        .unwrap();
    let child = cli(
        dir.path(),
        &url,
        &[
            "upgrade",
            "head",
            "--ddl-lock-timeout-ms",
            "300",
            "--ddl-retries",
            "5",
            "--blocker-report-ms",
            "200",
        ],
    )
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    tokio::time::sleep(Duration::from_millis(2500)).await;
    sqlx::raw_sql("COMMIT").execute(&mut holder).await.unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("revision bbb222 gave up waiting for a table lock (try 1 of 6)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "waiting for a lock held by pid {holder_pid} (nightly-report)"
        )),
        "{stderr}"
    );
    assert_eq!(version(&mut conn).await, ["ccc333"]);
}

#[tokio::test]
async fn the_cli_refuses_an_existing_schema_unless_allowed() {
    let (url, mut conn) = fresh_db().await;
    sqlx::raw_sql("CREATE TABLE legacy (id int)")
        .execute(&mut conn)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    write_chain(dir.path(), &abc());
    let out = cli(dir.path(), &url, &["upgrade", "head"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("public.legacy") && stderr.contains("stamp"),
        "{stderr}"
    );
    let out = cli(
        dir.path(),
        &url,
        &["upgrade", "head", "--allow-existing-schema"],
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(version(&mut conn).await, ["ccc333"]);
}

#[tokio::test]
async fn a_run_waiting_for_the_migration_lock_says_who_holds_it() {
    let (url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    write_chain(dir.path(), &abc());
    let (_d, m) = migrator(&abc());
    let key = m.schema("public").version_table().lock_key();
    let mut holder = schema_runtime::connect(&url).await.unwrap();
    sqlx::raw_sql(AssertSqlSafe(format!(
        "SET application_name = 'other-deploy'; SELECT pg_advisory_lock({key})"
    )))
    .execute(&mut holder)
    .await
    .unwrap();
    let holder_pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
        .fetch_one(&mut holder)
        .await
        .unwrap();
    let child = cli(
        dir.path(),
        &url,
        &["upgrade", "head", "--blocker-report-ms", "200"],
    )
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped())
    .spawn()
    .unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    drop(holder);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "waiting for a lock held by pid {holder_pid} (other-deploy)"
        )),
        "{stderr}"
    );
    assert_eq!(version(&mut conn).await, ["ccc333"]);
}

#[tokio::test]
async fn a_target_that_is_not_target_syntax_is_an_error_before_anything_runs() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    let err = m.upgrade(&mut conn, "head@@+").await.unwrap_err();
    assert!(matches!(err, MigrateError::TargetSyntax(_)), "{err}");
    assert!(tables(&mut conn).await.is_empty());
    // Strings, owned strings and parsed targets are all targets.
    m.upgrade(&mut conn, String::from("aaa111")).await.unwrap();
    m.upgrade(&mut conn, "head".parse::<schema_runtime::Target>().unwrap())
        .await
        .unwrap();
    assert_eq!(version(&mut conn).await, ["ccc333"]);
}

#[tokio::test]
async fn a_pool_is_taken_wherever_a_connection_is() {
    let (url, mut conn) = fresh_db().await;
    let pool = schema_runtime::sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect(&url)
        .await
        .unwrap();
    let (_d, m) = migrator(&abc());
    let report = m.upgrade(&pool, "head").await.unwrap();
    assert_eq!(report.steps.len(), 3);
    assert_eq!(m.current(&pool).await.unwrap().current, ["ccc333"]);
    assert_eq!(m.history(&pool).await.unwrap().len(), 3);
    m.downgrade(&pool, "-1").await.unwrap();
    m.stamp(&pool, "ccc333", false).await.unwrap();
    assert_eq!(version(&mut conn).await, ["ccc333"]);
    // A connection taken from the pool by the application works as well.
    let mut pooled = pool.acquire().await.unwrap();
    assert!(m
        .upgrade(&mut pooled, "head")
        .await
        .unwrap()
        .steps
        .is_empty());
}

#[tokio::test]
async fn the_library_connects_with_urls_of_every_shape_without_showing_the_password() {
    let Some(cluster) = common::own_server("the server's Unix socket") else {
        return;
    };
    let socket = cluster.socket_dir().display().to_string();
    for password in ["Se/cr?et#1", "Se@cr%et", "ab%€cd", "Sécrét-9"] {
        let url = format!("postgresql://nobody:{password}@localhost/nodb?host={socket}");
        let err = schema_runtime::connect(&url).await.unwrap_err().render();
        let start: String = password.chars().take(4).collect();
        for fragment in [password, &start] {
            assert!(!err.contains(fragment), "{password}: {err}");
        }
    }
}
