//! Tracks the revision directories the tests embed, so that the tests
//! embedding them rebuild: the reference migrations and the test kit's
//! fixture chain.

use std::path::Path;

fn main() {
    schema_runtime::build::track_all(&[
        Path::new("../migrations"),
        Path::new("chains/broken_downgrade"),
    ]);
}
