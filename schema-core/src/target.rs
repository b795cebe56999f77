//! Upgrade and downgrade targets with Alembic's semantics.
//!
//! A [`Target`] is an optional branch label, an anchor (`head`, `base`, the
//! current state, or an id, branch label or unique prefix) and a relative
//! offset: `head`, `heads`, `base`, `ae10`, `+2`, `-1`, `ae10+2`, `head-1`,
//! `audit@head`, `audit@-1`, `audit@base`, `audit@ae10`. A [`Range`]
//! (`base:head`, `a:b`) is what offline SQL renders.
//!
//! Resolution turns a target into the set of revisions the database should
//! have applied ([`Applied`]), given what it has now, as Alembic's
//! `RevisionMap` does (`docs/FORMAT.md` states the rules): a label stands for
//! the line of descent through the revision that declares it; `+N` and `-N`
//! walk `Revises` N times from the current revision (`X+N`: from `X`), a
//! merge revision being one step; a downgrade to `X` reverts `X`'s children
//! and what needs them; a stamp replaces the rows on the target's line.
//! Where Alembic finds a step ambiguous and refuses it (a branch point going
//! up, a merge going down, several current revisions), `+N` / `-N` count
//! along the application order instead.

use std::fmt;

use crate::graph::{closest, MigrationSet};
use crate::parse::MAX_ID_LEN;
use crate::state::{Applied, Direction};

/// What a target is relative to.
///
/// # Examples
///
/// ```
/// use schema_core::target::Anchor;
/// use schema_core::Target;
///
/// assert_eq!(Target::parse("heads")?.anchor, Anchor::Head);
/// assert_eq!(Target::parse("-1")?.anchor, Anchor::Current);
/// assert_eq!(Target::parse("audit@ae10")?.anchor, Anchor::Revision("ae10".into()));
/// # Ok::<(), schema_core::TargetParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Anchor {
    /// The newest revision (`head`, `heads`).
    Head,
    /// Before the first revision (`base`).
    Base,
    /// The database's current revision (`+2`, `-1`, `current`).
    Current,
    /// A revision id, or a unique prefix of one.
    Revision(String),
}

/// An upgrade or downgrade target.
///
/// # Examples
///
/// ```
/// use schema_core::Target;
///
/// let t: Target = "audit@ae10+2".parse()?;
/// assert_eq!((t.branch.as_deref(), t.offset), (Some("audit"), 2));
/// assert_eq!(t, Target { offset: 2, branch: Some("audit".into()), ..Target::revision("ae10") });
/// assert_eq!(t.to_string(), "audit@ae10+2");
/// assert_eq!(Target::try_from("head")?, Target::HEAD);
/// assert_eq!(Target::relative(-1).to_string(), "-1");
/// assert!(Target::parse("head+").is_err());
/// # Ok::<(), schema_core::TargetParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Target {
    /// The branch label before `@`: anchor and offset then refer to that branch.
    pub branch: Option<String>,
    /// What the target is relative to.
    pub anchor: Anchor,
    /// How many revisions above (positive) or below (negative) the anchor.
    pub offset: i64,
}

impl Target {
    /// `head`.
    pub const HEAD: Target = Target {
        branch: None,
        anchor: Anchor::Head,
        offset: 0,
    };
    /// `base`.
    pub const BASE: Target = Target {
        branch: None,
        anchor: Anchor::Base,
        offset: 0,
    };

    /// The revision with this id (or unique id prefix).
    pub fn revision(id: impl Into<String>) -> Self {
        Target {
            branch: None,
            anchor: Anchor::Revision(id.into()),
            offset: 0,
        }
    }

    /// `+n` / `-n` from the current revision.
    pub fn relative(offset: i64) -> Self {
        Target {
            branch: None,
            anchor: Anchor::Current,
            offset,
        }
    }

