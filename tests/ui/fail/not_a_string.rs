schema_runtime::migrations!(migrations);

fn main() {}
