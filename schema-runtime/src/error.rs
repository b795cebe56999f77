//! Errors of the migrator, each rendered like cargo's diagnostics: what went
//! wrong, where (revision, file, line and column), and what to do.

use std::fmt;

use schema_core::{Diagnostics, ResolveError};

use crate::script::Direction;

/// A statement the server rejected, mapped back to its revision file.
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
}

/// How the statement a [`StatementError`] points at was found.
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
        let width = self.line.to_string().len();
        let pad = " ".repeat(width);
        writeln!(
            f,
            "revision `{}` failed to {}: {} (SQLSTATE {})",
            self.revision, self.direction, self.message, self.code
        )?;
        writeln!(f, "{pad}--> {}:{}:{}", self.path, self.line, self.column)?;
        if let Some(src) = &self.source_line {
            let caret = " ".repeat(self.column.saturating_sub(1) as usize);
            writeln!(
                f,
                "{pad} |\n{:>width$} | {src}\n{pad} | {caret}^",
                self.line
            )?;
        }
        match self.located {
            Located::Commit => writeln!(
                f,
                "{pad} = note: every statement of the revision ran; the server refused its COMMIT (a deferred constraint is checked there)"
            )?,
            Located::Unknown => writeln!(
                f,
                "{pad} = note: the server did not say which statement failed; what it said is below"
            )?,
            _ => {}
        }
        if let Some(d) = &self.detail {
            writeln!(f, "{pad} = detail: {d}")?;
        }
        if let Some(h) = &self.hint {
            writeln!(f, "{pad} = hint: {h}")?;
        }
        for (name, value) in &self.server_fields {
            writeln!(f, "{pad} = {name}: {}", value.replace('\n', "\n    "))?;
        }
        if let Some((done, total)) = self.statements_done {
            return write!(
                f,
                "{pad} = note: the revision is non-transactional: {done} of its {total} statements completed and stay applied; the version table still has it unapplied, marked as interrupted. Fix the failing statement, then run again with --resume-interrupted to continue from statement {}",
                done + 1
            );
        }
        let at = match self.database_at.as_slice() {
            [] => "base (no revision)".to_owned(),
            rows => quoted_rows(rows),
        };
        if !self.database_at_confirmed && !self.whole_run_rolled_back {
            return write!(
                f,
                "{pad} = note: the connection was lost before the version table could be read again; the database is at {at} or at a later revision of this run: `current` tells which, then fix `{}` and run the {} again",
                self.path, self.direction
            );
        }
        if self.whole_run_rolled_back {
            write!(
                f,
                "{pad} = note: the whole run was one transaction and was rolled back; the database is still at {at}"
            )
        } else {
            write!(
                f,
                "{pad} = note: the database is at {at}, the last good revision; fix `{}` and run the {} again",
                self.path, self.direction
            )
        }
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
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MigrateError {
    /// The migrations directory is broken (run-time loading only).
    #[error("{0}")]
    Load(#[from] Diagnostics),
    /// A target that is not valid target syntax.
    #[error("error: {0}\n  = help: a target is `head`, `base`, a revision id or a unique prefix of one, `+2`, `-1`, `<id>+1` or `label@head`")]
    TargetSyntax(#[from] schema_core::TargetParseError),
    /// A target that does not resolve.
    #[error("error: {0}\n  = help: `cargo xtask history` lists the revisions")]
    Target(#[from] ResolveError),
    /// A target in the wrong direction.
    #[error(
        "error: cannot {direction} to `{target}`: the database is at {}, and `{target}` is {}\n  = help: use `{}` instead",
        quoted_rows(current),
        if *direction == Direction::Upgrade { "below it" } else { "above it" },
        if *direction == Direction::Upgrade { "downgrade" } else { "upgrade" }
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
    #[error("error: revision `{revision}` is irreversible and cannot be downgraded\n  --> {path}\n  = help: downgrade to `{revision}` at the lowest, or restore from a backup")]
    Irreversible {
        /// The revision.
        revision: String,
        /// Its file.
        path: String,
    },
    /// A non-transactional revision in a single-transaction run.
    #[error("error: revision `{revision}` is non-transactional and cannot run inside the single transaction of this run\n  --> {path}\n  = help: use the per-revision transaction mode (the default) for this run")]
    NonTransactionalInSingle {
        /// The revision.
        revision: String,
        /// Its file.
        path: String,
    },
    /// The server rejected a statement.
    #[error("error: {0}")]
    Statement(Box<StatementError>),
    /// A non-transactional step was interrupted part way (a crash, a killed
    /// connection or a failing statement): some of its statements may have run.
    #[error("error: the {direction} of revision `{revision}` (non-transactional) was interrupted part way: {progress}\n  --> {path}\n  = help: check the database against that section; then run again with --resume-interrupted to continue after the last completed statement, or `stamp` the revision the schema is really at")]
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
    #[error("error: another migrator held the migration lock for more than {waited_ms} ms\n  = help: wait for the other deploy to finish, or raise the lock timeout")]
    LockTimeout {
        /// How long this migrator waited.
        waited_ms: u64,
    },
    /// Applied revisions whose upgrade changed since they were applied.
    #[error(
        "error: {} applied revision(s) changed since they were applied:\n{}\n  = help: restore the applied SQL and put the change in a new revision (`cargo xtask new-revision`); to run once over the edit, run with --allow-drift; to accept it for good, `stamp <current revision> --purge` records the files' checksums",
        drift.len(),
        drift.iter().map(|d| format!("  --> {} (revision `{}`): applied {}, file now {}", d.path, d.revision, &d.recorded[..12.min(d.recorded.len())], &d.embedded[..12])).collect::<Vec<_>>().join("\n")
    )]
    Drift {
        /// Each changed revision.
        drift: Vec<Drift>,
    },
    /// Revisions recorded as applied that the migrations no longer contain.
    #[error(
        "error: the database records applied revision(s) {} that this build does not contain\n  = help: a revision file was removed or its id changed; restore it, or run with --allow-drift to proceed",
        ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
    )]
    MissingRevisions {
        /// The ids.
        ids: Vec<String>,
    },
    /// The database is at a revision this build does not know.
    #[error("error: the database is at revision `{id}`, which this build does not know (the head here is `{head}`)\n  = help: a newer build probably migrated this database; deploy that build, or downgrade with it first")]
    UnknownDatabaseRevision {
        /// The database's revision.
        id: String,
        /// This build's head.
        head: String,
    },
    /// The version table holds a row below another row.
    #[error(
        "error: the version table {table} holds {} rows ({}), but `{below}` is below `{above}`: each row must be the top of an applied branch\n  = help: the table was edited by hand; delete the row `{below}`, or run `stamp <rev> --purge` with the revision the schema is really at",
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
    #[error("error: `{target}` is relative to the current revision, which offline mode cannot know\n  = help: give the start of the range explicitly, e.g. `{example}`")]
    OfflineNeedsStart {
        /// The target.
        target: String,
        /// A corrected range.
        example: String,
    },
    /// Connecting failed.
    #[error("error: cannot connect to {url}: {message}\n  = help: check the URL (--database-url, DATABASE_URL or the config file) and that the server is running")]
    Connect {
        /// The URL with its password masked.
        url: String,
        /// The driver's message, with any password removed.
        message: String,
    },
    /// The version table did not hold the rows a revision meant to move:
    /// something else changed it during the run (another tool, a revision
    /// that edits it). The revision's transaction was rolled back.
    #[error("error: the version table {table} changed under the run while recording revision `{revision}`: {message}\n  = help: the revision's transaction was rolled back; look at the table (`current`) and at what else writes to it, then run again")]
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
    #[error("error: revision `{revision}` released the migration lock, so another migrator could have started; the run stopped and the revision's transaction was rolled back\n  --> {path}\n  = help: remove `pg_advisory_unlock_all()` or `DISCARD ALL` from the revision (it belongs to the migrator's session)")]
    LockLost {
        /// The revision.
        revision: String,
        /// Its file.
        path: String,
    },
    /// The version table is missing but the database already holds tables:
    /// another tool, or a person, built it. Nothing was run or created.
    #[error("error: the database has no version table {table} but already holds {tables}\n  = help: if the schema matches a revision, record it without running anything: `stamp <revision>`; to apply the revisions over these tables anyway, allow an existing schema")]
    ExistingSchema {
        /// The version table that was looked for.
        table: String,
        /// How many tables, and which.
        tables: String,
    },
    /// The `search_path` names no schema that exists, so there is nowhere
    /// to find or create the version table.
    #[error("error: the search_path ({search_path}) names no existing schema, so the version table has nowhere to live\n  = help: create the schema, fix the search_path, or name the version table's schema")]
    NoSchema {
        /// The session's `search_path`.
        search_path: String,
    },
    /// The connection listens for notifications, which would arrive in the
    /// middle of the run's replies.
    #[error("error: the connection listens on channel(s) {channels}; notifications would interleave with the migration\n  = help: migrate on a connection that does not LISTEN (UNLISTEN * first)")]
    Listening {
        /// The channels.
        channels: String,
    },
    /// Any other database error.
    #[error("error: {context}: {message}")]
    Database {
        /// What the migrator was doing.
        context: &'static str,
        /// The server's or driver's message.
        message: String,
    },
}

impl From<std::convert::Infallible> for MigrateError {
    fn from(never: std::convert::Infallible) -> Self {
        match never {}
    }
}
