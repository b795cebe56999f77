// A type error in a revision written in Rust is reported by rustc at the
// revision file's line, as for any module of the crate.
schema_runtime::migrations!("ui/fail/rust_revision_type_error");

fn main() {}
