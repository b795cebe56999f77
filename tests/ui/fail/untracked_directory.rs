#![deny(deprecated)]

schema_runtime::migrations!("ui/fail/untracked_directory");

fn main() {}
