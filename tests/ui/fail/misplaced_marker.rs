schema_runtime::migrations!("ui/fail/misplaced_marker");

fn main() {}
