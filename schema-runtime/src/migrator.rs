//! Applying, reverting and inspecting a revision chain on PostgreSQL.
//!
//! A run is: one message that takes the advisory lock, creates the version
//! tables if needed and reads the database's state (with a digest of the log
//! rather than the log); then one message holding every revision, each in its
//! own transaction with its version-table update (after one that prepares
//! the statement recording each revision, when that pays; a non-transactional
//! revision runs on its own, statement by statement), or, in
//! single-transaction mode, one message with every section and one with the
//! bookkeeping and `COMMIT`; then the unlock. The lock key comes from the version table's
//! qualified name, so concurrent deploys of the same application serialise and
//! the later ones find nothing left to do.

use std::time::{Duration, Instant};

use schema_core::sql::{line_col, split_statements, Statement};
use schema_core::{
    Applied, MigrationSet, Range, ResolveError, Revision, Section, StateError, Target,
};
use sqlx::postgres::{PgConnectOptions, PgDatabaseError, PgErrorPosition};
use sqlx::{Column, ConnectOptions, Connection, Either, Executor, PgConnection, Row};

use crate::error::{Drift, Located, MigrateError, StatementError};
pub use crate::script::rows_text;
use crate::script::{
    batch_message, batch_record_sql, offline_script, pipeline_message, pipeline_title, plan,
    prepare_sql, record_step, step_endpoints, step_marker, worth_preparing, Batch, Direction, FailedStatement,
    Piece, PipelineOptions, Step, TransactionMode,
};
use crate::url;
use crate::version_table::{
    log_digest, VersionTable, EXISTING_SCHEMA_MARKER, LOCK_LOST_MARKER,
    NO_SCHEMA_MARKER, SESSION_MARKER, TABLE_CHANGED_MARKER,
};

/// Numbers the statements pipelines prepare, so that no two runs on one
/// connection use the same name.
static PREPARED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// Connects to `url` with statement logging off (revision SQL never floods the
/// logs) and any password kept out of the error.
pub async fn connect(database_url: &str) -> Result<PgConnection, MigrateError> {
    let fail = |e: &dyn std::fmt::Display| MigrateError::Connect {
        url: url::redact(database_url),
        message: url::scrub(&e.to_string(), database_url),
    };
    let opts: PgConnectOptions = database_url.parse().map_err(|e| fail(&e))?;
    opts.application_name("schema-migrations")
        .disable_statement_logging()
        .connect()
        .await
        .map_err(|e| fail(&e))
}

/// A revision recorded in the log table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppliedRow {
    /// The revision id.
    pub id: String,
    /// The checksum recorded when it was applied (`None` when stamped by Alembic).
    pub checksum: Option<String>,
    /// When it was applied, as the server prints a `timestamptz`.
    pub applied_at: Option<String>,
    /// How long it took.
    pub duration_ms: Option<i64>,
    /// `upgrade` or `downgrade` while a non-transactional step of this
    /// revision is under way or was interrupted; `None` otherwise.
    pub in_progress: Option<String>,
}

/// What the version table and its log say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatabaseState {
    /// The rows of the version table: none at base, one on a linear history,
    /// one per unmerged branch top below a merge point.
    pub current: Vec<String>,
    /// The rows of the log.
    pub applied: Vec<AppliedRow>,
}

/// One revision run by a migrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepReport {
    /// The revision id.
    pub id: String,
    /// Its message.
    pub message: String,
    /// How long it took, as the client measured it.
    pub duration: Duration,
}

/// What a run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Which way it went.
    pub direction: Direction,
    /// The version table before the run (empty: base).
    pub from: Vec<String>,
    /// The version table after the run.
    pub to: Vec<String>,
    /// The revisions run, in order; empty when there was nothing to do.
    pub steps: Vec<StepReport>,
}

/// One line of `history`: a revision and whether the database has it.
#[derive(Debug, Clone)]
pub struct HistoryEntry<'a> {
    /// The revision.
    pub revision: &'a Revision,
    /// Whether it is applied.
    pub applied: bool,
    /// Whether it is one of the database's current revisions (a version-table row).
    pub current: bool,
    /// Its log row, if any.
    pub log: Option<AppliedRow>,
    /// Whether the recorded checksum still matches the file (`None`: nothing recorded).
    pub checksum_matches: Option<bool>,
}

/// Applies a [`MigrationSet`] to PostgreSQL.
#[derive(Debug, Clone)]
pub struct Migrator {
    set: MigrationSet,
    table: VersionTable,
    mode: TransactionMode,
    lock_timeout: Duration,
    allow_drift: bool,
    resume_interrupted: bool,
    allow_existing_schema: bool,
    ddl_lock_timeout: Option<Duration>,
    ddl_retries: u32,
    blocker_report: Option<(String, Duration)>,
}

/// What a run learnt when it took the lock: the version table it resolved
/// (schema-qualified, used by every later statement), the lock's key and the
/// server process of the connection.
#[derive(Debug, Clone)]
struct Session {
    table: VersionTable,
    key: i64,
    pid: i32,
}

/// Where a run resumes a non-transactional revision interrupted part way:
/// the revision, the direction, and how many of its statements completed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Resume {
    id: String,
    direction: String,
    done: usize,
}

/// `in_progress` of a log row: `upgrade` or `downgrade`, then how many
/// statements completed (absent in marks written before counts were kept).
fn parse_progress(mark: &str) -> (String, Option<usize>) {
    let mut parts = mark.split_whitespace();
    let direction = parts.next().unwrap_or_default().to_owned();
    (direction, parts.next().and_then(|n| n.parse().ok()))
}

fn db_error(context: &'static str) -> impl Fn(sqlx::Error) -> MigrateError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.code().as_deref() == Some("55P03") => {
            MigrateError::LockTimeout { waited_ms: 0 }
        }
        _ => MigrateError::Database {
            context,
            message: e.to_string(),
        },
    }
}

