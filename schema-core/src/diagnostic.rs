//! Errors about revision files and chains, rendered like cargo's diagnostics.
//!
//! Each [`Diagnostic`] says what went wrong ([`ErrorKind`]), where (one or more
//! [`Location`]s, `path:line` with the offending line), and what to do (`help`).
//! The macro puts the same rendered text into its compile error that the CLI
//! prints, so a user reads the same words in both places.

use std::fmt;

/// What is wrong with a revision file or with the chain.
///
/// # Examples
///
/// ```
/// use schema_core::{parse_revision, ErrorKind};
///
/// let errors = parse_revision("a.sql", "-- Revises:\n\n-- migrate:upgrade\nSELECT 1;\n").unwrap_err();
/// assert!(errors.iter().any(|d| matches!(d.kind, ErrorKind::MissingKey { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be read.
    #[error("cannot read {path}: {reason}")]
    Io {
        /// The file or directory.
        path: String,
        /// The operating system's message.
        reason: String,
    },
    /// A revision file that is not valid UTF-8.
    #[error("the file is not UTF-8: invalid byte at line {line}, column {column}")]
    NotUtf8 {
        /// The file.
        path: String,
        /// 1-based line of the first invalid byte.
        line: u32,
        /// 1-based byte column of the first invalid byte.
        column: u32,
    },
    /// The directory holds no revision file.
    #[error("no revision files in {dir}")]
    Empty {
        /// The directory.
        dir: String,
    },
    /// A header line that is neither part of the message nor `Key: value`.
    #[error("malformed header line: expected `Key: value`")]
    MalformedHeader,
    /// A header key that the format does not define.
    #[error("unknown header key `{key}`")]
    UnknownKey {
        /// The key as written.
        key: String,
    },
    /// A header key given twice.
    #[error("header key `{key}` is given twice")]
    DuplicateKey {
        /// The key.
        key: String,
    },
    /// A required header key is absent.
    #[error("the header has no `{key}:` line")]
    MissingKey {
        /// The key.
        key: &'static str,
    },
    /// A revision id that breaks the id rules.
    #[error("{}", invalid("revision id", id, reason))]
    InvalidId {
        /// The id as written.
        id: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// A branch label that breaks the id rules (labels follow them too).
    #[error("{}", invalid("branch label", label, reason))]
    InvalidLabel {
        /// The label as written.
        label: String,
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// An option that the format does not define.
    #[error("unknown option `{option}`")]
    UnknownOption {
        /// The option as written.
        option: String,
    },
    /// A `-- migrate:` line that is not one of the two markers.
    #[error("unknown section marker `{marker}`")]
    UnknownMarker {
        /// The marker as written.
        marker: String,
    },
    /// SQL between the header and `-- migrate:upgrade`.
    #[error("SQL before the `-- migrate:upgrade` marker")]
    SqlBeforeUpgrade,
    /// `-- migrate:downgrade` before `-- migrate:upgrade`.
    #[error("section marker `{marker}` comes before `-- migrate:upgrade`")]
    MisplacedMarker {
        /// The marker.
        marker: &'static str,
    },
    /// A section marker given twice.
    #[error("section marker `{marker}` is given twice")]
    RepeatedMarker {
        /// The marker.
        marker: &'static str,
    },
    /// No `-- migrate:upgrade` marker.
    #[error("missing upgrade section")]
    MissingUpgrade,
    /// No `-- migrate:downgrade` marker in a reversible revision.
    #[error("missing downgrade section")]
    MissingDowngrade,
    /// An irreversible revision with a downgrade section.
    #[error("irreversible revision has a downgrade section")]
    DowngradeOnIrreversible,
    /// A list header (`Revises`, `Branch Labels`, `Depends On`) names an item twice.
    #[error("`{key}` names `{item}` twice")]
    RepeatedItem {
        /// The key.
        key: &'static str,
        /// The repeated item.
        item: String,
    },
    /// A transaction-control statement (`BEGIN`, `COMMIT`, `ROLLBACK`, ...) at
    /// the top level of a transactional revision's section.
    #[error("`{statement}` in the {section} section of a transactional revision")]
    TransactionControl {
        /// `upgrade` or `downgrade`.
        section: &'static str,
        /// The statement, shortened.
        statement: String,
    },
    /// A statement that changes a setting deciding how the server reads SQL
    /// (`standard_conforming_strings`, `client_encoding`).
    #[error(
        "`{statement}` changes `{setting}`, which decides how the server reads the SQL after it"
    )]
    LexingSetting {
        /// The setting.
        setting: &'static str,
        /// The statement, shortened.
        statement: String,
    },
    /// A statement whose data or notifications go through the client
    /// (`COPY ... FROM STDIN`, `COPY ... TO STDOUT`, `LISTEN`).
    #[error(
        "`{statement}`: {what} needs a client that takes part in it, and the migrator does not"
    )]
    ClientProtocol {
        /// Which kind of statement.
        what: &'static str,
        /// The statement, shortened.
        statement: String,
    },
    /// Two files carry the same id.
    #[error("duplicate revision id `{id}`")]
    DuplicateId {
        /// The id.
        id: String,
    },
    /// `Revises` names a revision that does not exist.
    #[error("revision `{id}` revises `{missing}`, which does not exist (a gap in the chain)")]
    Gap {
        /// The revision with the dangling `Revises`.
        id: String,
        /// The id it names.
        missing: String,
    },
    /// More than one revision has no parent.
    #[error("the chain has {} bases: {}", ids.len(), list(ids))]
    MultipleBases {
        /// The bases, in file order.
        ids: Vec<String>,
    },
    /// `Depends On` names a revision that does not exist.
    #[error("revision `{id}` depends on `{missing}`, which does not exist")]
    UnknownDependency {
        /// The revision with the dangling `Depends On`.
        id: String,
        /// The id it names.
        missing: String,
    },
    /// Two revisions declare the same branch label.
    #[error("branch label `{label}` is declared by {} revisions: {}", ids.len(), list(ids))]
    DuplicateLabel {
        /// The label.
        label: String,
        /// The revisions that declare it.
        ids: Vec<String>,
    },
    /// A branch label that is also a revision id.
    #[error("branch label `{label}` is also the id of a revision")]
    LabelIsId {
        /// The label.
        label: String,
    },
    /// Branches that never merge: the chain has several heads.
    #[error("the chain has {} heads: {}{}; a deployable chain has exactly one", heads.len(), list(heads), fork.as_ref().map(|f| format!(", which branch off at `{f}` and never merge")).unwrap_or_default())]
    UnmergedHeads {
        /// The heads, in order.
        heads: Vec<String>,
        /// The latest revision every head descends from, if there is one.
        fork: Option<String>,
    },
    /// Following `Revises` (or `Depends On`) comes back to where it started.
    #[error("cycle: {}", cycle_path(ids))]
    Cycle {
        /// The revisions of the cycle, each revising (or depending on) the next.
        ids: Vec<String>,
    },
}