    /// Parses Alembic's target syntax.
    pub fn parse(text: &str) -> Result<Self, TargetParseError> {
        let t = text.trim();
        let err = |reason: &'static str| TargetParseError {
            target: text.to_owned(),
            reason,
        };
        if t.is_empty() {
            return Err(err("it is empty"));
        }
        let (branch, t) = match t.split_once('@') {
            Some((label, rest)) => {
                if label.is_empty()
                    || label.len() > MAX_ID_LEN
                    || !label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    return Err(err(
                        "a branch label before `@` is 1 to 32 letters, digits or `_`",
                    ));
                }
                if rest.is_empty() {
                    return Err(err(
                        "after `label@` comes `head`, `base`, `+N`, `-N` or a revision id",
                    ));
                }
                (Some(label.to_owned()), rest)
            }
            None => (None, t),
        };
        let (anchor_text, offset) = match t.rfind(['+', '-']) {
            Some(i) => {
                let digits = &t[i + 1..];
                if digits.is_empty()
                    || !digits.bytes().all(|b| b.is_ascii_digit())
                    || digits.len() > 9
                {
                    return Err(err("a relative step is `+N` or `-N` with N a number"));
                }
                let n: i64 = digits.parse().map_err(|_| err("the step is too large"))?;
                (&t[..i], if t.as_bytes()[i] == b'-' { -n } else { n })
            }
            None => (t, 0),
        };
        let anchor = match anchor_text {
            "" | "current" => Anchor::Current,
            "head" | "heads" => Anchor::Head,
            "base" => Anchor::Base,
            id => {
                if id.len() > MAX_ID_LEN
                    || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                {
                    return Err(err(
                        "expected `head`, `base`, a revision id or prefix, `+N`, `-N` or `<id>+N`",
                    ));
                }
                Anchor::Revision(id.to_owned())
            }
        };
        if anchor == Anchor::Current && anchor_text.is_empty() && offset == 0 {
            return Err(err("a relative step is `+N` or `-N` with N a number"));
        }
        Ok(Target {
            branch,
            anchor,
            offset,
        })
    }

    /// The revisions the database should have applied after a run in
    /// `direction` to this target, given what it has applied now: Alembic's
    /// meaning of the target (see `docs/FORMAT.md`).
    ///
    /// An upgrade never reverts and a downgrade never applies. An upgrade to
    /// a revision already applied (or to `base`) changes nothing, as in
    /// Alembic; a downgrade to a revision that is not applied, and the
    /// relative steps that point the other way (`-1` for an upgrade, `+1` for
    /// a downgrade), are [`ResolveError::WrongDirection`].
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_core::{Applied, Direction, Target};
    /// # let rev = |id: &str, revises: &str| {
    /// #     let text = format!("-- Revision ID: {id}\n-- Revises: {revises}\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
    /// #     schema_core::parse_revision(&format!("{id}.sql"), &text).unwrap()
    /// # };
    /// # let set = schema_core::check(vec![rev("a", ""), rev("b", "a"), rev("c", "b")], "migrations").unwrap();
    /// let at_a = set.applied_from_rows(&["a".to_owned()]).unwrap();
    /// let up = Target::parse("+1")?.resolve(&set, Direction::Upgrade, &at_a).unwrap();
    /// assert_eq!(set.row_ids(&up), ["b"]);
    /// let down = Target::BASE.resolve(&set, Direction::Downgrade, &up).unwrap();
    /// assert_eq!(down, Applied::none(&set));
    /// assert!(Target::parse("-1")?.resolve(&set, Direction::Upgrade, &up).is_err());
    /// # Ok::<(), schema_core::TargetParseError>(())
    /// ```
    pub fn resolve(
        &self,
        set: &MigrationSet,
        direction: Direction,
        current: &Applied,
    ) -> Result<Applied, ResolveError> {
        let branch = self.branch_revision(set)?;
        match direction {
            Direction::Upgrade => match self.upgrade_targets(set, current, branch)? {
                Reach::Unchanged => Ok(current.clone()),
                Reach::Revisions(targets) => Ok(union(current, set.ancestors(targets))),
            },
            Direction::Downgrade => self.downgrade_to(set, current, branch),
        }
    }

    /// The state a `stamp` to this target records, without running
    /// anything: Alembic's rule. The rows that share a line of descent
    /// (through parents or dependencies) with the target revision are
    /// replaced by it; the other rows stay. `base` removes every row
    /// (`label@base`: those on the label's line). Relative steps are
    /// refused, as in Alembic.
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_core::{Applied, ResolveError, Target};
    /// # let rev = |id: &str, revises: &str| {
    /// #     let text = format!("-- Revision ID: {id}\n-- Revises: {revises}\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
    /// #     schema_core::parse_revision(&format!("{id}.sql"), &text).unwrap()
    /// # };
    /// # let set = schema_core::check(vec![rev("a", ""), rev("b", "a"), rev("c", "b")], "migrations").unwrap();
    /// let stamped = Target::revision("b").resolve_stamp(&set, &Applied::all(&set)).unwrap();
    /// assert_eq!(set.row_ids(&stamped), ["b"]);
    /// let relative = Target::relative(1).resolve_stamp(&set, &stamped);
    /// assert!(matches!(relative, Err(ResolveError::NotAStampTarget { .. })));
    /// ```
    pub fn resolve_stamp(
        &self,
        set: &MigrationSet,
        current: &Applied,
    ) -> Result<Applied, ResolveError> {
        let branch = self.branch_revision(set)?;
        let lineage = branch.map(|b| set.lineage(b));
        let dest: Pos = match (&self.anchor, self.offset.signum()) {
            (Anchor::Current, 0) => return Ok(current.clone()),
            (Anchor::Base, 0) => Pos::Base,
            (Anchor::Head, 0) => match self.heads(set, lineage.as_deref())[..] {
                [] => Pos::Base,
                [h] => Pos::Rev(h),
                ref many => return Err(self.several_heads(set, many)),
            },
            (Anchor::Revision(id), 0) => Pos::Rev(find(set, id, branch, self.branch.as_deref())?),
            (_, _) => {
                return Err(ResolveError::NotAStampTarget {
                    target: self.to_string(),
                })
            }
        };
        let rows = set.rows(current);
        let Pos::Rev(dest) = dest else {
            // `base`: every row; `label@base`: the rows on the label's line.
            let keep = |r: usize| branch.is_some_and(|b| !set.full_lineage(b)[r]);
            return Ok(set.applied_from_positions(rows.into_iter().filter(|&r| keep(r))));
        };
        let mut shares = set.full_lineage(dest);
        if let Some(b) = branch {
            for (s, on) in shares.iter_mut().zip(set.full_lineage(b)) {
                *s |= on;
            }
        }
        let sharing: Vec<usize> = rows.iter().copied().filter(|&r| shares[r]).collect();
        if sharing.contains(&dest) {
            return Ok(current.clone());
        }
        let related = set.ancestors([dest]);
        let below = set.descendants([dest]);
        let replaces = sharing.iter().any(|&r| related[r] || below[r]);
        let mut after: Vec<usize> = rows
            .into_iter()
            .filter(|r| !(replaces && sharing.contains(r)))
            .collect();
        after.push(dest);
        Ok(set.applied_from_positions(after))
    }

    /// The revision a branch label (or a revision id or prefix used as one,
    /// as Alembic allows) stands for.
    fn branch_revision(&self, set: &MigrationSet) -> Result<Option<usize>, ResolveError> {
        let Some(label) = &self.branch else {
            return Ok(None);
        };
        match resolve_id(set, label) {
            Ok(p) => Ok(Some(p)),
            Err(ResolveError::Unknown { .. }) => Err(ResolveError::UnknownLabel {
                label: label.clone(),
                suggestion: closest(label, set.labels().into_iter().map(|(l, _)| l))
                    .map(str::to_owned),
            }),
            Err(e) => Err(e),
        }
    }

    /// The heads, those on the label's line only when there is one.
    fn heads(&self, set: &MigrationSet, lineage: Option<&[bool]>) -> Vec<usize> {
        let mut heads = set.heads();
        if let Some(l) = lineage {
            heads.retain(|&h| l[h]);
        }
        heads
    }

    fn several_heads(&self, set: &MigrationSet, heads: &[usize]) -> ResolveError {
        ResolveError::Ambiguous {
            prefix: self.to_string(),
            candidates: heads
                .iter()
                .map(|&h| set.revisions()[h].id.to_string())
                .collect(),
        }
    }

    fn past_base(&self, by: usize) -> ResolveError {
        ResolveError::PastBase {
            target: self.to_string(),
            by: by.max(1),
        }
    }

    fn past_head(&self, set: &MigrationSet, scope: &[usize], by: usize) -> ResolveError {
        let head = scope.last().map_or_else(
            || set.head().id.to_string(),
            |&h| set.revisions()[h].id.to_string(),
        );
        ResolveError::PastHead {
            target: self.to_string(),
            by: by.max(1),
            head,
        }
    }

    fn wrong(&self, direction: Direction) -> ResolveError {
        ResolveError::WrongDirection {
            target: self.to_string(),
            direction,
        }
    }

    /// Where the anchor of a relative target stands: a revision (the label's
    /// line checked when walking down, as Alembic does) or below the base.
    fn anchor_pos(
        &self,
        set: &MigrationSet,
        branch: Option<usize>,
        lineage: Option<&[bool]>,
    ) -> Result<Pos, ResolveError> {
        let checked = if self.offset < 0 { branch } else { None };
        Ok(match &self.anchor {
            Anchor::Base => Pos::Base,
            Anchor::Head => {
                match self.heads(set, if checked.is_some() { lineage } else { None })[..] {
                    [h] => Pos::Rev(h),
                    [] => Pos::Base,
                    ref many => return Err(self.several_heads(set, many)),
                }
            }
            Anchor::Revision(id) => Pos::Rev(find(set, id, checked, self.branch.as_deref())?),
            Anchor::Current => unreachable!("a relative step from the current state has no anchor"),
        })
    }

    /// `X+N` / `X-N` (X a revision, `head` or `base`): Alembic's walk along
    /// `Revises` (up: only through children on the label's line), or, where
    /// that walk is ambiguous, N places along the application order.
    fn walk_from_anchor(
        &self,
        set: &MigrationSet,
        branch: Option<usize>,
        lineage: Option<&[bool]>,
    ) -> Result<Pos, ResolveError> {
        let start = self.anchor_pos(set, branch, lineage)?;
        if start == Pos::Base && self.offset < 0 {
            // Alembic walks down from the heads here; no meaning is kept.
            return Err(self.past_base(self.offset.unsigned_abs() as usize));
        }
        let filter = if self.offset > 0 { lineage } else { None };
        match walk(set, start, self.offset, filter) {
            Walk::At(p) => Ok(p),
            Walk::TooFar(by) if self.offset > 0 => {
                Err(self.past_head(set, &scope(set, lineage), by))
            }
            Walk::TooFar(by) => Err(self.past_base(by)),
            Walk::Ambiguous => {
                let scope = scope(set, lineage);
                let k = match start {
                    Pos::Base => -1,
                    Pos::Rev(i) => scope.iter().position(|&s| s == i).ok_or_else(|| {
                        ResolveError::NotInBranch {
                            id: set.revisions()[i].id.to_string(),
                            label: self.branch.clone().unwrap_or_default(),
                        }
                    })? as i64,
                };
                self.counted(set, &scope, k)
            }
        }
    }

    /// The revision `offset` places after `scope[k]` (`k = -1`: below the
    /// first), counting along the application order.
    fn counted(&self, set: &MigrationSet, scope: &[usize], k: i64) -> Result<Pos, ResolveError> {
        let at = k + self.offset;
        if at == -1 {
            Ok(Pos::Base)
        } else if at < -1 {
            Err(self.past_base((-at - 1) as usize))
        } else if at as usize >= scope.len() {
            Err(self.past_head(set, scope, at as usize + 1 - scope.len()))
        } else {
            Ok(Pos::Rev(scope[at as usize]))
        }
    }

    /// What an upgrade to this target reaches.
    fn upgrade_targets(
        &self,
        set: &MigrationSet,
        current: &Applied,
        branch: Option<usize>,
    ) -> Result<Reach, ResolveError> {
        let lineage = branch.map(|b| set.lineage(b));
        let lineage = lineage.as_deref();
        match (&self.anchor, self.offset.signum()) {
            (Anchor::Current | Anchor::Base, 0) => Ok(Reach::Unchanged),
            (Anchor::Head, 0) => Ok(Reach::Revisions(self.heads(set, lineage))),
            (Anchor::Revision(id), 0) => Ok(Reach::Revisions(vec![find(
                set,
                id,
                branch,
                self.branch.as_deref(),
            )?])),
            (Anchor::Current, 1) => {
                let rows = set.rows(current);
                let mut starts: Vec<Pos> = match lineage {
                    None => rows.iter().map(|&r| Pos::Rev(r)).collect(),
                    Some(l) => {
                        let mut on: Vec<usize> = rows.iter().copied().filter(|&r| l[r]).collect();
                        if on.is_empty() {
                            // The branch is not a current head: start from
                            // the tips of what is applied on it.
                            let active: Vec<usize> =
                                current.positions().filter(|&i| l[i]).collect();
                            let mut covered = vec![false; set.len()];
                            for &a in &active {
                                for &d in set.down(a) {
                                    covered[d] = true;
                                }
                            }
                            on = active.into_iter().filter(|&a| !covered[a]).collect();
                        }
                        on.into_iter().map(Pos::Rev).collect()
                    }
                };
                if starts.is_empty() {
                    starts.push(Pos::Base);
                }
                let walked = match starts[..] {
                    [start] => walk(set, start, self.offset, lineage),
                    _ => Walk::Ambiguous,
                };
                match walked {
                    Walk::At(Pos::Rev(t)) => Ok(Reach::Revisions(vec![t])),
                    Walk::At(Pos::Base) => Ok(Reach::Unchanged),
                    Walk::TooFar(by) => Err(self.past_head(set, &scope(set, lineage), by)),
                    Walk::Ambiguous => {
                        // The next N revisions of the branch not applied yet.
                        let scope = scope(set, lineage);
                        let k = self.offset as usize;
                        let next: Vec<usize> = scope
                            .iter()
                            .copied()
                            .filter(|&i| !current.contains(i))
                            .take(k)
                            .collect();
                        if next.len() < k {
                            return Err(self.past_head(set, &scope, k - next.len()));
                        }
                        Ok(Reach::Revisions(next))
                    }
                }
            }
            (Anchor::Current, _) => Err(self.wrong(Direction::Upgrade)),
            (_, _) => match self.walk_from_anchor(set, branch, lineage)? {
                Pos::Base => Ok(Reach::Unchanged),
                Pos::Rev(t) => Ok(Reach::Revisions(vec![t])),
            },
        }
    }

    /// The state a downgrade to this target reaches: Alembic's rule. The
    /// target's children (on the label's side when there are several) and
    /// everything that needs them are reverted; what only depends on the
    /// target stays.
    fn downgrade_to(
        &self,
        set: &MigrationSet,
        current: &Applied,
        branch: Option<usize>,
    ) -> Result<Applied, ResolveError> {
        let lineage = branch.map(|b| set.lineage(b));
        let lineage = lineage.as_deref();
        let rows = set.rows(current);
        let (target, side) = match (&self.anchor, self.offset.signum()) {
            (Anchor::Current, 0) => return Ok(current.clone()),
            (Anchor::Base, 0) => (Pos::Base, branch),
            (Anchor::Head, 0) => match set.heads()[..] {
                [h] => (Pos::Rev(h), branch),
                ref many => return Err(self.several_heads(set, many)),
            },
            (Anchor::Revision(id), 0) => (Pos::Rev(find(set, id, None, None)?), branch),
            (Anchor::Current, 1) => return Err(self.wrong(Direction::Downgrade)),
            (Anchor::Current, _) => {
                let n = self.offset.unsigned_abs() as usize;
                let start = match lineage {
                    Some(l) => {
                        let mut on: Vec<usize> = rows.iter().copied().filter(|&r| l[r]).collect();
                        if on.is_empty() {
                            on = set
                                .branch_tops(current)
                                .into_iter()
                                .filter(|&r| l[r])
                                .collect();
                        }
                        match on[..] {
                            [one] => Some((one, branch)),
                            _ => None,
                        }
                    }
                    None => match rows[..] {
                        [] => return Err(self.past_base(n)),
                        [one] => Some((one, Some(one))),
                        _ => None,
                    },
                };
                let walked =
                    start.map(|(s, side)| (walk(set, Pos::Rev(s), self.offset, None), side));
                match walked {
                    Some((Walk::At(p), side)) => (p, side),
                    Some((Walk::TooFar(by), _)) => return Err(self.past_base(by)),
                    Some((Walk::Ambiguous, _)) | None => {
                        // The last N applied revisions of the branch, and
                        // what needs them.
                        let scope = scope(set, lineage);
                        let last: Vec<usize> = scope
                            .iter()
                            .rev()
                            .copied()
                            .filter(|&i| current.contains(i))
                            .take(n)
                            .collect();
                        if last.len() < n {
                            return Err(self.past_base(n - last.len()));
                        }
                        return Ok(minus(current, set.descendants(last)));
                    }
                }
            }
            (_, _) => (self.walk_from_anchor(set, branch, lineage)?, branch),
        };
        let mut roots: Vec<usize> = match target {
            Pos::Base => (0..set.len())
                .filter(|&i| set.parents(i).is_empty())
                .collect(),
            Pos::Rev(t) => set.children(t).to_vec(),
        };
        if let (Some(b), true) = (side, roots.len() > 1) {
            let toward = set.versioned_ancestors([b]);
            roots.retain(|&r| toward[r]);
            if roots.is_empty() {
                return Err(ResolveError::NotTowardBranch {
                    target: self.to_string(),
                    label: set.revisions()[b].id.to_string(),
                });
            }
        }
        let drop = set.descendants(roots);
        if let Pos::Rev(t) = target {
            if !rows.contains(&t) && !drop.iter().zip(current.members()).any(|(d, a)| *d && *a) {
                if !current.contains(t) {
                    return Err(self.wrong(Direction::Downgrade));
                }
                return Err(ResolveError::OnlyDependedOn {
                    target: set.revisions()[t].id.to_string(),
                    dependents: set
                        .dependents(t)
                        .iter()
                        .filter(|&&d| current.contains(d))
                        .map(|&d| set.revisions()[d].id.to_string())
                        .collect(),
                });
            }
        }
        Ok(minus(current, drop))
    }
}

