//! The one-line build-script helper that makes added revision files rebuild.
//!
//! A proc macro can track the files it reads but not the directory they are in,
//! so a file *added* to `migrations/` (by `git pull`, say) would not trigger a
//! rebuild. Calling [`track_migrations`] from `build.rs` tracks the directory;
//! `migrations!()` notices when it is missing and says so at compile time.
//!
//! In `build.rs`, with `schema-runtime` (default features off) under
//! `[build-dependencies]`:
//!
//! ```no_run
//! schema_runtime::build::track_migrations("migrations");
//! ```

use std::path::{Path, PathBuf};

/// The variable the macro reads to know which directories are tracked.
pub const TRACKED_VAR: &str = "SCHEMA_MIGRATIONS_TRACKED";

/// Tracks `dir` (relative to the package's `Cargo.toml`) so that adding,
/// removing or renaming a file in it rebuilds the crate and re-expands
/// `migrations!()`. Call it once per directory, from `build.rs`.
pub fn track_migrations(dir: impl AsRef<Path>) {
    track_all(&[dir.as_ref()]);
}

/// [`track_migrations`] for several directories at once.
pub fn track_all(dirs: &[&Path]) {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let mut entries = Vec::new();
    for dir in dirs {
        let full = manifest.join(dir);
        println!("cargo:rerun-if-changed={}", full.display());
        let canonical = full.canonicalize().unwrap_or(full);
        // The listing goes into the value, so a changed listing changes rustc's
        // environment and forces the re-expansion even if nothing else does.
        let mut names: Vec<String> = std::fs::read_dir(&canonical)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| schema_core::load::is_revision_file(n))
            .collect();
        names.sort();
        let listing = schema_core::hex(&schema_core::checksum(&names.join("\n"))[..8]);
        entries.push(format!("{}#{listing}", canonical.display()));
    }
    println!("cargo:rustc-env={TRACKED_VAR}={}", entries.join("|"));
}
