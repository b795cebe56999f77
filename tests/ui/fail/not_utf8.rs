schema_runtime::migrations!("ui/fail/not_utf8");

fn main() {}
