//! A throwaway PostgreSQL for tests: a cluster started from the machine's
//! binaries, or fresh databases on a server that is already running.
//!
//! [`TestCluster::shared`] starts one cluster per test binary (initdb into a
//! temporary directory, a private Unix socket, no TCP) and
//! [`TestCluster::database`] gives each test a fresh database. When running as
//! root the server runs as the `postgres` system user, since PostgreSQL refuses
//! root. A watchdog process stops the server and removes the directory when the
//! test process exits, however it exits.
//!
//! # Finding the server binaries
//!
//! `initdb`, `pg_ctl` and `postgres` (and `psql`, `pg_dump` beside them) are
//! looked for in the directory named by `SCHEMA_MIGRATIONS_PG_BIN` when it is
//! set (and only there: a PostgreSQL built or unpacked by hand), else under
//! `/usr/lib/postgresql/<version>/bin` (Debian, Ubuntu), `/usr/pgsql-<version>/bin`
//! (the PostgreSQL project's RPMs), Homebrew's `opt/postgresql@<version>/bin`
//! (newest version first), then on `PATH`.
//!
//! When they are not found, [`server_bin_dir`] installs Debian's `postgresql`
//! package if it can: as root, with `apt-get` available, unless
//! `SCHEMA_MIGRATIONS_NO_INSTALL` is set (to anything but empty or `0`). It
//! says so on standard error in one line before and one after, and installs
//! once per machine however many test threads and test binaries ask at the
//! same time. Elsewhere the error ([`ClusterError::NotInstalled`]) says why it
//! did not install and [`ClusterError::help`] gives the command for Debian and
//! Ubuntu, Fedora, Arch Linux and macOS with Homebrew.
//!
//! # Tests against an existing server
//!
//! When `SCHEMA_MIGRATIONS_TEST_SERVER_URL` names a server
//! (`postgresql://postgres:password@localhost:5432/postgres`, a role that may
//! create databases; a superuser runs every test), [`TestCluster::shared`]
//! starts nothing and installs nothing: each [`TestCluster::database`] is
//! created on that server and dropped when the thread that created it ends
//! (a test's thread, at the end of the test). Databases left by a test
//! process that was killed are dropped by the next one that starts. In this
//! mode [`TestCluster::bin_dir`] is where `psql` and `pg_dump` were found (the
//! same search), and the server's log and Unix socket are not available:
//! [`TestCluster::log_file`] and [`TestCluster::socket_dir`] panic, and tests
//! that need them check [`TestCluster::is_external`] and skip, saying so.
//!
//! # Testing revisions
//!
//! Beyond the server, the kit tests what revisions do (docs/TESTING.md):
//! [`stairway`] takes every revision up, down and up again and names the
//! first downgrade that does not restore the schema; [`TestDatabase`] is a
//! fresh database at any revision, to put data in, upgrade and assert; and
//! `#[schema_runtime::test]` gives a test function such a database. They use
//! [`server`]: the server of `SCHEMA_MIGRATIONS_TEST_SERVER_URL`, else that of
//! `DATABASE_URL`, else the shared throwaway cluster.

mod database;
mod snapshot;
mod stairway;

pub use crate::catalog::{Change, Object, SchemaDiff};
pub use database::{TestDatabase, TestDatabaseError};
pub use snapshot::Snapshot;
pub use stairway::{stairway, Chain, StairwayError, StairwayReport, StairwayStage, StairwayStep};

use std::cell::RefCell;
use std::fmt;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use crate::pg_bin::search;
use crate::url::DatabaseUrl;

/// Names the directory of the PostgreSQL binaries to use; nothing else is
/// searched when it is set.
///
/// ```
/// // `SCHEMA_MIGRATIONS_PG_BIN=/opt/pg17/bin cargo test`: the binaries in that directory only.
/// assert_eq!(schema_runtime::testing::PG_BIN_VAR, "SCHEMA_MIGRATIONS_PG_BIN");
/// ```
pub const PG_BIN_VAR: &str = crate::pg_bin::PG_BIN_VAR;
/// Turns off the installation of Debian's `postgresql` package when the
/// server binaries are missing (any value but empty or `0`).
///
/// ```
/// // `SCHEMA_MIGRATIONS_NO_INSTALL=1`: print the install commands instead of running them.
/// assert_eq!(schema_runtime::testing::NO_INSTALL_VAR, "SCHEMA_MIGRATIONS_NO_INSTALL");
/// ```
pub const NO_INSTALL_VAR: &str = "SCHEMA_MIGRATIONS_NO_INSTALL";
/// Names a running server on which [`TestCluster::shared`] creates the tests'
/// databases instead of starting one.
///
/// ```
/// // Set, the tests start no server: each gets a fresh database there.
/// assert_eq!(schema_runtime::testing::SERVER_URL_VAR, "SCHEMA_MIGRATIONS_TEST_SERVER_URL");
/// ```
pub const SERVER_URL_VAR: &str = "SCHEMA_MIGRATIONS_TEST_SERVER_URL";
/// Names the server on which [`server`] creates databases when
/// `SCHEMA_MIGRATIONS_TEST_SERVER_URL` is not set, as `#[sqlx::test]` does.
///
/// ```
/// assert_eq!(schema_runtime::testing::DATABASE_URL_VAR, "DATABASE_URL");
/// ```
pub const DATABASE_URL_VAR: &str = "DATABASE_URL";

