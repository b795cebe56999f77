//! Upgrade and downgrade targets with Alembic's semantics.
//!
//! A [`Target`] is an optional branch label, an anchor (`head`, `base`, the
//! current state, or an id or unique id prefix) and a relative offset:
//! `head`, `heads`, `base`, `ae10`, `+2`, `-1`, `ae10+2`, `head-1`,
//! `audit@head`, `audit@-1`, `audit@base`. A [`Range`] (`base:head`, `a:b`)
//! is what offline SQL renders.
//!
//! Resolution turns a target into the set of revisions the database should
//! have applied ([`Applied`]), given what it has now and the direction of the
//! run. Offsets count along the application order (see [`crate::graph`]),
//! restricted to the branch when a label is given: `+N` applies the next N
//! revisions not applied yet, `-N` reverts the last N applied, `X+N` is the
//! revision N places after `X`.

use std::fmt;

use crate::graph::{closest, MigrationSet};
use crate::parse::MAX_ID_LEN;
use crate::state::{Applied, Direction};

/// What a target is relative to.
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
    /// `direction` to this target, given what it has applied now.
    ///
    /// An upgrade never reverts and a downgrade never applies: a target that
    /// would is [`ResolveError::WrongDirection`].
    pub fn resolve(
        &self,
        set: &MigrationSet,
        direction: Direction,
        current: &Applied,
    ) -> Result<Applied, ResolveError> {
        let wrong = || ResolveError::WrongDirection {
            target: self.to_string(),
            direction,
        };
        let scope: Vec<usize> = match &self.branch {
            None => (0..set.len()).collect(),
            Some(label) => set
                .branch(label)
                .ok_or_else(|| ResolveError::UnknownLabel {
                    label: label.clone(),
                    suggestion: closest(label, set.labels().into_iter().map(|(l, _)| l))
                        .map(str::to_owned),
                })?,
        };
        let pivot = self.pivot(set, &scope)?;
        let upgrade = direction == Direction::Upgrade;
        let strictly_after = |p: &[usize]| {
            set.descendants(
                p.iter()
                    .flat_map(|&i| set.children(i).iter().chain(set.dependents(i)))
                    .copied(),
            )
        };
        let union = |add: Vec<bool>| {
            Applied::from_members(
                current
                    .members()
                    .iter()
                    .zip(add)
                    .map(|(a, b)| *a || b)
                    .collect(),
            )
        };
        let minus = |remove: Vec<bool>| {
            Applied::from_members(
                current
                    .members()
                    .iter()
                    .zip(remove)
                    .map(|(a, b)| *a && !b)
                    .collect(),
            )
        };
        match pivot {
            Pivot::Current => Ok(current.clone()),
            Pivot::Revisions(p) if upgrade => {
                let to = union(set.ancestors(p.iter().copied()));
                let above = strictly_after(&p);
                if to == *current && current.positions().any(|i| above[i]) {
                    return Err(wrong());
                }
                Ok(to)
            }
            Pivot::Revisions(p) => {
                if !p.iter().all(|&i| current.contains(i)) {
                    return Err(wrong());
                }
                Ok(minus(strictly_after(&p)))
            }
            Pivot::Base if upgrade => {
                if scope.iter().any(|&i| current.contains(i)) {
                    return Err(wrong());
                }
                Ok(current.clone())
            }
            Pivot::Base => Ok(minus(set.descendants(scope))),
            Pivot::Next(k) => {
                if !upgrade {
                    return Err(wrong());
                }
                let next: Vec<usize> = scope
                    .iter()
                    .copied()
                    .filter(|&i| !current.contains(i))
                    .take(k)
                    .collect();
                if next.len() < k {
                    return Err(ResolveError::PastHead {
                        target: self.to_string(),
                        by: k - next.len(),
                        head: set.revisions()[scope[scope.len() - 1]].id.to_string(),
                    });
                }
                Ok(union(set.ancestors(next)))
            }
            Pivot::Last(k) => {
                if upgrade {
                    return Err(wrong());
                }
                let last: Vec<usize> = scope
                    .iter()
                    .rev()
                    .copied()
                    .filter(|&i| current.contains(i))
                    .take(k)
                    .collect();
                if last.len() < k {
                    return Err(ResolveError::PastBase {
                        target: self.to_string(),
                        by: k - last.len(),
                    });
                }
                Ok(minus(set.descendants(last)))
            }
        }
    }

    /// What the anchor and offset designate within `scope` (positions in order).
    fn pivot(&self, set: &MigrationSet, scope: &[usize]) -> Result<Pivot, ResolveError> {
        let past_head = |by: usize| ResolveError::PastHead {
            target: self.to_string(),
            by,
            head: set.revisions()[scope[scope.len() - 1]].id.to_string(),
        };
        let past_base = |by: usize| ResolveError::PastBase {
            target: self.to_string(),
            by,
        };
        // The revision `offset` places after scope[k].
        let step = |k: i64| -> Result<Pivot, ResolveError> {
            let at = k + self.offset;
            if at == -1 {
                Ok(Pivot::Base)
            } else if at < -1 {
                Err(past_base((-at - 1) as usize))
            } else if at as usize >= scope.len() {
                Err(past_head(at as usize + 1 - scope.len()))
            } else {
                Ok(Pivot::Revisions(vec![scope[at as usize]]))
            }
        };
        match &self.anchor {
            Anchor::Current => Ok(match self.offset {
                0 => Pivot::Current,
                n if n > 0 => Pivot::Next(n as usize),
                n => Pivot::Last(n.unsigned_abs() as usize),
            }),
            Anchor::Head if self.offset == 0 => {
                let in_scope: Vec<bool> = {
                    let mut v = vec![false; set.len()];
                    for &i in scope {
                        v[i] = true;
                    }
                    v
                };
                Ok(Pivot::Revisions(
                    scope
                        .iter()
                        .copied()
                        .filter(|&i| !set.children(i).iter().any(|&c| in_scope[c]))
                        .collect(),
                ))
            }
            Anchor::Head => step(scope.len() as i64 - 1),
            Anchor::Base if self.offset == 0 => Ok(Pivot::Base),
            Anchor::Base => step(-1),
            Anchor::Revision(id) => {
                let p = resolve_id(set, id)?;
                let k = scope.iter().position(|&i| i == p).ok_or_else(|| {
                    ResolveError::NotInBranch {
                        id: set.revisions()[p].id.to_string(),
                        label: self.branch.clone().unwrap_or_default(),
                    }
                })?;
                step(k as i64)
            }
        }
    }
}

