schema_runtime::migrations!("ui/fail/empty_directory");

fn main() {}
