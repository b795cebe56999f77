//! The command line as a library: Alembic's commands over a migrations directory.
//!
//! An application's `xtask` is a few lines:
//!
//! ```no_run
//! // src/main.rs of the xtask crate
//! # fn main() -> std::process::ExitCode {
//! schema_runtime::cli::main()
//! # }
//! ```
//!
//! The file commands load the directory at run time with the same parser and
//! chain check as `migrations!()`, so they work (and explain) even when the
//! chain is broken and the application would not compile.

mod autogenerate;
pub mod config;
mod drawing;
mod import;
mod import_alembic;
mod import_diesel;
mod import_refinery;
mod init;
#[cfg(feature = "lint")]
mod lint;
pub mod new_revision;
mod output;
mod scratch;
mod squash;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use clap::{Args, Parser, Subcommand, ValueEnum};
use schema_core::{load_dir, load_dir_branches, Applied, MigrationSet, Range, SetSource, Target};

use crate::migrator::{connect, rows_text, Migrator};
use crate::script::{Direction, TransactionMode};
use crate::url::{DatabaseUrl, UrlError};
use crate::MigrateError;
use crate::VersionTable;
use config::{resolve_url, ConfigFile, UrlSource, DEFAULT_CONFIG};
pub use import::{ImportError, SourceTool};
pub use import_alembic::AlembicError;
pub use import_diesel::DieselImportError;
pub use import_refinery::RefineryImportError;
pub use init::InitError;
use output::{note, out, out_line, Printer};

/// Output format of the read-only commands.
///
/// # Examples
///
/// ```
/// use clap::Parser;
/// use schema_runtime::cli::{Cli, Format};
///
/// let cli = Cli::try_parse_from(["xtask", "heads", "--format", "json"])?;
/// assert_eq!(cli.global.format, Format::Json);
/// # Ok::<(), clap::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// For people.
    Text,
    /// For programs.
    Json,
}

