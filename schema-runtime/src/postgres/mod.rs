//! PostgreSQL: how each part of a run is done on this database.
//!
//! [`crate::Migrator`] decides what a run does (which revisions, in which
//! order, whether drift or an interrupted revision stops it) without knowing
//! the database; this module does each part of it on PostgreSQL, through the
//! coarse seam of [`crate::database::Database`]: take the lock and read the
//! state, run a list of steps, stamp, release, and render offline SQL. Each
//! message it sends is built and decoded by one type: the lock message
//! ([`version_table::VersionTable::lock_message`], read by
//! [`Postgres::parse_state`]), the pipeline of transactional revisions and
//! the single-transaction batch ([`pipeline`]), a non-transactional
//! revision's statements, and the offline script ([`offline`]).

pub(crate) mod errors;
pub(crate) mod offline;
pub(crate) mod pipeline;
pub mod version_table;

use std::time::{Duration, Instant};

use schema_core::sql::{line_col, split_statements, Statement};
use schema_core::{MigrationSet, Section};
use sqlx::postgres::PgConnectOptions;
use sqlx::{
    AssertSqlSafe, Column, ConnectOptions, Connection, Either, Executor, PgConnection, Row,
};

use crate::code::RevisionFn;
use crate::database::{Database, Settings, StampChange};
use crate::error::{Located, MigrateError, StatementError};
use crate::migrator::{finish_step, AppliedRow, DatabaseState, Probe, Report};
use crate::script::{pipeline_title, Direction, Step};
use crate::url;
use errors::{body_position, db_error, has_marker, pg_error, same_rows, server_position};
use pipeline::{
    batch_message, batch_record_sql, pipeline_message, prepare_sql, record_step, step_marker,
    worth_preparing, FailedStatement, Piece, PipelineFailure, PipelineOptions, PipelineReplies,
    Reply,
};
use version_table::{
    VersionTable, EXISTING_SCHEMA_MARKER, LOCK_LOST_MARKER, LOCK_MESSAGE_START, NO_SCHEMA_MARKER,
    SESSION_MARKER, TABLE_CHANGED_MARKER,
};

/// Numbers the statements pipelines prepare, so that no two runs on one
/// connection use the same name.
static PREPARED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Connects to `url` with statement logging off (revision SQL never floods the
/// logs) and any password kept out of the error.
///
/// # Examples
///
/// ```no_run
/// # async fn example() -> Result<(), schema_runtime::MigrateError> {
/// let mut conn = schema_runtime::connect("postgresql://app:s3cret@localhost/app").await?;
/// # schema_runtime::migrations!("../migrations", lint = false);
/// schema_runtime::Migrator::new(&migrations::SET).upgrade(&mut conn, "head").await?;
/// schema_runtime::close(conn).await;
/// # Ok(())
/// # }
/// ```
pub async fn connect(database_url: &str) -> Result<PgConnection, MigrateError> {
    let parsed = url::DatabaseUrl::parse(database_url).map_err(|e| MigrateError::Connect {
        url: url::redact(database_url),
        message: e.to_string(),
    })?;
    let fail = |e: &dyn std::fmt::Display| MigrateError::Connect {
        url: parsed.shown().to_owned(),
        message: parsed.scrub(&url::scrub(&e.to_string(), database_url)),
    };
    let opts: PgConnectOptions = parsed.connect_url().parse().map_err(|e| fail(&e))?;
    opts.application_name("schema-migrations")
        .disable_statement_logging()
        .connect()
        .await
        .map_err(|e| fail(&e))
}

/// Closes a connection politely; errors are irrelevant at that point.
///
/// # Examples
///
/// ```no_run
/// # async fn example(url: &str) -> Result<(), schema_runtime::MigrateError> {
/// let conn = schema_runtime::connect(url).await?;
/// schema_runtime::close(conn).await;
/// # Ok(())
/// # }
/// ```
pub async fn close(conn: PgConnection) {
    let _ = conn.close().await;
}

/// What a run learnt when it took the lock: the version table it resolved
/// (schema-qualified, used by every later statement), the lock's key and the
/// server process of the connection.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    /// The server released the lock in the lock message: nothing was to be done.
    released: bool,
    table: VersionTable,
    key: i64,
    pid: i32,
}

/// The PostgreSQL side of one migrator: its settings and its chain.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Postgres<'m> {
    settings: &'m Settings,
    set: &'m MigrationSet,
}

impl<'m> Postgres<'m> {
    /// The PostgreSQL side of a migrator with `settings` over `set`.
    pub(crate) fn new(settings: &'m Settings, set: &'m MigrationSet) -> Self {
        Postgres { settings, set }
    }

    /// The state with its version-table rows in the order of the chain (rows
    /// this build does not know first), whatever order the server returned.
    fn in_chain_order(&self, mut state: DatabaseState) -> DatabaseState {
        state.current.sort_by_key(|r| self.set.position(r));
        state
    }

