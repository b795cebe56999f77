//! The migrator against a real PostgreSQL: targets, transactions, locking,
//! drift, errors that point at the line, offline SQL.

mod common;

use sqlx::AssertSqlSafe;
use std::time::Duration;

use common::*;
use schema_runtime::{Direction, MigrateError, Migrator, Range, TransactionMode};

#[tokio::test]
async fn upgrade_head_applies_every_revision_and_records_it() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    let report = m.upgrade(&mut conn, "head").await.unwrap();
    let ran: Vec<&str> = report.steps.iter().map(|s| &*s.id).collect();
    assert_eq!(ran, ["aaa111", "bbb222", "ccc333"]);
    assert_eq!(
        (report.from, report.to),
        (vec![], vec!["ccc333".to_owned()])
    );
    assert_eq!(tables(&mut conn).await, ["a", "b", "c"]);
    assert_eq!(version(&mut conn).await, ["ccc333"]);
    let state = m.current(&mut conn).await.unwrap();
    assert_eq!(state.applied.len(), 3);
    for row in &state.applied {
        let r = m.set().get(&row.id).unwrap();
        assert_eq!(row.checksum.as_deref(), Some(&*r.checksum_hex()));
        assert!(row.duration_ms.is_some() && row.applied_at.is_some());
    }
}

#[tokio::test]
async fn upgrade_at_head_does_nothing() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    m.upgrade(&mut conn, "head").await.unwrap();
    let again = m.upgrade(&mut conn, "head").await.unwrap();
    assert!(again.steps.is_empty());
    assert_eq!(again.from, ["ccc333"]);
}

#[tokio::test]
async fn relative_targets_move_from_the_current_revision() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    m.upgrade(&mut conn, "+2").await.unwrap();
    assert_eq!(version(&mut conn).await, ["bbb222"]);
    m.downgrade(&mut conn, "-1").await.unwrap();
    assert_eq!(version(&mut conn).await, ["aaa111"]);
    assert_eq!(tables(&mut conn).await, ["a"]);
    m.upgrade(&mut conn, "+1").await.unwrap();
    assert_eq!(version(&mut conn).await, ["bbb222"]);
}

#[tokio::test]
async fn ids_prefixes_and_id_relative_targets() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    m.upgrade(&mut conn, "bbb222").await.unwrap();
    assert_eq!(version(&mut conn).await, ["bbb222"]);
    m.upgrade(&mut conn, "cc").await.unwrap();
    assert_eq!(version(&mut conn).await, ["ccc333"]);
    m.downgrade(&mut conn, "ccc333-2").await.unwrap();
    assert_eq!(version(&mut conn).await, ["aaa111"]);
    m.upgrade(&mut conn, "aaa111+1").await.unwrap();
    assert_eq!(version(&mut conn).await, ["bbb222"]);
    m.downgrade(&mut conn, "base").await.unwrap();
    assert!(version(&mut conn).await.is_empty());
    assert!(tables(&mut conn).await.is_empty());
    assert!(logged(&mut conn).await.is_empty());
}

#[tokio::test]
async fn an_ambiguous_prefix_lists_the_candidates() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[
        rev("ab1", "SELECT 1;", "SELECT 1;"),
        rev("ab2", "SELECT 1;", "SELECT 1;"),
    ]);
    let err = m.upgrade(&mut conn, "ab").await.unwrap_err().render();
    assert!(
        err.contains("`ab` is ambiguous") && err.contains("ab1, ab2"),
        "{err}"
    );
}

#[tokio::test]
async fn going_past_head_or_base_is_an_error() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    let err = m.upgrade(&mut conn, "+4").await.unwrap_err();
    assert!(
        err.render()
            .contains("`+4` is 1 revision(s) past the head `ccc333`"),
        "{err}"
    );
    let err = m.downgrade(&mut conn, "-1").await.unwrap_err();
    assert!(err.render().contains("below base"), "{err}");
    assert!(tables(&mut conn).await.is_empty());
}

#[tokio::test]
async fn a_target_in_the_wrong_direction_is_an_error() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    m.upgrade(&mut conn, "bbb222").await.unwrap();
    let err = m.downgrade(&mut conn, "ccc333").await.unwrap_err();
    assert!(matches!(err, MigrateError::WrongDirection { .. }), "{err}");
    assert!(err.render().contains("use `upgrade` instead"), "{err}");
    let err = m.upgrade(&mut conn, "-1").await.unwrap_err();
    assert!(err.render().contains("use `downgrade` instead"), "{err}");
    // As in Alembic, upgrading to a revision already applied changes nothing.
    let report = m.upgrade(&mut conn, "aaa111").await.unwrap();
    assert!(report.steps.is_empty());
    assert_eq!(version(&mut conn).await, ["bbb222"]);
}

const FAILING_AT_LINE: &str = "CREATE TABLE b (id int);\n\
INSERT INTO b VALUES (1);\n\
SELECT nope\n  FROM b;";

