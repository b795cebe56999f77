//! The revision graph: do a directory's revisions form a deployable history,
//! and in which order are they applied?
//!
//! [`check`] is the one function that decides whether a directory's revisions
//! form a valid graph; the macro, the runtime loader and `cargo xtask check` all
//! call it. Revisions may branch and merge as in Alembic (a merge revision
//! revises several parents), and may depend on revisions of other branches
//! (`Depends On`), but a deployable graph has exactly one base and one head.
//! [`check_branches`] accepts several heads: the commands that inspect or merge
//! an unmerged directory (`heads`, `branches`, `history`, `merge`) use it.
//!
//! Both run in time linear in the number of revisions and edges and report
//! every problem at once, each with the files involved and what to do.
//!
//! # Order
//!
//! Revisions are applied in Alembic's order, so that offline SQL from either
//! tool lists them alike: walking down from the head, a revision is emitted
//! once no other pending branch still needs it, a merge revision's parents
//! are walked in the order its `Revises` names them (then its dependencies),
//! and a branch is followed down to where it meets another before the next
//! is taken. The upgrade order is the reverse of that walk, so the branch of
//! a merge's last-named parent is applied first. Several heads (or several
//! version-table rows, for a downgrade) are walked in file-name order, as
//! Alembic loads them. Runs use the same walk over the revisions they move
//! ([`MigrationSet::run_order`]); downgrades run top down.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use crate::diagnostic::{Diagnostic, Diagnostics, ErrorKind, Location};
use crate::revision::{Embedded, Revision};

/// The edges of a set, by position, computed once per set.
#[derive(Debug)]
struct Index {
    ids: HashMap<String, usize>,
    parents: Vec<Vec<usize>>,
    children: Vec<Vec<usize>>,
    depends: Vec<Vec<usize>>,
    dependents: Vec<Vec<usize>>,
    labels: HashMap<String, usize>,
    /// Alembic's "normalized down revisions": the parents, then the
    /// dependencies no ancestor (through `Revises`) already declares.
    down: Vec<Vec<usize>>,
    /// Rank of each revision's file in file-name order (Alembic's load order).
    file_rank: Vec<usize>,
}

impl Index {
    fn build(revisions: &[Revision]) -> Index {
        let n = revisions.len();
        let ids: HashMap<String, usize> = revisions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.to_string(), i))
            .collect();
        let labels: HashMap<String, usize> = revisions
            .iter()
            .enumerate()
            .flat_map(|(i, r)| r.branch_labels.iter().map(move |l| (l.to_string(), i)))
            .collect();
        let parents: Vec<Vec<usize>> = revisions
            .iter()
            .map(|r| {
                r.down_revisions
                    .iter()
                    .filter_map(|p| ids.get(&**p).copied())
                    .collect()
            })
            .collect();
        let depends: Vec<Vec<usize>> = revisions
            .iter()
            .map(|r| {
                r.depends_on
                    .iter()
                    .filter_map(|d| ids.get(&**d).or_else(|| labels.get(&**d)).copied())
                    .collect()
            })
            .collect();
        let mut children = vec![Vec::new(); n];
        let mut dependents = vec![Vec::new(); n];
        for i in 0..n {
            for &p in &parents[i] {
                children[p].push(i);
            }
            for &d in &depends[i] {
                dependents[d].push(i);
            }
        }
        let down = normalized_down(&parents, &depends);
        let file_rank = file_ranks(revisions);
        Index {
            ids,
            parents,
            children,
            depends,
            dependents,
            labels,
            down,
            file_rank,
        }
    }
}

/// The rank of each revision in file-name order (then id order).
fn file_ranks(revisions: &[Revision]) -> Vec<usize> {
    let mut by_name: Vec<usize> = (0..revisions.len()).collect();
    by_name.sort_by(|&a, &b| {
        (&revisions[a].path, &revisions[a].id).cmp(&(&revisions[b].path, &revisions[b].id))
    });
    let mut rank = vec![0; revisions.len()];
    for (k, i) in by_name.into_iter().enumerate() {
        rank[i] = k;
    }
    rank
}

/// Alembic's normalized down revisions of each revision: its parents in the
/// order `Revises` names them, then those of its dependencies that no
/// ancestor through `Revises` declares as a dependency too (in the order
/// `Depends On` names them), without repeats.
fn normalized_down(parents: &[Vec<usize>], depends: &[Vec<usize>]) -> Vec<Vec<usize>> {
    let n = parents.len();
    let mut seen = vec![false; n];
    let mut stack = Vec::new();
    let mut inherited = vec![false; n];
    (0..n)
        .map(|i| {
            let mut down = parents[i].clone();
            if !depends[i].is_empty() {
                // Dependencies declared by an ancestor are reached through it.
                let mut visited = Vec::new();
                stack.extend(parents[i].iter().copied());
                while let Some(a) = stack.pop() {
                    if !seen[a] {
                        seen[a] = true;
                        visited.push(a);
                        for &d in &depends[a] {
                            inherited[d] = true;
                        }
                        stack.extend(parents[a].iter().copied().filter(|&p| !seen[p]));
                    }
                }
                for &d in &depends[i] {
                    if !inherited[d] && !down.contains(&d) {
                        down.push(d);
                    }
                }
                for a in visited {
                    seen[a] = false;
                    for &d in &depends[a] {
                        inherited[d] = false;
                    }
                }
            }
            down
        })
        .collect()
}

/// A fixed-size set of positions.
#[derive(Debug, Clone)]
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn has(&self, i: usize) -> bool {
        self.0[i / 64] >> (i % 64) & 1 == 1
    }
    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }
    fn clear(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }
}

