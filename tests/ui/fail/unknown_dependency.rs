schema_runtime::migrations!("ui/fail/unknown_dependency");

fn main() {}
