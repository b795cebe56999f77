schema_runtime::migrations!("ui/fail/invalid_branch_label");

fn main() {}
