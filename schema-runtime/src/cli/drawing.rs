//! The revision graph drawn as text lanes for `history`, newest first, as
//! `git log --graph` draws commits: `*` marks the revision, `|` a branch that
//! goes on, `|\` a merge revision's second parent opening a lane, `|/` two
//! lanes joining where a branch started.

use schema_core::MigrationSet;

/// How one revision is drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The revision's position.
    pub position: usize,
    /// Lines drawn before the revision's line (lanes joining at a branch point).
    pub before: Vec<String>,
    /// The lanes on the revision's line, `*` in its own.
    pub prefix: String,
    /// Lines drawn after it (lanes opening for a merge revision's parents).
    pub after: Vec<String>,
}

fn line(cells: &[char]) -> String {
    let mut s: String = cells.iter().flat_map(|c| [*c, ' ']).collect();
    s.truncate(s.trim_end().len());
    s
}

/// A line between two revision lines: `|` for each lane that goes straight
/// on, `slant` between a lane in `slanted` and the lane to its left.
fn connector(straight: impl Iterator<Item = usize>, slanted: &[usize], slant: char) -> String {
    let mut cells: Vec<char> = Vec::new();
    let mut put = |at: usize, c: char| {
        if cells.len() <= at {
            cells.resize(at + 1, ' ');
        }
        cells[at] = c;
    };
    for c in straight {
        put(2 * c, '|');
    }
    for &c in slanted {
        put(2 * c - 1, slant);
    }
    cells.into_iter().collect()
}

fn trim(lanes: &mut Vec<Option<usize>>) {
    while lanes.last() == Some(&None) {
        lanes.pop();
    }
}

/// Draws the revisions for which `shown` is true, newest first.
pub fn draw(set: &MigrationSet, shown: &[bool]) -> Vec<Row> {
    let mut lanes: Vec<Option<usize>> = Vec::new();
    let mut rows = Vec::new();
    for r in (0..set.len()).rev().filter(|&i| shown[i]) {
        let mut before = Vec::new();
        let waiting: Vec<usize> = (0..lanes.len())
            .filter(|&c| lanes[c] == Some(r))
            .collect();
        let col = match waiting.first() {
            Some(&c) => c,
            None => match lanes.iter().position(Option::is_none) {
                Some(free) => free,
                None => {
                    lanes.push(None);
                    lanes.len() - 1
                }
            },
        };
        if waiting.len() > 1 {
            let straight = (0..lanes.len()).filter(|c| lanes[*c].is_some() && !waiting[1..].contains(c));
            before.push(connector(straight, &waiting[1..], '/'));
            for &c in &waiting[1..] {
                lanes[c] = None;
            }
        }
        lanes[col] = Some(r);
        let cells: Vec<char> = (0..lanes.len())
            .map(|c| {
                if c == col {
                    '*'
                } else if lanes[c].is_some() {
                    '|'
                } else {
                    ' '
                }
            })
            .collect();
        let prefix = line(&cells);
        let parents: Vec<usize> = set
            .parents(r)
            .iter()
            .copied()
            .filter(|&p| shown[p])
            .collect();
        let mut after = Vec::new();
        lanes[col] = parents.first().copied();
        if parents.len() > 1 {
            let mut opened = Vec::new();
            for &p in &parents[1..] {
                let slot = match (col + 1..lanes.len()).find(|&c| lanes[c].is_none()) {
                    Some(free) => free,
                    None => {
                        lanes.push(None);
                        lanes.len() - 1
                    }
                };
                lanes[slot] = Some(p);
                opened.push(slot);
            }
            let straight = (0..lanes.len()).filter(|c| lanes[*c].is_some() && !opened.contains(c));
            after.push(connector(straight, &opened, '\\'));
        }
        trim(&mut lanes);
        rows.push(Row {
            position: r,
            before,
            prefix,
            after,
        });
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(revs: &[(&str, &str)]) -> MigrationSet {
        let revs = revs
            .iter()
            .map(|(id, parents)| {
                let text = format!(
                    "-- Revision ID: {id}\n-- Revises: {parents}\n-- migrate:upgrade\n-- migrate:downgrade\n"
                );
                schema_core::parse_revision(&format!("{id}.sql"), &text).unwrap()
            })
            .collect();
        schema_core::check(revs, "m").unwrap()
    }

    fn picture(set: &MigrationSet) -> String {
        let mut out = String::new();
        for row in draw(set, &vec![true; set.len()]) {
            for l in &row.before {
                out.push_str(&format!("{l}\n"));
            }
            out.push_str(&format!("{} {}\n", row.prefix, set.revisions()[row.position].id));
            for l in &row.after {
                out.push_str(&format!("{l}\n"));
            }
        }
        out
    }

    #[test]
    fn a_linear_history_is_one_lane() {
        let s = set(&[("r1", ""), ("r2", "r1"), ("r3", "r2")]);
        assert_eq!(picture(&s), "* r3\n* r2\n* r1\n");
    }

    #[test]
    fn a_diamond_opens_a_lane_at_the_merge_and_joins_it_at_the_branch_point() {
        let s = set(&[
            ("root", ""),
            ("a1", "root"),
            ("a2", "a1"),
            ("b1", "root"),
            ("m", "a2, b1"),
            ("top", "m"),
        ]);
        assert_eq!(
            picture(&s),
            "* top\n* m\n|\\\n| * b1\n* | a2\n* | a1\n|/\n* root\n"
        );
    }
}
