//! A fresh database at a chosen revision, dropped when the test is done.
//!
//! Testing a data migration means a database at the revision before it, rows
//! put in, the upgrade, and assertions on the rows that come out. A
//! [`TestDatabase`] is that database: created on the test server
//! ([`super::server`]), upgraded to the revision asked for, and dropped when
//! the last handle to it goes, also when the test panics.

use std::sync::Arc;

use sqlx::postgres::PgPoolOptions;
use sqlx::{PgConnection, PgPool};

use super::{ClusterError, TestCluster};
use crate::{IntoTarget, MigrateError, Migrator, SetSource};

/// Why a test database could not be made.
///
/// # Examples
///
/// ```
/// use schema_runtime::testing::TestDatabaseError;
///
/// let e = TestDatabaseError::Upgrade {
///     database: "test_1_0".into(),
///     source: schema_runtime::MigrateError::LockTimeout { waited_ms: 60_000 },
/// };
/// assert!(e.to_string().starts_with("upgrading the test database test_1_0 failed: "));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TestDatabaseError {
    /// The server could not create the database.
    #[error("creating a test database failed: {0}")]
    Create(#[from] ClusterError),
    /// Connecting to it failed.
    #[error("connecting to the test database {database} failed: {source}")]
    Connect {
        /// The database's name.
        database: String,
        /// The driver's error.
        #[source]
        source: sqlx::Error,
    },
    /// Upgrading it to the revision asked for failed.
    #[error("upgrading the test database {database} failed: {source}")]
    Upgrade {
        /// The database's name.
        database: String,
        /// The migrator's error.
        #[source]
        source: MigrateError,
    },
}

/// A fresh database on the test server, at a revision of a chain: its URL, a
/// pool, and the database dropped when the last clone of the handle is
/// dropped (at the end of the test, or while its panic unwinds).
///
/// # Examples
///
/// Testing a data migration: the database at the revision before it, a row
/// put in, the upgrade, the row checked.
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// use schema_runtime::testing::TestDatabase;
/// use schema_runtime::Migrator;
///
/// # async fn the_backfill_fills_existing_rows() -> Result<(), Box<dyn std::error::Error>> {
/// let db = TestDatabase::at(&migrations::SET, migrations::InitialSchema).await?;
/// schema_runtime::sqlx::raw_sql("INSERT INTO cameras (id, name, folder_path) VALUES ('c', 'C', '/c')")
///     .execute(db.pool())
///     .await?;
/// Migrator::new(&migrations::SET).upgrade(db.pool(), migrations::EventsSearch).await?;
/// // ... assert on the rows
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct TestDatabase {
    inner: Arc<Inner>,
}

struct Inner {
    name: String,
    url: String,
    pool: PgPool,
    cluster: &'static TestCluster,
}

impl std::fmt::Debug for TestDatabase {
    // The URL may carry a password: the name says which database it is.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestDatabase")
            .field("name", &self.inner.name)
            .finish_non_exhaustive()
    }
}