/// Settings shared by every command.
///
/// # Examples
///
/// ```
/// use clap::Parser;
/// use schema_runtime::cli::Cli;
///
/// let cli = Cli::try_parse_from(["xtask", "current", "--dir", "db/migrations", "--version-table", "schema_version", "-q"])?;
/// assert_eq!(cli.global.dir.as_deref(), Some("db/migrations".as_ref()));
/// assert_eq!(cli.global.version_table.as_deref(), Some("schema_version"));
/// assert!(cli.global.quiet && cli.global.database_url.is_none());
/// # Ok::<(), clap::Error>(())
/// ```
#[derive(Debug, Args)]
pub struct Global {
    /// Database URL (else DATABASE_URL, .env, the config file, the default).
    #[arg(long, global = true, value_name = "URL", allow_hyphen_values = true)]
    pub database_url: Option<String>,
    /// The migrations directory (else the config file, else `migrations`).
    #[arg(long, global = true, value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The config file.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The version table's name.
    #[arg(long, global = true, value_name = "NAME")]
    pub version_table: Option<String>,
    /// The version table's schema.
    #[arg(long, global = true, value_name = "SCHEMA")]
    pub version_table_schema: Option<String>,
    /// A server to build scratch schemas on (`squash`, autogenerate,
    /// `check --database`): a role that may create databases; they are
    /// dropped afterwards. Else a throwaway PostgreSQL is started.
    #[arg(long, global = true, value_name = "URL")]
    pub scratch_url: Option<String>,
    /// The statement timeout on scratch databases: a statement of the chain
    /// or of the desired schema that runs longer is cancelled, so that a
    /// statement that never ends fails the command instead of hanging it.
    #[arg(long, global = true, value_name = "MS", default_value_t = 300_000)]
    pub scratch_timeout_ms: u64,
    /// Output format of the read-only commands.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// No progress lines (RUST_LOG also sets them); results, errors and the
    /// server's notices still print.
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// The commands.
///
/// # Examples
///
/// ```
/// use clap::Parser;
/// use schema_runtime::cli::{Cli, Command, SourceTool};
///
/// let cli = Cli::try_parse_from(["xtask", "stamp", "head", "--purge"])?;
/// assert!(matches!(cli.command, Command::Stamp { rev: Some(ref rev), purge: true, from: None, source_table: None } if rev == "head"));
/// let cli = Cli::try_parse_from(["xtask", "stamp", "--from", "sqlx"])?;
/// assert!(matches!(cli.command, Command::Stamp { rev: None, from: Some(SourceTool::Sqlx), .. }));
/// assert!(Cli::try_parse_from(["xtask", "stamp"]).is_err(), "a revision or --from");
/// let cli = Cli::try_parse_from(["xtask", "stamp", "--from", "refinery", "--source-table", "app.history"])?;
/// assert!(matches!(cli.command, Command::Stamp { source_table: Some(ref t), .. } if t == "app.history"));
/// assert!(Cli::try_parse_from(["xtask", "stamp", "head", "--source-table", "t"]).is_err(), "only with --from");
/// let cli = Cli::try_parse_from(["xtask", "import", "--from", "sqlx", "db/sqlx"])?;
/// assert!(matches!(cli.command, Command::Import { from: SourceTool::Sqlx, .. }));
/// let cli = Cli::try_parse_from(["xtask", "import", "--from", "diesel", "migrations"])?;
/// assert!(matches!(cli.command, Command::Import { from: SourceTool::Diesel, .. }));
/// let cli = Cli::try_parse_from(["xtask", "init", "--crate", "app", "--path", "../schema-migrations"])?;
/// assert!(matches!(cli.command, Command::Init { ref krate, path: Some(_) } if krate.as_os_str() == "app"));
/// let cli = Cli::try_parse_from(["xtask", "squash", "add_baselines"])?;
/// assert!(matches!(cli.command, Command::Squash { ref rev } if rev == "add_baselines"));
/// let cli = Cli::try_parse_from(["xtask", "merge", "heads", "-m", "merge the branches"])?;
/// assert!(matches!(cli.command, Command::Merge { .. }));
/// # Ok::<(), clap::Error>(())
/// ```
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Set up the crate in the current directory (or `--crate PATH` of the
    /// workspace here) to embed a chain: `migrations/` with a README, the
    /// `build.rs` line, the dependency lines, an `xtask` crate with the
    /// `cargo xtask` alias, and `migrations.toml`. What exists is kept: a
    /// second run changes nothing.
    Init {
        /// The application crate, relative to the current directory (a
        /// workspace root).
        #[arg(long = "crate", value_name = "PATH", default_value = ".")]
        krate: PathBuf,
        /// Depend on this local checkout of schema-migrations (or its
        /// `schema-runtime` crate) instead of crates.io's `0.1`.
        #[arg(long, value_name = "DIR")]
        path: Option<PathBuf>,
    },
    /// Write a new revision file revising the current head.
    #[command(alias = "revision")]
    NewRevision {
        /// The message.
        #[arg(short, long)]
        message: String,
        /// The id (default: 12 random hex digits).
        #[arg(long)]
        rev_id: Option<String>,
        /// The parent (default: the head of the chain); repeat or separate
        /// with commas to start a merge revision.
        #[arg(long, value_name = "ID", value_delimiter = ',')]
        revises: Vec<String>,
        /// A branch label for the branch this revision starts (repeatable).
        #[arg(long, value_name = "LABEL", value_delimiter = ',')]
        branch_label: Vec<String>,
        /// A revision to apply first that is not a parent (repeatable).
        #[arg(long, value_name = "ID", value_delimiter = ',')]
        depends_on: Vec<String>,
        /// Mark the revision non-transactional (CREATE INDEX CONCURRENTLY, ...).
        #[arg(long)]
        non_transactional: bool,
        /// Write the upgrade and downgrade that take the chain's head to the
        /// desired schema (`--schema`), compared on scratch databases.
        #[arg(long, conflicts_with_all = ["non_transactional", "irreversible"])]
        autogenerate: bool,
        /// The desired schema, with --autogenerate: a .sql file or a
        /// directory of them (else `schema` in the config file, else `schema/`).
        #[arg(long, value_name = "PATH", requires = "autogenerate")]
        schema: Option<PathBuf>,
        /// Mark the revision irreversible (no downgrade section).
        #[arg(long)]
        irreversible: bool,
    },
    /// Write a merge revision that revises several revisions: `merge heads`
    /// or `merge <rev> <rev>...`.
    Merge {
        /// The revisions to merge (ids or prefixes), or `heads`.
        #[arg(required = true, num_args = 1..)]
        revisions: Vec<String>,
        /// The message.
        #[arg(short, long)]
        message: String,
        /// The id (default: 12 random hex digits).
        #[arg(long)]
        rev_id: Option<String>,
    },
    /// Upgrade to a target (`head`, `heads`, an id or prefix, `+N`, `<id>+N`, `label@head`).
    Upgrade(RunArgs),
    /// Downgrade to a target (`base`, an id or prefix, `-N`, `<id>-N`, `label@-1`).
    Downgrade(RunArgs),
    /// Show the database's current revision.
    Current {
        /// Show message, file and when it was applied.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Draw the revision graph, newest first, marking branch and merge points
    /// and the applied revisions.
    History {
        /// Only this range (`start:end`).
        #[arg(short = 'r', long, value_name = "RANGE")]
        rev_range: Option<String>,
        /// Show each revision's header, file and applied time.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Show the head revision(s).
    Heads {
        /// Show message and file.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Show the branch points and the labelled branches.
    Branches {
        /// Show message and file.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Show one revision.
    Show {
        /// An id or unique prefix (or head, base).
        rev: String,
    },
    /// Record a revision as current without running anything.
    Stamp {
        /// The revision (or `--from`).
        #[arg(required_unless_present = "from", conflicts_with = "from")]
        rev: Option<String>,
        /// Empty the version table first.
        #[arg(long)]
        purge: bool,
        /// Take the revision from another tool's tracking table: the
        /// imported revision of the last migration it applied, after checking
        /// every applied migration against the import.
        #[arg(long, value_enum, value_name = "TOOL")]
        from: Option<SourceTool>,
        /// The source tool's tracking table, when it is not the tool's
        /// default (refinery's `set_migration_table_name`, Alembic's
        /// `version_table`): `name` or `schema.name`.
        #[arg(long, value_name = "NAME", conflicts_with = "rev")]
        source_table: Option<String>,
    },
    /// Write revision files from another tool's migrations directory into
    /// an empty migrations directory, in that tool's order.
    Import {
        /// The tool that wrote SOURCE.
        #[arg(long, value_enum, value_name = "TOOL")]
        from: SourceTool,
        /// That tool's migrations directory (for Alembic, the project
        /// directory that holds `alembic.ini`).
        #[arg(value_name = "SOURCE")]
        source: PathBuf,
        /// The Python that has Alembic (`--from alembic`; default `python3`).
        #[arg(long, value_name = "PATH")]
        python: Option<PathBuf>,
    },
    /// Replace the revisions from the base up to REV by one base revision
    /// that builds the schema at REV (taken from a scratch database), keeping
    /// the id REV; the replaced files move to `squashed/`.
    Squash {
        /// The last revision to replace (an id or unique prefix).
        rev: String,
    },
    /// Check the files, then that the database is at head (exit 1 if not);
    /// or compare a schema with the chain's head.
    Check {
        /// Instead: fail when the desired schema (`--schema`) differs from
        /// the chain's head, listing what `new-revision --autogenerate` would
        /// write (Alembic's `check`).
        #[arg(long, conflicts_with = "database")]
        autogenerate: bool,
        /// The desired schema, with --autogenerate: a .sql file or a
        /// directory of them (else `schema` in the config file, else `schema/`).
        #[arg(long, value_name = "PATH", requires = "autogenerate")]
        schema: Option<PathBuf>,
        /// Instead: fail when the database's schema differs from the one its
        /// revisions build (changes made by hand), listing the differences.
        #[arg(long)]
        database: bool,
    },
    /// Lint the revisions with squawk (exit 1 if a denied rule is broken).
    #[cfg(feature = "lint")]
    Lint {
        /// Lint only the revisions after this one (else `lint_from` in the config file).
        #[arg(long, value_name = "REV")]
        lint_from: Option<String>,
    },
}

/// The help of a migrator's error in this command line's words, where they
/// differ from the library's.
fn cli_help(e: &MigrateError) -> Option<String> {
    Some(match e {
        MigrateError::Target(_) => "`history` lists the revisions".to_owned(),
        MigrateError::Interrupted { .. } => "check the database against that section; then run again with --resume-interrupted to continue after the last completed statement, or `stamp` the revision the schema is really at".to_owned(),
        MigrateError::Drift { .. } => "restore the applied SQL and put the change in a new revision (`new-revision`); to run once over the edit, run with --allow-drift; to accept it for good, `stamp <current revision> --purge` records the files' checksums".to_owned(),
        MigrateError::MissingRevisions { .. } => "a revision file was removed or its id changed; restore it, or run with --allow-drift to proceed".to_owned(),
        MigrateError::ImpossibleState { below, .. } => format!("the table was edited by hand; delete the row `{below}`, or run `stamp <rev> --purge` with the revision the schema is really at"),
        MigrateError::Connect { .. } => "check the URL (--database-url, DATABASE_URL or the config file) and that the server is running".to_owned(),
        MigrateError::VersionTableChanged { .. } => "the revision's transaction was rolled back; look at the table (`current`) and at what else writes to it, then run again".to_owned(),
        MigrateError::ExistingSchema { .. } => "if the schema matches a revision, record it without running anything: `stamp <revision>`; to apply the revisions over these tables anyway, run with --allow-existing-schema".to_owned(),
        MigrateError::LockTimeout { .. } => "wait for the other deploy to finish, or raise --lock-timeout-ms".to_owned(),
        _ => return None,
    })
}

/// Arguments of `upgrade` and `downgrade`.
///
/// # Examples
///
/// ```
/// use clap::Parser;
/// use schema_runtime::cli::{Cli, Command};
///
/// let cli = Cli::try_parse_from(["xtask", "downgrade", "-1", "--single-transaction"])?;
/// let Command::Downgrade(args) = cli.command else { unreachable!() };
/// assert_eq!(args.target, "-1");
/// assert!(args.single_transaction && !args.sql);
/// assert_eq!((args.ddl_retries, args.blocker_report_ms), (0, 5000));
/// # Ok::<(), clap::Error>(())
/// ```
#[derive(Debug, Args)]
pub struct RunArgs {
    /// The target; with --sql, a range `start:end` is allowed.
    #[arg(allow_hyphen_values = true)]
    pub target: String,
    /// Print the SQL instead of running it (offline mode).
    #[arg(long)]
    pub sql: bool,
    /// Run everything in one transaction (all or nothing).
    #[arg(long)]
    pub single_transaction: bool,
    /// Accept applied revisions whose file changed since.
    #[arg(long)]
    pub allow_drift: bool,
    /// Go on after an interrupted non-transactional revision (check the database first).
    #[arg(long)]
    pub resume_interrupted: bool,
    /// How long to wait for another migrator, in milliseconds.
    #[arg(long, value_name = "MS")]
    pub lock_timeout_ms: Option<u64>,
    /// Upgrade a database that has no version table although it holds
    /// tables (built by another tool: `stamp` is usually what you want).
    #[arg(long)]
    pub allow_existing_schema: bool,
    /// Give up a revision that waits longer than this for a table lock, in
    /// milliseconds, so that it does not queue every query on the table
    /// behind it (it is rolled back; see --ddl-retries).
    #[arg(long, value_name = "MS")]
    pub ddl_lock_timeout_ms: Option<u64>,
    /// How many times to try again a revision that gave up waiting for a
    /// table lock (1 s, 2 s, 4 s, ... apart).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 0,
        requires = "ddl_lock_timeout_ms"
    )]
    pub ddl_retries: u32,
    /// While the run waits for a lock, say who holds it every MS milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 5000)]
    pub blocker_report_ms: u64,
}

/// Alembic's commands for a Rust schema.
///
/// # Examples
///
/// ```
/// use clap::Parser;
/// use schema_runtime::cli::{Cli, Command};
///
/// let cli = Cli::try_parse_from(["xtask", "upgrade", "head", "--sql"])?;
/// assert!(matches!(cli.command, Command::Upgrade(ref args) if args.sql));
/// assert!(Cli::try_parse_from(["xtask", "upgrade"]).is_err(), "a target is required");
/// # Ok::<(), clap::Error>(())
/// ```
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", version, about)]
pub struct Cli {
    /// Settings shared by every command.
    #[command(flatten)]
    pub global: Global,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// `<title>` and a help line under it, drawn like every other message.
fn help_message(title: impl Into<String>, help: impl Into<String>) -> String {
    schema_core::render::Message::new(title)
        .note("help", help)
        .draw()
}

/// A failure to report: the text and the exit code.
///
/// # Examples
///
/// ```
/// let failure = schema_runtime::cli::run_args(["xtask", "--dir", "no/such/dir", "heads"]).unwrap_err();
/// assert_eq!(failure.code, 1);
/// assert!(failure.message.starts_with("error: cannot read no/such/dir"));
/// ```
#[derive(Debug)]
pub struct Failure {
    /// What to print on stderr.
    pub message: String,
    /// The exit code.
    pub code: u8,
}

impl Failure {
    fn new(message: impl std::fmt::Display) -> Self {
        Failure {
            message: message.to_string(),
            code: 1,
        }
    }

    /// `error: <title>` with a help line, drawn like every other message.
    fn with_help(title: impl Into<String>, help: impl Into<String>) -> Self {
        Failure::new(format!("error: {}", help_message(title, help)))
    }

    /// Writing the output failed. A closed pipe (`history | head -1`) is
    /// the reader saying it has seen enough: nothing to report, exit 0.
    fn output(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            Failure {
                message: String::new(),
                code: 0,
            }
        } else {
            Failure::new(format!("error: cannot write the output: {e}"))
        }
    }

    /// Whether this is the quiet end of [`Failure::output`] on a closed pipe.
    fn is_closed_output(&self) -> bool {
        self.code == 0 && self.message.is_empty()
    }
}

impl From<std::io::Error> for Failure {
    fn from(e: std::io::Error) -> Self {
        Failure::output(e)
    }
}

struct Context {
    global: Global,
    config: ConfigFile,
    dir: PathBuf,
    url: Result<DatabaseUrl, UrlError>,
    url_source: UrlSource,
    url_warnings: Vec<String>,
    out: Printer,
    /// The chain compiled into the program (`main_with`), which the
    /// commands that read the chain use instead of the directory.
    embedded: Option<MigrationSet>,
}

impl Context {
    fn new(global: Global, embedded: Option<&MigrationSet>) -> Result<Self, Failure> {
        let (config_path, explicit) = match &global.config {
            Some(p) => (p.clone(), true),
            None => (PathBuf::from(DEFAULT_CONFIG), false),
        };
        let config = ConfigFile::read(&config_path, explicit).map_err(Failure::new)?;
        for u in config.database_url.iter().chain(&global.scratch_url) {
            output::register_secrets(&crate::url::secrets(u));
        }
        // A directory named on the command line is read, not the chain
        // compiled in.
        let embedded = embedded.filter(|_| global.dir.is_none()).cloned();
        let dir = global
            .dir
            .clone()
            .or_else(|| config.directory.clone())
            .unwrap_or_else(|| PathBuf::from("migrations"));
        let resolved = resolve_url(global.database_url.as_deref(), &config, Path::new(".env"));
        output::register_secrets(&resolved.secrets);
        let color = std::io::stdout().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        let out = Printer {
            color,
            json: global.format == Format::Json,
        };
        Ok(Context {
            global,
            config,
            dir,
            url: resolved.url,
            url_source: resolved.source,
            url_warnings: resolved.warnings,
            out,
            embedded,
        })
    }

    fn display_dir(&self) -> String {
        self.dir.display().to_string()
    }

    /// The chain the commands run: the embedded one, else the directory's.
    fn load(&self) -> Result<MigrationSet, Failure> {
        match &self.embedded {
            Some(set) => Ok(set.clone()),
            None => load_dir(&self.dir, &self.display_dir()).map_err(Failure::new),
        }
    }

    /// Loads a directory that may have several heads (for the commands that
    /// show or merge branches).
    fn load_branches(&self) -> Result<MigrationSet, Failure> {
        load_dir_branches(&self.dir, &self.display_dir()).map_err(Failure::new)
    }

    fn migrator(&self, set: &MigrationSet) -> Migrator {
        let mut m = Migrator::new(set);
        if let Some(t) = self
            .global
            .version_table
            .as_ref()
            .or(self.config.version_table.as_ref())
        {
            m = m.table_name(t);
        }
        if let Some(s) = self
            .global
            .version_table_schema
            .as_ref()
            .or(self.config.version_table_schema.as_ref())
        {
            m = m.schema(s);
        }
        if let Some(ms) = self.config.lock_timeout_ms {
            m = m.lock_timeout(Duration::from_millis(ms));
        }
        m
    }

    /// The database URL, or why it cannot be used (the URL itself unquoted).
    fn database_url(&self) -> Result<&DatabaseUrl, Failure> {
        self.url.as_ref().map_err(|e| {
            Failure::with_help(
                format!(
                    "cannot read the database URL (from {}): {e}",
                    self.url_source
                ),
                e.help(),
            )
        })
    }

    /// The URL as shown: password masked, or a placeholder when unreadable.
    fn shown_url(&self) -> String {
        match &self.url {
            Ok(u) => u.shown().to_owned(),
            Err(_) => crate::url::redact(""),
        }
    }

    async fn connect(&self) -> Result<sqlx::PgConnection, Failure> {
        let url = self.database_url()?;
        for w in &self.url_warnings {
            note(w);
        }
        connect(url.connect_url())
            .await
            .map_err(|e| self.failure(e))
    }

    /// Any error text, with every form of the URL's password removed.
    fn failure(&self, e: impl std::fmt::Display) -> Failure {
        Failure::new(output::scrub(&e.to_string()))
    }

    /// A migrator's error, drawn with this command line's commands and
    /// flags in its help, every form of the URL's password removed.
    fn migrate_failure(&self, e: MigrateError) -> Failure {
        let help = match &e {
            MigrateError::BelowSquash { squashed_into, .. } => Some(format!(
                "bring it to `{squashed_into}` with the revisions the squash replaced: `upgrade {squashed_into} --dir {}`, then upgrade with this chain",
                self.dir.join(squash::SQUASHED_DIR).display()
            )),
            _ => cli_help(&e).or_else(|| e.help()),
        };
        Failure::new(output::scrub(
            &e.render_with_help(help, "run again with --resume-interrupted"),
        ))
    }

    /// The version table as configured (`--version-table`, then the config
    /// file, then Alembic's name).
    fn version_table(&self) -> VersionTable {
        let mut t = VersionTable::default();
        if let Some(name) = self
            .global
            .version_table
            .as_ref()
            .or(self.config.version_table.as_ref())
        {
            t.name = name.clone();
        }
        t.schema = self
            .global
            .version_table_schema
            .clone()
            .or_else(|| self.config.version_table_schema.clone());
        t
    }

    /// The version table's name as people write it: `schema.name` or `name`.
    fn version_table_name(&self) -> String {
        let t = self.version_table();
        match t.schema {
            Some(s) => format!("{s}.{}", t.name),
            None => t.name,
        }
    }

    /// When the version table does not exist: how many tables the database
    /// holds outside the system schemas (`None` when the table exists).
    async fn untracked_tables(
        &self,
        conn: &mut sqlx::PgConnection,
    ) -> Result<Option<i64>, Failure> {
        sqlx::query_scalar(
            "SELECT CASE WHEN to_regclass($1) IS NULL THEN (\
               SELECT count(*) FROM pg_catalog.pg_class c \
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace \
               WHERE c.relkind IN ('r', 'p') \
                 AND n.nspname NOT IN ('pg_catalog', 'information_schema') \
                 AND n.nspname !~ '^pg_(toast|temp_)') END",
        )
        .bind(self.version_table().table())
        .fetch_one(conn)
        .await
        .map_err(|e| self.failure(format!("error: counting the tables of the database: {e}")))
    }
}

/// Parses the process arguments and runs; the exit code says how it went.
///
/// # Examples
///
/// The whole `src/main.rs` of an `xtask` crate:
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     schema_runtime::cli::main()
/// }
/// ```
pub fn main() -> ExitCode {
    main_from(std::env::args_os())
}

/// [`main`] over the chain compiled into the program: the commands that
/// read the chain (`upgrade`, `downgrade`, `stamp`, `current`, `history`,
/// `check`, ...) use `set`, so Rust revisions run; the commands that write
/// revision files (`new-revision`, `merge`) and list branches still read
/// the directory, which may be ahead of the build, and `--dir` reads the
/// directory it names instead of `set`.
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// // src/main.rs of an application's migration tool:
/// // schema_runtime::migrations!("migrations");
/// fn main() -> std::process::ExitCode {
///     schema_runtime::cli::main_with(&migrations::SET)
/// }
/// ```
pub fn main_with<S: SetSource + ?Sized>(set: &S) -> ExitCode {
    main_with_args(set, std::env::args_os())
}

/// [`main_with`] with explicit arguments (the first is the program name).
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// let code = schema_runtime::cli::main_with_args(&migrations::SET, ["migrate", "history"]);
/// # let _ = code;
/// ```
pub fn main_with_args<S, I, T>(set: &S, args: I) -> ExitCode
where
    S: SetSource + ?Sized,
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    main_over(Some(set.migration_set()), args)
}

/// Runs over `embedded` (or the directory) and turns the outcome into the
/// exit code, printing the failure: what [`main_from`] and
/// [`main_with_args`] share.
fn main_over<I, T>(embedded: Option<&MigrationSet>, args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    output::install_panic_hook();
    match run_args_with(embedded, args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            note(&f.message);
            ExitCode::from(f.code)
        }
    }
}

/// [`main`] with explicit arguments (the first is the program name).
///
/// # Examples
///
/// ```
/// use std::process::ExitCode;
///
/// let code = schema_runtime::cli::main_from(["xtask", "--dir", "../migrations", "heads"]);
/// assert_eq!(code, ExitCode::SUCCESS);
/// ```
pub fn main_from<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    main_over(None, args)
}

