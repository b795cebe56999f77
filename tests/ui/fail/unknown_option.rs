schema_runtime::migrations!("ui/fail/unknown_option");

fn main() {}
