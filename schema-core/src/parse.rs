//! Parsing one revision file (see `docs/FORMAT.md`).
//!
//! [`parse_revision`] reads the header and the two sections of one file and
//! returns every problem it finds in that file, not just the first. Whether the
//! revisions form a chain is [`crate::graph`]'s business.

use std::borrow::Cow;

use crate::diagnostic::{Diagnostic, ErrorKind, Location};
use crate::revision::{checksum, Language, Options, Revision, Section};
use crate::sql::Refusal;

/// The header keys the format defines, in the order `new-revision` writes them.
///
/// ```
/// assert_eq!(schema_core::parse::KEYS[0], "Revision ID");
/// assert!(schema_core::parse::KEYS.contains(&"Depends On"));
/// ```
pub const KEYS: [&str; 6] = [
    "Revision ID",
    "Revises",
    "Create Date",
    "Branch Labels",
    "Depends On",
    "Options",
];

/// The options the format defines.
///
/// ```
/// assert!(schema_core::parse::OPTIONS.contains(&"irreversible"));
/// ```
pub const OPTIONS: [&str; 2] = ["non-transactional", "irreversible"];

/// Words that are targets, never ids.
///
/// ```
/// use schema_core::parse::{validate_id, RESERVED_IDS};
/// assert!(RESERVED_IDS.iter().all(|id| validate_id(id).is_err()));
/// ```
pub const RESERVED_IDS: [&str; 4] = ["head", "heads", "base", "current"];

/// The longest id allowed.
///
/// ```
/// use schema_core::parse::{validate_id, MAX_ID_LEN};
/// assert!(validate_id(&"a".repeat(MAX_ID_LEN)).is_ok());
/// assert!(validate_id(&"a".repeat(MAX_ID_LEN + 1)).is_err());
/// ```
pub const MAX_ID_LEN: usize = 32;

/// The upgrade marker line.
///
/// ```
/// let text = format!("-- Revision ID: a1\n-- Revises:\n{}\nSELECT 1;\n{}\nSELECT 2;\n",
///     schema_core::parse::UPGRADE_MARKER, schema_core::parse::DOWNGRADE_MARKER);
/// assert_eq!(schema_core::parse_revision("a1.sql", &text).unwrap().upgrade.sql, "SELECT 1;\n");
/// ```
pub const UPGRADE_MARKER: &str = "-- migrate:upgrade";
/// The downgrade marker line.
///
/// ```
/// assert_eq!(schema_core::parse::DOWNGRADE_MARKER, "-- migrate:downgrade");
/// ```
pub const DOWNGRADE_MARKER: &str = "-- migrate:downgrade";

/// Checks one id against the id rules; the error names the rule broken.
///
/// # Examples
///
/// ```
/// use schema_core::parse::validate_id;
///
/// assert_eq!(validate_id("968b0dff6a9b"), Ok(()));
/// assert_eq!(validate_id("add-users"), Err("only ASCII letters, digits and `_` are allowed"));
/// assert!(validate_id("head").is_err());
/// ```
pub fn validate_id(id: &str) -> Result<(), &'static str> {
    if id.is_empty() {
        Err("it is empty")
    } else if id.len() > MAX_ID_LEN {
        Err("it is longer than 32 characters")
    } else if !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Err("only ASCII letters, digits and `_` are allowed")
    } else if RESERVED_IDS.contains(&id) {
        Err("`head`, `heads`, `base` and `current` are reserved for targets")
    } else {
        Ok(())
    }
}

struct Line<'a> {
    /// 1-based.
    number: u32,
    /// Byte offset of the line's start in the text.
    start: usize,
    text: &'a str,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, text_line) in text.split_inclusive('\n').enumerate() {
        out.push(Line {
            number: i as u32 + 1,
            start,
            text: text_line.trim_end_matches('\n'),
        });
        start += text_line.len();
    }
    out
}

/// `Some(rest)` when the line is a `-- migrate:...` marker candidate.
fn marker(line: &str) -> Option<&str> {
    let t = line.trim();
    let rest = t.strip_prefix("--")?.trim_start();
    rest.strip_prefix("migrate:").map(str::trim)
}

fn header_content<'a>(line: &'a str, prefix: &str) -> &'a str {
    let rest = line.strip_prefix(prefix).unwrap_or(line);
    rest.strip_prefix(' ').unwrap_or(rest).trim_end()
}

fn key_value(content: &str) -> Option<(&str, &str)> {
    let (k, v) = content.split_once(':')?;
    Some((k.trim(), v.trim()))
}

fn is_known_key_line(content: &str) -> bool {
    key_value(content).is_some_and(|(k, _)| KEYS.contains(&k))
}

/// The items of a comma-separated header value; empty or `None` is no item.
fn list_items(value: &str) -> Vec<&str> {
    if value.is_empty() || value == "None" {
        Vec::new()
    } else {
        value.split(',').map(str::trim).collect()
    }
}

struct Parser<'a> {
    path: &'a str,
    errors: Vec<Diagnostic>,
}