fn list(ids: &[String]) -> String {
    let quoted: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
    match quoted.len() {
        0 => String::new(),
        1 => quoted[0].clone(),
        n => format!("{} and {}", quoted[..n - 1].join(", "), quoted[n - 1]),
    }
}

fn invalid(what: &str, value: &str, reason: &str) -> String {
    if value.is_empty() {
        format!("empty {what}")
    } else {
        format!("invalid {what} `{value}`: {reason}")
    }
}

fn cycle_path(ids: &[String]) -> String {
    let mut s: Vec<String> = ids.iter().map(|id| format!("`{id}`")).collect();
    if let Some(first) = ids.first() {
        s.push(format!("`{first}`"));
    }
    format!("{} (each revises or depends on the next)", s.join(" -> "))
}

/// A place in a revision file.
///
/// # Examples
///
/// ```
/// use schema_core::Location;
///
/// let at = Location::new("migrations/a.sql", 3, Some("-- Revises: b")).labelled("the parent");
/// assert_eq!((at.line, at.label.as_deref()), (3, Some("the parent")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// The file, as shown to the user.
    pub path: String,
    /// 1-based line; 0 when the message is about the file as a whole.
    pub line: u32,
    /// The text of that line, shown under the location.
    pub text: Option<String>,
    /// What this location is (`the common parent`, ...).
    pub label: Option<String>,
}

impl Location {
    /// A location in `path` at `line`, showing `text`.
    pub fn new(path: impl Into<String>, line: u32, text: Option<&str>) -> Self {
        Location {
            path: path.into(),
            line,
            text: text.map(str::to_owned),
            label: None,
        }
    }

