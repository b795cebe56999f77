//! `import --from sqlx` and `stamp --from sqlx`: the way in for a project
//! whose history, and whose live databases, sqlx's migrator kept.
//!
//! `import` reads a sqlx migrations directory with sqlx's own rules (those of
//! `sqlx-core` 0.9's `resolve_blocking`: which files count, how a name splits
//! into version and description, the `-- no-transaction` first line, the
//! SHA-384 checksum) and writes one revision per sqlx version, chained in
//! sqlx's order. Each revision keeps the sqlx version in its id
//! (`sqlx_<version>`) and, in comment lines between its header and its
//! upgrade section, the files it came from and their sqlx checksum, so that
//! `stamp --from sqlx` can map `_sqlx_migrations` onto the chain and refuse a
//! database whose applied migrations are not the files that were imported.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use clap::ValueEnum;
use sha2::{Digest, Sha384};

use super::output::out_line;
use super::{new_revision::slug, Context, Failure};
use crate::migrator::rows_text;
use crate::VersionTable;

/// A migration tool whose history `import` reads and whose tracking table
/// `stamp --from` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SourceTool {
    /// sqlx (`sqlx migrate`, `sqlx::migrate!()`): `<VERSION>_<DESCRIPTION>.sql`
    /// or `.up.sql`/`.down.sql` files, tracked in `_sqlx_migrations`.
    Sqlx,
    /// Alembic: a project directory with `alembic.ini`, `env.py` and
    /// `versions/*.py`, rendered through Alembic's offline mode; tracked in
    /// `alembic_version`, the version table shared with this project.
    Alembic,
    /// refinery (`embed_migrations!`, `load_sql_migrations`):
    /// `V{version}__{name}.sql` and `U{version}__{name}.sql` files, tracked in
    /// `refinery_schema_history`.
    Refinery,
    /// diesel (`diesel migration run`, `MigrationHarness`): one
    /// `<version>_<name>/` directory per migration with `up.sql`, `down.sql`
    /// and `metadata.toml`, tracked in `__diesel_schema_migrations`.
    Diesel,
}

impl SourceTool {
    /// The tool as `--from` names it.
    fn flag(self) -> &'static str {
        match self {
            SourceTool::Sqlx => "sqlx",
            SourceTool::Alembic => "alembic",
            SourceTool::Refinery => "refinery",
            SourceTool::Diesel => "diesel",
        }
    }
}

/// sqlx's tracking table, as its migrator names it by default.
const SQLX_TABLE: &str = "_sqlx_migrations";
/// The comment line that names the sqlx files a revision was imported from.
const FROM_LINE: &str = "-- Imported from sqlx: ";
/// The comment line that holds the sqlx version.
const VERSION_LINE: &str = "-- sqlx version: ";
/// The comment line that holds the sqlx checksum of the up (or simple) file.
const CHECKSUM_LINE: &str = "-- sqlx checksum: ";

/// Why a sqlx directory cannot be imported, or a database not stamped from
/// its `_sqlx_migrations`.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The directory or one of its files could not be read.
    #[error("cannot read {path}: {reason}")]
    Read {
        /// The file or directory.
        path: String,
        /// The operating system's message.
        reason: String,
    },
    /// A `.sql` file whose name is not `<VERSION>_<DESCRIPTION>.sql`
    /// (sqlx 0.9 refuses the directory too).
    #[error("`{file}` is not named `<VERSION>_<DESCRIPTION>.sql`, so sqlx refuses this directory")]
    UnrecognizedFile {
        /// The file name.
        file: String,
    },
    /// A version below zero, which no revision id can hold.
    #[error("`{file}` has a negative version")]
    NegativeVersion {
        /// The file name.
        file: String,
    },
    /// Two up (or simple) files, or two down files, with one version.
    #[error("version {version} is given by several files: {}", files.join(", "))]
    DuplicateVersion {
        /// The version.
        version: i64,
        /// The files.
        files: Vec<String>,
    },
    /// No migration to import.
    #[error("{dir} holds no sqlx migration")]
    NoMigrations {
        /// The directory.
        dir: String,
    },
    /// The revisions as written would not pass the chain check.
    #[error("the imported revisions would not pass the chain check:\n{0}")]
    Invalid(String),
    /// The migrations directory already holds revision files that are not
    /// this very import.
    #[error("{dir} already holds {count} revision file(s)")]
    TargetNotEmpty {
        /// The migrations directory.
        dir: String,
        /// How many revision files.
        count: usize,
        /// Whether it is the sqlx directory itself.
        is_source: bool,
    },
    /// No sqlx tracking table (`_sqlx_migrations`, or the one named with
    /// `--source-table`) in the database.
    #[error("the database has no `{table}` table: sqlx has not migrated it")]
    NoTable {
        /// The table looked for.
        table: String,
    },
    /// `_sqlx_migrations` holds no row.
    #[error("`_sqlx_migrations` is empty: sqlx has applied nothing here")]
    NothingApplied,
    /// The migrations directory holds no imported revision.
    #[error("{dir} holds no revision imported from sqlx")]
    NotImported {
        /// The migrations directory.
        dir: String,
    },
    /// A migration sqlx recorded as failed.
    #[error("sqlx migration {version} ({description}) is recorded as failed (success = false)")]
    Failed {
        /// The version.
        version: i64,
        /// sqlx's description.
        description: String,
    },
    /// An applied migration that no imported revision stands for.
    #[error("sqlx migration {version} ({description}) is applied but no imported revision stands for it")]
    Unknown {
        /// The version.
        version: i64,
        /// sqlx's description.
        description: String,
    },
    /// An applied migration whose checksum is not that of the imported file.
    #[error("sqlx migration {version} ({description}) was applied from another file than the one imported into {file}: checksum {applied} in `_sqlx_migrations`, {imported} at import")]
    ChecksumMismatch {
        /// The version.
        version: i64,
        /// sqlx's description.
        description: String,
        /// The imported revision file.
        file: String,
        /// The checksum in the table (hex).
        applied: String,
        /// The checksum recorded at import (hex).
        imported: String,
    },
    /// An applied migration with an earlier one not applied.
    #[error("sqlx migration {version} is applied but earlier migration(s) are not: {}", missing.join(", "))]
    Gap {
        /// The applied version.
        version: i64,
        /// The earlier versions not applied, with their revisions.
        missing: Vec<String>,
    },
}

