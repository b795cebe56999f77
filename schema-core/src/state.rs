//! What a database has applied, and the moves between two such states.
//!
//! A database has applied a set of revisions that is closed under parents and
//! dependencies ([`Applied`]). Its version table holds, as Alembic's does, one
//! row per applied revision that no applied revision revises or depends on:
//! one row on a linear history, several after a downgrade below a merge point
//! or an upgrade of one branch. [`moves`] turns two states into the revisions
//! to run, in Alembic's order, each with the version-table rows it removes and
//! inserts, so the online run and the offline script update the table the
//! same way, and as Alembic would.

use std::fmt;

use crate::graph::MigrationSet;

/// Which way a run goes.
///
/// # Examples
///
/// ```
/// use schema_core::Direction;
///
/// assert_eq!(Direction::Upgrade.to_string(), "upgrade");
/// assert_eq!(Direction::Downgrade.to_string(), "downgrade");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Applying revisions.
    Upgrade,
    /// Reverting revisions.
    Downgrade,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
        })
    }
}

/// The revisions a database has applied, by position in the set.
///
/// Two states are equal when they have applied the same revisions.
///
/// # Examples
///
/// ```
/// use schema_core::Applied;
/// # let rev = |id: &str, revises: &str| {
/// #     let text = format!("-- Revision ID: {id}\n-- Revises: {revises}\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
/// #     schema_core::parse_revision(&format!("{id}.sql"), &text).unwrap()
/// # };
/// # let set = schema_core::check(vec![rev("a", ""), rev("b", "a"), rev("c", "b")], "migrations").unwrap();
/// // A database at `b` of the chain `a` <- `b` <- `c`.
/// let at_b = set.applied_from_rows(&["b".to_owned()]).unwrap();
/// assert_eq!(at_b.positions().collect::<Vec<_>>(), [0, 1]);
/// assert_eq!((at_b.count(), at_b.contains(2)), (2, false));
/// assert!(at_b.is_subset(&Applied::all(&set)) && Applied::none(&set).is_subset(&at_b));
/// assert_eq!(at_b, Applied::from_members(vec![true, true, false]));
/// assert_eq!(at_b.members(), [true, true, false]);
/// assert_eq!((set.rows(&at_b), set.row_ids(&at_b)), (vec![1], vec!["b"]));
/// assert_eq!(set.branch_tops(&at_b), [1]);
/// assert_eq!(set.applied_from_positions([1]), at_b);
/// ```
#[derive(Debug, Clone, Eq)]
pub struct Applied {
    member: Vec<bool>,
    /// Version-table rows below another row only through a dependency (an
    /// earlier version of this project kept them): read as they are, and
    /// removed by the next run's first step.
    stale: Vec<usize>,
}

impl PartialEq for Applied {
    fn eq(&self, other: &Applied) -> bool {
        self.member == other.member
    }
}

impl Applied {
    /// Nothing applied (base).
    pub fn none(set: &MigrationSet) -> Self {
        Applied::from_members(vec![false; set.len()])
    }

    /// Everything applied (head).
    pub fn all(set: &MigrationSet) -> Self {
        Applied::from_members(vec![true; set.len()])
    }

    /// From a membership vector the caller has closed under parents and dependencies.
    pub fn from_members(member: Vec<bool>) -> Self {
        Applied {
            member,
            stale: Vec::new(),
        }
    }

    /// Whether the revision at position `i` is applied.
    pub fn contains(&self, i: usize) -> bool {
        self.member[i]
    }

    /// The applied positions, in order.
    pub fn positions(&self) -> impl DoubleEndedIterator<Item = usize> + '_ {
        (0..self.member.len()).filter(|&i| self.member[i])
    }

    /// How many revisions are applied.
    pub fn count(&self) -> usize {
        self.member.iter().filter(|m| **m).count()
    }

    /// Whether every revision applied here is applied in `other`.
    pub fn is_subset(&self, other: &Applied) -> bool {
        self.member.iter().zip(&other.member).all(|(a, b)| !a || *b)
    }

    /// The membership vector.
    pub fn members(&self) -> &[bool] {
        &self.member
    }
}