impl Parser<'_> {
    fn error(&mut self, kind: ErrorKind, line: &Line<'_>, help: impl Into<String>) {
        let loc = Location::new(self.path, line.number, Some(line.text));
        self.errors.push(Diagnostic::new(kind, loc, help));
    }

    /// Reads a comma-separated list of ids (`Revises`, `Depends On`) or labels
    /// (`Branch Labels`), reporting invalid and repeated items.
    fn id_list(
        &mut self,
        key: &'static str,
        value: &str,
        line: &Line<'_>,
        help: &str,
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for item in list_items(value) {
            if let Err(reason) = validate_id(item) {
                let kind = if key == "Branch Labels" {
                    ErrorKind::InvalidLabel {
                        label: item.to_owned(),
                        reason,
                    }
                } else {
                    ErrorKind::InvalidId {
                        id: item.to_owned(),
                        reason,
                    }
                };
                self.error(kind, line, help);
            } else if out.iter().any(|o| o == item) {
                self.error(
                    ErrorKind::RepeatedItem {
                        key,
                        item: item.to_owned(),
                    },
                    line,
                    format!("name `{item}` once in `{key}`"),
                );
            } else {
                out.push(item.to_owned());
            }
        }
        out
    }

    fn file_error(&mut self, kind: ErrorKind, help: impl Into<String>) {
        let loc = Location::new(self.path, 0, None);
        self.errors.push(Diagnostic::new(kind, loc, help));
    }
}

