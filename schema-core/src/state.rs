//! What a database has applied, and the moves between two such states.
//!
//! A database has applied a set of revisions that is closed under parents and
//! dependencies ([`Applied`]). Its version table holds, as Alembic's does, one
//! row per revision of that set that no applied revision revises: one row on a
//! linear history, several after a downgrade below a merge point or an upgrade
//! of one branch. [`moves`] turns two states into the revisions to run, each
//! with the version-table rows it removes and inserts, so the online run and
//! the offline script update the table the same way.

use std::fmt;

use crate::graph::MigrationSet;

/// Which way a run goes.
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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    member: Vec<bool>,
}

impl Applied {
    /// Nothing applied (base).
    pub fn none(set: &MigrationSet) -> Self {
        Applied {
            member: vec![false; set.len()],
        }
    }

    /// Everything applied (head).
    pub fn all(set: &MigrationSet) -> Self {
        Applied {
            member: vec![true; set.len()],
        }
    }

    /// From a membership vector the caller has closed under parents and dependencies.
    pub fn from_members(member: Vec<bool>) -> Self {
        Applied { member }
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
    /// The applied set that version-table `rows` stand for.
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
        Ok(Applied::from_members(self.ancestors(positions)))
    }

    /// The version-table rows of `applied`: the applied revisions that no
    /// applied revision revises, in order.
    pub fn rows(&self, applied: &Applied) -> Vec<usize> {
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
/// other: upgrades in application order, downgrades in reverse.
pub fn moves(set: &MigrationSet, from: &Applied, to: &Applied) -> Vec<Move> {
    let n = set.len();
    // How many applied children each revision has: a revision is a row
    // exactly when it is applied and that count is zero.
    let mut applied_children = vec![0usize; n];
    for i in from.positions() {
        for &p in set.parents(i) {
            applied_children[p] += 1;
        }
    }
    let mut out = Vec::new();
    if from.is_subset(to) {
        for i in to.positions().filter(|&i| !from.contains(i)) {
            let mut remove = Vec::new();
            for &p in set.parents(i) {
                if applied_children[p] == 0 {
                    remove.push(p);
                }
                applied_children[p] += 1;
            }
            out.push(Move {
                position: i,
                direction: Direction::Upgrade,
                remove,
                insert: vec![i],
            });
        }
    } else {
        for i in from.positions().rev().filter(|&i| !to.contains(i)) {
            let mut insert = Vec::new();
            for &p in set.parents(i) {
                applied_children[p] -= 1;
                if applied_children[p] == 0 {
                    insert.push(p);
                }
            }
            out.push(Move {
                position: i,
                direction: Direction::Downgrade,
                remove: vec![i],
                insert,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{check, check_branches};
    use crate::parse::parse_revision;

    /// root -> a -> m, root -> b -> m, m -> top.
    fn diamond() -> MigrationSet {
        let revs = [
            ("root", ""),
            ("a", "root"),
            ("b", "root"),
            ("m", "a, b"),
            ("top", "m"),
        ]
        .iter()
        .map(|(id, parents)| {
            let text = format!(
                "-- Revision ID: {id}\n-- Revises: {parents}\n-- migrate:upgrade\n-- migrate:downgrade\n"
            );
            parse_revision(&format!("{id}.sql"), &text).unwrap()
        })
        .collect();
        check(revs, "m").unwrap()
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

    #[test]
    fn rows_below_a_merge_are_the_tops_of_both_branches() {
        let set = diamond();
        let applied = rows(&set, &["a", "b"]);
        assert_eq!(applied.count(), 3);
        assert_eq!(set.row_ids(&applied), ["a", "b"]);
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
    fn a_row_below_another_only_through_a_dependency_is_a_branch_top() {
        // root -> q; root -> r -> p, where r depends on q.
        let revs = [("root", "", ""), ("q", "root", ""), ("r", "root", "q"), ("p", "r", "")]
            .iter()
            .map(|(id, parents, depends)| {
                let text = format!(
                    "-- Revision ID: {id}\n-- Revises: {parents}\n-- Depends On: {depends}\n-- migrate:upgrade\n-- migrate:downgrade\n"
                );
                parse_revision(&format!("{id}.sql"), &text).unwrap()
            })
            .collect();
        let set = check_branches(revs, "m").unwrap();
        let applied = rows(&set, &["q", "p"]);
        assert_eq!(applied.count(), 4);
        assert_eq!(set.row_ids(&applied), ["q", "p"]);
        let up = moves(&set, &Applied::none(&set), &applied);
        let last = up.last().unwrap();
        assert_eq!(set.revisions()[last.position].id, "p");
        assert_eq!(ids(&set, &last.remove), ["r"]);
    }

    #[test]
    fn upgrading_through_a_merge_replaces_both_rows_by_one() {
        let set = diamond();
        let m = moves(&set, &Applied::none(&set), &Applied::all(&set));
        let steps: Vec<(String, Vec<String>, Vec<String>)> = m
            .iter()
            .map(|mv| {
                (
                    set.revisions()[mv.position].id.to_string(),
                    ids(&set, &mv.remove),
                    ids(&set, &mv.insert),
                )
            })
            .collect();
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            steps,
            vec![
                ("root".into(), s(&[]), s(&["root"])),
                ("a".into(), s(&["root"]), s(&["a"])),
                ("b".into(), s(&[]), s(&["b"])),
                ("m".into(), s(&["a", "b"]), s(&["m"])),
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
        assert_eq!(ids(&set, &m[1].insert), ["a", "b"]);
        let back = moves(&set, &to, &Applied::none(&set));
        let order: Vec<String> = back
            .iter()
            .map(|mv| set.revisions()[mv.position].id.to_string())
            .collect();
        assert_eq!(order, ["b", "a", "root"]);
        // Removing `b` leaves `a` as the only row; `root` becomes a row again
        // only once both of its children are gone.
        assert!(back[0].insert.is_empty());
        assert_eq!(ids(&set, &back[1].remove), ["a"]);
        assert_eq!(ids(&set, &back[1].insert), ["root"]);
        assert!(back[2].insert.is_empty());
    }
}
