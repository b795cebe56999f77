//! The revision graph: is a set of revisions one chain, and in which order?
//!
//! [`check`] is the one function that decides whether a directory's revisions
//! form a valid chain; the macro, the runtime loader and `cargo xtask check` all
//! call it. It runs in time linear in the number of revisions and reports every
//! problem at once, each with the files involved and what to do.

use std::borrow::Cow;
use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Diagnostics, ErrorKind, Location};
use crate::revision::Revision;

/// An ordered, checked set of revisions: base first, head last.
#[derive(Debug, Clone)]
pub struct MigrationSet {
    revisions: Cow<'static, [Revision]>,
}

impl MigrationSet {
    /// Wraps revisions that are already checked and ordered base first. The
    /// macro uses it for the set it embeds; anything else should call [`check`].
    pub const fn from_checked_static(revisions: &'static [Revision]) -> Self {
        MigrationSet {
            revisions: Cow::Borrowed(revisions),
        }
    }

    /// The revisions, base first.
    pub fn revisions(&self) -> &[Revision] {
        &self.revisions
    }

    /// How many revisions the chain has.
    pub fn len(&self) -> usize {
        self.revisions.len()
    }

    /// Whether the chain is empty (never true for a checked set).
    pub fn is_empty(&self) -> bool {
        self.revisions.is_empty()
    }

    /// The base revision.
    pub fn base(&self) -> &Revision {
        &self.revisions[0]
    }

    /// The head revision.
    pub fn head(&self) -> &Revision {
        &self.revisions[self.revisions.len() - 1]
    }

    /// The position (0 = base) of the revision with this exact id.
    pub fn position(&self, id: &str) -> Option<usize> {
        // The head is by far the most common question (a start at head).
        if self.head().id == id {
            return Some(self.len() - 1);
        }
        self.revisions.iter().position(|r| r.id == id)
    }

    /// The revision with this exact id.
    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.position(id).map(|i| &self.revisions[i])
    }
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur.push(sub.min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The id closest to `wanted` by edit distance, if any is close enough to be a typo.
pub fn closest<'a>(wanted: &str, ids: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    ids.map(|id| (levenshtein(wanted, id), id))
        .filter(|(d, _)| *d <= 3 && *d < wanted.len())
        .min_by_key(|(d, _)| *d)
        .map(|(_, id)| id)
}

fn at_id(r: &Revision) -> Location {
    Location::new(r.path.to_string(), r.id_line, None)
}

fn at_revises(r: &Revision) -> Location {
    Location::new(r.path.to_string(), r.revises_line, None)
}

