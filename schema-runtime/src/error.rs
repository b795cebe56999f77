//! Errors of the migrator: a short message each (`Display`), what to do
//! about it (`help`), and a cargo-style rendering for terminals (`render`):
//! what went wrong, where (revision, file, line and column), and what to do.

use std::fmt;

use schema_core::render::{Message, Pointer};
use schema_core::{Diagnostics, ResolveError};

use crate::script::Direction;

/// A statement the server rejected, mapped back to its revision file.
///
/// # Examples
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
/// use schema_runtime::MigrateError;
///
/// match schema_runtime::Migrator::new(&migrations::SET).upgrade(pool, "head").await {
///     Err(MigrateError::Statement(e)) => {
///         eprintln!("{}:{}:{}: {} (SQLSTATE {})", e.path, e.line, e.column, e.message, e.code);
///         eprintln!("the database is at {}", schema_runtime::rows_text(&e.database_at));
///     }
///     other => { other?; }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementError {
    /// The revision.
    pub revision: String,
    /// Applying or reverting.
    pub direction: Direction,
    /// The revision file.
    pub path: String,
    /// 1-based line in the file.
    pub line: u32,
    /// 1-based column in the file.
    pub column: u32,
    /// The text of that line.
    pub source_line: Option<String>,
    /// The server's message.
    pub message: String,
    /// The SQLSTATE code.
    pub code: String,
    /// The server's detail, if any.
    pub detail: Option<String>,
    /// The server's hint, if any.
    pub hint: Option<String>,
    /// Where the database stands now: the version table after the last good
    /// revision (empty: base).
    pub database_at: Vec<String>,
    /// Whether `database_at` was read back from the database after the
    /// failure; `false` when the connection was lost first (the revisions
    /// the server reported as committed are then a lower bound).
    pub database_at_confirmed: bool,
    /// Whether a single-transaction run was rolled back as a whole.
    pub whole_run_rolled_back: bool,
    /// How the failing statement was found.
    pub located: Located,
    /// What else the server said: its `CONTEXT` (the line of a function or
    /// `DO` block), and the schema, table, column, data type and constraint
    /// it named.
    pub server_fields: Vec<(&'static str, String)>,
    /// For a non-transactional revision, which stopped part way: how many of
    /// its statements completed (they stay applied) and how many it has.
    pub statements_done: Option<(usize, usize)>,
    /// The revisions this run applied (or reverted) before the failing one,
    /// in order: they stay done, and the database is at the last of them.
    /// Empty when the run was one transaction (all of it was rolled back).
    pub applied: Vec<crate::migrator::StepReport>,
}

/// How the statement a [`StatementError`] points at was found.
///
/// # Examples
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
/// use schema_runtime::{Located, MigrateError};
///
/// if let Err(MigrateError::Statement(e)) = schema_runtime::Migrator::new(&migrations::SET).upgrade(pool, "head").await {
///     if e.located == Located::Unknown {
///         eprintln!("{}: the server did not say which statement failed", e.message);
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Located {
    /// From the position the server gave in its error.
    Position,
    /// From how many statements of the message the server completed first.
    Statement,
    /// Inside a function or `DO` block, from the line in the server's `CONTEXT`.
    Body,
    /// Every statement of the revision ran; its `COMMIT` failed (a deferred
    /// constraint): the line is the revision's first.
    Commit,
    /// The server did not say which statement failed.
    Unknown,
}

impl fmt::Display for StatementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "revision `{}` failed to {} at {}:{}:{}: {} (SQLSTATE {})",
            self.revision,
            self.direction,
            self.path,
            self.line,
            self.column,
            self.message,
            self.code
        )
    }
}

impl StatementError {
    /// The error as a terminal shows it, cargo-style: the line with a caret
    /// under the column, what the server said, and where the database now
    /// stands. `resume` says how to resume an interrupted non-transactional
    /// revision.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// if let Err(schema_runtime::MigrateError::Statement(e)) =
    ///     schema_runtime::Migrator::new(&migrations::SET).upgrade(pool, "head").await
    /// {
    ///     eprintln!("error: {}", e.render("run the upgrade again with resuming allowed"));
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn render(&self, resume: &str) -> String {
        self.message(resume).draw()
    }

