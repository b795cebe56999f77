//! Tracks the reference migrations embedded by the demo.

fn main() {
    schema_runtime::build::track_migrations("../migrations");
}