#[tokio::test]
async fn a_failing_statement_names_revision_file_line_and_column_and_keeps_the_last_good_revision()
{
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[
        rev("aaa111", "CREATE TABLE a (id int);", "DROP TABLE a;"),
        rev("bbb222", FAILING_AT_LINE, "DROP TABLE b;"),
    ]);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    // Header is 6 lines, a blank, the marker: the section starts on line 8.
    assert_eq!(
        (s.revision.as_str(), s.path.as_str()),
        ("bbb222", "migrations/bbb222.sql")
    );
    assert_eq!((s.line, s.column), (10, 8));
    assert_eq!(s.code, "42703");
    assert!(
        s.message.contains("column \"nope\" does not exist"),
        "{}",
        s.message
    );
    assert_eq!(s.database_at, ["aaa111"]);
    let text = err.render();
    assert!(text.contains("--> migrations/bbb222.sql:10:8"), "{text}");
    assert!(text.contains("SELECT nope"), "{text}");
    assert_eq!(version(&mut conn).await, ["aaa111"]);
    assert_eq!(tables(&mut conn).await, ["a"]);
}

#[tokio::test]
async fn an_error_without_server_position_is_located_at_its_statement() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[rev(
        "aaa111",
        "CREATE TABLE a (id int PRIMARY KEY);\n-- a comment\nINSERT INTO a VALUES (1);\n\n  INSERT INTO a VALUES (1);",
        "DROP TABLE a;",
    )]);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert_eq!(s.code, "23505");
    assert_eq!((s.line, s.column), (12, 3), "{err}");
    assert!(
        s.detail.as_deref().unwrap_or("").contains("already exists"),
        "{err}"
    );
    assert!(err.render().contains("= detail:"), "{err}");
    assert!(version(&mut conn).await.is_empty());
    assert!(tables(&mut conn).await.is_empty());
}

#[tokio::test]
async fn the_server_hint_is_shown() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[rev("aaa111", "SELECT lenght('x');", "SELECT 1;")]);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert!(s.hint.is_some(), "{err}");
    assert!(err.render().contains("= hint:"), "{err}");
}

/// Three revisions; the third fails on its second statement (line 9 of its file).
fn failing_at_the_third() -> Vec<Rev<'static>> {
    let mut revs = abc();
    revs[2].up = "CREATE TABLE c (id int);\nCREATE TABLE a (id int);";
    revs
}

#[tokio::test]
async fn single_transaction_mode_leaves_the_database_untouched_on_failure() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&failing_at_the_third());
    let m = m.transaction_mode(TransactionMode::Single);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert_eq!((s.revision.as_str(), s.line), ("ccc333", 9), "{err}");
    assert!(s.whole_run_rolled_back);
    assert!(err.render().contains("rolled back"), "{err}");
    assert!(tables(&mut conn).await.is_empty());
    assert!(version(&mut conn).await.is_empty());
}

#[tokio::test]
async fn single_transaction_mode_applies_everything_when_all_succeed() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    let m = m.transaction_mode(TransactionMode::Single);
    assert_eq!(m.upgrade(&mut conn, "head").await.unwrap().steps.len(), 3);
    assert_eq!(version(&mut conn).await, ["ccc333"]);
    m.downgrade(&mut conn, "base").await.unwrap();
    assert!(tables(&mut conn).await.is_empty());
}

#[tokio::test]
async fn per_revision_mode_keeps_the_revisions_before_a_failure() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&failing_at_the_third());
    m.upgrade(&mut conn, "head").await.unwrap_err();
    assert_eq!(tables(&mut conn).await, ["a", "b"]);
    assert_eq!(version(&mut conn).await, ["bbb222"]);
    assert_eq!(logged(&mut conn).await, ["aaa111", "bbb222"]);
}

#[tokio::test]
async fn a_failed_run_reports_the_revisions_it_applied_before_the_failure() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&failing_at_the_third());
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let applied: Vec<&str> = err.applied().iter().map(|s| s.id.as_str()).collect();
    assert_eq!(applied, ["aaa111", "bbb222"], "{err}");
}

#[tokio::test]
async fn a_failed_single_transaction_run_reports_nothing_applied() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&failing_at_the_third());
    let m = m.transaction_mode(TransactionMode::Single);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    assert!(matches!(err, MigrateError::Statement(_)), "{err}");
    assert!(err.applied().is_empty(), "{err}");
}

