//! The in-memory form of one revision file.
//!
//! Every field is a `Cow<'static, _>` so that the same type serves revisions
//! embedded by the macro (borrowed from `static` data, built in const context)
//! and revisions loaded from a directory at run time (owned).

use std::borrow::Cow;

use sha2::{Digest, Sha256};

/// One section (upgrade or downgrade) of a revision file.
///
/// # Examples
///
/// ```
/// let text = "-- Revision ID: a\n-- Revises:\n\n-- migrate:upgrade\nCREATE TABLE t ();\n\n-- migrate:downgrade\n-- nothing to do\n";
/// let r = schema_core::parse_revision("a.sql", text).unwrap();
/// assert_eq!((r.upgrade.line, r.upgrade.is_empty()), (5, false));
/// assert!(r.downgrade.unwrap().is_empty(), "comments only");
/// ```
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
///
/// # Examples
///
/// ```
/// let text = "-- Revision ID: a\n-- Revises:\n-- Options: non-transactional, irreversible\n\n\
///             -- migrate:upgrade\nCREATE INDEX CONCURRENTLY i ON t (c);\n";
/// let r = schema_core::parse_revision("a.sql", text).unwrap();
/// assert_eq!(r.options, schema_core::Options { non_transactional: true, irreversible: true });
/// assert!(r.downgrade.is_none());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Options {
    /// `non-transactional`: run statement by statement outside a transaction.
    pub non_transactional: bool,
    /// `irreversible`: there is no downgrade section.
    pub irreversible: bool,
}

/// What a revision file is written in.
///
/// ```
/// use schema_core::{parse_revision, Language};
///
/// let rust = "// Revision ID: a1\n// Revises:\n\npub async fn upgrade() {}\npub async fn downgrade() {}\n";
/// assert_eq!(parse_revision("a1.rs", rust).unwrap().language, Language::Rust);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Language {
    /// A `.sql` file: two sections of SQL.
    #[default]
    Sql,
    /// A `.rs` file: `upgrade` and `downgrade` async functions, compiled
    /// into the application by `migrations!()` (see `docs/FORMAT.md`).
    Rust,
}

/// The compiled functions of a Rust revision, as `migrations!()` embeds
/// them: the runtime knows their type (`schema_runtime`'s `RustRevision`);
/// the file format and the graph do not need to.
///
/// ```
/// use schema_core::Code;
///
/// static FUNCTIONS: u8 = 0;
/// let code = Code(&FUNCTIONS);
/// assert_eq!(code, code);
/// assert!(code.0.downcast_ref::<u8>().is_some());
/// ```
#[derive(Clone, Copy)]
pub struct Code(pub &'static (dyn std::any::Any + Send + Sync));

impl std::fmt::Debug for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Code(..)")
    }
}

impl PartialEq for Code {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::addr_eq(self.0, other.0)
    }
}

impl Eq for Code {}

/// One revision: its header, its two sections and where it came from.
///
/// # Examples
///
/// ```
/// let text = "-- Merge\n--\n-- Revision ID: m\n-- Revises: a, b\n\n\
///             -- migrate:upgrade\n\n-- migrate:downgrade\n";
/// let r = schema_core::parse_revision("m.sql", text).unwrap();
/// assert!(r.is_merge());
/// assert_eq!(r.display_message(), "Merge");
/// assert_eq!(r.checksum_hex(), schema_core::hex(&schema_core::checksum(&r.upgrade.sql)));
/// ```
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
    /// What the file is written in. For [`Language::Rust`], the sections
    /// hold no SQL: their lines are those of the `upgrade` and `downgrade`
    /// functions, and the checksum is of the whole file.
    pub language: Language,
    /// A Rust revision's compiled functions, when `migrations!()` embedded
    /// them; `None` for SQL revisions and for Rust revisions read from files
    /// at run time (which cannot run).
    pub code: Option<Code>,
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
///
/// # Examples
///
/// ```
/// use schema_core::{checksum, checksum_bytes};
///
/// assert_eq!(checksum("SELECT 1;\n"), checksum_bytes(b"SELECT 1;\n"));
/// assert_ne!(checksum("SELECT 1;\n"), checksum("SELECT 1;"));
/// ```
pub fn checksum(upgrade_sql: &str) -> [u8; 32] {
    checksum_bytes(upgrade_sql.as_bytes())
}

