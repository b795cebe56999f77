schema_runtime::migrations!("ui/fail/merge_unknown_parent");

fn main() {}