/// The server's error, if `e` is one.
fn pg_error(e: &sqlx::Error) -> Option<&PgDatabaseError> {
    match e {
        sqlx::Error::Database(d) => d.try_downcast_ref::<PgDatabaseError>(),
        _ => None,
    }
}

/// Whether `e` is the server's error whose message contains `marker`.
fn has_marker(e: &sqlx::Error, marker: &str) -> bool {
    pg_error(e).is_some_and(|p| p.message().contains(marker))
}

impl Migrator {
    /// A migrator for `set` (the `SET` of `migrations!()`, or a loaded set),
    /// with the defaults: version table `alembic_version` on the search path,
    /// one transaction per revision, a 60 s lock wait, drift refused, an
    /// existing schema without a version table refused.
    pub fn new(set: &MigrationSet) -> Self {
        Migrator {
            set: set.indexed().clone(),
            table: VersionTable::default(),
            mode: TransactionMode::default(),
            lock_timeout: Duration::from_secs(60),
            allow_drift: false,
            resume_interrupted: false,
            allow_existing_schema: false,
            ddl_lock_timeout: None,
            ddl_retries: 0,
            blocker_report: None,
        }
    }

    /// Loads and checks a directory at run time (the same check as the macro).
    pub fn load(dir: &std::path::Path, display_dir: &str) -> Result<Self, MigrateError> {
        Ok(Migrator::new(&schema_core::load_dir(dir, display_dir)?))
    }

    /// The version table's name (the log table is `<name>_log`).
    pub fn table_name(mut self, name: impl Into<String>) -> Self {
        self.table.name = name.into();
        self
    }

