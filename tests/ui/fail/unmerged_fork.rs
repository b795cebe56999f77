schema_runtime::migrations!("ui/fail/unmerged_fork");

fn main() {}