/// What a target designates before the direction is taken into account.
enum Pivot {
    /// The current state (`current`).
    Current,
    /// These revisions (an id, `head`, `X+N`).
    Revisions(Vec<usize>),
    /// Nothing of the scope (`base`).
    Base,
    /// The next N revisions not applied (`+N`).
    Next(usize),
    /// The last N revisions applied (`-N`).
    Last(usize),
}

/// The position of the revision with this id, or the one revision whose id
/// starts with it.
pub fn resolve_id(set: &MigrationSet, id: &str) -> Result<usize, ResolveError> {
    if let Some(p) = set.position(id) {
        return Ok(p);
    }
    let candidates: Vec<usize> = set
        .revisions()
        .iter()
        .enumerate()
        .filter(|(_, r)| r.id.starts_with(id))
        .map(|(i, _)| i)
        .collect();
    match candidates.as_slice() {
        [one] => Ok(*one),
        [] => Err(ResolveError::Unknown {
            id: id.to_owned(),
            suggestion: closest(id, set.revisions().iter().map(|r| &*r.id)).map(str::to_owned),
        }),
        many => Err(ResolveError::Ambiguous {
            prefix: id.to_owned(),
            candidates: many
                .iter()
                .map(|&i| set.revisions()[i].id.to_string())
                .collect(),
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

impl<M: crate::revision::Migration> From<M> for Target {
    /// A typed revision from `migrations!()` as a target.
    fn from(m: M) -> Self {
        Target::revision(m.id())
    }
}

impl std::str::FromStr for Target {
    type Err = TargetParseError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::parse(s)
    }
}

impl From<&str> for Target {
    /// Parses the target; text that is not valid target syntax becomes a
    /// revision anchor that fails to resolve with a clear message.
    fn from(s: &str) -> Self {
        Target::parse(s).unwrap_or_else(|_| Target::revision(s))
    }
}

/// A range of offline SQL: `start:end`; a missing start means the natural start
/// (base for upgrades, head for downgrades).
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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid target `{target}`: {reason}")]
pub struct TargetParseError {
    /// The target as written.
    pub target: String,
    /// What is wrong.
    pub reason: &'static str,
}

/// A target that does not designate a revision of the chain.
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::check;
    use crate::parse::parse_revision;
    use crate::state::Direction;

    /// root -> a1 -> a2 (label `a`), root -> b1 (label `b`), merge m, top.
    fn labelled() -> MigrationSet {
        let revs = [
            ("root", "", ""),
            ("a1", "root", "a"),
            ("a2", "a1", ""),
            ("b1", "root", "b"),
            ("m", "a2, b1", ""),
            ("top", "m", ""),
        ]
        .iter()
        .map(|(id, parents, label)| {
            let text = format!(
                "-- Revision ID: {id}\n-- Revises: {parents}\n-- Branch Labels: {label}\n\
                 -- migrate:upgrade\n-- migrate:downgrade\n"
            );
            parse_revision(&format!("{id}.sql"), &text).unwrap()
        })
        .collect();
        check(revs, "m").unwrap()
    }

    fn applied_ids(set: &MigrationSet, a: &Applied) -> Vec<String> {
        a.positions()
            .map(|i| set.revisions()[i].id.to_string())
            .collect()
    }

    fn run(
        set: &MigrationSet,
        t: &str,
        d: Direction,
        from: &[&str],
    ) -> Result<Vec<String>, ResolveError> {
        let rows: Vec<String> = from.iter().map(|s| s.to_string()).collect();
        let now = if rows.is_empty() {
            Applied::none(set)
        } else {
            set.applied_from_rows(&rows).unwrap()
        };
        let to = Target::parse(t).unwrap().resolve(set, d, &now)?;
        Ok(applied_ids(set, &to))
    }

    #[test]
    fn label_head_applies_only_that_branch() {
        let set = labelled();
        assert_eq!(
            run(&set, "a@head", Direction::Upgrade, &[]).unwrap(),
            ["root", "a1", "a2"]
        );
        assert_eq!(
            run(&set, "b@head", Direction::Upgrade, &["a2"]).unwrap(),
            ["root", "a1", "a2", "b1"]
        );
        assert_eq!(
            run(&set, "b@+1", Direction::Upgrade, &[]).unwrap(),
            ["root", "b1"]
        );
    }

    #[test]
    fn label_minus_one_reverts_within_the_branch_and_what_follows() {
        let set = labelled();
        // From the head, `a@-1` reverts a2 and therefore the merge and top.
        assert_eq!(
            run(&set, "a@-1", Direction::Downgrade, &["top"]).unwrap(),
            ["root", "a1", "b1"]
        );
        assert_eq!(
            run(&set, "a@base", Direction::Downgrade, &["top"]).unwrap(),
            ["root", "b1"]
        );
    }

    #[test]
    fn downgrading_to_a_branch_head_leaves_the_other_branch() {
        let set = labelled();
        assert_eq!(
            run(&set, "a@head", Direction::Downgrade, &["top"]).unwrap(),
            ["root", "a1", "a2", "b1"]
        );
        assert_eq!(
            run(&set, "heads", Direction::Upgrade, &["a2", "b1"])
                .unwrap()
                .len(),
            6
        );
    }

    #[test]
    fn unknown_labels_and_revisions_off_the_branch_are_refused() {
        let set = labelled();
        assert!(matches!(
            run(&set, "aa@head", Direction::Upgrade, &[]),
            Err(ResolveError::UnknownLabel { suggestion: Some(s), .. }) if s == "a"
        ));
        assert!(matches!(
            run(&set, "a@b1", Direction::Upgrade, &[]),
            Err(ResolveError::NotInBranch { .. })
        ));
    }

    #[test]
    fn plus_and_minus_follow_the_application_order_across_branches() {
        let set = labelled();
        assert_eq!(
            run(&set, "+4", Direction::Upgrade, &[]).unwrap(),
            ["root", "a1", "a2", "b1"]
        );
        assert_eq!(
            run(&set, "-1", Direction::Downgrade, &["a2", "b1"]).unwrap(),
            ["root", "a1", "a2"]
        );
    }

    fn set(ids: &[&str]) -> MigrationSet {
        let revs = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let parent = if i == 0 { "" } else { ids[i - 1] };
                let text = format!(
                    "-- Revision ID: {id}\n-- Revises: {parent}\n-- migrate:upgrade\n-- migrate:downgrade\n"
                );
                parse_revision(&format!("{id}.sql"), &text).unwrap()
            })
            .collect();
        check(revs, "m").unwrap()
    }

    /// How many revisions of a linear chain are applied after running to `t`
    /// from `current` applied (upgrade, or downgrade when an upgrade would revert).
    fn level(t: &str, current: usize) -> Result<usize, ResolveError> {
        let set = set(&["ae1001", "ae2002", "bb3003", "cc4"]);
        let now = Applied::from_members((0..set.len()).map(|i| i < current).collect());
        let target = Target::parse(t).unwrap();
        let to = match target.resolve(&set, Direction::Upgrade, &now) {
            Err(ResolveError::WrongDirection { .. }) => {
                target.resolve(&set, Direction::Downgrade, &now)
            }
            other => other,
        }?;
        Ok(to.count())
    }

    #[test]
    fn head_and_base() {
        assert_eq!(level("head", 1), Ok(4));
        assert_eq!(level("heads", 1), Ok(4));
        assert_eq!(level("base", 3), Ok(0));
    }

    #[test]
    fn full_ids_and_unique_prefixes() {
        assert_eq!(level("bb3003", 0), Ok(3));
        assert_eq!(level("bb", 0), Ok(3));
        assert_eq!(level("ae1", 0), Ok(1));
    }

    #[test]
    fn an_ambiguous_prefix_lists_the_candidates() {
        assert_eq!(
            level("ae", 0),
            Err(ResolveError::Ambiguous {
                prefix: "ae".into(),
                candidates: vec!["ae1001".into(), "ae2002".into()]
            })
        );
    }

    #[test]
    fn an_unknown_id_suggests_the_closest() {
        let Err(ResolveError::Unknown { suggestion, .. }) = level("bb3004", 0) else {
            panic!()
        };
        assert_eq!(suggestion.as_deref(), Some("bb3003"));
    }

    #[test]
    fn relative_steps_from_current() {
        assert_eq!(level("+2", 1), Ok(3));
        assert_eq!(level("-1", 3), Ok(2));
        assert_eq!(level("+1", 0), Ok(1));
    }

    #[test]
    fn relative_steps_from_a_revision_or_head() {
        assert_eq!(level("ae2002+2", 0), Ok(4));
        assert_eq!(level("bb-2", 0), Ok(1));
        assert_eq!(level("head-1", 0), Ok(3));
        assert_eq!(level("base+1", 4), Ok(1));
        assert_eq!(level("ae1001-1", 4), Ok(0));
    }

    #[test]
    fn a_target_in_the_wrong_direction_is_refused() {
        let set = set(&["a", "b", "c"]);
        let at_b = Applied::from_members(vec![true, true, false]);
        let resolve = |t: &str, d| Target::parse(t).unwrap().resolve(&set, d, &at_b);
        for (t, d) in [
            ("a", Direction::Upgrade),
            ("c", Direction::Downgrade),
            ("-1", Direction::Upgrade),
            ("+1", Direction::Downgrade),
            ("base", Direction::Upgrade),
            ("head", Direction::Downgrade),
        ] {
            assert!(
                matches!(resolve(t, d), Err(ResolveError::WrongDirection { .. })),
                "{t} {d}"
            );
        }
        assert_eq!(resolve("b", Direction::Upgrade).unwrap(), at_b);
        assert_eq!(resolve("b", Direction::Downgrade).unwrap(), at_b);
    }

    #[test]
    fn going_past_head_or_base_is_an_error() {
        assert!(matches!(
            level("+2", 3),
            Err(ResolveError::PastHead { by: 1, .. })
        ));
        assert!(matches!(
            level("-2", 1),
            Err(ResolveError::PastBase { by: 1, .. })
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
