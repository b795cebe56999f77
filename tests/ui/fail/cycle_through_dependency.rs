schema_runtime::migrations!("ui/fail/cycle_through_dependency");

fn main() {}