impl ImportError {
    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            ImportError::Read { .. } => "check the path and its permissions".to_owned(),
            ImportError::UnrecognizedFile { .. } => "rename it to `<VERSION>_<DESCRIPTION>.sql`, or move it out of the directory (sqlx's `unrecognized_sql_files` setting skips such files; importing does not)".to_owned(),
            ImportError::NegativeVersion { .. } => "renumber the migration (sqlx's versions are meant to be positive)".to_owned(),
            ImportError::DuplicateVersion { .. } => "sqlx cannot apply both (the version is the key of `_sqlx_migrations`); remove or renumber one".to_owned(),
            ImportError::NoMigrations { .. } => "name the directory that holds the `<VERSION>_<DESCRIPTION>.sql` files".to_owned(),
            ImportError::Invalid(_) => "fix the sqlx files named above, then import again".to_owned(),
            ImportError::TargetNotEmpty { is_source: true, .. } => "import into a directory of its own: `--dir <new directory> import --from sqlx <sqlx directory>`".to_owned(),
            ImportError::TargetNotEmpty { .. } => "import into an empty directory (`--dir`); an import never overwrites or mixes with other revisions".to_owned(),
            ImportError::NoTable { .. } => "check the URL and --source-table; on a database sqlx never migrated, run `upgrade head` instead".to_owned(),
            ImportError::NothingApplied => "nothing to record: run `upgrade head` to build the schema with the imported revisions".to_owned(),
            ImportError::NotImported { .. } => "run `import --from sqlx <sqlx directory>` first, and name its directory with `--dir`".to_owned(),
            ImportError::Failed { .. } => "the database is where sqlx left a failed migration: repair it and finish the migration with sqlx (`sqlx migrate run`), then stamp".to_owned(),
            ImportError::Unknown { .. } => "the database is ahead of the imported files: import again from the sqlx directory this database was migrated from".to_owned(),
            ImportError::ChecksumMismatch { .. } => "the sqlx file was edited after this database was migrated (or before the import): import from the files this database was migrated with, or check the schema and fix the row".to_owned(),
            ImportError::Gap { .. } => "sqlx would apply the missing migration(s) on its next run: run sqlx's migrator once (`sqlx migrate run`), then stamp".to_owned(),
        }
    }

    fn failure(&self) -> Failure {
        Failure::with_help(self.to_string(), self.help())
    }
}

/// One file as sqlx resolves it.
#[derive(Debug)]
struct SqlxFile {
    name: String,
    version: i64,
    kind: Kind,
    description: String,
    sql: String,
}

/// sqlx's `MigrationType`, in its sort order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Simple,
    Up,
    Down,
}

impl Kind {
    fn of(rest: &str) -> Kind {
        if rest.ends_with(".up.sql") {
            Kind::Up
        } else if rest.ends_with(".down.sql") {
            Kind::Down
        } else {
            Kind::Simple
        }
    }

    fn suffix(self) -> &'static str {
        match self {
            Kind::Simple => ".sql",
            Kind::Up => ".up.sql",
            Kind::Down => ".down.sql",
        }
    }
}

