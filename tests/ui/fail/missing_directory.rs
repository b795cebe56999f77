schema_runtime::migrations!("ui/fail/no_such_directory");

fn main() {}
