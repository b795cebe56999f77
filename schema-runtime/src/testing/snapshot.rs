//! A snapshot of a database's schema, read from the catalog, and the
//! difference between two snapshots as lines a person can read.
//!
//! The stairway check compares snapshots after each step; a test may take
//! them itself to assert what a revision leaves behind. A snapshot is the
//! text form of the schema model, [`Catalog::entries`].

use std::collections::BTreeMap;

use sqlx::PgConnection;

use crate::catalog::{Catalog, CatalogError, SchemaDiff};
use crate::VersionTable;

/// The schema of a database: one entry per object (tables, columns with
/// type, nullability and default, constraints, indexes, views, functions,
/// triggers, enums, domains, sequences, schemas, extensions), keyed by what
/// names it and valued by its definition. The version table and its log are
/// left out.
///
/// # Examples
///
/// ```no_run
/// use schema_runtime::testing::{Snapshot, TestDatabase};
/// use schema_runtime::VersionTable;
///
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// let db = TestDatabase::empty().await?;
/// let mut conn = db.connect().await?;
/// let before = Snapshot::take(&mut conn, &VersionTable::default()).await?;
/// schema_runtime::sqlx::raw_sql("CREATE TABLE t (id int NOT NULL)").execute(&mut conn).await?;
/// let after = Snapshot::take(&mut conn, &VersionTable::default()).await?;
/// let diff = before.diff(&after);
/// assert_eq!(diff.extra.len(), 2); // the table and its column
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot {
    objects: BTreeMap<String, String>,
}

impl Snapshot {
    /// Reads the schema of the database `conn` is connected to, leaving out
    /// `table` (the version table a migrator uses) and its log.
    ///
    /// # Errors
    /// When a catalog query fails.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn example(conn: &mut schema_runtime::sqlx::PgConnection) -> Result<(), schema_runtime::catalog::CatalogError> {
    /// let snapshot = schema_runtime::testing::Snapshot::take(conn, &schema_runtime::VersionTable::default()).await?;
    /// assert_eq!(snapshot.get("schema public"), Some("schema, comment 'standard public schema'"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn take(
        conn: &mut PgConnection,
        table: &VersionTable,
    ) -> Result<Snapshot, CatalogError> {
        let objects = Catalog::read(conn, table).await?.entries();
        Ok(Snapshot { objects })
    }

    /// The objects, by name (`index public.zones_pkey`), with their
    /// definitions, sorted by name.
    ///
    /// # Examples
    ///
    /// ```
    /// let empty = schema_runtime::testing::Snapshot::default();
    /// assert_eq!(empty.objects().count(), 0);
    /// ```
    pub fn objects(&self) -> impl Iterator<Item = (&str, &str)> {
        self.objects.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// The definition of the object named `name`, if there is one.
    ///
    /// # Examples
    ///
    /// ```
    /// let empty = schema_runtime::testing::Snapshot::default();
    /// assert_eq!(empty.get("table public.t"), None);
    /// ```
    pub fn get(&self, name: &str) -> Option<&str> {
        self.objects.get(name).map(String::as_str)
    }

    /// Whether the snapshot has no object at all (a database at base, with
    /// only its version table).
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(schema_runtime::testing::Snapshot::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// What `other` has that this snapshot lacks (`extra`), what it lacks
    /// (`missing`) and what it defines differently (`changed`), taking this
    /// snapshot as the expected one.
    ///
    /// # Examples
    ///
    /// ```
    /// let empty = schema_runtime::testing::Snapshot::default();
    /// assert!(empty.diff(&empty).is_empty());
    /// ```
    pub fn diff(&self, other: &Snapshot) -> SchemaDiff {
        SchemaDiff::between(&self.objects, &other.objects)
    }
}
