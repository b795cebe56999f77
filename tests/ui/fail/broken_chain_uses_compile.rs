// A broken chain fails the build with the chain's errors only: the module
// that stands in for `migrations` keeps the crate's uses of it compiling.
schema_runtime::migrations!("ui/fail/gap");

async fn downgrade(pool: &schema_runtime::sqlx::PgPool) {
    let m: schema_runtime::Migrator<migrations::Revisions> =
        schema_runtime::Migrator::new(&migrations::SET);
    let _ = m.downgrade(pool, migrations::BASE).await;
}

fn main() {
    let _ = downgrade;
    let _head: &str = schema_runtime::Migration::id(&migrations::HEAD);
}