/// The programs a cluster is started with.
const SERVER_PROGRAMS: [&str; 3] = ["initdb", "pg_ctl", "postgres"];
/// The client programs tests run.
const CLIENT_PROGRAMS: [&str; 2] = ["psql", "pg_dump"];

/// Why a cluster could not start.
///
/// # Examples
///
/// ```
/// use schema_runtime::testing::{ClusterError, NotInstalling, Searched};
///
/// let e = ClusterError::NotInstalled { searched: Searched::Usual, not_installing: NotInstalling::Disabled };
/// assert!(e.to_string().starts_with("PostgreSQL's server binaries"));
/// assert!(e.help().unwrap().contains("SCHEMA_MIGRATIONS_NO_INSTALL is set"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// The server binaries are not installed and were not installed now;
    /// [`ClusterError::help`] says how to install them.
    #[error("{searched}")]
    NotInstalled {
        /// Where they were looked for.
        searched: Searched,
        /// Why they were not installed automatically.
        not_installing: NotInstalling,
    },
    /// Installing Debian's `postgresql` package failed.
    #[error("installing Debian's postgresql package failed: {message}")]
    InstallFailed {
        /// What went wrong.
        message: String,
    },
    /// Debian's package was installed, yet the binaries are still not found.
    #[error(
        "the postgresql package is installed, but initdb, pg_ctl and postgres are still not \
         found under /usr/lib/postgresql/*/bin or on PATH"
    )]
    StillMissing,
    /// A command failed.
    #[error("`{command}` failed: {output}")]
    Command {
        /// The command.
        command: String,
        /// What it printed.
        output: String,
    },
    /// The server named by `SCHEMA_MIGRATIONS_TEST_SERVER_URL` cannot be used.
    #[error("the test server {url}: {message}")]
    Server {
        /// The URL, its password masked.
        url: String,
        /// What went wrong, without the password.
        message: String,
    },
    /// An I/O error.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl ClusterError {
    /// What to do about the error: for [`ClusterError::NotInstalled`], why
    /// nothing was installed and the install command of each common system.
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::testing::{ClusterError, NotInstalling, Searched};
    ///
    /// let missing = ClusterError::NotInstalled { searched: Searched::Usual, not_installing: NotInstalling::NoAptGet };
    /// assert!(missing.help().unwrap().contains("brew install postgresql@17"));
    /// assert_eq!(ClusterError::StillMissing.help(), None);
    /// ```
    pub fn help(&self) -> Option<String> {
        match self {
            ClusterError::NotInstalled { not_installing, .. } => {
                Some(install_help(*not_installing, is_root()))
            }
            _ => None,
        }
    }
}

/// Where the server binaries were looked for.
///
/// # Examples
///
/// ```
/// use schema_runtime::testing::Searched;
///
/// let named = Searched::Named("/opt/pg/bin".into());
/// assert!(named.to_string().contains("/opt/pg/bin, the directory SCHEMA_MIGRATIONS_PG_BIN names"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Searched {
    /// Only the directory named by `SCHEMA_MIGRATIONS_PG_BIN`.
    Named(PathBuf),
    /// The usual places and `PATH`.
    Usual,
}

impl fmt::Display for Searched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Searched::Named(dir) => write!(
                f,
                "PostgreSQL's server binaries (initdb, pg_ctl, postgres) are not in {}, the \
                 directory {PG_BIN_VAR} names",
                dir.display()
            ),
            Searched::Usual => f.write_str(
                "PostgreSQL's server binaries (initdb, pg_ctl, postgres) were not found under \
                 /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, Homebrew's opt/postgresql@*/bin \
                 or on PATH",
            ),
        }
    }
}

/// Why the missing server binaries were not installed automatically.
///
/// # Examples
///
/// ```
/// use schema_runtime::testing::NotInstalling;
///
/// assert_eq!(NotInstalling::NotRoot.to_string(), "installing a package needs root");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotInstalling {
    /// `SCHEMA_MIGRATIONS_PG_BIN` names the directory to use.
    NamedDirectory,
    /// `SCHEMA_MIGRATIONS_NO_INSTALL` is set.
    Disabled,
    /// Installing a package needs root.
    NotRoot,
    /// Not a Debian-like system (no `apt-get`).
    NoAptGet,
}

impl fmt::Display for NotInstalling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotInstalling::NamedDirectory => write!(f, "{PG_BIN_VAR} names the directory to use"),
            NotInstalling::Disabled => write!(f, "{NO_INSTALL_VAR} is set"),
            NotInstalling::NotRoot => f.write_str("installing a package needs root"),
            NotInstalling::NoAptGet => f.write_str(
                "apt-get is not available (only Debian's package is installed automatically)",
            ),
        }
    }
}

/// What to do when the server binaries are missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// Install Debian's `postgresql` package.
    Install,
    /// Print the install commands.
    Explain(NotInstalling),
}