/// Parses `args` (the first is the program name) and runs the command on a
/// fresh single-threaded runtime. Help and usage errors exit the process, as
/// clap does. Output cut short by a closed pipe is a success.
///
/// # Examples
///
/// ```
/// use schema_runtime::cli::run_args;
///
/// // Lists the head of the workspace's chain; no database needed.
/// run_args(["xtask", "--dir", "../migrations", "heads", "--verbose"]).unwrap();
/// assert_eq!(run_args(["xtask", "--dir", "../migrations", "show", "nope"]).unwrap_err().code, 1);
/// ```
pub fn run_args<I, T>(args: I) -> Result<(), Failure>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    run_args_with(None, args)
}

/// [`run_args`] over an embedded chain (see [`main_with`]).
fn run_args_with<I, T>(embedded: Option<&MigrationSet>, args: I) -> Result<(), Failure>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = Cli::parse_from(args);
    output::init_logging(cli.global.quiet);
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure {
            message: format!("error: cannot start the async runtime: {e}"),
            code: 2,
        })?
        .block_on(run_with(cli, embedded));
    match result {
        Err(f) if f.is_closed_output() => Ok(()),
        other => other,
    }
}

/// Progress lines (one per revision, with its time) on stderr, as Alembic
/// logs them, and the server's notices as `notice: ...` lines. `RUST_LOG`
/// (else `SCHEMA_LOG`) replaces the default filter `schema_runtime=info`.
///
/// # Examples
///
/// A program that parses its own arguments and embeds the commands:
///
/// ```
/// use clap::Parser;
/// use schema_runtime::cli::{init_logging, run, Cli};
///
/// init_logging();
/// let cli = Cli::parse_from(["xtask", "--dir", "../migrations", "heads"]);
/// let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// runtime.block_on(run(cli)).unwrap();
/// ```
pub fn init_logging() {
    output::init_logging(false);
}

