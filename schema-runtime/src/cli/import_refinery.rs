//! `import --from refinery` and `stamp --from refinery`: the way in for a
//! project whose history, and whose live databases, refinery's runner kept.
//!
//! `import` reads a refinery migrations directory with refinery's own rules
//! (those of `refinery-core` 0.10's `find_migration_files` and
//! `Migration::unapplied`: which files count, the whole tree walked, how a
//! name splits into prefix, version and name, the order by version, the
//! SipHash-1-3 checksum over name, version and SQL) and writes one revision
//! per refinery migration, chained in refinery's order. refinery has no down
//! migrations and runs every migration in a transaction, so every revision is
//! `irreversible` and none is non-transactional. Each revision keeps the
//! refinery version in its id (`refinery_<version>`) and, in comment lines
//! between its header and its upgrade section, the file it came from and its
//! refinery checksum, so that `stamp --from refinery` can map
//! `refinery_schema_history` onto the chain and refuse a database whose
//! applied migrations are not the files that were imported.

use super::import::{
    last_applied, push_section, report_imported, revision_comments, revision_file_name,
    revision_head, stamp_imported, Planned, SourceTool, Stamped,
};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use siphasher::sip::SipHasher13;

use super::output::out_line;
use super::{Context, Failure};

/// refinery's tracking table, as its runner names it by default.
const REFINERY_TABLE: &str = "refinery_schema_history";
/// The comment line that names the refinery file a revision was imported from.
const FROM_LINE: &str = "-- Imported from refinery: ";
/// The comment line that holds the refinery version.
const VERSION_LINE: &str = "-- refinery version: ";
/// The comment line that holds refinery's checksum with its default `int4`
/// versions (absent when the version does not fit in one).
const CHECKSUM_LINE: &str = "-- refinery checksum: ";
/// The comment line that holds refinery's checksum with its `int8-versions`
/// feature, which hashes the version as an `i64`.
const CHECKSUM_INT8_LINE: &str = "-- refinery checksum (int8-versions): ";

/// Why a refinery directory cannot be imported, or a database not stamped
/// from its `refinery_schema_history`.
#[derive(Debug, thiserror::Error)]
pub enum RefineryImportError {
    /// The directory or one of its files could not be read.
    #[error("cannot read {path}: {reason}")]
    Read {
        /// The file or directory.
        path: String,
        /// The operating system's message.
        reason: String,
    },
    /// A file refinery takes for a migration but cannot load: a version that
    /// is not an integer (`V1.5__x.sql`), or a prefix `|` (refinery's
    /// pattern `[U|V]` matches it, and its runner then stops).
    #[error("`{file}` is named as a refinery migration but refinery cannot load it: {reason}")]
    InvalidName {
        /// The file, relative to the directory.
        file: String,
        /// What is wrong with the name.
        reason: &'static str,
    },
    /// A Rust migration (`V{version}__{name}.rs`), whose SQL only running
    /// its `migration()` function gives.
    #[error("`{file}` is a Rust migration: its SQL is what its `migration()` function returns, which an import cannot read")]
    RustMigration {
        /// The file, relative to the directory.
        file: String,
    },
    /// Two migrations with one version.
    #[error("version {version} is given by several files: {}", files.join(", "))]
    DuplicateVersion {
        /// The version.
        version: i64,
        /// The files.
        files: Vec<String>,
    },
    /// No migration to import.
    #[error("{dir} holds no refinery migration")]
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
        /// Whether it is the refinery directory itself.
        is_source: bool,
    },
    /// No `refinery_schema_history` table in the database.
    #[error("the database has no `{table}` table: refinery has not migrated it")]
    NoTable {
        /// The table looked for (`refinery_schema_history`, or the one named
        /// with `--source-table`).
        table: String,
    },
    /// `refinery_schema_history` holds no row.
    #[error("`refinery_schema_history` is empty: refinery has applied nothing here")]
    NothingApplied,
    /// The migrations directory holds no imported revision.
    #[error("{dir} holds no revision imported from refinery")]
    NotImported {
        /// The migrations directory.
        dir: String,
    },
    /// An applied migration that no imported revision stands for.
    #[error(
        "refinery migration {version} ({name}) is applied but no imported revision stands for it"
    )]
    Unknown {
        /// The version.
        version: i64,
        /// refinery's name.
        name: String,
    },
    /// An applied migration whose checksum is not that of the imported file.
    #[error("refinery migration {version} ({name}) was applied from another file than the one imported into {file}: checksum {applied} in `refinery_schema_history`, {imported} at import")]
    ChecksumMismatch {
        /// The version.
        version: i64,
        /// refinery's name.
        name: String,
        /// The imported revision file.
        file: String,
        /// The checksum in the table.
        applied: String,
        /// The checksum(s) recorded at import.
        imported: String,
    },
    /// An applied migration with an earlier one not applied.
    #[error("refinery migration {version} is applied but earlier migration(s) are not: {}", missing.join(", "))]
    Gap {
        /// The applied version.
        version: i64,
        /// The earlier versions not applied, with their revisions.
        missing: Vec<String>,
    },
}

