schema_runtime::migrations!("ui/fail/standard_conforming_strings_off");

fn main() {}
