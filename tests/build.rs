//! Tracks the reference migrations so that the tests embedding them rebuild.

fn main() {
    schema_runtime::build::track_migrations("../migrations");
}
