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

use crate::error::{Drift, MigrateError, StatementError};
pub use crate::script::rows_text;
use crate::script::{
    batch_message, batch_record_sql, offline_script, pipeline_message, pipeline_title, plan,
    prepare_sql, record_sql, step_endpoints, worth_preparing, Direction, Step, TransactionMode,
    STEP_MARKER,
};
use crate::url;
use crate::version_table::{log_digest, VersionTable};

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

impl Migrator {
    /// A migrator for `set` (the `SET` of `migrations!()`, or a loaded set),
    /// with the defaults: version table `alembic_version` on the search path,
    /// one transaction per revision, a 60 s lock wait, drift refused.
    pub fn new(set: &MigrationSet) -> Self {
        Migrator {
            set: set.indexed().clone(),
            table: VersionTable::default(),
            mode: TransactionMode::default(),
            lock_timeout: Duration::from_secs(60),
            allow_drift: false,
            resume_interrupted: false,
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
    /// (after the user has checked the database): the mark is cleared and the
    /// run goes on from the recorded revision.
    pub fn resume_interrupted(mut self, resume: bool) -> Self {
        self.resume_interrupted = resume;
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
    /// [`VersionTable::lock_state_sql`], whose `digest` row is returned apart).
    fn parse_state(
        rows: &[sqlx::postgres::PgRow],
    ) -> Result<(DatabaseState, Option<String>), MigrateError> {
        let mut state = DatabaseState::default();
        let mut digest = None;
        for row in rows.iter().filter(|r| r.len() == 6) {
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

    /// Reads the state without locking or creating anything: empty when the
    /// version table does not exist yet.
    pub async fn state(&self, conn: &mut PgConnection) -> Result<DatabaseState, MigrateError> {
        let exists: Option<String> = sqlx::query_scalar("SELECT to_regclass($1)::text")
            .bind(self.table.log_table())
            .fetch_one(&mut *conn)
            .await
            .map_err(db_error("looking for the version table"))?;
        if exists.is_none() {
            return Ok(DatabaseState::default());
        }
        let rows = (&mut *conn)
            .fetch_all(self.table.state_sql().as_str())
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
    async fn read_log(&self, conn: &mut PgConnection) -> Result<Vec<AppliedRow>, MigrateError> {
        let rows = (&mut *conn)
            .fetch_all(self.table.log_sql().as_str())
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
        let applied = self
            .applied(&state)
            .unwrap_or_else(|_| Applied::none(&self.set));
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

    /// Takes the lock, creates the tables if needed and reads the state: one
    /// round trip. With `whole_log`, every log row is read; otherwise only
    /// the rows of interrupted steps, and the digest of the log is returned
    /// with the state.
    async fn lock(
        &self,
        conn: &mut PgConnection,
        whole_log: bool,
    ) -> Result<(DatabaseState, Option<String>), MigrateError> {
        let sql = format!(
            "SET lock_timeout = '{}ms';\nSELECT FROM (SELECT pg_advisory_lock({})) AS l;\nRESET lock_timeout;\n\
             SET client_min_messages = warning;\n{}RESET client_min_messages;\n{};",
            self.lock_timeout.as_millis().max(1),
            self.table.lock_key(),
            self.table.create_sql(),
            if whole_log {
                self.table.state_sql()
            } else {
                self.table.lock_state_sql()
            }
        );
        let started = Instant::now();
        match (&mut *conn).fetch_all(sql.as_str()).await {
            Ok(rows) => Self::parse_state(&rows).map(|(s, d)| (self.in_chain_order(s), d)),
            Err(e) => Err(match db_error("taking the migration lock")(e) {
                MigrateError::LockTimeout { .. } => MigrateError::LockTimeout {
                    waited_ms: started.elapsed().as_millis() as u64,
                },
                other => {
                    // The lock may have been taken before a later statement
                    // failed; a session lock outlives the error, so release
                    // it (quietly: it may not be held).
                    let release = format!(
                        "SET client_min_messages = error;\nSELECT pg_advisory_unlock({});\nRESET client_min_messages;",
                        self.table.lock_key()
                    );
                    let _ = (&mut *conn).execute(release.as_str()).await;
                    other
                }
            }),
        }
    }

    async fn unlock(&self, conn: &mut PgConnection) {
        let sql = format!("SELECT pg_advisory_unlock({})", self.table.lock_key());
        if let Err(e) = (&mut *conn).execute(sql.as_str()).await {
            tracing::warn!("releasing the migration lock failed (it is released when the connection closes): {e}");
        }
    }

    /// Refuses to run over a non-transactional step that was interrupted,
    /// unless the user resumes.
    async fn check_interrupted(
        &self,
        conn: &mut PgConnection,
        state: &DatabaseState,
    ) -> Result<(), MigrateError> {
        let Some(row) = state.applied.iter().find(|a| a.in_progress.is_some()) else {
            return Ok(());
        };
        if self.resume_interrupted {
            tracing::warn!(
                "resuming after the interrupted {} of {}",
                row.in_progress.as_deref().unwrap_or(""),
                row.id
            );
            conn.execute(self.table.clear_marks_sql().as_str())
                .await
                .map_err(db_error("clearing the interruption mark"))?;
            return Ok(());
        }
        Err(MigrateError::Interrupted {
            revision: row.id.clone(),
            path: self
                .set
                .get(&row.id)
                .map_or_else(|| "<not in this build>".to_owned(), |r| r.path.to_string()),
            direction: row.in_progress.clone().unwrap_or_default(),
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
        let (state, digest) = self.lock(conn, false).await?;
        let result = self
            .run_locked(conn, state, digest, direction, &target)
            .await;
        self.unlock(conn).await;
        result
    }

    async fn run_locked(
        &self,
        conn: &mut PgConnection,
        mut state: DatabaseState,
        log_digest: Option<String>,
        direction: Direction,
        target: &Target,
    ) -> Result<Report, MigrateError> {
        {
            let applied = self.applied(&state)?;
            self.check_interrupted(conn, &state).await?;
            if direction == Direction::Upgrade
                && !self.allow_drift
                && log_digest != Some(self.expected_log_digest(&applied))
            {
                // The log is not exactly the applied revisions with their
                // embedded checksums: read it to say what differs (or to find
                // that it only lacks rows, as after Alembic or a stamp).
                state.applied = self.read_log(conn).await?;
                self.check_drift(&state, &applied)?;
            }
            let to = self.target_state(direction, target, &applied)?;
            let steps = plan(&self.set, &applied, &to);
            self.validate_steps(&steps, self.mode)?;
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
                let durations = self.run_batch(conn, &steps, &rows).await?;
                for (step, duration) in steps.iter().zip(durations) {
                    finish_step(&mut report, step, duration);
                }
                return Ok(report);
            }
            let mut i = 0;
            while i < steps.len() {
                if steps[i].revision.options.non_transactional {
                    let started = Instant::now();
                    self.run_non_transactional(conn, &steps[i]).await?;
                    finish_step(&mut report, &steps[i], started.elapsed());
                    i += 1;
                } else {
                    let end = steps[i..]
                        .iter()
                        .position(|s| s.revision.options.non_transactional)
                        .map_or(steps.len(), |k| i + k);
                    self.run_pipeline(conn, &steps, i..end, &mut report).await?;
                    i = end;
                }
            }
            Ok(report)
        }
    }

    /// Runs a non-transactional step statement by statement, marked in the
    /// log as under way until it is recorded.
    async fn run_non_transactional(
        &self,
        conn: &mut PgConnection,
        step: &Step<'_>,
    ) -> Result<(), MigrateError> {
        let section = step.section().expect("validated");
        let mark = self.table.log_started_sql(
            &step.revision.id,
            &step.revision.checksum_hex(),
            &step.direction.to_string(),
        );
        conn.execute(mark.as_str())
            .await
            .map_err(db_error("marking a non-transactional revision as started"))?;
        let started = Instant::now();
        for stmt in split_statements(&section.sql) {
            if let Err(e) = (&mut *conn).execute(stmt.text).await {
                return Err(self.statement_error(step, section, e, &stmt, false));
            }
        }
        let ms = started.elapsed().as_millis().to_string();
        (&mut *conn)
            .execute(record_sql(&self.table, step, &ms).as_str())
            .await
            .map_err(db_error("recording a non-transactional revision"))?;
        Ok(())
    }

    /// Runs the transactional steps `range` as one [`pipeline_message`], each
    /// step in its own transaction, and adds each to `report` once its
    /// `COMMIT` has completed, with the duration its marker row gave.
    async fn run_pipeline(
        &self,
        conn: &mut PgConnection,
        steps: &[Step<'_>],
        range: std::ops::Range<usize>,
        report: &mut Report,
    ) -> Result<(), MigrateError> {
        use futures_util::StreamExt;

        if range.len() > 1 {
            tracing::info!("{}", pipeline_title(&steps[range.clone()]));
        }
        let prepared = match worth_preparing(&steps[range.clone()]) {
            Some(direction) => {
                let name = format!(
                    "schema_migrations_record_{}_{}",
                    std::process::id(),
                    PREPARED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
                );
                (&mut *conn)
                    .execute(prepare_sql(&self.table, &name, direction).as_str())
                    .await
                    .map_err(db_error(
                        "preparing the statement that records each revision",
                    ))?;
                Some(name)
            }
            None => None,
        };
        let batch = pipeline_message(&self.table, &steps[range.clone()], prepared.as_deref());
        // Each step returns its marker row from the statement that records
        // it; the second result after that row is its `COMMIT`. A step is
        // reported once its `COMMIT` is confirmed.
        let mut confirmed = range.start;
        let mut awaiting_commit: Option<(u8, Duration)> = None;
        let mut failure = None;
        {
            let mut stream = (&mut *conn).fetch_many(batch.text.as_str());
            while let Some(item) = stream.next().await {
                match item {
                    Ok(Either::Right(row))
                        if row.columns().first().map(|c| c.name()) == Some(STEP_MARKER) =>
                    {
                        let us: i64 = row.try_get::<Option<i64>, _>(0).ok().flatten().unwrap_or(0);
                        awaiting_commit = Some((0, Duration::from_micros(us.max(0) as u64)));
                    }
                    Ok(Either::Left(_)) => {
                        if let Some((seen, duration)) = &mut awaiting_commit {
                            *seen += 1;
                            if *seen == 2 && confirmed < range.end {
                                finish_step(report, &steps[confirmed], *duration);
                                confirmed += 1;
                                awaiting_commit = None;
                            }
                        }
                    }
                    Ok(Either::Right(_)) => {}
                    Err(e) => {
                        failure = Some(e);
                        break;
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
        // Where the database stands says which step failed: the one that
        // starts from there. A syntax error is the exception: the server
        // rejected the whole message, and its position names the step. When
        // the table cannot be read (the connection is gone), the first step
        // whose `COMMIT` was not confirmed is the one that failed.
        let rows = self.read_rows(conn).await;
        let located = server_position(&e).and_then(|p| batch.locate(p));
        let by_rows = rows
            .as_ref()
            .and_then(|rows| range.clone().find(|&k| same_rows(&steps[k].before, rows)));
        let failed = located
            .map(|(k, _)| range.start + k)
            .or(by_rows)
            .unwrap_or(confirmed.min(range.end - 1));
        // Steps that committed, as the table shows, though the failure hid
        // their `COMMIT` from us.
        if let Some(k) = by_rows {
            for step in &steps[confirmed.min(k)..k] {
                finish_step(report, step, Duration::ZERO);
            }
        }
        let in_section = located
            .filter(|(k, _)| range.start + k == failed)
            .map(|(_, p)| p);
        let mut err = self.step_failure(conn, steps, failed, e, in_section).await;
        if let MigrateError::Statement(s) = &mut err {
            match rows {
                Some(rows) => s.database_at = rows,
                None => s.database_at_confirmed = false,
            }
        }
        Err(err)
    }

    /// The rows of the version table, in the order of the chain; `None`
    /// when they cannot be read (the connection is gone).
    async fn read_rows(&self, conn: &mut PgConnection) -> Option<Vec<String>> {
        let sql = format!("SELECT version_num::text FROM {}", self.table.table());
        let mut rows: Vec<String> = sqlx::query_scalar(&sql).fetch_all(&mut *conn).await.ok()?;
        rows.sort_by_key(|r| self.set.position(r));
        Some(rows)
    }

    /// The error of step `i`, which failed with `e` (at `in_section`, a
    /// position within its section, if the server gave one) and was rolled
    /// back. Without a position, the step is replayed statement by
    /// statement, inside a transaction that is rolled back, to find the
    /// statement that fails.
    async fn step_failure(
        &self,
        conn: &mut PgConnection,
        steps: &[Step<'_>],
        i: usize,
        e: sqlx::Error,
        in_section: Option<usize>,
    ) -> MigrateError {
        let step = &steps[i];
        let section = step.section().expect("validated");
        let single = self.mode == TransactionMode::Single;
        let mut err = match in_section {
            Some(p) => self.statement_error_at(step, section, &e, p, single),
            None => match self.locate_failure(conn, steps, i).await {
                Some((stmt, e2)) => self.statement_error(step, section, e2, &stmt, single),
                // Not reproduced: point at the section's first statement.
                None => match split_statements(&section.sql).first() {
                    Some(stmt) => self.statement_error(step, section, e, stmt, single),
                    None => self.statement_error_at(step, section, &e, 1, single),
                },
            },
        };
        if let MigrateError::Statement(s) = &mut err {
            let at = if single {
                &steps[0].before
            } else {
                &step.before
            };
            s.database_at = at.iter().map(|r| (*r).to_owned()).collect();
        }
        err
    }

    /// A single-transaction run in two messages: every section, with a
    /// marker row after each (see [`batch_message`]); then the version table,
    /// the log and `COMMIT`. Returns each step's duration, as the server's
    /// clock measured it.
    async fn run_batch(
        &self,
        conn: &mut PgConnection,
        steps: &[Step<'_>],
        rows: &[&str],
    ) -> Result<Vec<Duration>, MigrateError> {
        use futures_util::StreamExt;

        let batch = batch_message(steps);
        let mut marks: Vec<i64> = Vec::with_capacity(steps.len() + 1);
        let mut failure = None;
        {
            let mut stream = (&mut *conn).fetch(batch.text.as_str());
            while let Some(item) = stream.next().await {
                match item {
                    Ok(row) => {
                        if row.columns().first().map(|c| c.name()) == Some(STEP_MARKER) {
                            marks.push(
                                row.try_get(0)
                                    .map_err(db_error("reading the progress of a run"))?,
                            );
                        }
                    }
                    Err(e) => {
                        failure = Some(e);
                        break;
                    }
                }
            }
        }
        if let Some(e) = failure {
            let _ = (&mut *conn).execute("ROLLBACK").await;
            // The first marker follows `BEGIN`; each later one a section. A
            // syntax error stops the message before anything runs, and its
            // position names the section.
            let located = server_position(&e).and_then(|p| batch.locate(p));
            let failed = located.map_or(
                marks.len().saturating_sub(1).min(steps.len() - 1),
                |(i, _)| i,
            );
            let in_section = located.map(|(_, p)| p);
            return Err(self.step_failure(conn, steps, failed, e, in_section).await);
        }
        let durations: Vec<i64> = marks.windows(2).map(|w| w[1] - w[0]).collect();
        let ms: Vec<i64> = durations.iter().map(|us| us / 1000).collect();
        let record = batch_record_sql(&self.table, steps, rows, &ms);
        if let Err(e) = (&mut *conn).execute(record.as_str()).await {
            let _ = (&mut *conn).execute("ROLLBACK").await;
            return Err(db_error("recording the run in the version table")(e));
        }
        Ok(durations
            .iter()
            .map(|us| Duration::from_micros((*us).max(0) as u64))
            .collect())
    }

    /// Replays steps `..=i` in a transaction (the last one statement by
    /// statement) and rolls it back; returns the failing statement
    /// in the section with its error.
    async fn locate_failure<'s>(
        &self,
        conn: &mut PgConnection,
        steps: &[Step<'s>],
        i: usize,
    ) -> Option<(Statement<'s>, sqlx::Error)> {
        (&mut *conn).execute("BEGIN").await.ok()?;
        let mut found = None;
        let prior = if self.mode == TransactionMode::Single {
            &steps[..i]
        } else {
            &[][..]
        };
        let mut ok = true;
        for s in prior {
            if (&mut *conn)
                .execute(&*s.section().expect("validated").sql)
                .await
                .is_err()
            {
                ok = false;
                break;
            }
        }
        if ok {
            for stmt in split_statements(&steps[i].section().expect("validated").sql) {
                if let Err(e) = (&mut *conn).execute(stmt.text).await {
                    found = Some((stmt, e));
                    break;
                }
            }
        }
        let _ = (&mut *conn).execute("ROLLBACK").await;
        found
    }

    /// An error in statement `stmt` of the section: at the server's position
    /// within the statement if it gave one, else at the statement's first token.
    fn statement_error(
        &self,
        step: &Step<'_>,
        section: &Section,
        e: sqlx::Error,
        stmt: &Statement<'_>,
        single: bool,
    ) -> MigrateError {
        let chars_before = |byte: usize| section.sql[..byte].chars().count();
        let pos = match server_position(&e) {
            Some(p) => chars_before(stmt.offset) + p,
            None => chars_before(stmt.first_token) + 1,
        };
        self.statement_error_at(step, section, &e, pos, single)
    }

    /// An error at 1-based character `position` of the section.
    fn statement_error_at(
        &self,
        step: &Step<'_>,
        section: &Section,
        e: &sqlx::Error,
        position: usize,
        single: bool,
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
        let (message, code, detail, hint) = match e {
            sqlx::Error::Database(d) => match d.try_downcast_ref::<PgDatabaseError>() {
                Some(pg) => (
                    pg.message().to_owned(),
                    pg.code().to_owned(),
                    pg.detail().map(str::to_owned),
                    pg.hint().map(str::to_owned),
                ),
                None => (
                    d.message().to_owned(),
                    d.code().unwrap_or_default().to_string(),
                    None,
                    None,
                ),
            },
            other => (other.to_string(), String::new(), None, None),
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
        let (state, _) = self.lock(conn, true).await?;
        let result = self.stamp_locked(conn, state, &target, purge).await;
        self.unlock(conn).await;
        result
    }

    async fn stamp_locked(
        &self,
        conn: &mut PgConnection,
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
        let mut sql = String::from("BEGIN;\n");
        if purge {
            sql.push_str(&format!(
                "DELETE FROM {};\nDELETE FROM {};\n",
                self.table.table(),
                self.table.log_table()
            ));
        } else {
            sql.push_str(&format!("DELETE FROM {};\n", self.table.table()));
        }
        let rows = self.set.row_ids(&to);
        sql.push_str(&self.table.move_sql(&[], &rows));
        for (i, r) in self.set.revisions().iter().enumerate() {
            if to.contains(i) {
                if !state.applied.iter().any(|a| a.id == r.id) || purge {
                    sql.push_str(&self.table.log_applied_sql(&r.id, &r.checksum_hex(), "NULL"));
                }
            } else {
                sql.push_str(&self.table.log_reverted_sql(&r.id));
            }
        }
        sql.push_str("COMMIT;\n");
        (&mut *conn)
            .execute(sql.as_str())
            .await
            .map_err(db_error("stamping"))?;
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
    match e {
        sqlx::Error::Database(d) => match d.try_downcast_ref::<PgDatabaseError>()?.position()? {
            PgErrorPosition::Original(p) => Some(p),
            _ => None,
        },
        _ => None,
    }
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
