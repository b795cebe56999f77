//! What is sent to the server for each step, online and offline alike.
//!
//! A step is one revision applied or reverted. Online, consecutive
//! transactional steps go to the server as one message, a
//! [`pipeline_message`], in which each step is its own transaction
//! (`BEGIN`, the section, the version-table and log update, `COMMIT`): one
//! round trip for the whole run however many revisions it has (plus one
//! that prepares the statement recording each revision, when that pays),
//! with the failure semantics of one transaction per revision. A single-transaction
//! run is a [`batch_message`] and its bookkeeping: two messages in all. The
//! offline script holds the same statements one step after the other (with
//! the bookkeeping as plain `UPDATE`/`INSERT`, as Alembic writes it), so
//! `--sql` output applied by `psql` leaves the database as the online run
//! does.

use schema_core::{Applied, MigrationSet, Revision, Section};

pub use schema_core::Direction;

/// How revisions are grouped into transactions.
///
/// # Examples
///
/// ```
/// # schema_runtime::migrations!("../migrations", lint = false);
/// use schema_runtime::{Migrator, TransactionMode};
///
/// assert_eq!(TransactionMode::default(), TransactionMode::PerRevision);
/// // All or nothing: a failure leaves the database as it was.
/// let migrator = Migrator::new(&migrations::SET).transaction_mode(TransactionMode::Single);
/// # let _ = migrator;
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TransactionMode {
    /// Each revision in its own transaction with its version-table update (the
    /// default): a failure leaves the database at the last good revision.
    #[default]
    PerRevision,
    /// The whole run in one transaction: a failure leaves the database as it
    /// was. Refused when the run includes a non-transactional revision.
    Single,
}

/// One revision applied or reverted.
#[derive(Debug, Clone)]
pub struct Step<'a> {
    /// The revision.
    pub revision: &'a Revision,
    /// Applying or reverting.
    pub direction: Direction,
    /// The version-table rows the step replaces (empty from base; two when
    /// a merge revision is applied).
    pub from: Vec<&'a str>,
    /// The rows it puts in their place (empty at base; two when a merge
    /// revision is reverted).
    pub to: Vec<&'a str>,
    /// The whole version table before the step (where a failure leaves it).
    pub before: Vec<&'a str>,
}

impl<'a> Step<'a> {
    /// The section this step runs. `None` for the downgrade of an irreversible revision.
    pub fn section(&self) -> Option<&'a Section> {
        match self.direction {
            Direction::Upgrade => Some(&self.revision.upgrade),
            Direction::Downgrade => self.revision.downgrade.as_ref(),
        }
    }
}

/// The steps that move a database from one applied set to another (one
/// contains the other).
pub fn plan<'a>(set: &'a MigrationSet, from: &Applied, to: &Applied) -> Vec<Step<'a>> {
    let revs = set.revisions();
    let id = |i: &usize| &*revs[*i].id;
    let mut table: Vec<usize> = set.rows(from);
    schema_core::moves(set, from, to)
        .into_iter()
        .map(|m| {
            let before = table.iter().map(id).collect();
            table.retain(|r| !m.remove.contains(r));
            table.extend(&m.insert);
            table.sort_unstable();
            Step {
                revision: &revs[m.position],
                direction: m.direction,
                from: m.remove.iter().map(id).collect(),
                to: m.insert.iter().map(id).collect(),
                before,
            }
        })
        .collect()
}

/// Version-table rows as text: `base` when empty, else the ids joined by `, `.
///
/// # Examples
///
/// ```
/// use schema_runtime::rows_text;
///
/// assert_eq!(rows_text::<String>(&[]), "base");
/// assert_eq!(rows_text(&["ae10", "b7"]), "ae10, b7");
/// ```
pub fn rows_text<S: AsRef<str>>(rows: &[S]) -> String {
    if rows.is_empty() {
        "base".to_owned()
    } else {
        rows.iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// What a pipeline of `steps` does, in one line: `upgrade base -> r5: 6
/// revisions, each in its own transaction`, from the version table before
/// the first step to the table after the last.
pub fn pipeline_title(steps: &[Step<'_>]) -> String {
    match (steps.first(), steps.last()) {
        (Some(first), Some(last)) => {
            let mut after: Vec<&str> = last
                .before
                .iter()
                .filter(|r| !last.from.contains(r))
                .copied()
                .collect();
            after.extend(&last.to);
            format!(
                "{} {} -> {}: {} revision(s) in one message, each in its own transaction",
                first.direction,
                rows_text(&first.before),
                rows_text(&after),
                steps.len()
            )
        }
        _ => String::new(),
    }
}

/// What a step goes from and to, as Alembic names it, from the revision's
/// parents (`base` for none): `a -> b` and `a, b -> m` up, `b -> a` down.
pub fn step_endpoints(step: &Step<'_>) -> (String, String) {
    let id = step.revision.id.to_string();
    let parents = rows_text(&step.revision.down_revisions);
    match step.direction {
        Direction::Upgrade => (parents, id),
        Direction::Downgrade => (id, parents),
    }
}
