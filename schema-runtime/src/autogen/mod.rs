//! Autogenerate: the DDL that turns one schema into another.
//!
//! [`diff`] compares two [`Catalog`]s (the chain's head and the desired
//! schema, each read from a throwaway database) and returns the [`Plan`] of
//! statements, in dependency order, that takes a database from the first
//! to the second. A revision's downgrade is the same function with the
//! arguments swapped. Each destructive or ambiguous step carries a note
//! for review, written above it as a comment.
//!
//! The work is split by object family: `rename` pairs objects that only
//! changed name, `types` handles schemas, extensions and user types,
//! `tables` sequences, tables, columns, constraints, indexes and extended
//! statistics, `views` views and materialized views, and `routines`
//! functions, triggers and policies. Each family emits its statements into a
//! `Phase`; the plan is the statements sorted by phase, which gives the
//! fixed safe order (types before the tables that use them, foreign keys
//! dropped before what they reference, views dropped before the columns
//! they read change), refined inside a phase by each family's own
//! dependency order.

use std::collections::{BTreeMap, HashMap};

use crate::catalog::{quote_literal, Catalog, QualifiedName};

mod rename;
mod routines;
mod tables;
mod types;
mod views;

#[cfg(test)]
mod tests;

/// One statement of a [`Plan`].
///
/// # Examples
///
/// ```
/// use schema_runtime::autogen::Step;
///
/// let step = Step {
///     summary: "create schema audit".into(),
///     sql: "CREATE SCHEMA audit".into(),
///     review: None,
/// };
/// assert_eq!(step.sql, "CREATE SCHEMA audit");
/// ```
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
///
/// # Examples
///
/// ```
/// use schema_runtime::autogen::diff;
/// use schema_runtime::catalog::{Catalog, Schema};
///
/// let from = Catalog::default();
/// let mut to = Catalog::default();
/// to.schemas.insert("audit".into(), Schema::default());
/// let plan = diff(&from, &to);
/// assert_eq!(plan.sql(), "CREATE SCHEMA audit;\n");
/// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::autogen::diff;
    /// use schema_runtime::catalog::Catalog;
    ///
    /// assert!(diff(&Catalog::default(), &Catalog::default()).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    /// The statements as revision text: each statement ended by `;` on its
    /// own line(s), a review note above it as `-- REVIEW: ...` comment lines.
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::autogen::{Plan, Step};
    ///
    /// let plan = Plan {
    ///     steps: vec![Step {
    ///         summary: "drop table public.t".into(),
    ///         sql: "DROP TABLE public.t".into(),
    ///         review: Some("data loss".into()),
    ///     }],
    ///     ..Plan::default()
    /// };
    /// assert_eq!(plan.sql(), "-- REVIEW: data loss\nDROP TABLE public.t;\n");
    /// ```
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
/// `to`. The same inputs always give the same plan; `diff(to, from)` is the
/// way back.
///
/// # Examples
///
/// ```
/// use schema_runtime::autogen::diff;
/// use schema_runtime::catalog::{Catalog, Column, QualifiedName, Table};
///
/// let from = Catalog::default();
/// let mut to = Catalog::default();
/// let id = Column { name: "id".into(), data_type: "integer".into(), not_null: true, ..Column::default() };
/// to.tables.insert(QualifiedName::new("public", "t"), Table { columns: vec![id], ..Table::default() });
/// assert_eq!(diff(&from, &to).sql(), "CREATE TABLE public.t (id integer NOT NULL);\n");
/// assert!(diff(&to, &from).steps[0].review.is_some());
/// ```
pub fn diff(from: &Catalog, to: &Catalog) -> Plan {
    let mut b = Builder::default();
    let mut from = from.clone();
    rename::detect(&mut b, &mut from, to);
    tables::inherit_parent_changes(&mut from, to);
    tables::join_and_leave_parents(&mut from, to);
    let recreated = types::recreated_enums(&from, to);
    let reshaped = tables::reshaped(&from, to, &recreated);
    let dropped_views = views::diff(&mut b, &mut from, to, &reshaped);
    types::diff(&mut b, &from, to, &recreated);
    tables::diff(&mut b, &from, to, &recreated, &dropped_views);
    let columns = tables::reshaped_columns(&from, to, &recreated);
    routines::diff(&mut b, &from, to, &dropped_views, &columns);
    b.finish()
}

