schema_runtime::migrations!("ui/fail/reserved_id");

fn main() {}