    /// The error as a [`Message`]: what [`Self::render`] draws.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// if let Err(schema_runtime::MigrateError::Statement(e)) =
    ///     schema_runtime::Migrator::new(&migrations::SET).upgrade(pool, "head").await
    /// {
    ///     let message = e.message("resume the revision").note("note", "deploy 1234 stopped here");
    ///     eprintln!("error: {}", message.draw());
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn message(&self, resume: &str) -> Message {
        let mut pointer = Pointer::new(self.path.clone(), self.line).column(self.column);
        if let Some(src) = &self.source_line {
            pointer = pointer.text(src.clone());
        }
        let mut m = Message::new(format!(
            "revision `{}` failed to {}: {} (SQLSTATE {})",
            self.revision, self.direction, self.message, self.code
        ))
        .at(pointer);
        match self.located {
            Located::Commit => m = m.note("note", "every statement of the revision ran; the server refused its COMMIT (a deferred constraint is checked there)"),
            Located::Unknown => m = m.note("note", "the server did not say which statement failed; what it said is below"),
            _ => {}
        }
        if let Some(d) = &self.detail {
            m = m.note("detail", d.as_str());
        }
        if let Some(h) = &self.hint {
            m = m.note("hint", h.as_str());
        }
        for (name, value) in &self.server_fields {
            m = m.note(*name, value.as_str());
        }
        m.note("note", self.where_now(resume))
    }

    /// Where the database stands after the failure, and what to do next.
    fn where_now(&self, resume: &str) -> String {
        if let Some((done, total)) = self.statements_done {
            return format!(
                "the revision is non-transactional: {done} of its {total} statements completed and stay applied; the version table still has it unapplied, marked as interrupted. Fix the failing statement, then {resume} to continue from statement {}",
                done + 1
            );
        }
        let at = database_at_text(&self.database_at);
        if !self.database_at_confirmed && !self.whole_run_rolled_back {
            return format!(
                "the connection was lost before the version table could be read again; the database is at {at} or at a later revision of this run: `current` tells which, then fix `{}` and run the {} again",
                self.path, self.direction
            );
        }
        if self.whole_run_rolled_back {
            format!("the whole run was one transaction and was rolled back; the database is still at {at}")
        } else {
            format!(
                "the database is at {at}, the last good revision; fix `{}` and run the {} again",
                self.path, self.direction
            )
        }
    }
}

/// Where a failed run left the database: `base (no revision)`, or its
/// version-table rows quoted and joined.
fn database_at_text(rows: &[String]) -> String {
    if rows.is_empty() {
        "base (no revision)".to_owned()
    } else {
        quoted_rows(rows)
    }
}

/// `base`, or the rows quoted and joined: `` `a` and `b` ``.
fn quoted_rows(rows: &[String]) -> String {
    if rows.is_empty() {
        "base".to_owned()
    } else {
        rows.iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(" and ")
    }
}

/// An applied revision whose file changed since it was applied.
///
/// # Examples
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
/// if let Err(schema_runtime::MigrateError::Drift { drift }) =
///     schema_runtime::Migrator::new(&migrations::SET).upgrade(pool, "head").await
/// {
///     for d in &drift {
///         eprintln!("{} ({}): applied as {}, now {}", d.revision, d.path, d.recorded, d.embedded);
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drift {
    /// The revision.
    pub revision: String,
    /// Its file.
    pub path: String,
    /// The checksum recorded when it was applied.
    pub recorded: String,
    /// The checksum of the file now.
    pub embedded: String,
}