/// A place on a walk: a revision, or below the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pos {
    Base,
    Rev(usize),
}

/// Where Alembic's walk along `Revises` ends.
enum Walk {
    At(Pos),
    /// A branch point going up, a merge revision going down: Alembic refuses.
    Ambiguous,
    /// Past the head, or below the base, by this many steps.
    TooFar(usize),
}

/// What an upgrade reaches.
enum Reach {
    /// Nothing more (`base`, `current`, a step down to below the base).
    Unchanged,
    /// These revisions and everything they need.
    Revisions(Vec<usize>),
}

/// Alembic's `_walk`: `steps` moves along `Revises`, up through children
/// (only those on `lineage` when given), down through parents.
fn walk(set: &MigrationSet, start: Pos, steps: i64, lineage: Option<&[bool]>) -> Walk {
    let mut at = start;
    let n = steps.unsigned_abs() as usize;
    for taken in 0..n {
        let next: Vec<usize> = if steps > 0 {
            let up: Vec<usize> = match at {
                Pos::Base => (0..set.len())
                    .filter(|&i| set.parents(i).is_empty())
                    .collect(),
                Pos::Rev(i) => set.children(i).to_vec(),
            };
            up.into_iter()
                .filter(|&c| lineage.is_none_or(|l| l[c]))
                .collect()
        } else {
            match at {
                Pos::Base => return Walk::TooFar(n - taken),
                Pos::Rev(i) if set.parents(i).is_empty() => {
                    at = Pos::Base;
                    continue;
                }
                Pos::Rev(i) => set.parents(i).to_vec(),
            }
        };
        match next[..] {
            [] => return Walk::TooFar(n - taken),
            [one] => at = Pos::Rev(one),
            _ => return Walk::Ambiguous,
        }
    }
    Walk::At(at)
}

