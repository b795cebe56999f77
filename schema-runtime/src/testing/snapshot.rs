//! A snapshot of a database's schema, read from the catalog, and the
//! difference between two snapshots as lines a person can read.
//!
//! The stairway check compares snapshots after each step; a test may take
//! them itself to assert what a revision leaves behind. A snapshot is the
//! text form of the schema model, [`Catalog::entries`].

use std::collections::BTreeMap;
use std::fmt;

use sqlx::PgConnection;

use crate::catalog::{Catalog, CatalogError};
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
        let mut diff = SchemaDiff::default();
        for (name, expected) in &self.objects {
            match other.objects.get(name) {
                None => diff.missing.push(Object {
                    name: name.clone(),
                    definition: expected.clone(),
                }),
                Some(found) if found != expected => diff.changed.push(Change {
                    name: name.clone(),
                    expected: expected.clone(),
                    found: found.clone(),
                }),
                Some(_) => {}
            }
        }
        for (name, found) in &other.objects {
            if !self.objects.contains_key(name) {
                diff.extra.push(Object {
                    name: name.clone(),
                    definition: found.clone(),
                });
            }
        }
        diff
    }
}

/// One object of a snapshot: its name and its definition.
///
/// # Examples
///
/// ```
/// use schema_runtime::testing::Object;
///
/// let index = Object { name: "index public.t_idx".into(), definition: "CREATE INDEX ...".into() };
/// assert_eq!(index.to_string(), "index public.t_idx: CREATE INDEX ...");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    /// What names it: its kind and qualified name (`column public.t.c`).
    pub name: String,
    /// Its definition as the catalog gives it.
    pub definition: String,
}

impl fmt::Display for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.definition)
    }
}

/// An object defined differently in two snapshots.
///
/// # Examples
///
/// ```
/// use schema_runtime::testing::Change;
///
/// let c = Change { name: "column public.t.c".into(), expected: "text null".into(), found: "text not null".into() };
/// assert_eq!(c.to_string(), "column public.t.c: text null\n    now: text not null");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What names it.
    pub name: String,
    /// Its definition in the expected snapshot.
    pub expected: String,
    /// Its definition in the other.
    pub found: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}\n    now: {}",
            self.name, self.expected, self.found
        )
    }
}

/// The difference between an expected snapshot and another, each part
/// sorted by object name.
///
/// It displays as one line per object, `- ` for what is missing, `+ ` for
/// what is extra and `~ ` for what changed (with the new definition on the
/// next line).
///
/// # Examples
///
/// ```
/// use schema_runtime::testing::{Object, SchemaDiff};
///
/// let diff = SchemaDiff {
///     extra: vec![Object { name: "index public.t_idx".into(), definition: "CREATE INDEX t_idx ON public.t USING btree (c)".into() }],
///     ..SchemaDiff::default()
/// };
/// assert_eq!(diff.to_string(), "  + index public.t_idx: CREATE INDEX t_idx ON public.t USING btree (c)");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaDiff {
    /// In the expected snapshot only.
    pub missing: Vec<Object>,
    /// In the other snapshot only.
    pub extra: Vec<Object>,
    /// In both, defined differently.
    pub changed: Vec<Change>,
}

impl SchemaDiff {
    /// Whether the two snapshots are the same.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(schema_runtime::testing::SchemaDiff::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.changed.is_empty()
    }
}

impl fmt::Display for SchemaDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut lines = Vec::new();
        lines.extend(self.missing.iter().map(|o| format!("  - {o}")));
        lines.extend(self.extra.iter().map(|o| format!("  + {o}")));
        lines.extend(self.changed.iter().map(|c| format!("  ~ {c}")));
        f.write_str(&lines.join("\n"))
    }
}
