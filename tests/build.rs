//! Tracks the revision directories the tests embed, so that editing or
//! adding a revision rebuilds the tests that embed them: the reference
//! migrations and the fixture chains.

fn main() {
    for dir in [
        "../migrations",
        "chains/mixed",
        "chains/failing_rust",
        "chains/committing_rust",
        "chains/broken_downgrade",
    ] {
        schema_runtime::build::track_migrations(dir);
    }
}