    /// The version table's schema (created if missing).
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.table.schema = Some(schema.into());
        self
    }

    /// How revisions are grouped into transactions.
    pub fn transaction_mode(mut self, mode: TransactionMode) -> Self {
        self.mode = mode;
        self
    }

    /// How long to wait for another migrator's lock.
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.lock_timeout = timeout;
        self
    }

    /// Accept applied revisions whose file changed (or disappeared).
    pub fn allow_drift(mut self, allow: bool) -> Self {
        self.allow_drift = allow;
        self
    }

    /// Run even though a non-transactional revision was interrupted part way
    /// (after the user has checked the database): the run continues that
    /// revision after its last completed statement.
    pub fn resume_interrupted(mut self, resume: bool) -> Self {
        self.resume_interrupted = resume;
        self
    }

    /// Upgrade a database that has no version table although it holds
    /// tables (refused by default: another tool built it, and `stamp` is
    /// usually what is wanted).
    pub fn allow_existing_schema(mut self, allow: bool) -> Self {
        self.allow_existing_schema = allow;
        self
    }

    /// A `lock_timeout` for the statements of each transactional revision:
    /// a revision that waits longer for a table lock is rolled back (and
    /// retried, see [`Self::ddl_retries`]) instead of making every later
    /// query on that table queue behind it.
    pub fn ddl_lock_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.ddl_lock_timeout = timeout;
        self
    }

    /// How many times a revision that hit the [`Self::ddl_lock_timeout`] is
    /// tried again (after 1 s, 2 s, 4 s, ... at most 30 s apart).
    pub fn ddl_retries(mut self, retries: u32) -> Self {
        self.ddl_retries = retries;
        self
    }

    /// Report, every `after`, who blocks a run that waits for a lock (pid,
    /// application, the start of its query, for how long), through a second
    /// connection to `database_url`.
    pub fn report_blockers(mut self, database_url: impl Into<String>, after: Duration) -> Self {
        self.blocker_report = Some((database_url.into(), after));
        self
    }

    /// The chain.
    pub fn set(&self) -> &MigrationSet {
        &self.set
    }

    /// The version table.
    pub fn version_table(&self) -> &VersionTable {
        &self.table
    }

    /// The heads of the graph (one, for a checked set).
    pub fn heads(&self) -> Vec<&Revision> {
        self.set
            .heads()
            .into_iter()
            .map(|i| &self.set.revisions()[i])
            .collect()
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
    pub async fn probe(&self, conn: &mut PgConnection) -> Result<Probe, MigrateError> {
        let row = (&mut *conn)
            .fetch_one(self.table.probe_sql().as_str())
            .await
            .map_err(db_error("looking for the version table"))?;
        let get_err = db_error("looking for the version table");
        let schema: Option<String> = row.try_get(0).map_err(&get_err)?;
        Ok(Probe {
            table: schema.map(|s| VersionTable {
                schema: Some(s),
                name: self.table.name.clone(),
            }),
            has_table: row.try_get(1).map_err(&get_err)?,
            has_log: row.try_get(2).map_err(&get_err)?,
            other_tables: row.try_get(3).map_err(&get_err)?,
        })
    }

    /// Reads the state without locking or creating anything: empty when the
    /// version table does not exist yet; the version table alone when it has
    /// no log (a database Alembic manages).
    pub async fn state(&self, conn: &mut PgConnection) -> Result<DatabaseState, MigrateError> {
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
            .fetch_all(sql.as_str())
            .await
            .map_err(db_error("reading the version table"))?;
        Ok(self.in_chain_order(Self::parse_state(&rows)?.0))
    }

    /// The state with its version-table rows in the order of the chain (rows
    /// this build does not know first), whatever order the server returned.
    fn in_chain_order(&self, mut state: DatabaseState) -> DatabaseState {
        state.current.sort_by_key(|r| self.set.position(r));
        state
    }

    /// Reads every row of the log.
    async fn read_log(
        &self,
        conn: &mut PgConnection,
        s: &Session,
    ) -> Result<Vec<AppliedRow>, MigrateError> {
        let rows = (&mut *conn)
            .fetch_all(s.table.log_sql().as_str())
            .await
            .map_err(db_error("reading the version table"))?;
        Ok(Self::parse_state(&rows)?.0.applied)
    }

    /// The revisions the state stands for: the version-table rows and
    /// everything below them.
    pub fn applied(&self, state: &DatabaseState) -> Result<Applied, MigrateError> {
        if state.current.is_empty() {
            return Ok(Applied::none(&self.set));
        }
        self.set
            .applied_from_rows(&state.current)
            .map_err(|e| match e {
                StateError::Unknown { id } => MigrateError::UnknownDatabaseRevision {
                    id,
                    head: self.set.head().id.to_string(),
                },
                StateError::Redundant { below, above } => MigrateError::ImpossibleState {
                    table: self.table.table(),
                    rows: state.current.clone(),
                    below,
                    above,
                },
            })
    }

    /// The version-table rows of an applied set.
    fn rows_of(&self, applied: &Applied) -> Vec<String> {
        self.set
            .row_ids(applied)
            .into_iter()
            .map(str::to_owned)
            .collect()
    }

    /// The database's current revision(s), as the version table says.
    pub async fn current(&self, conn: &mut PgConnection) -> Result<DatabaseState, MigrateError> {
        self.state(conn).await
    }

    /// Every revision, base first, with what the database knows of it.
    pub async fn history(
        &self,
        conn: &mut PgConnection,
    ) -> Result<Vec<HistoryEntry<'_>>, MigrateError> {
        let state = self.state(conn).await?;
        // The same reading of the version table as a run's: a row this
        // build does not know, or an impossible set of rows, is an error.
        let applied = self.applied(&state)?;
        let rows = self.set.rows(&applied);
        Ok(self
            .set
            .revisions()
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let log = state.applied.iter().find(|a| a.id == r.id).cloned();
                let checksum_matches = log
                    .as_ref()
                    .and_then(|l| l.checksum.as_ref())
                    .map(|c| *c == r.checksum_hex());
                HistoryEntry {
                    revision: r,
                    applied: applied.contains(i),
                    current: rows.contains(&i),
                    log,
                    checksum_matches,
                }
            })
            .collect())
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
    ) -> Result<(DatabaseState, Option<String>, Session), MigrateError> {
        let sql = self.table.lock_message(
            self.lock_timeout.as_millis().max(1),
            guard && !self.allow_existing_schema,
            whole_log,
        );
        let started = Instant::now();
        let watcher = self.watch_blockers(conn, None).await;
        let result = (&mut *conn).fetch_all(sql.as_str()).await;
        drop(watcher);
        let rows = match result {
            Ok(rows) => rows,
            Err(e) => {
                // The lock may have been taken before a later statement
                // failed; a session lock outlives the error, so release it.
                let _ = (&mut *conn)
                    .execute(self.table.unlock_after_failure_sql().as_str())
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
                            name: self.table.name.clone(),
                        },
                        key: r.try_get(1)?,
                        pid: r.try_get(2)?,
                    },
                    r.try_get(3)?,
                ))
            })
            .transpose()
            .map_err(db_error("taking the migration lock"))?;
        let Some((session, listening)) = session else {
            return Err(MigrateError::Database {
                context: "taking the migration lock",
                message: "the server did not return the session row".to_owned(),
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
        if has_marker(&e, EXISTING_SCHEMA_MARKER) {
            return MigrateError::ExistingSchema {
                table: self.table.table(),
                tables: pg.and_then(|p| p.detail()).unwrap_or("tables").to_owned(),
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
        let sql = VersionTable::unlock_sql(s.key);
        if let Err(e) = (&mut *conn).execute(sql.as_str()).await {
            tracing::warn!("releasing the migration lock failed (it is released when the connection closes): {e}");
        }
    }

    /// Starts reporting who blocks the connection's server process, when a
    /// URL was given; the report stops when the returned guard is dropped.
    async fn watch_blockers(
        &self,
        conn: &mut PgConnection,
        pid: Option<i32>,
    ) -> Option<BlockerWatch> {
        let (url, after) = self.blocker_report.clone()?;
        let pid: i32 = match pid {
            Some(pid) => pid,
            None => sqlx::query_scalar("SELECT pg_backend_pid()")
                .fetch_one(&mut *conn)
                .await
                .ok()?,
        };
        Some(BlockerWatch::start(url, pid, after))
    }

    /// The interrupted non-transactional step to resume, if any; refuses to
    /// run over one unless the user resumes.
    fn check_interrupted(&self, state: &DatabaseState) -> Result<Option<Resume>, MigrateError> {
        let Some(row) = state.applied.iter().find(|a| a.in_progress.is_some()) else {
            return Ok(None);
        };
        let (direction, done) = parse_progress(row.in_progress.as_deref().unwrap_or(""));
        let revision = self.set.get(&row.id);
        if self.resume_interrupted {
            tracing::warn!(
                "resuming the interrupted {direction} of {} after statement {}",
                row.id,
                done.unwrap_or(0)
            );
            return Ok(Some(Resume {
                id: row.id.clone(),
                direction,
                done: done.unwrap_or(0),
            }));
        }
        let total = revision.and_then(|r| {
            let section = if direction == "downgrade" {
                r.downgrade.as_ref()
            } else {
                Some(&r.upgrade)
            };
            section.map(|s| split_statements(&s.sql).len())
        });
        Err(MigrateError::Interrupted {
            revision: row.id.clone(),
            path: revision.map_or_else(|| "<not in this build>".to_owned(), |r| r.path.to_string()),
            direction,
            progress: match (done, total) {
                (Some(d), Some(t)) => format!("{d} of its {t} statements completed"),
                _ => "some of its statements may have run and others not".to_owned(),
            },
        })
    }

    /// The digest of the log when it holds exactly `applied`, each with the
    /// checksum embedded in this build.
    fn expected_log_digest(&self, applied: &Applied) -> String {
        let revs = self.set.revisions();
        log_digest(
            applied
                .positions()
                .map(|p| (&*revs[p].id, revs[p].checksum_hex())),
        )
    }

    fn check_drift(&self, state: &DatabaseState, applied: &Applied) -> Result<(), MigrateError> {
        if self.allow_drift {
            return Ok(());
        }
        let mut drift = Vec::new();
        let mut missing = Vec::new();
        for row in &state.applied {
            match self.set.position(&row.id) {
                Some(p) if applied.contains(p) => {
                    let r = &self.set.revisions()[p];
                    if let Some(recorded) = &row.checksum {
                        if *recorded != r.checksum_hex() {
                            drift.push(Drift {
                                revision: r.id.to_string(),
                                path: r.path.to_string(),
                                recorded: recorded.clone(),
                                embedded: r.checksum_hex(),
                            });
                        }
                    }
                }
                Some(_) => {}
                None => missing.push(row.id.clone()),
            }
        }
        if !missing.is_empty() {
            return Err(MigrateError::MissingRevisions { ids: missing });
        }
        if !drift.is_empty() {
            return Err(MigrateError::Drift { drift });
        }
        Ok(())
    }

    fn validate_steps(
        &self,
        steps: &[Step<'_>],
        mode: TransactionMode,
    ) -> Result<(), MigrateError> {
        for step in steps {
            if step.direction == Direction::Downgrade && step.revision.downgrade.is_none() {
                return Err(MigrateError::Irreversible {
                    revision: step.revision.id.to_string(),
                    path: step.revision.path.to_string(),
                });
            }
            if mode == TransactionMode::Single && step.revision.options.non_transactional {
                return Err(MigrateError::NonTransactionalInSingle {
                    revision: step.revision.id.to_string(),
                    path: step.revision.path.to_string(),
                });
            }
        }
        Ok(())
    }

    fn target_state(
        &self,
        direction: Direction,
        target: &Target,
        applied: &Applied,
    ) -> Result<Applied, MigrateError> {
        target
            .resolve(&self.set, direction, applied)
            .map_err(|e| match e {
                ResolveError::WrongDirection { target, direction } => {
                    MigrateError::WrongDirection {
                        direction,
                        target,
                        current: self.rows_of(applied),
                    }
                }
                other => MigrateError::Target(other),
            })
    }


    /// Upgrades to `target` (`"head"`, `"+1"`, an id, a typed revision, ...).
    pub async fn upgrade(
        &self,
        conn: &mut PgConnection,
        target: impl Into<Target>,
    ) -> Result<Report, MigrateError> {
        self.run(conn, Direction::Upgrade, target.into()).await
    }

    /// Downgrades to `target` (`"base"`, `"-1"`, an id, a typed revision, ...).
    pub async fn downgrade(
        &self,
        conn: &mut PgConnection,
        target: impl Into<Target>,
    ) -> Result<Report, MigrateError> {
        self.run(conn, Direction::Downgrade, target.into()).await
    }

    async fn run(
        &self,
        conn: &mut PgConnection,
        direction: Direction,
        target: Target,
    ) -> Result<Report, MigrateError> {
        let (state, digest, session) = self
            .lock(conn, false, direction == Direction::Upgrade)
            .await?;
        let result = self
            .run_locked(conn, &session, state, digest, direction, &target)
            .await;
        self.unlock(conn, &session).await;
        result
    }

    async fn run_locked(
        &self,
        conn: &mut PgConnection,
        session: &Session,
        mut state: DatabaseState,
        log_digest: Option<String>,
        direction: Direction,
        target: &Target,
    ) -> Result<Report, MigrateError> {
        let applied = self.applied(&state)?;
        let mut resume = self.check_interrupted(&state)?;
        if direction == Direction::Upgrade
            && !self.allow_drift
            && log_digest != Some(self.expected_log_digest(&applied))
        {
            // The log is not exactly the applied revisions with their
            // embedded checksums: read it to say what differs (or to find
            // that it only lacks rows, as after Alembic or a stamp).
            state.applied = self.read_log(conn, session).await?;
            self.check_drift(&state, &applied)?;
        }
        let to = self.target_state(direction, target, &applied)?;
        let steps = plan(&self.set, &applied, &to);
        self.validate_steps(&steps, self.mode)?;
        if let Some(r) = &resume {
            let next = steps.first().filter(|s| {
                s.revision.options.non_transactional
                    && *s.revision.id == *r.id
                    && s.direction.to_string() == r.direction
            });
            if next.is_none() {
                // The run does not continue that step: its mark goes.
                tracing::warn!(
                    "the interrupted {} of {} is not continued by this run; its mark is cleared",
                    r.direction,
                    r.id
                );
                conn.execute(session.table.clear_marks_sql().as_str())
                    .await
                    .map_err(db_error("clearing the interruption mark"))?;
                resume = None;
            }
        }
        let mut report = Report {
            direction,
            from: self.rows_of(&applied),
            to: self.rows_of(&to),
            steps: Vec::with_capacity(steps.len()),
        };
        if steps.is_empty() {
            tracing::info!(
                "nothing to {direction}: the database is at {}",
                rows_text(&report.from)
            );
        }
        if self.mode == TransactionMode::Single && !steps.is_empty() {
            let rows = self.set.row_ids(&to);
            let durations = self.run_batch(conn, session, &steps, &rows).await?;
            for (step, duration) in steps.iter().zip(durations) {
                finish_step(&mut report, step, duration);
            }
            return Ok(report);
        }
        let _watch = self.watch_blockers(conn, Some(session.pid)).await;
        let mut i = 0;
        while i < steps.len() {
            if steps[i].revision.options.non_transactional {
                let started = Instant::now();
                let skip = resume.take().map_or(0, |r| r.done);
                self.run_non_transactional(conn, session, &steps[i], skip)
                    .await?;
                finish_step(&mut report, &steps[i], started.elapsed());
                i += 1;
            } else {
                let end = steps[i..]
                    .iter()
                    .position(|s| s.revision.options.non_transactional)
                    .map_or(steps.len(), |k| i + k);
                self.run_pipeline(conn, session, &steps, i..end, &mut report)
                    .await?;
                i = end;
            }
        }
        Ok(report)
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
        conn.execute(mark(skip).as_str())
            .await
            .map_err(db_error("marking a non-transactional revision as started"))?;
        let statements = split_statements(&section.sql);
        let total = statements.len();
        for (i, stmt) in statements.iter().enumerate().skip(skip) {
            if let Err(e) = (&mut *conn).execute(stmt.text).await {
                if i == 0 {
                    // Nothing ran: the step is not interrupted, only failed.
                    let unmark = s.table.log_unmark_sql(id, step.direction == Direction::Upgrade);
                    let _ = conn.execute(unmark.as_str()).await;
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
                conn.execute(mark(i + 1).as_str())
                    .await
                    .map_err(db_error("recording the progress of a non-transactional revision"))?;
            }
        }
        let record = record_step(&s.table, step, Some(s.key), &step_marker());
        if let Err(e) = (&mut *conn).execute(record.as_str()).await {
            return Err(self.record_failure(s, step, e));
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
            || pg_error(&e).is_some_and(|p| {
                p.code() == "23505" && p.table() == Some(&*s.table.name)
            });
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
                return Err(self.pipeline_error(conn, s, steps, start..end, failure).await);
            }
            if failure.nothing_ran {
                if let Some(k) = failure.located.map(|(k, _)| start + k).filter(|&k| k > start) {
                    // Nothing ran: send the steps before the faulty one
                    // alone, then report the faulty one.
                    deferred = Some((failure, start..end));
                    end = k;
                    continue;
                }
            }
            if failure.lock_timeout && retries < self.ddl_retries {
                retries += 1;
                let k = failure.failed(start, end);
                let wait = Duration::from_secs((1u64 << (retries - 1).min(5)).min(30));
                tracing::warn!(
                    "revision {} gave up waiting for a table lock (try {retries} of {}); trying again in {} s",
                    steps[k].revision.id,
                    self.ddl_retries + 1,
                    wait.as_secs()
                );
                tokio::time::sleep(wait).await;
                start = k;
                continue;
            }
            return Err(self.pipeline_error(conn, s, steps, start..end, failure).await);
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
                    .execute(prepare_sql(&s.table, &name, direction, Some(s.key), &marker).as_str())
                    .await
                {
                    return Err(PipelineFailure::before(range.start, e));
                }
                Some(name)
            }
            None => None,
        };
        let batch = pipeline_message(
            &s.table,
            &steps[range.clone()],
            PipelineOptions {
                prepared: prepared.as_deref(),
                lock_key: Some(s.key),
                ddl_lock_timeout_ms: self.ddl_lock_timeout.map(|d| d.as_millis() as u64),
                marker: &marker,
            },
        );
        let mut replies = PipelineReplies::default();
        let mut failure = None;
        {
            let mut stream = (&mut *conn).fetch_many(batch.text.as_str());
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
                        finish_step(report, &steps[range.start + replies.confirmed - 1], duration);
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
                .execute(format!("DEALLOCATE {name}").as_str())
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
            batch,
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
            .located
            .map(|(k, _)| range.start + k)
            .or(match f.statement {
                Some(FailedStatement::Section { step, .. }) => Some(range.start + step),
                Some(FailedStatement::Other(
                    Piece::Begin(k) | Piece::Record(k) | Piece::Commit(k) | Piece::Section(k),
                )) => Some(range.start + k),
                _ => None,
            })
            .or(by_rows)
            .unwrap_or(f.confirmed.min(range.end - 1));
        let step = &steps[failed];
        if matches!(f.statement, Some(FailedStatement::Other(Piece::Record(_)))) {
            return self.record_failure(s, step, f.error);
        }
        let section = step.section().expect("validated");
        let mut err = match (f.located, f.statement) {
            (Some((k, p)), _) if range.start + k == failed => {
                self.statement_error_at(step, section, &f.error, p, false, Located::Position)
            }
            (_, Some(FailedStatement::Section {
                offset, first_token, ..
            })) => {
                let stmt = Statement {
                    text: &section.sql[offset..],
                    offset,
                    first_token,
                };
                self.statement_error(step, section, &f.error, &stmt, false)
            }
            (_, Some(FailedStatement::Other(Piece::Commit(_)))) => {
                self.statement_error_at(step, section, &f.error, 1, false, Located::Commit)
            }
            _ => self.statement_error_at(step, section, &f.error, 1, false, Located::Unknown),
        };
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
        let mut rows: Vec<String> = sqlx::query_scalar(&sql).fetch_all(&mut *conn).await.ok()?;
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
        let batch = batch_message(steps, &marker);
        let mut marks: Vec<i64> = Vec::with_capacity(steps.len() + 1);
        let mut completed = 0usize;
        let mut failure = None;
        {
            let mut stream = (&mut *conn).fetch_many(batch.text.as_str());
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
            let section = step.section().expect("validated");
            let mut err = match (located, statement) {
                (Some((_, p)), _) => {
                    self.statement_error_at(step, section, &e, p, true, Located::Position)
                }
                (_, Some(FailedStatement::Section {
                    offset, first_token, ..
                })) => {
                    let stmt = Statement {
                        text: &section.sql[offset..],
                        offset,
                        first_token,
                    };
                    self.statement_error(step, section, &e, &stmt, true)
                }
                _ => self.statement_error_at(step, section, &e, 1, true, Located::Unknown),
            };
            if let MigrateError::Statement(se) = &mut err {
                se.database_at = steps[0].before.iter().map(|r| (*r).to_owned()).collect();
            }
            return Err(err);
        }
        let durations: Vec<i64> = marks.windows(2).map(|w| w[1] - w[0]).collect();
        let ms: Vec<i64> = durations.iter().map(|us| us / 1000).collect();
        let record = batch_record_sql(&s.table, steps, rows, &ms, Some(s.key));
        if let Err(e) = (&mut *conn).execute(record.as_str()).await {
            let _ = (&mut *conn).execute("ROLLBACK").await;
            let last = steps.last().expect("steps");
            return Err(match self.record_failure(s, last, e) {
                MigrateError::Database { message, .. } => MigrateError::Database {
                    context: "committing the run (a deferred constraint, or the version table)",
                    message,
                },
                other => other,
            });
        }
        Ok(durations
            .iter()
            .map(|us| Duration::from_micros((*us).max(0) as u64))
            .collect())
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
        }))
    }

    /// Records `target` as the current revision without running anything.
    /// With `purge`, the version table and log are emptied first (for a table
    /// in an impossible state).
    pub async fn stamp(
        &self,
        conn: &mut PgConnection,
        target: impl Into<Target>,
        purge: bool,
    ) -> Result<Report, MigrateError> {
        let target = target.into();
        let (state, _, session) = self.lock(conn, true, false).await?;
        let result = self
            .stamp_locked(conn, &session, state, &target, purge)
            .await;
        self.unlock(conn, &session).await;
        result
    }

    async fn stamp_locked(
        &self,
        conn: &mut PgConnection,
        s: &Session,
        state: DatabaseState,
        target: &Target,
        purge: bool,
    ) -> Result<Report, MigrateError> {
        let applied = if purge {
            Applied::none(&self.set)
        } else {
            self.applied(&state)?
        };
        // A stamp goes whichever way the target lies.
        let (direction, to) = match target.resolve(&self.set, Direction::Upgrade, &applied) {
            Err(ResolveError::WrongDirection { .. }) => (
                Direction::Downgrade,
                self.target_state(Direction::Downgrade, target, &applied)?,
            ),
            other => (Direction::Upgrade, other?),
        };
        let table = &s.table;
        let mut sql = String::from("BEGIN;\n");
        if purge {
            sql.push_str(&format!(
                "DELETE FROM {};\nDELETE FROM {};\n",
                table.table(),
                table.log_table()
            ));
        } else {
            sql.push_str(&format!("DELETE FROM {};\n", table.table()));
        }
        let rows = self.set.row_ids(&to);
        sql.push_str(&table.move_sql(&[], &rows));
        for (i, r) in self.set.revisions().iter().enumerate() {
            if to.contains(i) {
                if !state.applied.iter().any(|a| a.id == r.id) || purge {
                    sql.push_str(&table.log_applied_sql(&r.id, &r.checksum_hex(), "NULL"));
                }
            } else {
                sql.push_str(&table.log_reverted_sql(&r.id));
            }
        }
        sql.push_str("COMMIT;\n");
        if let Err(e) = (&mut *conn).execute(sql.as_str()).await {
            let _ = (&mut *conn).execute("ROLLBACK").await;
            return Err(db_error("stamping")(e));
        }
        let report = Report {
            direction,
            from: if purge {
                Vec::new()
            } else {
                self.rows_of(&applied)
            },
            to: self.rows_of(&to),
            steps: Vec::new(),
        };
        tracing::info!("stamped {}", rows_text(&report.to));
        Ok(report)
    }

    /// Renders the offline SQL of an upgrade or downgrade range (`head`,
    /// `base:head`, `a:b`), without a database.
    pub fn offline(&self, direction: Direction, range: &Range) -> Result<String, MigrateError> {
        let natural_start = match direction {
            Direction::Upgrade => Target::BASE,
            Direction::Downgrade => Target::HEAD,
        };
        let start_target = range.start.clone().unwrap_or(natural_start);
        let needs_start = |t: &Target| t.anchor == schema_core::target::Anchor::Current;
        if needs_start(&start_target) || (range.start.is_none() && needs_start(&range.end)) {
            return Err(MigrateError::OfflineNeedsStart {
                target: range.end.to_string(),
                example: format!(
                    "{}:{}",
                    if direction == Direction::Upgrade {
                        "base"
                    } else {
                        "head"
                    },
                    range.end
                ),
            });
        }
        let from =
            start_target.resolve(&self.set, Direction::Upgrade, &Applied::none(&self.set))?;
        let to = self.target_state(direction, &range.end, &from)?;
        let steps = plan(&self.set, &from, &to);
        self.validate_steps(&steps, self.mode)?;
        let title = format!(
            "{direction} {}:{} ({} revision(s)), generated by schema-migrations",
            rows_text(&self.rows_of(&from)),
            rows_text(&self.rows_of(&to)),
            steps.len()
        );
        Ok(offline_script(&self.table, &steps, self.mode, &title))
    }
}


fn server_position(e: &sqlx::Error) -> Option<usize> {
    match pg_error(e)?.position()? {
        PgErrorPosition::Original(p) => Some(p),
        _ => None,
    }
}

/// Where, in `sql`, the line of a PL/pgSQL body that the server's `CONTEXT`
/// names lies (`PL/pgSQL function inline_code_block line 4 ...` for the
/// `DO` block of the statement at `stmt_offset`; `PL/pgSQL function f(...)
/// line 4` for a function created in the same section), as a byte offset:
/// at the internal query the server quotes when it can be found on that
/// line, else at the line's first non-blank character.
fn body_position(sql: &str, stmt_offset: usize, pg: &PgDatabaseError) -> Option<usize> {
    let internal = match pg.position() {
        Some(PgErrorPosition::Internal { position, query }) => Some((position, query)),
        _ => None,
    };
    body_line_position(sql, stmt_offset, pg.r#where()?, internal)
}

/// [`body_position`] from the server's `CONTEXT` text and its internal
/// position and query, if any.
fn body_line_position(
    sql: &str,
    stmt_offset: usize,
    context: &str,
    internal: Option<(usize, &str)>,
) -> Option<usize> {
    let line = context
        .lines()
        .find_map(|l| l.strip_prefix("PL/pgSQL function "))?;
    let (function, rest) = line.split_once(" line ")?;
    let n: usize = rest
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    let search_from = if function == "inline_code_block" {
        stmt_offset
    } else {
        let name = function.split('(').next()?.rsplit('.').next()?.to_ascii_lowercase();
        let lower = sql.to_ascii_lowercase();
        let mut at = None;
        for (i, _) in lower.match_indices("function") {
            let after = lower[i + "function".len()..].trim_start();
            let ident = after.split('(').next().unwrap_or("").trim();
            let ident = ident.rsplit('.').next().unwrap_or("").trim_matches('"');
            if ident == name {
                at = Some(i);
            }
        }
        at?
    };
    let body = body_start(sql, search_from)?;
    // Line 1 of the body is the rest of the line its opening quote is on.
    let mut line_start = body;
    for _ in 1..n {
        line_start += sql[line_start..].find('\n')? + 1;
    }
    let line_end = sql[line_start..].find('\n').map_or(sql.len(), |e| line_start + e);
    if let Some((position, query)) = internal {
        let first = query.lines().next().unwrap_or("");
        if !first.is_empty() {
            if let Some(at) = sql[line_start..].find(first) {
                let q = line_start + at;
                let within: usize = query
                    .char_indices()
                    .nth(position.saturating_sub(1))
                    .map_or(0, |(b, _)| b);
                if q <= line_end && q + within <= sql.len() && sql.is_char_boundary(q + within) {
                    return Some(q + within);
                }
            }
        }
    }
    let indent = sql[line_start..line_end].len() - sql[line_start..line_end].trim_start().len();
    Some(line_start + indent)
}

/// The byte just after the first dollar-quote opening (`$$`, `$tag$`) at or
/// after `from`.
fn body_start(sql: &str, from: usize) -> Option<usize> {
    let bytes = sql.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let tag_end = bytes[i + 1..]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                .map(|p| i + 1 + p)?;
            if bytes.get(tag_end) == Some(&b'$')
                && !bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
            {
                return Some(tag_end + 1);
            }
        }
        i += 1;
    }
    None
}

