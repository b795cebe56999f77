schema_runtime::migrations!("ui/fail/missing_downgrade");

fn main() {}