#[tokio::test]
async fn a_non_transactional_revision_can_create_an_index_concurrently() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[
        rev("aaa111", "CREATE TABLE a (id int);", "DROP TABLE a;"),
        Rev {
            id: "bbb222",
            up: "CREATE INDEX CONCURRENTLY a_id ON a (id);\nCREATE INDEX CONCURRENTLY a_id2 ON a (id);",
            down: Some("DROP INDEX CONCURRENTLY a_id2;\nDROP INDEX CONCURRENTLY a_id;"),
            options: "non-transactional",
        },
    ]);
    m.upgrade(&mut conn, "head").await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_indexes WHERE tablename = 'a'")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(n, 2);
    assert_eq!(version(&mut conn).await, ["bbb222"]);
    m.downgrade(&mut conn, "-1").await.unwrap();
    assert_eq!(version(&mut conn).await, ["aaa111"]);
}

#[tokio::test]
async fn a_failing_non_transactional_revision_is_not_recorded_and_names_its_statement() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[
        rev("aaa111", "CREATE TABLE a (id int);", "DROP TABLE a;"),
        Rev {
            id: "bbb222",
            up:
                "CREATE INDEX CONCURRENTLY a_id ON a (id);\nCREATE INDEX CONCURRENTLY a_x ON a (x);",
            down: Some("DROP INDEX CONCURRENTLY a_id;"),
            options: "non-transactional",
        },
    ]);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    // The section starts on line 9 (the header has an Options line); the server gives
    // no position for this error, so the statement itself is pointed at.
    assert_eq!((s.line, s.column), (10, 1), "{err}");
    assert_eq!(version(&mut conn).await, ["aaa111"]);
}

#[tokio::test]
async fn an_interrupted_non_transactional_revision_is_refused_until_resumed() {
    let (_url, mut conn) = fresh_db().await;
    let revs = [
        rev("aaa111", "CREATE TABLE a (id int);", "DROP TABLE a;"),
        Rev {
            id: "bbb222",
            up:
                "CREATE INDEX CONCURRENTLY a_id ON a (id);\nCREATE INDEX CONCURRENTLY a_x ON a (x);",
            down: Some("DROP INDEX CONCURRENTLY a_x;\nDROP INDEX CONCURRENTLY a_id;"),
            options: "non-transactional",
        },
    ];
    let (dir, m) = migrator(&revs);
    m.upgrade(&mut conn, "head").await.unwrap_err();
    // The first index exists: the revision is half applied, and the next run says so.
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Interrupted {
        revision,
        direction,
        ..
    } = &err
    else {
        panic!("{err}")
    };
    assert_eq!(
        (revision.as_str(), direction.as_str()),
        ("bbb222", "upgrade")
    );
    // The library names its own API, never a command-line flag.
    assert!(err.render().contains("resume_interrupted"), "{err}");
    assert!(!err.render().contains("--resume"), "{err}");
    // The user undoes what ran, fixes the file and resumes.
    sqlx::raw_sql("DROP INDEX a_id")
        .execute(&mut conn)
        .await
        .unwrap();
    let mut fixed = revs;
    fixed[1].up =
        "CREATE INDEX CONCURRENTLY a_id ON a (id);\nCREATE INDEX CONCURRENTLY a_x ON a (id, id);";
    write_chain(dir.path(), &fixed);
    let m = Migrator::load(dir.path(), "migrations").unwrap();
    m.clone()
        .resume_interrupted(true)
        .upgrade(&mut conn, "head")
        .await
        .unwrap();
    assert_eq!(version(&mut conn).await, ["bbb222"]);
    assert!(m.upgrade(&mut conn, "head").await.unwrap().steps.is_empty());
}

#[tokio::test]
async fn single_transaction_mode_refuses_a_non_transactional_revision() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[Rev {
        id: "aaa111",
        up: "SELECT 1;",
        down: Some("SELECT 1;"),
        options: "non-transactional",
    }]);
    let err = m
        .transaction_mode(TransactionMode::Single)
        .upgrade(&mut conn, "head")
        .await
        .unwrap_err();
    assert!(
        matches!(err, MigrateError::NonTransactionalInSingle { .. }),
        "{err}"
    );
}

#[tokio::test]
async fn an_irreversible_revision_refuses_to_downgrade() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[
        rev("aaa111", "CREATE TABLE a (id int);", "DROP TABLE a;"),
        Rev {
            id: "bbb222",
            up: "INSERT INTO a VALUES (1);",
            down: None,
            options: "irreversible",
        },
    ]);
    m.upgrade(&mut conn, "head").await.unwrap();
    let err = m.downgrade(&mut conn, "base").await.unwrap_err();
    assert!(matches!(err, MigrateError::Irreversible { .. }), "{err}");
    assert_eq!(version(&mut conn).await, ["bbb222"]);
}

