schema_runtime::migrations!("ui/fail/label_is_id");

fn main() {}
