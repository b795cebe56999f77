schema_runtime::migrations!("ui/fail/commit_in_transactional");

fn main() {}
