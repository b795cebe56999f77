// A broken chain fails the build with the chain's errors only: the module
// that stands in for `migrations` keeps the crate's uses of it compiling.
schema_runtime::migrations!("ui/fail/gap");

fn main() {
    let _migrator = schema_runtime::Migrator::new(&migrations::SET);
    let _head: &str = schema_runtime::Migration::id(&migrations::HEAD);
    let _base = schema_runtime::Target::from(migrations::BASE);
}