/// The decision, from the facts it depends on.
fn plan(named_dir: bool, disabled: bool, root: bool, apt_get: bool) -> Plan {
    if disabled {
        Plan::Explain(NotInstalling::Disabled)
    } else if named_dir {
        Plan::Explain(NotInstalling::NamedDirectory)
    } else if !root {
        Plan::Explain(NotInstalling::NotRoot)
    } else if !apt_get {
        Plan::Explain(NotInstalling::NoAptGet)
    } else {
        Plan::Install
    }
}

/// Why nothing was installed and the command of each common system (`sudo`
/// unless running as root).
fn install_help(why: NotInstalling, root: bool) -> String {
    let sudo = if root { "" } else { "sudo " };
    format!(
        "not installed automatically: {why}; install PostgreSQL with the command for this system:\n\
         \x20 Debian, Ubuntu:    {sudo}apt-get install postgresql\n\
         \x20 Fedora:            {sudo}dnf install postgresql-server\n\
         \x20 Arch Linux:        {sudo}pacman -S postgresql\n\
         \x20 macOS (Homebrew):  brew install postgresql@17\n\
         or set {PG_BIN_VAR} to the directory of initdb, pg_ctl and postgres \
         (a PostgreSQL built or unpacked by hand)"
    )
}

/// Whether a flag variable is on: set to anything but empty or `0`.
fn flag(value: Option<&std::ffi::OsStr>) -> bool {
    value.is_some_and(|v| !v.is_empty() && v != "0")
}

/// Finds a directory holding `initdb`, `pg_ctl` and `postgres` (module docs:
/// where it looks). Installs nothing: see [`server_bin_dir`].
///
/// # Examples
///
/// ```
/// if let Some(dir) = schema_runtime::testing::find_bin_dir() {
///     assert!(dir.join("initdb").is_file() && dir.join("pg_ctl").is_file());
/// }
/// ```
pub fn find_bin_dir() -> Option<PathBuf> {
    search(&SERVER_PROGRAMS)
}

/// The directory of the server binaries, after installing Debian's
/// `postgresql` package when they are missing and that is possible (module
/// docs); at most one process installs at a time, and the others then find
/// what it installed.
///
/// # Examples
///
/// ```no_run
/// // May install Debian's `postgresql` package (as root, with apt-get).
/// let dir = schema_runtime::testing::server_bin_dir()?;
/// assert!(dir.join("postgres").is_file());
/// # Ok::<(), schema_runtime::testing::ClusterError>(())
/// ```
pub fn server_bin_dir() -> Result<PathBuf, ClusterError> {
    if let Some(dir) = find_bin_dir() {
        return Ok(dir);
    }
    let named = std::env::var_os(PG_BIN_VAR).map(PathBuf::from);
    let searched = match &named {
        Some(dir) => Searched::Named(dir.clone()),
        None => Searched::Usual,
    };
    match plan(
        named.is_some(),
        flag(std::env::var_os(NO_INSTALL_VAR).as_deref()),
        is_root(),
        on_path("apt-get") && cfg!(target_os = "linux"),
    ) {
        Plan::Explain(not_installing) => Err(ClusterError::NotInstalled {
            searched,
            not_installing,
        }),
        Plan::Install => install(),
    }
}

/// This process's install attempt: made once, however many threads ask (the
/// others wait for it), and not repeated after a failure.
static INSTALLED: OnceLock<Result<PathBuf, String>> = OnceLock::new();

fn install() -> Result<PathBuf, ClusterError> {
    INSTALLED
        .get_or_init(|| install_once().map_err(|e| e.to_string()))
        .clone()
        .map_err(|message| ClusterError::InstallFailed { message })
}