/// Alembic's `RevisionMap._topological_sort`: the revisions of `todo`
/// walked down from `heads` (already in file-name order), top first.
///
/// The walk follows the current head down its normalized down revisions
/// (`down`); before emitting a revision it checks whether another pending
/// head still needs it (has it among its ancestors), and if so switches to
/// that head. A revision with several down revisions continues with the
/// first and queues the others at the end. `todo` must be convex (it holds
/// everything between two of its members), as the revisions between two
/// states are, so ancestors are only followed within it.
fn alembic_sort(down: &[Vec<usize>], todo: &[bool], heads: Vec<usize>) -> Vec<usize> {
    let n = down.len();
    let ancestors = |h: usize| {
        let mut bits = Bits::new(n);
        let mut stack = vec![h];
        while let Some(i) = stack.pop() {
            if !bits.has(i) {
                bits.set(i);
                stack.extend(down[i].iter().copied().filter(|&d| todo[d] && !bits.has(d)));
            }
        }
        bits
    };
    let mut pending: Vec<bool> = todo.to_vec();
    let mut current: Vec<usize> = Vec::with_capacity(heads.len());
    for h in heads {
        if todo[h] && !current.contains(&h) {
            current.push(h);
        }
    }
    let mut below: Vec<Bits> = current.iter().map(|&h| ancestors(h)).collect();
    let mut out = Vec::new();
    let mut at = 0;
    while !current.is_empty() {
        let candidate = current[at];
        if let Some(k) = (0..current.len()).find(|&k| k != at && below[k].has(candidate)) {
            // Another head needs this revision: walk that head first.
            at = k;
            continue;
        }
        if pending[candidate] {
            out.push(candidate);
            pending[candidate] = false;
        }
        let add: Vec<usize> = down[candidate]
            .iter()
            .copied()
            .filter(|&r| pending[r] && !current.contains(&r))
            .collect();
        if add.is_empty() {
            current.remove(at);
            below.remove(at);
            at = at.saturating_sub(1);
        } else if down[candidate].len() == 1 {
            current[at] = add[0];
            below[at].clear(candidate);
        } else {
            current[at] = add[0];
            below[at] = ancestors(add[0]);
            for &h in &add[1..] {
                current.push(h);
                below.push(ancestors(h));
            }
        }
    }
    out
}

/// A checked set of revisions in application order: base first, head last.
///
/// # Examples
///
/// ```
/// use schema_core::{check, parse_revision};
///
/// let rev = |id: &str, revises: &str| {
///     let text = format!("-- Revision ID: {id}\n-- Revises: {revises}\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
///     parse_revision(&format!("{id}.sql"), &text).unwrap()
/// };
/// let set = check(vec![rev("b", "a"), rev("a", "")], "migrations").unwrap();
/// assert_eq!((set.len(), &*set.base().id, &*set.head().id), (2, "a", "b"));
/// assert_eq!(set.position("b"), Some(1));
/// assert_eq!(set.parents(1), &[0]);
/// assert_eq!(set.children(0), &[1]);
/// assert_eq!(set.ancestors([1]), vec![true, true]);
/// ```
///
/// A graph with two heads (as [`check_branches`] accepts it), a branch
/// label and a dependency:
///
/// ```
/// # let rev = |id: &str, header: &str| {
/// #     let text = format!("-- Revision ID: {id}\n{header}\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
/// #     schema_core::parse_revision(&format!("{id}.sql"), &text).unwrap()
/// # };
/// let set = schema_core::check_branches(vec![
///     rev("a", "-- Revises:"),
///     rev("b", "-- Revises: a"),
///     rev("c", "-- Revises: a\n-- Branch Labels: audit\n-- Depends On: b"),
/// ], "migrations").unwrap();
/// let [a, b, c] = ["a", "b", "c"].map(|id| set.position(id).unwrap());
/// assert_eq!(set.heads(), [b, c]); // nothing revises them
/// assert_eq!(set.real_heads(), [c]); // nothing depends on `c` either
/// assert_eq!((set.dependencies(c), set.dependents(b)), (&[b][..], &[c][..]));
/// assert_eq!((set.lookup("audit"), set.labels()), (Some(c), vec![("audit", c)]));
/// assert_eq!(set.labels_of(c), ["audit"]);
/// assert!(set.shares_lineage(a, c) && !set.shares_lineage(b, c));
/// assert_eq!(set.ancestors([c]), [true; 3]); // `c` needs `b` through its dependency
/// ```
#[derive(Debug, Clone)]
pub struct MigrationSet {
    /// The columns of an embedded set, turned into revisions on first use.
    embedded: Option<&'static Embedded>,
    revisions: OnceLock<Arc<[Revision]>>,
    index: OnceLock<Arc<Index>>,
}

impl MigrationSet {
    /// Wraps the columns `migrations!()` embeds, already checked and in
    /// application order (the macro ran [`check`] on them); anything else
    /// should call [`check`].
    pub const fn embedded(columns: &'static Embedded) -> Self {
        MigrationSet {
            embedded: Some(columns),
            revisions: OnceLock::new(),
            index: OnceLock::new(),
        }
    }

    /// Wraps revisions in application order that passed the graph checks.
    fn from_checked(revisions: Vec<Revision>) -> Self {
        MigrationSet {
            embedded: None,
            revisions: OnceLock::from(Arc::from(revisions)),
            index: OnceLock::new(),
        }
    }

    fn index(&self) -> &Index {
        self.index
            .get_or_init(|| Arc::new(Index::build(self.revisions())))
    }

    /// Builds the edge index now (it is otherwise built on first use), so that
    /// clones share it.
    pub fn indexed(&self) -> &Self {
        self.index();
        self
    }

    /// The revisions, in application order.
    pub fn revisions(&self) -> &[Revision] {
        self.revisions.get_or_init(|| {
            let columns = self.embedded.expect("a set is embedded or checked");
            (0..columns.len()).map(|i| columns.revision(i)).collect()
        })
    }

    /// How many revisions the set has.
    pub fn len(&self) -> usize {
        match self.embedded {
            Some(columns) => columns.len(),
            None => self.revisions().len(),
        }
    }

    /// Whether the set is empty (never true for a checked set).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The base revision.
    pub fn base(&self) -> &Revision {
        &self.revisions()[0]
    }

    /// The head revision: the last in application order (the only head of a
    /// set that passed [`check`]).
    pub fn head(&self) -> &Revision {
        let all = self.revisions();
        &all[all.len() - 1]
    }

    /// The positions of the revisions no revision revises, in file-name
    /// order (as Alembic lists them, and as `merge heads` names them).
    pub fn heads(&self) -> Vec<usize> {
        let index = self.index();
        let mut heads: Vec<usize> = (0..self.len())
            .filter(|&i| index.children[i].is_empty())
            .collect();
        self.sort_by_file_name(&mut heads);
        heads
    }

    /// The position (0 = base) of the revision with this exact id.
    pub fn position(&self, id: &str) -> Option<usize> {
        // The head is by far the most common question (a start at head).
        if self.head().id == id {
            return Some(self.len() - 1);
        }
        self.index().ids.get(id).copied()
    }