    /// Reads the rows of [`VersionTable::state_sql`] (or of
    /// [`VersionTable::lock_state_sql`], whose `digest` row is returned
    /// apart), skipping rows of any other shape.
    fn parse_state(
        rows: &[sqlx::postgres::PgRow],
    ) -> Result<(DatabaseState, Option<String>), MigrateError> {
        let mut state = DatabaseState::default();
        let mut digest = None;
        for row in rows
            .iter()
            .filter(|r| r.columns().first().map(|c| c.name()) == Some("kind"))
        {
            let get = |i: usize| -> Result<Option<String>, MigrateError> {
                row.try_get::<Option<String>, _>(i)
                    .map_err(db_error("reading the version table"))
            };
            let kind = get(0)?;
            if kind.as_deref() == Some("digest") {
                digest = get(2)?;
                continue;
            }
            let id = get(1)?.unwrap_or_default();
            if kind.as_deref() == Some("current") {
                state.current.push(id);
            } else {
                state.applied.push(AppliedRow {
                    id,
                    checksum: get(2)?,
                    applied_at: get(3)?,
                    duration_ms: row
                        .try_get::<Option<i64>, _>(4)
                        .map_err(db_error("reading the version table"))?,
                    in_progress: get(5)?,
                });
            }
        }
        Ok((state, digest))
    }

    /// Looks, without locking or creating anything, for the version table as
    /// a run would resolve it: the resolved table (`None` when the
    /// `search_path` names no schema), whether it and its log exist, and how
    /// many other tables the database holds.
    pub(crate) async fn probe(&self, conn: &mut PgConnection) -> Result<Probe, MigrateError> {
        let row = (&mut *conn)
            .fetch_one(AssertSqlSafe(self.settings.table.probe_sql()))
            .await
            .map_err(db_error("looking for the version table"))?;
        let get_err = db_error("looking for the version table");
        let schema: Option<String> = row.try_get(0).map_err(&get_err)?;
        Ok(Probe {
            table: schema.map(|s| VersionTable {
                schema: Some(s),
                name: self.settings.table.name.clone(),
            }),
            has_table: row.try_get(1).map_err(&get_err)?,
            has_log: row.try_get(2).map_err(&get_err)?,
            other_tables: row.try_get(3).map_err(&get_err)?,
        })
    }

    /// Reads the state without locking or creating anything: empty when the
    /// version table does not exist yet; the version table alone when it has
    /// no log (a database Alembic manages).
    pub(crate) async fn state(
        &self,
        conn: &mut PgConnection,
    ) -> Result<DatabaseState, MigrateError> {
        let probe = self.probe(conn).await?;
        let Some(table) = probe.table.filter(|_| probe.has_table) else {
            return Ok(DatabaseState::default());
        };
        let sql = if probe.has_log {
            table.state_sql()
        } else {
            table.current_sql()
        };
        let rows = (&mut *conn)
            .fetch_all(AssertSqlSafe(sql))
            .await
            .map_err(db_error("reading the version table"))?;
        Ok(self.in_chain_order(Self::parse_state(&rows)?.0))
    }

    /// Reads every row of the log.
    async fn read_log(
        &self,
        conn: &mut PgConnection,
        s: &Session,
    ) -> Result<Vec<AppliedRow>, MigrateError> {
        let rows = (&mut *conn)
            .fetch_all(AssertSqlSafe(s.table.log_sql()))
            .await
            .map_err(db_error("reading the version table"))?;
        Ok(Self::parse_state(&rows)?.0.applied)
    }

    /// Takes the lock, resolves the version table, creates what is missing
    /// and reads the state: one round trip ([`VersionTable::lock_message`]).
    /// With `whole_log`, every log row is read; otherwise only the rows of
    /// interrupted steps, and the digest of the log is returned with the
    /// state. With `guard`, a database that has tables but no version table
    /// is refused before anything is created.
    async fn lock(
        &self,
        conn: &mut PgConnection,
        whole_log: bool,
        guard: bool,
        release_if: Option<(&[String], &str)>,
    ) -> Result<(DatabaseState, Option<String>, Session), MigrateError> {
        let sql = self.settings.table.lock_message(
            self.settings.lock_timeout.as_millis().max(1),
            guard && !self.settings.allow_existing_schema,
            whole_log,
            release_if,
        );
        let started = Instant::now();
        let watcher = self.watch_blockers(None);
        let result = (&mut *conn).fetch_all(AssertSqlSafe(sql)).await;
        drop(watcher);
        let rows = match result {
            Ok(rows) => rows,
            Err(e) => {
                // The lock may have been taken before a later statement
                // failed; a session lock outlives the error, so release it.
                let _ = (&mut *conn)
                    .execute(AssertSqlSafe(
                        self.settings.table.unlock_after_failure_sql(),
                    ))
                    .await;
                return Err(self.lock_failure(e, started));
            }
        };
        let (state, digest) = Self::parse_state(&rows)?;
        let session = rows
            .iter()
            .find(|r| r.columns().first().map(|c| c.name()) == Some(SESSION_MARKER))
            .map(|r| -> Result<(Session, String), sqlx::Error> {
                Ok((
                    Session {
                        table: VersionTable {
                            schema: Some(r.try_get(0)?),
                            name: self.settings.table.name.clone(),
                        },
                        key: r.try_get(1)?,
                        pid: r.try_get(2)?,
                        released: r.try_get(4)?,
                    },
                    r.try_get(3)?,
                ))
            })
            .transpose()
            .map_err(db_error("taking the migration lock"))?;
        let Some((session, listening)) = session else {
            return Err(MigrateError::Database {
                context: "taking the migration lock",
                source: sqlx::Error::Protocol(
                    "the server did not return the session row".to_owned(),
                ),
            });
        };
        if !listening.is_empty() {
            self.unlock(conn, &session).await;
            return Err(MigrateError::Listening {
                channels: listening,
            });
        }
        Ok((self.in_chain_order(state), digest, session))
    }