/// Runs one parsed command line.
///
/// # Examples
///
/// ```
/// use clap::Parser;
/// use schema_runtime::cli::{run, Cli};
///
/// let cli = Cli::parse_from(["xtask", "--dir", "../migrations", "branches"]);
/// let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// runtime.block_on(run(cli)).unwrap();
/// ```
pub async fn run(cli: Cli) -> Result<(), Failure> {
    run_with(cli, None).await
}

/// [`run`] over the chain compiled into the program (`embedded`), as
/// [`main_with`] runs it; `None` reads the directory.
///
/// ```no_run
/// # schema_runtime::migrations!("../migrations", lint = false);
/// use clap::Parser;
/// # async fn go() {
/// let cli = schema_runtime::cli::Cli::parse_from(["migrate", "current"]);
/// let done = schema_runtime::cli::run_with(cli, Some(&migrations::SET)).await;
/// # let _ = done;
/// # }
/// ```
pub async fn run_with(cli: Cli, embedded: Option<&MigrationSet>) -> Result<(), Failure> {
    // `init` writes the files the other commands read, the config file among them.
    if let Command::Init { krate, path } = &cli.command {
        if cli.global.dir.is_some() {
            return Err(Failure::new(format!("error: {}", InitError::DirGiven)));
        }
        return init::run(init::InitArgs {
            krate,
            path: path.as_deref(),
        });
    }
    let ctx = Context::new(cli.global, embedded)?;
    match cli.command {
        Command::NewRevision {
            message,
            rev_id,
            revises,
            branch_label,
            depends_on,
            non_transactional,
            irreversible,
            autogenerate,
            schema,
        } => {
            let links = RevisionLinks {
                revises,
                branch_labels: branch_label,
                depends_on,
            };
            if autogenerate {
                autogenerate::new_revision(&ctx, &message, rev_id, links, schema.as_deref()).await
            } else {
                new_revision(
                    &ctx,
                    &message,
                    rev_id,
                    links,
                    non_transactional,
                    irreversible,
                )
            }
        }
        Command::Merge {
            revisions,
            message,
            rev_id,
        } => merge(&ctx, &revisions, &message, rev_id),
        Command::Upgrade(args) => run_migration(&ctx, Direction::Upgrade, args).await,
        Command::Downgrade(args) => run_migration(&ctx, Direction::Downgrade, args).await,
        Command::Current { verbose } => {
            let set = ctx.load()?;
            let m = ctx.migrator(&set);
            let mut conn = ctx.connect().await?;
            let state = m
                .current(&mut conn)
                .await
                .map_err(|e| ctx.migrate_failure(e))?;
            let untracked = if state.current.is_empty() {
                ctx.untracked_tables(&mut conn).await?
            } else {
                None
            };
            if let Some(n) = untracked.filter(|&n| n > 0) {
                note(format_args!(
                    "note: {}",
                    help_message(
                        format!("no version table `{}` here, but the database holds {n} table(s): it was built by another tool or by hand", ctx.version_table_name()),
                        "if its schema matches a revision, record that revision with `stamp <revision>`, then `upgrade head`",
                    )
                ));
            }
            ctx.out.current(
                &set,
                &state,
                verbose,
                &ctx.shown_url(),
                ctx.url_source,
                untracked,
            )?;
            Ok(())
        }
        Command::History { rev_range, verbose } => {
            let set = ctx.load_branches()?;
            let m = ctx.migrator(&set);
            let shown = match rev_range {
                Some(r) => {
                    let r = Range::parse(&r).map_err(Failure::new)?;
                    let start = r
                        .start
                        .unwrap_or(Target::BASE)
                        .resolve(&set, Direction::Upgrade, &Applied::none(&set))
                        .map_err(Failure::new)?;
                    let end = r
                        .end
                        .resolve(&set, Direction::Upgrade, &start)
                        .map_err(Failure::new)?;
                    // From the start revision (included) up to the end.
                    let first = set.rows(&start);
                    (0..set.len())
                        .map(|i| (end.contains(i) && !start.contains(i)) || first.contains(&i))
                        .collect()
                }
                None => vec![true; set.len()],
            };
            // History works without a database; with one, it marks what is applied.
            let entries = match ctx.connect().await {
                Ok(mut conn) => Some(
                    m.history(&mut conn)
                        .await
                        .map_err(|e| ctx.migrate_failure(e))?,
                ),
                Err(f) => {
                    note(format_args!(
                        "note: not marking applied revisions: {}",
                        f.message.lines().next().unwrap_or("")
                    ));
                    None
                }
            };
            ctx.out.history(&set, entries.as_deref(), &shown, verbose)?;
            Ok(())
        }
        Command::Heads { verbose } => {
            let set = ctx.load_branches()?;
            ctx.out.heads(&set, verbose)?;
            Ok(())
        }
        Command::Branches { verbose } => {
            let set = ctx.load_branches()?;
            ctx.out.branches(&set, verbose)?;
            Ok(())
        }
        Command::Show { rev } => {
            let set = ctx.load_branches()?;
            let applied = Target::parse(&rev)
                .map_err(Failure::new)?
                .resolve(&set, Direction::Upgrade, &Applied::none(&set))
                .map_err(Failure::new)?;
            // The target's revision is the last of what it needs.
            let Some(index) = applied.positions().last() else {
                return Err(Failure::new(
                    "error: `base` is not a revision; give an id or a prefix",
                ));
            };
            ctx.out.show(&set, index)?;
            Ok(())
        }
        Command::Import {
            from,
            source,
            python,
        } => import::import(&ctx, from, &source, python.as_deref()),
        Command::Init { .. } => unreachable!("run above, before the context is read"),
        Command::Squash { rev } => squash::squash(&ctx, &rev).await,
        Command::Stamp {
            from: Some(tool),
            purge,
            source_table,
            ..
        } => import::stamp(&ctx, tool, purge, source_table.as_deref()).await,
        Command::Stamp { rev, purge, .. } => {
            let rev = rev.unwrap_or_default();
            let set = ctx.load()?;
            let m = ctx.migrator(&set);
            let target = Target::parse(&rev).map_err(Failure::new)?;
            let mut conn = ctx.connect().await?;
            let report = m
                .stamp(&mut conn, target, purge)
                .await
                .map_err(|e| ctx.migrate_failure(e))?;
            out_line(format_args!("Stamped {}", rows_text(&report.to)))?;
            Ok(())
        }
        #[cfg(feature = "lint")]
        Command::Lint { lint_from } => lint::command(&ctx, lint_from),
        Command::Check {
            autogenerate: true,
            schema,
            ..
        } => autogenerate::check_autogenerate(&ctx, schema.as_deref()).await,
        Command::Check { database: true, .. } => autogenerate::check_database(&ctx).await,
        Command::Check { .. } => {
            let set = ctx.load()?;
            #[cfg(feature = "lint")]
            lint::in_check(&ctx, &set)?;
            out_line(format_args!(
                "{}: {} revision(s), one head, head {}",
                ctx.display_dir(),
                set.len(),
                set.head().id
            ))?;
            let m = ctx.migrator(&set);
            let mut conn = ctx.connect().await?;
            let state = m
                .current(&mut conn)
                .await
                .map_err(|e| ctx.migrate_failure(e))?;
            let applied = m.applied(&state).map_err(|e| ctx.migrate_failure(e))?;
            if applied.count() == set.len() {
                out_line(format_args!(
                    "No upgrade needed: the database is at head {}",
                    set.head().id
                ))?;
                Ok(())
            } else {
                let pending: Vec<&str> = set
                    .revisions()
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !applied.contains(*i))
                    .map(|(_, r)| &*r.id)
                    .collect();
                Err(Failure::with_help(
                    format!(
                        "the database is not at head: {} revision(s) to apply ({})",
                        pending.len(),
                        pending.join(", ")
                    ),
                    "run `upgrade head`",
                ))
            }
        }
    }
}

