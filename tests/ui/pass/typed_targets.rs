// A migrator built from a module's `SET` takes that module's typed revisions,
// text and `Target`s as targets, on a pool or a connection.
schema_runtime::migrations!("../migrations", lint = false);

use schema_runtime::sqlx::{PgConnection, PgPool};
use schema_runtime::{Migrator, Target};

#[allow(dead_code)]
async fn targets(pool: &PgPool, conn: &mut PgConnection) {
    let m = Migrator::new(&migrations::SET);
    let _ = m.upgrade(pool, migrations::HEAD).await;
    let _ = m.upgrade(&mut *conn, migrations::CameraZones).await;
    let _ = m.downgrade(pool, "-1").await;
    let _ = m.downgrade(pool, Target::revision("add_zones_001")).await;
    let _ = m.stamp(&mut *conn, String::from("base"), false).await;
}

fn main() {}
