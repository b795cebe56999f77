//! Applying, reverting and inspecting a revision chain: the orchestration
//! of a run, which knows no database.
//!
//! A run takes the lock and reads the state, checks it (drift, an
//! interrupted revision, rows this build does not know), resolves the
//! target, plans the steps and validates them, and has the database run
//! them, consecutive transactional steps together and each
//! non-transactional one alone; it reports each step as the database
//! confirms it. How each part is done on PostgreSQL is [`crate::postgres`],
//! behind the seam of [`crate::database::Database`].

use std::marker::PhantomData;
use std::time::{Duration, Instant};

use schema_core::sql::split_statements;
use schema_core::{
    Applied, IntoTarget, Language, Loaded, MigrationSet, Range, ResolveError, Revision, SetSource,
    StateError, Target,
};
use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, PgPool};

use crate::code;
use crate::database::{Database, Settings, StampChange};
use crate::error::{Drift, MigrateError};
use crate::postgres::version_table::{log_digest, VersionTable};
pub use crate::postgres::{close, connect};
use crate::postgres::{offline, PgRun, Postgres};
pub use crate::script::rows_text;
use crate::script::{plan, step_endpoints, Direction, Step, TransactionMode};

/// A revision recorded in the log table.
///
/// # Examples
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
/// let state = schema_runtime::Migrator::new(&migrations::SET).state(pool).await?;
/// for row in &state.applied {
///     println!("{} applied at {:?} in {:?} ms", row.id, row.applied_at, row.duration_ms);
/// }
/// # Ok(())
/// # }
/// ```
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
///
/// # Examples
///
/// ```
/// # schema_runtime::migrations!("../migrations", lint = false);
/// use schema_runtime::{DatabaseState, Migrator};
///
/// let migrator = Migrator::new(&migrations::SET);
/// let at_base = DatabaseState::default();
/// assert_eq!(migrator.applied(&at_base)?.count(), 0);
/// # Ok::<(), schema_runtime::MigrateError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DatabaseState {
    /// The rows of the version table: none at base, one on a linear history,
    /// one per unmerged branch top below a merge point.
    pub current: Vec<String>,
    /// The rows of the log.
    pub applied: Vec<AppliedRow>,
}

/// One revision run by a migrator.
///
/// # Examples
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
/// let report = schema_runtime::Migrator::new(&migrations::SET).upgrade(pool, "head").await?;
/// for step in &report.steps {
///     println!("{}: {} ({:.1} ms)", step.id, step.message, step.duration.as_secs_f64() * 1e3);
/// }
/// # Ok(())
/// # }
/// ```
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
///
/// # Examples
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
/// use schema_runtime::{rows_text, Migrator};
///
/// let report = Migrator::new(&migrations::SET).downgrade(pool, "-1").await?;
/// println!("{} {} -> {}", report.direction, rows_text(&report.from), rows_text(&report.to));
/// # Ok(())
/// # }
/// ```
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
///
/// # Examples
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
/// let migrator = schema_runtime::Migrator::new(&migrations::SET);
/// for entry in migrator.history(pool).await? {
///     let mark = if entry.current { "(current)" } else if entry.applied { "applied" } else { "" };
///     println!("{} {} {mark}", entry.revision.id, entry.revision.display_message());
///     if entry.checksum_matches == Some(false) {
///         println!("  the file changed since it was applied");
///     }
/// }
/// # Ok(())
/// # }
/// ```
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
///
/// `S` is the module the set belongs to: a `migrations!()` module's marker
/// for `Migrator::new(&migrations::SET)`, so that its typed revisions are
/// targets and another module's are a compile error; [`Loaded`] for a set
/// read from files at run time, whose targets are text.
///
/// # Examples
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
/// use std::time::Duration;
/// use schema_runtime::Migrator;
///
/// let migrator = Migrator::new(&migrations::SET).lock_timeout(Duration::from_secs(10));
/// let report = migrator.upgrade(pool, migrations::HEAD).await?;
/// assert_eq!(report.to, [migrations::SET.head().id.as_ref()]);
/// # Ok(())
/// # }
/// ```
pub struct Migrator<S = Loaded> {
    set: MigrationSet,
    settings: Settings,
    allow_drift: bool,
    resume_interrupted: bool,
    module: PhantomData<fn() -> S>,
}

