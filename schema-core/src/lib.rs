//! The revision file format and the revision graph.
//!
//! This crate is the single place that knows what a revision file looks like and
//! what makes a set of revisions a valid chain. The `migrations!()` macro, the
//! runtime loader and the command line all call it, so the compiler and the CLI
//! can never disagree about a chain. It is pure: no database and no proc-macro
//! types.
//!
//! Data flows one way: [`load::read_dir`] reads files, [`parse::parse_revision`]
//! turns each into a [`Revision`], [`graph::check`] orders them into a
//! [`MigrationSet`] or reports every [`Diagnostic`] at once.

pub mod diagnostic;
pub mod graph;
#[cfg(feature = "lint")]
pub mod lint;
pub mod load;
pub mod parse;
pub mod render;
pub mod revision;
pub mod sql;
pub mod state;
pub mod target;

pub use diagnostic::{Diagnostic, Diagnostics, ErrorKind, Location};
pub use graph::{check, check_branches, MigrationSet};
pub use load::{load_dir, load_dir_branches, read_dir, SourceFile};
pub use parse::parse_revision;
pub use revision::{
    checksum, checksum_bytes, hex, Code, Columns, Embedded, EmbeddedSet, Language, Loaded,
    Migration, Options, Revision, Section, SetSource, TypedSet,
};
pub use state::{moves, Applied, Direction, Move, StateError};
pub use target::{IntoTarget, Range, ResolveError, Target, TargetParseError};