/// One sqlx migration: its up (or simple) file and its down file.
#[derive(Debug)]
struct Migration {
    version: i64,
    description: String,
    up: SqlxFile,
    down: Option<SqlxFile>,
}

/// sqlx's `no_tx`: the file starts with `-- no-transaction`.
fn no_tx(sql: &str) -> bool {
    sql.starts_with("-- no-transaction")
}

/// sqlx's checksum of a file: SHA-384 of its text, as hex.
fn sqlx_checksum(sql: &str) -> String {
    schema_core::hex(&Sha384::digest(sql.as_bytes()))
}

/// Reads a sqlx migrations directory as sqlx 0.9 resolves it; the notes
/// say what was skipped and why.
fn read_sqlx_dir(dir: &Path) -> Result<(Vec<Migration>, Vec<String>), ImportError> {
    let read_error = |path: &Path, e: std::io::Error| ImportError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let mut files = Vec::new();
    let mut notes = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| read_error(dir, e))? {
        let entry = entry.map_err(|e| read_error(dir, e))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let metadata = std::fs::metadata(&path).map_err(|e| read_error(&path, e))?;
        if !metadata.is_file() {
            notes.push(format!(
                "skipped {name}: not a file (sqlx reads no subdirectory)"
            ));
            continue;
        }
        let Some((version, rest)) = name.split_once('_').filter(|(_, r)| r.ends_with(".sql"))
        else {
            if name.ends_with(".sql") {
                return Err(ImportError::UnrecognizedFile { file: name });
            }
            notes.push(format!(
                "skipped {name}: not a `.sql` file (sqlx ignores it)"
            ));
            continue;
        };
        let version: i64 = version
            .parse()
            .map_err(|_| ImportError::UnrecognizedFile { file: name.clone() })?;
        if version < 0 {
            return Err(ImportError::NegativeVersion { file: name });
        }
        let kind = Kind::of(rest);
        let description = rest.trim_end_matches(kind.suffix()).replace('_', " ");
        let sql = std::fs::read_to_string(&path).map_err(|e| read_error(&path, e))?;
        files.push(SqlxFile {
            name,
            version,
            kind,
            description,
            sql,
        });
    }
    files.sort_by(|a, b| (a.version, a.kind, &a.name).cmp(&(b.version, b.kind, &b.name)));
    let mut by_version: BTreeMap<i64, (Vec<SqlxFile>, Vec<SqlxFile>)> = BTreeMap::new();
    for f in files {
        let slot = by_version.entry(f.version).or_default();
        if f.kind == Kind::Down {
            slot.1.push(f);
        } else {
            slot.0.push(f);
        }
    }
    let mut migrations = Vec::new();
    for (version, (mut ups, mut downs)) in by_version {
        for group in [&ups, &downs] {
            if group.len() > 1 {
                return Err(ImportError::DuplicateVersion {
                    version,
                    files: group.iter().map(|f| f.name.clone()).collect(),
                });
            }
        }
        let down = downs.pop();
        let Some(up) = ups.pop() else {
            if let Some(d) = down {
                notes.push(format!(
                    "skipped {}: no up migration has version {version} (sqlx never applies it)",
                    d.name
                ));
            }
            continue;
        };
        migrations.push(Migration {
            version,
            description: up.description.clone(),
            up,
            down,
        });
    }
    Ok((migrations, notes))
}

/// One revision file an import writes.
#[derive(Debug)]
pub(super) struct Planned {
    /// The revision id.
    pub(super) id: String,
    /// The file name in the migrations directory.
    pub(super) file_name: String,
    /// The whole file.
    pub(super) text: String,
    /// What the reader should know about it (irreversible, non-transactional).
    pub(super) notes: Vec<String>,
}