/// Reports the statements that `section` may not hold (see
/// [`crate::sql::refused_statements`]), each at the line of its first token.
fn check_statements(
    p: &mut Parser<'_>,
    lines: &[Line<'_>],
    name: &'static str,
    section: &Section,
    options: Options,
) {
    for refused in crate::sql::refused_statements(&section.sql, !options.non_transactional) {
        let before = &section.sql[..refused.statement.first_token];
        let number = section.line + before.matches('\n').count() as u32;
        let Some(line) = lines.get(number as usize - 1) else {
            continue;
        };
        let statement = refused.summary;
        match refused.refusal {
            Refusal::TransactionControl => p.error(
                ErrorKind::TransactionControl {
                    section: name,
                    statement,
                },
                line,
                "the migrator runs this revision in a transaction of its own, which it commits \
                 with the revision's version-table row, so this statement would commit or abandon \
                 part of the revision while the rest still runs: remove it (`SAVEPOINT`, `RELEASE` \
                 and `ROLLBACK TO SAVEPOINT` are fine), or declare the revision \
                 `-- Options: non-transactional` to run it statement by statement outside a \
                 transaction, where its `BEGIN` and `COMMIT` are its own",
            ),
            Refusal::ClientProtocol(what) => {
                let help = match what {
                    "LISTEN" => {
                        "a revision's session is the migrator's, and notifications to it would arrive in the middle of the run: remove the `LISTEN` (the application listens on its own connections)"
                    }
                    "COPY ... TO STDOUT" => {
                        "the rows would be sent to the migrator, which has nowhere to put them: write them to a table, or `COPY ... TO` a file on the server"
                    }
                    _ => {
                        "the migrator sends each revision as SQL text and has no data stream to give `COPY`: load the rows with `INSERT ... VALUES`, or `COPY ... FROM` a file on the server"
                    }
                };
                p.error(ErrorKind::ClientProtocol { what, statement }, line, help);
            }
            Refusal::LexingSetting(setting) => {
                let help = if setting == "client_encoding" {
                    "revision files are UTF-8 and the migrator's session sends them as UTF-8, \
                     also after this statement: remove it, and convert data with \
                     `convert_to()`/`convert_from()` where it must be in another encoding"
                } else {
                    "the migrator splits sections into statements and maps error positions as \
                     the server reads SQL with `standard_conforming_strings = on`, for the rest of \
                     the session too: remove the statement, and write strings with backslash \
                     escapes as E'...' literals"
                };
                p.error(ErrorKind::LexingSetting { setting, statement }, line, help);
            }
        }
    }
}

/// What a file's header says, and where the header ends.
struct Header {
    end: usize,
    message: String,
    id: Option<(String, u32)>,
    revises: Option<(Vec<String>, u32)>,
    branch_labels: (Vec<String>, u32),
    depends_on: (Vec<String>, u32),
    create_date: Option<String>,
    options: Options,
}

/// Reads the header: the leading lines that start with `prefix` (`--` in a
/// SQL file, `//` in a Rust one), a message paragraph, then `Key: value`
/// lines.
fn header(p: &mut Parser<'_>, lines: &[Line<'_>], prefix: &str) -> Header {
    let path = p.path;
    // The header: the leading comment lines, up to the first marker.
    let header_end = lines
        .iter()
        .position(|l| !l.text.starts_with(prefix) || (prefix == "--" && marker(l.text).is_some()))
        .unwrap_or(lines.len());
    let header = &lines[..header_end];

    let mut i = 0;
    while i < header.len() && header_content(header[i].text, prefix).is_empty() {
        i += 1;
    }
    let mut message_parts = Vec::new();
    while i < header.len() {
        let content = header_content(header[i].text, prefix);
        if content.is_empty() || is_known_key_line(content) {
            break;
        }
        message_parts.push(content.trim());
        i += 1;
    }
    let message = message_parts.join(" ");

    let mut id: Option<(String, u32)> = None;
    let mut revises: Option<(Vec<String>, u32)> = None;
    let mut branch_labels: (Vec<String>, u32) = (Vec::new(), 0);
    let mut depends_on: (Vec<String>, u32) = (Vec::new(), 0);
    let mut create_date: Option<String> = None;
    let mut options = Options::default();
    // Each key given so far, with the line that gives it.
    let mut seen: Vec<(&str, &Line<'_>)> = Vec::new();
    for line in &header[i..] {
        let content = header_content(line.text, prefix);
        if content.is_empty() {
            continue;
        }
        let Some((key, value)) = key_value(content) else {
            p.error(
                ErrorKind::MalformedHeader,
                line,
                format!(
                    "after the message paragraph, every header line is `{prefix} Key: value`; \
                     put free text in the first paragraph or below the header, after a blank line"
                ),
            );
            continue;
        };
        let Some(&known) = KEYS.iter().find(|k| **k == key) else {
            let suggestion = KEYS
                .iter()
                .find(|k| k.eq_ignore_ascii_case(key))
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            p.error(
                ErrorKind::UnknownKey {
                    key: key.to_owned(),
                },
                line,
                format!(
                    "{suggestion}the keys are `Revision ID`, `Revises`, `Create Date`, \
                     `Branch Labels`, `Depends On` and `Options`"
                ),
            );
            continue;
        };
        if let Some((_, first)) = seen.iter().find(|(k, _)| *k == known) {
            p.errors.push(Diagnostic {
                kind: ErrorKind::DuplicateKey {
                    key: known.to_owned(),
                },
                locations: vec![
                    Location::new(path, line.number, Some(line.text)),
                    Location::new(path, first.number, Some(first.text))
                        .labelled("first given here"),
                ],
                help: format!("keep one `{known}:` line and remove the other"),
            });
            continue;
        }
        seen.push((known, line));
        match known {
            "Revision ID" => {
                if let Err(reason) = validate_id(value) {
                    p.error(
                        ErrorKind::InvalidId {
                            id: value.to_owned(),
                            reason,
                        },
                        line,
                        "a revision id is 1 to 32 ASCII letters, digits or `_`, such as \
                         `968b0dff6a9b` or `add_zones_001`",
                    );
                }
                id = Some((value.to_owned(), line.number));
            }
            "Revises" => {
                let parents = p.id_list(
                    "Revises",
                    value,
                    line,
                    "`Revises` names the id of the parent revision (several, separated by commas, \
                     for a merge revision), or is empty for the base",
                );
                revises = Some((parents, line.number));
            }
            "Branch Labels" => {
                let labels = p.id_list(
                    "Branch Labels",
                    value,
                    line,
                    "a branch label is 1 to 32 ASCII letters, digits or `_`, such as `audit`",
                );
                branch_labels = (labels, line.number);
            }
            "Depends On" => {
                let deps = p.id_list(
                    "Depends On",
                    value,
                    line,
                    "`Depends On` names the ids of revisions that must be applied first, separated by commas",
                );
                depends_on = (deps, line.number);
            }
            "Create Date" => create_date = Some(value.to_owned()),
            "Options" => {
                for option in value.split(',').map(str::trim).filter(|o| !o.is_empty()) {
                    match option {
                        "non-transactional" => options.non_transactional = true,
                        "irreversible" => options.irreversible = true,
                        other => p.error(
                            ErrorKind::UnknownOption {
                                option: other.to_owned(),
                            },
                            line,
                            "the options are `non-transactional` and `irreversible`, separated by commas",
                        ),
                    }
                }
            }
            _ => unreachable!("every key of KEYS is handled"),
        }
    }

    Header {
        end: header_end,
        message,
        id,
        revises,
        branch_labels,
        depends_on,
        create_date,
        options,
    }
}

/// Parses one revision file. `path` is how the file is named in messages and is
/// stored in the revision; `text` is its content. A path ending in `.rs` is
/// read as a Rust revision (see `docs/FORMAT.md`).
///
/// # Examples
///
/// ```
/// use schema_core::parse_revision;
///
/// let text = "-- Add users\n--\n-- Revision ID: b2\n-- Revises: a1\n\n\
///             -- migrate:upgrade\nCREATE TABLE users (id int);\n\n\
///             -- migrate:downgrade\nDROP TABLE users;\n";
/// let r = parse_revision("migrations/b2_add_users.sql", text).unwrap();
/// assert_eq!((&*r.id, &*r.message), ("b2", "Add users"));
/// assert_eq!(*r.down_revisions, ["a1"]);
/// assert_eq!(r.upgrade.sql.trim(), "CREATE TABLE users (id int);");
/// assert!(parse_revision("x.sql", "SELECT 1;\n").is_err());
/// ```
pub fn parse_revision(path: &str, text: &str) -> Result<Revision, Vec<Diagnostic>> {
    let normalized;
    let text = if text.contains("\r\n") {
        normalized = text.replace("\r\n", "\n");
        normalized.as_str()
    } else {
        text
    };
    if path.ends_with(".rs") {
        return parse_rust(path, text);
    }
    let lines = lines(text);
    let mut p = Parser {
        path,
        errors: Vec::new(),
    };

    let Header {
        end: header_end,
        message,
        id,
        revises,
        branch_labels,
        depends_on,
        create_date,
        options,
    } = header(&mut p, &lines, "--");

    // The body: markers and sections.
    let mut upgrade_marker: Option<usize> = None;
    let mut downgrade_marker: Option<usize> = None;
    // Without an upgrade marker, that is the one error worth reporting about the body.
    let has_upgrade = lines[header_end..]
        .iter()
        .any(|l| marker(l.text) == Some("upgrade"));
    let mut sql_before_upgrade_reported = !has_upgrade;
    // A misspelt or misplaced marker explains a missing section: reported once.
    let mut marker_error = false;
    for (idx, line) in lines.iter().enumerate().skip(header_end) {
        if let Some(kind) = marker(line.text) {
            match kind {
                "upgrade" if upgrade_marker.is_none() && downgrade_marker.is_none() => {
                    upgrade_marker = Some(idx)
                }
                "downgrade" if downgrade_marker.is_none() && upgrade_marker.is_some() => {
                    downgrade_marker = Some(idx)
                }
                "downgrade" if !has_upgrade => {}
                "downgrade" if upgrade_marker.is_none() => {
                    // The SQL under it is the downgrade, not SQL before the upgrade.
                    marker_error = true;
                    sql_before_upgrade_reported = true;
                    p.error(
                        ErrorKind::MisplacedMarker {
                            marker: DOWNGRADE_MARKER,
                        },
                        line,
                        "the upgrade section comes first: move this line and the downgrade SQL \
                         under it below the upgrade SQL",
                    );
                }
                "upgrade" | "downgrade" => {
                    let (marker, first) = if kind == "upgrade" {
                        (UPGRADE_MARKER, upgrade_marker)
                    } else {
                        (DOWNGRADE_MARKER, downgrade_marker)
                    };
                    let first = &lines[first.expect("a repeated marker was seen before")];
                    p.errors.push(Diagnostic {
                        kind: ErrorKind::RepeatedMarker { marker },
                        locations: vec![
                            Location::new(path, line.number, Some(line.text)),
                            Location::new(path, first.number, Some(first.text))
                                .labelled("first given here"),
                        ],
                        help: format!(
                            "a file has one `{marker}` line: remove this one, and the SQL \
                             under it becomes part of the section above"
                        ),
                    });
                }
                other => {
                    marker_error = true;
                    let lower = other.to_ascii_lowercase();
                    let suggestion = if lower.starts_with("up") {
                        format!("did you mean `{UPGRADE_MARKER}`? ")
                    } else if lower.starts_with("down") {
                        format!("did you mean `{DOWNGRADE_MARKER}`? ")
                    } else {
                        String::new()
                    };
                    p.error(
                        ErrorKind::UnknownMarker {
                            marker: format!("-- migrate:{other}"),
                        },
                        line,
                        format!(
                            "{suggestion}the section markers are `{UPGRADE_MARKER}` and \
                             `{DOWNGRADE_MARKER}`"
                        ),
                    )
                }
            }
        } else if upgrade_marker.is_none() && !sql_before_upgrade_reported {
            let t = line.text.trim();
            if !t.is_empty() && !t.starts_with("--") {
                sql_before_upgrade_reported = true;
                p.error(
                    ErrorKind::SqlBeforeUpgrade,
                    line,
                    "put the upgrade SQL after a `-- migrate:upgrade` line",
                );
            }
        }
    }

    let section = |marker_idx: usize, end_idx: Option<usize>| -> Section {
        let start = lines.get(marker_idx + 1).map_or(text.len(), |l| l.start);
        let end = end_idx.map_or(text.len(), |e| lines[e].start);
        Section {
            sql: Cow::Owned(text[start..end].to_owned()),
            line: lines[marker_idx].number + 1,
        }
    };
    let upgrade = upgrade_marker.map(|u| section(u, downgrade_marker));
    let downgrade = downgrade_marker.map(|d| section(d, None));
    for (name, section) in [("upgrade", &upgrade), ("downgrade", &downgrade)] {
        if let Some(section) = section {
            check_statements(&mut p, &lines, name, section, options);
        }
    }

    if upgrade.is_none() && !marker_error {
        p.file_error(
            ErrorKind::MissingUpgrade,
            "add a line `-- migrate:upgrade` after the header, followed by the upgrade SQL",
        );
    }
    match (downgrade_marker, options.irreversible) {
        (None, false) if upgrade.is_some() && !marker_error => p.file_error(
            ErrorKind::MissingDowngrade,
            "add a line `-- migrate:downgrade` followed by SQL that undoes the upgrade, \
             or declare the revision `-- Options: irreversible`",
        ),
        (Some(d), true) => p.error(
            ErrorKind::DowngradeOnIrreversible,
            &lines[d],
            "remove the downgrade section, or remove `irreversible` from `Options`",
        ),
        _ => {}
    }
    require_keys(&mut p, id.is_some(), revises.is_some(), "--");

    if !p.errors.is_empty() {
        return Err(p.errors);
    }
    let (id, id_line) = id.expect("checked above");
    let (revises, revises_line) = revises.expect("checked above");
    let upgrade = upgrade.expect("checked above");
    Ok(Revision {
        id: Cow::Owned(id),
        down_revisions: owned_list(revises),
        branch_labels: owned_list(branch_labels.0),
        depends_on: owned_list(depends_on.0),
        message: Cow::Owned(message),
        create_date: create_date.map(Cow::Owned),
        options,
        checksum: checksum(&upgrade.sql),
        upgrade,
        downgrade,
        path: Cow::Owned(path.to_owned()),
        id_line,
        revises_line,
        branch_labels_line: branch_labels.1,
        depends_on_line: depends_on.1,
        language: Language::Sql,
        code: None,
    })
}

/// The errors of a header without `Revision ID` or `Revises`.
fn require_keys(p: &mut Parser<'_>, has_id: bool, has_revises: bool, prefix: &str) {
    if !has_id {
        p.file_error(
            ErrorKind::MissingKey { key: "Revision ID" },
            format!("add a header line `{prefix} Revision ID: <id>`; `cargo xtask new-revision` writes a fresh one"),
        );
    }
    if !has_revises {
        p.file_error(
            ErrorKind::MissingKey { key: "Revises" },
            format!("add a header line `{prefix} Revises: <parent id>`, or `{prefix} Revises:` for the base revision"),
        );
    }
}

/// Whether `line` declares the async function `name` (`pub`, `pub(crate)`
/// or private).
fn declares_async_fn(line: &str, name: &str) -> bool {
    let t = line.trim_start();
    let t = t
        .strip_prefix("pub(crate) ")
        .or_else(|| t.strip_prefix("pub "))
        .unwrap_or(t)
        .trim_start();
    t.strip_prefix("async fn ")
        .and_then(|rest| rest.trim_start().strip_prefix(name))
        .is_some_and(|rest| rest.starts_with(['(', '<', ' ']))
}

/// A Rust revision (`.rs`): the header as `//` lines, then Rust code that
/// declares `async fn upgrade` and, unless the revision is irreversible,
/// `async fn downgrade`. The compiler checks the code; this checks what the
/// chain needs. The checksum is of the whole file.
fn parse_rust(path: &str, text: &str) -> Result<Revision, Vec<Diagnostic>> {
    let lines = lines(text);
    let mut p = Parser {
        path,
        errors: Vec::new(),
    };
    let h = header(&mut p, &lines, "//");
    let body = &lines[h.end..];
    let upgrade = body.iter().find(|l| declares_async_fn(l.text, "upgrade"));
    let downgrade = body.iter().find(|l| declares_async_fn(l.text, "downgrade"));
    if upgrade.is_none() {
        p.file_error(
            ErrorKind::MissingUpgrade,
            "declare `pub async fn upgrade(conn: &mut PgConnection) -> Result<(), E>` after the \
             header (`PgConnection` is `schema_runtime::sqlx::PgConnection`; `E` any error type)",
        );
    }
    match (downgrade, h.options.irreversible) {
        (None, false) if upgrade.is_some() => p.file_error(
            ErrorKind::MissingDowngrade,
            "declare `pub async fn downgrade(conn: &mut PgConnection) -> Result<(), E>` that \
             undoes the upgrade, or declare the revision `// Options: irreversible`",
        ),
        (Some(d), true) => p.error(
            ErrorKind::DowngradeOnIrreversible,
            d,
            "remove the `downgrade` function, or remove `irreversible` from `Options`",
        ),
        _ => {}
    }
    require_keys(&mut p, h.id.is_some(), h.revises.is_some(), "//");
    if !p.errors.is_empty() {
        return Err(p.errors);
    }
    let (id, id_line) = h.id.expect("checked above");
    let (revises, revises_line) = h.revises.expect("checked above");
    let code_section = |line: &Line<'_>| Section {
        sql: Cow::Borrowed(""),
        line: line.number,
    };
    Ok(Revision {
        id: Cow::Owned(id),
        down_revisions: owned_list(revises),
        branch_labels: owned_list(h.branch_labels.0),
        depends_on: owned_list(h.depends_on.0),
        message: Cow::Owned(h.message),
        create_date: h.create_date.map(Cow::Owned),
        options: h.options,
        checksum: checksum(text),
        upgrade: code_section(upgrade.expect("checked above")),
        downgrade: downgrade.map(code_section),
        path: Cow::Owned(path.to_owned()),
        id_line,
        revises_line,
        branch_labels_line: h.branch_labels.1,
        depends_on_line: h.depends_on.1,
        language: Language::Rust,
        code: None,
    })
}

