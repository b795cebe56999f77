//! Where PostgreSQL's programs are: one search, used by the test kit to
//! start a server and find `psql`/`pg_dump`, and by `squash` to find
//! `pg_dump` beside a server it did not start.

use std::path::{Path, PathBuf};

/// The variable that names the directory of the PostgreSQL binaries to use;
/// nothing else is searched when it is set.
pub(crate) const PG_BIN_VAR: &str = "SCHEMA_MIGRATIONS_PG_BIN";

/// Directories holding one PostgreSQL version each, with the binaries in
/// their `bin`: the parent, and the part of the name before the version.
const VERSIONED_DIRS: [(&str, &str); 4] = [
    ("/usr/lib/postgresql", ""),
    ("/usr", "pgsql-"),
    ("/opt/homebrew/opt", "postgresql@"),
    ("/usr/local/opt", "postgresql@"),
];

/// Whether `dir` holds every one of `programs`.
fn has_all(dir: &Path, programs: &[&str]) -> bool {
    programs.iter().all(|p| dir.join(p).is_file())
}

/// The newest versioned directory holding `programs`, else the `PATH`
/// directory of the first of them, if it holds them all; only
/// `$SCHEMA_MIGRATIONS_PG_BIN` when it is set.
pub(crate) fn search(programs: &[&str]) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(PG_BIN_VAR).map(PathBuf::from) {
        return has_all(&dir, programs).then_some(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = VERSIONED_DIRS
        .iter()
        .flat_map(|(parent, prefix)| {
            std::fs::read_dir(parent)
                .into_iter()
                .flatten()
                .flatten()
                .filter_map(move |e| {
                    let name = e.file_name();
                    let version = name.to_str()?.strip_prefix(prefix)?.parse().ok()?;
                    Some((version, e.path().join("bin")))
                })
        })
        .filter(|(_, d)| has_all(d, programs))
        .collect();
    versions.sort();
    if let Some((_, d)) = versions.pop() {
        return Some(d);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .filter_map(|d| {
            d.join(programs[0])
                .canonicalize()
                .ok()?
                .parent()
                .map(Path::to_path_buf)
        })
        .find(|d| has_all(d, programs))
}
