// Commits on its own half way (as a hostile or careless revision would)
//
// Revision ID: b2
// Revises: a1

use schema_runtime::sqlx::{self, PgConnection};

pub async fn upgrade(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO items VALUES (10, 'committed early')")
        .execute(&mut *conn)
        .await?;
    sqlx::query("COMMIT").execute(&mut *conn).await?;
    // A transaction of its own: not the one the revision was given.
    sqlx::query("BEGIN").execute(&mut *conn).await?;
    sqlx::query("INSERT INTO items VALUES (11, 'after')")
        .execute(&mut *conn)
        .await?;
    Ok(())
}

pub async fn downgrade(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM items WHERE id >= 10")
        .execute(&mut *conn)
        .await?;
    Ok(())
}
