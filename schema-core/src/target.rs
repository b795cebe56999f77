//! Upgrade and downgrade targets with Alembic's semantics.
//!
//! A [`Target`] is an anchor (`head`, `base`, the current revision, or an id or
//! unique id prefix) plus a relative offset: `head`, `base`, `ae10`, `+2`, `-1`,
//! `ae10+2`, `head-1`. A [`Range`] (`base:head`, `a:b`) is what offline SQL
//! renders. Resolution works on *levels*: the number of revisions applied, from
//! 0 (base: nothing applied) to the length of the chain (head).

use std::fmt;

use crate::graph::{closest, MigrationSet};
use crate::parse::MAX_ID_LEN;

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
    /// What the target is relative to.
    pub anchor: Anchor,
    /// How many revisions above (positive) or below (negative) the anchor.
    pub offset: i64,
}

impl Target {
    /// `head`.
    pub const HEAD: Target = Target {
        anchor: Anchor::Head,
        offset: 0,
    };
    /// `base`.
    pub const BASE: Target = Target {
        anchor: Anchor::Base,
        offset: 0,
    };

    /// The revision with this id (or unique id prefix).
    pub fn revision(id: impl Into<String>) -> Self {
        Target {
            anchor: Anchor::Revision(id.into()),
            offset: 0,
        }
    }

    /// `+n` / `-n` from the current revision.
    pub fn relative(offset: i64) -> Self {
        Target {
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
        Ok(Target { anchor, offset })
    }

    /// The level (revisions applied, 0 = base) this target designates, given the
    /// current level of the database.
    pub fn resolve(&self, set: &MigrationSet, current: usize) -> Result<usize, ResolveError> {
        let anchor = match &self.anchor {
            Anchor::Head => set.len(),
            Anchor::Base => 0,
            Anchor::Current => current,
            Anchor::Revision(id) => resolve_id(set, id)? + 1,
        };
        let level = anchor as i64 + self.offset;
        if level < 0 {
            Err(ResolveError::PastBase {
                target: self.to_string(),
                by: -level as usize,
            })
        } else if level as usize > set.len() {
            Err(ResolveError::PastHead {
                target: self.to_string(),
                by: level as usize - set.len(),
                head: set.head().id.to_string(),
            })
        } else {
            Ok(level as usize)
        }
    }
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

    fn level(t: &str, current: usize) -> Result<usize, ResolveError> {
        Target::parse(t)
            .unwrap()
            .resolve(&set(&["ae1001", "ae2002", "bb3003", "cc4"]), current)
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
        for t in ["", "+", "-x", "a+b", "a;drop", "+0x1", "head-"] {
            assert!(Target::parse(t).is_err(), "{t}");
        }
    }

    #[test]
    fn targets_print_as_they_parse() {
        for t in ["head", "base", "+2", "-1", "ae10+2", "head-1", "current"] {
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
