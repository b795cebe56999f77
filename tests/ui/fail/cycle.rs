schema_runtime::migrations!("ui/fail/cycle");

fn main() {}
