//! Autogenerate: the DDL that turns one schema into another.
//!
//! [`diff`] compares two [`Catalog`]s (the chain's head and the desired
//! schema, each read from a throwaway database) and returns the [`Plan`] of
//! statements, in dependency order, that takes a database from the first
//! to the second. A revision's downgrade is the same function with the
//! arguments swapped. Each destructive or ambiguous step carries a note
//! for review, written above it as a comment.

use crate::catalog::Catalog;

/// One statement of a [`Plan`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// What it does, in a few words (`add column public.cameras.zone`).
    pub summary: String,
    /// The statement, without a trailing `;`.
    pub sql: String,
    /// Why a person should read it before it runs (a dropped column, a
    /// type change that rewrites the table, a possible rename), if so.
    pub review: Option<String>,
}

/// The statements that take a database from one schema to another.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The statements, in the order they must run.
    pub steps: Vec<Step>,
    /// Whether the statements cannot run in one transaction (an enum value
    /// that is added and then used, on a server that needs the `ADD VALUE`
    /// committed first).
    pub non_transactional: bool,
    /// Differences the plan does not make, for review (a column order that
    /// differs; an aggregate that changed), one line each.
    pub not_generated: Vec<String>,
}

impl Plan {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The statements as revision text: each statement ended by `;` on its
    /// own line(s), a review note above it as `-- REVIEW: ...` comment lines.
    pub fn sql(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            if let Some(review) = &step.review {
                for line in review.lines() {
                    out.push_str("-- REVIEW: ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
            out.push_str(&step.sql);
            out.push_str(";\n");
        }
        out
    }
}

/// The plan that takes a database whose schema is `from` to the schema
/// `to`.
pub fn diff(from: &Catalog, to: &Catalog) -> Plan {
    let _ = (from, to);
    todo!("diff")
}
