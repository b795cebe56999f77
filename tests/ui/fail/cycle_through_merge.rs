schema_runtime::migrations!("ui/fail/cycle_through_merge");

fn main() {}
