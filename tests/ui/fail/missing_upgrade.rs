schema_runtime::migrations!("ui/fail/missing_upgrade");

fn main() {}