/// SHA-256 of any bytes.
///
/// # Examples
///
/// ```
/// let digest = schema_core::checksum_bytes(b"");
/// assert_eq!(
///     schema_core::hex(&digest),
///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// ```
pub fn checksum_bytes(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Lowercase hex of a byte string.
///
/// # Examples
///
/// ```
/// assert_eq!(schema_core::hex(&[0x00, 0xab, 0x7f]), "00ab7f");
/// ```
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    s
}

/// The revisions `migrations!()` embeds, as flat columns of literals: entry
/// `i` of each per-revision column belongs to the revision at position `i`
/// (application order). rustc checks a few long arrays of plain literals far
/// faster than one struct literal (or nested slice) per revision, which is
/// what keeps a crate that embeds ten thousand revisions quick to build;
/// [`Embedded::revision`] assembles the revisions when the set is first used.
///
/// # Examples
///
/// ```
/// use schema_core::{Embedded, MigrationSet};
///
/// static COLUMNS: Embedded = Embedded {
///     ids: &["a"], lists: &[], list_ends: &[0, 0, 0], messages: &["Create t"],
///     create_dates: &[""], flags: &[0], upgrades: &["CREATE TABLE t ();\n"],
///     downgrades: &["DROP TABLE t;\n"], checksums: &[0; 32], paths: &["migrations/a.sql"],
///     lines: &[3, 4, 0, 0, 6, 9],
///     code: &[],
/// };
/// assert_eq!((COLUMNS.len(), COLUMNS.is_empty()), (1, false));
/// assert_eq!(COLUMNS.revision(0).downgrade.unwrap().line, 9);
/// static SET: MigrationSet = MigrationSet::embedded(&COLUMNS);
/// assert_eq!(SET.head().message, "Create t");
/// ```
#[derive(Debug)]
pub struct Embedded {
    /// [`Revision::id`], per revision.
    pub ids: &'static [&'static str],
    /// Every revision's [`Revision::down_revisions`], then its
    /// [`Revision::branch_labels`], then its [`Revision::depends_on`], one
    /// revision after the other.
    pub lists: &'static [&'static str],
    /// Per revision, where each of its three lists ends in `lists`.
    pub list_ends: &'static [u32],
    /// [`Revision::message`], per revision.
    pub messages: &'static [&'static str],
    /// [`Revision::create_date`], per revision (empty when absent).
    pub create_dates: &'static [&'static str],
    /// Per revision: bit 0 non-transactional, bit 1 irreversible (and so no
    /// downgrade section), bit 2 a `Create Date` is present, bit 3 written
    /// in Rust.
    pub flags: &'static [u8],
    /// The upgrade section's SQL, per revision.
    pub upgrades: &'static [&'static str],
    /// The downgrade section's SQL, per revision (empty when irreversible).
    pub downgrades: &'static [&'static str],
    /// [`Revision::checksum`]: 32 bytes per revision.
    pub checksums: &'static [u8],
    /// [`Revision::path`], per revision.
    pub paths: &'static [&'static str],
    /// Six per revision: the lines of the `Revision ID`, `Revises`, `Branch
    /// Labels` and `Depends On` keys, and of the upgrade and downgrade
    /// sections.
    pub lines: &'static [u32],
    /// The Rust revisions' compiled functions, by position, in increasing
    /// position order (only Rust revisions have an entry).
    pub code: &'static [(u32, Code)],
}

impl Embedded {
    /// Revision `i`, borrowing its text from the embedded columns.
    pub fn revision(&self, i: usize) -> Revision {
        let start = if i == 0 { 0 } else { self.list_ends[3 * i - 1] };
        let ends = &self.list_ends[3 * i..3 * i + 3];
        let list = |from: u32, to: u32| -> Cow<'static, [Cow<'static, str>]> {
            let items = &self.lists[from as usize..to as usize];
            if items.is_empty() {
                Cow::Borrowed(&[])
            } else {
                Cow::Owned(items.iter().map(|s| Cow::Borrowed(*s)).collect())
            }
        };
        let flags = self.flags[i];
        let lines = &self.lines[6 * i..6 * i + 6];
        let mut checksum = [0; 32];
        checksum.copy_from_slice(&self.checksums[32 * i..32 * i + 32]);
        Revision {
            id: Cow::Borrowed(self.ids[i]),
            down_revisions: list(start, ends[0]),
            branch_labels: list(ends[0], ends[1]),
            depends_on: list(ends[1], ends[2]),
            message: Cow::Borrowed(self.messages[i]),
            create_date: (flags & 4 != 0).then_some(Cow::Borrowed(self.create_dates[i])),
            options: Options {
                non_transactional: flags & 1 != 0,
                irreversible: flags & 2 != 0,
            },
            upgrade: Section {
                sql: Cow::Borrowed(self.upgrades[i]),
                line: lines[4],
            },
            downgrade: (flags & 2 == 0).then_some(Section {
                sql: Cow::Borrowed(self.downgrades[i]),
                line: lines[5],
            }),
            checksum,
            path: Cow::Borrowed(self.paths[i]),
            id_line: lines[0],
            revises_line: lines[1],
            branch_labels_line: lines[2],
            depends_on_line: lines[3],
            language: if flags & 8 != 0 {
                Language::Rust
            } else {
                Language::Sql
            },
            code: self
                .code
                .binary_search_by_key(&(i as u32), |(at, _)| *at)
                .ok()
                .map(|k| self.code[k].1),
        }
    }

    /// How many revisions the columns hold.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether the columns are empty (never, for what the macro embeds).
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
}

