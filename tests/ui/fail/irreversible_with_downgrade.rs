schema_runtime::migrations!("ui/fail/irreversible_with_downgrade");

fn main() {}