/// Where a statement goes in the plan: the plan is its statements sorted by
/// phase (stably, so that a family's own order inside a phase is kept).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    CreateSchemas,
    CreateExtensions,
    CreateEnums,
    CreateDomains,
    CreateComposites,
    CreateSequences,
    CreateFunctions,
    DropTriggers,
    DropPolicies,
    DropViews,
    ReplaceFunctions,
    ResetReplicaIdentity,
    DropForeignKeys,
    DropConstraints,
    DropRowTypeFunctions,
    DropTables,
    Renames,
    CreateTables,
    AlterTables,
    InheritedColumnDetails,
    SequenceOwnership,
    CreateRowTypeFunctions,
    AddConstraints,
    AddForeignKeys,
    CreateIndexes,
    CreateStatistics,
    ReplicaIdentity,
    CreateViews,
    CreateViewIndexes,
    CreateTriggers,
    CreatePolicies,
    Comments,
    DropSequences,
    DropFunctions,
    DropTypes,
    DropExtensions,
    DropSchemas,
}

/// The plan being built: statements by phase, and what the families tell
/// each other.
#[derive(Debug, Default)]
struct Builder {
    steps: Vec<(Phase, Step, bool)>,
    not_generated: Vec<String>,
    /// Old names of renamed or moved tables and views, by new name:
    /// statements that run before the renames must use them.
    old_table: BTreeMap<QualifiedName, QualifiedName>,
    /// Renamed constraints: the old name and the rename's SQL, by table
    /// and new name; a constraint that is dropped anyway is dropped under
    /// its old name and not renamed.
    renamed_constraints: BTreeMap<(QualifiedName, String), (String, String)>,
    /// Renamed indexes: the old name and the renames' SQL, by new name;
    /// an index that is dropped anyway is dropped under its old name and
    /// not renamed.
    renamed_indexes: BTreeMap<QualifiedName, (QualifiedName, Vec<String>)>,
    /// Renamed extended statistics: the old name and the renames' SQL, by
    /// new name, as for indexes.
    renamed_statistics: BTreeMap<QualifiedName, (QualifiedName, Vec<String>)>,
    /// Enum labels added by `ADD VALUE`.
    added_labels: Vec<String>,
    /// Whether a function or procedure is created or replaced.
    creates_function: bool,
}

impl Builder {
    fn push(&mut self, phase: Phase, summary: impl Into<String>, sql: impl Into<String>) {
        self.push_step(phase, summary, sql, None);
    }

    fn review(
        &mut self,
        phase: Phase,
        summary: impl Into<String>,
        sql: impl Into<String>,
        review: impl Into<String>,
    ) {
        self.push_step(phase, summary, sql, Some(review.into()));
    }

    fn push_step(
        &mut self,
        phase: Phase,
        summary: impl Into<String>,
        sql: impl Into<String>,
        review: Option<String>,
    ) {
        let step = Step {
            summary: summary.into(),
            sql: sql.into(),
            review,
        };
        self.steps.push((phase, step, false));
    }

    /// An `ALTER TYPE ... ADD VALUE` step, remembered so that a later use of
    /// the label makes the plan non-transactional.
    fn add_enum_value(&mut self, summary: String, sql: String, label: &str) {
        self.added_labels.push(label.to_owned());
        let step = Step {
            summary,
            sql,
            review: None,
        };
        self.steps.push((Phase::CreateEnums, step, true));
    }

    fn not_generated(&mut self, line: impl Into<String>) {
        self.not_generated.push(line.into());
    }

    /// The name under which a constraint is dropped before the renames:
    /// its old name when this plan renamed it, whose rename is then taken
    /// out of the plan.
    fn drop_constraint_name(&mut self, key: &(QualifiedName, String)) -> String {
        match self.renamed_constraints.remove(key) {
            Some((old, rename)) => {
                self.steps.retain(|(_, step, _)| step.sql != rename);
                old
            }
            None => key.1.clone(),
        }
    }

    /// The name under which an index is dropped before the renames: its
    /// old name when this plan renamed it, whose renames are then taken
    /// out of the plan.
    fn drop_index_name(&mut self, name: &QualifiedName) -> Option<QualifiedName> {
        let (old, renames) = self.renamed_indexes.remove(name)?;
        self.steps
            .retain(|(_, step, _)| !renames.contains(&step.sql));
        Some(old)
    }

    /// The name under which an extended statistics object is dropped
    /// before the renames, as [`Self::drop_index_name`].
    fn drop_statistics_name(&mut self, name: &QualifiedName) -> Option<QualifiedName> {
        let (old, renames) = self.renamed_statistics.remove(name)?;
        self.steps
            .retain(|(_, step, _)| !renames.contains(&step.sql));
        Some(old)
    }