#[tokio::test]
async fn an_edited_applied_revision_is_drift_unless_allowed() {
    let (_url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    write_chain(dir.path(), &abc()[..2]);
    let m = Migrator::load(dir.path(), "migrations").unwrap();
    m.upgrade(&mut conn, "head").await.unwrap();
    let mut edited = abc();
    edited[0].up = "CREATE TABLE a (id bigint);";
    write_chain(dir.path(), &edited);
    let m = Migrator::load(dir.path(), "migrations").unwrap();
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Drift { drift } = &err else {
        panic!("{err}")
    };
    assert_eq!(drift.len(), 1);
    assert_eq!(
        (drift[0].revision.as_str(), drift[0].path.as_str()),
        ("aaa111", "migrations/aaa111.sql")
    );
    assert!(err.render().contains("allow_drift"), "{err}");
    assert!(!err.render().contains("--allow-drift"), "{err}");
    assert_eq!(version(&mut conn).await, ["bbb222"]);
    m.allow_drift(true)
        .upgrade(&mut conn, "head")
        .await
        .unwrap();
    assert_eq!(version(&mut conn).await, ["ccc333"]);
}

#[tokio::test]
async fn an_applied_revision_whose_id_was_renamed_is_refused() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    m.upgrade(&mut conn, "head").await.unwrap();
    // `bbb222` is renamed `bbb999` in the files (and `ccc333` follows it).
    let mut renamed = abc();
    renamed[1].id = "bbb999";
    let (_d2, m2) = migrator(&renamed);
    let err = m2.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::MissingRevisions { ids } = &err else {
        panic!("{err}")
    };
    assert_eq!(ids, &["bbb222"]);
    assert!(err.render().contains("removed or its id changed"), "{err}");
}

#[tokio::test]
async fn renaming_a_revision_file_is_not_drift() {
    let (_url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    write_chain(dir.path(), &abc());
    Migrator::load(dir.path(), "migrations")
        .unwrap()
        .upgrade(&mut conn, "bbb222")
        .await
        .unwrap();
    std::fs::rename(
        dir.path().join("aaa111.sql"),
        dir.path().join("aaa111_create_a.sql"),
    )
    .unwrap();
    let m = Migrator::load(dir.path(), "migrations").unwrap();
    assert_eq!(m.upgrade(&mut conn, "head").await.unwrap().steps.len(), 1);
}

#[tokio::test]
async fn a_database_at_an_unknown_revision_is_refused() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, newer) = migrator(&abc());
    newer.upgrade(&mut conn, "head").await.unwrap();
    let (_d2, older) = migrator(&abc()[..2]);
    let err = older.upgrade(&mut conn, "head").await.unwrap_err();
    assert!(
        matches!(err, MigrateError::UnknownDatabaseRevision { .. }),
        "{err}"
    );
    assert!(
        err.render()
            .contains("a newer build probably migrated this database"),
        "{err}"
    );
}

#[tokio::test]
async fn the_version_table_name_and_schema_are_configurable_and_quoted() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    let m = m
        .schema("Deploy \"x\"")
        .table_name("versions; DROP TABLE a; --");
    m.upgrade(&mut conn, "head").await.unwrap();
    let v: String = sqlx::query_scalar(
        r#"SELECT version_num::text FROM "Deploy ""x"""."versions; DROP TABLE a; --""#,
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(v, "ccc333");
    assert_eq!(tables(&mut conn).await, ["a", "b", "c"]);
}

#[tokio::test]
async fn concurrent_migrators_apply_each_revision_exactly_once() {
    let (url, mut conn) = fresh_db().await;
    sqlx::raw_sql("CREATE TABLE side_effects (id text)")
        .execute(&mut conn)
        .await
        .unwrap();
    let (_d, m) = migrator(&[
        rev(
            "aaa111",
            "INSERT INTO side_effects VALUES ('aaa111'); SELECT pg_sleep(0.2);",
            "SELECT 1;",
        ),
        rev(
            "bbb222",
            "INSERT INTO side_effects VALUES ('bbb222');",
            "SELECT 1;",
        ),
        rev(
            "ccc333",
            "INSERT INTO side_effects VALUES ('ccc333');",
            "SELECT 1;",
        ),
    ]);
    let m = m.allow_existing_schema(true);
    let mut tasks = Vec::new();
    for _ in 0..4 {
        let (m, url) = (m.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let mut c = schema_runtime::connect(&url).await.unwrap();
            m.upgrade(&mut c, "head").await.unwrap().steps.len()
        }));
    }
    let mut ran = Vec::new();
    for t in tasks {
        ran.push(t.await.unwrap());
    }
    ran.sort();
    assert_eq!(ran, [0, 0, 0, 3]);
    let effects: Vec<String> = sqlx::query_scalar("SELECT id FROM side_effects ORDER BY id")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    assert_eq!(effects, ["aaa111", "bbb222", "ccc333"]);
    assert_eq!(version(&mut conn).await, ["ccc333"]);
}

#[tokio::test]
async fn a_run_that_fails_while_reading_its_state_releases_the_lock() {
    let (_url, mut conn) = fresh_db().await;
    // A log "table" that is a view without the log's columns: the lock is
    // taken, then reading the state fails.
    sqlx::raw_sql("CREATE VIEW alembic_version_log AS SELECT 1 AS x")
        .execute(&mut conn)
        .await
        .unwrap();
    let (_d, m) = migrator(&abc());
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    assert!(err.render().contains("does not exist"), "{err}");
    let held: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
    )
    .fetch_one(&mut conn)
    .await
    .unwrap();
    assert_eq!(held, 0);
}