impl<S> Clone for Migrator<S> {
    fn clone(&self) -> Self {
        Migrator {
            set: self.set.clone(),
            settings: self.settings.clone(),
            allow_drift: self.allow_drift,
            resume_interrupted: self.resume_interrupted,
            module: PhantomData,
        }
    }
}

impl<S> std::fmt::Debug for Migrator<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Migrator")
            .field("set", &self.set)
            .field("settings", &self.settings)
            .field("allow_drift", &self.allow_drift)
            .field("resume_interrupted", &self.resume_interrupted)
            .finish()
    }
}

/// Where a run resumes a non-transactional revision interrupted part way:
/// the revision, the direction, and how many of its statements completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Resume {
    pub(crate) id: String,
    pub(crate) direction: String,
    pub(crate) done: usize,
}

/// `in_progress` of a log row: `upgrade` or `downgrade`, then how many
/// statements completed (absent in marks written before counts were kept).
fn parse_progress(mark: &str) -> (String, Option<usize>) {
    let mut parts = mark.split_whitespace();
    let direction = parts.next().unwrap_or_default().to_owned();
    (direction, parts.next().and_then(|n| n.parse().ok()))
}

impl Migrator<Loaded> {
    /// Loads and checks a directory at run time (the same check as the macro).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::path::Path;
    /// use schema_runtime::Migrator;
    ///
    /// let migrator = Migrator::load(Path::new("../migrations"), "migrations")?;
    /// assert_eq!(migrator.set().base().id, "968b0dff6a9b");
    /// assert!(Migrator::load(Path::new("no/such/dir"), "no/such/dir").is_err());
    /// # Ok::<(), schema_runtime::MigrateError>(())
    /// ```
    pub fn load(dir: &std::path::Path, display_dir: &str) -> Result<Self, MigrateError> {
        Ok(Migrator::new(&schema_core::load_dir(dir, display_dir)?))
    }
}

impl<S> Migrator<S> {
    /// A migrator for `set` (the `SET` of `migrations!()`, or a loaded set),
    /// with the defaults: version table `alembic_version` on the search path,
    /// one transaction per revision, a 60 s lock wait, drift refused, an
    /// existing schema without a version table refused.
    ///
    /// # Examples
    ///
    /// ```
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// use schema_runtime::{Migration, Migrator};
    ///
    /// let migrator = Migrator::new(&migrations::SET);
    /// assert_eq!(migrator.version_table().name, "alembic_version");
    /// assert_eq!(migrator.heads()[0].id, migrations::HEAD.id());
    /// ```
    pub fn new<T: SetSource<Module = S> + ?Sized>(set: &T) -> Self {
        Migrator {
            set: set.migration_set().indexed().clone(),
            settings: Settings {
                table: VersionTable::default(),
                mode: TransactionMode::default(),
                lock_timeout: Duration::from_secs(60),
                allow_existing_schema: false,
                ddl_lock_timeout: None,
                ddl_retries: 0,
                blocker_report: None,
            },
            allow_drift: false,
            resume_interrupted: false,
            module: PhantomData,
        }
    }