impl RefineryImportError {
    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            Self::Read { .. } => "check the path and its permissions".to_owned(),
            Self::InvalidName { .. } => "rename the file to `V{version}__{name}.sql` with an integer version (refinery fails on it too)".to_owned(),
            Self::RustMigration { .. } => "write the SQL its `migration()` returns into a `.sql` file of the same name, remove the `.rs` file, and import again (a runner built with `load_sql_migrations` ignores `.rs` files: then move them out of the directory)".to_owned(),
            Self::DuplicateVersion { .. } => "refinery cannot apply both (the version is the key of `refinery_schema_history`); remove or renumber one".to_owned(),
            Self::NoMigrations { .. } => "name the directory that holds the `V{version}__{name}.sql` files".to_owned(),
            Self::Invalid(_) => "fix the refinery files named above, then import again".to_owned(),
            Self::TargetNotEmpty { is_source: true, .. } => "import into a directory of its own: `--dir <new directory> import --from refinery <refinery directory>`".to_owned(),
            Self::TargetNotEmpty { .. } => "import into an empty directory (`--dir`); an import never overwrites or mixes with other revisions".to_owned(),
            Self::NoTable { .. } => "check the URL and --source-table (refinery's `set_migration_table_name`); on a database refinery never migrated, run `upgrade head` instead".to_owned(),
            Self::NothingApplied => "nothing to record: run `upgrade head` to build the schema with the imported revisions".to_owned(),
            Self::NotImported { .. } => "run `import --from refinery <refinery directory>` first, and name its directory with `--dir`".to_owned(),
            Self::Unknown { .. } => "the database is ahead of the imported files: import again from the refinery directory this database was migrated from".to_owned(),
            Self::ChecksumMismatch { .. } => "the refinery file was edited (or renamed) after this database was migrated: import from the files this database was migrated with, or check the schema and fix the row".to_owned(),
            Self::Gap { .. } => "refinery would apply or refuse the missing migration(s) on its next run: settle it with refinery's runner first, then stamp".to_owned(),
        }
    }

    fn failure(&self) -> Failure {
        Failure::with_help(self.to_string(), self.help())
    }
}

/// A migration's prefix: `V` (versioned) or `U` (unversioned).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prefix {
    Versioned,
    Unversioned,
}

/// One refinery migration as `load_sql_migrations` reads it.
#[derive(Debug)]
struct Migration {
    /// The path relative to the directory, `/`-separated.
    file: String,
    prefix: Prefix,
    version: i64,
    /// refinery's name: what follows `__`, before `.sql`.
    name: String,
    sql: String,
}

/// A file name split by refinery's pattern
/// `^([U|V])(\d+(?:\.\d+)?)__(\w+)\.(rs|sql)$`.
#[derive(Debug, PartialEq, Eq)]
enum Name<'a> {
    /// Not a migration: refinery passes over it (with a logged warning).
    Other,
    /// A migration file: prefix, version text, name, extension.
    Migration(char, &'a str, &'a str, &'a str),
}

/// `\d`, as refinery's (Unicode) pattern reads it.
fn is_digit(c: char) -> bool {
    c.is_numeric()
}