/// Version-table rows that do not describe a state of this set.
///
/// # Examples
///
/// ```
/// use schema_core::StateError;
/// # let rev = |id: &str, revises: &str| {
/// #     let text = format!("-- Revision ID: {id}\n-- Revises: {revises}\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
/// #     schema_core::parse_revision(&format!("{id}.sql"), &text).unwrap()
/// # };
/// # let set = schema_core::check(vec![rev("a", ""), rev("b", "a"), rev("c", "b")], "migrations").unwrap();
/// let rows = ["a".to_owned(), "c".to_owned()];
/// assert_eq!(
///     set.applied_from_rows(&rows),
///     Err(StateError::Redundant { below: "a".into(), above: "c".into() })
/// );
/// assert!(matches!(set.applied_from_rows(&["z".to_owned()]), Err(StateError::Unknown { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    /// A row names a revision the set does not have.
    #[error("the version table names revision `{id}`, which is not in this set")]
    Unknown {
        /// The row.
        id: String,
    },
    /// A row names a revision below another row's revision (through
    /// `Revises`): the table was edited by hand (each row is the top of an
    /// applied branch).
    #[error("the version table names `{below}`, which is already below `{above}`")]
    Redundant {
        /// The row that is an ancestor of another row.
        below: String,
        /// The row above it.
        above: String,
    },
}

impl MigrationSet {
    /// The applied set that version-table `rows` stand for: the rows and
    /// everything they need.
    ///
    /// A row below another row through `Revises` is refused (no tool writes
    /// one). A row below another only through a dependency is accepted (an
    /// earlier version of this project kept such rows; Alembic drops them)
    /// and stays in [`MigrationSet::rows`] until the next run removes it.
    pub fn applied_from_rows(&self, rows: &[String]) -> Result<Applied, StateError> {
        let mut positions = Vec::with_capacity(rows.len());
        for id in rows {
            positions.push(
                self.position(id)
                    .ok_or_else(|| StateError::Unknown { id: id.clone() })?,
            );
        }
        // The common case, one row: its ancestry.
        if let [one] = positions[..] {
            return Ok(Applied::from_members(self.ancestors([one])));
        }
        if let Some((below, above)) = self.nested_pair(&positions) {
            return Err(StateError::Redundant {
                below: self.revisions()[below].id.to_string(),
                above: self.revisions()[above].id.to_string(),
            });
        }
        let mut applied = Applied::from_members(self.ancestors(positions.iter().copied()));
        let tops = self.tops(&applied);
        applied.stale = positions
            .into_iter()
            .filter(|p| tops.binary_search(p).is_err())
            .collect();
        applied.stale.sort_unstable();
        applied.stale.dedup();
        Ok(applied)
    }

    /// The applied revisions that no applied revision revises or depends on,
    /// in order: the rows Alembic keeps.
    fn tops(&self, applied: &Applied) -> Vec<usize> {
        applied
            .positions()
            .filter(|&i| {
                !self
                    .children(i)
                    .iter()
                    .chain(self.dependents(i))
                    .any(|&c| applied.contains(c))
            })
            .collect()
    }

    /// The version-table rows of `applied`: the applied revisions that no
    /// applied revision revises or depends on, in order (plus, for a state
    /// read from a table an earlier version wrote, the rows it kept for
    /// revisions that are only dependencies).
    pub fn rows(&self, applied: &Applied) -> Vec<usize> {
        let mut rows = self.tops(applied);
        if !applied.stale.is_empty() {
            rows.extend(&applied.stale);
            rows.sort_unstable();
        }
        rows
    }

    /// The state whose version-table rows are `rows`: they and everything
    /// they need.
    pub fn applied_from_positions(&self, rows: impl IntoIterator<Item = usize>) -> Applied {
        Applied::from_members(self.ancestors(rows))
    }