/// The header links of a new revision.
struct RevisionLinks {
    revises: Vec<String>,
    branch_labels: Vec<String>,
    depends_on: Vec<String>,
}

fn new_revision(
    ctx: &Context,
    message: &str,
    rev_id: Option<String>,
    links: RevisionLinks,
    non_transactional: bool,
    irreversible: bool,
) -> Result<(), Failure> {
    let dir_has_files =
        schema_core::read_dir(&ctx.dir, &ctx.display_dir()).is_ok_and(|f| !f.is_empty());
    let revises = if !links.revises.is_empty() || !dir_has_files {
        links.revises
    } else {
        match ctx.load() {
            Ok(set) => vec![set.head().id.to_string()],
            Err(f) => {
                return Err(Failure::new(format!(
                    "{}\n\nerror: {}",
                    f.message,
                    help_message(
                        "cannot tell which revision the new one revises while the chain is broken",
                        "fix the errors above, or name the parent with `--revises <id>`",
                    )
                )))
            }
        }
    };
    write_revision(
        ctx,
        new_revision::NewRevision {
            message,
            id: &rev_id.unwrap_or_else(new_revision::fresh_id),
            revises: &revises,
            branch_labels: &links.branch_labels,
            depends_on: &links.depends_on,
            non_transactional,
            irreversible,
            create_date: &new_revision::create_date(SystemTime::now()),
            upgrade: "",
            downgrade: "",
        },
    )
}