fn install_once() -> Result<PathBuf, ClusterError> {
    let _across_processes = install_lock()?;
    // Another thread or process may have installed it while this one waited.
    if let Some(dir) = find_bin_dir() {
        return Ok(dir);
    }
    say(&format!(
        "PostgreSQL's server binaries were not found: installing Debian's postgresql package \
         (apt-get update; apt-get install -y postgresql; {NO_INSTALL_VAR}=1 turns this off)"
    ));
    let installed = [
        &["update", "-q"][..],
        &["install", "-y", "-q", "postgresql"],
    ]
    .iter()
    .try_for_each(|args| {
        run(Command::new("apt-get")
            .args(*args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .stdin(Stdio::null()))
    })
    .and_then(|()| find_bin_dir().ok_or(ClusterError::StillMissing));
    match &installed {
        Ok(dir) => say(&format!("installed PostgreSQL: {}", dir.display())),
        Err(_) => say("installing Debian's postgresql package failed (the error says why)"),
    }
    installed
}

/// A lock held by one process of the machine at a time, released by the
/// kernel when its holder exits however it exits: the name of an abstract
/// Unix socket (std offers no file lock at this crate's minimum Rust).
#[cfg(target_os = "linux")]
fn install_lock() -> std::io::Result<std::os::unix::net::UnixListener> {
    use std::os::linux::net::SocketAddrExt;
    use std::os::unix::net::{SocketAddr, UnixListener};
    let name = SocketAddr::from_abstract_name(b"schema-migrations-install-postgresql")?;
    loop {
        match UnixListener::bind_addr(&name) {
            Ok(held) => return Ok(held),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                std::thread::sleep(Duration::from_millis(200));
            }
            Err(e) => return Err(e),
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn install_lock() -> std::io::Result<()> {
    Ok(())
}

/// Writes a line to standard error, past the test harness's capture, in one
/// piece (so that it does not interleave with the harness's lines).
fn say(line: &str) {
    let _ = std::io::stderr().write_all(format!("{line}\n").as_bytes());
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
}

fn is_root() -> bool {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Uid:"))
                .and_then(|l| l.split_whitespace().nth(1).map(|u| u == "0"))
        })
        .unwrap_or(false)
}

fn run(cmd: &mut Command) -> Result<(), ClusterError> {
    let out = cmd.output()?;
    if out.status.success() {
        Ok(())
    } else {
        Err(ClusterError::Command {
            command: format!("{cmd:?}"),
            output: format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        })
    }
}

/// A running throwaway cluster, or databases on an existing server.
///
/// # Examples
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// use schema_runtime::testing::TestCluster;
///
/// # async fn upgrades_to_head() -> Result<(), Box<dyn std::error::Error>> {
/// // In a test: a fresh database on the shared cluster.
/// let cluster = TestCluster::shared();
/// let url = cluster.url(&cluster.database()?);
/// let mut conn = schema_runtime::connect(&url).await?;
/// let migrator = schema_runtime::Migrator::new(&migrations::SET);
/// migrator.upgrade(&mut conn, "head").await?;
/// # Ok(())
/// # }
/// ```
///
/// A cluster of one's own, with a setting the defaults lack, or databases on
/// a server that is already running:
///
/// ```no_run
/// use schema_runtime::testing::TestCluster;
///
/// let cluster = TestCluster::start_with(&[("max_locks_per_transaction", "1024")])?;
/// assert!(!cluster.is_external());
/// println!("socket {}, log {}", cluster.socket_dir().display(), cluster.log_file().display());
/// let psql = cluster.bin_dir().join("psql");
/// # let _ = psql;
/// cluster.stop();
/// let server = TestCluster::on_server("postgresql://postgres:password@localhost:5432/postgres")?;
/// assert!(server.is_external());
/// # Ok::<(), schema_runtime::testing::ClusterError>(())
/// ```
pub struct TestCluster {
    inner: Inner,
}

enum Inner {
    Own(OwnCluster),
    External(ExternalServer),
}

/// A cluster this process started.
struct OwnCluster {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    // Closing this pipe (at process exit) tells the watchdog to clean up.
    watchdog: Mutex<Option<(Child, ChildStdin)>>,
}

static SHARED: OnceLock<TestCluster> = OnceLock::new();
static FROM_DATABASE_URL: OnceLock<TestCluster> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

/// The server the revision tests ([`TestDatabase`], `#[schema_runtime::test]`)
/// create their databases on: [`TestCluster::shared`] when
/// `SCHEMA_MIGRATIONS_TEST_SERVER_URL` is set; else the server of
/// `DATABASE_URL` when it is set (its role may create databases; each test's
/// database is created beside the one the URL names, never in it); else the
/// shared throwaway cluster.
///
/// # Panics
/// When the server cannot be used or the cluster cannot start (the message
/// says why).
///
/// # Examples
///
/// ```no_run
/// let server = schema_runtime::testing::server();
/// let name = server.database()?;
/// println!("{}", server.url(&name));
/// # Ok::<(), schema_runtime::testing::ClusterError>(())
/// ```
pub fn server() -> &'static TestCluster {
    let named = |var: &str| std::env::var(var).ok().filter(|u| !u.trim().is_empty());
    if named(SERVER_URL_VAR).is_some() {
        return TestCluster::shared();
    }
    match named(DATABASE_URL_VAR) {
        Some(url) => FROM_DATABASE_URL.get_or_init(|| {
            TestCluster::on_server(&url)
                .unwrap_or_else(|e| panic!("cannot use the server of {DATABASE_URL_VAR}: {e}"))
        }),
        None => TestCluster::shared(),
    }
}

