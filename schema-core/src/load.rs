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

/// Whether a directory entry is a revision file (`*.sql`, not hidden).
pub fn is_revision_file(name: &str) -> bool {
    name.ends_with(".sql") && !name.starts_with('.')
}

/// Reads every revision file of `dir`, sorted by file name. `display_dir` is how
/// the directory is named in messages.
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
        let text = std::fs::read_to_string(entry.path()).map_err(|e| io_error(&display, &e))?;
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
pub fn load_dir(dir: &Path, display_dir: &str) -> Result<MigrationSet, Diagnostics> {
    check_sources(&read_dir(dir, display_dir)?, display_dir)
}

/// Reads and checks a directory that may have several heads (branches not
/// merged yet): what `heads`, `branches`, `history` and `merge` call.
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