/// What can go wrong when migrating.
///
/// `Display` gives one line that says what went wrong, for programs and
/// logs; [`MigrateError::help`] says what to do about it, and
/// [`MigrateError::render`] draws the whole message as cargo does for a
/// terminal. None of them names a command-line command or flag: a command
/// line puts its own words in the help ([`MigrateError::render_with_help`]).
///
/// # Examples
///
/// ```
/// use schema_runtime::MigrateError;
///
/// let e = MigrateError::Irreversible { revision: "ae10".into(), path: "migrations/ae10.sql".into() };
/// assert_eq!(e.to_string(), "revision `ae10` is irreversible and cannot be downgraded");
/// assert_eq!(e.help().as_deref(), Some("downgrade to `ae10` at the lowest, or restore from a backup"));
/// assert!(e.render().starts_with("error: revision `ae10` is irreversible"));
/// assert!(e.render().contains("--> migrations/ae10.sql"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// The migrations directory is broken (run-time loading only).
    #[error("the migrations directory is broken ({} problem(s))", .0.0.len())]
    Load(#[from] Diagnostics),
    /// A target that is not valid target syntax.
    #[error("{0}")]
    TargetSyntax(#[from] schema_core::TargetParseError),
    /// A target that does not resolve.
    #[error("{0}")]
    Target(#[from] ResolveError),
    /// A target in the wrong direction.
    #[error(
        "cannot {direction} to `{target}`: the database is at {}, and `{target}` is {}",
        quoted_rows(current),
        if *direction == Direction::Upgrade { "below it" } else { "above it" }
    )]
    WrongDirection {
        /// The requested direction.
        direction: Direction,
        /// The target as written.
        target: String,
        /// The database's version-table rows.
        current: Vec<String>,
    },
    /// Downgrading through an irreversible revision.
    #[error("revision `{revision}` is irreversible and cannot be downgraded")]
    Irreversible {
        /// The revision.
        revision: String,
        /// Its file.
        path: String,
    },
    /// A non-transactional revision in a single-transaction run.
    #[error("revision `{revision}` is non-transactional and cannot run inside the single transaction of this run")]
    NonTransactionalInSingle {
        /// The revision.
        revision: String,
        /// Its file.
        path: String,
    },
    /// The server rejected a statement.
    #[error("{0}")]
    Statement(Box<StatementError>),
    /// A non-transactional step was interrupted part way (a crash, a killed
    /// connection or a failing statement): some of its statements may have run.
    #[error("the {direction} of revision `{revision}` (non-transactional) was interrupted part way: {progress}")]
    Interrupted {
        /// The revision.
        revision: String,
        /// Its file.
        path: String,
        /// `upgrade` or `downgrade`.
        direction: String,
        /// How far it got, in words.
        progress: String,
    },
    /// Another migrator held the lock for too long.
    #[error("another migrator held the migration lock for more than {waited_ms} ms")]
    LockTimeout {
        /// How long this migrator waited.
        waited_ms: u64,
    },
    /// Applied revisions whose upgrade changed since they were applied.
    #[error(
        "{} applied revision(s) changed since they were applied: {}",
        drift.len(),
        drift.iter().map(|d| format!("`{}`", d.revision)).collect::<Vec<_>>().join(", ")
    )]
    Drift {
        /// Each changed revision.
        drift: Vec<Drift>,
    },
    /// Revisions recorded as applied that the migrations no longer contain.
    #[error(
        "the database records applied revision(s) {} that this build does not contain",
        ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
    )]
    MissingRevisions {
        /// The ids.
        ids: Vec<String>,
    },
    /// The database is at a revision this build does not know.
    #[error("the database is at revision `{id}`, which this build does not know (the head here is `{head}`)")]
    UnknownDatabaseRevision {
        /// The database's revision.
        id: String,
        /// This build's head.
        head: String,
    },
    /// The database is at a revision that a squash replaced: the chain now
    /// starts at the squashed base, and the revisions below it were moved out
    /// of the chain (to `squashed/` next to it).
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::MigrateError;
    ///
    /// let e = MigrateError::BelowSquash { id: "add_users".into(), squashed_into: "add_orders".into() };
    /// assert!(e.to_string().contains("squashed into `add_orders`"));
    /// assert!(e.help().unwrap().contains("upgrade add_orders --dir"));
    /// ```
    #[error("the database is at revision `{id}`, which was squashed into `{squashed_into}`: this chain starts at `{squashed_into}` and cannot upgrade a database below it")]
    BelowSquash {
        /// The database's revision, one the squash replaced.
        id: String,
        /// The squashed base that replaced it.
        squashed_into: String,
    },
    /// The version table holds a row below another row.
    #[error(
        "the version table {table} holds {} rows ({}), but `{below}` is below `{above}`: each row must be the top of an applied branch",
        rows.len(),
        rows.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
    )]
    ImpossibleState {
        /// The version table.
        table: String,
        /// Its rows.
        rows: Vec<String>,
        /// The row that is below another.
        below: String,
        /// The row above it.
        above: String,
    },
    /// A target that needs a database in offline mode.
    #[error("`{target}` is relative to the current revision, which offline mode cannot know")]
    OfflineNeedsStart {
        /// The target.
        target: String,
        /// A corrected range.
        example: String,
    },
    /// Connecting failed.
    #[error("cannot connect to {url}: {message}")]
    Connect {
        /// The URL with its password masked.
        url: String,
        /// The driver's message, with any password removed.
        message: String,
    },
    /// The version table did not hold the rows a revision meant to move:
    /// something else changed it during the run (another tool, a revision
    /// that edits it). The revision's transaction was rolled back.
    #[error("the version table {table} changed under the run while recording revision `{revision}`: {message}")]
    VersionTableChanged {
        /// The version table.
        table: String,
        /// The revision being recorded.
        revision: String,
        /// The server's message.
        message: String,
    },
    /// A revision released the migration lock (`pg_advisory_unlock_all()`,
    /// `DISCARD ALL`): the run stops rather than let a second migrator in.
    #[error("revision `{revision}` released the migration lock, so another migrator could have started; the run stopped and the revision's transaction was rolled back")]
    LockLost {
        /// The revision.
        revision: String,
        /// Its file.
        path: String,
    },
    /// A Rust revision's function returned an error. Its transaction was
    /// rolled back (a non-transactional revision keeps what it did).
    #[error("revision `{revision}` failed to {direction}: {source}")]
    CodeFailed {
        /// The revision.
        revision: String,
        /// Applying or reverting.
        direction: Direction,
        /// Its file.
        path: String,
        /// The line of the function that failed.
        line: u32,
        /// What the function returned; its sources follow.
        #[source]
        source: crate::code::BoxError,
        /// The version table after the last good revision (empty: base).
        database_at: Vec<String>,
        /// Whether the revision is non-transactional (what it did stays).
        non_transactional: bool,
        /// The revisions this run completed before it.
        applied: Vec<crate::migrator::StepReport>,
    },
    /// A Rust revision whose code ended the transaction it runs in (a
    /// `COMMIT` or `ROLLBACK` of its own): what it committed stays, and the
    /// revision is not recorded.
    #[error("revision `{revision}` ended the transaction it runs in (a COMMIT or ROLLBACK of its own), so it was not recorded")]
    CodeEndedTransaction {
        /// The revision.
        revision: String,
        /// Its file.
        path: String,
    },
    /// A Rust revision that this program does not embed (a set read from
    /// files at run time): it cannot run.
    #[error("revision `{revision}` is written in Rust, and this program reads revision files at run time, so it cannot run it")]
    CodeNotEmbedded {
        /// The revision.
        revision: String,
        /// Its file.
        path: String,
    },
    /// Offline SQL over a Rust revision.
    #[error("revision `{revision}` is written in Rust: offline SQL cannot include it")]
    CodeOffline {
        /// The revision.
        revision: String,
        /// Its file.
        path: String,
    },
    /// A Rust revision in a single-transaction run.
    #[error("revision `{revision}` is written in Rust and cannot run inside the single transaction of this run")]
    CodeInSingle {
        /// The revision.
        revision: String,
        /// Its file.
        path: String,
    },
    /// The version table is missing but the database already holds tables:
    /// another tool, or a person, built it. Nothing was run or created.
    #[error("the database has no version table {table} but already holds {tables}")]
    ExistingSchema {
        /// The version table that was looked for.
        table: String,
        /// How many tables, and which.
        tables: String,
    },
    /// The `search_path` names no schema that exists, so there is nowhere
    /// to find or create the version table.
    #[error("the search_path ({search_path}) names no existing schema, so the version table has nowhere to live")]
    NoSchema {
        /// The session's `search_path`.
        search_path: String,
    },
    /// The connection listens for notifications, which would arrive in the
    /// middle of the run's replies.
    #[error("the connection listens on channel(s) {channels}; notifications would interleave with the migration")]
    Listening {
        /// The channels.
        channels: String,
    },
    /// Any other database error.
    #[error("{context}: {source}")]
    Database {
        /// What the migrator was doing.
        context: &'static str,
        /// The server's or the driver's error.
        #[source]
        source: sqlx::Error,
    },
}