impl TestCluster {
    /// The cluster of this process, started on first use; databases on the
    /// server named by `SCHEMA_MIGRATIONS_TEST_SERVER_URL` when it is set.
    ///
    /// # Panics
    /// When the cluster cannot start (the message says what to install) or
    /// the named server cannot be used.
    pub fn shared() -> &'static TestCluster {
        SHARED.get_or_init(|| {
            let started = match std::env::var(SERVER_URL_VAR) {
                Ok(url) if !url.trim().is_empty() => TestCluster::on_server(&url),
                _ => TestCluster::start(),
            };
            started.unwrap_or_else(|e| match e.help() {
                Some(help) => panic!("cannot start PostgreSQL: {e}\n{help}"),
                None => panic!("cannot start PostgreSQL: {e}"),
            })
        })
    }

    /// Starts a new cluster in a fresh temporary directory.
    pub fn start() -> Result<TestCluster, ClusterError> {
        Self::start_with(&[])
    }

    /// Starts a new cluster with extra server settings (`name`, `value`), for
    /// workloads beyond the defaults (a benchmark that creates ten thousand
    /// tables in one transaction needs more `max_locks_per_transaction`).
    pub fn start_with(settings: &[(&str, &str)]) -> Result<TestCluster, ClusterError> {
        OwnCluster::start(settings).map(|own| TestCluster {
            inner: Inner::Own(own),
        })
    }

    /// Uses the running server of `url` (a role that may create databases):
    /// [`TestCluster::database`] creates each database there, and drops it
    /// when the thread that created it ends. Databases of test processes that
    /// ended without dropping theirs are dropped now.
    pub fn on_server(url: &str) -> Result<TestCluster, ClusterError> {
        ExternalServer::connect(url).map(|server| TestCluster {
            inner: Inner::External(server),
        })
    }

    /// Whether the databases are on an existing server
    /// ([`TestCluster::on_server`]), which has no log or socket to offer.
    pub fn is_external(&self) -> bool {
        matches!(self.inner, Inner::External(_))
    }

    fn own(&self, what: &str) -> &OwnCluster {
        match &self.inner {
            Inner::Own(own) => own,
            Inner::External(server) => panic!(
                "{what} is only available on the test kit's own server; the tests run on {} \
                 ({SERVER_URL_VAR})",
                server.url.shown()
            ),
        }
    }

    /// The directory of the server's Unix socket.
    ///
    /// # Panics
    /// On an existing server ([`TestCluster::is_external`]).
    pub fn socket_dir(&self) -> &Path {
        &self.own("the server's Unix socket").dir
    }

    /// The server's log file.
    ///
    /// # Panics
    /// On an existing server ([`TestCluster::is_external`]).
    pub fn log_file(&self) -> PathBuf {
        self.own("the server's log").dir.join("server.log")
    }

    /// The directory of the PostgreSQL binaries in use (for `psql`, `pg_dump`);
    /// on an existing server, where `psql` and `pg_dump` were found.
    ///
    /// # Panics
    /// On an existing server, when `psql` and `pg_dump` were not found (the
    /// message says what to install).
    pub fn bin_dir(&self) -> &Path {
        match &self.inner {
            Inner::Own(own) => &own.bin,
            Inner::External(server) => server.clients.as_deref().unwrap_or_else(|| {
                let sudo = if is_root() { "" } else { "sudo " };
                panic!(
                    "psql and pg_dump were not found (in {PG_BIN_VAR}, under \
                     /usr/lib/postgresql/*/bin, /usr/pgsql-*/bin, Homebrew's \
                     opt/postgresql@*/bin or on PATH); install PostgreSQL's client programs:\n\
                     \x20 Debian, Ubuntu:    {sudo}apt-get install postgresql-client\n\
                     \x20 Fedora:            {sudo}dnf install postgresql\n\
                     \x20 Arch Linux:        {sudo}pacman -S postgresql\n\
                     \x20 macOS (Homebrew):  brew install postgresql@17"
                )
            }),
        }
    }

    /// A connection URL for database `name`: superuser `postgres` on the Unix
    /// socket, or the server URL with `name` as its database.
    pub fn url(&self, name: &str) -> String {
        match &self.inner {
            Inner::Own(own) => format!(
                "postgresql://postgres@localhost/{name}?host={}",
                own.dir.display()
            ),
            Inner::External(server) => server.url_of(name),
        }
    }

    /// Creates a fresh, empty database and returns its name.
    pub fn database(&self) -> Result<String, ClusterError> {
        match &self.inner {
            Inner::Own(own) => own.database(),
            Inner::External(server) => server.database(),
        }
    }

    /// Drops database `name` (one [`TestCluster::database`] created), ending
    /// the connections still open to it; nothing when it does not exist.
    ///
    /// # Errors
    /// When the server refuses.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// let cluster = schema_runtime::testing::TestCluster::shared();
    /// let name = cluster.database()?;
    /// cluster.drop_database(&name)?;
    /// # Ok::<(), schema_runtime::testing::ClusterError>(())
    /// ```
    pub fn drop_database(&self, name: &str) -> Result<(), ClusterError> {
        match &self.inner {
            Inner::Own(own) => own.drop_database(name),
            Inner::External(server) => server.drop_database(name),
        }
    }

    /// Stops the server now and removes its directory (nothing on an
    /// existing server).
    pub fn stop(&self) {
        if let Inner::Own(own) = &self.inner {
            own.stop();
        }
    }
}

