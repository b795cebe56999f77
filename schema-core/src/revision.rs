//! The in-memory form of one revision file.
//!
//! Every field is a `Cow<'static, _>` so that the same type serves revisions
//! embedded by the macro (borrowed from `static` data, built in const context)
//! and revisions loaded from a directory at run time (owned).

use std::borrow::Cow;

use sha2::{Digest, Sha256};

/// One section (upgrade or downgrade) of a revision file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// The SQL exactly as it stands in the file, between its marker and the next.
    pub sql: Cow<'static, str>,
    /// The 1-based line of the file on which `sql` starts (column 1).
    pub line: u32,
}

impl Section {
    /// Whether the section holds nothing but whitespace and comments.
    pub fn is_empty(&self) -> bool {
        crate::sql::split_statements(&self.sql).is_empty()
    }
}

/// Per-revision options, from the header's `Options:` key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Options {
    /// `non-transactional`: run statement by statement outside a transaction.
    pub non_transactional: bool,
    /// `irreversible`: there is no downgrade section.
    pub irreversible: bool,
}

/// One revision: its header, its two sections and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// The `Revision ID`.
    pub id: Cow<'static, str>,
    /// The `Revises` ids: empty for the base, one for an ordinary revision,
    /// several for a merge revision.
    pub down_revisions: Cow<'static, [Cow<'static, str>]>,
    /// The `Branch Labels`: names for the branch this revision starts.
    pub branch_labels: Cow<'static, [Cow<'static, str>]>,
    /// The `Depends On` ids: revisions applied before this one that are not its parents.
    pub depends_on: Cow<'static, [Cow<'static, str>]>,
    /// The message (first paragraph of the header); may be empty.
    pub message: Cow<'static, str>,
    /// The `Create Date`, as written.
    pub create_date: Option<Cow<'static, str>>,
    /// The `Options`.
    pub options: Options,
    /// The upgrade section.
    pub upgrade: Section,
    /// The downgrade section; `None` exactly when the revision is irreversible.
    pub downgrade: Option<Section>,
    /// SHA-256 of the upgrade section (see `docs/FORMAT.md`).
    pub checksum: [u8; 32],
    /// The file, as shown in messages (relative to the crate or working directory).
    pub path: Cow<'static, str>,
    /// The 1-based line of the `Revision ID` key, where messages about the
    /// revision as a whole point.
    pub id_line: u32,
    /// The 1-based line of the `Revises` key.
    pub revises_line: u32,
    /// The 1-based line of the `Branch Labels` key (0 when absent).
    pub branch_labels_line: u32,
    /// The 1-based line of the `Depends On` key (0 when absent).
    pub depends_on_line: u32,
}

impl Revision {
    /// The checksum as 64 lowercase hex digits.
    pub fn checksum_hex(&self) -> String {
        hex(&self.checksum)
    }

    /// Whether this is a merge revision (it revises several parents).
    pub fn is_merge(&self) -> bool {
        self.down_revisions.len() > 1
    }

    /// The message, or `<no message>` when the header has none.
    pub fn display_message(&self) -> &str {
        if self.message.is_empty() {
            "<no message>"
        } else {
            &self.message
        }
    }
}

/// SHA-256 of a revision's upgrade section, as stored in [`Revision::checksum`].
pub fn checksum(upgrade_sql: &str) -> [u8; 32] {
    Sha256::digest(upgrade_sql.as_bytes()).into()
}

/// Lowercase hex of a byte string.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// A revision embedded by `migrations!()`: one unit struct per revision file.
///
/// The structs are values as well as types, so a target can be written as
/// `migrations::AddZones` and a typo is a compile error.
pub trait Migration: Copy + 'static {
    /// The revision this type stands for.
    const REVISION: &'static Revision;

    /// The revision id.
    fn id(self) -> &'static str {
        &Self::REVISION.id
    }

    /// The revision this type stands for.
    fn revision(self) -> &'static Revision {
        Self::REVISION
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_two_lowercase_digits_per_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff, 0x10]), "000fa5ff10");
        assert_eq!(hex(&[]), "");
    }
}