    /// The applied revisions that no applied revision revises (dependencies
    /// aside): the top of each applied branch, Alembic's `_get_all_current`.
    pub fn branch_tops(&self, applied: &Applied) -> Vec<usize> {
        applied
            .positions()
            .filter(|&i| !self.children(i).iter().any(|&c| applied.contains(c)))
            .collect()
    }

    /// The ids of [`MigrationSet::rows`].
    pub fn row_ids(&self, applied: &Applied) -> Vec<&str> {
        self.rows(applied)
            .into_iter()
            .map(|i| &*self.revisions()[i].id)
            .collect()
    }
}

/// One revision run, with the version-table rows it replaces.
///
/// # Examples
///
/// ```
/// use schema_core::{moves, Applied, Direction};
/// # let rev = |id: &str, revises: &str| {
/// #     let text = format!("-- Revision ID: {id}\n-- Revises: {revises}\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
/// #     schema_core::parse_revision(&format!("{id}.sql"), &text).unwrap()
/// # };
/// # let set = schema_core::check(vec![rev("a", ""), rev("b", "a"), rev("c", "b")], "migrations").unwrap();
/// let first = &moves(&set, &Applied::all(&set), &Applied::none(&set))[0];
/// // Reverting `c` (position 2) replaces its row with its parent's.
/// assert_eq!((first.position, first.direction), (2, Direction::Downgrade));
/// assert_eq!((&first.remove[..], &first.insert[..]), (&[2][..], &[1][..]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Move {
    /// The revision's position.
    pub position: usize,
    /// Applying or reverting.
    pub direction: Direction,
    /// The rows the step deletes (positions).
    pub remove: Vec<usize>,
    /// The rows the step inserts (positions).
    pub insert: Vec<usize>,
}

