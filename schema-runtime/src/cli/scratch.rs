//! Scratch databases: where `squash` and autogenerate build a schema to
//! read it back.
//!
//! A chain's schema is known only by running it, and a desired schema only
//! by loading it; both need a server that is not the application's. The
//! scratch server is the one named by `--scratch-url` (or, for the commands
//! that touch no live database, `--database-url` named on the command line,
//! never one taken from the environment or the config file: building a
//! scratch schema should not touch the application's server unless asked),
//! else a throwaway cluster started from the machine's PostgreSQL (the test
//! kit's, with the `testing` feature). Every database created on it is
//! dropped afterwards, and a throwaway cluster is stopped. Every connection
//! to a scratch database carries `--scratch-timeout-ms` as its
//! `statement_timeout`, so a statement that never ends (a `pg_sleep`, a
//! loop in a `DO` block) fails the command instead of hanging it.

use std::path::PathBuf;

use schema_core::{MigrationSet, Target};
use sqlx::PgConnection;
use tracing::instrument::WithSubscriber;

use super::{Context, Failure};
use crate::migrator::connect;

/// A server to create scratch databases on, and the databases created.
pub(super) struct ScratchServer {
    kind: Kind,
    /// The databases created on a named server, dropped by [`Self::stop`].
    created: Vec<String>,
    /// What the scratch server is for, in the messages (`squash`).
    purpose: &'static str,
    /// The statement timeout of every connection to a scratch database.
    timeout_ms: u64,
}

enum Kind {
    /// A server named by URL: the URL of a database to connect to for
    /// `CREATE DATABASE`.
    Named(String),
    /// A cluster started for this command.
    #[cfg(feature = "testing")]
    Cluster(crate::testing::TestCluster),
}

impl ScratchServer {
    /// The server of `--scratch-url`; else, when `may_use_database_url`,
    /// that of `--database-url` named on the command line; else a
    /// throwaway cluster.
    pub(super) fn start(
        ctx: &Context,
        purpose: &'static str,
        may_use_database_url: bool,
    ) -> Result<ScratchServer, Failure> {
        let named = match &ctx.global.scratch_url {
            Some(url) => Some(url.clone()),
            None if may_use_database_url && ctx.global.database_url.is_some() => {
                Some(ctx.database_url()?.connect_url().to_owned())
            }
            None => None,
        };
        let kind = match named {
            Some(url) => Kind::Named(url),
            None => Self::throwaway(purpose)?,
        };
        Ok(ScratchServer {
            kind,
            created: Vec::new(),
            purpose,
            timeout_ms: ctx.global.scratch_timeout_ms,
        })
    }

    #[cfg(feature = "testing")]
    fn throwaway(purpose: &str) -> Result<Kind, Failure> {
        let cluster = crate::testing::TestCluster::start().map_err(|e| {
            Failure::with_help(
                format!("{purpose} cannot start a scratch PostgreSQL: {e}"),
                e.help().unwrap_or_else(|| {
                    "name a server to build it on with --scratch-url (a role that may create databases)".to_owned()
                }),
            )
        })?;
        Ok(Kind::Cluster(cluster))
    }

    #[cfg(not(feature = "testing"))]
    fn throwaway(purpose: &str) -> Result<Kind, Failure> {
        Err(Failure::with_help(
            format!("{purpose} needs a scratch PostgreSQL server to build the schema in"),
            "name one with --scratch-url (a role that may create databases; scratch databases are created there and dropped), or build the command line with the `testing` feature to start a throwaway one",
        ))
    }

    /// The statement timeout of every connection to a scratch database.
    pub(super) fn timeout_ms(&self) -> u64 {
        self.timeout_ms
    }

    /// A fresh, empty database on the server: its URL, which sets the
    /// statement timeout for whoever connects with it (this program or
    /// `pg_dump`).
    pub(super) async fn database(&mut self, ctx: &Context) -> Result<String, Failure> {
        let url = self.create(ctx).await?;
        with_statement_timeout(&url, self.timeout_ms)
    }