/// Checks `planned` as a chain, then writes it into the migrations
/// directory, which must be empty, printing the `skipped` notes first and a
/// line per file. A directory that already holds exactly these files is
/// left alone (`Ok(false)`, said in the output). `invalid` and `not_empty`
/// build the source tool's own errors (from the chain check's report, and
/// from the directory's name and how many revisions it holds).
pub(super) fn write_revisions(
    ctx: &Context,
    source: &Path,
    planned: &[Planned],
    skipped: &[String],
    invalid: impl FnOnce(String) -> Failure,
    not_empty: impl FnOnce(String, usize) -> Failure,
) -> Result<bool, Failure> {
    let display = ctx.display_dir();
    let sources: Vec<schema_core::SourceFile> = planned
        .iter()
        .map(|p| schema_core::SourceFile {
            path: ctx.dir.join(&p.file_name),
            display: format!("{}/{}", display.trim_end_matches('/'), p.file_name),
            text: p.text.clone(),
        })
        .collect();
    schema_core::load::check_sources(&sources, &display).map_err(|d| invalid(d.to_string()))?;
    let existing = if ctx.dir.exists() {
        schema_core::read_dir(&ctx.dir, &display).map_err(Failure::new)?
    } else {
        Vec::new()
    };
    if !existing.is_empty() {
        let mut there: Vec<_> = existing.iter().map(|e| (&e.display, &e.text)).collect();
        let mut wanted: Vec<_> = sources.iter().map(|s| (&s.display, &s.text)).collect();
        there.sort();
        wanted.sort();
        if there == wanted {
            out_line(format_args!(
                "Nothing to import: {display} already holds these {} revision(s) from {}",
                planned.len(),
                source.display()
            ))?;
            return Ok(false);
        }
        return Err(not_empty(display, existing.len()));
    }
    for note in skipped {
        out_line(format_args!("{note}"))?;
    }
    std::fs::create_dir_all(&ctx.dir)
        .map_err(|e| Failure::new(format!("error: cannot create {display}: {e}")))?;
    for (p, s) in planned.iter().zip(&sources) {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&s.path)
            .map_err(|e| Failure::new(format!("error: cannot create {}: {e}", s.display)))?;
        std::io::Write::write_all(&mut file, p.text.as_bytes())
            .map_err(|e| Failure::new(format!("error: cannot write {}: {e}", s.display)))?;
        out_line(format_args!("Generating {} ... done", s.display))?;
        for n in &p.notes {
            out_line(format_args!("  {n}"))?;
        }
    }
    Ok(true)
}

/// Says what an import of `tool` wrote from `source` (`how`, when not
/// empty, says how it was read), its base and head, and that each database
/// the tool migrated is to be stamped before any upgrade.
pub(super) fn report_imported(
    tool: SourceTool,
    source: &Path,
    how: &str,
    planned: &[Planned],
) -> Result<(), Failure> {
    let (name, unit, record) = match tool {
        SourceTool::Alembic => ("Alembic", "revision(s)", "the checksums"),
        _ => (tool.flag(), "migration(s)", "where it stands"),
    };
    out_line(format_args!(
        "Imported {} {name} {unit} from {}{how}: base {}, head {}",
        planned.len(),
        source.display(),
        planned[0].id,
        planned[planned.len() - 1].id
    ))?;
    out_line(format_args!(
        "On each database {name} migrated, record {record} with `stamp --from {}` before any `upgrade`",
        tool.flag()
    ))?;
    Ok(())
}

/// Why a revision has no downgrade, or `None` when its down file holds SQL.
fn irreversible_reason(m: &Migration) -> Option<String> {
    match &m.down {
        None if m.up.kind == Kind::Simple => Some(format!(
            "irreversible: {} is a simple migration (no .down.sql)",
            m.up.name
        )),
        None => Some(format!(
            "irreversible: {} has no {}_*.down.sql",
            m.up.name, m.version
        )),
        Some(d) if schema_core::sql::split_statements(&d.sql).is_empty() => Some(format!(
            "irreversible: {} holds no statement (empty or comments only)",
            d.name
        )),
        Some(_) => None,
    }
}

/// The revision files for `migrations`, chained in sqlx's order.
fn plan(migrations: &[Migration]) -> Vec<Planned> {
    let mut planned = Vec::new();
    let mut previous: Option<String> = None;
    for m in migrations {
        let id = format!("sqlx_{}", m.version);
        let mut notes = Vec::new();
        let irreversible = irreversible_reason(m);
        if let Some(reason) = &irreversible {
            notes.push(reason.clone());
        }
        let down_no_tx = m.down.as_ref().is_some_and(|d| no_tx(&d.sql)) && irreversible.is_none();
        let non_transactional = no_tx(&m.up.sql) || down_no_tx;
        if no_tx(&m.up.sql) {
            notes.push(format!(
                "non-transactional: {} starts with `-- no-transaction`",
                m.up.name
            ));
        } else if down_no_tx {
            notes.push(
                "non-transactional (both ways): its down file starts with `-- no-transaction`"
                    .to_owned(),
            );
        }
        if let Some(d) = &m.down {
            if d.description != m.description {
                notes.push(format!(
                    "{} is paired with {} by version, as sqlx pairs them",
                    d.name, m.up.name
                ));
            }
        }
        let mut options = Vec::new();
        if non_transactional {
            options.push("non-transactional");
        }
        if irreversible.is_some() {
            options.push("irreversible");
        }
        let mut text = revision_head(&m.description, &id, previous.as_deref(), &options);
        let files = match &m.down {
            Some(d) => format!("{}, {}", m.up.name, d.name),
            None => m.up.name.clone(),
        };
        let _ = write!(
            text,
            "\n{FROM_LINE}{files}\n{VERSION_LINE}{}\n{CHECKSUM_LINE}{}\n\n-- migrate:upgrade\n",
            m.version,
            sqlx_checksum(&m.up.sql)
        );
        push_section(&mut text, &m.up.sql);
        if irreversible.is_none() {
            if let Some(d) = &m.down {
                text.push_str("-- migrate:downgrade\n");
                push_section(&mut text, &d.sql);
            }
        }
        planned.push(Planned {
            file_name: revision_file_name(&id, &m.description),
            id: id.clone(),
            text,
            notes,
        });
        previous = Some(id);
    }
    planned
}