/// Whether the version-table rows `a` and `b` are the same set.
fn same_rows(a: &[&str], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|r| b.iter().any(|x| x == r))
}

/// Adds a finished step to the report, and says so.
fn finish_step(report: &mut Report, step: &Step<'_>, duration: Duration) {
    let (from, to) = step_endpoints(step);
    tracing::info!(
        "{} {from} -> {to}: {} ({:.1} ms)",
        step.direction,
        step.revision.display_message(),
        duration.as_secs_f64() * 1000.0
    );
    report.steps.push(StepReport {
        id: step.revision.id.to_string(),
        message: step.revision.message.to_string(),
        duration,
    });
}

/// Closes a connection politely; errors are irrelevant at that point.
pub async fn close(conn: PgConnection) {
    let _ = conn.close().await;
}

/// What [`Migrator::probe`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The version table as a run resolves it (`None`: the `search_path`
    /// names no existing schema).
    pub table: Option<VersionTable>,
    /// Whether the version table exists.
    pub has_table: bool,
    /// Whether its log table exists (not in a database only Alembic managed).
    pub has_log: bool,
    /// How many other tables the database holds.
    pub other_tables: i64,
}

/// One reply of a [`pipeline_message`], as [`PipelineReplies`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reply {
    /// A statement completed.
    Done,
    /// The marker row of a step's record: the step's duration in µs.
    Marker(i64),
    /// Any other row.
    Row,
}

