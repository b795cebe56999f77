//! The one-line build-script helper that makes added revision files rebuild.
//!
//! A proc macro cannot tell cargo which directory it read, so a file *added*
//! to `migrations/` (by `git pull`, say) would not trigger a rebuild. Calling
//! [`track_migrations`] from `build.rs` tracks the directory: cargo reruns the
//! build script when anything in it changes, and the script passes rustc a
//! digest of every file's name and contents, so any change re-expands
//! `migrations!()`. Without it the macro tracks the files it read one by one
//! (edits and removals rebuild, additions do not) and warns at compile time.
//!
//! In `build.rs`, with `schema-runtime` (default features off) under
//! `[build-dependencies]`:
//!
//! ```no_run
//! schema_runtime::build::track_migrations("migrations");
//! ```

use std::path::{Path, PathBuf};

/// The variable the macro reads to know which directories are tracked.
///
/// ```
/// // Set for rustc by `track_migrations`, read by `migrations!()`.
/// assert_eq!(schema_runtime::build::TRACKED_VAR, "SCHEMA_MIGRATIONS_TRACKED");
/// ```
pub const TRACKED_VAR: &str = "SCHEMA_MIGRATIONS_TRACKED";

/// Tracks `dir` (relative to the package's `Cargo.toml`) so that adding,
/// removing or renaming a file in it rebuilds the crate and re-expands
/// `migrations!()`. Call it from `build.rs`, once per directory (each call
/// adds to the directories tracked so far), or [`track_all`] once.
///
/// # Examples
///
/// ```
/// // In `build.rs`'s `main`:
/// schema_runtime::build::track_migrations("migrations");
/// ```
pub fn track_migrations(dir: impl AsRef<Path>) {
    track_all(&[dir.as_ref()]);
}

/// [`track_migrations`] for several directories at once.
///
/// # Examples
///
/// ```
/// use std::path::Path;
///
/// // In `build.rs`'s `main`, for a crate with two migration sets:
/// schema_runtime::build::track_all(&[Path::new("db/app"), Path::new("db/audit")]);
/// ```
pub fn track_all(dirs: &[&Path]) {
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default();
    let mut entries = Vec::new();
    for dir in dirs {
        let full = manifest.join(dir);
        println!("cargo:rerun-if-changed={}", full.display());
        let canonical = full.canonicalize().unwrap_or(full);
        // A digest of the files' names and contents goes into the value, so
        // that adding, removing, renaming or editing a file changes rustc's
        // environment and forces the re-expansion.
        let mut names: Vec<String> = std::fs::read_dir(&canonical)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| schema_core::load::is_revision_file(n))
            .collect();
        names.sort();
        let mut listing = String::new();
        for name in &names {
            let text = std::fs::read(canonical.join(name)).unwrap_or_default();
            listing.push_str(name);
            listing.push(' ');
            listing.push_str(&schema_core::hex(&schema_core::checksum_bytes(&text)));
            listing.push('\n');
        }
        let digest = schema_core::hex(&schema_core::checksum(&listing)[..8]);
        entries.push(format!("{}#{digest}", canonical.display()));
    }
    // Cargo keeps the last value of a variable: each call prints every
    // directory tracked so far, so that calling once per directory works.
    let mut all = TRACKED.lock().unwrap_or_else(|e| e.into_inner());
    all.extend(entries);
    println!("cargo:rustc-env={TRACKED_VAR}={}", all.join("|"));
}

/// The directories tracked so far by this build script.
static TRACKED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
