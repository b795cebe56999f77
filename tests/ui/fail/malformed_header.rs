schema_runtime::migrations!("ui/fail/malformed_header");

fn main() {}
