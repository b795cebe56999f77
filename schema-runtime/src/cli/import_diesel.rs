//! `import --from diesel` and `stamp --from diesel`: the way in for a project
//! whose history, and whose live databases, diesel's migration harness kept.
//!
//! `import` reads a diesel migrations directory with diesel's own rules
//! (those of `diesel_migrations` 2.4 and `migrations_internals`: which
//! entries count as migrations, the version as the name up to its first `_`
//! with every `-` dropped, the order by version text, `up.sql`, `down.sql`
//! and `metadata.toml`) and writes one revision per diesel migration,
//! chained in diesel's order. diesel's own setup migration
//! (`00000000000000_diesel_initial_setup`) is a migration like any other.
//! Each revision keeps the diesel version in its id (`diesel_<version>`) and,
//! in comment lines between its header and its upgrade section, the
//! directory it came from and the version as `__diesel_schema_migrations`
//! records it, so that `stamp --from diesel` can map that table onto the
//! chain. diesel keeps no checksum, so the stamp checks versions and their
//! order only.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use super::import::{
    last_applied, push_section, report_imported, revision_comments, revision_file_name,
    revision_head, same_dir, stamp_imported, write_revisions, Planned, SourceTool, Stamped,
};
use super::{Context, Failure};

/// diesel's tracking table.
const DIESEL_TABLE: &str = "__diesel_schema_migrations";
/// The comment line that names the diesel directory a revision was imported
/// from.
const FROM_LINE: &str = "-- Imported from diesel: ";
/// The comment line that holds the version as diesel records it.
const VERSION_LINE: &str = "-- diesel version: ";

/// Why a diesel directory cannot be imported, or a database not stamped from
/// its `__diesel_schema_migrations`.
///
/// # Examples
///
/// ```
/// use schema_runtime::cli::DieselImportError;
///
/// let e = DieselImportError::NoMigrations { dir: "db".into() };
/// assert!(e.help().contains("up.sql"));
/// ```
#[derive(Debug, thiserror::Error)]
pub enum DieselImportError {
    /// The directory or one of its files could not be read.
    #[error("cannot read {path}: {reason}")]
    Read {
        /// The file or directory.
        path: String,
        /// The operating system's message.
        reason: String,
    },
    /// An entry diesel takes for a migration that holds no `up.sql`
    /// (diesel refuses the whole directory too).
    #[error("`{entry}` holds no `up.sql`, so diesel refuses this directory")]
    NoUpFile {
        /// The entry's name.
        entry: String,
    },
    /// An empty `up.sql`, which diesel refuses to run.
    #[error("`{entry}/up.sql` is empty: diesel refuses to run it, so no database applied it")]
    EmptyUp {
        /// The migration's directory name.
        entry: String,
    },
    /// Two migrations with one version.
    #[error("version {version} is given by several migrations: {}", entries.join(", "))]
    DuplicateVersion {
        /// The version as diesel records it.
        version: String,
        /// The migration directories.
        entries: Vec<String>,
    },
    /// No migration to import.
    #[error("{dir} holds no diesel migration")]
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
    },
    /// The migrations directory is the diesel directory itself, which holds
    /// no revision file (its SQL lies in subdirectories) for the
    /// empty-directory rule to see.
    #[error("the migrations directory is the diesel directory {dir}")]
    TargetIsSource {
        /// The directory.
        dir: String,
    },
    /// No `__diesel_schema_migrations` table in the database.
    #[error("the database has no `{table}` table: diesel has not migrated it")]
    NoTable {
        /// The table looked for (`__diesel_schema_migrations`, or the one
        /// named with `--source-table`).
        table: String,
    },
    /// `__diesel_schema_migrations` holds no row.
    #[error("`__diesel_schema_migrations` is empty: diesel has applied nothing here")]
    NothingApplied,
    /// The migrations directory holds no imported revision.
    #[error("{dir} holds no revision imported from diesel")]
    NotImported {
        /// The migrations directory.
        dir: String,
    },
    /// An applied version that no imported revision stands for.
    #[error("diesel migration {version} is applied but no imported revision stands for it")]
    Unknown {
        /// The version as `__diesel_schema_migrations` holds it.
        version: String,
    },
    /// An applied migration with an earlier one not applied.
    #[error("diesel migration {version} is applied but earlier migration(s) are not: {}", missing.join(", "))]
    Gap {
        /// The applied version.
        version: String,
        /// The earlier versions not applied, with their revisions.
        missing: Vec<String>,
    },
}