fn write_revision(ctx: &Context, revision: new_revision::NewRevision<'_>) -> Result<(), Failure> {
    let path = revision.write(&ctx.dir).map_err(Failure::new)?;
    out_line(format_args!("Generating {} ... done", path.display()))?;
    Ok(())
}

/// `merge`: a revision with empty sections that revises the given revisions.
fn merge(
    ctx: &Context,
    revisions: &[String],
    message: &str,
    rev_id: Option<String>,
) -> Result<(), Failure> {
    let set = ctx.load_branches()?;
    let mut parents: Vec<usize> = Vec::new();
    for r in revisions {
        let found = if r == "heads" {
            set.heads()
        } else {
            vec![schema_core::target::resolve_id(&set, r).map_err(Failure::new)?]
        };
        for p in found {
            if !parents.contains(&p) {
                parents.push(p);
            }
        }
    }
    // A parent below another parent would not merge anything.
    if let Some((q, p)) = set.nested_pair(&parents) {
        return Err(Failure::with_help(
            format!(
                "`{}` is already below `{}`, so merging them changes nothing",
                set.revisions()[q].id,
                set.revisions()[p].id
            ),
            "merge the heads of separate branches (`cargo xtask heads` lists them)",
        ));
    }
    if parents.len() < 2 {
        return Err(Failure::with_help(
            format!(
                "nothing to merge: {} names one revision",
                revisions.join(" ")
            ),
            "a merge revision revises two or more heads; `cargo xtask heads` lists them",
        ));
    }
    // As Alembic writes them: `heads` in file-name order, named revisions in
    // the order given. The order decides the application order (the branch
    // of the last-named parent is applied first).
    let revises: Vec<String> = parents
        .iter()
        .map(|&p| set.revisions()[p].id.to_string())
        .collect();
    write_revision(
        ctx,
        new_revision::NewRevision {
            message,
            id: &rev_id.unwrap_or_else(new_revision::fresh_id),
            revises: &revises,
            branch_labels: &[],
            depends_on: &[],
            non_transactional: false,
            irreversible: false,
            create_date: &new_revision::create_date(SystemTime::now()),
            upgrade: "",
            downgrade: "",
        },
    )
}

