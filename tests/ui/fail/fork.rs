schema_runtime::migrations!("ui/fail/fork");

fn main() {}