impl DieselImportError {
    /// What to do about it.
    ///
    /// # Examples
    ///
    /// ```
    /// let e = schema_runtime::cli::DieselImportError::NoMigrations { dir: "db".into() };
    /// assert_eq!(e.help(), "name the directory that holds the `<version>_<name>/up.sql` migrations");
    /// ```
    pub fn help(&self) -> String {
        match self {
            Self::Read { .. } => "check the path and its permissions".to_owned(),
            Self::NoUpFile { .. } => "move it out of the migrations directory, or give it an `up.sql` (diesel fails on it too)".to_owned(),
            Self::EmptyUp { .. } => "write the migration's SQL into `up.sql`, or remove the migration".to_owned(),
            Self::DuplicateVersion { .. } => "diesel applies only one of them (the version is the key of `__diesel_schema_migrations`, `-` not counted): renumber or remove one".to_owned(),
            Self::NoMigrations { .. } => "name the directory that holds the `<version>_<name>/up.sql` migrations".to_owned(),
            Self::Invalid(_) => "fix the diesel migrations named above (a version of letters and digits, at most 25 characters, makes a valid id), then import again".to_owned(),
            Self::TargetNotEmpty { .. } => "import into an empty directory (`--dir`); an import never overwrites or mixes with other revisions".to_owned(),
            Self::TargetIsSource { .. } => "import into a directory of its own: `--dir <new directory> import --from diesel <diesel directory>`".to_owned(),
            Self::NoTable { .. } => "check the URL and --source-table; on a database diesel never migrated, run `upgrade head` instead".to_owned(),
            Self::NothingApplied => "nothing to record: run `upgrade head` to build the schema with the imported revisions".to_owned(),
            Self::NotImported { .. } => "run `import --from diesel <diesel directory>` first, and name its directory with `--dir`".to_owned(),
            Self::Unknown { .. } => "the database is ahead of the imported migrations: import again from the diesel directory this database was migrated from".to_owned(),
            Self::Gap { .. } => "diesel would apply the missing migration(s) on its next run: run diesel's migrations once (`diesel migration run`), then stamp".to_owned(),
        }
    }

    fn failure(&self) -> Failure {
        Failure::with_help(self.to_string(), self.help())
    }
}

/// `down.sql` as diesel finds it.
#[derive(Debug)]
enum Down {
    /// No `down.sql`: diesel refuses to revert.
    Missing,
    /// An empty `down.sql`: diesel refuses to run it.
    Empty,
    /// A `down.sql` with text.
    Sql(String),
}

/// One diesel migration directory.
#[derive(Debug)]
struct Migration {
    /// The directory's name.
    entry: String,
    /// The version as diesel records it: the name up to its first `_`,
    /// without `-`.
    version: String,
    /// The name after the first `_` (empty when there is none).
    name: String,
    up: String,
    down: Down,
    /// Whether diesel runs it in a transaction.
    run_in_transaction: bool,
    /// Why, when `metadata.toml` decided it.
    metadata_note: Option<String>,
}

/// `metadata.toml` as `migrations_internals::TomlMetadata` deserializes it.
#[derive(Debug, serde::Deserialize)]
struct TomlMetadata {
    #[serde(default)]
    run_in_transaction: Option<bool>,
}