#[tokio::test]
async fn waiting_for_the_lock_is_bounded() {
    let (url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    let key = m.version_table().lock_key();
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
    let MigrateError::LockTimeout { waited_ms } = err else {
        panic!("{err}")
    };
    assert!(waited_ms >= 150, "{waited_ms}");
    drop(holder);
    // Once the holder is gone the lock is free again.
    m.upgrade(&mut conn, "head").await.unwrap();
}

#[tokio::test]
async fn stamp_records_a_revision_without_running_it() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    m.stamp(&mut conn, "bbb222", false).await.unwrap();
    assert_eq!(version(&mut conn).await, ["bbb222"]);
    assert_eq!(logged(&mut conn).await, ["aaa111", "bbb222"]);
    assert!(tables(&mut conn).await.is_empty());
    m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(tables(&mut conn).await, ["c"]);
}

#[tokio::test]
async fn stamp_with_purge_repairs_an_impossible_version_table() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    m.upgrade(&mut conn, "head").await.unwrap();
    sqlx::raw_sql("INSERT INTO alembic_version VALUES ('aaa111')")
        .execute(&mut conn)
        .await
        .unwrap();
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    assert!(matches!(err, MigrateError::ImpossibleState { .. }), "{err}");
    m.stamp(&mut conn, "head", true).await.unwrap();
    assert_eq!(version(&mut conn).await, ["ccc333"]);
    assert!(m.upgrade(&mut conn, "head").await.unwrap().steps.is_empty());
}

#[tokio::test]
async fn history_marks_applied_and_current_revisions() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    m.upgrade(&mut conn, "bbb222").await.unwrap();
    let h = m.history(&mut conn).await.unwrap();
    let flags: Vec<(bool, bool, Option<bool>)> = h
        .iter()
        .map(|e| (e.applied, e.current, e.checksum_matches))
        .collect();
    assert_eq!(
        flags,
        [
            (true, false, Some(true)),
            (true, true, Some(true)),
            (false, false, None)
        ]
    );
}