    /// The error of a failed [`Self::lock`] message.
    fn lock_failure(&self, e: sqlx::Error, started: Instant) -> MigrateError {
        let pg = pg_error(&e);
        if let Some(p) = pg.filter(|p| p.message().contains(EXISTING_SCHEMA_MARKER)) {
            // The cast error quotes the text: `...: "<marker>: 2 table(s): a, b"`.
            let msg = p.message();
            let after = msg
                [msg.find(EXISTING_SCHEMA_MARKER).unwrap_or(0) + EXISTING_SCHEMA_MARKER.len()..]
                .trim_start_matches(": ")
                .trim_end_matches('"');
            return MigrateError::ExistingSchema {
                table: self.settings.table.table(),
                tables: after.to_owned(),
            };
        }
        if let Some(p) = pg.filter(|p| p.message().contains(NO_SCHEMA_MARKER)) {
            let msg = p.message();
            let path = msg[msg.find(NO_SCHEMA_MARKER).unwrap_or(0) + NO_SCHEMA_MARKER.len()..]
                .trim_end_matches('"');
            return MigrateError::NoSchema {
                search_path: path.to_owned(),
            };
        }
        match db_error("taking the migration lock")(e) {
            MigrateError::LockTimeout { .. } => MigrateError::LockTimeout {
                waited_ms: started.elapsed().as_millis() as u64,
            },
            other => other,
        }
    }

    async fn unlock(&self, conn: &mut PgConnection, s: &Session) {
        if s.released {
            return;
        }
        let sql = VersionTable::unlock_sql(s.key);
        if let Err(e) = (&mut *conn).execute(AssertSqlSafe(sql)).await {
            tracing::warn!("releasing the migration lock failed (it is released when the connection closes): {e}");
        }
    }

    /// Starts reporting who blocks the connection's server process, when a
    /// URL was given; the report stops when the returned guard is dropped.
    ///
    /// Without the process's pid (while the lock message waits, before the
    /// server has said it), the report covers the migrators of the database
    /// that wait in their lock message: finding the pid first would cost
    /// every run a round trip.
    fn watch_blockers(&self, pid: Option<i32>) -> Option<BlockerWatch> {
        let (url, after) = self.settings.blocker_report.clone()?;
        Some(BlockerWatch::start(url, pid, after))
    }

    /// Runs a non-transactional step statement by statement, skipping the
    /// first `skip` (completed before an interruption). The log marks the
    /// step as under way with the number of statements completed, so that an
    /// interrupted step can be resumed after its last completed statement;
    /// a step whose first statement fails leaves no mark.
    async fn run_non_transactional(
        &self,
        conn: &mut PgConnection,
        s: &Session,
        step: &Step<'_>,
        skip: usize,
    ) -> Result<(), MigrateError> {
        let section = step.section().expect("validated");
        let id = &*step.revision.id;
        let checksum = step.revision.checksum_hex();
        let direction = step.direction.to_string();
        let mark = |done: usize| {
            s.table
                .log_started_sql(id, &checksum, &format!("{direction} {done}"))
        };
        conn.execute(AssertSqlSafe(mark(skip)))
            .await
            .map_err(db_error("marking a non-transactional revision as started"))?;
        let statements = split_statements(&section.sql);
        let total = statements.len();
        for (i, stmt) in statements.iter().enumerate().skip(skip) {
            if let Err(e) = (&mut *conn).execute(AssertSqlSafe(stmt.text)).await {
                if i == 0 {
                    // Nothing ran: the step is not interrupted, only failed.
                    let unmark = s
                        .table
                        .log_unmark_sql(id, step.direction == Direction::Upgrade);
                    let _ = conn.execute(AssertSqlSafe(unmark)).await;
                }
                let mut err = self.statement_error(step, section, &e, stmt, false);
                if let MigrateError::Statement(se) = &mut err {
                    if i > 0 {
                        se.statements_done = Some((i, total));
                    }
                    if let Some(rows) = self.read_rows(conn, s).await {
                        se.database_at = rows;
                    }
                }
                return Err(err);
            }
            if i + 1 < total {
                conn.execute(AssertSqlSafe(mark(i + 1)))
                    .await
                    .map_err(db_error(
                        "recording the progress of a non-transactional revision",
                    ))?;
            }
        }
        let record = record_step(&s.table, step, Some(s.key), &step_marker());
        if let Err(e) = (&mut *conn).execute(AssertSqlSafe(record)).await {
            return Err(self.record_failure(s, step, e));
        }
        Ok(())
    }

