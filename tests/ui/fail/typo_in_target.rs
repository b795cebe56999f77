schema_runtime::migrations!("ui/fail/typo_in_target");

fn main() {
    // The revision type is `AddZones`; a misspelt target does not compile.
    let _target: schema_runtime::Target = migrations::AddZone.into();
}
