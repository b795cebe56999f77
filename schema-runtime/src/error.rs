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
        if let Some(d) = &self.detail {
            writeln!(f, "{pad} = detail: {d}")?;
        }
        if let Some(h) = &self.hint {
            writeln!(f, "{pad} = hint: {h}")?;
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
    #[error("error: the {direction} of revision `{revision}` (non-transactional) was interrupted part way: some of its statements may have run and others not\n  --> {path}\n  = help: compare the database with that section and undo or finish what ran by hand; then run again with --resume-interrupted, or `stamp` the revision the schema is really at")]
    Interrupted {
        /// The revision.
        revision: String,
        /// Its file.
        path: String,
        /// `upgrade` or `downgrade`.
        direction: String,
    },
    /// Another migrator held the lock for too long.
    #[error("error: another migrator held the migration lock for more than {waited_ms} ms\n  = help: wait for the other deploy to finish, or raise the lock timeout")]
    LockTimeout {
        /// How long this migrator waited.
        waited_ms: u64,
    },
    /// Applied revisions whose upgrade changed since they were applied.
    #[error(
        "error: {} applied revision(s) changed since they were applied:\n{}\n  = help: restore the applied SQL and put the change in a new revision (`cargo xtask new-revision`); to accept the edit, run with --allow-drift",
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
    /// Any other database error.
    #[error("error: {context}: {message}")]
    Database {
        /// What the migrator was doing.
        context: &'static str,
        /// The server's or driver's message.
        message: String,
    },
}