impl OwnCluster {
    fn command(&self, program: &str) -> Command {
        let exe = self.bin.join(program);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    fn start(settings: &[(&str, &str)]) -> Result<OwnCluster, ClusterError> {
        let bin = server_bin_dir()?;
        let dir = tempfile::Builder::new()
            .prefix("schema-pg-")
            .tempdir()?
            .keep();
        let as_postgres = is_root();
        if as_postgres {
            run(Command::new("chown").arg("postgres:postgres").arg(&dir))?;
        }
        let cluster = OwnCluster {
            dir,
            bin,
            as_postgres,
            watchdog: Mutex::new(None),
        };
        cluster.spawn_watchdog()?;
        let data = cluster.dir.join("data");
        run(cluster
            .command("initdb")
            .args([
                "-A",
                "trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C",
                "-D",
            ])
            .arg(&data))?;
        let mut opts = format!(
            "-k {} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
             -c max_connections=200",
            cluster.dir.display()
        );
        for (name, value) in settings {
            opts.push_str(&format!(" -c {name}={value}"));
        }
        run(cluster
            .command("pg_ctl")
            .args(["-w", "-t", "60", "-D"])
            .arg(&data)
            .arg("-l")
            .arg(cluster.dir.join("server.log"))
            .args(["-o", &opts, "start"])
            .stdout(Stdio::null()))?;
        Ok(cluster)
    }

    fn spawn_watchdog(&self) -> Result<(), ClusterError> {
        use std::os::unix::process::CommandExt;
        let pg_ctl = self.bin.join("pg_ctl");
        let stop = if self.as_postgres {
            format!("runuser -u postgres -- '{}'", pg_ctl.display())
        } else {
            format!("'{}'", pg_ctl.display())
        };
        let script = format!(
            "cat >/dev/null; {stop} -D '{d}/data' -m immediate stop >/dev/null 2>&1; rm -rf '{d}'",
            d = self.dir.display()
        );
        let mut child = Command::new("sh")
            .args(["-c", &script])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()?;
        let stdin = child.stdin.take().expect("piped");
        *self.watchdog.lock().expect("not poisoned") = Some((child, stdin));
        Ok(())
    }

    fn database(&self) -> Result<String, ClusterError> {
        let name = format!(
            "test_{}_{}",
            std::process::id(),
            NEXT_DB.fetch_add(1, Ordering::Relaxed)
        );
        run(Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h"])
            .arg(&self.dir)
            .args(["-U", "postgres", "-d", "postgres", "-c"])
            .arg(format!("CREATE DATABASE \"{name}\" TEMPLATE template0")))?;
        Ok(name)
    }

    fn drop_database(&self, name: &str) -> Result<(), ClusterError> {
        let drop = |force: &str| {
            run(Command::new(self.bin.join("psql"))
                .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-h"])
                .arg(&self.dir)
                .args(["-U", "postgres", "-d", "postgres", "-c"])
                .arg(format!(
                    "DROP DATABASE IF EXISTS \"{}\"{force}",
                    name.replace('"', "\"\"")
                )))
        };
        // WITH (FORCE) ends the connections still open; before PostgreSQL 13
        // it is a syntax error, and the drop waits for them instead.
        drop(" WITH (FORCE)").or_else(|_| drop(""))
    }

    fn stop(&self) {
        if let Some((mut child, stdin)) = self.watchdog.lock().expect("not poisoned").take() {
            drop(stdin);
            let _ = child.wait();
        }
    }
}

impl Drop for TestCluster {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The first advisory-lock key of a test run; the second is the run's id.
/// A run holds its lock for as long as it lives (on its admin connection), so
/// a run whose lock can be taken has ended.
const RUN_LOCK_CLASS: i32 = 0x736d_6967;
/// The names of the databases created on an existing server:
/// `schema_test_<run id, 8 hex digits>_<n>`.
const EXTERNAL_DB_PREFIX: &str = "schema_test_";

/// The run id in the name of a database created on an existing server.
fn run_of(database: &str) -> Option<u32> {
    let rest = database.strip_prefix(EXTERNAL_DB_PREFIX)?;
    let (run, n) = rest.split_once('_')?;
    n.parse::<usize>().ok()?;
    (run.len() == 8)
        .then(|| u32::from_str_radix(run, 16).ok())
        .flatten()
}

/// The URL of `url` with `name` as its database.
fn with_database(url: &str, name: &str) -> String {
    let mut u = ::url::Url::parse(url).expect("a URL the URL reader produced");
    u.set_path(&format!("/{name}"));
    u.to_string()
}

/// Databases on an existing server, created and dropped by a worker thread
/// over one connection that holds this run's lock.
struct ExternalServer {
    url: DatabaseUrl,
    run: u32,
    jobs: mpsc::Sender<Job>,
    clients: Option<PathBuf>,
}

/// A request to the worker.
enum Job {
    Create(String, mpsc::Sender<Result<(), String>>),
    Drop(String, mpsc::Sender<()>),
}

thread_local! {
    /// The databases this thread created on existing servers, dropped when
    /// the thread ends.
    static CREATED: RefCell<Created> = const { RefCell::new(Created(Vec::new())) };
}

struct Created(Vec<(mpsc::Sender<Job>, String)>);

impl Drop for Created {
    fn drop(&mut self) {
        for (jobs, name) in self.0.drain(..) {
            let (done, wait) = mpsc::channel();
            if jobs.send(Job::Drop(name, done)).is_ok() {
                let _ = wait.recv_timeout(Duration::from_secs(30));
            }
        }
    }
}

impl ExternalServer {
    fn connect(input: &str) -> Result<ExternalServer, ClusterError> {
        let url = DatabaseUrl::parse(&crate::url::normalize(input)).map_err(|e| {
            ClusterError::Server {
                url: format!("in {SERVER_URL_VAR}"),
                message: e.to_string(),
            }
        })?;
        let (jobs, receiver) = mpsc::channel();
        let (ready, started) = mpsc::channel();
        let worker_url = url.clone();
        std::thread::Builder::new()
            .name("schema-test-server".to_owned())
            .spawn(move || worker(worker_url, ready, receiver))?;
        let run = started
            .recv()
            .unwrap_or_else(|_| Err("the worker thread stopped".to_owned()))
            .map_err(|message| ClusterError::Server {
                url: url.shown().to_owned(),
                message: url.scrub(&message),
            })?;
        Ok(ExternalServer {
            url,
            run,
            jobs,
            clients: search(&CLIENT_PROGRAMS),
        })
    }