/// A section's SQL as the file holds it, ending with a newline.
pub(super) fn push_section(text: &mut String, sql: &str) {
    text.push_str(sql);
    if !sql.ends_with('\n') {
        text.push('\n');
    }
}

/// The header of an imported revision: the message (when there is one),
/// `Revision ID`, `Revises` and, when `options` names any, `Options`.
pub(super) fn revision_head(
    message: &str,
    id: &str,
    previous: Option<&str>,
    options: &[&str],
) -> String {
    let mut text = String::new();
    let message = message.trim();
    if !message.is_empty() {
        let _ = write!(text, "-- {message}\n--\n");
    }
    let _ = writeln!(text, "-- Revision ID: {id}");
    let _ = writeln!(text, "-- Revises: {}", previous.unwrap_or(""));
    if !options.is_empty() {
        let _ = writeln!(text, "-- Options: {}", options.join(", "));
    }
    text
}

/// The file name of an imported revision: `<id>_<slug of name>.sql`, or
/// `<id>.sql` when the name gives no slug.
pub(super) fn revision_file_name(id: &str, name: &str) -> String {
    let s = slug(name);
    if s.is_empty() {
        format!("{id}.sql")
    } else {
        format!("{id}_{s}.sql")
    }
}

/// The comment lines an imported revision keeps between its header and its
/// upgrade section, with its id and file.
#[derive(Debug)]
pub(super) struct RevisionComments {
    /// The revision id.
    pub(super) id: String,
    /// The file, as the migrations directory is displayed.
    pub(super) file: String,
    /// Every line before `-- migrate:upgrade`, trailing blanks removed.
    lines: Vec<String>,
}

impl RevisionComments {
    /// The values of the lines that start with `prefix`, trimmed.
    pub(super) fn values<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.lines
            .iter()
            .filter_map(move |l| l.strip_prefix(prefix))
            .map(str::trim)
    }

    /// The value of the first line that starts with `prefix`, trimmed.
    pub(super) fn value<'a>(&'a self, prefix: &'a str) -> Option<&'a str> {
        self.values(prefix).next()
    }
}

/// The header lines of every revision of the migrations directory that has
/// an id; the source tool picks out the revisions its import wrote.
pub(super) fn revision_comments(
    dir: &Path,
    display: &str,
) -> Result<Vec<RevisionComments>, Failure> {
    let mut found = Vec::new();
    for f in schema_core::read_dir(dir, display).map_err(Failure::new)? {
        let lines: Vec<String> = f
            .text
            .lines()
            .map(str::trim_end)
            .take_while(|l| l.trim() != "-- migrate:upgrade")
            .map(str::to_owned)
            .collect();
        let id = lines
            .iter()
            .find_map(|l| l.strip_prefix("-- Revision ID:"))
            .map(|v| v.trim().to_owned());
        if let Some(id) = id {
            found.push(RevisionComments {
                id,
                file: f.display,
                lines,
            });
        }
    }
    Ok(found)
}

/// Where a source tool's applied migrations stand in the imported order,
/// given the position of each applied one: the position of the last, and
/// the positions before it that are not applied (a gap); `None` when
/// nothing is applied.
pub(super) fn last_applied(applied: &[usize]) -> Option<(usize, Vec<usize>)> {
    let last = *applied.iter().max()?;
    let missing = (0..last).filter(|p| !applied.contains(p)).collect();
    Some((last, missing))
}

/// `import --from sqlx SOURCE`: writes the revisions into the migrations
/// directory, or does nothing when it already holds exactly this import.
pub(super) fn import(
    ctx: &Context,
    tool: SourceTool,
    source: &Path,
    python: Option<&Path>,
) -> Result<(), Failure> {
    match tool {
        SourceTool::Sqlx => import_sqlx(ctx, source),
        SourceTool::Alembic => super::import_alembic::import(ctx, source, python),
        SourceTool::Refinery => super::import_refinery::import(ctx, source),
        SourceTool::Diesel => super::import_diesel::import(ctx, source),
    }
}

