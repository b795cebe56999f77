schema_runtime::migrations!("ui/fail/repeated_marker");

fn main() {}
