schema_runtime::migrations!("ui/fail/copy_from_stdin");

fn main() {}
