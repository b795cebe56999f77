// Fill item codes, then fail on a name it cannot read
//
// Revision ID: c3
// Revises: b2
// Create Date: 2026-12-05 06:02:00

use schema_runtime::sqlx::{self, PgConnection};

/// What the revision returns: a reading error caused by a parse error.
#[derive(Debug)]
struct CannotRead {
    name: &'static str,
    cause: std::num::ParseIntError,
}

impl std::fmt::Display for CannotRead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "cannot read the serial number of item `{}`", self.name)
    }
}

impl std::error::Error for CannotRead {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.cause)
    }
}

pub async fn upgrade(conn: &mut PgConnection) -> Result<(), schema_runtime::BoxError> {
    // Written first, and rolled back with the revision's transaction.
    sqlx::query("INSERT INTO item_codes (item_id, code) VALUES (1, 'first')")
        .execute(&mut *conn)
        .await?;
    let cause = "x12".parse::<u32>().unwrap_err();
    Err(Box::new(CannotRead { name: "camera", cause }))
}

pub async fn downgrade(conn: &mut PgConnection) -> Result<(), schema_runtime::BoxError> {
    sqlx::query("DELETE FROM item_codes").execute(&mut *conn).await?;
    Ok(())
}
