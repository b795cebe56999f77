//! Reading a [`Catalog`] from a live database.

use sqlx::PgConnection;

use super::Catalog;
use crate::VersionTable;

/// Why a catalog could not be read.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// A catalog query failed.
    #[error("cannot read the schema from the catalog: {0}")]
    Query(#[from] sqlx::Error),
}

impl Catalog {
    /// Reads the schema of the database `conn` is connected to, leaving out
    /// `table` (the version table a migrator uses), its log and its schema.
    ///
    /// # Errors
    /// When a catalog query fails.
    pub async fn read(
        conn: &mut PgConnection,
        table: &VersionTable,
    ) -> Result<Catalog, CatalogError> {
        let _ = (conn, table);
        todo!("catalog queries")
    }
}
