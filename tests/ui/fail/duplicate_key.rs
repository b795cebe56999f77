schema_runtime::migrations!("ui/fail/duplicate_key");

fn main() {}
