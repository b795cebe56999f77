//! The stairway check: every revision up, down and up again, one step at a
//! time, with the schema compared after each step.
//!
//! A downgrade that forgets an index, or puts back a default slightly
//! different from the one it found, passes every test that only upgrades; it
//! is found the day a deployment is rolled back. The check finds it in a test:
//! it names the first revision whose downgrade does not restore the schema
//! and shows what differs.

use std::fmt;

use sqlx::PgConnection;

use super::snapshot::Snapshot;
use crate::catalog::SchemaDiff;
use crate::{rows_text, Conn, MigrateError, Migrator, SetSource};

/// What a stairway check can run over: a migrator (with its version table
/// settings), or a set (`&migrations::SET`, a loaded `MigrationSet`), which
/// gets a migrator with the defaults.
///
/// # Examples
///
/// ```
/// # schema_runtime::migrations!("../migrations", lint = false);
/// use schema_runtime::testing::Chain;
///
/// let migrator = migrations::SET.migrator();
/// assert_eq!(migrator.set().len(), migrations::SET.len());
/// let renamed = schema_runtime::Migrator::new(&migrations::SET).table_name("v");
/// assert_eq!(renamed.migrator().version_table().name, "v");
/// ```
pub trait Chain {
    /// The module marker of the set (what typed revisions belong to).
    type Module;
    /// A migrator over the chain.
    fn migrator(&self) -> Migrator<Self::Module>;
}

impl<S> Chain for Migrator<S> {
    type Module = S;
    fn migrator(&self) -> Migrator<S> {
        self.clone()
    }
}

impl<T: SetSource + ?Sized> Chain for T {
    type Module = T::Module;
    fn migrator(&self) -> Migrator<T::Module> {
        Migrator::new(self)
    }
}

/// What a stairway check walked through, base first.
///
/// # Examples
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// use schema_runtime::testing::{stairway, TestDatabase};
///
/// # async fn example() -> Result<(), Box<dyn std::error::Error>> {
/// let db = TestDatabase::empty().await?;
/// let report = stairway(&migrations::SET, db.pool()).await?;
/// for step in &report.steps {
///     println!("{}: {} object(s) added", step.revision, step.changes.extra.len());
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StairwayReport {
    /// One entry per revision applied, in the order they were applied.
    pub steps: Vec<StairwayStep>,
}

impl StairwayReport {
    /// The revisions checked, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(schema_runtime::testing::StairwayReport::default().revisions().count(), 0);
    /// ```
    pub fn revisions(&self) -> impl Iterator<Item = &str> {
        self.steps.iter().map(|s| s.revision.as_str())
    }
}

/// One revision of a stairway check.
///
/// # Examples
///
/// ```
/// use schema_runtime::testing::{SchemaDiff, StairwayStep};
///
/// let step = StairwayStep { revision: "a1".into(), reversible: false, changes: SchemaDiff::default() };
/// assert_eq!(step.to_string(), "a1 (irreversible: upgraded only), no change to the schema");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StairwayStep {
    /// The revision id.
    pub revision: String,
    /// Whether it has a downgrade; an irreversible revision is upgraded once
    /// and not taken down.
    pub reversible: bool,
    /// What its upgrade changed in the schema (`extra`: what it created,
    /// `missing`: what it dropped, `changed`: what it altered).
    pub changes: SchemaDiff,
}

impl fmt::Display for StairwayStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.revision)?;
        if !self.reversible {
            f.write_str(" (irreversible: upgraded only)")?;
        }
        let c = &self.changes;
        if c.is_empty() {
            f.write_str(", no change to the schema")
        } else {
            write!(
                f,
                ": {} created, {} dropped, {} altered",
                c.extra.len(),
                c.missing.len(),
                c.changed.len()
            )
        }
    }
}

/// Why a stairway check failed.
///
/// # Examples
///
/// ```
/// use schema_runtime::testing::{Object, SchemaDiff, StairwayError};
///
/// let e = StairwayError::DowngradeDiffers {
///     revision: "b2".into(),
///     difference: SchemaDiff {
///         extra: vec![Object { name: "index public.t_idx".into(), definition: "CREATE INDEX ...".into() }],
///         ..SchemaDiff::default()
///     },
/// };
/// assert_eq!(
///     e.to_string(),
///     "the downgrade of b2 does not restore the schema its upgrade started from \
///      (- missing after the downgrade, + left by it, ~ changed):\n  + index public.t_idx: CREATE INDEX ..."
/// );
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StairwayError {
    /// A downgrade left the schema different from what its upgrade found.
    #[error(
        "the downgrade of {revision} does not restore the schema its upgrade started from \
         (- missing after the downgrade, + left by it, ~ changed):\n{difference}"
    )]
    DowngradeDiffers {
        /// The revision.
        revision: String,
        /// From the schema before the upgrade to the schema after the downgrade.
        difference: SchemaDiff,
    },
    /// Upgrading again after the downgrade gave another schema than the
    /// first upgrade (the downgrade left something the upgrade reacts to).
    #[error(
        "{revision} upgraded again after its downgrade leaves another schema than its first \
         upgrade (- missing the second time, + extra, ~ changed):\n{difference}"
    )]
    ReupgradeDiffers {
        /// The revision.
        revision: String,
        /// From the schema after the first upgrade to the one after the second.
        difference: SchemaDiff,
    },
    /// A step failed to run.
    #[error("the stairway check could not {step}: {source}")]
    Migrate {
        /// What it was doing.
        step: StairwayStage,
        /// The migrator's error.
        #[source]
        source: MigrateError,
    },
    /// Taking a connection from the pool failed.
    #[error("the stairway check could not connect: {0}")]
    Database(#[from] sqlx::Error),
    /// Reading the catalog failed.
    #[error("the stairway check could not read the schema: {0}")]
    Catalog(#[from] crate::catalog::CatalogError),
}

/// What a stairway check was doing when a step failed.
///
/// # Examples
///
/// ```
/// use schema_runtime::testing::StairwayStage;
///
/// let stage = StairwayStage::Downgrade { revision: "b2".into() };
/// assert_eq!(stage.to_string(), "downgrade b2");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StairwayStage {
    /// Reading the version table.
    ReadState,
    /// Upgrading one step from `from` (the version table's rows).
    Upgrade {
        /// Where the database was.
        from: String,
    },
    /// Downgrading the revision just upgraded.
    Downgrade {
        /// The revision.
        revision: String,
    },
    /// Upgrading the revision again after its downgrade.
    Reupgrade {
        /// The revision.
        revision: String,
    },
}