/// What the replies of a [`pipeline_message`] said so far: how many
/// statements completed, and how many steps are confirmed (their `COMMIT`
/// completed). A step's record returns its marker row, completes, and the
/// next completion is its `COMMIT`.
#[derive(Debug, Default)]
struct PipelineReplies {
    results: usize,
    rows: usize,
    confirmed: usize,
    awaiting_commit: Option<(u8, Duration)>,
}

impl PipelineReplies {
    /// Takes one reply; returns a step's duration when its `COMMIT` completed.
    fn on(&mut self, reply: Reply) -> Option<Duration> {
        match reply {
            Reply::Marker(us) => {
                self.rows += 1;
                self.awaiting_commit = Some((0, Duration::from_micros(us.max(0) as u64)));
                None
            }
            Reply::Row => {
                self.rows += 1;
                None
            }
            Reply::Done => {
                self.results += 1;
                let (seen, duration) = self.awaiting_commit.as_mut()?;
                *seen += 1;
                if *seen < 2 {
                    return None;
                }
                let duration = *duration;
                self.awaiting_commit = None;
                self.confirmed += 1;
                Some(duration)
            }
        }
    }
}

/// How a [`pipeline_message`] failed.
struct PipelineFailure {
    /// The server rejected the message before running any of it (a syntax error).
    nothing_ran: bool,
    /// A statement gave up waiting for a lock (`lock_timeout`).
    lock_timeout: bool,
    /// The first step whose `COMMIT` was not confirmed (an index into the run's steps).
    confirmed: usize,
    /// The step (relative to the message) and position in its section that
    /// the server's error position names.
    located: Option<(usize, usize)>,
    /// The statement the server was running, found from the statements it
    /// completed before the error (relative to the message).
    statement: Option<FailedStatement>,
    /// The message.
    #[allow(dead_code)]
    batch: Batch,
    /// The error.
    error: sqlx::Error,
}

