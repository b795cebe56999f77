schema_runtime::migrations!("ui/fail/unknown_marker");

fn main() {}