impl TestDatabase {
    /// A fresh, empty database (no version table) on the test server.
    ///
    /// # Errors
    /// When the database cannot be created or connected to.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn example() -> Result<(), schema_runtime::testing::TestDatabaseError> {
    /// let db = schema_runtime::testing::TestDatabase::empty().await?;
    /// assert!(db.url().contains(db.name()));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn empty() -> Result<TestDatabase, TestDatabaseError> {
        Self::on(super::server()).await
    }

    /// A fresh database upgraded to `revision` of `set` (`"head"`, an id, a
    /// typed revision of `migrations!()`), with the default migrator
    /// settings.
    ///
    /// # Errors
    /// When the database cannot be created or connected to, or the upgrade
    /// fails.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example() -> Result<(), schema_runtime::testing::TestDatabaseError> {
    /// use schema_runtime::testing::TestDatabase;
    ///
    /// let by_id = TestDatabase::at(&migrations::SET, "add_zones_001").await?;
    /// let typed = TestDatabase::at(&migrations::SET, migrations::CameraZones).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn at<T, R>(set: &T, revision: R) -> Result<TestDatabase, TestDatabaseError>
    where
        T: SetSource + ?Sized,
        R: IntoTarget<T::Module>,
    {
        Self::at_with(&Migrator::new(set), revision).await
    }

    /// A fresh database upgraded to `revision` by `migrator` (its version
    /// table, its settings).
    ///
    /// # Errors
    /// As [`TestDatabase::at`].
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # schema_runtime::migrations!("../migrations", lint = false);
    /// # async fn example() -> Result<(), schema_runtime::testing::TestDatabaseError> {
    /// let migrator = schema_runtime::Migrator::new(&migrations::SET).table_name("schema_version");
    /// let db = schema_runtime::testing::TestDatabase::at_with(&migrator, "head").await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn at_with<S, R>(
        migrator: &Migrator<S>,
        revision: R,
    ) -> Result<TestDatabase, TestDatabaseError>
    where
        R: IntoTarget<S>,
    {
        let db = Self::empty().await?;
        migrator
            .upgrade(db.pool(), revision)
            .await
            .map_err(|source| TestDatabaseError::Upgrade {
                database: db.name().to_owned(),
                source,
            })?;
        Ok(db)
    }

    /// A fresh, empty database on `cluster`.
    ///
    /// # Errors
    /// As [`TestDatabase::empty`].
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn example() -> Result<(), schema_runtime::testing::TestDatabaseError> {
    /// use schema_runtime::testing::{TestCluster, TestDatabase};
    ///
    /// let db = TestDatabase::on(TestCluster::shared()).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn on(cluster: &'static TestCluster) -> Result<TestDatabase, TestDatabaseError> {
        let name = cluster.database()?;
        let url = cluster.url(&name);
        let pool = PgPoolOptions::new().max_connections(5).connect(&url).await;
        let pool = match pool {
            Ok(pool) => pool,
            Err(source) => {
                let _ = cluster.drop_database(&name);
                return Err(TestDatabaseError::Connect {
                    database: name,
                    source,
                });
            }
        };
        Ok(TestDatabase {
            inner: Arc::new(Inner {
                name,
                url,
                pool,
                cluster,
            }),
        })
    }

    /// The database's name.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn example(db: schema_runtime::testing::TestDatabase) {
    /// println!("the test runs in {}", db.name());
    /// # }
    /// ```
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// A URL to connect to it (for a child process, a CLI under test).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn example(db: schema_runtime::testing::TestDatabase) -> Result<(), schema_runtime::MigrateError> {
    /// let conn = schema_runtime::connect(db.url()).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn url(&self) -> &str {
        &self.inner.url
    }

    /// A pool of connections to it.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn example(db: schema_runtime::testing::TestDatabase) -> Result<(), schema_runtime::sqlx::Error> {
    /// let n: i64 = schema_runtime::sqlx::query_scalar("SELECT 1::bigint").fetch_one(db.pool()).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn pool(&self) -> &PgPool {
        &self.inner.pool
    }

    /// A connection of its own, outside the pool.
    ///
    /// # Errors
    /// When connecting fails.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn example(db: schema_runtime::testing::TestDatabase) -> Result<(), schema_runtime::sqlx::Error> {
    /// let mut conn = db.connect().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn connect(&self) -> Result<PgConnection, sqlx::Error> {
        use sqlx::Connection as _;
        PgConnection::connect(&self.inner.url).await
    }

    /// Closes the pool and drops the database now, if this is the last
    /// handle (dropping the handle does the same, ending the connections
    /// still open from the server's side).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # async fn example(db: schema_runtime::testing::TestDatabase) {
    /// db.close().await;
    /// # }
    /// ```
    pub async fn close(self) {
        if Arc::strong_count(&self.inner) == 1 {
            self.inner.pool.close().await;
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // A database that cannot be dropped now (a server gone away) goes
        // with the throwaway cluster, or with the next run's sweep.
        let _ = self.cluster.drop_database(&self.name);
    }
}