    /// The version table's name (the log table is `<name>_log`).
    ///
    /// # Examples
    ///
    /// ```
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET).table_name("schema_version");
    /// assert_eq!(migrator.version_table().table(), "\"schema_version\"");
    /// assert_eq!(migrator.version_table().log_table(), "\"schema_version_log\"");
    /// ```
    pub fn table_name(mut self, name: impl Into<String>) -> Self {
        self.settings.table.name = name.into();
        self
    }

    /// The version table's schema (created if missing).
    ///
    /// # Examples
    ///
    /// ```
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET).schema("app");
    /// assert_eq!(migrator.version_table().table(), "\"app\".\"alembic_version\"");
    /// ```
    pub fn schema(mut self, schema: impl Into<String>) -> Self {
        self.settings.table.schema = Some(schema.into());
        self
    }

    /// How revisions are grouped into transactions.
    ///
    /// # Examples
    ///
    /// ```
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// use schema_runtime::{core::Range, Direction, Migrator, TransactionMode};
    ///
    /// let single = Migrator::new(&migrations::SET).transaction_mode(TransactionMode::Single);
    /// let sql = single.offline(Direction::Upgrade, &Range::parse("base:add_baselines")?)?;
    /// // One transaction around every revision of the script.
    /// assert_eq!(sql.matches("BEGIN;").count(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn transaction_mode(mut self, mode: TransactionMode) -> Self {
        self.settings.mode = mode;
        self
    }

    /// How long to wait for another migrator's lock.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// use std::time::Duration;
    ///
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET).lock_timeout(Duration::from_secs(5));
    /// match migrator.upgrade(pool, "head").await {
    ///     Err(schema_runtime::MigrateError::LockTimeout { waited_ms }) => println!("busy after {waited_ms} ms"),
    ///     other => { other?; }
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.settings.lock_timeout = timeout;
        self
    }

    /// Accept applied revisions whose file changed (or disappeared).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET);
    /// if let Err(schema_runtime::MigrateError::Drift { drift }) = migrator.upgrade(pool, "head").await {
    ///     eprintln!("{} revision(s) edited after they were applied", drift.len());
    ///     migrator.clone().allow_drift(true).upgrade(pool, "head").await?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn allow_drift(mut self, allow: bool) -> Self {
        self.allow_drift = allow;
        self
    }

    /// Run even though a non-transactional revision was interrupted part way
    /// (after the user has checked the database): the run continues that
    /// revision after its last completed statement.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET);
    /// if let Err(e @ schema_runtime::MigrateError::Interrupted { .. }) = migrator.upgrade(pool, "head").await {
    ///     eprintln!("{}", e.render());
    ///     // After checking the database against the revision's statements:
    ///     migrator.clone().resume_interrupted(true).upgrade(pool, "head").await?;
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn resume_interrupted(mut self, resume: bool) -> Self {
        self.resume_interrupted = resume;
        self
    }

    /// Upgrade a database that has no version table although it holds
    /// tables (refused by default: another tool built it, and `stamp` is
    /// usually what is wanted).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// // A database whose tables another tool created, to be brought under the chain.
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET).allow_existing_schema(true);
    /// migrator.upgrade(pool, "head").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn allow_existing_schema(mut self, allow: bool) -> Self {
        self.settings.allow_existing_schema = allow;
        self
    }

    /// A `lock_timeout` for the statements of each transactional revision:
    /// a revision that waits longer for a table lock is rolled back (and
    /// retried, see [`Self::ddl_retries`]) instead of making every later
    /// query on that table queue behind it.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// use std::time::Duration;
    ///
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET)
    ///     .ddl_lock_timeout(Some(Duration::from_secs(2)))
    ///     .ddl_retries(5);
    /// migrator.upgrade(pool, "head").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn ddl_lock_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.settings.ddl_lock_timeout = timeout;
        self
    }

    /// How many times a revision that hit the [`Self::ddl_lock_timeout`] is
    /// tried again (after 1 s, 2 s, 4 s, ... at most 30 s apart).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// use std::time::Duration;
    ///
    /// // Give up a table lock after 1 s, and try the revision 3 more times.
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET)
    ///     .ddl_lock_timeout(Some(Duration::from_secs(1)))
    ///     .ddl_retries(3);
    /// migrator.upgrade(pool, "head").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn ddl_retries(mut self, retries: u32) -> Self {
        self.settings.ddl_retries = retries;
        self
    }

    /// Report, every `after`, who blocks a run that waits for a lock (pid,
    /// application, the start of its query, for how long), through a second
    /// connection to `database_url`.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool, url: &str) -> Result<(), schema_runtime::MigrateError> {
    /// use std::time::Duration;
    ///
    /// // While the run waits for a lock, log who holds it every 10 s.
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET)
    ///     .report_blockers(url, Duration::from_secs(10));
    /// migrator.upgrade(pool, "head").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn report_blockers(mut self, database_url: impl Into<String>, after: Duration) -> Self {
        self.settings.blocker_report = Some((database_url.into(), after));
        self
    }

    /// The chain.
    ///
    /// # Examples
    ///
    /// ```
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET);
    /// assert_eq!(migrator.set().len(), migrations::SET.len());
    /// assert_eq!(migrator.set().head().id, migrations::SET.head().id);
    /// ```
    pub fn set(&self) -> &MigrationSet {
        &self.set
    }

    /// The version table.
    ///
    /// # Examples
    ///
    /// ```
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET);
    /// let table = migrator.version_table();
    /// assert_eq!((table.schema.as_deref(), table.name.as_str()), (None, "alembic_version"));
    /// ```
    pub fn version_table(&self) -> &VersionTable {
        &self.settings.table
    }

    /// The heads of the graph (one, for a checked set).
    ///
    /// # Examples
    ///
    /// ```
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// use schema_runtime::Migration;
    ///
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET);
    /// let heads: Vec<&str> = migrator.heads().iter().map(|r| &*r.id).collect();
    /// assert_eq!(heads, [migrations::HEAD.id()]);
    /// ```
    pub fn heads(&self) -> Vec<&Revision> {
        self.set
            .heads()
            .into_iter()
            .map(|i| &self.set.revisions()[i])
            .collect()
    }

    /// The revisions the state stands for: the version-table rows and
    /// everything below them.
    ///
    /// # Examples
    ///
    /// ```
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// use schema_runtime::{DatabaseState, MigrateError, Migration, Migrator};
    ///
    /// let migrator = Migrator::new(&migrations::SET);
    /// let at_head = DatabaseState { current: vec![migrations::HEAD.id().into()], ..Default::default() };
    /// assert_eq!(migrator.applied(&at_head)?.count(), migrations::SET.len());
    /// let newer = DatabaseState { current: vec!["from_a_newer_build".into()], ..Default::default() };
    /// assert!(matches!(migrator.applied(&newer), Err(MigrateError::UnknownDatabaseRevision { .. })));
    /// # Ok::<(), MigrateError>(())
    /// ```
    pub fn applied(&self, state: &DatabaseState) -> Result<Applied, MigrateError> {
        if state.current.is_empty() {
            return Ok(Applied::none(&self.set));
        }
        self.set
            .applied_from_rows(&state.current)
            .map_err(|e| match e {
                StateError::Unknown { id } => match self.squashed_into(&id) {
                    Some(base) => MigrateError::BelowSquash {
                        id,
                        squashed_into: base.to_owned(),
                    },
                    None => MigrateError::UnknownDatabaseRevision {
                        id,
                        head: self.set.head().id.to_string(),
                    },
                },
                StateError::Redundant { below, above } => MigrateError::ImpossibleState {
                    table: self.settings.table.table(),
                    rows: state.current.clone(),
                    below,
                    above,
                },
            })
    }

    /// The squashed base whose record names `id` among the revisions it
    /// replaced.
    fn squashed_into(&self, id: &str) -> Option<&str> {
        self.set
            .revisions()
            .iter()
            .find(|r| {
                r.down_revisions.is_empty() && squashed_record(&r.upgrade.sql).any(|(s, _)| s == id)
            })
            .map(|r| &*r.id)
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
    /// `conn` is a connection (`&mut PgConnection`) or a pool (`&PgPool`).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// let state = schema_runtime::Migrator::new(&migrations::SET).current(pool).await?;
    /// println!("at {}", schema_runtime::rows_text(&state.current));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn current<'c>(
        &self,
        conn: impl Into<Conn<'c>>,
    ) -> Result<DatabaseState, MigrateError> {
        self.state(conn).await
    }

    /// Reads the state without locking or creating anything: empty when the
    /// version table does not exist yet; the version table alone when it has
    /// no log (a database Alembic manages).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET);
    /// let state = migrator.state(pool).await?;
    /// let applied = migrator.applied(&state)?;
    /// println!("{} of {} revisions applied", applied.count(), migrator.set().len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn state<'c>(
        &self,
        conn: impl Into<Conn<'c>>,
    ) -> Result<DatabaseState, MigrateError> {
        let mut conn = acquire(conn).await?;
        self.pg().state(&mut conn).await
    }

    /// Looks, without locking or creating anything, for the version table as
    /// a run would resolve it.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// let probe = schema_runtime::Migrator::new(&migrations::SET).probe(pool).await?;
    /// if !probe.has_table && probe.other_tables > 0 {
    ///     println!("{} tables but no version table: stamp the revision they match", probe.other_tables);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub async fn probe<'c>(&self, conn: impl Into<Conn<'c>>) -> Result<Probe, MigrateError> {
        let mut conn = acquire(conn).await?;
        self.pg().probe(&mut conn).await
    }

    /// The PostgreSQL side of this migrator.
    fn pg(&self) -> Postgres<'_> {
        Postgres::new(&self.settings, &self.set)
    }

    /// Every revision, base first, with what the database knows of it.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET);
    /// let pending = migrator.history(pool).await?.iter().filter(|e| !e.applied).count();
    /// println!("{pending} revision(s) to apply");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn history<'c>(
        &self,
        conn: impl Into<Conn<'c>>,
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
        let squashed: Vec<(&str, &str)> = self
            .set
            .revisions()
            .iter()
            .filter(|r| r.down_revisions.is_empty())
            .flat_map(|r| squashed_record(&r.upgrade.sql))
            .collect();
        for row in &state.applied {
            // A revision squashed into the base, applied from the file the
            // squash replaced: the base's schema is what it built.
            if squashed
                .iter()
                .any(|&(id, sum)| id == row.id && row.checksum.as_deref().is_none_or(|c| c == sum))
            {
                continue;
            }
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
            if step.revision.language == Language::Rust {
                if code::functions(step.revision).is_none() {
                    return Err(MigrateError::CodeNotEmbedded {
                        revision: step.revision.id.to_string(),
                        path: step.revision.path.to_string(),
                    });
                }
                if mode == TransactionMode::Single {
                    return Err(MigrateError::CodeInSingle {
                        revision: step.revision.id.to_string(),
                        path: step.revision.path.to_string(),
                    });
                }
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
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET);
    /// migrator.upgrade(pool, "+1").await?; // one revision up
    /// let report = migrator.upgrade(pool, migrations::HEAD).await?; // the rest
    /// println!("applied {} revision(s)", report.steps.len());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn upgrade<'c, T>(
        &self,
        conn: impl Into<Conn<'c>>,
        target: T,
    ) -> Result<Report, MigrateError>
    where
        T: IntoTarget<S>,
    {
        let target = target.into_target()?;
        let mut conn = acquire(conn).await?;
        self.run(&mut conn, Direction::Upgrade, target).await
    }

    /// Downgrades to `target` (`"base"`, `"-1"`, an id, a typed revision, ...).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(url: &str) -> Result<(), schema_runtime::MigrateError> {
    /// // On a connection of one's own rather than a pool.
    /// let mut conn = schema_runtime::connect(url).await?;
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET);
    /// let report = migrator.downgrade(&mut conn, "-1").await?;
    /// assert!(report.steps.len() <= 1);
    /// schema_runtime::close(conn).await;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn downgrade<'c, T>(
        &self,
        conn: impl Into<Conn<'c>>,
        target: T,
    ) -> Result<Report, MigrateError>
    where
        T: IntoTarget<S>,
    {
        let target = target.into_target()?;
        let mut conn = acquire(conn).await?;
        self.run(&mut conn, Direction::Downgrade, target).await
    }

    async fn run(
        &self,
        conn: &mut PgConnection,
        direction: Direction,
        target: Target,
    ) -> Result<Report, MigrateError> {
        // `upgrade head` on a database at head has nothing to do: the
        // database may see that itself and release the lock at once.
        let release_if =
            (direction == Direction::Upgrade && target == Target::HEAD && !self.resume_interrupted)
                .then(|| {
                    let all = Applied::all(&self.set);
                    (self.rows_of(&all), self.expected_log_digest(&all))
                });
        let mut db = PgRun::new(self.pg(), conn);
        let (state, digest) = db
            .lock(false, direction == Direction::Upgrade, release_if)
            .await?;
        let result = self
            .run_locked(&mut db, state, digest, direction, &target)
            .await;
        db.unlock().await;
        result
    }

    async fn run_locked(
        &self,
        db: &mut impl Database,
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
            state.applied = db.read_log().await?;
            self.check_drift(&state, &applied)?;
        }
        let to = self.target_state(direction, target, &applied)?;
        let steps = plan(&self.set, &applied, &to);
        self.validate_steps(&steps, self.settings.mode)?;
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
                db.clear_marks().await?;
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
        if self.settings.mode == TransactionMode::Single && !steps.is_empty() {
            let rows = self.set.row_ids(&to);
            let durations = db.run_single(&steps, &rows).await?;
            for (step, duration) in steps.iter().zip(durations) {
                finish_step(&mut report, step, duration);
            }
            return Ok(report);
        }
        let mut i = 0;
        while i < steps.len() {
            if let Some(f) = step_function(&steps[i]) {
                let started = Instant::now();
                db.run_code(&steps[i], f)
                    .await
                    .map_err(|e| with_applied(e, &report))?;
                finish_step(&mut report, &steps[i], started.elapsed());
                i += 1;
            } else if steps[i].revision.options.non_transactional {
                let started = Instant::now();
                let skip = resume.take().map_or(0, |r| r.done);
                db.run_non_transactional(&steps[i], skip)
                    .await
                    .map_err(|e| with_applied(e, &report))?;
                finish_step(&mut report, &steps[i], started.elapsed());
                i += 1;
            } else {
                let end = steps[i..]
                    .iter()
                    .position(|s| {
                        s.revision.options.non_transactional
                            || s.revision.language == Language::Rust
                    })
                    .map_or(steps.len(), |k| i + k);
                db.run_transactional(&steps, i..end, &mut report)
                    .await
                    .map_err(|e| with_applied(e, &report))?;
                i = end;
            }
        }
        Ok(report)
    }

    /// Records `target` as the current revision without running anything.
    /// With `purge`, the version table and log are emptied first (for a table
    /// in an impossible state).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// // The schema was built by hand up to the head: record it, run nothing.
    /// let report = schema_runtime::Migrator::new(&migrations::SET).stamp(pool, "head", false).await?;
    /// assert!(report.steps.is_empty());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn stamp<'c, T>(
        &self,
        conn: impl Into<Conn<'c>>,
        target: T,
        purge: bool,
    ) -> Result<Report, MigrateError>
    where
        T: IntoTarget<S>,
    {
        let target = target.into_target()?;
        let mut conn = acquire(conn).await?;
        let mut db = PgRun::new(self.pg(), &mut conn);
        let (state, _) = db.lock(true, false, None).await?;
        let result = self.stamp_locked(&mut db, state, &target, purge).await;
        db.unlock().await;
        result
    }

    async fn stamp_locked(
        &self,
        db: &mut impl Database,
        state: DatabaseState,
        target: &Target,
        purge: bool,
    ) -> Result<Report, MigrateError> {
        let applied = if purge {
            Applied::none(&self.set)
        } else {
            self.applied(&state)?
        };
        // A stamp goes whichever way the target lies, by Alembic's rule.
        let to = target
            .resolve_stamp(&self.set, &applied)
            .map_err(MigrateError::Target)?;
        let direction = if applied.is_subset(&to) {
            Direction::Upgrade
        } else {
            Direction::Downgrade
        };
        let mut change = StampChange {
            purge,
            rows: self.set.row_ids(&to),
            logged: Vec::new(),
            unlogged: Vec::new(),
        };
        for (i, r) in self.set.revisions().iter().enumerate() {
            if to.contains(i) {
                if !state.applied.iter().any(|a| a.id == r.id) || purge {
                    change.logged.push((&r.id, r.checksum_hex()));
                }
            } else {
                change.unlogged.push(&r.id);
            }
        }
        db.stamp(&change).await?;
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
    ///
    /// # Examples
    ///
    /// ```
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// use schema_runtime::{core::Range, Direction, MigrateError, Migrator};
    ///
    /// let migrator = Migrator::new(&migrations::SET);
    /// let sql = migrator.offline(Direction::Upgrade, &Range::parse("base:add_baselines")?)?;
    /// assert!(sql.contains("CREATE TABLE cameras"));
    /// // The head is written in Rust: offline SQL cannot hold it.
    /// let err = migrator.offline(Direction::Upgrade, &Range::parse("base:head")?).unwrap_err();
    /// assert!(matches!(err, MigrateError::CodeOffline { .. }));
    /// // Relative to the database's current revision: not knowable offline.
    /// let err = migrator.offline(Direction::Downgrade, &Range::parse("-1")?).unwrap_err();
    /// assert!(matches!(err, MigrateError::OfflineNeedsStart { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
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
        if let Some(rust) = steps.iter().find(|s| s.revision.language == Language::Rust) {
            return Err(MigrateError::CodeOffline {
                revision: rust.revision.id.to_string(),
                path: rust.revision.path.to_string(),
            });
        }
        self.validate_steps(&steps, self.settings.mode)?;
        let title = format!(
            "{direction} {}:{} ({} revision(s)), generated by schema-migrations",
            rows_text(&self.rows_of(&from)),
            rows_text(&self.rows_of(&to)),
            steps.len()
        );
        Ok(offline::offline_script(
            &self.settings.table,
            &steps,
            self.settings.mode,
            &title,
        ))
    }
}

