//! Revisions written in Rust: the signature `migrations!()` wraps their
//! `upgrade` and `downgrade` functions in, and how a run finds them in a
//! revision. The functions run on the run's connection, inside the
//! revision's transaction (or on the bare connection for a
//! non-transactional revision), and commit with the revision's record.

use std::future::Future;
use std::pin::Pin;

use schema_core::Revision;
use sqlx::PgConnection;

/// The error a Rust revision returns: any error, boxed.
///
/// ```
/// fn parse(text: &str) -> Result<i64, schema_runtime::BoxError> {
///     Ok(text.trim().parse::<i64>()?)
/// }
/// assert!(parse("x").is_err());
/// ```
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// What a wrapped revision function returns.
pub type RevisionFuture<'c> = Pin<Box<dyn Future<Output = Result<(), BoxError>> + Send + 'c>>;

/// A revision function as `migrations!()` wraps it.
pub type RevisionFn = for<'c> fn(&'c mut PgConnection) -> RevisionFuture<'c>;

/// The functions of one Rust revision, as `migrations!()` embeds them.
#[derive(Debug)]
pub struct RustRevision {
    /// `upgrade`.
    pub upgrade: RevisionFn,
    /// `downgrade`, absent when the revision is irreversible.
    pub downgrade: Option<RevisionFn>,
}

/// Boxes a revision function's error (what the wrapper calls).
pub fn box_error<E: Into<BoxError>>(e: E) -> BoxError {
    e.into()
}

/// The embedded functions of `revision`, when it is a Rust revision
/// compiled into this program.
pub(crate) fn functions(revision: &Revision) -> Option<&'static RustRevision> {
    revision
        .code
        .and_then(|c| c.0.downcast_ref::<RustRevision>())
}
