schema_runtime::migrations!("ui/fail/unknown_key");

fn main() {}