/// Checks that `revisions` form one chain and orders them base first.
///
/// `dir` names the directory in the message for an empty set. The rules are
/// listed in `docs/FORMAT.md`; every broken rule yields one [`Diagnostic`].
pub fn check(revisions: Vec<Revision>, dir: &str) -> Result<MigrationSet, Diagnostics> {
    let n = revisions.len();
    if n == 0 {
        return Err(Diagnostics(vec![Diagnostic::new(
            ErrorKind::Empty {
                dir: dir.to_owned(),
            },
            Location::new(dir, 0, None),
            "create the first revision with `cargo xtask new-revision -m \"initial schema\"`",
        )]));
    }
    let mut errors = Vec::new();

    // Duplicate ids: the first file keeps the id, the others are left out of the graph.
    let mut index: HashMap<&str, usize> = HashMap::with_capacity(n);
    let mut duplicates: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut live = vec![true; n];
    for (i, r) in revisions.iter().enumerate() {
        if let Some(&first) = index.get(&*r.id) {
            duplicates
                .entry(&r.id)
                .or_insert_with(|| vec![first])
                .push(i);
            live[i] = false;
        } else {
            index.insert(&r.id, i);
        }
    }
    let mut dup_ids: Vec<&&str> = duplicates.keys().collect();
    dup_ids.sort_by_key(|id| duplicates[**id][0]);
    for id in dup_ids {
        let files = &duplicates[*id];
        errors.push(Diagnostic {
            kind: ErrorKind::DuplicateId {
                id: (*id).to_owned(),
            },
            locations: files.iter().map(|&i| at_id(&revisions[i])).collect(),
            help: format!(
                "give all but one of these files a new `Revision ID` (`cargo xtask new-revision` \
                 makes fresh ids) and update any `Revises: {id}` that meant the renamed one"
            ),
        });
    }

    // Parents: gaps and bases.
    let mut parent: Vec<Option<usize>> = vec![None; n];
    let mut bases = Vec::new();
    let mut gaps = Vec::new();
    for (i, r) in revisions.iter().enumerate().filter(|(i, _)| live[*i]) {
        match r.down_revision.as_deref() {
            None => bases.push(i),
            Some(p) => match index.get(p) {
                Some(&pi) => parent[i] = Some(pi),
                None => {
                    gaps.push(i);
                    let suggestion = closest(p, index.keys().copied().filter(|id| *id != r.id))
                        .map(|c| format!("did you mean `Revises: {c}`? otherwise "))
                        .unwrap_or_default();
                    errors.push(Diagnostic::new(
                        ErrorKind::Gap {
                            id: r.id.to_string(),
                            missing: p.to_owned(),
                        },
                        at_revises(r),
                        format!(
                            "{suggestion}restore the file that declares `Revision ID: {p}`, or point \
                             `Revises` at the revision this one follows"
                        ),
                    ));
                }
            },
        }
    }
    if bases.len() > 1 {
        let first = &revisions[bases[0]];
        let mut locations: Vec<Location> =
            bases.iter().map(|&i| at_revises(&revisions[i])).collect();
        locations[0] = locations[0].clone().labelled("the first base");
        let others: Vec<String> = bases[1..]
            .iter()
            .map(|&i| format!("`{}`", revisions[i].path))
            .collect();
        errors.push(Diagnostic {
            kind: ErrorKind::MultipleBases {
                ids: bases.iter().map(|&i| revisions[i].id.to_string()).collect(),
            },
            locations,
            help: format!(
                "a chain has exactly one base (`{}` in `{}`); in {} set `Revises:` to the revision \
                 each should follow",
                first.id,
                first.path,
                others.join(", ")
            ),
        });
    }

    // Children: forks.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, p) in parent.iter().enumerate() {
        if let Some(p) = p {
            children[*p].push(i);
        }
    }
    for (p, kids) in children.iter().enumerate().filter(|(_, k)| k.len() > 1) {
        let pr = &revisions[p];
        let mut locations: Vec<Location> =
            kids.iter().map(|&k| at_revises(&revisions[k])).collect();
        locations.push(at_id(pr).labelled("the common parent"));
        let chain: Vec<String> = kids
            .windows(2)
            .map(|w| {
                format!(
                    "in `{}` change `Revises: {}` to `Revises: {}`",
                    revisions[w[1]].path, pr.id, revisions[w[0]].id
                )
            })
            .collect();
        errors.push(Diagnostic {
            kind: ErrorKind::Fork {
                parent: pr.id.to_string(),
                children: kids.iter().map(|&k| revisions[k].id.to_string()).collect(),
            },
            locations,
            help: format!(
                "point one revision at the other so that they follow each other: {}",
                chain.join("; ")
            ),
        });
    }

    // Cycles: whatever cannot be reached from a base (or a gap) is on or behind a cycle.
    let mut reached = vec![false; n];
    let mut stack: Vec<usize> = bases.iter().chain(&gaps).copied().collect();
    while let Some(i) = stack.pop() {
        if !reached[i] {
            reached[i] = true;
            stack.extend(&children[i]);
        }
    }
    let mut on_reported_cycle = vec![false; n];
    for start in 0..n {
        if !live[start] || reached[start] || on_reported_cycle[start] {
            continue;
        }
        // Walk up the parents until a revision repeats: that loop is the cycle.
        let mut seen_at: HashMap<usize, usize> = HashMap::new();
        let mut path = Vec::new();
        let mut cur = start;
        while let std::collections::hash_map::Entry::Vacant(e) = seen_at.entry(cur) {
            e.insert(path.len());
            path.push(cur);
            match parent[cur] {
                Some(p) => cur = p,
                None => break,
            }
        }
        let Some(&from) = seen_at.get(&cur) else {
            continue;
        };
        let cycle = &path[from..];
        if cycle.iter().any(|&i| on_reported_cycle[i]) {
            for &i in &path {
                on_reported_cycle[i] = true;
            }
            continue;
        }
        for &i in &path {
            on_reported_cycle[i] = true;
        }
        let first = &revisions[cycle[0]];
        errors.push(Diagnostic {
            kind: ErrorKind::Cycle {
                ids: cycle.iter().map(|&i| revisions[i].id.to_string()).collect(),
            },
            locations: cycle.iter().map(|&i| at_revises(&revisions[i])).collect(),
            help: format!(
                "a chain cannot come back to itself; in `{}` set `Revises:` to the revision `{}` \
                 really follows (or leave it empty if it is the base)",
                first.path, first.id
            ),
        });
    }

    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }

    // One base, no fork, no gap, no cycle: follow the single child from the base.
    let mut order = Vec::with_capacity(n);
    let mut cur = Some(bases[0]);
    while let Some(i) = cur {
        order.push(i);
        cur = children[i].first().copied();
    }
    debug_assert_eq!(order.len(), n);
    let mut slots: Vec<Option<Revision>> = revisions.into_iter().map(Some).collect();
    let ordered = order
        .into_iter()
        .map(|i| slots[i].take().expect("each revision is ordered once"))
        .collect::<Vec<_>>();
    Ok(MigrationSet {
        revisions: Cow::Owned(ordered),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_revision;

    fn rev(id: &str, parent: Option<&str>) -> Revision {
        let text = format!(
            "-- Revision ID: {id}\n-- Revises: {}\n-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\nSELECT 1;\n",
            parent.unwrap_or("")
        );
        parse_revision(&format!("{id}.sql"), &text).unwrap()
    }

    fn ids(set: &MigrationSet) -> Vec<&str> {
        set.revisions().iter().map(|r| &*r.id).collect()
    }

    fn kinds(revs: Vec<Revision>) -> Vec<ErrorKind> {
        check(revs, "m")
            .unwrap_err()
            .0
            .into_iter()
            .map(|d| d.kind)
            .collect()
    }

    #[test]
    fn orders_a_shuffled_chain_base_first() {
        let set = check(
            vec![rev("c", Some("b")), rev("a", None), rev("b", Some("a"))],
            "m",
        )
        .unwrap();
        assert_eq!(ids(&set), ["a", "b", "c"]);
        assert_eq!(set.head().id, "c");
        assert_eq!(set.base().id, "a");
        assert_eq!(set.position("b"), Some(1));
    }

    #[test]
    fn a_single_revision_is_a_chain() {
        assert_eq!(ids(&check(vec![rev("a", None)], "m").unwrap()), ["a"]);
    }

    #[test]
    fn an_empty_directory_is_rejected() {
        assert_eq!(kinds(vec![]), vec![ErrorKind::Empty { dir: "m".into() }]);
    }

    #[test]
    fn duplicate_ids_are_rejected_naming_both_files() {
        let mut dup = rev("b", Some("a"));
        dup.path = "other.sql".into();
        let err = check(vec![rev("a", None), rev("b", Some("a")), dup], "m").unwrap_err();
        assert_eq!(
            err.kinds(),
            vec![&ErrorKind::DuplicateId { id: "b".into() }]
        );
        let paths: Vec<&str> = err.0[0].locations.iter().map(|l| &*l.path).collect();
        assert_eq!(paths, ["b.sql", "other.sql"]);
    }

    #[test]
    fn a_gap_is_rejected_with_a_suggestion() {
        let err = check(vec![rev("abc", None), rev("d", Some("abd"))], "m").unwrap_err();
        assert_eq!(
            err.kinds(),
            vec![&ErrorKind::Gap {
                id: "d".into(),
                missing: "abd".into()
            }]
        );
        assert!(
            err.0[0].help.contains("did you mean `Revises: abc`?"),
            "{}",
            err.0[0].help
        );
    }

    #[test]
    fn two_bases_are_rejected() {
        assert_eq!(
            kinds(vec![rev("a", None), rev("b", None)]),
            vec![ErrorKind::MultipleBases {
                ids: vec!["a".into(), "b".into()]
            }]
        );
    }

    #[test]
    fn a_fork_names_both_children_and_the_parent_and_says_how_to_fix_it() {
        let err = check(
            vec![rev("a", None), rev("b", Some("a")), rev("c", Some("a"))],
            "m",
        )
        .unwrap_err();
        assert_eq!(
            err.kinds(),
            vec![&ErrorKind::Fork {
                parent: "a".into(),
                children: vec!["b".into(), "c".into()]
            }]
        );
        let d = &err.0[0];
        assert_eq!(d.locations.len(), 3);
        assert_eq!(d.locations[2].label.as_deref(), Some("the common parent"));
        assert!(
            d.help
                .contains("in `c.sql` change `Revises: a` to `Revises: b`"),
            "{}",
            d.help
        );
    }

    #[test]
    fn a_cycle_is_rejected_once_with_its_members() {
        let revs = vec![
            rev("a", None),
            rev("x", Some("z")),
            rev("y", Some("x")),
            rev("z", Some("y")),
        ];
        let k = kinds(revs);
        assert_eq!(k.len(), 1, "{k:?}");
        let ErrorKind::Cycle { ids } = &k[0] else {
            panic!("{k:?}")
        };
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(sorted, ["x", "y", "z"]);
    }

    #[test]
    fn a_self_revising_revision_is_a_cycle() {
        assert_eq!(
            kinds(vec![rev("a", None), rev("b", Some("b"))]),
            vec![ErrorKind::Cycle {
                ids: vec!["b".into()]
            }]
        );
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let k = kinds(vec![
            rev("a", None),
            rev("b", None),
            rev("c", Some("a")),
            rev("d", Some("a")),
            rev("e", Some("q")),
        ]);
        assert_eq!(k.len(), 3, "{k:?}");
    }

    #[test]
    fn a_ten_thousand_revision_chain_in_reverse_file_order_is_ordered() {
        let revs: Vec<Revision> = (0..10_000)
            .map(|i| {
                let id = format!("r{i}");
                let parent = (i > 0).then(|| format!("r{}", i - 1));
                rev(&id, parent.as_deref())
            })
            .rev()
            .collect();
        let set = check(revs, "m").unwrap();
        assert_eq!(set.base().id, "r0");
        assert_eq!(set.head().id, "r9999");
        assert!(set
            .revisions()
            .windows(2)
            .all(|w| w[1].down_revision.as_deref() == Some(&*w[0].id)));
    }

    mod property {
        use super::*;
        use proptest::prelude::*;

        /// A reference answer: one chain means one base, each revision's parent
        /// exists, no parent has two children, and walking from the base covers all.
        fn is_one_chain(parents: &[Option<usize>]) -> bool {
            let n = parents.len();
            let bases: Vec<usize> = (0..n).filter(|&i| parents[i].is_none()).collect();
            if bases.len() != 1 {
                return false;
            }
            let mut count = vec![0; n];
            for p in parents.iter().flatten() {
                if *p >= n {
                    return false;
                }
                count[*p] += 1;
            }
            if count.iter().any(|&c| c > 1) {
                return false;
            }
            let (mut cur, mut steps) = (bases[0], 1);
            while let Some(next) = (0..n).find(|&i| parents[i] == Some(cur)) {
                cur = next;
                steps += 1;
                if steps > n {
                    return false;
                }
            }
            steps == n
        }

        fn graph() -> impl Strategy<Value = Vec<Option<usize>>> {
            (1usize..12)
                .prop_flat_map(|n| prop::collection::vec(prop::option::weighted(0.85, 0..n + 1), n))
        }

        fn chain() -> impl Strategy<Value = Vec<usize>> {
            (1usize..40).prop_flat_map(|n| Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        }

        proptest! {
            #[test]
            fn random_graphs_are_accepted_exactly_when_they_form_one_chain(parents in graph()) {
                let revs: Vec<Revision> = parents
                    .iter()
                    .enumerate()
                    .map(|(i, p)| rev(&format!("r{i}"), p.map(|p| format!("r{p}")).as_deref()))
                    .collect();
                prop_assert_eq!(check(revs, "m").is_ok(), is_one_chain(&parents));
            }

            #[test]
            fn random_chains_in_any_file_order_come_out_base_first(order in chain()) {
                // Revision k revises k-1; the files arrive in a shuffled order.
                let revs: Vec<Revision> = order
                    .iter()
                    .map(|&k| rev(&format!("r{k}"), k.checked_sub(1).map(|p| format!("r{p}")).as_deref()))
                    .collect();
                let set = check(revs, "m").unwrap();
                let got: Vec<String> = set.revisions().iter().map(|r| r.id.to_string()).collect();
                let want: Vec<String> = (0..order.len()).map(|k| format!("r{k}")).collect();
                prop_assert_eq!(got, want);
            }
        }
    }
}
