schema_runtime::migrations!("ui/fail/missing_revision_id");

fn main() {}