/// The columns of [`Embedded`] for a set of revisions, built at compile time
/// by the macro, which writes each as an array literal.
///
/// # Examples
///
/// ```
/// let text = "-- Revision ID: b\n-- Revises: a\n-- Depends On: x\n\n\
///             -- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\n";
/// let r = schema_core::parse_revision("b.sql", text).unwrap();
/// let c = schema_core::Columns::of(std::slice::from_ref(&r));
/// assert_eq!(c.ids, ["b"]);
/// // Revises, then branch labels, then dependencies, each list's end recorded.
/// assert_eq!((c.lists, c.list_ends), (vec!["a", "x"], vec![1, 1, 2]));
/// ```
#[derive(Debug, Default)]
pub struct Columns<'a> {
    /// [`Embedded::ids`].
    pub ids: Vec<&'a str>,
    /// [`Embedded::lists`].
    pub lists: Vec<&'a str>,
    /// [`Embedded::list_ends`].
    pub list_ends: Vec<u32>,
    /// [`Embedded::messages`].
    pub messages: Vec<&'a str>,
    /// [`Embedded::create_dates`].
    pub create_dates: Vec<&'a str>,
    /// [`Embedded::flags`].
    pub flags: Vec<u8>,
    /// [`Embedded::upgrades`].
    pub upgrades: Vec<&'a str>,
    /// [`Embedded::downgrades`].
    pub downgrades: Vec<&'a str>,
    /// [`Embedded::checksums`].
    pub checksums: Vec<u8>,
    /// [`Embedded::paths`].
    pub paths: Vec<&'a str>,
    /// [`Embedded::lines`].
    pub lines: Vec<u32>,
}

impl<'a> Columns<'a> {
    /// The columns of `revisions`, in their order.
    pub fn of(revisions: &'a [Revision]) -> Self {
        let mut c = Columns::default();
        for r in revisions {
            c.ids.push(&r.id);
            for list in [&r.down_revisions, &r.branch_labels, &r.depends_on] {
                c.lists.extend(list.iter().map(|s| &**s));
                c.list_ends
                    .push(u32::try_from(c.lists.len()).expect("fewer than 2^32 ids"));
            }
            c.messages.push(&r.message);
            c.create_dates.push(r.create_date.as_deref().unwrap_or(""));
            c.flags.push(
                u8::from(r.options.non_transactional)
                    | (u8::from(r.options.irreversible) << 1)
                    | (u8::from(r.create_date.is_some()) << 2)
                    | (u8::from(r.language == Language::Rust) << 3),
            );
            c.upgrades.push(&r.upgrade.sql);
            c.downgrades
                .push(r.downgrade.as_ref().map_or("", |d| &*d.sql));
            c.checksums.extend(r.checksum);
            c.paths.push(&r.path);
            c.lines.extend([
                r.id_line,
                r.revises_line,
                r.branch_labels_line,
                r.depends_on_line,
                r.upgrade.line,
                r.downgrade.as_ref().map_or(0, |d| d.line),
            ]);
        }
        c
    }
}

