schema_runtime::migrations!("ui/fail/invalid_id");

fn main() {}