#[tokio::test]
async fn a_database_managed_by_alembic_is_taken_over() {
    let (_url, mut conn) = fresh_db().await;
    // What Alembic leaves behind: the schema and alembic_version(version_num).
    sqlx::raw_sql(
        "CREATE TABLE a (id int); CREATE TABLE b (id int);\
         CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, \
         CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num));\
         INSERT INTO alembic_version VALUES ('bbb222');",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let (_d, m) = migrator(&abc());
    let report = m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(report.steps.len(), 1);
    assert_eq!(version(&mut conn).await, ["ccc333"]);
    assert_eq!(logged(&mut conn).await, ["ccc333"]);
}

async fn offline_matches_online(mode: TransactionMode) {
    let (_d, m) = migrator(&[
        rev(
            "aaa111",
            "CREATE TABLE a (id int PRIMARY KEY, note text DEFAULT 'x;y');",
            "DROP TABLE a;",
        ),
        rev(
            "bbb222",
            "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql;",
            "DROP FUNCTION f();",
        ),
        rev(
            "ccc333",
            "CREATE INDEX a_note ON a (note) WHERE note IS NOT NULL;",
            "DROP INDEX a_note;",
        ),
    ]);
    let m = m.transaction_mode(mode);
    let (online_url, mut online) = fresh_db().await;
    m.upgrade(&mut online, "head").await.unwrap();
    let (offline_url, mut offline) = fresh_db().await;
    psql(
        &offline_url,
        &m.offline(Direction::Upgrade, &Range::parse("base:head").unwrap())
            .unwrap(),
    );
    assert_eq!(schema_dump(&online_url), schema_dump(&offline_url));
    assert_eq!(version(&mut offline).await, ["ccc333"]);
    assert_eq!(logged(&mut offline).await, ["aaa111", "bbb222", "ccc333"]);
    // The offline log carries the same checksums.
    let sums = "SELECT string_agg(checksum, ',' ORDER BY version_num) FROM alembic_version_log";
    let a: String = sqlx::query_scalar(sums)
        .fetch_one(&mut online)
        .await
        .unwrap();
    let b: String = sqlx::query_scalar(sums)
        .fetch_one(&mut offline)
        .await
        .unwrap();
    assert_eq!(a, b);
    // And the downgrade script undoes it.
    psql(
        &offline_url,
        &m.offline(Direction::Downgrade, &Range::parse("head:base").unwrap())
            .unwrap(),
    );
    assert!(tables(&mut offline).await.is_empty());
    assert!(version(&mut offline).await.is_empty());
}

#[tokio::test]
async fn offline_sql_applied_by_psql_gives_the_online_schema_per_revision() {
    offline_matches_online(TransactionMode::PerRevision).await;
}

#[tokio::test]
async fn offline_sql_applied_by_psql_gives_the_online_schema_in_one_transaction() {
    offline_matches_online(TransactionMode::Single).await;
}

#[tokio::test]
async fn offline_sql_of_a_partial_range_starts_where_it_is_told() {
    let (_d, m) = migrator(&abc());
    let sql = m
        .offline(Direction::Upgrade, &Range::parse("aaa111:ccc333").unwrap())
        .unwrap();
    assert!(
        !sql.contains("CREATE TABLE a ")
            && sql.contains("CREATE TABLE b ")
            && sql.contains("CREATE TABLE c "),
        "{sql}"
    );
    assert_eq!(sql.matches("BEGIN;").count(), 2);
    let err = m
        .offline(Direction::Upgrade, &Range::parse("+1").unwrap())
        .unwrap_err();
    assert!(err.render().contains("base:+1"), "{err}");
}

#[tokio::test]
async fn a_password_in_the_url_never_appears_in_a_connection_error() {
    let Some(cluster) = own_server("the server's Unix socket") else {
        return;
    };
    let url = format!(
        "postgresql://nobody:Sup3rSecret@localhost/nodb?host={}",
        cluster.socket_dir().display()
    );
    let err = schema_runtime::connect(&url).await.unwrap_err().render();
    assert!(!err.contains("Sup3rSecret"), "{err}");
    assert!(err.contains("nobody:***@"), "{err}");
}

#[tokio::test]
async fn a_no_op_at_head_sends_one_message_and_leaves_no_lock() {
    let (url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    m.upgrade(&mut conn, "head").await.unwrap();
    let Some((mut logged, before)) = logging_connection(&url, &mut conn).await else {
        return;
    };
    let report = m.upgrade(&mut logged, "head").await.unwrap();
    assert!(report.steps.is_empty());
    let sent = messages_since(before);
    // The server saw the database at head and released the lock itself.
    assert_eq!(sent.len(), 1, "{sent:#?}");
    let held: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
    )
    .fetch_one(&mut logged)
    .await
    .unwrap();
    assert_eq!(held, 0);
    // Anything else (here, one revision to go) keeps the lock for the run.
    m.downgrade(&mut conn, "-1").await.unwrap();
    let seen = messages_since(before).len();
    let report = m.upgrade(&mut logged, "head").await.unwrap();
    assert_eq!(report.steps.len(), 1);
    let sent = &messages_since(before)[seen..];
    assert!(
        sent.last().unwrap().contains("pg_advisory_unlock"),
        "{sent:#?}"
    );
}

#[tokio::test]
async fn an_upgrade_sends_every_revision_in_one_message() {
    let (url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    let Some((mut logged, before)) = logging_connection(&url, &mut conn).await else {
        return;
    };
    let report = m.upgrade(&mut logged, "head").await.unwrap();
    assert_eq!(report.steps.len(), 3);
    let sent = messages_since(before);
    // The lock and the state, the statement that records a step prepared,
    // the three revisions, the unlock.
    assert_eq!(sent.len(), 4, "{sent:#?}");
    assert!(sent[1].contains("PREPARE"), "{sent:#?}");
    assert!(
        sent[2].contains("-- upgrade base -> ccc333: 3 revision(s) in one message"),
        "{sent:#?}"
    );
    assert!(sent[3].contains("pg_advisory_unlock"), "{sent:#?}");
    let Some((mut logged, before)) = logging_connection(&url, &mut conn).await else {
        return;
    };
    m.downgrade(&mut logged, "base").await.unwrap();
    let sent = messages_since(before);
    assert_eq!(sent.len(), 4, "{sent:#?}");
    assert!(
        sent[2].contains("-- downgrade ccc333 -> base: 3 revision(s) in one message"),
        "{sent:#?}"
    );
    assert!(tables(&mut conn).await.is_empty());
}

#[tokio::test]
async fn revisions_in_one_message_are_each_timed_and_reported_in_order() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[
        rev(
            "aaa111",
            "CREATE TABLE a (id int);\nSELECT pg_sleep(0.2), 42 AS answer;",
            "DROP TABLE a;",
        ),
        rev("bbb222", "SELECT pg_sleep(0.2);", "SELECT 1;"),
        rev("ccc333", "CREATE TABLE c (id int);", "DROP TABLE c;"),
    ]);
    let report = m.upgrade(&mut conn, "head").await.unwrap();
    let ids: Vec<&str> = report.steps.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["aaa111", "bbb222", "ccc333"]);
    // Each step is timed from its own start, not from the message's: each
    // sleeping step takes at least its sleep, and the step after them takes
    // less than either, which a clock started with the message cannot give.
    let ms: Vec<u128> = report
        .steps
        .iter()
        .map(|s| s.duration.as_millis())
        .collect();
    assert!(ms[0] >= 200 && ms[1] >= 200, "{ms:?}");
    assert!(ms[2] < ms[0] && ms[2] < ms[1], "{ms:?}");
    let state = m.current(&mut conn).await.unwrap();
    let logged_ms = |id: &str| {
        state
            .applied
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.duration_ms)
            .unwrap()
    };
    assert!(logged_ms("bbb222") >= 200, "{state:?}");
    assert!(logged_ms("ccc333") < logged_ms("bbb222"), "{state:?}");
}

