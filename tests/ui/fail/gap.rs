schema_runtime::migrations!("ui/fail/gap");

fn main() {}
