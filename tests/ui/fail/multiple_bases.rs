schema_runtime::migrations!("ui/fail/multiple_bases");

fn main() {}