/// The positions in application order, those on `lineage` only when given.
fn scope(set: &MigrationSet, lineage: Option<&[bool]>) -> Vec<usize> {
    (0..set.len())
        .filter(|&i| lineage.is_none_or(|l| l[i]))
        .collect()
}

fn union(current: &Applied, add: Vec<bool>) -> Applied {
    Applied::from_members(
        current
            .members()
            .iter()
            .zip(add)
            .map(|(a, b)| *a || b)
            .collect(),
    )
}

fn minus(current: &Applied, remove: Vec<bool>) -> Applied {
    Applied::from_members(
        current
            .members()
            .iter()
            .zip(remove)
            .map(|(a, b)| *a && !b)
            .collect(),
    )
}

/// The revision `id` names (see [`resolve_id`]); with a branch, a prefix
/// is matched among the revisions of the branch's line only, and the
/// revision must be on that line.
fn find(
    set: &MigrationSet,
    id: &str,
    branch: Option<usize>,
    label: Option<&str>,
) -> Result<usize, ResolveError> {
    let Some(b) = branch else {
        return resolve_id(set, id);
    };
    let lineage = set.lineage(b);
    let p = resolve_id_within(set, id, Some(&lineage))?;
    if !lineage[p] {
        return Err(ResolveError::NotInBranch {
            id: set.revisions()[p].id.to_string(),
            label: label.unwrap_or_default().to_owned(),
        });
    }
    Ok(p)
}

