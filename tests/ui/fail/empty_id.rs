schema_runtime::migrations!("ui/fail/empty_id");

fn main() {}