impl PipelineFailure {
    /// A failure before the message was sent, at step `at`.
    fn before(at: usize, error: sqlx::Error) -> Self {
        PipelineFailure {
            nothing_ran: false,
            lock_timeout: false,
            confirmed: at,
            located: None,
            statement: None,
            batch: Batch {
                text: String::new(),
                sections: Vec::new(),
                pieces: Vec::new(),
            },
            error,
        }
    }

    /// The step (an index into the run's steps) that failed, for a message
    /// over `start..end`.
    fn failed(&self, start: usize, end: usize) -> usize {
        self.located
            .map(|(k, _)| start + k)
            .or(match self.statement {
                Some(FailedStatement::Section { step, .. }) => Some(start + step),
                Some(FailedStatement::Other(
                    Piece::Begin(k) | Piece::Record(k) | Piece::Commit(k) | Piece::Section(k),
                )) => Some(start + k),
                _ => None,
            })
            .unwrap_or(self.confirmed)
            .min(end - 1)
    }
}

/// Reports who blocks a server process, every so often, until dropped.
struct BlockerWatch(tokio::task::JoinHandle<()>);

impl BlockerWatch {
    fn start(url: String, pid: i32, every: Duration) -> Self {
        BlockerWatch(tokio::spawn(async move {
            tokio::time::sleep(every).await;
            let Ok(mut conn) = connect(&url).await else {
                return;
            };
            loop {
                let rows: Vec<(i32, String, String, f64)> = sqlx::query_as(
                    "SELECT b.pid, b.application_name::text, coalesce(b.query, '')::text, \
                     coalesce(extract(epoch FROM now() - coalesce(b.xact_start, b.query_start)), 0)::float8 \
                     FROM pg_stat_activity b WHERE b.pid = ANY(pg_blocking_pids($1)) ORDER BY b.pid",
                )
                .bind(pid)
                .fetch_all(&mut conn)
                .await
                .unwrap_or_default();
                for (blocker, app, query, secs) in rows {
                    let first = query.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
                    tracing::warn!(
                        "waiting for a lock held by pid {blocker} ({}) for {secs:.0} s: {}",
                        if app.is_empty() { "no application name" } else { &app },
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_is_confirmed_by_the_second_completion_after_its_marker() {
        let mut r = PipelineReplies::default();
        // The clock, BEGIN, two statements of the section.
        for reply in [Reply::Row, Reply::Done, Reply::Done, Reply::Done, Reply::Done] {
            assert_eq!(r.on(reply), None);
        }
        // The record's marker row and completion, then COMMIT.
        assert_eq!(r.on(Reply::Marker(1500)), None);
        assert_eq!(r.on(Reply::Done), None);
        assert_eq!(r.on(Reply::Done), Some(Duration::from_micros(1500)));
        assert_eq!((r.confirmed, r.results, r.rows), (1, 6, 2));
        // A row of the next step's section does not confirm anything.
        assert_eq!(r.on(Reply::Done), None);
        assert_eq!(r.on(Reply::Row), None);
        assert_eq!(r.on(Reply::Done), None);
        assert_eq!(r.confirmed, 1);
    }

    #[test]
    fn a_negative_duration_counts_as_zero() {
        let mut r = PipelineReplies::default();
        r.on(Reply::Marker(-5));
        r.on(Reply::Done);
        assert_eq!(r.on(Reply::Done), Some(Duration::ZERO));
    }

    #[test]
    fn progress_marks_read_with_and_without_a_count() {
        assert_eq!(parse_progress("upgrade 3"), ("upgrade".to_owned(), Some(3)));
        assert_eq!(parse_progress("downgrade"), ("downgrade".to_owned(), None));
        assert_eq!(parse_progress("upgrade x"), ("upgrade".to_owned(), None));
    }

    #[test]
    fn a_dollar_quoted_body_starts_after_its_tag() {
        let sql = "SELECT 1;\nDO $body$\nBEGIN NULL; END $body$;";
        assert_eq!(&sql[body_start(sql, 10).unwrap()..][..6], "\nBEGIN");
        // `$1` is a parameter, not a quote.
        assert_eq!(body_start("SELECT $1, $$x$$", 0), Some(13));
        assert_eq!(body_start("SELECT 1", 0), None);
    }

    #[test]
    fn a_do_block_line_maps_to_the_line_in_the_section() {
        let sql = "CREATE TABLE a (id int);\nDO $$\nBEGIN\n  PERFORM 1;\n  INSERT INTO missing VALUES (1);\nEND $$;";
        let context = "PL/pgSQL function inline_code_block line 4 at SQL statement";
        let at = body_line_position(sql, 25, context, Some((13, "INSERT INTO missing VALUES (1)"))).unwrap();
        assert_eq!(&sql[at..at + 7], "missing");
        // Without the internal query: the line's first non-blank character.
        let at = body_line_position(sql, 25, context, None).unwrap();
        assert_eq!(&sql[at..at + 6], "INSERT");
    }

    #[test]
    fn a_function_line_maps_into_the_function_created_in_the_section() {
        let sql = "CREATE OR REPLACE FUNCTION public.boom() RETURNS void LANGUAGE plpgsql AS $f$\nBEGIN\n  RAISE EXCEPTION 'x';\nEND $f$;\nSELECT boom();";
        let context = "PL/pgSQL function boom() line 3 at RAISE";
        let at = body_line_position(sql, 90, context, None).unwrap();
        assert_eq!(&sql[at..at + 5], "RAISE");
        assert_eq!(body_line_position(sql, 0, "PL/pgSQL function other() line 3 at RAISE", None), None);
        assert_eq!(body_line_position(sql, 0, "SQL function \"f\" statement 1", None), None);
    }
}