    /// The revision with this exact id.
    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.position(id).map(|i| &self.revisions()[i])
    }

    /// The positions of the parents of the revision at `i`.
    pub fn parents(&self, i: usize) -> &[usize] {
        &self.index().parents[i]
    }

    /// The positions of the revisions that revise the one at `i`.
    pub fn children(&self, i: usize) -> &[usize] {
        &self.index().children[i]
    }

    /// The positions of the revisions the one at `i` depends on (not parents).
    pub fn dependencies(&self, i: usize) -> &[usize] {
        &self.index().depends[i]
    }

    /// The positions of the revisions that depend on the one at `i`.
    pub fn dependents(&self, i: usize) -> &[usize] {
        &self.index().dependents[i]
    }

    /// The position of the revision that declares `label`.
    pub fn label(&self, label: &str) -> Option<usize> {
        self.index().labels.get(label).copied()
    }

    /// The position of the revision with this exact id or branch label
    /// (Alembic's revision map holds both).
    pub fn lookup(&self, name: &str) -> Option<usize> {
        self.position(name).or_else(|| self.label(name))
    }

    /// Alembic's normalized down revisions of the revision at `i`: its
    /// parents in the order `Revises` names them, then those of its
    /// dependencies that no ancestor declares too.
    pub fn down(&self, i: usize) -> &[usize] {
        &self.index().down[i]
    }

    /// Sorts positions into file-name order, the order in which Alembic
    /// loads revision scripts (and so lists heads and walks several of them).
    pub fn sort_by_file_name(&self, positions: &mut [usize]) {
        let rank = &self.index().file_rank;
        positions.sort_by_key(|&i| rank[i]);
    }

    /// The heads nothing depends on either (Alembic's `heads` target), in
    /// file-name order.
    pub fn real_heads(&self) -> Vec<usize> {
        let index = self.index();
        let mut heads: Vec<usize> = (0..self.len())
            .filter(|&i| index.children[i].is_empty() && index.dependents[i].is_empty())
            .collect();
        self.sort_by_file_name(&mut heads);
        heads
    }

    /// `starts` and their ancestors through `Revises` alone, as a membership vector.
    pub fn versioned_ancestors(&self, starts: impl IntoIterator<Item = usize>) -> Vec<bool> {
        self.closure(starts, |i| self.index().parents[i].iter())
    }

    /// `starts` and their descendants through `Revises` alone, as a membership vector.
    pub fn versioned_descendants(&self, starts: impl IntoIterator<Item = usize>) -> Vec<bool> {
        self.closure(starts, |i| self.index().children[i].iter())
    }

    /// Whether the revision at `i` shares a line of descent with the one at
    /// `with` (one is below the other through `Revises`, or they are the
    /// same): Alembic's test for a revision being on a labelled branch.
    pub fn shares_lineage(&self, i: usize, with: usize) -> bool {
        self.versioned_ancestors([with])[i] || self.versioned_descendants([with])[i]
    }

    /// The revisions that share a line of descent with the one at `i`
    /// through `Revises` alone, as a membership vector.
    pub fn lineage(&self, i: usize) -> Vec<bool> {
        let up = self.versioned_ancestors([i]);
        let down = self.versioned_descendants([i]);
        up.into_iter().zip(down).map(|(a, b)| a || b).collect()
    }

    /// The revisions above or below the one at `i` through parents and
    /// dependencies, as a membership vector.
    pub fn full_lineage(&self, i: usize) -> Vec<bool> {
        let up = self.ancestors([i]);
        let down = self.descendants([i]);
        up.into_iter().zip(down).map(|(a, b)| a || b).collect()
    }

    /// The order in which a run moves the revisions of `todo` (a membership
    /// vector holding everything between two of its members, as the
    /// revisions between two states do): Alembic's walk down from `heads`,
    /// taken in file-name order. Top first: a downgrade runs it as it is, an
    /// upgrade reversed.
    pub fn run_order(&self, todo: &[bool], mut heads: Vec<usize>) -> Vec<usize> {
        self.sort_by_file_name(&mut heads);
        alembic_sort(&self.index().down, todo, heads)
    }

    /// Every branch label with the position of the revision that declares it,
    /// in application order.
    pub fn labels(&self) -> Vec<(&str, usize)> {
        let mut all: Vec<(&str, usize)> = self
            .index()
            .labels
            .iter()
            .map(|(l, &i)| (l.as_str(), i))
            .collect();
        all.sort_by_key(|&(l, i)| (i, l));
        all
    }

    /// The positions of the branch named `label`, in order: the revision that
    /// declares it and every revision after it whose parents are all on the
    /// branch. The branch ends where it merges with the rest of the graph.
    /// This is what `branches` and `history` show; a target `label@...`
    /// stands for the label's whole line of descent ([`MigrationSet::lineage`]),
    /// as in Alembic.
    pub fn branch(&self, label: &str) -> Option<Vec<usize>> {
        let start = self.label(label)?;
        let mut member = vec![false; self.len()];
        member[start] = true;
        let mut out = vec![start];
        for i in start + 1..self.len() {
            let parents = self.parents(i);
            if !parents.is_empty() && parents.iter().all(|&p| member[p]) {
                member[i] = true;
                out.push(i);
            }
        }
        Some(out)
    }

    /// The labels of the branches the revision at `i` belongs to.
    pub fn labels_of(&self, i: usize) -> Vec<&str> {
        self.labels()
            .into_iter()
            .filter(|&(l, start)| {
                start <= i && self.branch(l).is_some_and(|b| b.binary_search(&i).is_ok())
            })
            .map(|(l, _)| l)
            .collect()
    }

    /// `starts` and everything they need: the closure under parents and
    /// dependencies, as a membership vector.
    pub fn ancestors(&self, starts: impl IntoIterator<Item = usize>) -> Vec<bool> {
        self.closure(starts, |i| {
            let index = self.index();
            index.parents[i].iter().chain(&index.depends[i])
        })
    }

    /// Two of `positions`, `(below, above)`, where `below` is reached from
    /// `above` through `Revises` alone, if there are such two. Version-table
    /// rows never hold such a pair (the table keeps the top of each applied
    /// branch), nor do the parents of a merge (merging them would join
    /// nothing). Dependencies do not count: as in Alembic, a revision that
    /// depends on another branch leaves that branch's top in the table.
    pub fn nested_pair(&self, positions: &[usize]) -> Option<(usize, usize)> {
        positions.iter().find_map(|&above| {
            let below = self.closure(self.parents(above).iter().copied(), |i| {
                self.index().parents[i].iter()
            });
            positions
                .iter()
                .find(|&&q| q != above && below[q])
                .map(|&q| (q, above))
        })
    }

    /// `starts` and everything that needs them: the closure under children
    /// and dependents, as a membership vector.
    pub fn descendants(&self, starts: impl IntoIterator<Item = usize>) -> Vec<bool> {
        self.closure(starts, |i| {
            let index = self.index();
            index.children[i].iter().chain(&index.dependents[i])
        })
    }

    fn closure<'s, I: Iterator<Item = &'s usize>>(
        &'s self,
        starts: impl IntoIterator<Item = usize>,
        next: impl Fn(usize) -> I,
    ) -> Vec<bool> {
        let mut seen = vec![false; self.len()];
        let mut stack: Vec<usize> = starts.into_iter().collect();
        while let Some(i) = stack.pop() {
            if !seen[i] {
                seen[i] = true;
                stack.extend(next(i).copied().filter(|&j| !seen[j]));
            }
        }
        seen
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
///
/// # Examples
///
/// ```
/// use schema_core::graph::closest;
///
/// let ids = ["add_users", "add_orders"];
/// assert_eq!(closest("add_user", ids.into_iter()), Some("add_users"));
/// assert_eq!(closest("drop_everything", ids.into_iter()), None);
/// ```
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

fn at_depends(r: &Revision) -> Location {
    Location::new(r.path.to_string(), r.depends_on_line, None)
}

/// Checks that `revisions` form a deployable graph (one base, one head, every
/// fork merged, no cycle) and puts them in application order.
///
/// `dir` names the directory in the message for an empty set. The rules are
/// listed in `docs/FORMAT.md`; every broken rule yields one [`Diagnostic`].
///
/// # Examples
///
/// ```
/// use schema_core::{check, parse_revision};
///
/// let rev = |id: &str, revises: &str| {
///     let text = format!("-- Revision ID: {id}\n-- Revises: {revises}\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
///     parse_revision(&format!("{id}.sql"), &text).unwrap()
/// };
/// let set = check(vec![rev("b", "a"), rev("a", "")], "migrations").unwrap();
/// let order: Vec<&str> = set.revisions().iter().map(|r| &*r.id).collect();
/// assert_eq!(order, ["a", "b"]);
/// // Two heads are not a deployable chain.
/// assert!(check(vec![rev("a", ""), rev("b", "a"), rev("c", "a")], "migrations").is_err());
/// ```
pub fn check(revisions: Vec<Revision>, dir: &str) -> Result<MigrationSet, Diagnostics> {
    analyze(revisions, dir, true)
}

/// Like [`check`], but accepts several heads (branches not merged yet), for
/// the commands that show or merge them. Every other rule holds.
///
/// # Examples
///
/// ```
/// use schema_core::{check_branches, parse_revision};
///
/// let rev = |id: &str, revises: &str| {
///     let text = format!("-- Revision ID: {id}\n-- Revises: {revises}\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
///     parse_revision(&format!("{id}.sql"), &text).unwrap()
/// };
/// let set = check_branches(vec![rev("a", ""), rev("b", "a"), rev("c", "a")], "migrations").unwrap();
/// assert_eq!(set.heads().len(), 2);
/// ```
pub fn check_branches(revisions: Vec<Revision>, dir: &str) -> Result<MigrationSet, Diagnostics> {
    analyze(revisions, dir, false)
}

/// What the checks know about one revision's edges while the graph is built.
struct Edges {
    parents: Vec<Vec<usize>>,
    depends: Vec<Vec<usize>>,
}

fn analyze(
    revisions: Vec<Revision>,
    dir: &str,
    one_head: bool,
) -> Result<MigrationSet, Diagnostics> {
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

    // Edges: gaps, unknown dependencies, bases.
    let mut edges = Edges {
        parents: vec![Vec::new(); n],
        depends: vec![Vec::new(); n],
    };
    // A dependency may name a branch label (the revision that declares it).
    let mut labels: HashMap<&str, usize> = HashMap::new();
    for (i, r) in revisions.iter().enumerate().filter(|(i, _)| live[*i]) {
        for l in r.branch_labels.iter() {
            labels.entry(l).or_insert(i);
        }
    }
    let mut bases = Vec::new();
    let mut has_gap = vec![false; n];
    let suggest = |missing: &str, own: &str, key: &str| {
        closest(missing, index.keys().copied().filter(|id| *id != own))
            .map(|c| format!("did you mean `{key}: {c}`? otherwise "))
            .unwrap_or_default()
    };
    for (i, r) in revisions.iter().enumerate().filter(|(i, _)| live[*i]) {
        if r.down_revisions.is_empty() {
            bases.push(i);
        }
        for p in r.down_revisions.iter() {
            match index.get(&**p) {
                Some(&pi) => edges.parents[i].push(pi),
                None => {
                    has_gap[i] = true;
                    let suggestion = suggest(p, &r.id, "Revises");
                    errors.push(Diagnostic::new(
                        ErrorKind::Gap {
                            id: r.id.to_string(),
                            missing: p.to_string(),
                        },
                        at_revises(r),
                        format!(
                            "{suggestion}restore the file that declares `Revision ID: {p}`, or point \
                             `Revises` at the revision this one follows"
                        ),
                    ));
                }
            }
        }
        for d in r.depends_on.iter() {
            match index.get(&**d).or_else(|| labels.get(&**d)) {
                Some(&di) => edges.depends[i].push(di),
                None => {
                    let suggestion = suggest(d, &r.id, "Depends On");
                    errors.push(Diagnostic::new(
                        ErrorKind::UnknownDependency {
                            id: r.id.to_string(),
                            missing: d.to_string(),
                        },
                        at_depends(r),
                        format!(
                            "{suggestion}name an existing revision or branch label in `Depends On`, or remove `{d}` from it"
                        ),
                    ));
                }
            }
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

    errors.extend(label_errors(&revisions, &live, &index));

    // Order (and cycles: whatever the order cannot reach).
    let order = topological_order(&revisions, &live, &edges);
    let mut cycles = false;
    if order.len() < live.iter().filter(|l| **l).count() {
        cycles = true;
        errors.extend(cycle_errors(&revisions, &live, &edges, &order));
    }

    // Heads: every branch of the first base's history must end in one head.
    // A gap may be the missing half of a merge, so heads wait until every
    // parent exists.
    if one_head && !cycles && !bases.is_empty() && !has_gap.contains(&true) {
        let mut children = vec![Vec::new(); n];
        for (i, ps) in edges.parents.iter().enumerate() {
            for &p in ps {
                children[p].push(i);
            }
        }
        let position: HashMap<usize, usize> =
            order.iter().enumerate().map(|(k, &i)| (i, k)).collect();
        let reach = reach(n, [bases[0]], |i| children[i].clone());
        let mut heads: Vec<usize> = (0..n)
            .filter(|&i| reach[i] && children[i].is_empty())
            .collect();
        heads.sort_by_key(|h| position[h]);
        if heads.len() > 1 {
            errors.push(unmerged_heads(&revisions, &edges, &heads, &position));
        }
    }

    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let order = application_order(&revisions, &live, &edges);
    let mut slots: Vec<Option<Revision>> = revisions.into_iter().map(Some).collect();
    let ordered = order
        .into_iter()
        .map(|i| slots[i].take().expect("each revision is ordered once"))
        .collect::<Vec<_>>();
    Ok(MigrationSet::from_checked(ordered))
}

/// Membership vector of what `starts` reach through `next`.
fn reach(
    n: usize,
    starts: impl IntoIterator<Item = usize>,
    next: impl Fn(usize) -> Vec<usize>,
) -> Vec<bool> {
    let mut seen = vec![false; n];
    let mut stack: Vec<usize> = starts.into_iter().collect();
    while let Some(i) = stack.pop() {
        if !seen[i] {
            seen[i] = true;
            stack.extend(next(i));
        }
    }
    seen
}

/// The application order of a graph that passed every check: Alembic's walk
/// down from the heads nothing depends on, in file-name order, reversed.
fn application_order(revisions: &[Revision], live: &[bool], edges: &Edges) -> Vec<usize> {
    let n = revisions.len();
    let down = normalized_down(&edges.parents, &edges.depends);
    let mut followed = vec![false; n];
    for i in (0..n).filter(|&i| live[i]) {
        for &p in edges.parents[i].iter().chain(&edges.depends[i]) {
            followed[p] = true;
        }
    }
    let rank = file_ranks(revisions);
    let mut heads: Vec<usize> = (0..n).filter(|&i| live[i] && !followed[i]).collect();
    heads.sort_by_key(|&h| rank[h]);
    let mut order = alembic_sort(&down, live, heads);
    debug_assert_eq!(order.len(), live.iter().filter(|l| **l).count());
    order.reverse();
    order
}

/// A topological order of the live revisions, for finding cycles: members
/// of a cycle, and everything after one, are missing from it.
fn topological_order(revisions: &[Revision], live: &[bool], edges: &Edges) -> Vec<usize> {
    let n = revisions.len();
    let mut successors = vec![Vec::new(); n];
    let mut waiting = vec![0usize; n];
    for i in (0..n).filter(|&i| live[i]) {
        for &p in edges.parents[i].iter().chain(&edges.depends[i]) {
            successors[p].push(i);
            waiting[i] += 1;
        }
    }
    let by_id_descending = |v: &mut Vec<usize>| {
        v.sort_by(|&a, &b| revisions[b].id.cmp(&revisions[a].id));
    };
    let mut stack: Vec<usize> = (0..n).filter(|&i| live[i] && waiting[i] == 0).collect();
    by_id_descending(&mut stack);
    let mut order = Vec::with_capacity(n);
    let mut ready = Vec::new();
    while let Some(i) = stack.pop() {
        order.push(i);
        for &s in &successors[i] {
            waiting[s] -= 1;
            if waiting[s] == 0 {
                ready.push(s);
            }
        }
        by_id_descending(&mut ready);
        stack.append(&mut ready);
    }
    order
}

fn label_errors(
    revisions: &[Revision],
    live: &[bool],
    ids: &HashMap<&str, usize>,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut declared: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, r) in revisions.iter().enumerate().filter(|(i, _)| live[*i]) {
        for label in r.branch_labels.iter() {
            match declared.iter_mut().find(|(l, _)| *l == &**label) {
                Some((_, by)) => by.push(i),
                None => declared.push((label, vec![i])),
            }
            if ids.contains_key(&**label) {
                errors.push(Diagnostic::new(
                    ErrorKind::LabelIsId {
                        label: label.to_string(),
                    },
                    Location::new(r.path.to_string(), r.branch_labels_line, None),
                    format!(
                        "a target `{label}` would be ambiguous; rename the label (revision `{label}` is \
                         in `{}`)",
                        revisions[ids[&**label]].path
                    ),
                ));
            }
        }
    }
    for (label, by) in declared.into_iter().filter(|(_, by)| by.len() > 1) {
        errors.push(Diagnostic {
            kind: ErrorKind::DuplicateLabel {
                label: label.to_owned(),
                ids: by.iter().map(|&i| revisions[i].id.to_string()).collect(),
            },
            locations: by
                .iter()
                .map(|&i| {
                    Location::new(
                        revisions[i].path.to_string(),
                        revisions[i].branch_labels_line,
                        None,
                    )
                })
                .collect(),
            help: format!(
                "a label names one branch: keep `{label}` on the revision that starts the branch \
                 and remove it from the others"
            ),
        });
    }
    errors
}

fn cycle_errors(
    revisions: &[Revision],
    live: &[bool],
    edges: &Edges,
    order: &[usize],
) -> Vec<Diagnostic> {
    let n = revisions.len();
    let mut ordered = vec![false; n];
    for &i in order {
        ordered[i] = true;
    }
    let mut errors = Vec::new();
    let mut on_reported_cycle = vec![false; n];
    for start in 0..n {
        if !live[start] || ordered[start] || on_reported_cycle[start] {
            continue;
        }
        // Walk up to unordered parents (or dependencies) until a revision
        // repeats: that loop is the cycle. Every unordered revision waits for
        // at least one unordered one, so the walk always closes a loop.
        let mut seen_at: HashMap<usize, usize> = HashMap::new();
        let mut path: Vec<(usize, bool)> = Vec::new();
        let mut cur = start;
        while let std::collections::hash_map::Entry::Vacant(e) = seen_at.entry(cur) {
            e.insert(path.len());
            let parent = edges.parents[cur].iter().find(|&&p| !ordered[p]);
            let dep = edges.depends[cur].iter().find(|&&d| !ordered[d]);
            match (parent, dep) {
                (Some(&p), _) => {
                    path.push((cur, true));
                    cur = p;
                }
                (None, Some(&d)) => {
                    path.push((cur, false));
                    cur = d;
                }
                (None, None) => unreachable!("an unordered revision waits for an unordered one"),
            }
        }
        let from = seen_at[&cur];
        let cycle = &path[from..];
        let reported = cycle.iter().any(|&(i, _)| on_reported_cycle[i]);
        for &(i, _) in &path {
            on_reported_cycle[i] = true;
        }
        if reported {
            continue;
        }
        let first = &revisions[cycle[0].0];
        errors.push(Diagnostic {
            kind: ErrorKind::Cycle {
                ids: cycle
                    .iter()
                    .map(|&(i, _)| revisions[i].id.to_string())
                    .collect(),
            },
            locations: cycle
                .iter()
                .map(|&(i, by_parent)| {
                    if by_parent {
                        at_revises(&revisions[i])
                    } else {
                        at_depends(&revisions[i])
                    }
                })
                .collect(),
            help: format!(
                "a history cannot come back to itself; in `{}` set `Revises:` to the revision `{}` \
                 really follows (or leave it empty if it is the base), and `Depends On:` to \
                 revisions that come before it",
                first.path, first.id
            ),
        });
    }
    errors
}

/// The error for branches that never merge, with both ways out.
fn unmerged_heads(
    revisions: &[Revision],
    edges: &Edges,
    heads: &[usize],
    position: &HashMap<usize, usize>,
) -> Diagnostic {
    let n = revisions.len();
    let up = |i: usize| edges.parents[i].clone();
    let ancestry: Vec<Vec<bool>> = heads.iter().map(|&h| reach(n, [h], up)).collect();
    // The branch point: the latest revision every head descends from.
    let fork = (0..n)
        .filter(|&i| ancestry.iter().all(|a| a[i]))
        .max_by_key(|i| position.get(i).copied().unwrap_or(0));
    let mut locations: Vec<Location> = heads
        .iter()
        .map(|&h| at_id(&revisions[h]).labelled("a head"))
        .collect();
    let mut repoint = Vec::new();
    if let Some(f) = fork {
        locations.push(at_id(&revisions[f]).labelled("where the branches split"));
        // For each later head, the revision that starts its branch at the fork
        // can follow the previous head instead.
        for k in 1..heads.len() {
            let start = (0..n)
                .find(|&i| ancestry[k][i] && !ancestry[k - 1][i] && edges.parents[i].contains(&f));
            if let Some(s) = start {
                repoint.push(format!(
                    "in `{}` replace `{}` with `{}` in `Revises`",
                    revisions[s].path,
                    revisions[f].id,
                    revisions[heads[k - 1]].id
                ));
            }
        }
    }
    let ids: Vec<String> = heads.iter().map(|&h| revisions[h].id.to_string()).collect();
    let mut help = format!(
        "merge the branches with a merge revision that revises {}: `cargo xtask merge heads -m \"merge\"`",
        ids.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(" and ")
    );
    if !repoint.is_empty() {
        help.push_str(&format!(
            "; or, if no database has applied them yet, make one branch follow the other: {}",
            repoint.join("; ")
        ));
    }
    Diagnostic {
        kind: ErrorKind::UnmergedHeads {
            heads: ids,
            fork: fork.map(|f| revisions[f].id.to_string()),
        },
        locations,
        help,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse_revision;

    fn rev(id: &str, parent: Option<&str>) -> Revision {
        merge(id, parent.as_slice())
    }

    fn merge(id: &str, parents: &[&str]) -> Revision {
        full(id, parents, &[], &[])
    }

    fn full(id: &str, parents: &[&str], labels: &[&str], depends: &[&str]) -> Revision {
        let text = format!(
            "-- Revision ID: {id}\n-- Revises: {}\n-- Branch Labels: {}\n-- Depends On: {}\n\
             -- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\nSELECT 1;\n",
            parents.join(", "),
            labels.join(", "),
            depends.join(", ")
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
    fn an_unmerged_fork_names_both_heads_and_the_branch_point_and_offers_both_fixes() {
        let err = check(
            vec![rev("a", None), rev("b", Some("a")), rev("c", Some("a"))],
            "m",
        )
        .unwrap_err();
        assert_eq!(
            err.kinds(),
            vec![&ErrorKind::UnmergedHeads {
                heads: vec!["b".into(), "c".into()],
                fork: Some("a".into()),
            }]
        );
        let d = &err.0[0];
        assert_eq!(d.locations.len(), 3);
        assert_eq!(
            d.locations[2].label.as_deref(),
            Some("where the branches split")
        );
        assert!(d.help.contains("cargo xtask merge heads"), "{}", d.help);
        assert!(
            d.help
                .contains("in `c.sql` replace `a` with `b` in `Revises`"),
            "{}",
            d.help
        );
    }

    #[test]
    fn a_fork_that_merges_again_is_accepted() {
        let set = check(
            vec![
                merge("m", &["c", "b"]),
                rev("c", Some("a")),
                rev("b", Some("a")),
                rev("a", None),
            ],
            "m",
        )
        .unwrap();
        assert_eq!(ids(&set), ["a", "b", "c", "m"]);
        assert_eq!(set.heads(), [3]);
        assert_eq!(set.parents(3), [2, 1]);
    }

    #[test]
    fn the_branch_of_a_merge_s_last_named_parent_is_applied_first_and_to_its_end() {
        // a -> b1 -> b2, a -> c1 -> c2, merged by m (as Alembic orders them).
        let revs = vec![
            rev("a", None),
            rev("c1", Some("a")),
            rev("b1", Some("a")),
            rev("c2", Some("c1")),
            rev("b2", Some("b1")),
        ];
        let mut one = revs.clone();
        one.push(merge("m", &["b2", "c2"]));
        assert_eq!(
            ids(&check(one, "m").unwrap()),
            ["a", "c1", "c2", "b1", "b2", "m"]
        );
        let mut other = revs;
        other.push(merge("m", &["c2", "b2"]));
        assert_eq!(
            ids(&check(other, "m").unwrap()),
            ["a", "b1", "b2", "c1", "c2", "m"]
        );
    }

    #[test]
    fn a_branch_another_branch_depends_on_is_applied_before_it() {
        // m names b2 first, so the c branch would go first, but c1 needs b1.
        let set = check(
            vec![
                rev("a", None),
                rev("b1", Some("a")),
                rev("b2", Some("b1")),
                full("c1", &["a"], &[], &["b1"]),
                merge("m", &["b2", "c1"]),
            ],
            "m",
        )
        .unwrap();
        assert_eq!(ids(&set), ["a", "b1", "c1", "b2", "m"]);
    }

    #[test]
    fn a_dependency_may_name_a_branch_label() {
        let set = check(
            vec![
                rev("a", None),
                full("b", &["a"], &["audit"], &[]),
                full("c", &["a"], &[], &["audit"]),
                merge("m", &["b", "c"]),
            ],
            "m",
        )
        .unwrap();
        let c = set.position("c").unwrap();
        assert_eq!(set.dependencies(c), [set.position("b").unwrap()]);
        assert_eq!(ids(&set), ["a", "b", "c", "m"]);
    }

    #[test]
    fn a_dependency_an_ancestor_already_declares_is_not_a_down_revision() {
        // c depends on x; d revises c and depends on x too: only c leads down.
        let set = check(
            vec![
                rev("a", None),
                rev("x", Some("a")),
                full("c", &["a"], &[], &["x"]),
                full("d", &["c"], &[], &["x"]),
                merge("m", &["d", "x"]),
            ],
            "m",
        )
        .unwrap();
        let at = |id: &str| set.position(id).unwrap();
        assert_eq!(set.down(at("d")), [at("c")]);
        assert_eq!(set.down(at("c")), [at("a"), at("x")]);
    }

    #[test]
    fn several_heads_are_walked_in_file_name_order() {
        let mut b = rev("b", Some("a"));
        b.path = "2_b.sql".into();
        let mut c = rev("c", Some("a"));
        c.path = "1_c.sql".into();
        let set = check_branches(vec![rev("a", None), b, c], "m").unwrap();
        assert_eq!(ids(&set), ["a", "b", "c"]);
        let heads = set.real_heads();
        assert_eq!(set.revisions()[heads[0]].id, "c");
    }

    #[test]
    fn check_branches_accepts_unmerged_heads() {
        let set = check_branches(
            vec![rev("a", None), rev("b", Some("a")), rev("c", Some("a"))],
            "m",
        )
        .unwrap();
        let heads: Vec<&str> = set
            .heads()
            .iter()
            .map(|&h| &*set.revisions()[h].id)
            .collect();
        assert_eq!(heads, ["b", "c"]);
    }

    #[test]
    fn a_merge_naming_an_unknown_parent_is_a_gap() {
        assert_eq!(
            kinds(vec![
                rev("a", None),
                rev("b", Some("a")),
                merge("m", &["b", "zz"])
            ]),
            vec![ErrorKind::Gap {
                id: "m".into(),
                missing: "zz".into()
            }]
        );
    }

    #[test]
    fn a_cycle_through_a_merge_is_rejected() {
        let k = kinds(vec![
            rev("a", None),
            merge("m", &["a", "x"]),
            rev("x", Some("m")),
        ]);
        assert_eq!(k.len(), 1, "{k:?}");
        assert!(
            matches!(&k[0], ErrorKind::Cycle { ids } if ids.len() == 2),
            "{k:?}"
        );
    }

    #[test]
    fn a_dependency_orders_before_its_dependent_across_branches() {
        // Branch b would go first by id; c1 depends on b1... and b1 on c0.
        let set = check(
            vec![
                rev("a", None),
                full("b1", &["a"], &[], &["c1"]),
                rev("c1", Some("a")),
                merge("m", &["b1", "c1"]),
            ],
            "m",
        )
        .unwrap();
        assert_eq!(ids(&set), ["a", "c1", "b1", "m"]);
        assert_eq!(set.dependencies(2), [1]);
    }

    #[test]
    fn an_unknown_dependency_is_rejected() {
        assert_eq!(
            kinds(vec![rev("a", None), full("b", &["a"], &[], &["nope"])]),
            vec![ErrorKind::UnknownDependency {
                id: "b".into(),
                missing: "nope".into()
            }]
        );
    }

    #[test]
    fn a_dependency_cycle_is_rejected() {
        let k = kinds(vec![
            rev("a", None),
            full("b", &["a"], &[], &["c"]),
            full("c", &["a"], &[], &["b"]),
            merge("m", &["b", "c"]),
        ]);
        assert!(matches!(&k[..], [ErrorKind::Cycle { .. }]), "{k:?}");
    }

    #[test]
    fn labels_are_unique_and_never_ids() {
        let k = kinds(vec![
            rev("a", None),
            full("b", &["a"], &["x"], &[]),
            full("c", &["a"], &["x", "a"], &[]),
            merge("m", &["b", "c"]),
        ]);
        assert_eq!(
            k,
            vec![
                ErrorKind::LabelIsId { label: "a".into() },
                ErrorKind::DuplicateLabel {
                    label: "x".into(),
                    ids: vec!["b".into(), "c".into()]
                }
            ]
        );
    }

    #[test]
    fn a_branch_runs_from_its_label_to_the_merge() {
        let set = check(
            vec![
                rev("a", None),
                full("b1", &["a"], &["audit"], &[]),
                rev("b2", Some("b1")),
                rev("c1", Some("a")),
                merge("m", &["b2", "c1"]),
                rev("n", Some("m")),
            ],
            "m",
        )
        .unwrap();
        let branch: Vec<&str> = set
            .branch("audit")
            .unwrap()
            .iter()
            .map(|&i| &*set.revisions()[i].id)
            .collect();
        assert_eq!(branch, ["b1", "b2"]);
        assert_eq!(set.labels_of(2), ["audit"]);
        assert!(set.labels_of(4).is_empty());
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
            full("e", &["c"], &[], &["q"]),
        ]);
        assert_eq!(k.len(), 3, "{k:?}");
        assert!(matches!(k[2], ErrorKind::UnmergedHeads { .. }), "{k:?}");
        let gap = kinds(vec![rev("a", None), rev("b", None), rev("e", Some("q"))]);
        assert_eq!(gap.len(), 2, "{gap:?}");
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
            .all(|w| w[1].down_revisions[..] == [w[0].id.clone()]));
    }

    mod property {
        use super::*;
        use proptest::prelude::*;

        /// A random graph: revision `i` names parents and dependencies among
        /// `0..=n` (`n` is a missing id), so gaps, forks, merges, several bases
        /// and cycles all occur.
        fn anything() -> impl Strategy<Value = Vec<(Vec<usize>, Vec<usize>)>> {
            (1usize..10).prop_flat_map(|n| {
                let edges = prop::collection::vec(0..n + 1, 0..3);
                let deps = prop::collection::vec(0..n + 1, 0..2);
                prop::collection::vec((edges, deps), n)
            })
        }

        /// Mostly deployable: revision `i > 0` revises one to three earlier
        /// revisions and may depend on one (the test also reverses the file
        /// order). Many
        /// of these have one head, so acceptance and order are exercised.
        fn mostly_dags() -> impl Strategy<Value = Vec<(Vec<usize>, Vec<usize>)>> {
            (2usize..24).prop_flat_map(|n| {
                let rows: Vec<_> = (0..n)
                    .map(|i| {
                        if i == 0 {
                            (Just(Vec::new()), Just(Vec::new())).boxed()
                        } else {
                            let hi = i;
                            (
                                prop::collection::vec(
                                    prop_oneof![3 => Just(hi - 1), 1 => 0..hi],
                                    1..3,
                                ),
                                prop::collection::vec(0..hi, 0..2),
                            )
                                .boxed()
                        }
                    })
                    .collect();
                rows
            })
        }

        /// Graphs that pass every rule but the one-head rule: one base, each
        /// later revision revising one or two earlier ones and sometimes
        /// depending on another earlier one.
        fn branched_dags() -> impl Strategy<Value = Vec<(Vec<usize>, Vec<usize>)>> {
            (1usize..12).prop_flat_map(|n| {
                (0..n)
                    .map(|i| {
                        if i == 0 {
                            Just((Vec::new(), Vec::new())).boxed()
                        } else {
                            (
                                prop::collection::vec(0..i, 1..=2),
                                prop::collection::vec(0..i, 0..=1),
                            )
                                .boxed()
                        }
                    })
                    .collect::<Vec<_>>()
            })
        }

        fn graph() -> impl Strategy<Value = Vec<(Vec<usize>, Vec<usize>)>> {
            prop_oneof![anything(), mostly_dags()]
        }

        fn revisions(g: &[(Vec<usize>, Vec<usize>)]) -> Vec<Revision> {
            g.iter()
                .enumerate()
                .map(|(i, (ps, ds))| {
                    // Parents keep their random order (it decides the order).
                    let mut ps: Vec<String> = ps.iter().map(|p| format!("r{p}")).collect();
                    let mut seen = std::collections::HashSet::new();
                    ps.retain(|p| seen.insert(p.clone()));
                    let mut ds: Vec<String> = ds.iter().map(|d| format!("r{d}")).collect();
                    ds.sort();
                    ds.dedup();
                    let ps: Vec<&str> = ps.iter().map(String::as_str).collect();
                    let ds: Vec<&str> = ds.iter().map(String::as_str).collect();
                    full(&format!("r{i}"), &ps, &[], &ds)
                })
                .collect()
        }

        /// The reference: the rules read naively, and the order by a plain
        /// transcription of Alembic's `RevisionMap._topological_sort` (over
        /// the whole graph, ancestors recomputed from scratch), walked from
        /// the heads nothing depends on, in file-name order, and reversed.
        /// `None` when the graph is not deployable; else the ids in order.
        fn reference(revs: &[Revision]) -> Option<Vec<String>> {
            use std::collections::HashSet;
            let ids: Vec<&str> = revs.iter().map(|r| &*r.id).collect();
            let exists = |id: &str| ids.contains(&id);
            if revs.iter().any(|r| {
                r.down_revisions
                    .iter()
                    .chain(r.depends_on.iter())
                    .any(|p| !exists(p))
            }) {
                return None;
            }
            if revs.iter().filter(|r| r.down_revisions.is_empty()).count() != 1 {
                return None;
            }
            let heads = revs
                .iter()
                .filter(|r| !revs.iter().any(|c| c.down_revisions.contains(&r.id)))
                .count();
            // Cycles: repeatedly take a revision whose needs are all taken.
            let mut taken: HashSet<&str> = HashSet::new();
            while let Some(r) = revs.iter().find(|r| {
                !taken.contains(&*r.id)
                    && r.down_revisions
                        .iter()
                        .chain(r.depends_on.iter())
                        .all(|p| taken.contains(&**p))
            }) {
                taken.insert(&r.id);
            }
            if taken.len() != revs.len() || heads != 1 {
                return None;
            }
            let rev = |id: &str| revs.iter().find(|r| r.id == id).unwrap();
            fn versioned_ancestors<'a>(revs: &'a [Revision], id: &str, out: &mut HashSet<&'a str>) {
                let r = revs.iter().find(|r| r.id == id).unwrap();
                for p in r.down_revisions.iter() {
                    let p = &revs.iter().find(|r| r.id == *p).unwrap().id;
                    if out.insert(p) {
                        versioned_ancestors(revs, p, out);
                    }
                }
            }
            let down = |id: &str| -> Vec<String> {
                let r = rev(id);
                let mut above = HashSet::new();
                versioned_ancestors(revs, id, &mut above);
                let inherited: HashSet<&str> = above
                    .iter()
                    .flat_map(|a| rev(a).depends_on.iter().map(|d| &**d))
                    .collect();
                let mut out: Vec<String> = r.down_revisions.iter().map(|p| p.to_string()).collect();
                for d in r.depends_on.iter() {
                    if !inherited.contains(&**d) && !out.iter().any(|o| o == d) {
                        out.push(d.to_string());
                    }
                }
                out
            };
            let ancestors = |id: &str| -> HashSet<String> {
                let mut seen = HashSet::new();
                let mut todo = vec![id.to_owned()];
                while let Some(x) = todo.pop() {
                    if seen.insert(x.clone()) {
                        todo.extend(down(&x));
                    }
                }
                seen
            };
            let mut current: Vec<String> = revs
                .iter()
                .filter(|r| {
                    !revs
                        .iter()
                        .any(|c| c.down_revisions.contains(&r.id) || c.depends_on.contains(&r.id))
                })
                .map(|r| r.id.to_string())
                .collect();
            current.sort_by_key(|id| (rev(id).path.to_string(), id.clone()));
            let mut todo: HashSet<String> = ids.iter().map(|i| i.to_string()).collect();
            let mut below: Vec<HashSet<String>> = current.iter().map(|h| ancestors(h)).collect();
            let mut output: Vec<String> = Vec::new();
            let mut idx = 0usize;
            while !current.is_empty() {
                let candidate = current[idx].clone();
                if let Some(k) =
                    (0..below.len()).find(|&k| k != idx && below[k].contains(&candidate))
                {
                    idx = k;
                    continue;
                }
                if todo.remove(&candidate) {
                    output.push(candidate.clone());
                }
                let add: Vec<String> = down(&candidate)
                    .into_iter()
                    .filter(|r| todo.contains(r) && !current.contains(r))
                    .collect();
                if add.is_empty() {
                    current.remove(idx);
                    below.remove(idx);
                    idx = idx.saturating_sub(1);
                } else {
                    current[idx] = add[0].clone();
                    below[idx] = ancestors(&add[0]);
                    for h in &add[1..] {
                        current.push(h.clone());
                        below.push(ancestors(h));
                    }
                }
            }
            output.reverse();
            Some(output)
        }

        fn chain() -> impl Strategy<Value = Vec<usize>> {
            (1usize..40).prop_flat_map(|n| Just((0..n).collect::<Vec<_>>()).prop_shuffle())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]

            #[test]
            fn random_graphs_are_accepted_and_ordered_exactly_as_the_reference_says(g in graph()) {
                let revs = revisions(&g);
                let want = reference(&revs);
                let got = check(revs.clone(), "m")
                    .ok()
                    .map(|s| s.revisions().iter().map(|r| r.id.to_string()).collect::<Vec<_>>());
                prop_assert_eq!(&got, &want);
                if got.is_some() {
                    // The one head comes last, whatever the file order.
                    let mut shuffled = revs;
                    shuffled.reverse();
                    let set = check(shuffled, "m").unwrap();
                    prop_assert_eq!(set.heads(), vec![set.len() - 1]);
                    let again: Vec<String> = set.revisions().iter().map(|r| r.id.to_string()).collect();
                    prop_assert_eq!(Some(again), want);
                }
            }

            #[test]
            fn heads_are_the_revisions_nothing_revises_in_file_name_order(g in branched_dags()) {
                let set = check_branches(revisions(&g), "m").expect("one base, no cycle, every id known");
                let mut want: Vec<usize> = (0..set.len())
                    .filter(|&i| {
                        !set.revisions().iter().any(|c| c.down_revisions.contains(&set.revisions()[i].id))
                    })
                    .collect();
                want.sort_by_key(|&i| set.revisions()[i].path.to_string());
                prop_assert_eq!(set.heads(), want);
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