/// The set a `migrations!()` module embeds; the module implements it once,
/// and every revision type of the module names it.
///
/// # Examples
///
/// What `migrations!()` writes for its module, by hand:
///
/// ```
/// # use schema_core::{Embedded, MigrationSet};
/// # static COLUMNS: Embedded = Embedded {
/// #     ids: &["a"], lists: &[], list_ends: &[0, 0, 0], messages: &["Create t"],
/// #     create_dates: &[""], flags: &[0], upgrades: &["CREATE TABLE t ();\n"],
/// #     downgrades: &["DROP TABLE t;\n"], checksums: &[0; 32], paths: &["migrations/a.sql"],
/// #     lines: &[3, 4, 0, 0, 6, 9],
/// #     code: &[],
/// # };
/// use schema_core::EmbeddedSet;
///
/// static SET: MigrationSet = MigrationSet::embedded(&COLUMNS);
/// enum Module {}
/// impl EmbeddedSet for Module {
///     fn set() -> &'static MigrationSet {
///         &SET
///     }
/// }
/// assert_eq!(Module::set().head().id, "a");
/// ```
pub trait EmbeddedSet: 'static {
    /// The module's `SET`.
    fn set() -> &'static crate::graph::MigrationSet;
}

/// The `SET` of a `migrations!()` module: its [`MigrationSet`](crate::MigrationSet),
/// typed by the module, so that a migrator built from it takes the module's
/// typed revisions as targets and no other module's.
///
/// It dereferences to the [`MigrationSet`](crate::MigrationSet), so
/// `&migrations::SET` goes wherever a `&MigrationSet` is expected.
///
/// # Examples
///
/// ```
/// # use schema_core::{Embedded, MigrationSet};
/// # static COLUMNS: Embedded = Embedded {
/// #     ids: &["a"], lists: &[], list_ends: &[0, 0, 0], messages: &["Create t"],
/// #     create_dates: &[""], flags: &[0], upgrades: &["CREATE TABLE t ();\n"],
/// #     downgrades: &["DROP TABLE t;\n"], checksums: &[0; 32], paths: &["migrations/a.sql"],
/// #     lines: &[3, 4, 0, 0, 6, 9],
/// #     code: &[],
/// # };
/// # use schema_core::TypedSet;
/// # enum Module {}
/// # static SET: TypedSet<Module> = TypedSet::new(MigrationSet::embedded(&COLUMNS));
/// // `SET` is the `migrations::SET` of a `migrations!()` module.
/// fn heads(set: &MigrationSet) -> usize {
///     set.heads().len()
/// }
/// assert_eq!(heads(&SET), 1);
/// assert_eq!(SET.base().id, "a");
/// ```
pub struct TypedSet<S> {
    set: crate::graph::MigrationSet,
    module: std::marker::PhantomData<fn() -> S>,
}

impl<S> TypedSet<S> {
    /// Types `set` by the module marker `S`; used by `migrations!()`.
    #[doc(hidden)]
    pub const fn new(set: crate::graph::MigrationSet) -> Self {
        TypedSet {
            set,
            module: std::marker::PhantomData,
        }
    }
}

impl<S> std::ops::Deref for TypedSet<S> {
    type Target = crate::graph::MigrationSet;
    fn deref(&self) -> &crate::graph::MigrationSet {
        &self.set
    }
}

impl<S> std::fmt::Debug for TypedSet<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.set.fmt(f)
    }
}

/// The module marker of a set read from files at run time: no typed
/// revision belongs to it, so its migrators take targets as text or
/// [`Target`](crate::Target)s only.
///
/// # Examples
///
/// ```
/// use schema_core::{Loaded, SetSource};
///
/// fn read_at_run_time<T: SetSource<Module = Loaded>>(set: &T) -> usize {
///     set.migration_set().len()
/// }
/// let set = schema_core::load_dir("../migrations".as_ref(), "migrations")?;
/// assert!(read_at_run_time(&set) > 0);
/// # Ok::<(), schema_core::Diagnostics>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Loaded {}

/// What a migrator can be built from: a [`MigrationSet`](crate::MigrationSet)
/// (module [`Loaded`]) or a `migrations!()` module's [`TypedSet`] (that
/// module). The module decides which typed revisions the migrator accepts.
///
/// # Examples
///
/// ```
/// use schema_core::SetSource;
///
/// fn head_id<T: SetSource + ?Sized>(set: &T) -> String {
///     set.migration_set().head().id.to_string()
/// }
/// let set = schema_core::load_dir("../migrations".as_ref(), "migrations")?;
/// assert_eq!(head_id(&set), set.head().id);
/// # Ok::<(), schema_core::Diagnostics>(())
/// ```
pub trait SetSource {
    /// The module marker the set belongs to.
    type Module: 'static;
    /// The set itself.
    fn migration_set(&self) -> &crate::graph::MigrationSet;
}

