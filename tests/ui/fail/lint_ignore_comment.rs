// Two plain `CREATE INDEX` on an existing table; the ignore comment above the
// first silences it, so only the second is reported (made an error here so
// that the text is in this fixture's stderr).
#![deny(deprecated)]

schema_runtime::migrations!("ui/fail/lint_ignore_comment", lint = true);

fn main() {}