    /// Runs a Rust revision's function and records the step: inside a
    /// transaction of its own (with the DDL lock timeout, if any) unless the
    /// revision is non-transactional, the record committing with it.
    async fn run_code(
        &self,
        conn: &mut PgConnection,
        s: &Session,
        step: &Step<'_>,
        f: RevisionFn,
    ) -> Result<(), MigrateError> {
        let transactional = !step.revision.options.non_transactional;
        // The transaction starts in the same message that reads its id, to
        // tell afterwards whether the revision's code ended it (a `COMMIT` or
        // `ROLLBACK` of its own).
        let xid: Option<String> = if transactional {
            let lock_timeout = self
                .settings
                .ddl_lock_timeout
                .map(|t| format!(" SET LOCAL lock_timeout = {};", t.as_millis()))
                .unwrap_or_default();
            let begin = format!("BEGIN;{lock_timeout} SELECT txid_current()::text");
            let row = conn
                .fetch_one(AssertSqlSafe(begin))
                .await
                .map_err(db_error("starting the transaction of a Rust revision"))?;
            Some(row.get(0))
        } else {
            None
        };
        if let Err(source) = f(&mut *conn).await {
            if transactional {
                let _ = conn.execute("ROLLBACK").await;
            }
            let section = step.section().expect("validated");
            return Err(MigrateError::CodeFailed {
                revision: step.revision.id.to_string(),
                direction: step.direction,
                path: step.revision.path.to_string(),
                line: section.line,
                source,
                database_at: step.before.iter().map(|r| (*r).to_owned()).collect(),
                non_transactional: !transactional,
                applied: Vec::new(),
            });
        }
        if let Some(xid) = xid {
            if transaction_id_if_assigned(conn).await?.as_ref() != Some(&xid) {
                let _ = conn.execute("ROLLBACK").await;
                return Err(MigrateError::CodeEndedTransaction {
                    revision: step.revision.id.to_string(),
                    path: step.revision.path.to_string(),
                });
            }
        }
        let record = record_step(&s.table, step, Some(s.key), &step_marker());
        if let Err(e) = (&mut *conn).execute(AssertSqlSafe(record)).await {
            if transactional {
                let _ = conn.execute("ROLLBACK").await;
            }
            return Err(self.record_failure(s, step, e));
        }
        if transactional {
            conn.execute("COMMIT")
                .await
                .map_err(db_error("committing a Rust revision"))?;
        }
        Ok(())
    }

    /// The error of a step's record that failed with `e`.
    fn record_failure(&self, s: &Session, step: &Step<'_>, e: sqlx::Error) -> MigrateError {
        if has_marker(&e, LOCK_LOST_MARKER) {
            return MigrateError::LockLost {
                revision: step.revision.id.to_string(),
                path: step.revision.path.to_string(),
            };
        }
        let changed = has_marker(&e, TABLE_CHANGED_MARKER)
            || pg_error(&e)
                .is_some_and(|p| p.code() == "23505" && p.table() == Some(&*s.table.name));
        if changed {
            return MigrateError::VersionTableChanged {
                table: s.table.table(),
                revision: step.revision.id.to_string(),
                message: pg_error(&e).map_or_else(|| e.to_string(), |p| p.message().to_owned()),
            };
        }
        db_error("recording a revision in the version table")(e)
    }

