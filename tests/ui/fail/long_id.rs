schema_runtime::migrations!("ui/fail/long_id");

fn main() {}