/// diesel's reading of `metadata.toml`: no file, or one that does not
/// parse, means a transaction; a file that parses and does not set
/// `run_in_transaction` means none (the field's serde default is `false`).
fn read_metadata(dir: &Path, entry: &str) -> (bool, Option<String>) {
    let Ok(text) = std::fs::read_to_string(dir.join("metadata.toml")) else {
        return (true, None);
    };
    match toml::from_str::<TomlMetadata>(&text) {
        Ok(TomlMetadata {
            run_in_transaction: Some(true),
        }) => (true, None),
        Ok(TomlMetadata {
            run_in_transaction: Some(false),
        }) => (
            false,
            Some(format!(
                "non-transactional: {entry}/metadata.toml sets `run_in_transaction = false`"
            )),
        ),
        Ok(TomlMetadata {
            run_in_transaction: None,
        }) => (
            false,
            Some(format!(
                "non-transactional: {entry}/metadata.toml does not set `run_in_transaction`, which diesel then reads as false"
            )),
        ),
        Err(e) => (
            true,
            Some(format!(
                "{entry}/metadata.toml does not parse, so diesel ignores it and runs the migration in a transaction: {}",
                e.message()
            )),
        ),
    }
}

/// diesel's `version_from_string`: the name up to its first `_`, every `-`
/// dropped.
fn diesel_version(entry: &str) -> String {
    entry.split('_').next().unwrap_or_default().replace('-', "")
}

/// Reads a diesel migrations directory as `FileBasedMigrations` does; the
/// notes say what was skipped and why.
fn read_diesel_dir(dir: &Path) -> Result<(Vec<Migration>, Vec<String>), DieselImportError> {
    let read_error = |path: &Path, e: std::io::Error| DieselImportError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| read_error(dir, e))? {
        entries.push(entry.map_err(|e| read_error(dir, e))?);
    }
    entries.sort_by_key(|e| e.file_name());
    let mut notes = Vec::new();
    let mut migrations = Vec::new();
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            notes.push(format!("skipped {name}: hidden (diesel ignores it)"));
            continue;
        }
        // diesel looks at the entry itself, not where a link leads.
        let kind = entry.metadata().map_err(|e| read_error(&path, e))?;
        if kind.is_file() {
            notes.push(format!("skipped {name}: a file (diesel ignores it)"));
            continue;
        }
        if kind.is_dir()
            && std::fs::read_dir(&path)
                .map_err(|e| read_error(&path, e))?
                .next()
                .is_none()
        {
            notes.push(format!(
                "skipped {name}: an empty directory (diesel ignores it)"
            ));
            continue;
        }
        let has_up = std::fs::read_dir(&path).is_ok_and(|files| {
            files
                .filter_map(Result::ok)
                .any(|f| f.file_name() == "up.sql")
        });
        if !has_up {
            return Err(DieselImportError::NoUpFile { entry: name });
        }
        let up_path = path.join("up.sql");
        let up = std::fs::read_to_string(&up_path).map_err(|e| read_error(&up_path, e))?;
        if up.is_empty() {
            return Err(DieselImportError::EmptyUp { entry: name });
        }
        let down_path = path.join("down.sql");
        let down = match std::fs::read_to_string(&down_path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Down::Missing,
            Err(e) => return Err(read_error(&down_path, e)),
            Ok(sql) if sql.is_empty() => Down::Empty,
            Ok(sql) => Down::Sql(sql),
        };
        let (run_in_transaction, metadata_note) = read_metadata(&path, &name);
        migrations.push(Migration {
            version: diesel_version(&name),
            name: name.split_once('_').map_or("", |(_, n)| n).to_owned(),
            entry: name,
            up,
            down,
            run_in_transaction,
            metadata_note,
        });
    }
    // `pending_migrations`: by version, as text.
    migrations.sort_by(|a, b| a.version.cmp(&b.version));
    let mut by_version: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for m in &migrations {
        by_version.entry(&m.version).or_default().push(&m.entry);
    }
    if let Some((version, entries)) = by_version.iter().find(|(_, e)| e.len() > 1) {
        return Err(DieselImportError::DuplicateVersion {
            version: (*version).to_owned(),
            entries: entries.iter().map(|e| (*e).to_owned()).collect(),
        });
    }
    Ok((migrations, notes))
}

