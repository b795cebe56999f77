schema_runtime::migrations!("ui/fail/duplicate_id");

fn main() {}