    /// The name a table had before this plan's renames.
    fn before_renames(&self, table: &QualifiedName) -> QualifiedName {
        self.old_table.get(table).unwrap_or(table).clone()
    }

    /// `COMMENT ON <what> IS ...` when the comment `to` differs from the
    /// one the object has at that point (`None` for an object this plan
    /// creates).
    fn comment(&mut self, what: &str, from: Option<&Option<String>>, to: &Option<String>) {
        let from = from.cloned().flatten();
        if &from == to {
            return;
        }
        let value = to.as_deref().map_or("NULL".to_owned(), quote_literal);
        self.push(
            Phase::Comments,
            format!("comment on {what}"),
            format!("COMMENT ON {what} IS {value}"),
        );
    }

    fn finish(mut self) -> Plan {
        self.steps.sort_by_key(|(phase, _, _)| *phase);
        let non_transactional = self.steps.iter().any(|(_, step, adds)| {
            !adds
                && self
                    .added_labels
                    .iter()
                    .any(|l| step.sql.contains(&quote_literal(l)))
        });
        let mut steps: Vec<Step> = self.steps.into_iter().map(|(_, s, _)| s).collect();
        if self.creates_function {
            let scope = if non_transactional { "" } else { "LOCAL " };
            steps.insert(
                0,
                Step {
                    summary: "skip function body checks".into(),
                    sql: format!("SET {scope}check_function_bodies = off"),
                    review: None,
                },
            );
        }
        Plan {
            steps,
            non_transactional,
            not_generated: self.not_generated,
        }
    }
}

/// Replaces each whole occurrence of the qualified name `old` in `text` by
/// `new` (not inside a longer identifier), for definitions the server
/// prints with the current name of what they refer to.
fn replace_name(text: &str, old: &QualifiedName, new: &QualifiedName) -> String {
    replace_word(text, &old.to_string(), &new.to_string())
}

/// Replaces each occurrence of `old` in `text` that is not part of a longer
/// identifier or qualified name.
fn replace_word(text: &str, old: &str, new: &str) -> String {
    let is_ident = |c: char| c.is_alphanumeric() || c == '_' || c == '$' || c == '"';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut prev: Option<char> = None;
    while let Some(at) = rest.find(old) {
        let before = rest[..at].chars().next_back().or(prev);
        let after = rest[at + old.len()..].chars().next();
        let bounded = !before.is_some_and(|c| is_ident(c) || c == '.')
            && !after.is_some_and(|c| is_ident(c) || c == '.');
        let end = if bounded {
            at + old.len()
        } else {
            at + old.chars().next().map_or(1, char::len_utf8)
        };
        out.push_str(&rest[..at]);
        out.push_str(if bounded { new } else { &rest[at..end] });
        prev = rest[..end].chars().next_back();
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Whether `text` names the identifier `word` (quoted as stored), not as
/// part of a longer identifier or qualified name.
fn mentions(text: &str, word: &str) -> bool {
    replace_word(text, word, "\u{0}") != text
}

/// Pairs what disappeared with what appeared when a signature matches
/// exactly one of each, in key order.
fn pair<K: Clone + Ord>(gone: Vec<(K, String)>, new: Vec<(K, String)>) -> Vec<(K, K)> {
    // Each signature's objects, so that pairing stays linear in the number
    // of changed objects (a type recreated changes every table that uses it).
    let by_sig = |list: Vec<(K, String)>| {
        let mut m: HashMap<String, Vec<K>> = HashMap::new();
        for (k, sig) in list {
            m.entry(sig).or_default().push(k);
        }
        m
    };
    let new = by_sig(new);
    let mut pairs: Vec<(K, K)> = by_sig(gone)
        .into_iter()
        .filter_map(
            |(sig, olds)| match (olds.as_slice(), new.get(&sig).map(Vec::as_slice)) {
                ([old], Some([to])) => Some((old.clone(), to.clone())),
                _ => None,
            },
        )
        .collect();
    pairs.sort();
    pairs
}

/// The raw identifier behind a quoted one (`"Order"` → `Order`).
fn unquote(ident: &str) -> String {
    match ident.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.replace("\"\"", "\""),
        None => ident.to_owned(),
    }
}

/// `ident` quoted (always), for names this plan makes up.
fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}
