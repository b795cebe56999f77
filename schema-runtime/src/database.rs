//! The seam between a run's orchestration and one database.
//!
//! [`crate::Migrator`] decides what a run does and knows no SQL; a database
//! module (today [`crate::postgres`]) implements [`Database`] for one
//! connection: take the lock and read the state, run a list of steps,
//! stamp, release. A second database (SQLite, MySQL) implements the same
//! trait without touching the orchestration.

use std::time::Duration;

use crate::error::MigrateError;
use crate::migrator::{AppliedRow, DatabaseState, Report};
use crate::postgres::version_table::VersionTable;
use crate::script::{Step, TransactionMode};

/// What a migrator tells its database about how to run.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Where the version table lives.
    pub(crate) table: VersionTable,
    /// How revisions are grouped into transactions.
    pub(crate) mode: TransactionMode,
    /// How long to wait for another migrator's lock.
    pub(crate) lock_timeout: Duration,
    /// Whether a database with tables but no version table may be upgraded.
    pub(crate) allow_existing_schema: bool,
    /// A lock timeout for the statements of each transactional revision.
    pub(crate) ddl_lock_timeout: Option<Duration>,
    /// How often a revision that hit that timeout is tried again.
    pub(crate) ddl_retries: u32,
    /// Where and how often to report who blocks a waiting run.
    pub(crate) blocker_report: Option<(String, Duration)>,
}

/// What a stamp writes: the version table's new rows, and the log brought in
/// line (rows added with their checksums, rows removed).
#[derive(Debug, Clone)]
pub(crate) struct StampChange<'a> {
    /// Empty the version table and the log first.
    pub(crate) purge: bool,
    /// The version table's rows after the stamp.
    pub(crate) rows: Vec<&'a str>,
    /// Revisions to record in the log, with their checksums.
    pub(crate) logged: Vec<(&'a str, String)>,
    /// Revisions to remove from the log.
    pub(crate) unlogged: Vec<&'a str>,
}

/// One database's side of a run on one connection.
#[allow(async_fn_in_trait)]
pub(crate) trait Database {
    /// Takes the migration lock (bounded by the settings' lock timeout),
    /// creates the version table if it is missing and reads the state: the
    /// version table, the log rows of interrupted steps (every log row with
    /// `whole_log`) and a digest of the log. With `guard`, a database that
    /// has tables but no version table is refused before anything is created.
    /// With `release_if` (the version table's rows and the log's digest of
    /// a database that has nothing to do), the database may release the
    /// lock at once when it finds exactly that state; [`Database::unlock`]
    /// then sends nothing.
    async fn lock(
        &mut self,
        whole_log: bool,
        guard: bool,
        release_if: Option<(Vec<String>, String)>,
    ) -> Result<(DatabaseState, Option<String>), MigrateError>;

    /// Releases the lock (and anything the run set up on the connection).
    async fn unlock(&mut self);

    /// Reads every row of the log.
    async fn read_log(&mut self) -> Result<Vec<AppliedRow>, MigrateError>;

    /// Clears every interruption mark.
    async fn clear_marks(&mut self) -> Result<(), MigrateError>;

    /// Runs every step in one transaction, moving the version table to
    /// `rows`; returns each step's duration.
    async fn run_single(
        &mut self,
        steps: &[Step<'_>],
        rows: &[&str],
    ) -> Result<Vec<Duration>, MigrateError>;

    /// Runs the transactional steps `range`, each in its own transaction,
    /// adding each to `report` once it is committed.
    async fn run_transactional(
        &mut self,
        steps: &[Step<'_>],
        range: std::ops::Range<usize>,
        report: &mut Report,
    ) -> Result<(), MigrateError>;

    /// Runs a non-transactional step statement by statement, skipping the
    /// first `skip` (completed before an interruption).
    async fn run_non_transactional(
        &mut self,
        step: &Step<'_>,
        skip: usize,
    ) -> Result<(), MigrateError>;

    /// Runs a Rust revision's function `f` on the connection, in the
    /// revision's own transaction (on the bare connection when the revision
    /// is non-transactional), and records the step in the same transaction.
    async fn run_code(
        &mut self,
        step: &Step<'_>,
        f: crate::code::RevisionFn,
    ) -> Result<(), MigrateError>;

    /// Writes a stamp.
    async fn stamp(&mut self, change: &StampChange<'_>) -> Result<(), MigrateError>;
}