fn import_sqlx(ctx: &Context, source: &Path) -> Result<(), Failure> {
    let (migrations, skipped) = read_sqlx_dir(source).map_err(|e| e.failure())?;
    if migrations.is_empty() {
        return Err(ImportError::NoMigrations {
            dir: source.display().to_string(),
        }
        .failure());
    }
    let planned = plan(&migrations);
    let written = write_revisions(
        ctx,
        source,
        &planned,
        &skipped,
        |report| ImportError::Invalid(report).failure(),
        |dir, count| {
            ImportError::TargetNotEmpty {
                dir,
                count,
                is_source: same_dir(&ctx.dir, source),
            }
            .failure()
        },
    )?;
    if !written {
        return Ok(());
    }
    report_imported(SourceTool::Sqlx, source, "", &planned)
}

pub(super) fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

/// A revision written by `import --from sqlx`, as its comment lines say.
#[derive(Debug)]
struct Imported {
    id: String,
    version: i64,
    checksum: String,
    file: String,
}

/// The imported revisions of the migrations directory, by sqlx version.
fn imported_revisions(dir: &Path, display: &str) -> Result<Vec<Imported>, Failure> {
    let mut found: Vec<Imported> = revision_comments(dir, display)?
        .into_iter()
        .filter_map(|c| {
            let version = c.value(VERSION_LINE)?.parse::<i64>().ok()?;
            let checksum = c.value(CHECKSUM_LINE)?.to_owned();
            Some(Imported {
                id: c.id,
                version,
                checksum,
                file: c.file,
            })
        })
        .collect();
    found.sort_by_key(|i| i.version);
    Ok(found)
}

/// A row of `_sqlx_migrations`.
#[derive(Debug)]
struct Applied {
    version: i64,
    description: String,
    success: bool,
    checksum: Vec<u8>,
}

/// The imported revision the rows of `_sqlx_migrations` stand at, or why
/// none can be named.
fn stamp_target<'a>(
    imported: &'a [Imported],
    applied: &[Applied],
) -> Result<&'a Imported, ImportError> {
    if let Some(a) = applied.iter().find(|a| !a.success) {
        return Err(ImportError::Failed {
            version: a.version,
            description: a.description.clone(),
        });
    }
    let mut positions = Vec::new();
    for a in applied {
        let Some(pos) = imported.iter().position(|i| i.version == a.version) else {
            return Err(ImportError::Unknown {
                version: a.version,
                description: a.description.clone(),
            });
        };
        let i = &imported[pos];
        let checksum = schema_core::hex(&a.checksum);
        if checksum != i.checksum {
            return Err(ImportError::ChecksumMismatch {
                version: a.version,
                description: a.description.clone(),
                file: i.file.clone(),
                applied: checksum,
                imported: i.checksum.clone(),
            });
        }
        positions.push(pos);
    }
    let (last, missing) = last_applied(&positions).ok_or(ImportError::NothingApplied)?;
    let missing: Vec<String> = missing
        .into_iter()
        .map(|p| format!("{} ({})", imported[p].version, imported[p].id))
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::Gap {
            version: imported[last].version,
            missing,
        });
    }
    Ok(&imported[last])
}

/// The source tool's tracking table that `stamp --from` reads: the tool's
/// own name, or the one given with `--source-table` (`name` or
/// `schema.name`), for a tool configured to keep its table elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct SourceTable {
    /// The table as the messages name it (`schema.name` or `name`).
    pub(super) shown: String,
    /// The schema and name.
    pub(super) table: VersionTable,
}

impl SourceTable {
    /// The table named `given`, else the tool's `default`.
    pub(super) fn new(given: Option<&str>, default: &str) -> SourceTable {
        let shown = given.unwrap_or(default).trim().to_owned();
        let table = match shown.split_once('.') {
            Some((schema, name)) => VersionTable {
                schema: Some(schema.to_owned()),
                name: name.to_owned(),
            },
            None => VersionTable {
                schema: None,
                name: shown.clone(),
            },
        };
        SourceTable { shown, table }
    }

    /// The qualified, quoted name for SQL.
    pub(super) fn sql(&self) -> String {
        self.table.table()
    }

    /// Whether the table exists (`to_regclass`, which follows the
    /// connection's `search_path` for an unqualified name).
    pub(super) async fn exists(
        &self,
        ctx: &Context,
        conn: &mut sqlx::PgConnection,
    ) -> Result<bool, Failure> {
        sqlx::query_scalar("SELECT to_regclass($1) IS NOT NULL")
            .bind(self.sql())
            .fetch_one(conn)
            .await
            .map_err(|e| ctx.failure(format!("error: looking for `{}`: {e}", self.shown)))
    }

    /// A connection to the database, once the table is found there;
    /// `no_table` builds the source tool's error naming it.
    pub(super) async fn connect(
        &self,
        ctx: &Context,
        no_table: impl FnOnce(String) -> Failure,
    ) -> Result<sqlx::PgConnection, Failure> {
        let mut conn = ctx.connect().await?;
        if !self.exists(ctx, &mut conn).await? {
            return Err(no_table(self.shown.clone()));
        }
        Ok(conn)
    }

