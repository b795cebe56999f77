schema_runtime::migrations!("ui/fail/sql_before_upgrade");

fn main() {}
