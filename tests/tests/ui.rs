//! Compile-time behaviour of `migrations!()`: every rule of the chain check
//! fails the build with its own message, and valid chains compile and run.
//! Each `ui/*/*.rs` has a `.stderr` beside it: the exact text a user reads.

use std::path::{Path, PathBuf};

fn fixture_dirs(root: &Path) -> Vec<PathBuf> {
    ["ui/pass", "ui/fail"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root.join(d)).expect("fixture directory"))
        .map(|e| e.expect("readable").path())
        .filter(|p| p.is_dir())
        .chain([root.join("../migrations")])
        .collect()
}

#[test]
fn ui() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // trybuild compiles each fixture from a crate of its own under target/, so
    // the macro is told where this crate is.
    std::env::set_var("SCHEMA_MIGRATIONS_MANIFEST_DIR", root);
    // Every fixture directory counts as tracked by a build script except the one
    // whose test is about the warning for an untracked directory.
    let tracked: Vec<String> = fixture_dirs(root)
        .into_iter()
        .filter(|d| !d.ends_with("untracked_directory"))
        .map(|d| format!("{}#fixture", d.canonicalize().expect("exists").display()))
        .collect();
    std::env::set_var("SCHEMA_MIGRATIONS_TRACKED", tracked.join("|"));

    let t = trybuild::TestCases::new();
    t.pass("ui/pass/*.rs");
    t.compile_fail("ui/fail/*.rs");
}