    /// Runs the transactional steps `range` as [`pipeline_message`]s, each
    /// step in its own transaction, and adds each to `report` once its
    /// `COMMIT` has completed. The result is that of sending each step on
    /// its own: a syntax error (which makes the server reject a whole
    /// message before running any of it) in a later step leaves the steps
    /// before it applied, sent again without it; a step that gave up waiting
    /// for a table lock ([`Self::ddl_lock_timeout`]) is tried again.
    async fn run_pipeline(
        &self,
        conn: &mut PgConnection,
        s: &Session,
        steps: &[Step<'_>],
        range: std::ops::Range<usize>,
        report: &mut Report,
    ) -> Result<(), MigrateError> {
        let mut start = range.start;
        let mut end = range.end;
        let mut retries = 0u32;
        // A syntax error found in a message over `start..end`, reported once
        // the steps before it are applied.
        let mut deferred: Option<(PipelineFailure, std::ops::Range<usize>)> = None;
        loop {
            let failure = match self.send_pipeline(conn, s, steps, start..end, report).await {
                Ok(()) => match deferred {
                    None => return Ok(()),
                    Some((failure, range)) => {
                        return Err(self.pipeline_error(conn, s, steps, range, failure).await)
                    }
                },
                Err(f) => f,
            };
            if deferred.is_some() {
                // A step before the syntax error failed on its own: that
                // failure comes first.
                return Err(self
                    .pipeline_error(conn, s, steps, start..end, failure)
                    .await);
            }
            if failure.nothing_ran {
                if let Some(k) = failure
                    .located
                    .map(|(k, _)| start + k)
                    .filter(|&k| k > start)
                {
                    // Nothing ran: send the steps before the faulty one
                    // alone, then report the faulty one.
                    deferred = Some((failure, start..end));
                    end = k;
                    continue;
                }
            }
            if failure.lock_timeout && retries < self.settings.ddl_retries {
                retries += 1;
                let k = failure.failed(start, end);
                let wait = Duration::from_secs((1u64 << (retries - 1).min(5)).min(30));
                tracing::warn!(
                    "revision {} gave up waiting for a table lock (try {retries} of {}); trying again in {} s",
                    steps[k].revision.id,
                    self.settings.ddl_retries + 1,
                    wait.as_secs()
                );
                tokio::time::sleep(wait).await;
                start = k;
                continue;
            }
            return Err(self
                .pipeline_error(conn, s, steps, start..end, failure)
                .await);
        }
    }

    /// Sends the steps `range` as one [`pipeline_message`] and reads its
    /// replies; on failure, rolls back what is open and says where it stopped.
    async fn send_pipeline(
        &self,
        conn: &mut PgConnection,
        s: &Session,
        steps: &[Step<'_>],
        range: std::ops::Range<usize>,
        report: &mut Report,
    ) -> Result<(), PipelineFailure> {
        use futures_util::StreamExt;

        if range.len() > 1 {
            tracing::info!("{}", pipeline_title(&steps[range.clone()]));
        }
        let marker = step_marker();
        let prepared = match worth_preparing(&steps[range.clone()]) {
            Some(direction) => {
                let name = format!(
                    "schema_migrations_record_{}_{}",
                    std::process::id(),
                    PREPARED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                );
                if let Err(e) = (&mut *conn)
                    .execute(AssertSqlSafe(prepare_sql(
                        &s.table,
                        &name,
                        direction,
                        Some(s.key),
                        &marker,
                    )))
                    .await
                {
                    return Err(PipelineFailure::before(range.start, e));
                }
                Some(name)
            }
            None => None,
        };
        let mut batch = pipeline_message(
            &s.table,
            &steps[range.clone()],
            PipelineOptions {
                prepared: prepared.as_deref(),
                lock_key: Some(s.key),
                ddl_lock_timeout_ms: self.settings.ddl_lock_timeout.map(|d| d.as_millis() as u64),
                marker: &marker,
            },
        );
        let mut replies = PipelineReplies::default();
        let mut failure = None;
        {
            let mut stream =
                (&mut *conn).fetch_many(AssertSqlSafe(std::mem::take(&mut batch.text)));
            while let Some(item) = stream.next().await {
                let event = match item {
                    Ok(Either::Right(row))
                        if row.columns().first().map(|c| c.name()) == Some(&*marker) =>
                    {
                        Reply::Marker(row.try_get::<Option<i64>, _>(0).ok().flatten().unwrap_or(0))
                    }
                    Ok(Either::Right(_)) => Reply::Row,
                    Ok(Either::Left(_)) => Reply::Done,
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                };
                if let Some(duration) = replies.on(event) {
                    if range.start + replies.confirmed <= range.end {
                        finish_step(
                            report,
                            &steps[range.start + replies.confirmed - 1],
                            duration,
                        );
                    }
                }
            }
        }
        let Some(e) = failure else {
            return Ok(());
        };
        let _ = (&mut *conn).execute("ROLLBACK").await;
        if let Some(name) = &prepared {
            let _ = (&mut *conn)
                .execute(AssertSqlSafe(format!("DEALLOCATE {name}")))
                .await;
        }
        let located = server_position(&e).and_then(|p| batch.locate(p));
        let statement = if pg_error(&e).is_some() && located.is_none() {
            batch.failed_statement(&steps[range.clone()], replies.results)
        } else {
            None
        };
        Err(PipelineFailure {
            nothing_ran: replies.results == 0 && replies.rows == 0 && pg_error(&e).is_some(),
            lock_timeout: pg_error(&e).is_some_and(|p| p.code() == "55P03"),
            confirmed: range.start + replies.confirmed,
            located,
            statement,
            error: e,
        })
    }

    /// The error of a failed pipeline over `range`: which step failed, where
    /// in its file, and where the database stands. The step is named by the
    /// server's position, else by the statements it completed; the version
    /// table read back says which steps committed.
    async fn pipeline_error(
        &self,
        conn: &mut PgConnection,
        s: &Session,
        steps: &[Step<'_>],
        range: std::ops::Range<usize>,
        f: PipelineFailure,
    ) -> MigrateError {
        let rows = self.read_rows(conn, s).await;
        let by_rows = rows
            .as_ref()
            .and_then(|rows| range.clone().find(|&k| same_rows(&steps[k].before, rows)));
        let failed = f
            .named_step(range.start)
            .or(by_rows)
            .unwrap_or(f.confirmed.min(range.end - 1));
        let step = &steps[failed];
        if matches!(f.statement, Some(FailedStatement::Other(Piece::Record(_)))) {
            return self.record_failure(s, step, f.error);
        }
        let position = f
            .located
            .filter(|(k, _)| range.start + k == failed)
            .map(|(_, p)| p);
        let mut err = self.located_error(step, &f.error, position, f.statement, false);
        if let MigrateError::Statement(se) = &mut err {
            match rows {
                Some(rows) => se.database_at = rows,
                None => se.database_at_confirmed = false,
            }
        }
        err
    }

    /// The rows of the version table, in the order of the chain; `None`
    /// when they cannot be read (the connection is gone).
    async fn read_rows(&self, conn: &mut PgConnection, s: &Session) -> Option<Vec<String>> {
        let sql = format!("SELECT version_num::text FROM {}", s.table.table());
        let mut rows: Vec<String> = sqlx::query_scalar(AssertSqlSafe(sql))
            .fetch_all(&mut *conn)
            .await
            .ok()?;
        rows.sort_by_key(|r| self.set.position(r));
        Some(rows)
    }

    /// A single-transaction run in two messages: every section, with a
    /// marker row after each (see [`batch_message`]); then the version table,
    /// the log and `COMMIT`. Returns each step's duration, as the server's
    /// clock measured it.
    async fn run_batch(
        &self,
        conn: &mut PgConnection,
        s: &Session,
        steps: &[Step<'_>],
        rows: &[&str],
    ) -> Result<Vec<Duration>, MigrateError> {
        use futures_util::StreamExt;

        let marker = step_marker();
        let mut batch = batch_message(steps, &marker);
        let mut marks: Vec<i64> = Vec::with_capacity(steps.len() + 1);
        let mut completed = 0usize;
        let mut failure = None;
        {
            let mut stream =
                (&mut *conn).fetch_many(AssertSqlSafe(std::mem::take(&mut batch.text)));
            while let Some(item) = stream.next().await {
                match item {
                    Ok(Either::Right(row)) => {
                        if row.columns().first().map(|c| c.name()) == Some(&*marker) {
                            marks.push(
                                row.try_get(0)
                                    .map_err(db_error("reading the progress of a run"))?,
                            );
                        }
                    }
                    Ok(Either::Left(_)) => completed += 1,
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                }
            }
        }
        if let Some(e) = failure {
            let _ = (&mut *conn).execute("ROLLBACK").await;
            // A syntax error stops the message before anything runs, and its
            // position names the section; other errors are located by the
            // statements completed before them.
            let located = server_position(&e).and_then(|p| batch.locate(p));
            let statement = located
                .is_none()
                .then(|| batch.failed_statement(steps, completed))
                .flatten();
            let failed = match (located, statement) {
                (Some((i, _)), _) => i,
                (_, Some(FailedStatement::Section { step, .. })) => step,
                _ => marks.len().saturating_sub(1).min(steps.len() - 1),
            };
            let step = &steps[failed];
            let mut err = self.located_error(step, &e, located.map(|(_, p)| p), statement, true);
            if let MigrateError::Statement(se) = &mut err {
                se.database_at = steps[0].before.iter().map(|r| (*r).to_owned()).collect();
            }
            return Err(err);
        }
        let durations: Vec<i64> = marks.windows(2).map(|w| w[1] - w[0]).collect();
        let ms: Vec<i64> = durations.iter().map(|us| us / 1000).collect();
        let record = batch_record_sql(&s.table, steps, rows, &ms, Some(s.key));
        if let Err(e) = (&mut *conn).execute(AssertSqlSafe(record)).await {
            let _ = (&mut *conn).execute("ROLLBACK").await;
            let last = steps.last().expect("steps");
            return Err(match self.record_failure(s, last, e) {
                MigrateError::Database { source, .. } => MigrateError::Database {
                    context: "committing the run (a deferred constraint, or the version table)",
                    source,
                },
                other => other,
            });
        }
        Ok(durations
            .iter()
            .map(|us| Duration::from_micros((*us).max(0) as u64))
            .collect())
    }

    /// The error of `step`, which failed with `e`: at `position` in its
    /// section when the server gave one, else at the statement the server
    /// was running (`statement`), else at its `COMMIT` or its first line.
    fn located_error(
        &self,
        step: &Step<'_>,
        e: &sqlx::Error,
        position: Option<usize>,
        statement: Option<FailedStatement>,
        single: bool,
    ) -> MigrateError {
        let section = step.section().expect("validated");
        match (position, statement) {
            (Some(p), _) => self.statement_error_at(step, section, e, p, single, Located::Position),
            (
                _,
                Some(FailedStatement::Section {
                    offset,
                    first_token,
                    ..
                }),
            ) => {
                let stmt = Statement {
                    text: &section.sql[offset..],
                    offset,
                    first_token,
                };
                self.statement_error(step, section, e, &stmt, single)
            }
            (_, Some(FailedStatement::Other(Piece::Commit(_)))) => {
                self.statement_error_at(step, section, e, 1, single, Located::Commit)
            }
            _ => self.statement_error_at(step, section, e, 1, single, Located::Unknown),
        }
    }

    /// An error in statement `stmt` of the section: at the server's position
    /// within the statement if it gave one, else inside the function or `DO`
    /// body the server's `CONTEXT` names, else at the statement's first token.
    fn statement_error(
        &self,
        step: &Step<'_>,
        section: &Section,
        e: &sqlx::Error,
        stmt: &Statement<'_>,
        single: bool,
    ) -> MigrateError {
        let chars_before = |byte: usize| section.sql[..byte].chars().count();
        if let Some(p) = server_position(e) {
            let pos = chars_before(stmt.offset) + p;
            return self.statement_error_at(step, section, e, pos, single, Located::Position);
        }
        if let Some(byte) = pg_error(e).and_then(|p| body_position(&section.sql, stmt.offset, p)) {
            let pos = chars_before(byte) + 1;
            return self.statement_error_at(step, section, e, pos, single, Located::Body);
        }
        let pos = chars_before(stmt.first_token) + 1;
        self.statement_error_at(step, section, e, pos, single, Located::Statement)
    }

    /// An error at 1-based character `position` of the section.
    fn statement_error_at(
        &self,
        step: &Step<'_>,
        section: &Section,
        e: &sqlx::Error,
        position: usize,
        single: bool,
        located: Located,
    ) -> MigrateError {
        // A position past the section's last statement (a syntax error at
        // the `;` that ends it) points just after its last character.
        let position = position.min(schema_core::sql::char_len(section.sql.trim_end()) + 1);
        let (line0, column) = line_col(&section.sql, position);
        let source_line = section
            .sql
            .lines()
            .nth(line0 as usize)
            .map(|l| l.trim_end().to_owned());
        let (message, code, detail, hint, server_fields) = match pg_error(e) {
            Some(pg) => {
                let mut fields = Vec::new();
                let mut add = |name: &'static str, v: Option<&str>| {
                    if let Some(v) = v.filter(|v| !v.is_empty()) {
                        fields.push((name, v.to_owned()));
                    }
                };
                add("context", pg.r#where());
                add("schema", pg.schema());
                add("table", pg.table());
                add("column", pg.column());
                add("data type", pg.data_type());
                add("constraint", pg.constraint());
                (
                    pg.message().to_owned(),
                    pg.code().to_owned(),
                    pg.detail().map(str::to_owned),
                    pg.hint().map(str::to_owned),
                    fields,
                )
            }
            None => match e {
                sqlx::Error::Database(d) => (
                    d.message().to_owned(),
                    d.code().unwrap_or_default().to_string(),
                    None,
                    None,
                    Vec::new(),
                ),
                other => (other.to_string(), String::new(), None, None, Vec::new()),
            },
        };
        MigrateError::Statement(Box::new(StatementError {
            revision: step.revision.id.to_string(),
            direction: step.direction,
            path: step.revision.path.to_string(),
            line: section.line + line0,
            column,
            source_line,
            message,
            code,
            detail,
            hint,
            database_at: step.before.iter().map(|r| (*r).to_owned()).collect(),
            database_at_confirmed: true,
            whole_run_rolled_back: single,
            located,
            server_fields,
            statements_done: None,
            applied: Vec::new(),
        }))
    }
}

/// The id of the connection's transaction, if it has one (simple protocol:
/// nothing is prepared on the connection).
async fn transaction_id_if_assigned(
    conn: &mut PgConnection,
) -> Result<Option<String>, MigrateError> {
    let row = conn
        .fetch_one("SELECT txid_current_if_assigned()::text")
        .await
        .map_err(db_error("reading the transaction of a Rust revision"))?;
    Ok(row.get(0))
}

/// A run on one connection: the [`Database`] seam for PostgreSQL.
pub(crate) struct PgRun<'c, 'm> {
    pg: Postgres<'m>,
    conn: &'c mut PgConnection,
    session: Option<Session>,
    watch: Option<BlockerWatch>,
}

impl<'c, 'm> PgRun<'c, 'm> {
    /// A run of `pg` on `conn`; nothing is sent before [`Database::lock`].
    pub(crate) fn new(pg: Postgres<'m>, conn: &'c mut PgConnection) -> Self {
        PgRun {
            pg,
            conn,
            session: None,
            watch: None,
        }
    }

    fn session(&self) -> Session {
        self.session.clone().expect("locked before use")
    }
}

impl Database for PgRun<'_, '_> {
    async fn lock(
        &mut self,
        whole_log: bool,
        guard: bool,
        release_if: Option<(Vec<String>, String)>,
    ) -> Result<(DatabaseState, Option<String>), MigrateError> {
        let release_if = release_if.as_ref().map(|(r, d)| (&r[..], d.as_str()));
        let (state, digest, session) = self
            .pg
            .lock(self.conn, whole_log, guard, release_if)
            .await?;
        if !session.released {
            self.watch = self.pg.watch_blockers(Some(session.pid));
        }
        self.session = Some(session);
        Ok((state, digest))
    }

    async fn unlock(&mut self) {
        self.watch = None;
        if let Some(s) = self.session.take() {
            self.pg.unlock(self.conn, &s).await;
        }
    }

    async fn read_log(&mut self) -> Result<Vec<AppliedRow>, MigrateError> {
        let s = self.session();
        self.pg.read_log(self.conn, &s).await
    }

    async fn clear_marks(&mut self) -> Result<(), MigrateError> {
        let s = self.session();
        self.conn
            .execute(AssertSqlSafe(s.table.clear_marks_sql()))
            .await
            .map_err(db_error("clearing the interruption mark"))?;
        Ok(())
    }

    async fn run_single(
        &mut self,
        steps: &[Step<'_>],
        rows: &[&str],
    ) -> Result<Vec<Duration>, MigrateError> {
        let s = self.session();
        self.pg.run_batch(self.conn, &s, steps, rows).await
    }

    async fn run_transactional(
        &mut self,
        steps: &[Step<'_>],
        range: std::ops::Range<usize>,
        report: &mut Report,
    ) -> Result<(), MigrateError> {
        let s = self.session();
        self.pg
            .run_pipeline(self.conn, &s, steps, range, report)
            .await
    }

    async fn run_non_transactional(
        &mut self,
        step: &Step<'_>,
        skip: usize,
    ) -> Result<(), MigrateError> {
        let s = self.session();
        self.pg
            .run_non_transactional(self.conn, &s, step, skip)
            .await
    }

    async fn run_code(&mut self, step: &Step<'_>, f: RevisionFn) -> Result<(), MigrateError> {
        let s = self.session();
        self.pg.run_code(self.conn, &s, step, f).await
    }

    async fn stamp(&mut self, change: &StampChange<'_>) -> Result<(), MigrateError> {
        let s = self.session();
        let sql = offline::stamp_sql(&s.table, change);
        if let Err(e) = (&mut *self.conn).execute(AssertSqlSafe(sql)).await {
            let _ = (&mut *self.conn).execute("ROLLBACK").await;
            return Err(db_error("stamping")(e));
        }
        Ok(())
    }
}

/// Reports who blocks a server process, every so often, until dropped.
struct BlockerWatch(tokio::task::JoinHandle<()>);

impl BlockerWatch {
    fn start(url: String, pid: Option<i32>, every: Duration) -> Self {
        BlockerWatch(tokio::spawn(async move {
            tokio::time::sleep(every).await;
            let Ok(mut conn) = connect(&url).await else {
                return;
            };
            loop {
                let rows: Vec<(i32, String, String, f64)> = sqlx::query_as(
                    "SELECT b.pid, b.application_name::text, coalesce(b.query, '')::text, \
                     coalesce(extract(epoch FROM now() - coalesce(b.xact_start, b.query_start)), 0)::float8 \
                     FROM pg_stat_activity b WHERE b.pid IN (SELECT unnest(pg_blocking_pids(w.pid)) \
                     FROM pg_stat_activity w WHERE w.pid = $1 OR ($1 IS NULL AND w.datname = current_database() \
                     AND w.wait_event = 'advisory' AND w.query LIKE $2)) ORDER BY b.pid",
                )
                .bind(pid)
                .bind(format!("{}%", LOCK_MESSAGE_START.replace('_', "\\_")))
                .fetch_all(&mut conn)
                .await
                .unwrap_or_default();
                for (blocker, app, query, secs) in rows {
                    let first = query.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                    tracing::warn!(
                        "waiting for a lock held by pid {blocker} ({}) for {secs:.0} s: {}",
                        if app.is_empty() {
                            "no application name"
                        } else {
                            &app
                        },
                        first.chars().take(100).collect::<String>()
                    );
                }
                tokio::time::sleep(every).await;
            }
        }))
    }
}

impl Drop for BlockerWatch {
    fn drop(&mut self) {
        self.0.abort();
    }
}