    fn url_of(&self, name: &str) -> String {
        with_database(self.url.connect_url(), name)
    }

    fn database(&self) -> Result<String, ClusterError> {
        let name = format!(
            "{EXTERNAL_DB_PREFIX}{:08x}_{}",
            self.run,
            NEXT_DB.fetch_add(1, Ordering::Relaxed)
        );
        let fail = |message: String| ClusterError::Server {
            url: self.url.shown().to_owned(),
            message: self.url.scrub(&message),
        };
        let (done, wait) = mpsc::channel();
        self.jobs
            .send(Job::Create(name.clone(), done))
            .map_err(|_| fail("the worker thread stopped".to_owned()))?;
        wait.recv()
            .unwrap_or_else(|_| Err("the worker thread stopped".to_owned()))
            .map_err(fail)?;
        // A thread already ending leaves its database to the next run's sweep.
        let _ = CREATED.try_with(|c| c.borrow_mut().0.push((self.jobs.clone(), name.clone())));
        Ok(name)
    }
}

impl ExternalServer {
    fn drop_database(&self, name: &str) -> Result<(), ClusterError> {
        let (done, wait) = mpsc::channel();
        let stopped = || ClusterError::Server {
            url: self.url.shown().to_owned(),
            message: "the worker thread stopped".to_owned(),
        };
        self.jobs
            .send(Job::Drop(name.to_owned(), done))
            .map_err(|_| stopped())?;
        wait.recv_timeout(Duration::from_secs(30))
            .map_err(|_| stopped())
    }
}

/// Connects, takes a run id (and its lock), drops the databases of ended runs,
/// reports the id on `ready`, then serves `jobs` until every sender is gone.
fn worker(url: DatabaseUrl, ready: mpsc::Sender<Result<u32, String>>, jobs: mpsc::Receiver<Job>) {
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let _ = ready.send(Err(e.to_string()));
            return;
        }
    };
    let started = runtime.block_on(async {
        let mut conn = crate::connect(url.connect_url())
            .await
            .map_err(|e| e.to_string())?;
        let version: i32 = sqlx::query_scalar("SELECT current_setting('server_version_num')::int")
            .fetch_one(&mut conn)
            .await
            .map_err(|e| e.to_string())?;
        let run = claim_run(&mut conn).await.map_err(|e| e.to_string())?;
        sweep(&mut conn, run, version).await;
        Ok::<_, String>((conn, run, version))
    });
    let (mut conn, run, version) = match started {
        Ok(s) => s,
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    if ready.send(Ok(run)).is_err() {
        return;
    }
    while let Ok(job) = jobs.recv() {
        match job {
            Job::Create(name, done) => {
                let created = runtime.block_on(
                    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                        "CREATE DATABASE \"{name}\" TEMPLATE template0"
                    )))
                    .execute(&mut conn),
                );
                let _ = done.send(created.map(|_| ()).map_err(|e| e.to_string()));
            }
            Job::Drop(name, done) => {
                // A database still in use is left to the next run's sweep.
                let _ = runtime.block_on(drop_database(&mut conn, &name, version));
                let _ = done.send(());
            }
        }
    }
}

/// A random run id whose lock this connection now holds.
async fn claim_run(conn: &mut sqlx::PgConnection) -> Result<u32, sqlx::Error> {
    use std::hash::{BuildHasher, Hasher};
    loop {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u32(std::process::id());
        let run = h.finish() as u32;
        if try_lock_run(conn, run).await? {
            return Ok(run);
        }
    }
}

async fn try_lock_run(conn: &mut sqlx::PgConnection, run: u32) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT pg_try_advisory_lock($1, $2)")
        .bind(RUN_LOCK_CLASS)
        .bind(run as i32)
        .fetch_one(conn)
        .await
}

/// Drops the test databases of runs that have ended (their lock is free).
async fn sweep(conn: &mut sqlx::PgConnection, own_run: u32, version: i32) {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'schema\\_test\\_%' ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await
    .unwrap_or_default();
    let mut ended = Vec::new();
    for name in names {
        let Some(run) = run_of(&name).filter(|r| *r != own_run) else {
            continue;
        };
        if !ended.contains(&run) {
            if !try_lock_run(conn, run).await.unwrap_or(false) {
                continue;
            }
            ended.push(run);
        }
        let _ = drop_database(conn, &name, version).await;
    }
    for run in ended {
        let _ = sqlx::query("SELECT pg_advisory_unlock($1, $2)")
            .bind(RUN_LOCK_CLASS)
            .bind(run as i32)
            .execute(&mut *conn)
            .await;
    }
}

