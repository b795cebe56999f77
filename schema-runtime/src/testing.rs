//! A throwaway PostgreSQL cluster for tests, started from the machine's binaries.
//!
//! [`TestCluster::shared`] starts one cluster per test binary (initdb into a
//! temporary directory, a private Unix socket, no TCP) and
//! [`TestCluster::database`] gives each test a fresh database. When running as
//! root the server runs as the `postgres` system user, since PostgreSQL refuses
//! root. A watchdog process stops the server and removes the directory when the
//! test process exits, however it exits.

use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};

/// Why a cluster could not start.
#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    /// The binaries are not installed.
    #[error(
        "PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found on PATH or under \
         /usr/lib/postgresql/*/bin\n  = help: install them, e.g. `apt-get install postgresql` on Debian or Ubuntu"
    )]
    NotInstalled,
    /// A command failed.
    #[error("`{command}` failed: {output}")]
    Command {
        /// The command.
        command: String,
        /// What it printed.
        output: String,
    },
    /// An I/O error.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Finds a directory holding `initdb`, `pg_ctl` and `postgres`:
/// `$SCHEMA_PG_BIN`, then `/usr/lib/postgresql/<newest>/bin`, then `PATH`.
pub fn find_bin_dir() -> Option<PathBuf> {
    let has_all = |d: &Path| {
        ["initdb", "pg_ctl", "postgres"]
            .iter()
            .all(|b| d.join(b).is_file())
    };
    if let Some(d) = std::env::var_os("SCHEMA_PG_BIN").map(PathBuf::from) {
        return has_all(&d).then_some(d);
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse().ok()?, e.path().join("bin"))))
        .filter(|(_, d)| has_all(d))
        .collect();
    versions.sort();
    if let Some((_, d)) = versions.pop() {
        return Some(d);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .filter_map(|d| {
            d.join("pg_ctl")
                .canonicalize()
                .ok()?
                .parent()
                .map(Path::to_path_buf)
        })
        .find(|d| has_all(d))
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

/// A running throwaway cluster.
pub struct TestCluster {
    dir: PathBuf,
    bin: PathBuf,
    as_postgres: bool,
    // Closing this pipe (at process exit) tells the watchdog to clean up.
    watchdog: Mutex<Option<(Child, ChildStdin)>>,
}

static SHARED: OnceLock<TestCluster> = OnceLock::new();
static NEXT_DB: AtomicUsize = AtomicUsize::new(0);

impl TestCluster {
    /// The cluster of this process, started on first use.
    ///
    /// # Panics
    /// When the cluster cannot start (the message says what to install).
    pub fn shared() -> &'static TestCluster {
        SHARED.get_or_init(|| {
            TestCluster::start().unwrap_or_else(|e| panic!("cannot start PostgreSQL: {e}"))
        })
    }

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

    /// Starts a new cluster in a fresh temporary directory.
    pub fn start() -> Result<TestCluster, ClusterError> {
        Self::start_with(&[])
    }

    /// Starts a new cluster with extra server settings (`name`, `value`), for
    /// workloads beyond the defaults (a benchmark that creates ten thousand
    /// tables in one transaction needs more `max_locks_per_transaction`).
    pub fn start_with(settings: &[(&str, &str)]) -> Result<TestCluster, ClusterError> {
        let bin = find_bin_dir().ok_or(ClusterError::NotInstalled)?;
        let dir = tempfile::Builder::new()
            .prefix("schema-pg-")
            .tempdir()?
            .keep();
        let as_postgres = is_root();
        if as_postgres {
            run(Command::new("chown").arg("postgres:postgres").arg(&dir))?;
        }
        let cluster = TestCluster {
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

    /// The directory of the server's Unix socket.
    pub fn socket_dir(&self) -> &Path {
        &self.dir
    }

    /// The server's log file.
    pub fn log_file(&self) -> PathBuf {
        self.dir.join("server.log")
    }

    /// The directory of the PostgreSQL binaries in use (for `psql`, `pg_dump`).
    pub fn bin_dir(&self) -> &Path {
        &self.bin
    }

    /// A connection URL for database `name` (superuser `postgres`, Unix socket).
    pub fn url(&self, name: &str) -> String {
        format!(
            "postgresql://postgres@localhost/{name}?host={}",
            self.dir.display()
        )
    }

    /// Creates a fresh, empty database and returns its name.
    pub fn database(&self) -> Result<String, ClusterError> {
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

    /// Stops the server now and removes its directory.
    pub fn stop(&self) {
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