/// Why a revision has no downgrade, or `None` when its `down.sql` holds SQL.
fn irreversible_reason(m: &Migration) -> Option<String> {
    match &m.down {
        Down::Missing => Some(format!("irreversible: {} has no down.sql", m.entry)),
        Down::Empty => Some(format!(
            "irreversible: {}/down.sql is empty (diesel refuses to run it)",
            m.entry
        )),
        Down::Sql(sql) if schema_core::sql::split_statements(sql).is_empty() => Some(format!(
            "irreversible: {}/down.sql holds no statement (comments only)",
            m.entry
        )),
        Down::Sql(_) => None,
    }
}

/// The revision id of a diesel version: `diesel_<version>`, any character
/// the id rules do not allow read as `_`.
fn revision_id(version: &str) -> String {
    let version: String = version
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("diesel_{version}")
}

/// The revision files for `migrations`, chained in diesel's order.
fn plan(migrations: &[Migration]) -> Vec<Planned> {
    let mut planned = Vec::new();
    let mut previous: Option<String> = None;
    for m in migrations {
        let id = revision_id(&m.version);
        let mut notes = Vec::new();
        let irreversible = irreversible_reason(m);
        notes.extend(irreversible.clone());
        notes.extend(m.metadata_note.clone());
        let mut options = Vec::new();
        if !m.run_in_transaction {
            options.push("non-transactional");
        }
        if irreversible.is_some() {
            options.push("irreversible");
        }
        let message = m.name.replace('_', " ");
        let mut text = revision_head(&message, &id, previous.as_deref(), &options);
        let _ = write!(
            text,
            "\n{FROM_LINE}{}\n{VERSION_LINE}{}\n\n-- migrate:upgrade\n",
            m.entry, m.version
        );
        push_section(&mut text, &m.up);
        if let (None, Down::Sql(sql)) = (&irreversible, &m.down) {
            text.push_str("-- migrate:downgrade\n");
            push_section(&mut text, sql);
        }
        planned.push(Planned {
            file_name: revision_file_name(&id, &m.name),
            id: id.clone(),
            text,
            notes,
        });
        previous = Some(id);
    }
    planned
}

/// `import --from diesel SOURCE`: writes the revisions into the migrations
/// directory, or does nothing when it already holds exactly this import.
pub(super) fn import(ctx: &Context, source: &Path) -> Result<(), Failure> {
    let (migrations, skipped) = read_diesel_dir(source).map_err(|e| e.failure())?;
    if migrations.is_empty() {
        return Err(DieselImportError::NoMigrations {
            dir: source.display().to_string(),
        }
        .failure());
    }
    if same_dir(&ctx.dir, source) {
        return Err(DieselImportError::TargetIsSource {
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
        |report| DieselImportError::Invalid(report).failure(),
        |dir, count| DieselImportError::TargetNotEmpty { dir, count }.failure(),
    )?;
    if !written {
        return Ok(());
    }
    report_imported(SourceTool::Diesel, source, "", &planned)
}

/// A revision written by `import --from diesel`, as its comment lines say.
#[derive(Debug)]
struct Imported {
    id: String,
    version: String,
    file: String,
}

/// The imported revisions of the migrations directory, in diesel's order.
fn imported_revisions(dir: &Path, display: &str) -> Result<Vec<Imported>, Failure> {
    let mut found: Vec<Imported> = revision_comments(dir, display)?
        .into_iter()
        .filter_map(|c| {
            c.value(FROM_LINE)?;
            let version = c.value(VERSION_LINE)?.to_owned();
            Some(Imported {
                id: c.id,
                version,
                file: c.file,
            })
        })
        .collect();
    found.sort_by(|a, b| a.version.cmp(&b.version));
    Ok(found)
}

/// The imported revision the versions of `__diesel_schema_migrations` stand
/// at, or why none can be named.
fn stamp_target<'a>(
    imported: &'a [Imported],
    applied: &[String],
) -> Result<&'a Imported, DieselImportError> {
    let mut positions = Vec::new();
    for a in applied {
        let Some(pos) = imported.iter().position(|i| i.version == *a) else {
            return Err(DieselImportError::Unknown { version: a.clone() });
        };
        positions.push(pos);
    }
    let (last, missing) = last_applied(&positions).ok_or(DieselImportError::NothingApplied)?;
    if !missing.is_empty() {
        return Err(DieselImportError::Gap {
            version: imported[last].version.clone(),
            missing: missing
                .into_iter()
                .map(|p| format!("{} ({})", imported[p].version, imported[p].id))
                .collect(),
        });
    }
    Ok(&imported[last])
}