    /// The table's `columns`, a row by version.
    pub(super) async fn rows<T>(
        &self,
        ctx: &Context,
        conn: &mut sqlx::PgConnection,
        columns: &str,
    ) -> Result<Vec<T>, Failure>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow> + Send + Unpin,
    {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {columns} FROM {} ORDER BY version",
            self.sql()
        )))
        .fetch_all(conn)
        .await
        .map_err(|e| ctx.failure(format!("error: reading `{}`: {e}", self.shown)))
    }
}

/// The imported revision `stamp --from` records, and what it says of it.
pub(super) struct Stamped<'a> {
    /// The source tool.
    pub(super) tool: SourceTool,
    /// How many migrations its tracking table lists.
    pub(super) applied: usize,
    /// The revision id.
    pub(super) id: &'a str,
    /// The source tool's version of the last migration applied.
    pub(super) version: &'a dyn std::fmt::Display,
    /// The revision file.
    pub(super) file: &'a str,
}

/// Stamps the imported revision `target` names (purging the version table
/// first with `purge`) and says so.
pub(super) async fn stamp_imported(
    ctx: &Context,
    set: &schema_core::MigrationSet,
    conn: &mut sqlx::PgConnection,
    purge: bool,
    target: Stamped<'_>,
) -> Result<(), Failure> {
    let report = ctx
        .migrator(set)
        .stamp(conn, target.id, purge)
        .await
        .map_err(|e| ctx.migrate_failure(e))?;
    out_line(format_args!(
        "Stamped {}: {} {} migration(s) applied, the last {} ({})",
        rows_text(&report.to),
        target.applied,
        target.tool.flag(),
        target.version,
        target.file
    ))?;
    Ok(())
}

/// `stamp --from TOOL [--source-table NAME]`: records the imported revision
/// of what the source tool's tracking table says was applied, after
/// checking every row against the import.
pub(super) async fn stamp(
    ctx: &Context,
    tool: SourceTool,
    purge: bool,
    source_table: Option<&str>,
) -> Result<(), Failure> {
    match tool {
        SourceTool::Sqlx => {
            stamp_sqlx(ctx, purge, &SourceTable::new(source_table, SQLX_TABLE)).await
        }
        SourceTool::Alembic => super::import_alembic::stamp(ctx, purge, source_table).await,
        SourceTool::Refinery => super::import_refinery::stamp(ctx, purge, source_table).await,
        SourceTool::Diesel => super::import_diesel::stamp(ctx, purge, source_table).await,
    }
}

