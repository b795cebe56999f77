//! Apply, revert and inspect revision chains on PostgreSQL.
//!
//! ```no_run
//! // At the crate root: the revisions of `migrations/`, checked at compile time.
//! # /*
//! schema_runtime::migrations!("migrations");
//! # */
//! # schema_runtime::migrations!("../migrations", lint = false);
//! # async fn run(url: &str) -> Result<(), Box<dyn std::error::Error>> {
//! // The application's pool, or `&mut conn` for a connection of its own.
//! let pool = schema_runtime::sqlx::PgPool::connect(url).await?;
//! schema_runtime::Migrator::new(&migrations::SET)
//!     .upgrade(&pool, migrations::HEAD)
//!     .await?;
//! # Ok(())
//! # }
//! ```
//!
//! The crate re-exports the `migrations!()` macro and the core types; its
//! features add the migrator (`postgres`, default), a throwaway PostgreSQL for
//! tests (`testing`) and the command line as a library (`cli`).

pub mod build;
pub mod url;

#[cfg(feature = "postgres")]
pub mod autogen;
#[cfg(feature = "postgres")]
pub mod catalog;
#[cfg(feature = "postgres")]
mod code;
#[cfg(feature = "postgres")]
mod database;
#[cfg(feature = "postgres")]
mod error;
#[cfg(feature = "postgres")]
mod migrator;
#[cfg(feature = "postgres")]
mod pg_bin;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "postgres")]
mod script;

#[cfg(feature = "testing")]
pub mod testing;
#[cfg(feature = "testing")]
pub use schema_macros::test;

#[cfg(feature = "cli")]
pub mod cli;

pub use schema_core::{
    self as core, Diagnostic, Diagnostics, IntoTarget, Loaded, Migration, MigrationSet, Range,
    Revision, SetSource, Target, TypedSet,
};
pub use schema_macros::migrations;

#[cfg(feature = "postgres")]
pub use code::BoxError;
#[cfg(feature = "postgres")]
pub use error::{Drift, Located, MigrateError, StatementError};
#[cfg(feature = "postgres")]
pub use migrator::{
    close, connect, AppliedRow, Conn, DatabaseState, HistoryEntry, Migrator, Probe, Report,
    StepReport,
};
#[cfg(feature = "postgres")]
pub use postgres::version_table::VersionTable;
#[cfg(feature = "postgres")]
pub use schema_core::TargetParseError;
#[cfg(feature = "postgres")]
pub use script::{rows_text, Direction, TransactionMode};
/// The sqlx this crate is built on, for applications that pass it their
/// connections or pools, and for Rust revisions.
#[cfg(feature = "postgres")]
pub use sqlx;
/// The tracing this crate logs with, for Rust revisions to report progress
/// the way the runtime does.
#[cfg(feature = "postgres")]
pub use tracing;

/// What the code `migrations!()` expands to refers to, and what this
/// workspace's own tests and tools reach into. Not a public API.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "postgres")]
    pub use crate::code::{box_error, RevisionFuture, RustRevision};
    #[cfg(feature = "postgres")]
    pub use crate::postgres::version_table::log_digest;

    /// The state query of the lock message, for the tests that compare the
    /// server's digest of the log with [`log_digest`].
    #[cfg(feature = "postgres")]
    pub fn lock_state_sql(table: &crate::VersionTable) -> String {
        table.lock_state_sql()
    }
    pub use schema_core::{Code, Embedded, EmbeddedSet, Migration, MigrationSet, TypedSet};
    #[cfg(feature = "postgres")]
    pub use sqlx::PgConnection;
}