/// What a [`Migrator`] runs on: a connection (`&mut PgConnection`, or a
/// pooled one) or a pool (`&PgPool`) to take one from for the call.
///
/// # Examples
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// # async fn example(url: &str) -> Result<(), Box<dyn std::error::Error>> {
/// use schema_runtime::{sqlx::PgPool, Migrator};
///
/// let migrator = Migrator::new(&migrations::SET);
/// let pool = PgPool::connect(url).await?;
/// migrator.current(&pool).await?; // a pool: a connection is taken for the call
/// let mut conn = pool.acquire().await?;
/// migrator.current(&mut conn).await?; // a pooled connection
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub enum Conn<'a> {
    /// A connection of the caller's.
    Connection(&'a mut PgConnection),
    /// A pool: one connection is taken for the call and given back after it.
    Pool(&'a PgPool),
}

impl<'a> From<&'a mut PgConnection> for Conn<'a> {
    fn from(conn: &'a mut PgConnection) -> Self {
        Conn::Connection(conn)
    }
}

impl<'a> From<&'a mut PoolConnection<sqlx::Postgres>> for Conn<'a> {
    fn from(conn: &'a mut PoolConnection<sqlx::Postgres>) -> Self {
        Conn::Connection(&mut *conn)
    }
}

impl<'a> From<&'a PgPool> for Conn<'a> {
    fn from(pool: &'a PgPool) -> Self {
        Conn::Pool(pool)
    }
}