/// The position of the revision with this id or branch label, or else the
/// one revision whose id or label starts with it (Alembic's lookup).
///
/// # Examples
///
/// ```
/// use schema_core::target::resolve_id;
/// use schema_core::ResolveError;
/// # let rev = |id: &str, revises: &str| {
/// #     let text = format!("-- Revision ID: {id}\n-- Revises: {revises}\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
/// #     schema_core::parse_revision(&format!("{id}.sql"), &text).unwrap()
/// # };
/// # let set = schema_core::check(vec![rev("ae10", ""), rev("ae20", "ae10"), rev("b7", "ae20")], "m").unwrap();
/// // The chain `ae10` <- `ae20` <- `b7`.
/// assert_eq!(resolve_id(&set, "b"), Ok(2));
/// assert!(matches!(resolve_id(&set, "ae"), Err(ResolveError::Ambiguous { .. })));
/// assert!(matches!(resolve_id(&set, "ae30"), Err(ResolveError::Unknown { .. })));
/// ```
pub fn resolve_id(set: &MigrationSet, id: &str) -> Result<usize, ResolveError> {
    resolve_id_within(set, id, None)
}

fn resolve_id_within(
    set: &MigrationSet,
    id: &str,
    lineage: Option<&[bool]>,
) -> Result<usize, ResolveError> {
    if let Some(p) = set.lookup(id) {
        return Ok(p);
    }
    let mut candidates: Vec<(&str, usize)> = set
        .revisions()
        .iter()
        .enumerate()
        .map(|(i, r)| (&*r.id, i))
        .chain(set.labels())
        .filter(|(key, i)| key.starts_with(id) && lineage.is_none_or(|l| l[*i]))
        .collect();
    candidates.sort_by_key(|&(_, i)| i);
    match candidates.as_slice() {
        [(_, one)] => Ok(*one),
        [] => Err(ResolveError::Unknown {
            id: id.to_owned(),
            suggestion: closest(id, set.revisions().iter().map(|r| &*r.id)).map(str::to_owned),
        }),
        many => Err(ResolveError::Ambiguous {
            prefix: id.to_owned(),
            candidates: many.iter().map(|(key, _)| (*key).to_owned()).collect(),
        }),
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(label) = &self.branch {
            write!(f, "{label}@")?;
        }
        match &self.anchor {
            Anchor::Head => f.write_str("head")?,
            Anchor::Base => f.write_str("base")?,
            Anchor::Current if self.offset == 0 => f.write_str("current")?,
            Anchor::Current => {}
            Anchor::Revision(id) => f.write_str(id)?,
        }
        match self.offset {
            0 => Ok(()),
            n if n > 0 => write!(f, "+{n}"),
            n => write!(f, "{n}"),
        }
    }
}

/// What a migrator of the module `S` takes as a target: text to parse
/// (`"head"`, `"-1"`, `"ae10+2"`, ...), a [`Target`], or a typed revision of
/// module `S` itself. A typed revision of another `migrations!()` module is
/// a compile error, not a revision looked up by id at run time.
///
/// # Examples
///
/// ```
/// use schema_core::{IntoTarget, Loaded, Target};
///
/// fn target(t: impl IntoTarget<Loaded>) -> Result<Target, schema_core::TargetParseError> {
///     t.into_target()
/// }
/// assert_eq!(target("head")?, Target::HEAD);
/// assert_eq!(target(Target::relative(-1))?, target(String::from("-1"))?);
/// assert!(target("not a target").is_err());
/// # Ok::<(), schema_core::TargetParseError>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a target of this migrator",
    label = "expected text (`\"head\"`, `\"-1\"`, an id), a `Target`, or a typed revision of this migrator's own `migrations!()` module"
)]
pub trait IntoTarget<S> {
    /// The target, or why the text does not parse.
    fn into_target(self) -> Result<Target, TargetParseError>;
}

impl<S> IntoTarget<S> for Target {
    fn into_target(self) -> Result<Target, TargetParseError> {
        Ok(self)
    }
}

impl<S> IntoTarget<S> for &str {
    fn into_target(self) -> Result<Target, TargetParseError> {
        Target::parse(self)
    }
}

impl<S> IntoTarget<S> for &String {
    fn into_target(self) -> Result<Target, TargetParseError> {
        Target::parse(self)
    }
}

impl<S> IntoTarget<S> for String {
    fn into_target(self) -> Result<Target, TargetParseError> {
        Target::parse(&self)
    }
}

impl<M: crate::revision::Migration> IntoTarget<M::Set> for M {
    /// A typed revision of the migrator's own module.
    fn into_target(self) -> Result<Target, TargetParseError> {
        Ok(Target::revision(self.id()))
    }
}

impl std::str::FromStr for Target {
    type Err = TargetParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::parse(s)
    }
}

impl TryFrom<&str> for Target {
    type Error = TargetParseError;
    /// Parses the target (see [`Target::parse`]).
    fn try_from(s: &str) -> Result<Self, Self::Error> {
        Target::parse(s)
    }
}

impl TryFrom<&String> for Target {
    type Error = TargetParseError;
    /// Parses the target (see [`Target::parse`]).
    fn try_from(s: &String) -> Result<Self, Self::Error> {
        Target::parse(s)
    }
}

impl TryFrom<String> for Target {
    type Error = TargetParseError;
    /// Parses the target (see [`Target::parse`]).
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Target::parse(&s)
    }
}

/// A range of offline SQL: `start:end`; a missing start means the natural start
/// (base for upgrades, head for downgrades).
///
/// # Examples
///
/// ```
/// use schema_core::{Range, Target};
///
/// let r = Range::parse("ae10:head")?;
/// assert_eq!((r.start, r.end), (Some(Target::revision("ae10")), Target::HEAD));
/// assert_eq!(Range::parse("head")?.start, None);
/// # Ok::<(), schema_core::TargetParseError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    /// Where the script starts (what the database is assumed to be at).
    pub start: Option<Target>,
    /// Where the script ends.
    pub end: Target,
}

impl Range {
    /// Parses `end` or `start:end`.
    pub fn parse(text: &str) -> Result<Self, TargetParseError> {
        match text.split_once(':') {
            Some((start, end)) => Ok(Range {
                start: Some(Target::parse(start)?),
                end: Target::parse(end)?,
            }),
            None => Ok(Range {
                start: None,
                end: Target::parse(text)?,
            }),
        }
    }
}

/// A target that is not valid syntax.
///
/// # Examples
///
/// ```
/// let e = schema_core::Target::parse("ae10++").unwrap_err();
/// assert_eq!(e.target, "ae10++");
/// assert_eq!(e.to_string(), format!("invalid target `ae10++`: {}", e.reason));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid target `{target}`: {reason}")]
pub struct TargetParseError {
    /// The target as written.
    pub target: String,
    /// What is wrong.
    pub reason: &'static str,
}