/// `stamp --from sqlx`: records the imported revision of the last migration
/// `_sqlx_migrations` (or `source`) lists, after checking every row against
/// the import.
async fn stamp_sqlx(ctx: &Context, purge: bool, source: &SourceTable) -> Result<(), Failure> {
    let set = ctx.load()?;
    let display = ctx.display_dir();
    let imported = imported_revisions(&ctx.dir, &display)?;
    if imported.is_empty() {
        return Err(ImportError::NotImported { dir: display }.failure());
    }
    let mut conn = source
        .connect(ctx, |table| ImportError::NoTable { table }.failure())
        .await?;
    let rows: Vec<(i64, String, bool, Vec<u8>)> = source
        .rows(ctx, &mut conn, "version, description, success, checksum")
        .await?;
    let applied: Vec<Applied> = rows
        .into_iter()
        .map(|(version, description, success, checksum)| Applied {
            version,
            description,
            success,
            checksum,
        })
        .collect();
    let target = stamp_target(&imported, &applied).map_err(|e| e.failure())?;
    let target = Stamped {
        tool: SourceTool::Sqlx,
        applied: applied.len(),
        id: &target.id,
        version: &target.version,
        file: &target.file,
    };
    stamp_imported(ctx, &set, &mut conn, purge, target).await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A directory of its own under the temporary directory, removed on drop.
    struct Dir(std::path::PathBuf);

    impl Dir {
        fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn dir_with(files: &[(&str, &str)]) -> Dir {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let d = std::env::temp_dir().join(format!("import-sqlx-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        for (name, text) in files {
            std::fs::write(d.join(name), text).unwrap();
        }
        Dir(d)
    }

    #[test]
    fn sqlx_names_split_into_version_and_description_in_version_order() {
        let d = dir_with(&[
            ("20_add_things.up.sql", "CREATE TABLE t (id int);\n"),
            ("20_add_things.down.sql", "DROP TABLE t;\n"),
            ("3_seed_data.sql", "SELECT 1;\n"),
            ("README.md", "notes"),
        ]);
        let (m, notes) = read_sqlx_dir(d.path()).unwrap();
        let got: Vec<(i64, &str, bool)> = m
            .iter()
            .map(|m| (m.version, m.description.as_str(), m.down.is_some()))
            .collect();
        assert_eq!(got, [(3, "seed data", false), (20, "add things", true)]);
        assert!(notes.iter().any(|n| n.contains("README.md")), "{notes:?}");
    }

    #[test]
    fn a_sql_file_sqlx_cannot_name_is_refused() {
        let d = dir_with(&[("schema.sql", "SELECT 1;\n")]);
        assert!(matches!(
            read_sqlx_dir(d.path()),
            Err(ImportError::UnrecognizedFile { .. })
        ));
        let d = dir_with(&[("v1_init.sql", "SELECT 1;\n")]);
        assert!(matches!(
            read_sqlx_dir(d.path()),
            Err(ImportError::UnrecognizedFile { .. })
        ));
    }

    #[test]
    fn missing_and_comment_only_downs_make_irreversible_revisions() {
        let d = dir_with(&[
            ("1_a.up.sql", "CREATE TABLE a (id int);\n"),
            ("1_a.down.sql", "-- not reversible\n"),
            ("2_b.up.sql", "CREATE TABLE b (id int);\n"),
            ("3_c.sql", "CREATE TABLE c (id int);\n"),
            ("4_d.up.sql", "CREATE TABLE d (id int);\n"),
            ("4_d.down.sql", "DROP TABLE d;\n"),
        ]);
        let (m, _) = read_sqlx_dir(d.path()).unwrap();
        let planned = plan(&m);
        let irreversible: Vec<bool> = planned
            .iter()
            .map(|p| {
                schema_core::parse_revision(&p.file_name, &p.text)
                    .unwrap()
                    .options
                    .irreversible
            })
            .collect();
        assert_eq!(irreversible, [true, true, true, false]);
        assert!(planned[0].notes[0].contains("1_a.down.sql"));
    }

    #[test]
    fn no_transaction_first_line_makes_a_non_transactional_revision_chained_in_order() {
        let d = dir_with(&[
            ("1_t.sql", "CREATE TABLE t (c int);\n"),
            (
                "2_idx.sql",
                "-- no-transaction\nCREATE INDEX CONCURRENTLY i ON t (c);\n",
            ),
        ]);
        let (m, _) = read_sqlx_dir(d.path()).unwrap();
        let planned = plan(&m);
        let r = schema_core::parse_revision("x.sql", &planned[1].text).unwrap();
        assert!(r.options.non_transactional);
        assert_eq!(r.id, "sqlx_2");
        assert_eq!(r.down_revisions[..], ["sqlx_1"]);
        assert_eq!(r.upgrade.sql, m[1].up.sql, "the upgrade is the sqlx file");
    }

    #[test]
    fn the_recorded_checksum_is_sqlx_sha384_of_the_file() {
        // As `sha384sum` prints it for a file holding `SELECT 1;` and a newline.
        assert_eq!(
            sqlx_checksum("SELECT 1;\n"),
            "24454095d8d7876ca8e842f34296ca645c83e0f7b50f048c99db4b2ff4da659267afc4ef3e994f3d74e18c741165d931"
        );
    }

    fn imported(versions: &[i64]) -> Vec<Imported> {
        versions
            .iter()
            .map(|&v| Imported {
                id: format!("sqlx_{v}"),
                version: v,
                checksum: sqlx_checksum(&v.to_string()),
                file: format!("sqlx_{v}.sql"),
            })
            .collect()
    }

    fn applied(v: i64, success: bool) -> Applied {
        Applied {
            version: v,
            description: "d".into(),
            success,
            checksum: Sha384::digest(v.to_string().as_bytes()).to_vec(),
        }
    }

    #[test]
    fn the_stamp_target_is_the_last_applied_and_gaps_are_refused() {
        let i = imported(&[1, 2, 3]);
        let t = stamp_target(&i, &[applied(1, true), applied(2, true)]).unwrap();
        assert_eq!(t.id, "sqlx_2");
        assert!(matches!(
            stamp_target(&i, &[applied(1, true), applied(3, true)]),
            Err(ImportError::Gap { version: 3, .. })
        ));
        assert!(matches!(
            stamp_target(&i, &[applied(1, true), applied(2, false)]),
            Err(ImportError::Failed { version: 2, .. })
        ));
        assert!(matches!(
            stamp_target(&i, &[applied(4, true)]),
            Err(ImportError::Unknown { version: 4, .. })
        ));
        let mut edited = applied(1, true);
        edited.checksum[0] ^= 1;
        assert!(matches!(
            stamp_target(&i, &[edited]),
            Err(ImportError::ChecksumMismatch { version: 1, .. })
        ));
    }
}