/// The revisions to run to go from `from` to `to`, one of which contains the
/// other, in Alembic's order ([`MigrationSet::run_order`]): walked down from
/// the revisions to reach (an upgrade, reversed) or from the current rows
/// (a downgrade).
///
/// Each move keeps the version table at the rows of the state it reaches:
/// applying a revision removes the rows of its parents and dependencies,
/// reverting one restores those that nothing applied still needs. The first
/// move also removes the stale rows of `from`.
///
/// # Examples
///
/// ```
/// use schema_core::{moves, Applied, Direction};
/// # let rev = |id: &str, revises: &str| {
/// #     let text = format!("-- Revision ID: {id}\n-- Revises: {revises}\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
/// #     schema_core::parse_revision(&format!("{id}.sql"), &text).unwrap()
/// # };
/// # let set = schema_core::check(vec![rev("a", ""), rev("b", "a"), rev("c", "b")], "migrations").unwrap();
/// let at_a = set.applied_from_rows(&["a".to_owned()]).unwrap();
/// let run = moves(&set, &at_a, &Applied::all(&set));
/// let steps: Vec<(usize, Direction)> = run.iter().map(|m| (m.position, m.direction)).collect();
/// assert_eq!(steps, [(1, Direction::Upgrade), (2, Direction::Upgrade)]);
/// assert!(moves(&set, &at_a, &at_a).is_empty());
/// ```
pub fn moves(set: &MigrationSet, from: &Applied, to: &Applied) -> Vec<Move> {
    let n = set.len();
    let upgrade = from.is_subset(to);
    let todo: Vec<bool> = (0..n).map(|i| from.contains(i) != to.contains(i)).collect();
    if !todo.contains(&true) {
        return Vec::new();
    }
    // How many applied revisions revise or depend on each revision: a
    // revision belongs in the table exactly when it is applied and that
    // count is zero.
    let mut above = vec![0usize; n];
    let needs = |i: usize| {
        let mut v: Vec<usize> = set.parents(i).to_vec();
        for &d in set.dependencies(i) {
            if !v.contains(&d) {
                v.push(d);
            }
        }
        v
    };
    for i in from.positions() {
        for p in needs(i) {
            above[p] += 1;
        }
    }
    let mut table = vec![false; n];
    for r in set.rows(from) {
        table[r] = true;
    }
    let order = if upgrade {
        let reach = Applied::from_members(todo.clone());
        let heads = set.tops(&reach);
        let mut order = set.run_order(&todo, heads);
        order.reverse();
        order
    } else {
        let heads: Vec<usize> = set.tops(from).into_iter().filter(|&r| todo[r]).collect();
        set.run_order(&todo, heads)
    };
    let mut out = Vec::with_capacity(order.len());
    for (k, i) in order.into_iter().enumerate() {
        let mut remove = Vec::new();
        let mut insert = Vec::new();
        if k == 0 {
            for &s in &from.stale {
                table[s] = false;
                remove.push(s);
            }
        }
        if upgrade {
            for p in needs(i) {
                above[p] += 1;
                if table[p] {
                    table[p] = false;
                    remove.push(p);
                }
            }
            table[i] = true;
            insert.push(i);
        } else {
            if table[i] {
                table[i] = false;
                remove.push(i);
            }
            for p in needs(i) {
                above[p] -= 1;
                if above[p] == 0 && !table[p] {
                    table[p] = true;
                    insert.push(p);
                }
            }
        }
        // A stale row that this very step puts back is simply kept.
        let kept: Vec<usize> = remove
            .iter()
            .copied()
            .filter(|r| insert.contains(r))
            .collect();
        remove.retain(|r| !kept.contains(r));
        insert.retain(|r| !kept.contains(r));
        remove.sort_unstable();
        insert.sort_unstable();
        out.push(Move {
            position: i,
            direction: if upgrade {
                Direction::Upgrade
            } else {
                Direction::Downgrade
            },
            remove,
            insert,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{check, check_branches};
    use crate::parse::parse_revision;

    /// Revisions `(id, parents, dependencies)`, checked (several heads allowed).
    fn graph(revs: &[(&str, &str, &str)]) -> MigrationSet {
        let revs = revs
            .iter()
            .map(|(id, parents, depends)| {
                let text = format!(
                    "-- Revision ID: {id}\n-- Revises: {parents}\n-- Depends On: {depends}\n\
                     -- migrate:upgrade\n-- migrate:downgrade\n"
                );
                parse_revision(&format!("{id}.sql"), &text).unwrap()
            })
            .collect();
        check_branches(revs, "m").unwrap()
    }

    /// root -> a -> m, root -> b -> m, m -> top.
    fn diamond() -> MigrationSet {
        let set = graph(&[
            ("root", "", ""),
            ("a", "root", ""),
            ("b", "root", ""),
            ("m", "a, b", ""),
            ("top", "m", ""),
        ]);
        check(set.revisions().to_vec(), "m").unwrap()
    }

    /// a; b revises a; c revises a and depends on b; m merges b and c.
    fn dependency() -> MigrationSet {
        graph(&[
            ("a", "", ""),
            ("b", "a", ""),
            ("c", "a", "b"),
            ("m", "b, c", ""),
        ])
    }

    fn ids(set: &MigrationSet, positions: &[usize]) -> Vec<String> {
        positions
            .iter()
            .map(|&i| set.revisions()[i].id.to_string())
            .collect()
    }

    fn rows(set: &MigrationSet, rows: &[&str]) -> Applied {
        let rows: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
        set.applied_from_rows(&rows).unwrap()
    }

    fn steps(set: &MigrationSet, m: &[Move]) -> Vec<(String, Vec<String>, Vec<String>)> {
        m.iter()
            .map(|mv| {
                (
                    set.revisions()[mv.position].id.to_string(),
                    ids(set, &mv.remove),
                    ids(set, &mv.insert),
                )
            })
            .collect()
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn rows_below_a_merge_are_the_tops_of_both_branches() {
        let set = diamond();
        let applied = rows(&set, &["a", "b"]);
        assert_eq!(applied.count(), 3);
        assert_eq!(set.row_ids(&applied), ["b", "a"]);
        assert_eq!(set.row_ids(&rows(&set, &["top"])), ["top"]);
    }

    #[test]
    fn a_row_below_another_row_is_refused() {
        let set = diamond();
        let err = set
            .applied_from_rows(&["root".into(), "a".into()])
            .unwrap_err();
        assert_eq!(
            err,
            StateError::Redundant {
                below: "root".into(),
                above: "a".into()
            }
        );
        assert!(matches!(
            set.applied_from_rows(&["zz".into()]),
            Err(StateError::Unknown { .. })
        ));
    }

    #[test]
    fn a_revision_that_only_a_dependency_reaches_has_no_row_of_its_own() {
        let set = dependency();
        let c = set.position("c").unwrap();
        let applied = Applied::from_members(set.ancestors([c]));
        assert_eq!(applied.count(), 3);
        assert_eq!(set.row_ids(&applied), ["c"]);
        // Applying c from b moves b's row to c.
        let at_b = rows(&set, &["b"]);
        assert_eq!(
            steps(&set, &moves(&set, &at_b, &applied)),
            [("c".to_owned(), s(&["b"]), s(&["c"]))]
        );
    }

    #[test]
    fn a_table_that_kept_a_dependency_s_row_is_read_and_tidied_by_the_next_run() {
        let set = dependency();
        let old = rows(&set, &["b", "c"]);
        assert_eq!(old.count(), 3);
        assert_eq!(set.row_ids(&old), ["b", "c"]);
        // The first step of the next run removes the row nothing needs.
        let up = moves(&set, &old, &Applied::all(&set));
        assert_eq!(
            steps(&set, &up),
            [("m".to_owned(), s(&["b", "c"]), s(&["m"]))]
        );
        let down = moves(&set, &old, &rows(&set, &["b"]));
        assert_eq!(steps(&set, &down), [("c".to_owned(), s(&["c"]), s(&[]))]);
        // Equal to the tidy state: the same revisions are applied.
        assert_eq!(
            old,
            Applied::from_members(set.ancestors([set.position("c").unwrap()]))
        );
    }

    #[test]
    fn upgrading_through_a_merge_replaces_both_rows_by_one() {
        let set = diamond();
        let m = moves(&set, &Applied::none(&set), &Applied::all(&set));
        assert_eq!(
            steps(&set, &m),
            vec![
                ("root".into(), s(&[]), s(&["root"])),
                ("b".into(), s(&["root"]), s(&["b"])),
                ("a".into(), s(&[]), s(&["a"])),
                ("m".into(), s(&["b", "a"]), s(&["m"])),
                ("top".into(), s(&["m"]), s(&["top"])),
            ]
        );
    }

    #[test]
    fn downgrading_below_a_merge_restores_both_rows() {
        let set = diamond();
        let to = rows(&set, &["a", "b"]);
        let m = moves(&set, &Applied::all(&set), &to);
        assert_eq!(m.len(), 2);
        assert_eq!(ids(&set, &m[1].insert), ["b", "a"]);
        let back = moves(&set, &to, &Applied::none(&set));
        let order: Vec<String> = back
            .iter()
            .map(|mv| set.revisions()[mv.position].id.to_string())
            .collect();
        // Several rows are walked down in file-name order: a's branch first.
        assert_eq!(order, ["a", "b", "root"]);
        // Removing `a` leaves `b` as the only row; `root` becomes a row again
        // only once both of its children are gone.
        assert!(back[0].insert.is_empty());
        assert_eq!(ids(&set, &back[1].remove), ["b"]);
        assert_eq!(ids(&set, &back[1].insert), ["root"]);
        assert!(back[2].insert.is_empty());
    }

    #[test]
    fn an_upgrade_runs_in_the_order_alembic_walks_down_from_its_target() {
        // From b, upgrading to the merge m of (b, c2) applies c1, c2, m.
        let set = graph(&[
            ("a", "", ""),
            ("b", "a", ""),
            ("c1", "a", ""),
            ("c2", "c1", ""),
            ("m", "b, c2", ""),
        ]);
        let at_b = rows(&set, &["b"]);
        let to = Applied::all(&set);
        let order: Vec<String> = moves(&set, &at_b, &to)
            .iter()
            .map(|mv| set.revisions()[mv.position].id.to_string())
            .collect();
        assert_eq!(order, ["c1", "c2", "m"]);
    }
}