async fn prepared_statements(conn: &mut sqlx::PgConnection) -> i64 {
    sqlx::query_scalar(
        "SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'schema_migrations%'",
    )
    .fetch_one(conn)
    .await
    .unwrap()
}

#[tokio::test]
async fn a_run_leaves_no_prepared_statement_on_the_connection_whether_it_fails_or_not() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(prepared_statements(&mut conn).await, 0);
    m.downgrade(&mut conn, "base").await.unwrap();
    assert_eq!(prepared_statements(&mut conn).await, 0);
    // A revision failing while the message runs, and a syntax error, which
    // stops the message before anything in it runs.
    let (_d, m) = migrator(&failing_at_the_third());
    m.upgrade(&mut conn, "head").await.unwrap_err();
    assert_eq!(prepared_statements(&mut conn).await, 0);
    let mut revs = abc();
    revs.push(rev("ddd444", "CREATE TABLEE d (id int);", "DROP TABLE d;"));
    let (_d, m) = migrator(&revs);
    m.downgrade(&mut conn, "base").await.unwrap();
    m.upgrade(&mut conn, "head").await.unwrap_err();
    assert_eq!(prepared_statements(&mut conn).await, 0);
    assert_eq!(version(&mut conn).await, ["ccc333"]);
}

#[tokio::test]
async fn a_syntax_error_in_a_later_revision_leaves_the_revisions_before_it_applied() {
    let (_url, mut conn) = fresh_db().await;
    let mut revs = abc();
    revs[2].up = "CREATE TABLE c (id int);\nCREATE TABLEE d (id int);";
    let (_d, m) = migrator(&revs);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert_eq!(
        (s.revision.as_str(), s.line, s.column, s.code.as_str()),
        ("ccc333", 9, 8, "42601"),
        "{err}"
    );
    // As if each revision had been sent on its own.
    assert_eq!(s.database_at, ["bbb222"], "{err}");
    assert!(
        err.render().contains("the database is at `bbb222`"),
        "{err}"
    );
    assert_eq!(tables(&mut conn).await, ["a", "b"]);
    assert_eq!(version(&mut conn).await, ["bbb222"]);
}

#[tokio::test]
async fn a_syntax_error_in_a_single_transaction_run_applies_nothing() {
    let (_url, mut conn) = fresh_db().await;
    let mut revs = abc();
    revs[2].up = "CREATE TABLE c (id int);\nCREATE TABLEE d (id int);";
    let (_d, m) = migrator(&revs);
    let m = m.transaction_mode(TransactionMode::Single);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert_eq!((s.revision.as_str(), s.line), ("ccc333", 9), "{err}");
    assert!(s.database_at.is_empty(), "{err}");
    assert!(tables(&mut conn).await.is_empty());
    assert!(version(&mut conn).await.is_empty());
}

#[tokio::test]
async fn an_incomplete_last_statement_in_a_later_revision_is_pointed_at_in_that_revision() {
    for mode in [TransactionMode::PerRevision, TransactionMode::Single] {
        let (_url, mut conn) = fresh_db().await;
        let mut revs = abc();
        // The server reports this at the `;` that ends the section.
        revs[2].up = "CREATE TABLE c (id int";
        let (_d, m) = migrator(&revs);
        let m = m.transaction_mode(mode);
        let err = m.upgrade(&mut conn, "head").await.unwrap_err();
        let MigrateError::Statement(s) = &err else {
            panic!("{err}")
        };
        assert_eq!(
            (s.revision.as_str(), s.line, s.column, s.code.as_str()),
            ("ccc333", 8, 23, "42601"),
            "{mode:?}: {err}"
        );
        if mode == TransactionMode::Single {
            assert!(s.database_at.is_empty(), "{err}");
            assert!(tables(&mut conn).await.is_empty());
        } else {
            assert_eq!(s.database_at, ["bbb222"], "{err}");
            assert_eq!(tables(&mut conn).await, ["a", "b"]);
        }
    }
}

