//! Reading a migrations directory from disk.
//!
//! The macro and the run-time loader both go through [`read_dir`] and
//! [`check_sources`], so a directory is read and judged the same way at compile
//! time and at run time.

use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Diagnostics, ErrorKind, Location};
use crate::graph::{check, MigrationSet};
use crate::parse::parse_revision;

/// One revision file as read from disk.
///
/// # Examples
///
/// ```
/// use std::path::Path;
///
/// let files = schema_core::read_dir(Path::new("../migrations"), "migrations")?;
/// let first = &files[0];
/// assert!(first.display.starts_with("migrations/") && first.path.is_file());
/// assert!(first.text.contains("-- migrate:upgrade"));
/// # Ok::<(), schema_core::Diagnostics>(())
/// ```
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The file on disk.
    pub path: PathBuf,
    /// How the file is named in messages (`migrations/968b0dff6a9b_initial.sql`).
    pub display: String,
    /// The content.
    pub text: String,
}

fn io_error(path: &str, e: &std::io::Error) -> Diagnostics {
    Diagnostics(vec![Diagnostic::new(
        ErrorKind::Io {
            path: path.to_owned(),
            reason: e.to_string(),
        },
        Location::new(path, 0, None),
        "check that the directory exists and that its files are readable UTF-8",
    )])
}

/// The error for a file that is not UTF-8, at its first invalid byte.
fn not_utf8(path: &str, bytes: &[u8]) -> Diagnostics {
    let valid = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let line_start = bytes[..valid]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() as u32 + 1;
    let line_end = bytes[line_start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| line_start + i);
    let text = String::from_utf8_lossy(&bytes[line_start..line_end]);
    Diagnostics(vec![Diagnostic::new(
        ErrorKind::NotUtf8 {
            path: path.to_owned(),
            line,
            column: (valid - line_start) as u32 + 1,
        },
        Location::new(path, line, Some(text.trim_end())),
        "revision files are read as UTF-8: save this one as UTF-8 \
         (from Latin-1: `iconv -f LATIN1 -t UTF-8`)",
    )])
}

/// Whether a directory entry is a revision file (`*.sql` or `*.rs`, not
/// hidden).
///
/// # Examples
///
/// ```
/// use schema_core::load::is_revision_file;
///
/// assert!(is_revision_file("968b0dff6a9b_initial_schema.sql"));
/// assert!(is_revision_file("backfill_baselines_from_detections.rs"));
/// assert!(!is_revision_file(".draft.sql"));
/// assert!(!is_revision_file("README.md"));
/// ```
pub fn is_revision_file(name: &str) -> bool {
    (name.ends_with(".sql") || name.ends_with(".rs")) && !name.starts_with('.')
}

/// Reads every revision file of `dir`, sorted by file name. `display_dir` is how
/// the directory is named in messages.
///
/// # Examples
///
/// ```
/// use std::path::Path;
///
/// let files = schema_core::read_dir(Path::new("../migrations"), "migrations")?;
/// let names: Vec<&str> = files.iter().map(|f| f.display.as_str()).collect();
/// assert!(names.windows(2).all(|w| w[0] < w[1]), "sorted by file name");
/// assert!(names.iter().all(|n| n.ends_with(".sql") || n.ends_with(".rs")));
/// # Ok::<(), schema_core::Diagnostics>(())
/// ```
pub fn read_dir(dir: &Path, display_dir: &str) -> Result<Vec<SourceFile>, Diagnostics> {
    let entries = std::fs::read_dir(dir).map_err(|e| io_error(display_dir, &e))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| io_error(display_dir, &e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_revision_file(&name) || !entry.path().is_file() {
            continue;
        }
        let display = format!("{}/{name}", display_dir.trim_end_matches('/'));
        let bytes = std::fs::read(entry.path()).map_err(|e| io_error(&display, &e))?;
        let text = String::from_utf8(bytes).map_err(|e| not_utf8(&display, e.as_bytes()))?;
        files.push(SourceFile {
            path: entry.path(),
            display,
            text,
        });
    }
    files.sort_by(|a, b| a.display.cmp(&b.display));
    Ok(files)
}

/// Parses and checks files already read. Every error of every file is reported,
/// with the offending line shown under each location.
///
/// # Examples
///
/// ```
/// use std::path::PathBuf;
/// use schema_core::load::{check_sources, SourceFile};
///
/// let file = SourceFile {
///     path: PathBuf::from("migrations/a.sql"),
///     display: "migrations/a.sql".into(),
///     text: "-- Revision ID: a\n-- Revises: gone\n\n-- migrate:upgrade\nSELECT 1;\n\n-- migrate:downgrade\nSELECT 1;\n".into(),
/// };
/// let errors = check_sources(&[file], "migrations").unwrap_err();
/// // The offending line is shown under the location.
/// assert_eq!(errors.0[0].locations[0].text.as_deref(), Some("-- Revises: gone"));
/// ```
pub fn check_sources(files: &[SourceFile], display_dir: &str) -> Result<MigrationSet, Diagnostics> {
    parse_and_check(files, display_dir, check)
}

fn parse_and_check(
    files: &[SourceFile],
    display_dir: &str,
    check: fn(Vec<crate::Revision>, &str) -> Result<MigrationSet, Diagnostics>,
) -> Result<MigrationSet, Diagnostics> {
    let mut revisions = Vec::with_capacity(files.len());
    let mut errors = Vec::new();
    for f in files {
        match parse_revision(&f.display, &f.text) {
            Ok(r) => revisions.push(r),
            Err(e) => errors.extend(e),
        }
    }
    let result = if errors.is_empty() {
        check(revisions, display_dir)
    } else {
        Err(Diagnostics(errors))
    };
    result.map_err(|mut d| {
        fill_snippets(&mut d, files);
        d
    })
}

/// Reads and checks a directory: what the runtime and the CLI call.
///
/// # Examples
///
/// ```
/// use std::path::Path;
///
/// let set = schema_core::load_dir(Path::new("../migrations"), "migrations")?;
/// assert_eq!(set.base().id, "968b0dff6a9b");
/// assert_eq!(set.heads().len(), 1);
/// # Ok::<(), schema_core::Diagnostics>(())
/// ```
pub fn load_dir(dir: &Path, display_dir: &str) -> Result<MigrationSet, Diagnostics> {
    check_sources(&read_dir(dir, display_dir)?, display_dir)
}

/// Reads and checks a directory that may have several heads (branches not
/// merged yet): what `heads`, `branches`, `history` and `merge` call.
///
/// # Examples
///
/// ```
/// use std::path::Path;
///
/// // A merged directory loads the same either way.
/// let set = schema_core::load_dir_branches(Path::new("../migrations"), "migrations")?;
/// assert_eq!(set.real_heads().len(), 1);
/// # Ok::<(), schema_core::Diagnostics>(())
/// ```
pub fn load_dir_branches(dir: &Path, display_dir: &str) -> Result<MigrationSet, Diagnostics> {
    parse_and_check(
        &read_dir(dir, display_dir)?,
        display_dir,
        crate::graph::check_branches,
    )
}

fn fill_snippets(diagnostics: &mut Diagnostics, files: &[SourceFile]) {
    for loc in diagnostics
        .0
        .iter_mut()
        .flat_map(|d| d.locations.iter_mut())
    {
        if loc.text.is_some() || loc.line == 0 {
            continue;
        }
        if let Some(f) = files.iter().find(|f| f.display == loc.path) {
            loc.text = f
                .text
                .lines()
                .nth(loc.line as usize - 1)
                .map(|l| l.trim_end().to_owned());
        }
    }
}
