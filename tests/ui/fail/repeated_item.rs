schema_runtime::migrations!("ui/fail/repeated_item");

fn main() {}
