//! Tracks the migrations directories the tests embed, so that editing or
//! adding a revision rebuilds them.

fn main() {
    schema_runtime::build::track_migrations("../migrations");
    schema_runtime::build::track_migrations("chains/mixed");
    schema_runtime::build::track_migrations("chains/failing_rust");
}
