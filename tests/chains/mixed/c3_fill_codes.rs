// Fill item codes, computed in Rust
//
// Revision ID: c3
// Revises: b2
// Create Date: 2026-12-05 06:02:00

use schema_runtime::sqlx::{self, PgConnection, Row};

/// The code of an item: its name reversed and upper-cased, then its id.
fn code(id: i64, name: &str) -> String {
    format!("{}-{id}", name.chars().rev().collect::<String>().to_uppercase())
}

pub async fn upgrade(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let rows = sqlx::query("SELECT id, name FROM items ORDER BY id")
        .fetch_all(&mut *conn)
        .await?;
    for row in rows {
        let (id, name): (i64, String) = (row.get(0), row.get(1));
        sqlx::query("INSERT INTO item_codes (item_id, code) VALUES ($1, $2)")
            .bind(id)
            .bind(code(id, &name))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub async fn downgrade(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM item_codes").execute(&mut *conn).await?;
    Ok(())
}
