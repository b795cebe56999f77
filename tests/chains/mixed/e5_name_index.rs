// An index on item names, built without blocking writes
//
// Revision ID: e5
// Revises: d4
// Create Date: 2026-12-05 06:04:00
// Options: non-transactional

use schema_runtime::sqlx::{self, PgConnection};

// `CREATE INDEX CONCURRENTLY` cannot run inside a transaction: the revision
// gets the bare connection.
pub async fn upgrade(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("CREATE INDEX CONCURRENTLY IF NOT EXISTS items_name ON items (name)")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn downgrade(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("DROP INDEX CONCURRENTLY IF EXISTS items_name")
        .execute(&mut *conn)
        .await?;
    Ok(())
}
