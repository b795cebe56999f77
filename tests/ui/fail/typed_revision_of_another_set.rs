// A typed revision of one `migrations!()` module is not a target of a
// migrator built from another module's `SET`.
mod reference {
    schema_runtime::migrations!("../migrations", lint = false);
}
mod other {
    schema_runtime::migrations!("ui/pass/diamond", lint = false);
}

use schema_runtime::sqlx::PgPool;
use schema_runtime::Migrator;

async fn upgrade(pool: &PgPool) {
    let m = Migrator::new(&other::migrations::SET);
    let _ = m.upgrade(pool, reference::migrations::CameraZones).await;
}

fn main() {
    let _ = upgrade;
}
