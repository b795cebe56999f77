// The lint's warning is made an error so that its text is in this fixture's
// stderr: a plain `CREATE INDEX` on a table an earlier revision created.
#![deny(deprecated)]

schema_runtime::migrations!("ui/fail/lint_index_on_existing_table", lint = true);

fn main() {}