async fn drop_database(
    conn: &mut sqlx::PgConnection,
    name: &str,
    version: i32,
) -> Result<(), sqlx::Error> {
    // WITH (FORCE) (PostgreSQL 13) ends the connections a finished test left
    // closing; before 13 the server waits up to 5 s for them.
    let force = if version >= 130_000 {
        " WITH (FORCE)"
    } else {
        ""
    };
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS \"{name}\"{force}"
    )))
    .execute(conn)
    .await
    .map(|_| ())
}

/// What `#[schema_runtime::test]` expands to calls. Not a public API.
#[doc(hidden)]
pub mod __private {
    use std::future::Future;

    use super::TestDatabase;
    use crate::{IntoTarget, SetSource};

    /// What a test function annotated with `#[schema_runtime::test]` may take.
    pub trait TestArgument: Sized {
        /// The argument for a test of `db`.
        fn from_database(db: &TestDatabase) -> impl Future<Output = Self>;
    }

    impl TestArgument for sqlx::PgPool {
        async fn from_database(db: &TestDatabase) -> Self {
            db.pool().clone()
        }
    }

    impl TestArgument for sqlx::PgConnection {
        async fn from_database(db: &TestDatabase) -> Self {
            db.connect()
                .await
                .unwrap_or_else(|e| panic!("connecting to the test database failed: {e}"))
        }
    }

    impl TestArgument for TestDatabase {
        async fn from_database(db: &TestDatabase) -> Self {
            db.clone()
        }
    }

    /// Runs `test` on a runtime of its own with a fresh database at `at` of
    /// `set`; the database is dropped afterwards, also when `test` panics.
    pub fn run<T, R, A, F, Fut>(set: &T, at: R, test: F) -> Fut::Output
    where
        T: SetSource + ?Sized,
        R: IntoTarget<T::Module>,
        A: TestArgument,
        F: FnOnce(A) -> Fut,
        Fut: Future,
    {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("starting the test's runtime failed: {e}"));
        runtime.block_on(async {
            let db = TestDatabase::at(set, at)
                .await
                .unwrap_or_else(|e| panic!("{e}"));
            let out = test(A::from_database(&db).await).await;
            // A connection the test left to a task still running does not
            // hold the drop up for long: the drop ends it.
            let _ = tokio::time::timeout(std::time::Duration::from_secs(5), db.close()).await;
            out
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_binaries_are_installed_as_root_with_apt_get() {
        assert_eq!(plan(false, false, true, true), Plan::Install);
    }

    #[test]
    fn the_no_install_variable_prevents_the_install() {
        assert_eq!(
            plan(false, true, true, true),
            Plan::Explain(NotInstalling::Disabled)
        );
    }

    #[test]
    fn a_named_binary_directory_is_never_installed_into() {
        assert_eq!(
            plan(true, false, true, true),
            Plan::Explain(NotInstalling::NamedDirectory)
        );
    }

    #[test]
    fn without_root_the_commands_are_printed_instead() {
        assert_eq!(
            plan(false, false, false, true),
            Plan::Explain(NotInstalling::NotRoot)
        );
    }

    #[test]
    fn without_apt_get_the_commands_are_printed_instead() {
        assert_eq!(
            plan(false, false, true, false),
            Plan::Explain(NotInstalling::NoAptGet)
        );
    }

    #[test]
    fn the_help_gives_the_command_of_each_common_system_and_the_reason() {
        let help = install_help(NotInstalling::NotRoot, false);
        for command in [
            "sudo apt-get install postgresql",
            "sudo dnf install postgresql-server",
            "sudo pacman -S postgresql",
            "brew install postgresql@17",
            "installing a package needs root",
            PG_BIN_VAR,
        ] {
            assert!(help.contains(command), "{command:?} missing from:\n{help}");
        }
    }

    #[test]
    fn the_help_for_root_has_no_sudo() {
        let help = install_help(NotInstalling::NoAptGet, true);
        assert!(!help.contains("sudo"), "{help}");
        assert!(help.contains("  Fedora:            dnf install postgresql-server"));
    }

    #[test]
    fn the_no_install_flag_is_on_unless_unset_empty_or_zero() {
        use std::ffi::OsStr;
        assert!(flag(Some(OsStr::new("1"))));
        assert!(flag(Some(OsStr::new("yes"))));
        assert!(!flag(Some(OsStr::new("0"))));
        assert!(!flag(Some(OsStr::new(""))));
        assert!(!flag(None));
    }

    #[test]
    fn a_url_names_each_database_and_keeps_the_rest() {
        assert_eq!(
            with_database(
                "postgresql://u:p%40ss@db.example:5433/postgres?sslmode=disable",
                "schema_test_0000002a_7"
            ),
            "postgresql://u:p%40ss@db.example:5433/schema_test_0000002a_7?sslmode=disable"
        );
        assert_eq!(
            with_database("postgresql://u@localhost", "d"),
            "postgresql://u@localhost/d"
        );
    }

    #[test]
    fn only_names_of_created_databases_carry_a_run() {
        assert_eq!(run_of("schema_test_0000002a_7"), Some(42));
        assert_eq!(run_of("schema_test_2a_7"), None);
        assert_eq!(run_of("schema_test_0000002a_x"), None);
        assert_eq!(run_of("schema_test_0000002a"), None);
        assert_eq!(run_of("test_0000002a_7"), None);
    }
}