/// `stamp --from diesel`: records the imported revision of the last
/// migration `__diesel_schema_migrations` lists, after checking every
/// version against the import.
pub(super) async fn stamp(
    ctx: &Context,
    purge: bool,
    source_table: Option<&str>,
) -> Result<(), Failure> {
    let source = super::import::SourceTable::new(source_table, DIESEL_TABLE);
    let set = ctx.load()?;
    let display = ctx.display_dir();
    let imported = imported_revisions(&ctx.dir, &display)?;
    if imported.is_empty() {
        return Err(DieselImportError::NotImported { dir: display }.failure());
    }
    let mut conn = source
        .connect(ctx, |table| DieselImportError::NoTable { table }.failure())
        .await?;
    let rows: Vec<(String,)> = source.rows(ctx, &mut conn, "version::text").await?;
    let applied: Vec<String> = rows.into_iter().map(|(version,)| version).collect();
    let target = stamp_target(&imported, &applied).map_err(|e| e.failure())?;
    let target = Stamped {
        tool: SourceTool::Diesel,
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

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// A directory holding `files` (paths relative to it) and the empty
    /// directories `empty`.
    fn dir_with(files: &[(&str, &str)], empty: &[&str]) -> Dir {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let d = std::env::temp_dir().join(format!("import-diesel-{}-{n}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        for (name, text) in files {
            let path = d.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        for name in empty {
            std::fs::create_dir_all(d.join(name)).unwrap();
        }
        Dir(d)
    }

    #[test]
    fn versions_drop_dashes_and_order_as_text_with_files_hidden_and_empty_entries_skipped() {
        let d = dir_with(
            &[
                ("2023-01-02-030405_create_users/up.sql", "SELECT 2;\n"),
                ("00000000000000_diesel_initial_setup/up.sql", "SELECT 0;\n"),
                ("20230101000000_first/up.sql", "SELECT 1;\n"),
                ("README.md", "notes"),
                (".hidden/up.sql", "SELECT 9;\n"),
            ],
            &["drafts"],
        );
        let (m, notes) = read_diesel_dir(&d.0).unwrap();
        let got: Vec<(&str, &str)> = m
            .iter()
            .map(|m| (m.version.as_str(), m.name.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("00000000000000", "diesel_initial_setup"),
                ("20230101000000", "first"),
                ("20230102030405", "create_users")
            ]
        );
        for skipped in ["README.md", ".hidden", "drafts"] {
            assert!(
                notes.iter().any(|n| n.contains(skipped)),
                "{skipped}: {notes:?}"
            );
        }
    }

    #[test]
    fn a_directory_without_up_sql_an_empty_up_and_a_duplicate_version_are_refused() {
        let d = dir_with(&[("20230101_a/down.sql", "SELECT 1;\n")], &[]);
        assert!(matches!(
            read_diesel_dir(&d.0),
            Err(DieselImportError::NoUpFile { .. })
        ));
        let d = dir_with(&[("20230101_a/up.sql", "")], &[]);
        assert!(matches!(
            read_diesel_dir(&d.0),
            Err(DieselImportError::EmptyUp { .. })
        ));
        let d = dir_with(
            &[
                ("2023-01-01_a/up.sql", "SELECT 1;\n"),
                ("20230101_b/up.sql", "SELECT 1;\n"),
            ],
            &[],
        );
        assert!(matches!(
            read_diesel_dir(&d.0),
            Err(DieselImportError::DuplicateVersion { ref version, .. }) if version == "20230101"
        ));
    }

    #[test]
    fn metadata_toml_is_read_as_diesel_reads_it() {
        let d = dir_with(
            &[
                ("1_a/up.sql", "SELECT 1;\n"),
                ("1_a/metadata.toml", "run_in_transaction = false\n"),
                ("2_b/up.sql", "SELECT 1;\n"),
                ("2_b/metadata.toml", "run_in_transaction = true\n"),
                ("3_c/up.sql", "SELECT 1;\n"),
                ("3_c/metadata.toml", "# nothing set\n"),
                ("4_d/up.sql", "SELECT 1;\n"),
                ("4_d/metadata.toml", "run_in_transaction = \n"),
                ("5_e/up.sql", "SELECT 1;\n"),
            ],
            &[],
        );
        let (m, _) = read_diesel_dir(&d.0).unwrap();
        let got: Vec<bool> = m.iter().map(|m| m.run_in_transaction).collect();
        assert_eq!(got, [false, true, false, true, true]);
        let planned = plan(&m);
        let r = schema_core::parse_revision("x.sql", &planned[0].text).unwrap();
        assert!(r.options.non_transactional);
        assert!(planned[3].notes[1].contains("does not parse"));
    }

    #[test]
    fn missing_empty_and_comment_only_downs_make_irreversible_revisions() {
        let d = dir_with(
            &[
                ("1_a/up.sql", "CREATE TABLE a (id int);\n"),
                ("2_b/up.sql", "CREATE TABLE b (id int);\n"),
                ("2_b/down.sql", ""),
                ("3_c/up.sql", "CREATE TABLE c (id int);\n"),
                (
                    "3_c/down.sql",
                    "-- This file should undo anything in `up.sql`\n",
                ),
                ("4_d/up.sql", "CREATE TABLE d (id int);\n"),
                ("4_d/down.sql", "DROP TABLE d;"),
            ],
            &[],
        );
        let (m, _) = read_diesel_dir(&d.0).unwrap();
        let planned = plan(&m);
        let parsed: Vec<_> = planned
            .iter()
            .map(|p| schema_core::parse_revision(&p.file_name, &p.text).unwrap())
            .collect();
        let irreversible: Vec<bool> = parsed.iter().map(|r| r.options.irreversible).collect();
        assert_eq!(irreversible, [true, true, true, false]);
        assert!(planned[1].notes[0].contains("2_b/down.sql is empty"));
        assert_eq!(parsed[3].id, "diesel_4");
        assert_eq!(parsed[3].down_revisions[..], ["diesel_3"]);
        assert_eq!(parsed[3].upgrade.sql, m[3].up);
    }

    #[test]
    fn the_id_keeps_the_version_in_the_id_rules() {
        assert_eq!(
            revision_id(&diesel_version("2023-01-02-030405_x")),
            "diesel_20230102030405"
        );
        assert_eq!(revision_id("1.5"), "diesel_1_5");
    }

    fn imported(versions: &[&str]) -> Vec<Imported> {
        versions
            .iter()
            .map(|v| Imported {
                id: revision_id(v),
                version: (*v).to_owned(),
                file: format!("{}.sql", revision_id(v)),
            })
            .collect()
    }

    fn applied(versions: &[&str]) -> Vec<String> {
        versions.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn the_stamp_target_is_the_last_applied_and_gaps_and_unknowns_are_refused() {
        let i = imported(&["00000000000000", "20230101", "20230102"]);
        let t = stamp_target(&i, &applied(&["00000000000000", "20230101"])).unwrap();
        assert_eq!(t.id, "diesel_20230101");
        assert!(matches!(
            stamp_target(&i, &applied(&["00000000000000", "20230102"])),
            Err(DieselImportError::Gap { ref version, .. }) if version == "20230102"
        ));
        assert!(matches!(
            stamp_target(&i, &applied(&["20230103"])),
            Err(DieselImportError::Unknown { .. })
        ));
        assert!(matches!(
            stamp_target(&i, &[]),
            Err(DieselImportError::NothingApplied)
        ));
    }
}
