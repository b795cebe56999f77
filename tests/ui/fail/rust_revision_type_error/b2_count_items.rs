// Count the items
//
// Revision ID: b2
// Revises: a1

use schema_runtime::sqlx::{self, PgConnection};

pub async fn upgrade(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let count: String = sqlx::query_scalar::<_, i64>("SELECT count(*) FROM items")
        .fetch_one(&mut *conn)
        .await?;
    let _ = count;
    Ok(())
}

pub async fn downgrade(_conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    Ok(())
}
