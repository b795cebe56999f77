//! Apply, revert and inspect revision chains on PostgreSQL.
//!
//! ```ignore
//! schema_runtime::migrations!("migrations");
//!
//! let mut conn = schema_runtime::connect(&url).await?;
//! schema_runtime::Migrator::new(&migrations::SET)
//!     .upgrade(&mut conn, migrations::HEAD)
//!     .await?;
//! ```
//!
//! The crate re-exports the `migrations!()` macro and the core types; its
//! features add the migrator (`postgres`, default), a throwaway PostgreSQL for
//! tests (`testing`) and the command line as a library (`cli`).

pub mod build;
pub mod url;

#[cfg(feature = "postgres")]
pub mod error;
#[cfg(feature = "postgres")]
pub mod migrator;
#[cfg(feature = "postgres")]
mod database;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "postgres")]
pub mod script;
#[cfg(feature = "postgres")]
pub use postgres::version_table;

#[cfg(feature = "testing")]
pub mod testing;

#[cfg(feature = "cli")]
pub mod cli;

pub use schema_core::{
    self as core, Diagnostic, Diagnostics, Migration, MigrationSet, Range, Revision, Target,
};
pub use schema_macros::migrations;

#[cfg(feature = "postgres")]
pub use error::MigrateError;
#[cfg(feature = "postgres")]
pub use migrator::{connect, DatabaseState, HistoryEntry, Migrator, Report};
#[cfg(feature = "postgres")]
pub use script::{Direction, TransactionMode};
#[cfg(feature = "postgres")]
pub use version_table::VersionTable;

/// What the code `migrations!()` expands to refers to. Not a public API.
#[doc(hidden)]
pub mod __private {
    pub use schema_core::{Embedded, EmbeddedSet, Migration, MigrationSet};
}