fn owned_list(items: Vec<String>) -> Cow<'static, [Cow<'static, str>]> {
    Cow::Owned(items.into_iter().map(Cow::Owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUST: &str = "\
// Backfill the baselines
//
// Revision ID: backfill_001
// Revises: add_baselines
// Create Date: 2026-12-05 06:00:00

use schema_runtime::sqlx::PgConnection;

pub async fn upgrade(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    Ok(())
}

pub async fn downgrade(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    Ok(())
}
";

    #[test]
    fn a_rust_revision_reads_its_header_from_slash_comments() {
        let r = parse_revision("m/backfill_001.rs", RUST).unwrap();
        assert_eq!(r.language, Language::Rust);
        assert_eq!(r.id, "backfill_001");
        assert_eq!(r.down_revisions[..], ["add_baselines"]);
        assert_eq!(r.message, "Backfill the baselines");
        assert_eq!(r.id_line, 3);
    }

    #[test]
    fn a_rust_revision_points_its_sections_at_its_functions() {
        let r = parse_revision("m/backfill_001.rs", RUST).unwrap();
        assert_eq!(r.upgrade.line, 9);
        assert_eq!(r.downgrade.map(|d| d.line), Some(13));
        assert!(r.upgrade.sql.is_empty());
    }

    #[test]
    fn a_rust_revision_checksum_covers_the_whole_file() {
        let r = parse_revision("m/backfill_001.rs", RUST).unwrap();
        assert_eq!(r.checksum, checksum(RUST));
        let edited = RUST.replace(
            "    Ok(())\n}\n\npub async fn downgrade",
            "    let _ = 1;\n    Ok(())\n}\n\npub async fn downgrade",
        );
        assert_ne!(
            parse_revision("m/backfill_001.rs", &edited)
                .unwrap()
                .checksum,
            r.checksum
        );
    }

    #[test]
    fn a_rust_revision_without_downgrade_must_say_irreversible() {
        let text = RUST.replace("pub async fn downgrade", "pub async fn other");
        let errs = parse_revision("m/backfill_001.rs", &text).unwrap_err();
        assert_eq!(errs[0].kind, ErrorKind::MissingDowngrade);
        assert!(
            errs[0].help.contains("`// Options: irreversible`"),
            "{}",
            errs[0].help
        );
        let text = text.replace("// Create Date", "// Options: irreversible\n// Create Date");
        assert!(parse_revision("m/backfill_001.rs", &text).is_ok());
    }

    #[test]
    fn an_irreversible_rust_revision_with_a_downgrade_is_refused_at_the_function() {
        let text = RUST.replace("// Create Date", "// Options: irreversible\n// Create Date");
        let errs = parse_revision("m/backfill_001.rs", &text).unwrap_err();
        assert_eq!(errs[0].kind, ErrorKind::DowngradeOnIrreversible);
        assert_eq!(errs[0].locations[0].line, 14);
    }

    #[test]
    fn a_rust_revision_without_upgrade_is_refused() {
        let text = RUST.replace("pub async fn upgrade", "pub async fn up");
        let errs = parse_revision("m/backfill_001.rs", &text).unwrap_err();
        assert_eq!(errs[0].kind, ErrorKind::MissingUpgrade);
    }

    #[test]
    fn a_rust_revision_header_key_is_written_with_slashes_in_the_help() {
        let text = RUST.replace("// Revises: add_baselines\n", "");
        let errs = parse_revision("m/backfill_001.rs", &text).unwrap_err();
        assert!(
            errs[0].help.contains("`// Revises: <parent id>`"),
            "{}",
            errs[0].help
        );
    }

    const GOOD: &str = "\
-- Add zones: camera regions
--
-- Revision ID: add_zones_001
-- Revises: add_alerts_rules
-- Create Date: 2025-12-30 09:00:00.000000

-- migrate:upgrade
CREATE TABLE zones (id int); -- trailing comment
CREATE FUNCTION f() RETURNS text AS $$ SELECT 'a;b' $$ LANGUAGE sql;

-- migrate:downgrade
DROP FUNCTION f();
DROP TABLE zones;
";

    fn kinds(text: &str) -> Vec<ErrorKind> {
        parse_revision("m.sql", text)
            .unwrap_err()
            .into_iter()
            .map(|d| d.kind)
            .collect()
    }

    #[test]
    fn reads_every_header_field() {
        let r = parse_revision("m.sql", GOOD).unwrap();
        assert_eq!(r.id, "add_zones_001");
        assert_eq!(r.down_revisions[..], ["add_alerts_rules"]);
        assert!(r.branch_labels.is_empty() && r.depends_on.is_empty());
        assert_eq!(r.message, "Add zones: camera regions");
        assert_eq!(r.create_date.as_deref(), Some("2025-12-30 09:00:00.000000"));
        assert_eq!(r.options, Options::default());
        assert_eq!((r.id_line, r.revises_line), (3, 4));
    }

    #[test]
    fn sections_keep_their_text_byte_for_byte_and_their_first_line() {
        let r = parse_revision("m.sql", GOOD).unwrap();
        assert_eq!(
            r.upgrade.sql,
            "CREATE TABLE zones (id int); -- trailing comment\n\
             CREATE FUNCTION f() RETURNS text AS $$ SELECT 'a;b' $$ LANGUAGE sql;\n\n"
        );
        assert_eq!(r.upgrade.line, 8);
        let down = r.downgrade.unwrap();
        assert_eq!(down.sql, "DROP FUNCTION f();\nDROP TABLE zones;\n");
        assert_eq!(down.line, 12);
    }

    #[test]
    fn crlf_line_endings_read_as_lf() {
        let r = parse_revision("m.sql", &GOOD.replace('\n', "\r\n")).unwrap();
        let lf = parse_revision("m.sql", GOOD).unwrap();
        assert_eq!(r.upgrade, lf.upgrade);
        assert_eq!(r.checksum, lf.checksum);
    }

    #[test]
    fn checksum_covers_the_upgrade_section_only() {
        let a = parse_revision("m.sql", GOOD).unwrap();
        let edited_down = GOOD.replace("DROP TABLE zones;", "DROP TABLE IF EXISTS zones;");
        let edited_msg = GOOD.replace("camera regions", "regions");
        let edited_up = GOOD.replace("(id int)", "(id bigint)");
        assert_eq!(
            parse_revision("m.sql", &edited_down).unwrap().checksum,
            a.checksum
        );
        assert_eq!(
            parse_revision("m.sql", &edited_msg).unwrap().checksum,
            a.checksum
        );
        assert_ne!(
            parse_revision("m.sql", &edited_up).unwrap().checksum,
            a.checksum
        );
    }

    #[test]
    fn empty_or_none_revises_is_the_base() {
        for revises in ["-- Revises:", "-- Revises: None"] {
            let text = GOOD.replace("-- Revises: add_alerts_rules", revises);
            assert!(parse_revision("m.sql", &text)
                .unwrap()
                .down_revisions
                .is_empty());
        }
    }

    #[test]
    fn a_header_without_message_has_an_empty_message() {
        let text = GOOD.replace("-- Add zones: camera regions\n--\n", "");
        let r = parse_revision("m.sql", &text).unwrap();
        assert_eq!(r.message, "");
        assert_eq!(r.id, "add_zones_001");
    }

    #[test]
    fn message_directly_followed_by_keys_stops_at_the_first_key() {
        let text = GOOD.replace("camera regions\n--\n", "camera regions\n");
        let r = parse_revision("m.sql", &text).unwrap();
        assert_eq!(r.message, "Add zones: camera regions");
    }

    #[test]
    fn options_are_read() {
        let text = GOOD.replace(
            "-- Create Date",
            "-- Options: non-transactional, irreversible\n-- Create Date",
        );
        let text = &text[..text.find("-- migrate:downgrade").unwrap()];
        let r = parse_revision("m.sql", text).unwrap();
        assert!(r.options.non_transactional && r.options.irreversible);
        assert!(r.downgrade.is_none());
    }

    #[test]
    fn unknown_key_is_rejected_with_its_line() {
        let text = GOOD.replace("-- Create Date", "-- Created: x\n-- Create Date");
        let errs = parse_revision("m.sql", &text).unwrap_err();
        assert_eq!(
            errs[0].kind,
            ErrorKind::UnknownKey {
                key: "Created".into()
            }
        );
        assert_eq!(errs[0].locations[0].line, 5);
    }

    #[test]
    fn wrongly_cased_key_suggests_the_right_one() {
        let text = GOOD.replace("-- Revision ID", "-- Revision Id");
        let errs = parse_revision("m.sql", &text).unwrap_err();
        assert!(
            errs[0].help.contains("did you mean `Revision ID`"),
            "{}",
            errs[0].help
        );
    }

    #[test]
    fn malformed_header_line_is_rejected() {
        let text = GOOD.replace("-- Create Date", "-- just some words\n-- Create Date");
        assert_eq!(kinds(&text), vec![ErrorKind::MalformedHeader]);
    }

    #[test]
    fn duplicate_key_is_rejected() {
        let text = GOOD.replace("-- Create Date", "-- Revises: x\n-- Create Date");
        assert_eq!(
            kinds(&text),
            vec![ErrorKind::DuplicateKey {
                key: "Revises".into()
            }]
        );
    }

    #[test]
    fn missing_keys_are_rejected() {
        let text = GOOD.replace("-- Revision ID: add_zones_001\n", "");
        assert_eq!(
            kinds(&text),
            vec![ErrorKind::MissingKey { key: "Revision ID" }]
        );
        let text = GOOD.replace("-- Revises: add_alerts_rules\n", "");
        assert_eq!(kinds(&text), vec![ErrorKind::MissingKey { key: "Revises" }]);
    }

    #[test]
    fn invalid_ids_are_rejected_with_the_rule_broken() {
        for (id, reason) in [
            (
                "add-zones",
                "only ASCII letters, digits and `_` are allowed",
            ),
            (
                "head",
                "`head`, `heads`, `base` and `current` are reserved for targets",
            ),
            (
                "a23456789012345678901234567890123",
                "it is longer than 32 characters",
            ),
        ] {
            let text = GOOD.replace("add_zones_001", id);
            assert_eq!(
                kinds(&text),
                vec![ErrorKind::InvalidId {
                    id: id.into(),
                    reason
                }]
            );
        }
        let text = GOOD.replace("-- Revision ID: add_zones_001", "-- Revision ID:");
        assert_eq!(
            kinds(&text),
            vec![ErrorKind::InvalidId {
                id: "".into(),
                reason: "it is empty"
            }]
        );
    }

    #[test]
    fn a_merge_revision_names_several_parents() {
        let text = GOOD.replace("Revises: add_alerts_rules", "Revises: a, b");
        let r = parse_revision("m.sql", &text).unwrap();
        assert_eq!(r.down_revisions[..], ["a", "b"]);
        assert!(r.is_merge());
    }

    #[test]
    fn branch_labels_and_dependencies_are_read() {
        let text = GOOD.replace(
            "-- Create Date",
            "-- Branch Labels: audit, reports\n-- Depends On: 968b0dff6a9b\n-- Create Date",
        );
        let r = parse_revision("m.sql", &text).unwrap();
        assert_eq!(r.branch_labels[..], ["audit", "reports"]);
        assert_eq!(r.depends_on[..], ["968b0dff6a9b"]);
        assert_eq!((r.branch_labels_line, r.depends_on_line), (5, 6));
    }

    #[test]
    fn a_parent_named_twice_is_rejected() {
        let text = GOOD.replace("Revises: add_alerts_rules", "Revises: a, a");
        assert_eq!(
            kinds(&text),
            vec![ErrorKind::RepeatedItem {
                key: "Revises",
                item: "a".into()
            }]
        );
    }

    #[test]
    fn missing_upgrade_is_rejected() {
        let text = GOOD.replace("-- migrate:upgrade\n", "");
        assert_eq!(kinds(&text), vec![ErrorKind::MissingUpgrade]);
    }

    #[test]
    fn sql_before_the_upgrade_marker_is_rejected() {
        let text = GOOD.replace("-- migrate:upgrade\n", "SELECT 1;\n-- migrate:upgrade\n");
        assert_eq!(kinds(&text), vec![ErrorKind::SqlBeforeUpgrade]);
    }

    #[test]
    fn missing_downgrade_is_rejected_unless_irreversible() {
        let text = &GOOD[..GOOD.find("-- migrate:downgrade").unwrap()];
        assert_eq!(kinds(text), vec![ErrorKind::MissingDowngrade]);
        let irreversible =
            text.replace("-- Create Date", "-- Options: irreversible\n-- Create Date");
        assert!(parse_revision("m.sql", &irreversible).is_ok());
    }

    #[test]
    fn irreversible_with_downgrade_is_rejected() {
        let text = GOOD.replace("-- Create Date", "-- Options: irreversible\n-- Create Date");
        assert_eq!(kinds(&text), vec![ErrorKind::DowngradeOnIrreversible]);
    }

    #[test]
    fn unknown_option_and_unknown_marker_are_rejected() {
        let text = GOOD.replace("-- Create Date", "-- Options: fast\n-- Create Date");
        assert_eq!(
            kinds(&text),
            vec![ErrorKind::UnknownOption {
                option: "fast".into()
            }]
        );
        let text = GOOD.replace("-- migrate:downgrade", "-- migrate:down");
        let k = kinds(&text);
        assert!(
            k.contains(&ErrorKind::UnknownMarker {
                marker: "-- migrate:down".into()
            }),
            "{k:?}"
        );
    }

    #[test]
    fn markers_out_of_order_are_rejected() {
        let text = GOOD.replace("-- migrate:downgrade", "-- migrate:upgrade");
        assert_eq!(
            kinds(&text),
            vec![
                ErrorKind::RepeatedMarker {
                    marker: UPGRADE_MARKER
                },
                ErrorKind::MissingDowngrade
            ]
        );
        let swapped = GOOD
            .replace("-- migrate:upgrade", "-- migrate:x")
            .replace("-- migrate:downgrade", "-- migrate:upgrade")
            .replace("-- migrate:x", "-- migrate:downgrade");
        assert_eq!(
            kinds(&swapped),
            vec![ErrorKind::MisplacedMarker {
                marker: DOWNGRADE_MARKER
            }]
        );
    }

    #[test]
    fn every_error_of_a_file_is_reported_at_once() {
        let text = GOOD
            .replace("-- Create Date", "-- Colour: blue\n-- Create Date")
            .replace("add_zones_001", "bad id");
        assert_eq!(kinds(&text).len(), 2);
    }

    #[test]
    fn transaction_control_in_a_transactional_revision_is_rejected_at_its_line() {
        let text = GOOD.replace(
            "CREATE TABLE zones (id int);",
            "CREATE TABLE zones (id int);\nCOMMIT;",
        );
        let errs = parse_revision("m.sql", &text).unwrap_err();
        assert_eq!(
            errs.iter().map(|e| &e.kind).collect::<Vec<_>>(),
            [&ErrorKind::TransactionControl {
                section: "upgrade",
                statement: "COMMIT".into()
            }]
        );
        assert_eq!(errs[0].locations[0].line, 9);
        assert_eq!(
            errs[0].locations[0].text.as_deref(),
            Some("COMMIT; -- trailing comment")
        );
        assert!(errs[0].help.contains("`-- Options: non-transactional`"));
    }

    #[test]
    fn transaction_control_in_a_downgrade_is_rejected_too() {
        let text = GOOD.replace("DROP TABLE zones;", "BEGIN;\nDROP TABLE zones;\nEND;");
        let errs = parse_revision("m.sql", &text).unwrap_err();
        let found: Vec<_> = errs
            .iter()
            .map(|e| (e.kind.clone(), e.locations[0].line))
            .collect();
        assert_eq!(
            found,
            [
                (
                    ErrorKind::TransactionControl {
                        section: "downgrade",
                        statement: "BEGIN".into()
                    },
                    13
                ),
                (
                    ErrorKind::TransactionControl {
                        section: "downgrade",
                        statement: "END".into()
                    },
                    15
                ),
            ]
        );
    }

    #[test]
    fn a_non_transactional_revision_may_control_its_own_transactions() {
        let text = GOOD
            .replace(
                "-- Create Date",
                "-- Options: non-transactional\n-- Create Date",
            )
            .replace(
                "CREATE TABLE zones (id int);",
                "BEGIN;\nCREATE TABLE zones (id int);\nCOMMIT;",
            );
        assert!(parse_revision("m.sql", &text).is_ok());
    }

    #[test]
    fn turning_standard_conforming_strings_off_is_rejected_in_any_revision() {
        for options in ["", "-- Options: non-transactional\n"] {
            let text = GOOD
                .replace("-- Create Date", &format!("{options}-- Create Date"))
                .replace(
                    "DROP TABLE zones;",
                    "SET standard_conforming_strings = off;\nDROP TABLE zones;",
                );
            assert_eq!(
                kinds(&text),
                [ErrorKind::LexingSetting {
                    setting: "standard_conforming_strings",
                    statement: "SET standard_conforming_strings = off".into()
                }]
            );
        }
    }
}