/// `\w`, as refinery's (Unicode) pattern reads it.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn split_name(file_name: &str) -> Name<'_> {
    let mut chars = file_name.chars();
    let Some(prefix @ ('U' | 'V' | '|')) = chars.next() else {
        return Name::Other;
    };
    let rest = chars.as_str();
    let Some((version, tail)) = rest.split_once("__") else {
        return Name::Other;
    };
    let version_ok = match version.split_once('.') {
        None => !version.is_empty() && version.chars().all(is_digit),
        Some((whole, fraction)) => [whole, fraction]
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(is_digit)),
    };
    if !version_ok {
        return Name::Other;
    }
    let Some((name, ext)) = tail.rsplit_once('.') else {
        return Name::Other;
    };
    if name.is_empty() || !name.chars().all(is_word) || !matches!(ext, "sql" | "rs") {
        return Name::Other;
    }
    Name::Migration(prefix, version, name, ext)
}

/// Every path under `dir`, recursively, in file-name order within each
/// directory (refinery's `WalkDir::sort_by_file_name`, which does not
/// follow a symbolic link to a directory).
fn walk(
    dir: &Path,
    relative: &str,
    out: &mut Vec<(PathBuf, String)>,
    notes: &mut Vec<String>,
) -> Result<(), RefineryImportError> {
    let read_error = |path: &Path, e: std::io::Error| RefineryImportError::Read {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let mut entries = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(|e| read_error(dir, e))? {
        let entry = entry.map_err(|e| read_error(dir, e))?;
        entries.push(entry);
    }
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let shown = if relative.is_empty() {
            name.clone()
        } else {
            format!("{relative}/{name}")
        };
        let link = entry.file_type().map_err(|e| read_error(&path, e))?;
        if link.is_dir() {
            walk(&path, &shown, out, notes)?;
        } else if path.is_dir() {
            notes.push(format!(
                "skipped {shown}: a link to a directory (refinery does not follow it)"
            ));
        } else {
            out.push((path, shown));
        }
    }
    Ok(())
}