async fn run_migration(ctx: &Context, direction: Direction, args: RunArgs) -> Result<(), Failure> {
    let set = ctx.load()?;
    let mut m = ctx
        .migrator(&set)
        .allow_drift(args.allow_drift)
        .resume_interrupted(args.resume_interrupted)
        .allow_existing_schema(args.allow_existing_schema)
        .ddl_lock_timeout(args.ddl_lock_timeout_ms.map(Duration::from_millis))
        .ddl_retries(args.ddl_retries);
    if args.single_transaction {
        m = m.transaction_mode(TransactionMode::Single);
    }
    if let Some(ms) = args.lock_timeout_ms {
        m = m.lock_timeout(Duration::from_millis(ms));
    }
    if args.sql {
        let range = Range::parse(&args.target).map_err(Failure::new)?;
        let script = m
            .offline(direction, &range)
            .map_err(|e| ctx.migrate_failure(e))?;
        out(&script.to_string())?;
        return Ok(());
    }
    if args.target.contains(':') {
        return Err(Failure::new(format!(
            "error: a range (`{}`) needs --sql; online runs start at the database's current revision",
            args.target
        )));
    }
    let target = Target::parse(&args.target).map_err(Failure::new)?;
    let mut conn = ctx.connect().await?;
    // A run that waits for a lock says who holds it, every few seconds.
    if let Ok(url) = ctx.database_url() {
        m = m.report_blockers(
            url.connect_url(),
            Duration::from_millis(args.blocker_report_ms.max(100)),
        );
    }
    let result = match direction {
        Direction::Upgrade => m.upgrade(&mut conn, target).await,
        Direction::Downgrade => m.downgrade(&mut conn, target).await,
    };
    crate::migrator::close(conn).await;
    let report = result.map_err(|e| ctx.migrate_failure(e))?;
    if report.steps.is_empty() {
        out_line(format_args!(
            "Nothing to {direction}: the database is at {}",
            rows_text(&report.from)
        ))?;
    } else {
        let total: Duration = report.steps.iter().map(|s| s.duration).sum();
        out_line(format_args!(
            "{} {} revision(s): {} -> {} in {:.1} ms",
            if direction == Direction::Upgrade {
                "Applied"
            } else {
                "Reverted"
            },
            report.steps.len(),
            rows_text(&report.from),
            rows_text(&report.to),
            total.as_secs_f64() * 1000.0
        ))?;
    }
    Ok(())
}