/// A connection held for one call: the caller's, or one taken from a pool.
enum Held<'a> {
    Borrowed(&'a mut PgConnection),
    Pooled(PoolConnection<sqlx::Postgres>),
}

impl std::ops::Deref for Held<'_> {
    type Target = PgConnection;
    fn deref(&self) -> &PgConnection {
        match self {
            Held::Borrowed(c) => c,
            Held::Pooled(c) => c,
        }
    }
}

impl std::ops::DerefMut for Held<'_> {
    fn deref_mut(&mut self) -> &mut PgConnection {
        match self {
            Held::Borrowed(c) => c,
            Held::Pooled(c) => c,
        }
    }
}

/// The connection to run a call on.
async fn acquire<'c>(conn: impl Into<Conn<'c>>) -> Result<Held<'c>, MigrateError> {
    match conn.into() {
        Conn::Connection(c) => Ok(Held::Borrowed(c)),
        Conn::Pool(pool) => {
            pool.acquire()
                .await
                .map(Held::Pooled)
                .map_err(|source| MigrateError::Database {
                    context: "taking a connection from the pool",
                    source,
                })
        }
    }
}

/// `e` with the steps of `report` (those completed before it) when it is a
/// failed statement.
fn with_applied(mut e: MigrateError, report: &Report) -> MigrateError {
    match &mut e {
        MigrateError::Statement(s) => s.applied = report.steps.clone(),
        MigrateError::CodeFailed { applied, .. } => *applied = report.steps.clone(),
        _ => {}
    }
    e
}