/// A target that does not designate a revision of the chain.
///
/// # Examples
///
/// ```
/// use schema_core::{Applied, Direction, ResolveError, Target};
/// # let rev = |id: &str, revises: &str| {
/// #     let text = format!("-- Revision ID: {id}\n-- Revises: {revises}\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n");
/// #     schema_core::parse_revision(&format!("{id}.sql"), &text).unwrap()
/// # };
/// # let set = schema_core::check(vec![rev("a", ""), rev("b", "a"), rev("c", "b")], "migrations").unwrap();
/// let err = Target::revision("d").resolve(&set, Direction::Upgrade, &Applied::none(&set));
/// assert_eq!(err, Err(ResolveError::Unknown { id: "d".into(), suggestion: None }));
/// let err = Target::parse("+5").unwrap().resolve(&set, Direction::Upgrade, &Applied::none(&set));
/// assert_eq!(err.unwrap_err().to_string(), "`+5` is 2 revision(s) past the head `c`");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// No revision has this id or prefix.
    #[error("no revision `{id}` in the chain{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    Unknown {
        /// The id or prefix.
        id: String,
        /// The closest id, if one is close.
        suggestion: Option<String>,
    },
    /// Several revisions start with this prefix.
    #[error("`{prefix}` is ambiguous: it starts {}; give more characters", candidates.join(", "))]
    Ambiguous {
        /// The prefix.
        prefix: String,
        /// The ids that start with it.
        candidates: Vec<String>,
    },
    /// The target lies above the head.
    #[error("`{target}` is {by} revision(s) past the head `{head}`")]
    PastHead {
        /// The target.
        target: String,
        /// By how many.
        by: usize,
        /// The head.
        head: String,
    },
    /// A target in the opposite direction of the run.
    #[error("`{target}` would {} revisions, which a {direction} does not do", if *direction == Direction::Upgrade { "revert" } else { "apply" })]
    WrongDirection {
        /// The target.
        target: String,
        /// The run's direction.
        direction: Direction,
    },
    /// No revision declares this branch label.
    #[error("no branch is labelled `{label}`{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownLabel {
        /// The label.
        label: String,
        /// The closest label, if one is close.
        suggestion: Option<String>,
    },
    /// A revision that is not on the labelled branch.
    #[error("revision `{id}` is not on branch `{label}`")]
    NotInBranch {
        /// The revision.
        id: String,
        /// The label.
        label: String,
    },
    /// The target lies below the base.
    #[error("`{target}` is {by} revision(s) below base")]
    PastBase {
        /// The target.
        target: String,
        /// By how many.
        by: usize,
    },
    /// A downgrade to a revision that is applied only because revisions of
    /// other branches depend on it: nothing revises it in the database, so
    /// there is nothing to revert (Alembic refuses it too).
    #[error("nothing applied revises `{target}`: {} only depend(s) on it, so a downgrade to it reverts nothing; downgrade to a revision below {}, or stamp", list(dependents), list(dependents))]
    OnlyDependedOn {
        /// The revision.
        target: String,
        /// The applied revisions that depend on it.
        dependents: Vec<String>,
    },
    /// `label@<rev>` in a downgrade where `<rev>` has several children and
    /// none of them leads to the label's revision.
    #[error("no revision after `{target}` leads to `{label}`, so the downgrade would revert nothing of that branch")]
    NotTowardBranch {
        /// The target.
        target: String,
        /// The revision the branch label stands for.
        label: String,
    },
    /// A relative stamp target (`+1`, `-1`, `<id>+1`): a stamp names the
    /// revision it records, as in Alembic.
    #[error("`{target}` is not a stamp target: a stamp records a revision named as such (`head`, `base`, an id, `label@head`, `label@base`), not a relative step")]
    NotAStampTarget {
        /// The target.
        target: String,
    },
}

