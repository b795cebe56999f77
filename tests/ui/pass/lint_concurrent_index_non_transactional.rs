//! `CREATE INDEX CONCURRENTLY` in a non-transactional revision, and a downgrade
//! that drops what its upgrade created: no lint finding, so no warning.
#![deny(warnings)]

use schema_runtime::Migration;

schema_runtime::migrations!("ui/pass/lint_concurrent_index_non_transactional", lint = true);

fn main() {
    assert_eq!(migrations::HEAD.id(), "r2");
}