    /// The same location with a label.
    pub fn labelled(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}

/// One error: what, where, and what to do.
///
/// # Examples
///
/// ```
/// use schema_core::{Diagnostic, ErrorKind, Location};
///
/// let d = Diagnostic::new(
///     ErrorKind::MissingUpgrade,
///     Location::new("migrations/a.sql", 0, None),
///     "add a `-- migrate:upgrade` line",
/// );
/// assert!(d.render().starts_with("error: "));
/// assert!(d.to_string().ends_with("= help: add a `-- migrate:upgrade` line"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct Diagnostic {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where; the first location is the primary one.
    pub locations: Vec<Location>,
    /// What to do about it.
    pub help: String,
}

impl Diagnostic {
    /// A diagnostic with one location.
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_core::{Diagnostic, ErrorKind, Location};
    ///
    /// let d = Diagnostic::new(ErrorKind::MissingUpgrade, Location::new("a.sql", 0, None), "add one");
    /// assert_eq!(d.locations.len(), 1);
    /// assert_eq!(d.help, "add one");
    /// ```
    pub fn new(kind: ErrorKind, location: Location, help: impl Into<String>) -> Self {
        Diagnostic {
            kind,
            locations: vec![location],
            help: help.into(),
        }
    }

    /// Renders like cargo: `error: ...`, `--> path:line`, the line, `= help: ...`.
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_core::{Diagnostic, ErrorKind, Location};
    ///
    /// let d = Diagnostic::new(ErrorKind::MissingUpgrade, Location::new("a.sql", 0, None), "add one");
    /// assert_eq!(d.render(), format!("error: {}", d.body()));
    /// ```
    pub fn render(&self) -> String {
        format!("error: {}", self.body())
    }

    /// The rendering without the leading `error: ` (a compiler error adds its own).
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_core::{Diagnostic, ErrorKind, Location};
    ///
    /// let d = Diagnostic::new(ErrorKind::MissingUpgrade, Location::new("a.sql", 0, None), "add one");
    /// assert!(d.body().starts_with(&ErrorKind::MissingUpgrade.to_string()));
    /// assert!(d.body().contains("--> a.sql"));
    /// ```
    pub fn body(&self) -> String {
        self.message().draw()
    }

    /// The diagnostic as a [`Message`](crate::render::Message), to draw or
    /// to extend.
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_core::{Diagnostic, ErrorKind, Location};
    ///
    /// let d = Diagnostic::new(ErrorKind::MissingUpgrade, Location::new("a.sql", 0, None), "add one");
    /// let m = d.message().note("note", "the file was skipped");
    /// assert_eq!(m.pointers[0].path, "a.sql");
    /// assert_eq!(m.notes.len(), 2);
    /// ```
    pub fn message(&self) -> crate::render::Message {
        let mut m = crate::render::Message::new(self.kind.to_string());
        for loc in &self.locations {
            m = m.at(crate::render::Pointer {
                path: loc.path.clone(),
                line: loc.line,
                column: None,
                text: loc.text.clone(),
                label: loc.label.clone(),
            });
        }
        m.note("help", self.help.as_str())
    }
}

/// Every error found in a directory, in file order.
///
/// # Examples
///
/// ```
/// use schema_core::{check, parse_revision};
///
/// let text = "-- Revision ID: a\n-- Revises: gone\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n";
/// let errors = check(vec![parse_revision("a.sql", text).unwrap()], "migrations").unwrap_err();
/// assert!(!errors.0.is_empty());
/// assert!(errors.to_string().starts_with("error: "));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("\n\n")?;
            }
            f.write_str(&d.render())?;
        }
        if self.0.len() > 1 {
            write!(
                f,
                "\n\nerror: the revision chain has {} errors",
                self.0.len()
            )?;
        }
        Ok(())
    }
}

impl Diagnostics {
    /// The kinds of the errors, in order (handy in tests).
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_core::{check, ErrorKind};
    ///
    /// let errors = check(Vec::new(), "migrations").unwrap_err();
    /// assert!(matches!(errors.kinds()[..], [ErrorKind::Empty { .. }]));
    /// ```
    pub fn kinds(&self) -> Vec<&ErrorKind> {
        self.0.iter().map(|d| &d.kind).collect()
    }
}