fn list(ids: &[String]) -> String {
    ids.iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::check_branches;
    use crate::parse::parse_revision;
    use crate::state::Direction::{Downgrade, Upgrade};

    /// Revisions `(id, parents, labels, dependencies)`, checked (several heads allowed).
    fn graph(revs: &[(&str, &str, &str, &str)]) -> MigrationSet {
        let revs = revs
            .iter()
            .map(|(id, parents, labels, depends)| {
                let text = format!(
                    "-- Revision ID: {id}\n-- Revises: {parents}\n-- Branch Labels: {labels}\n\
                     -- Depends On: {depends}\n-- migrate:upgrade\n-- migrate:downgrade\n"
                );
                parse_revision(&format!("{id}.sql"), &text).unwrap()
            })
            .collect();
        check_branches(revs, "m").unwrap()
    }

    /// root -> a1 -> a2 (label `a`), root -> b1 (label `b`), merge m, top.
    fn labelled() -> MigrationSet {
        graph(&[
            ("root", "", "", ""),
            ("a1", "root", "a", ""),
            ("a2", "a1", "", ""),
            ("b1", "root", "b", ""),
            ("m", "a2, b1", "", ""),
            ("top", "m", "", ""),
        ])
    }

    /// a; b and c revise a; d merges them.
    fn diamond() -> MigrationSet {
        graph(&[
            ("a", "", "", ""),
            ("b", "a", "", ""),
            ("c", "a", "", ""),
            ("d", "b, c", "", ""),
        ])
    }

    /// a; b revises a; c revises a and depends on b; m merges b and c.
    fn dependency() -> MigrationSet {
        graph(&[
            ("a", "", "", ""),
            ("b", "a", "", ""),
            ("c", "a", "", "b"),
            ("m", "b, c", "", ""),
        ])
    }

    fn state(set: &MigrationSet, rows: &[&str]) -> Applied {
        let rows: Vec<String> = rows.iter().map(|s| s.to_string()).collect();
        if rows.is_empty() {
            Applied::none(set)
        } else {
            set.applied_from_rows(&rows).unwrap()
        }
    }

    /// The version-table rows after running to `t` from the state of `rows`.
    fn run(
        set: &MigrationSet,
        t: &str,
        d: Direction,
        rows: &[&str],
    ) -> Result<Vec<String>, ResolveError> {
        let to = Target::parse(t)
            .unwrap()
            .resolve(set, d, &state(set, rows))?;
        Ok(set.row_ids(&to).into_iter().map(str::to_owned).collect())
    }

    /// The version-table rows after stamping `t` from the state of `rows`.
    fn stamp(set: &MigrationSet, t: &str, rows: &[&str]) -> Result<Vec<String>, ResolveError> {
        let to = Target::parse(t)
            .unwrap()
            .resolve_stamp(set, &state(set, rows))?;
        Ok(set.row_ids(&to).into_iter().map(str::to_owned).collect())
    }

    #[test]
    fn a_dependency_gets_no_row_of_its_own() {
        let set = dependency();
        assert_eq!(run(&set, "c", Upgrade, &[]).unwrap(), ["c"]);
        assert_eq!(run(&set, "heads", Upgrade, &["c"]).unwrap(), ["m"]);
    }

    #[test]
    fn downgrading_to_a_dependency_reverts_what_revises_it_and_keeps_what_depends_on_it() {
        let set = dependency();
        assert_eq!(run(&set, "b", Downgrade, &["m"]).unwrap(), ["c"]);
    }

    #[test]
    fn downgrading_to_a_revision_applied_only_as_a_dependency_reverts_nothing_and_is_refused() {
        let set = dependency();
        assert_eq!(
            run(&set, "b", Downgrade, &["c"]),
            Err(ResolveError::OnlyDependedOn {
                target: "b".into(),
                dependents: vec!["c".into()]
            })
        );
    }

    #[test]
    fn plus_one_into_a_merge_walks_to_the_merge_and_brings_its_other_parent() {
        let set = diamond();
        assert_eq!(run(&set, "+1", Upgrade, &["b"]).unwrap(), ["d"]);
        assert_eq!(run(&set, "b+1", Upgrade, &[]).unwrap(), ["d"]);
    }

    #[test]
    fn upgrading_to_an_applied_revision_or_to_base_changes_nothing() {
        let set = labelled();
        for t in ["a1", "root", "base", "a@head", "a@a1", "current"] {
            assert_eq!(run(&set, t, Upgrade, &["top"]).unwrap(), ["top"], "{t}");
        }
    }

    #[test]
    fn stamping_below_a_merge_replaces_the_rows_on_its_line() {
        let set = diamond();
        assert_eq!(stamp(&set, "b", &["d"]).unwrap(), ["b"]);
        assert_eq!(stamp(&set, "d", &["b", "c"]).unwrap(), ["d"]);
        assert_eq!(
            stamp(&set, "base", &["b", "c"]).unwrap(),
            Vec::<String>::new()
        );
        // A revision off the lines of the rows is added beside them.
        assert_eq!(stamp(&set, "c", &["b"]).unwrap(), ["c", "b"]);
        assert_eq!(stamp(&set, "b", &["b"]).unwrap(), ["b"]);
    }

    #[test]
    fn stamping_a_revision_on_one_branch_keeps_the_other_branch_s_row() {
        let set = labelled();
        assert_eq!(stamp(&set, "a2", &["b1", "a1"]).unwrap(), ["b1", "a2"]);
        assert_eq!(stamp(&set, "root", &["b1", "a1"]).unwrap(), ["root"]);
    }

    #[test]
    fn stamping_a_label_s_base_removes_only_the_rows_on_its_line() {
        let set = labelled();
        assert_eq!(stamp(&set, "a@base", &["b1", "a2"]).unwrap(), ["b1"]);
        assert_eq!(stamp(&set, "b@head", &["b1", "a2"]).unwrap(), ["top"]);
    }

    #[test]
    fn a_relative_stamp_is_refused() {
        let set = diamond();
        for t in ["+1", "-1", "b+1", "head-1"] {
            assert!(
                matches!(
                    stamp(&set, t, &["b"]),
                    Err(ResolveError::NotAStampTarget { .. })
                ),
                "{t}"
            );
        }
    }

    #[test]
    fn a_label_stands_for_the_line_through_its_revision_beyond_merges() {
        let set = labelled();
        // The single head shares a line with every revision.
        assert_eq!(run(&set, "a@head", Upgrade, &[]).unwrap(), ["top"]);
        assert_eq!(run(&set, "b@heads", Upgrade, &[]).unwrap(), ["top"]);
        // Below the branch point too, and a revision id works as a label.
        assert_eq!(run(&set, "a@root", Upgrade, &[]).unwrap(), ["root"]);
        assert_eq!(run(&set, "a1@a1", Upgrade, &[]).unwrap(), ["a1"]);
        assert_eq!(run(&set, "a2@a1", Upgrade, &[]).unwrap(), ["a1"]);
        assert!(matches!(
            run(&set, "a@b1", Upgrade, &[]),
            Err(ResolveError::NotInBranch { .. })
        ));
    }

    #[test]
    fn a_label_chooses_the_branch_of_a_step_up_from_a_branch_point() {
        let set = labelled();
        assert_eq!(run(&set, "b@+1", Upgrade, &[]).unwrap(), ["root"]);
        assert_eq!(run(&set, "b@+1", Upgrade, &["root"]).unwrap(), ["b1"]);
        assert_eq!(run(&set, "a@+2", Upgrade, &["root"]).unwrap(), ["a2"]);
        // From the top of the other branch, the label's branch starts again.
        assert_eq!(run(&set, "a@+1", Upgrade, &["b1"]).unwrap(), ["b1", "a1"]);
    }

    #[test]
    fn label_minus_one_steps_down_from_the_row_on_the_label_s_line() {
        let set = labelled();
        assert_eq!(run(&set, "a@-1", Downgrade, &["top"]).unwrap(), ["m"]);
        assert_eq!(
            run(&set, "a@-1", Downgrade, &["b1", "a2"]).unwrap(),
            ["b1", "a1"]
        );
    }

    #[test]
    fn downgrading_to_a_branch_point_with_a_label_reverts_only_that_side() {
        let set = labelled();
        assert_eq!(run(&set, "a@root", Downgrade, &["top"]).unwrap(), ["b1"]);
        assert_eq!(run(&set, "root", Downgrade, &["top"]).unwrap(), ["root"]);
        assert_eq!(
            run(&set, "b1@root", Downgrade, &["b1", "a2"]).unwrap(),
            ["a2"]
        );
    }

    #[test]
    fn downgrading_to_a_revision_below_a_merge_keeps_the_other_parent() {
        let set = labelled();
        assert_eq!(run(&set, "a2", Downgrade, &["top"]).unwrap(), ["b1", "a2"]);
        assert_eq!(
            run(&set, "b@base", Downgrade, &["top"]).unwrap(),
            Vec::<String>::new()
        );
    }

    #[test]
    fn where_alembic_finds_a_step_ambiguous_it_counts_along_the_application_order() {
        let set = labelled();
        // Up from a branch point: the next revision in order.
        assert_eq!(run(&set, "+1", Upgrade, &["root"]).unwrap(), ["b1"]);
        // Down from a merge: the merge is reverted.
        assert_eq!(run(&set, "-1", Downgrade, &["m"]).unwrap(), ["b1", "a2"]);
        // From several rows: the last applied revision is reverted.
        assert_eq!(
            run(&set, "-1", Downgrade, &["b1", "a2"]).unwrap(),
            ["b1", "a1"]
        );
        assert_eq!(run(&set, "+1", Upgrade, &["b1", "a2"]).unwrap(), ["m"]);
    }

    #[test]
    fn unknown_labels_are_refused_with_a_suggestion() {
        let set = labelled();
        assert!(matches!(
            run(&set, "aa@head", Upgrade, &[]),
            Err(ResolveError::UnknownLabel { suggestion: Some(s), .. }) if s == "a"
        ));
    }

    fn chain(ids: &[&str]) -> MigrationSet {
        let revs: Vec<(String, String)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                (
                    id.to_string(),
                    if i == 0 {
                        String::new()
                    } else {
                        ids[i - 1].to_owned()
                    },
                )
            })
            .collect();
        let revs: Vec<(&str, &str, &str, &str)> = revs
            .iter()
            .map(|(i, p)| (i.as_str(), p.as_str(), "", ""))
            .collect();
        graph(&revs)
    }

    /// How many revisions of a linear chain are applied after running to `t`
    /// from `current` applied.
    fn level(t: &str, d: Direction, current: usize) -> Result<usize, ResolveError> {
        let set = chain(&["ae1001", "ae2002", "bb3003", "cc4"]);
        let now = Applied::from_members((0..set.len()).map(|i| i < current).collect());
        Ok(Target::parse(t).unwrap().resolve(&set, d, &now)?.count())
    }

    #[test]
    fn head_and_base() {
        assert_eq!(level("head", Upgrade, 1), Ok(4));
        assert_eq!(level("heads", Upgrade, 1), Ok(4));
        assert_eq!(level("base", Downgrade, 3), Ok(0));
        assert_eq!(level("base", Upgrade, 3), Ok(3));
    }

    #[test]
    fn full_ids_and_unique_prefixes() {
        assert_eq!(level("bb3003", Upgrade, 0), Ok(3));
        assert_eq!(level("bb", Upgrade, 0), Ok(3));
        assert_eq!(level("ae1", Upgrade, 0), Ok(1));
    }

    #[test]
    fn a_label_is_a_revision_target_and_prefixes_match_labels_too() {
        let set = labelled();
        assert_eq!(resolve_id(&set, "b"), Ok(set.position("b1").unwrap()));
        assert_eq!(resolve_id(&set, "to"), Ok(set.position("top").unwrap()));
        assert_eq!(run(&set, "a", Upgrade, &[]).unwrap(), ["a1"]);
    }

    #[test]
    fn an_ambiguous_prefix_lists_the_candidates() {
        assert_eq!(
            level("ae", Upgrade, 0),
            Err(ResolveError::Ambiguous {
                prefix: "ae".into(),
                candidates: vec!["ae1001".into(), "ae2002".into()]
            })
        );
    }

    #[test]
    fn an_unknown_id_suggests_the_closest() {
        let Err(ResolveError::Unknown { suggestion, .. }) = level("bb3004", Upgrade, 0) else {
            panic!()
        };
        assert_eq!(suggestion.as_deref(), Some("bb3003"));
    }

    #[test]
    fn relative_steps_from_current() {
        assert_eq!(level("+2", Upgrade, 1), Ok(3));
        assert_eq!(level("-1", Downgrade, 3), Ok(2));
        assert_eq!(level("+1", Upgrade, 0), Ok(1));
        assert_eq!(level("-1", Downgrade, 1), Ok(0));
    }

    #[test]
    fn relative_steps_from_a_revision_or_head() {
        assert_eq!(level("ae2002+2", Upgrade, 0), Ok(4));
        assert_eq!(level("bb-2", Upgrade, 0), Ok(1));
        assert_eq!(level("head-1", Upgrade, 0), Ok(3));
        assert_eq!(level("base+1", Upgrade, 0), Ok(1));
        assert_eq!(level("base+1", Downgrade, 4), Ok(1));
        assert_eq!(level("ae1001-1", Downgrade, 4), Ok(0));
        assert_eq!(level("ae1001+2", Downgrade, 4), Ok(3));
    }

    #[test]
    fn a_target_in_the_wrong_direction_is_refused() {
        for (t, d, at) in [
            ("-1", Upgrade, 2),
            ("+1", Downgrade, 2),
            ("cc4", Downgrade, 2),
            ("head", Downgrade, 2),
            ("bb3003", Downgrade, 2),
        ] {
            assert!(
                matches!(level(t, d, at), Err(ResolveError::WrongDirection { .. })),
                "{t} {d}"
            );
        }
        assert_eq!(level("ae2002", Upgrade, 2), Ok(2));
        assert_eq!(level("ae2002", Downgrade, 2), Ok(2));
    }

    #[test]
    fn going_past_head_or_base_is_an_error() {
        assert!(matches!(
            level("+2", Upgrade, 3),
            Err(ResolveError::PastHead { by: 1, .. })
        ));
        assert!(matches!(
            level("-2", Downgrade, 1),
            Err(ResolveError::PastBase { by: 1, .. })
        ));
        assert!(matches!(
            level("-1", Downgrade, 0),
            Err(ResolveError::PastBase { .. })
        ));
    }

    #[test]
    fn malformed_targets_are_rejected() {
        for t in [
            "", "+", "-x", "a+b", "a;drop", "+0x1", "head-", "@head", "x@", "a b@head",
        ] {
            assert!(Target::parse(t).is_err(), "{t}");
        }
    }

    #[test]
    fn targets_print_as_they_parse() {
        for t in [
            "head",
            "base",
            "+2",
            "-1",
            "ae10+2",
            "head-1",
            "current",
            "audit@head",
            "audit@-1",
            "audit@base",
            "audit@ae10",
        ] {
            assert_eq!(Target::parse(t).unwrap().to_string(), t);
        }
    }

    #[test]
    fn ranges_parse() {
        let r = Range::parse("base:head").unwrap();
        assert_eq!((r.start, r.end), (Some(Target::BASE), Target::HEAD));
        assert_eq!(Range::parse("ae10").unwrap().start, None);
    }
}
