schema_runtime::migrations!("ui/fail/duplicate_label");

fn main() {}