impl SetSource for crate::graph::MigrationSet {
    type Module = Loaded;
    fn migration_set(&self) -> &crate::graph::MigrationSet {
        self
    }
}

impl<S: 'static> SetSource for TypedSet<S> {
    type Module = S;
    fn migration_set(&self) -> &crate::graph::MigrationSet {
        &self.set
    }
}

/// A revision embedded by `migrations!()`: one unit struct per revision file.
///
/// The structs are values as well as types, so a target can be written as
/// `migrations::AddZones` and a typo is a compile error.
///
/// # Examples
///
/// What `migrations!()` writes for one revision, by hand:
///
/// ```
/// # use schema_core::{Embedded, MigrationSet};
/// # static COLUMNS: Embedded = Embedded {
/// #     ids: &["a"], lists: &[], list_ends: &[0, 0, 0], messages: &["Create t"],
/// #     create_dates: &[""], flags: &[0], upgrades: &["CREATE TABLE t ();\n"],
/// #     downgrades: &["DROP TABLE t;\n"], checksums: &[0; 32], paths: &["migrations/a.sql"],
/// #     lines: &[3, 4, 0, 0, 6, 9],
/// #     code: &[],
/// # };
/// # use schema_core::EmbeddedSet;
/// # static SET: MigrationSet = MigrationSet::embedded(&COLUMNS);
/// # enum Module {}
/// # impl EmbeddedSet for Module { fn set() -> &'static MigrationSet { &SET } }
/// use schema_core::Migration;
///
/// struct CreateT;
/// impl Migration for CreateT {
///     const POSITION: usize = 0;
///     type Set = Module;
/// }
/// assert_eq!(CreateT.id(), "a");
/// assert_eq!(CreateT.revision().message, "Create t");
/// ```
pub trait Migration: Sized + 'static {
    /// The position of the revision in its set (0 = base).
    const POSITION: usize;
    /// The module that holds the set.
    type Set: EmbeddedSet;

    /// The revision this type stands for.
    fn revision(&self) -> &'static Revision {
        &<Self::Set as EmbeddedSet>::set().revisions()[Self::POSITION]
    }

    /// The revision id.
    fn id(&self) -> &'static str {
        &self.revision().id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leak<T: Clone>(v: &[T]) -> &'static [T] {
        Vec::leak(v.to_vec())
    }

    #[test]
    fn embedded_columns_give_back_every_revision_as_parsed() {
        let files = [
            ("a.sql", "-- Revision a\n--\n-- Revision ID: a\n-- Revises:\n-- Create Date: 2026-01-01\n\n-- migrate:upgrade\nCREATE TABLE a ();\n-- migrate:downgrade\nDROP TABLE a;\n"),
            ("b.sql", "-- Revision ID: b\n-- Revises: a\n-- Branch Labels: left, l2\n-- Options: non-transactional\n-- migrate:upgrade\nCREATE INDEX CONCURRENTLY i ON a ();\n-- migrate:downgrade\n"),
            ("c.sql", "-- Revision ID: c\n-- Revises: a\n-- Depends On: b\n-- Options: irreversible\n-- migrate:upgrade\nSELECT 1;\n"),
            ("m.sql", "-- merge\n--\n-- Revision ID: m\n-- Revises: b, c\n-- migrate:upgrade\n-- migrate:downgrade\n"),
        ];
        let revisions: Vec<Revision> = files
            .iter()
            .map(|(path, text)| crate::parse_revision(path, text).unwrap())
            .collect();
        let c = Columns::of(&revisions);
        let strs = |v: &[&str]| -> &'static [&'static str] {
            leak(&v.iter().map(|s| &*s.to_string().leak()).collect::<Vec<_>>())
        };
        let embedded = Embedded {
            ids: strs(&c.ids),
            lists: strs(&c.lists),
            list_ends: leak(&c.list_ends),
            messages: strs(&c.messages),
            create_dates: strs(&c.create_dates),
            flags: leak(&c.flags),
            upgrades: strs(&c.upgrades),
            downgrades: strs(&c.downgrades),
            checksums: leak(&c.checksums),
            paths: strs(&c.paths),
            lines: leak(&c.lines),
            code: &[],
        };
        assert_eq!(embedded.len(), 4);
        for (i, r) in revisions.iter().enumerate() {
            assert_eq!(&embedded.revision(i), r, "revision {}", r.id);
        }
    }

    #[test]
    fn hex_is_two_lowercase_digits_per_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff, 0x10]), "000fa5ff10");
        assert_eq!(hex(&[]), "");
    }
}