impl fmt::Display for StairwayStage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StairwayStage::ReadState => f.write_str("read the version table"),
            StairwayStage::Upgrade { from } => write!(f, "upgrade one step from {from}"),
            StairwayStage::Downgrade { revision } => write!(f, "downgrade {revision}"),
            StairwayStage::Reupgrade { revision } => {
                write!(f, "upgrade {revision} again after its downgrade")
            }
        }
    }
}

/// Walks `chain` from the database's current revision to head one revision
/// at a time: up, snapshot, down, compare with the snapshot before the
/// upgrade, up again, compare with the first upgrade's. Stops at the first
/// difference. On a fresh database every revision is checked; the database is
/// at head when the check passes.
///
/// # Errors
/// [`StairwayError::DowngradeDiffers`] names the first revision whose
/// downgrade does not restore the schema, with the difference;
/// [`StairwayError::ReupgradeDiffers`] one that upgrades differently the
/// second time; the others say which step could not run.
///
/// # Examples
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// use schema_runtime::testing::{stairway, TestDatabase};
///
/// # async fn every_downgrade_restores_the_schema() -> Result<(), Box<dyn std::error::Error>> {
/// let db = TestDatabase::empty().await?;
/// let report = stairway(&migrations::SET, db.pool()).await?;
/// assert_eq!(report.steps.len(), migrations::SET.len());
/// # Ok(())
/// # }
/// ```
pub async fn stairway<'c, C: Chain + ?Sized>(
    chain: &C,
    conn: impl Into<Conn<'c>>,
) -> Result<StairwayReport, StairwayError> {
    let migrator = chain.migrator();
    let mut pooled;
    let conn: &mut PgConnection = match conn.into() {
        Conn::Connection(c) => c,
        Conn::Pool(pool) => {
            pooled = pool.acquire().await?;
            &mut pooled
        }
    };
    walk(&migrator, conn).await
}

async fn walk<S>(
    migrator: &Migrator<S>,
    conn: &mut PgConnection,
) -> Result<StairwayReport, StairwayError> {
    let table = migrator.version_table().clone();
    let mut heads: Vec<String> = migrator.heads().iter().map(|r| r.id.to_string()).collect();
    heads.sort();
    let fail = |step: StairwayStage| move |source| StairwayError::Migrate { step, source };
    let mut report = StairwayReport::default();
    let mut below = Snapshot::take(conn, &table).await?;
    loop {
        let mut current = migrator
            .current(&mut *conn)
            .await
            .map_err(fail(StairwayStage::ReadState))?
            .current;
        current.sort();
        if current == heads {
            return Ok(report);
        }
        let up =
            migrator
                .upgrade(&mut *conn, "+1")
                .await
                .map_err(fail(StairwayStage::Upgrade {
                    from: rows_text(&current),
                }))?;
        let Some(revision) = up.steps.last().map(|s| s.id.clone()) else {
            return Ok(report);
        };
        let above = Snapshot::take(conn, &table).await?;
        let reversible = migrator
            .set()
            .revisions()
            .iter()
            .find(|r| r.id == revision)
            .is_some_and(|r| r.downgrade.is_some());
        if reversible {
            migrator
                .downgrade(&mut *conn, "-1")
                .await
                .map_err(fail(StairwayStage::Downgrade {
                    revision: revision.clone(),
                }))?;
            let difference = below.diff(&Snapshot::take(conn, &table).await?);
            if !difference.is_empty() {
                return Err(StairwayError::DowngradeDiffers {
                    revision,
                    difference,
                });
            }
            migrator
                .upgrade(&mut *conn, "+1")
                .await
                .map_err(fail(StairwayStage::Reupgrade {
                    revision: revision.clone(),
                }))?;
            let difference = above.diff(&Snapshot::take(conn, &table).await?);
            if !difference.is_empty() {
                return Err(StairwayError::ReupgradeDiffers {
                    revision,
                    difference,
                });
            }
        }
        report.steps.push(StairwayStep {
            revision,
            reversible,
            changes: below.diff(&above),
        });
        below = above;
    }
}