impl MigrateError {
    /// The revisions the run completed before this error: for a failed
    /// statement, those before the failing revision; empty otherwise.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example(pool: &schema_runtime::sqlx::PgPool) -> Result<(), schema_runtime::MigrateError> {
    /// if let Err(e) = schema_runtime::Migrator::new(&migrations::SET).upgrade(pool, "head").await {
    ///     for step in e.applied() {
    ///         eprintln!("applied before the failure: {}", step.id);
    ///     }
    ///     return Err(e);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn applied(&self) -> &[crate::migrator::StepReport] {
        match self {
            MigrateError::Statement(s) => &s.applied,
            MigrateError::CodeFailed { applied, .. } => applied,
            _ => &[],
        }
    }

    /// What to do about it, in the library's words, when there is
    /// something to say.
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::MigrateError;
    ///
    /// let e = MigrateError::LockTimeout { waited_ms: 60_000 };
    /// assert_eq!(e.to_string(), "another migrator held the migration lock for more than 60000 ms");
    /// assert_eq!(e.help().as_deref(), Some("wait for the other deploy to finish, or raise the lock timeout"));
    /// ```
    pub fn help(&self) -> Option<String> {
        Some(match self {
            MigrateError::Load(_) | MigrateError::Statement(_) => return None,
            MigrateError::TargetSyntax(_) => "a target is `head`, `base`, a revision id or a unique prefix of one, `+2`, `-1`, `<id>+1` or `label@head`".to_owned(),
            MigrateError::Target(_) => "the revisions are those of the migration set; an id may be shortened to a unique prefix".to_owned(),
            MigrateError::WrongDirection { direction, .. } => format!(
                "use `{}` instead",
                if *direction == Direction::Upgrade { "downgrade" } else { "upgrade" }
            ),
            MigrateError::Irreversible { revision, .. } => format!("downgrade to `{revision}` at the lowest, or restore from a backup"),
            MigrateError::NonTransactionalInSingle { .. } => "use the per-revision transaction mode (the default) for this run".to_owned(),
            MigrateError::Interrupted { .. } => "check the database against that section; then resume the interrupted revision (`Migrator::resume_interrupted`) to continue after its last completed statement, or stamp the revision the schema is really at".to_owned(),
            MigrateError::LockTimeout { .. } => "wait for the other deploy to finish, or raise the lock timeout".to_owned(),
            MigrateError::Drift { .. } => "restore the applied SQL and put the change in a new revision; `Migrator::allow_drift` runs once over the edit, and a stamp with purge records the files' checksums for good".to_owned(),
            MigrateError::MissingRevisions { .. } => "a revision file was removed or its id changed; restore it, or allow drift (`Migrator::allow_drift`) to proceed".to_owned(),
            MigrateError::UnknownDatabaseRevision { .. } => "a newer build probably migrated this database; deploy that build, or downgrade with it first".to_owned(),
            MigrateError::BelowSquash { squashed_into, .. } => format!("bring it to `{squashed_into}` with the revisions the squash replaced (moved to `squashed/` next to the chain): `upgrade {squashed_into} --dir <migrations>/squashed`, then upgrade with this chain"),
            MigrateError::ImpossibleState { below, .. } => format!("the table was edited by hand; delete the row `{below}`, or stamp with purge the revision the schema is really at"),
            MigrateError::OfflineNeedsStart { example, .. } => format!("give the start of the range explicitly, e.g. `{example}`"),
            MigrateError::Connect { .. } => "check the URL and that the server is running".to_owned(),
            MigrateError::VersionTableChanged { .. } => "the revision's transaction was rolled back; look at the table and at what else writes to it, then run again".to_owned(),
            MigrateError::CodeFailed { non_transactional: true, .. } => "the revision is non-transactional: what its function did before the error stays; make the function safe to run again, fix it, and run again".to_owned(),
            MigrateError::CodeFailed { .. } => "the revision's transaction was rolled back; fix the function and run again".to_owned(),
            MigrateError::CodeEndedTransaction { .. } => "a revision runs inside the transaction it is given: remove its own COMMIT or ROLLBACK (or declare it `non-transactional`), check what it committed, and run again".to_owned(),
            MigrateError::CodeNotEmbedded { .. } => "run it from a program that embeds the chain: `migrations!()` compiles Rust revisions into the application, and `schema_runtime::cli::main_with(&migrations::SET)` is a command line over that set".to_owned(),
            MigrateError::CodeOffline { .. } => "generate SQL for the ranges before and after it, and apply the Rust revision with the migrator in between".to_owned(),
            MigrateError::CodeInSingle { .. } => "run the range in the default mode (one transaction per revision)".to_owned(),
            MigrateError::LockLost { .. } => "remove `pg_advisory_unlock_all()` or `DISCARD ALL` from the revision (it belongs to the migrator's session)".to_owned(),
            MigrateError::ExistingSchema { .. } => "if the schema matches a revision, stamp that revision (nothing runs); to apply the revisions over these tables anyway, allow an existing schema (`Migrator::allow_existing_schema`)".to_owned(),
            MigrateError::NoSchema { .. } => "create the schema, fix the search_path, or name the version table's schema".to_owned(),
            MigrateError::Listening { .. } => "migrate on a connection that does not LISTEN (UNLISTEN * first)".to_owned(),
            MigrateError::Database { .. } => return None,
        })
    }

    /// The whole message as a terminal shows it, cargo-style: what went
    /// wrong, where, and what to do.
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::MigrateError;
    ///
    /// let e = MigrateError::LockTimeout { waited_ms: 500 };
    /// assert_eq!(
    ///     e.render(),
    ///     "error: another migrator held the migration lock for more than 500 ms\n  \
    ///      = help: wait for the other deploy to finish, or raise the lock timeout"
    /// );
    /// ```
    pub fn render(&self) -> String {
        self.render_with_help(
            self.help(),
            "resume the revision (`Migrator::resume_interrupted`)",
        )
    }

    /// [`Self::render`] with another `help` line, and another phrase for
    /// resuming an interrupted revision (`resume`): a command line names its
    /// own commands and flags.
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::MigrateError;
    ///
    /// let e = MigrateError::LockTimeout { waited_ms: 500 };
    /// let text = e.render_with_help(Some("pass `--lock-timeout 120`".into()), "rerun with `--resume`");
    /// assert!(text.ends_with("= help: pass `--lock-timeout 120`"));
    /// ```
    pub fn render_with_help(&self, help: Option<String>, resume: &str) -> String {
        match self {
            MigrateError::Load(d) => d.to_string(),
            _ => format!("error: {}", self.message(help, resume).draw()),
        }
    }

    /// The error as a [`Message`] with `help` as its help line (see
    /// [`Self::render_with_help`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::MigrateError;
    ///
    /// let e = MigrateError::NonTransactionalInSingle { revision: "ix".into(), path: "migrations/ix.sql".into() };
    /// let m = e.message(e.help(), "resume it");
    /// assert_eq!(m.title, e.to_string());
    /// assert_eq!(m.pointers[0].path, "migrations/ix.sql");
    /// assert_eq!(m.notes[0].0, "help");
    /// ```
    pub fn message(&self, help: Option<String>, resume: &str) -> Message {
        let mut m = match self {
            MigrateError::Load(d) if d.0.len() == 1 => return d.0[0].message(),
            MigrateError::Statement(s) => return s.message(resume),
            other => Message::new(other.to_string()),
        };
        match self {
            MigrateError::Irreversible { path, .. }
            | MigrateError::NonTransactionalInSingle { path, .. }
            | MigrateError::Interrupted { path, .. }
            | MigrateError::LockLost { path, .. }
            | MigrateError::CodeNotEmbedded { path, .. }
            | MigrateError::CodeEndedTransaction { path, .. }
            | MigrateError::CodeOffline { path, .. }
            | MigrateError::CodeInSingle { path, .. } => m = m.at(Pointer::new(path.clone(), 0)),
            MigrateError::CodeFailed {
                path,
                line,
                source,
                database_at,
                non_transactional,
                ..
            } => {
                m = m.at(Pointer::new(path.clone(), *line));
                let mut cause = std::error::Error::source(&**source);
                while let Some(c) = cause {
                    m = m.note("caused by", c.to_string());
                    cause = c.source();
                }
                if !non_transactional {
                    m = m.note(
                        "note",
                        format!(
                            "the database is at {}, the last good revision",
                            database_at_text(database_at)
                        ),
                    );
                }
            }
            MigrateError::Drift { drift } => {
                for d in drift {
                    m = m.at(Pointer::new(d.path.clone(), 0).label(format!(
                        "revision `{}`: applied {}, file now {}",
                        d.revision,
                        &d.recorded[..12.min(d.recorded.len())],
                        &d.embedded[..12.min(d.embedded.len())]
                    )));
                }
            }
            _ => {}
        }
        match help {
            Some(h) => m.note("help", h),
            None => m,
        }
    }
}

impl From<std::convert::Infallible> for MigrateError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}