    /// Creates a fresh, empty database on the server: its URL.
    async fn create(&mut self, ctx: &Context) -> Result<String, Failure> {
        match &self.kind {
            Kind::Named(url) => {
                let name = format!(
                    "schema_scratch_{}_{}",
                    std::process::id(),
                    super::new_revision::fresh_id()
                );
                let mut conn = connect(url).await.map_err(|e| ctx.failure(e))?;
                let created = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                    "CREATE DATABASE \"{name}\" TEMPLATE template0"
                )))
                .execute(&mut conn)
                .await;
                crate::migrator::close(conn).await;
                created.map_err(|e| {
                    ctx.failure(format!(
                        "error: {} cannot create a scratch database on the scratch server: {e}",
                        self.purpose
                    ))
                })?;
                self.created.push(name.clone());
                with_database(url, &name)
            }
            #[cfg(feature = "testing")]
            Kind::Cluster(cluster) => {
                let name = cluster.database().map_err(|e| {
                    Failure::new(format!("error: cannot create a scratch database: {e}"))
                })?;
                Ok(cluster.url(&name))
            }
        }
    }

    /// A fresh scratch database brought to `targets` (each in turn) by the
    /// chain `set`: its URL and the connection that built it. The
    /// migrator's progress lines print when `progress`; a failure comes back
    /// as an error either way, with the revision and the statement.
    pub(super) async fn built(
        &mut self,
        ctx: &Context,
        set: &MigrationSet,
        targets: &[String],
        progress: bool,
    ) -> Result<(String, PgConnection), Failure> {
        let url = self.database(ctx).await?;
        let mut conn = connect(&url).await.map_err(|e| ctx.failure(e))?;
        let m = ctx.migrator(set);
        for t in targets {
            let target = Target::parse(t).map_err(Failure::new)?;
            let upgraded = if progress {
                m.upgrade(&mut conn, target).await
            } else {
                m.upgrade(&mut conn, target)
                    .with_subscriber(tracing::subscriber::NoSubscriber::default())
                    .await
            };
            if let Err(e) = upgraded {
                crate::migrator::close(conn).await;
                return Err(ctx.migrate_failure(e));
            }
        }
        Ok((url, conn))
    }

    /// Drops the databases created on a named server, or stops the
    /// throwaway cluster (which removes everything).
    pub(super) async fn stop(self) {
        match self.kind {
            Kind::Named(url) => {
                if let Ok(mut conn) = connect(&url).await {
                    for name in &self.created {
                        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                            "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                        )))
                        .execute(&mut conn)
                        .await;
                    }
                    crate::migrator::close(conn).await;
                }
            }
            #[cfg(feature = "testing")]
            Kind::Cluster(cluster) => cluster.stop(),
        }
    }

    /// Where `pg_dump` is: beside the throwaway cluster's server, else found.
    pub(super) fn pg_dump(&self) -> Result<PathBuf, Failure> {
        #[cfg(feature = "testing")]
        if let Kind::Cluster(c) = &self.kind {
            return Ok(c.bin_dir().join("pg_dump"));
        }
        find_pg_dump().ok_or_else(|| {
            Failure::with_help(
                "pg_dump was not found (in SCHEMA_MIGRATIONS_PG_BIN, under /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, Homebrew's opt/postgresql@*/bin or on PATH)",
                "install PostgreSQL's client programs, or set SCHEMA_MIGRATIONS_PG_BIN to their directory",
            )
        })
    }
}

/// `url` with `name` as its database.
fn with_database(url: &str, name: &str) -> Result<String, Failure> {
    let mut u = ::url::Url::parse(url)
        .map_err(|e| Failure::new(format!("error: cannot read the database URL: {e}")))?;
    u.set_path(&format!("/{name}"));
    Ok(u.to_string())
}

/// `url` with `options=-c statement_timeout=<ms>` added to its query: the
/// form both the driver and libpq (`pg_dump`) read, with the space
/// percent-encoded since libpq does not read `+` as a space.
fn with_statement_timeout(url: &str, ms: u64) -> Result<String, Failure> {
    let mut u = ::url::Url::parse(url)
        .map_err(|e| Failure::new(format!("error: cannot read the database URL: {e}")))?;
    let option = format!("options=-c%20statement_timeout%3D{ms}");
    let query = match u.query() {
        Some(q) if !q.is_empty() => format!("{q}&{option}"),
        _ => option,
    };
    u.set_query(Some(&query));
    Ok(u.to_string())
}

/// `pg_dump`, looked for where the test kit looks for PostgreSQL's
/// programs, newest version first.
fn find_pg_dump() -> Option<PathBuf> {
    crate::pg_bin::search(&["pg_dump"]).map(|d| d.join("pg_dump"))
}

#[cfg(test)]
mod tests {
    use super::with_statement_timeout;

    #[test]
    fn the_statement_timeout_is_added_to_the_query_in_a_form_libpq_reads() {
        assert_eq!(
            with_statement_timeout("postgresql://u@h/db?host=%2Ftmp%2Fs", 500).unwrap(),
            "postgresql://u@h/db?host=%2Ftmp%2Fs&options=-c%20statement_timeout%3D500"
        );
        assert_eq!(
            with_statement_timeout("postgresql://u@h/db", 500).unwrap(),
            "postgresql://u@h/db?options=-c%20statement_timeout%3D500"
        );
    }
}