/// The embedded function a Rust revision's step runs (`None` for SQL).
fn step_function(step: &Step<'_>) -> Option<code::RevisionFn> {
    if step.revision.language != Language::Rust {
        return None;
    }
    let functions = code::functions(step.revision)?;
    match step.direction {
        Direction::Upgrade => Some(functions.upgrade),
        Direction::Downgrade => functions.downgrade,
    }
}

/// Adds a finished step to the report, and says so.
pub(crate) fn finish_step(report: &mut Report, step: &Step<'_>, duration: Duration) {
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

/// What [`Migrator::probe`] found.
///
/// # Examples
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
/// let probe = schema_runtime::Migrator::new(&migrations::SET).probe(pool).await?;
/// match &probe.table {
///     Some(table) if probe.has_table => println!("version table {}", table.table()),
///     Some(table) => println!("{} would be created", table.table()),
///     None => println!("the search_path names no existing schema"),
/// }
/// # Ok(())
/// # }
/// ```
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

/// The line that opens each entry of a squashed base's record: `squash`
/// writes one per replaced revision, `<marker><id> <checksum>`, at the top
/// of the base's upgrade section.
pub(crate) const SQUASHED_MARKER: &str = "-- squashed: ";

/// The revisions a squashed base replaced and the checksums of their
/// upgrades, from the record at the top of its upgrade section: a log row
/// of one of them with that checksum is not drift (the base builds the same
/// schema), and a database whose version table names one that is not kept
/// is below the squash.
pub(crate) fn squashed_record(upgrade: &str) -> impl Iterator<Item = (&str, &str)> {
    upgrade
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .take_while(|l| l.starts_with("--") || l.is_empty())
        .filter_map(|l| {
            let mut words = l.strip_prefix(SQUASHED_MARKER)?.split_whitespace();
            Some((words.next()?, words.next()?))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_marks_read_with_and_without_a_count() {
        assert_eq!(parse_progress("upgrade 3"), ("upgrade".to_owned(), Some(3)));
        assert_eq!(parse_progress("downgrade"), ("downgrade".to_owned(), None));
        assert_eq!(parse_progress("upgrade x"), ("upgrade".to_owned(), None));
    }
}