#[tokio::test]
async fn revisions_that_reset_all_settings_or_deallocate_statements_still_apply() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[
        rev("aaa111", "CREATE TABLE a (id int);", "DROP TABLE a;"),
        rev("bbb222", "RESET ALL;\nSELECT pg_sleep(0.1);", "SELECT 1;"),
        rev("ccc333", "DEALLOCATE ALL;", "SELECT 1;"),
        rev("ddd444", "CREATE TABLE d (id int);", "DROP TABLE d;"),
    ]);
    let report = m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(report.steps.len(), 4);
    // With its clock reset, a step is timed from the message's arrival.
    assert!(
        report.steps[1].duration >= Duration::from_millis(100),
        "{report:?}"
    );
    assert_eq!(version(&mut conn).await, ["ddd444"]);
    m.downgrade(&mut conn, "base").await.unwrap();
    assert!(tables(&mut conn).await.is_empty());
}

#[tokio::test]
async fn a_revision_failing_at_commit_is_named_and_the_earlier_ones_stay() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&[
        rev("aaa111", "CREATE TABLE p (id int PRIMARY KEY);", "DROP TABLE p;"),
        rev(
            "bbb222",
            "CREATE TABLE c (p int REFERENCES p DEFERRABLE INITIALLY DEFERRED);\nINSERT INTO c VALUES (1);",
            "DROP TABLE c;",
        ),
        rev("ccc333", "CREATE TABLE d (id int);", "DROP TABLE d;"),
    ]);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert_eq!(
        (s.revision.as_str(), s.code.as_str()),
        ("bbb222", "23503"),
        "{err}"
    );
    assert_eq!(s.database_at, ["aaa111"], "{err}");
    assert_eq!(tables(&mut conn).await, ["p"]);
    assert_eq!(version(&mut conn).await, ["aaa111"]);
    assert_eq!(logged(&mut conn).await, ["aaa111"]);
}

#[tokio::test]
async fn the_server_digest_of_the_log_matches_the_embedded_checksums() {
    let (_url, mut conn) = fresh_db().await;
    // Ids whose byte order differs from a linguistic collation's.
    let (_d, m) = migrator(&[
        rev("b_1", "CREATE TABLE b1 (id int);", "DROP TABLE b1;"),
        rev("B2", "CREATE TABLE b2 (id int);", "DROP TABLE b2;"),
        rev("a_3", "CREATE TABLE a3 (id int);", "DROP TABLE a3;"),
    ]);
    m.upgrade(&mut conn, "head").await.unwrap();
    let table = m.version_table();
    let rows: Vec<(Option<String>, Option<String>)> = sqlx::query_as(AssertSqlSafe(format!(
        "SELECT kind, checksum FROM ({}) AS s",
        schema_runtime::__private::lock_state_sql(table)
    )))
    .fetch_all(&mut conn)
    .await
    .unwrap();
    let server = rows
        .iter()
        .find(|(kind, _)| kind.as_deref() == Some("digest"))
        .and_then(|(_, digest)| digest.clone());
    let embedded = schema_runtime::__private::log_digest(
        m.set()
            .revisions()
            .iter()
            .map(|r| (&*r.id, r.checksum_hex())),
    );
    assert_eq!(server, Some(embedded));
}

#[tokio::test]
async fn single_transaction_mode_points_at_the_failing_revision_line_and_column() {
    let (_url, mut conn) = fresh_db().await;
    let mut revs = abc();
    // Rows returned by a section do not confuse the progress of the run.
    revs[0].up = "CREATE TABLE a (id int);\nSELECT 42 AS answer;";
    revs[1].up = "CREATE TABLE b (id int);\nCREATE TABLE b2 (id intt);";
    let (_d, m) = migrator(&revs);
    let m = m.transaction_mode(TransactionMode::Single);
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    let MigrateError::Statement(s) = &err else {
        panic!("{err}")
    };
    assert_eq!(
        (s.revision.as_str(), s.line, s.column),
        ("bbb222", 9, 21),
        "{err}"
    );
    assert!(s.message.contains("intt"), "{err}");
    assert!(s.database_at.is_empty(), "{err}");
    assert!(tables(&mut conn).await.is_empty());
}

#[tokio::test]
async fn single_transaction_mode_logs_every_revision_with_its_checksum_and_duration() {
    let (_url, mut conn) = fresh_db().await;
    let (_d, m) = migrator(&abc());
    let m = m.transaction_mode(TransactionMode::Single);
    m.upgrade(&mut conn, "bbb222").await.unwrap();
    let report = m.upgrade(&mut conn, "head").await.unwrap();
    assert_eq!(report.from, ["bbb222"]);
    assert_eq!(report.steps.len(), 1);
    let state = m.current(&mut conn).await.unwrap();
    assert_eq!(state.current, ["ccc333"]);
    assert_eq!(state.applied.len(), 3);
    for row in &state.applied {
        let r = m.set().get(&row.id).unwrap();
        assert_eq!(row.checksum.as_deref(), Some(&*r.checksum_hex()));
        assert!(row.duration_ms.is_some(), "{row:?}");
    }
    m.downgrade(&mut conn, "aaa111").await.unwrap();
    assert_eq!(logged(&mut conn).await, ["aaa111"]);
    assert_eq!(version(&mut conn).await, ["aaa111"]);
}
