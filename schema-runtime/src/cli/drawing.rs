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
///
/// A merge revision's extra parents open lanes right beside its own, pushing
/// the lanes to their right one column over (`\`); lanes that wait for the
/// same revision join at it (`/`), pulling the lanes to their right back.
pub fn draw(set: &MigrationSet, shown: &[bool]) -> Vec<Row> {
    let mut lanes: Vec<Option<usize>> = Vec::new();
    let mut rows = Vec::new();
    for r in (0..set.len()).rev().filter(|&i| shown[i]) {
        let mut before = Vec::new();
        let waiting: Vec<usize> = (0..lanes.len()).filter(|&c| lanes[c] == Some(r)).collect();
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
            // Each lane after the first waiting one moves left by the number
            // of joining lanes at or before it.
            let first_join = waiting[1];
            let slanted: Vec<usize> = (first_join..lanes.len())
                .filter(|&c| lanes[c].is_some() || waiting.contains(&c))
                .collect();
            let straight = (0..first_join).filter(|&c| lanes[c].is_some());
            before.push(connector(straight, &slanted, '/'));
            for &c in waiting[1..].iter().rev() {
                lanes.remove(c);
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
            let extra = parents.len() - 1;
            for (k, &p) in parents[1..].iter().enumerate() {
                lanes.insert(col + 1 + k, Some(p));
            }
            let slanted: Vec<usize> = (col + 1..lanes.len())
                .filter(|&c| lanes[c].is_some() || c <= col + extra)
                .collect();
            let straight = (0..=col).filter(|&c| lanes[c].is_some());
            after.push(connector(straight, &slanted, '\\'));
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
            out.push_str(&format!(
                "{} {}\n",
                row.prefix,
                set.revisions()[row.position].id
            ));
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
    fn nested_diamonds_keep_each_branch_beside_the_lane_it_rejoins() {
        let s = set(&[
            ("a", ""),
            ("b", "a"),
            ("b1", "b"),
            ("b2", "b"),
            ("bm", "b1, b2"),
            ("c", "a"),
            ("m", "bm, c"),
        ]);
        assert_eq!(
            picture(&s),
            "* m\n|\\\n* | bm\n|\\ \\\n* | | b1\n| * | b2\n| | * c\n|/ /\n* | b\n|/\n* a\n"
        );
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
            "* top\n* m\n|\\\n* | a2\n* | a1\n| * b1\n|/\n* root\n"
        );
    }
}
