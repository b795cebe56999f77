schema_runtime::migrations!("ui/fail/missing_revises");

fn main() {}