/// Reads a refinery migrations directory as refinery 0.10 resolves it; the
/// notes say what was skipped and why.
fn read_refinery_dir(dir: &Path) -> Result<(Vec<Migration>, Vec<String>), RefineryImportError> {
    let mut files = Vec::new();
    let mut notes = Vec::new();
    walk(dir, "", &mut files, &mut notes)?;
    let mut migrations = Vec::new();
    for (path, shown) in files {
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let Name::Migration(prefix, version, name, ext) = split_name(&file_name) else {
            notes.push(format!(
                "skipped {shown}: not named `[U|V]{{version}}__{{name}}.sql` (refinery ignores it)"
            ));
            continue;
        };
        if ext == "rs" {
            return Err(RefineryImportError::RustMigration { file: shown });
        }
        let prefix = match prefix {
            'V' => Prefix::Versioned,
            'U' => Prefix::Unversioned,
            _ => {
                return Err(RefineryImportError::InvalidName {
                    file: shown,
                    reason: "the prefix is `|`, which refinery's pattern `[U|V]` admits and its runner cannot read",
                })
            }
        };
        let version: i64 = version
            .parse()
            .map_err(|_| RefineryImportError::InvalidName {
                file: shown.clone(),
                reason: "the version is not an integer",
            })?;
        let sql = std::fs::read_to_string(&path).map_err(|e| RefineryImportError::Read {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        migrations.push(Migration {
            file: shown,
            prefix,
            version,
            name: name.to_owned(),
            sql,
        });
    }
    // refinery's `migrations.sort()`: by version, stable.
    migrations.sort_by_key(|m| m.version);
    let mut by_version: BTreeMap<i64, Vec<&Migration>> = BTreeMap::new();
    for m in &migrations {
        by_version.entry(m.version).or_default().push(m);
    }
    if let Some((&version, group)) = by_version.iter().find(|(_, g)| g.len() > 1) {
        return Err(RefineryImportError::DuplicateVersion {
            version,
            files: group.iter().map(|m| m.file.clone()).collect(),
        });
    }
    Ok((migrations, notes))
}

/// refinery's checksum of a migration (`Migration::unapplied`): SipHash-1-3
/// with zero keys over its name, its version and its SQL, hashed as `Hash`
/// hashes them. `V` is the version type: `i32` by default, `i64` with
/// refinery's `int8-versions` feature.
fn refinery_checksum<V: Hash>(name: &str, version: V, sql: &str) -> u64 {
    let mut hasher = SipHasher13::new();
    name.hash(&mut hasher);
    version.hash(&mut hasher);
    sql.hash(&mut hasher);
    hasher.finish()
}

/// The checksums refinery may have recorded for `m`: with `int4` versions
/// (when the version fits) and with `int8-versions`.
fn checksums(m: &Migration) -> (Option<u64>, u64) {
    let int4 = i32::try_from(m.version)
        .ok()
        .map(|v| refinery_checksum(&m.name, v, &m.sql));
    (int4, refinery_checksum(&m.name, m.version, &m.sql))
}

/// The revision files for `migrations`, chained in refinery's order.
fn plan(migrations: &[Migration]) -> Vec<Planned> {
    let mut planned = Vec::new();
    let mut previous: Option<String> = None;
    for m in migrations {
        let id = format!("refinery_{}", m.version);
        let mut notes = Vec::new();
        if m.prefix == Prefix::Unversioned {
            notes.push(format!(
                "unversioned: refinery applies {} whenever it is missing; here it is a revision in version order",
                m.file
            ));
        }
        let (int4, int8) = checksums(m);
        if int4.is_none() {
            notes.push(format!(
                "version {} does not fit refinery's default int4 versions: its checksum is recorded for `int8-versions` only",
                m.version
            ));
        }
        let mut text = revision_head(
            &m.name.replace('_', " "),
            &id,
            previous.as_deref(),
            &["irreversible"],
        );
        let _ = write!(
            text,
            "\n{FROM_LINE}{}\n{VERSION_LINE}{}\n",
            m.file, m.version
        );
        if let Some(c) = int4 {
            let _ = writeln!(text, "{CHECKSUM_LINE}{c}");
        }
        let _ = write!(text, "{CHECKSUM_INT8_LINE}{int8}\n\n-- migrate:upgrade\n");
        push_section(&mut text, &m.sql);
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

/// `import --from refinery SOURCE`: writes the revisions into the migrations
/// directory, or does nothing when it already holds exactly this import.
pub(super) fn import(ctx: &Context, source: &Path) -> Result<(), Failure> {
    let (migrations, skipped) = read_refinery_dir(source).map_err(|e| e.failure())?;
    if migrations.is_empty() {
        return Err(RefineryImportError::NoMigrations {
            dir: source.display().to_string(),
        }
        .failure());
    }
    let planned = plan(&migrations);
    let written = super::import::write_revisions(
        ctx,
        source,
        &planned,
        &skipped,
        |report| RefineryImportError::Invalid(report).failure(),
        |dir, count| {
            RefineryImportError::TargetNotEmpty {
                dir,
                count,
                is_source: super::import::same_dir(&ctx.dir, source),
            }
            .failure()
        },
    )?;
    if !written {
        return Ok(());
    }
    out_line(format_args!(
        "Every revision is irreversible: refinery migrations have no down migration"
    ))?;
    report_imported(SourceTool::Refinery, source, "", &planned)
}

/// A revision written by `import --from refinery`, as its comment lines say.
#[derive(Debug)]
struct Imported {
    id: String,
    version: i64,
    /// The checksums refinery may have recorded, as decimal text.
    checksums: Vec<String>,
    file: String,
}

/// The imported revisions of the migrations directory, by refinery version.
fn imported_revisions(dir: &Path, display: &str) -> Result<Vec<Imported>, Failure> {
    let mut found: Vec<Imported> = revision_comments(dir, display)?
        .into_iter()
        .filter_map(|c| {
            let version = c.value(VERSION_LINE)?.parse::<i64>().ok()?;
            let checksums: Vec<String> = c
                .values(CHECKSUM_LINE)
                .chain(c.values(CHECKSUM_INT8_LINE))
                .map(str::to_owned)
                .collect();
            if checksums.is_empty() {
                return None;
            }
            Some(Imported {
                id: c.id,
                version,
                checksums,
                file: c.file,
            })
        })
        .collect();
    found.sort_by_key(|i| i.version);
    Ok(found)
}

/// A row of `refinery_schema_history`.
#[derive(Debug)]
struct Applied {
    version: i64,
    name: String,
    checksum: String,
}

/// The imported revision the rows of `refinery_schema_history` stand at, or
/// why none can be named.
fn stamp_target<'a>(
    imported: &'a [Imported],
    applied: &[Applied],
) -> Result<&'a Imported, RefineryImportError> {
    let mut positions = Vec::new();
    for a in applied {
        let Some(pos) = imported.iter().position(|i| i.version == a.version) else {
            return Err(RefineryImportError::Unknown {
                version: a.version,
                name: a.name.clone(),
            });
        };
        let i = &imported[pos];
        if !i.checksums.iter().any(|c| *c == a.checksum.trim()) {
            return Err(RefineryImportError::ChecksumMismatch {
                version: a.version,
                name: a.name.clone(),
                file: i.file.clone(),
                applied: a.checksum.clone(),
                imported: i.checksums.join(" or "),
            });
        }
        positions.push(pos);
    }
    let (last, missing) = last_applied(&positions).ok_or(RefineryImportError::NothingApplied)?;
    let missing: Vec<String> = missing
        .into_iter()
        .map(|p| format!("{} ({})", imported[p].version, imported[p].id))
        .collect();
    if !missing.is_empty() {
        return Err(RefineryImportError::Gap {
            version: imported[last].version,
            missing,
        });
    }
    Ok(&imported[last])
}

/// `stamp --from refinery`: records the imported revision of the last
/// migration `refinery_schema_history` lists, after checking every row
/// against the import.
pub(super) async fn stamp(
    ctx: &Context,
    purge: bool,
    source_table: Option<&str>,
) -> Result<(), Failure> {
    let source = super::import::SourceTable::new(source_table, REFINERY_TABLE);
    let set = ctx.load()?;
    let display = ctx.display_dir();
    let imported = imported_revisions(&ctx.dir, &display)?;
    if imported.is_empty() {
        return Err(RefineryImportError::NotImported { dir: display }.failure());
    }
    let mut conn = source
        .connect(ctx, |table| {
            RefineryImportError::NoTable { table }.failure()
        })
        .await?;
    let rows: Vec<(i64, Option<String>, Option<String>)> = source
        .rows(ctx, &mut conn, "version::int8, name, checksum")
        .await?;
    let applied: Vec<Applied> = rows
        .into_iter()
        .map(|(version, name, checksum)| Applied {
            version,
            name: name.unwrap_or_default(),
            checksum: checksum.unwrap_or_default(),
        })
        .collect();
    let target = stamp_target(&imported, &applied).map_err(|e| e.failure())?;
    let target = Stamped {
        tool: SourceTool::Refinery,
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
    struct Dir(PathBuf);

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn dir_with(files: &[(&str, &str)]) -> Dir {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let d = std::env::temp_dir().join(format!("import-refinery-{}-{n}", std::process::id()));
        for (name, text) in files {
            let path = d.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        Dir(d)
    }

    #[test]
    fn names_split_as_refinery_pattern_splits_them() {
        assert_eq!(
            split_name("V12__add_users.sql"),
            Name::Migration('V', "12", "add_users", "sql")
        );
        assert_eq!(
            split_name("U3__a__b.rs"),
            Name::Migration('U', "3", "a__b", "rs")
        );
        assert_eq!(
            split_name("V1.5__x.sql"),
            Name::Migration('V', "1.5", "x", "sql")
        );
        for other in [
            "V1_x.sql",
            "V1__.sql",
            "V__x.sql",
            "v1__x.sql",
            "V1__x-y.sql",
            "V1__x.SQL",
            "V1__x.sql.bak",
            "V1_2__x.sql",
            "README.md",
        ] {
            assert_eq!(split_name(other), Name::Other, "{other}");
        }
    }

    #[test]
    fn the_tree_is_read_in_version_order_with_subdirectories_and_others_skipped() {
        let d = dir_with(&[
            ("V10__ten.sql", "SELECT 10;\n"),
            ("sub/V2__two.sql", "SELECT 2;\n"),
            ("U3__three.sql", "SELECT 3;\n"),
            ("README.md", "notes"),
        ]);
        let (m, notes) = read_refinery_dir(&d.0).unwrap();
        let got: Vec<(i64, &str, &str)> = m
            .iter()
            .map(|m| (m.version, m.name.as_str(), m.file.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (2, "two", "sub/V2__two.sql"),
                (3, "three", "U3__three.sql"),
                (10, "ten", "V10__ten.sql")
            ]
        );
        assert!(notes.iter().any(|n| n.contains("README.md")), "{notes:?}");
    }

    #[test]
    fn rust_migrations_duplicate_and_fractional_versions_are_refused() {
        let d = dir_with(&[("V1__a.sql", ""), ("V2__b.rs", "")]);
        assert!(matches!(
            read_refinery_dir(&d.0),
            Err(RefineryImportError::RustMigration { .. })
        ));
        let d = dir_with(&[("V1__a.sql", ""), ("V01__b.sql", "")]);
        assert!(matches!(
            read_refinery_dir(&d.0),
            Err(RefineryImportError::DuplicateVersion { version: 1, .. })
        ));
        let d = dir_with(&[("V1.5__a.sql", "")]);
        assert!(matches!(
            read_refinery_dir(&d.0),
            Err(RefineryImportError::InvalidName { .. })
        ));
    }

    #[test]
    fn every_revision_is_irreversible_and_chained_in_version_order() {
        let d = dir_with(&[
            ("V1__t.sql", "CREATE TABLE t (c int);\n"),
            ("V2__u.sql", "CREATE TABLE u (c int);"),
        ]);
        let (m, _) = read_refinery_dir(&d.0).unwrap();
        let planned = plan(&m);
        let r = schema_core::parse_revision("x.sql", &planned[1].text).unwrap();
        assert!(r.options.irreversible);
        assert!(!r.options.non_transactional);
        assert_eq!(r.id, "refinery_2");
        assert_eq!(r.down_revisions[..], ["refinery_1"]);
        assert_eq!(r.upgrade.sql.trim_end(), m[1].sql);
    }

    #[test]
    fn the_checksum_hashes_the_version_as_refinery_version_type() {
        let narrow = refinery_checksum("x", 1_i32, "SELECT 1;");
        let wide = refinery_checksum("x", 1_i64, "SELECT 1;");
        assert_ne!(narrow, wide);
        assert_ne!(narrow, refinery_checksum("y", 1_i32, "SELECT 1;"));
        let m = Migration {
            file: "V1__x.sql".into(),
            prefix: Prefix::Versioned,
            version: 1,
            name: "x".into(),
            sql: "SELECT 1;".into(),
        };
        assert_eq!(checksums(&m), (Some(narrow), wide));
    }

    fn imported(versions: &[i64]) -> Vec<Imported> {
        versions
            .iter()
            .map(|&v| Imported {
                id: format!("refinery_{v}"),
                version: v,
                checksums: vec![v.to_string()],
                file: format!("refinery_{v}.sql"),
            })
            .collect()
    }

    fn applied(v: i64) -> Applied {
        Applied {
            version: v,
            name: "n".into(),
            checksum: v.to_string(),
        }
    }

    #[test]
    fn the_stamp_target_is_the_last_applied_and_gaps_unknowns_and_edits_are_refused() {
        let i = imported(&[1, 2, 3]);
        let t = stamp_target(&i, &[applied(1), applied(2)]).unwrap();
        assert_eq!(t.id, "refinery_2");
        assert!(matches!(
            stamp_target(&i, &[applied(1), applied(3)]),
            Err(RefineryImportError::Gap { version: 3, .. })
        ));
        assert!(matches!(
            stamp_target(&i, &[applied(4)]),
            Err(RefineryImportError::Unknown { version: 4, .. })
        ));
        let mut edited = applied(1);
        edited.checksum = "7".into();
        assert!(matches!(
            stamp_target(&i, &[edited]),
            Err(RefineryImportError::ChecksumMismatch { version: 1, .. })
        ));
        assert!(matches!(
            stamp_target(&i, &[]),
            Err(RefineryImportError::NothingApplied)
        ));
    }
}
