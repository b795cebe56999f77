//! `import --from alembic` and `stamp --from alembic`: the way in for a
//! project whose history, and whose live databases, Alembic kept.
//!
//! Alembic's revisions are Python, so nothing here reads them: a small
//! Python program run with the Python that has Alembic loads the project's
//! script directory through Alembic itself (ids, `down_revision`,
//! `branch_labels`, `depends_on`, message, create date) and renders each
//! revision's upgrade and downgrade alone through Alembic's offline mode
//! (what `alembic upgrade <down>:<rev> --sql` prints, one revision at a
//! time, the project's own `env.py` included). What the rendered SQL holds
//! that this project does itself (the transaction, Alembic's version-table
//! statements) is removed, and each revision keeps its Alembic id.
//!
//! The version table is `alembic_version` in both tools, so a database
//! Alembic migrated already names its revision; `stamp --from alembic`
//! checks that the row is an imported revision and records the log rows
//! (checksums) below it, so that the next `upgrade` has something to
//! compare with.

use super::import::{report_imported, revision_file_name, Planned, SourceTool};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::output::out_line;
use super::{Context, Failure};
use crate::migrator::rows_text;

/// The comment line that names the Alembic script a revision came from.
const FROM_LINE: &str = "-- Imported from Alembic: ";

/// Loads the script directory through Alembic and renders every revision
/// in offline mode; prints one JSON document on stdout.
const RENDER: &str = r#"
import io, json, re, sys
real_stdout = sys.stdout
try:
    import alembic
    from alembic.config import Config
    from alembic.runtime.environment import EnvironmentContext
    from alembic.runtime.migration import MigrationStep
    from alembic.script import ScriptDirectory
except ImportError as e:
    real_stdout.write(json.dumps({"missing": str(e)}))
    sys.exit(0)

sys.stdout = sys.stderr
cfg = Config(sys.argv[1], stdout=sys.stderr)
script = ScriptDirectory.from_config(cfg)


def render(sc, upgrade):
    buf = io.StringIO()
    cfg.output_buffer = buf
    make = MigrationStep.upgrade_from_script if upgrade else MigrationStep.downgrade_from_script

    def steps(rev, context):
        return [make(script.revision_map, sc)]

    start = list(sc._all_down_revisions) if upgrade else [sc.revision]
    with EnvironmentContext(cfg, script, fn=steps, as_sql=True,
                            starting_rev=start or None,
                            destination_rev=sc.revision) as env:
        script.run_env()
        table = env.get_context().version_table
    return buf.getvalue(), table


revisions = []
for sc in reversed(list(script.walk_revisions("base", "heads"))):
    up, table = render(sc, True)
    try:
        down, error = render(sc, False)[0], None
    except Exception as e:
        down, error = None, "%s: %s" % (type(e).__name__, e)
    doc = sc.module.__doc__ or ""
    date = re.search(r"^Create Date: *(.*)$", doc, re.M)
    revisions.append({
        "id": sc.revision,
        "down": list(sc._versioned_down_revisions),
        "labels": sorted(sc._orig_branch_labels or ()),
        "depends": list(sc._resolved_dependencies),
        "message": (sc.doc or "").strip(),
        "date": date.group(1).strip() if date else None,
        "path": sc.path,
        "upgrade": up,
        "downgrade": down,
        "downgrade_error": error,
        "table": table,
    })
real_stdout.write(json.dumps({"alembic": alembic.__version__, "revisions": revisions}))
"#;

/// Why an Alembic project cannot be imported, or a database not stamped
/// from its `alembic_version`.
#[derive(Debug, thiserror::Error)]
pub enum AlembicError {
    /// No `alembic.ini` in the directory named.
    #[error("{dir} holds no alembic.ini")]
    NoIni {
        /// The directory.
        dir: String,
    },
    /// The Python named cannot be run.
    #[error("cannot run `{python}`: {reason}")]
    NoPython {
        /// The Python command.
        python: String,
        /// The operating system's message.
        reason: String,
    },
    /// Python runs but cannot import Alembic.
    #[error("`{python}` cannot import Alembic ({reason})")]
    NoAlembic {
        /// The Python command.
        python: String,
        /// Python's message.
        reason: String,
    },
    /// Alembic failed to load or render the project.
    #[error("Alembic cannot render the revisions of {dir}:\n{stderr}")]
    Render {
        /// The Alembic project directory.
        dir: String,
        /// What Python printed on stderr.
        stderr: String,
    },
    /// Alembic's id is not a valid revision id here.
    #[error("Alembic revision `{id}` ({path}) cannot keep its id: {reason}")]
    BadId {
        /// Alembic's revision id.
        id: String,
        /// The script.
        path: String,
        /// Which id rule it breaks.
        reason: &'static str,
    },
    /// No revision in the project.
    #[error("{dir} holds no Alembic revision")]
    NoRevisions {
        /// The Alembic project directory.
        dir: String,
    },
    /// The revisions as written would not pass the chain check.
    #[error("the imported revisions would not pass the chain check:\n{0}")]
    Invalid(String),
    /// The migrations directory already holds other revision files.
    #[error("{dir} already holds {count} revision file(s)")]
    TargetNotEmpty {
        /// The migrations directory.
        dir: String,
        /// How many revision files.
        count: usize,
    },
    /// The migrations directory holds no imported revision.
    #[error("{dir} holds no revision imported from Alembic")]
    NotImported {
        /// The migrations directory.
        dir: String,
    },
    /// The version table has no row.
    #[error("the version table `{table}` has no row: Alembic has applied nothing here")]
    NothingApplied {
        /// The version table.
        table: String,
    },
    /// A row that names no imported revision.
    #[error("the version table names `{row}`, which is not a revision imported from Alembic")]
    Unknown {
        /// The row.
        row: String,
    },
    /// `--source-table` names another table than this project's version
    /// table, which Alembic's rows already are.
    #[error("--source-table `{given}` is not this project's version table ({configured}): the rows Alembic wrote are read and kept where this project keeps its own")]
    OtherSourceTable {
        /// The table named with `--source-table`.
        given: String,
        /// The configured version table.
        configured: String,
    },
}

impl AlembicError {
    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            AlembicError::NoIni { .. } => "name the Alembic project directory, the one that holds alembic.ini (and env.py or script_location)".to_owned(),
            AlembicError::NoPython { .. } | AlembicError::NoAlembic { .. } => "install Python 3 and Alembic (`python3 -m venv venv && venv/bin/pip install alembic psycopg2-binary` plus what env.py imports), then name that Python with `--python venv/bin/python`".to_owned(),
            AlembicError::Render { .. } => "check that `alembic upgrade head --sql` works in that directory (offline mode: env.py's run_migrations_offline and a PostgreSQL sqlalchemy.url)".to_owned(),
            AlembicError::BadId { .. } => "ids here are 1 to 32 ASCII letters, digits or `_`: rename the revision in Alembic (and in alembic_version) first".to_owned(),
            AlembicError::NoRevisions { .. } => "name the Alembic project directory whose versions/ holds the revisions".to_owned(),
            AlembicError::Invalid(_) => "fix the Alembic revisions named above, then import again".to_owned(),
            AlembicError::TargetNotEmpty { .. } => "import into an empty directory (`--dir`); an import never overwrites or mixes with other revisions".to_owned(),
            AlembicError::NotImported { .. } => "run `import --from alembic <alembic project>` first, and name its directory with `--dir`".to_owned(),
            AlembicError::NothingApplied { .. } => "nothing to record: run `upgrade head` to build the schema with the imported revisions".to_owned(),
            AlembicError::OtherSourceTable { given, .. } => format!("both tools share the version table: set `version_table` in migrations.toml (or --version-table and --version-table-schema) to Alembic's `{given}`, then stamp"),
            AlembicError::Unknown { .. } => "the database is ahead of the imported revisions, or another project's: import again from the Alembic project this database was migrated with".to_owned(),
        }
    }

    fn failure(&self) -> Failure {
        Failure::with_help(self.to_string(), self.help())
    }
}

/// One revision as Alembic loaded and rendered it.
#[derive(Debug, serde::Deserialize)]
struct Rendered {
    id: String,
    down: Vec<String>,
    labels: Vec<String>,
    depends: Vec<String>,
    message: String,
    date: Option<String>,
    path: String,
    upgrade: String,
    downgrade: Option<String>,
    downgrade_error: Option<String>,
    table: String,
}

#[derive(Debug, serde::Deserialize)]
struct Answer {
    missing: Option<String>,
    alembic: Option<String>,
    #[serde(default)]
    revisions: Vec<Rendered>,
}

/// Runs the render program in `dir` with `python`.
fn render(python: &Path, dir: &Path) -> Result<(String, Vec<Rendered>), AlembicError> {
    let display = dir.display().to_string();
    let ini = dir.join("alembic.ini");
    if !ini.is_file() {
        return Err(AlembicError::NoIni { dir: display });
    }
    let out = Command::new(python)
        .arg("-c")
        .arg(RENDER)
        .arg("alembic.ini")
        .current_dir(dir)
        .env("PYTHONWARNINGS", "ignore")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .map_err(|e| AlembicError::NoPython {
            python: python.display().to_string(),
            reason: e.to_string(),
        })?;
    let stderr = String::from_utf8_lossy(&out.stderr).trim().to_owned();
    if !out.status.success() {
        return Err(AlembicError::Render {
            dir: display,
            stderr,
        });
    }
    let answer: Answer = serde_json::from_slice(&out.stdout).map_err(|e| AlembicError::Render {
        dir: display.clone(),
        stderr: format!("{stderr}\n(unreadable answer: {e})"),
    })?;
    if let Some(reason) = answer.missing {
        return Err(AlembicError::NoAlembic {
            python: python.display().to_string(),
            reason,
        });
    }
    Ok((answer.alembic.unwrap_or_default(), answer.revisions))
}

/// Whether a statement is Alembic's version-table bookkeeping on `table`.
fn is_version_statement(statement: &str, table: &str) -> bool {
    let words: Vec<String> = statement
        .split_whitespace()
        .take(3)
        .map(|w| w.trim_end_matches(['(', ';']).to_ascii_lowercase())
        .collect();
    let names = |w: &str| {
        let w = w.trim_matches('"');
        w == table
            || w.rsplit_once('.')
                .is_some_and(|(_, t)| t.trim_matches('"') == table)
    };
    match words.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["create", "table", t] | ["insert", "into", t] | ["delete", "from", t] => names(t),
        ["update", t, ..] => names(t),
        _ => false,
    }
}

/// Rendered SQL without what this project does itself: Alembic's `BEGIN;`
/// and `COMMIT;` and its version-table statements. Also says whether the
/// revision left the transaction on its own (`autocommit_block()`: a
/// `COMMIT;` before the end).
fn strip(sql: &str, table: &str) -> (String, bool) {
    let mut kept = String::new();
    let mut commits = 0;
    for s in schema_core::sql::split_statements(sql) {
        let text = s.text[s.first_token - s.offset..].trim_end();
        let bare = text.trim_end_matches(';').trim().to_ascii_uppercase();
        if bare == "BEGIN" || bare == "COMMIT" {
            commits += usize::from(bare == "COMMIT");
            continue;
        }
        if text.is_empty() || is_version_statement(text, table) {
            continue;
        }
        if !kept.is_empty() {
            kept.push_str("\n\n");
        }
        kept.push_str(text);
    }
    if !kept.is_empty() {
        kept.push('\n');
    }
    (kept, commits > 1)
}

/// The revision file of one Alembic revision; `dir` is the Alembic
/// project directory (the script path is shown relative to it).
fn plan_one(r: &Rendered, dir: &Path) -> Result<Planned, AlembicError> {
    let path = Path::new(&r.path)
        .strip_prefix(dir)
        .map_or_else(|_| r.path.clone(), |p| p.display().to_string());
    schema_core::parse::validate_id(&r.id).map_err(|reason| AlembicError::BadId {
        id: r.id.clone(),
        path: path.clone(),
        reason,
    })?;
    let (upgrade, up_no_tx) = strip(&r.upgrade, &r.table);
    let mut notes = Vec::new();
    let down = match (&r.downgrade, &r.downgrade_error) {
        (_, Some(error)) => {
            notes.push(format!("irreversible: its downgrade() raises {error}"));
            None
        }
        (Some(sql), None) => {
            let (down, no_tx) = strip(sql, &r.table);
            if down.is_empty() && upgrade.is_empty() {
                // A merge point or another revision that runs nothing
                // either way.
                Some((down, no_tx))
            } else if down.is_empty() {
                notes.push("irreversible: its downgrade() runs no statement".to_owned());
                None
            } else {
                Some((down, no_tx))
            }
        }
        (None, None) => None,
    };
    let non_transactional = up_no_tx || down.as_ref().is_some_and(|(_, t)| *t);
    if non_transactional {
        notes
            .push("non-transactional: it commits inside (Alembic's autocommit_block())".to_owned());
    }
    let mut options = Vec::new();
    if non_transactional {
        options.push("non-transactional");
    }
    if down.is_none() {
        options.push("irreversible");
    }
    let mut text = String::new();
    let message = r.message.split_whitespace().collect::<Vec<_>>().join(" ");
    if !message.is_empty() {
        let _ = write!(text, "-- {message}\n--\n");
    }
    let _ = writeln!(text, "-- Revision ID: {}", r.id);
    let _ = writeln!(text, "-- Revises: {}", r.down.join(", "));
    if let Some(date) = r.date.as_deref().filter(|d| !d.is_empty()) {
        let _ = writeln!(text, "-- Create Date: {date}");
    }
    if !r.labels.is_empty() {
        let _ = writeln!(text, "-- Branch Labels: {}", r.labels.join(", "));
    }
    if !r.depends.is_empty() {
        let _ = writeln!(text, "-- Depends On: {}", r.depends.join(", "));
    }
    if !options.is_empty() {
        let _ = writeln!(text, "-- Options: {}", options.join(", "));
    }
    let _ = write!(text, "\n{FROM_LINE}{path}\n\n-- migrate:upgrade\n{upgrade}");
    if let Some((down, _)) = &down {
        let _ = write!(text, "-- migrate:downgrade\n{down}");
    }
    Ok(Planned {
        id: r.id.clone(),
        file_name: revision_file_name(&r.id, &message),
        text,
        notes,
    })
}

/// `import --from alembic DIR`: DIR is the Alembic project directory, the
/// one that holds `alembic.ini`; `python` is the Python that has Alembic.
pub(super) fn import(ctx: &Context, source: &Path, python: Option<&Path>) -> Result<(), Failure> {
    let python = python.map_or_else(|| PathBuf::from("python3"), Path::to_path_buf);
    let (version, rendered) = render(&python, source).map_err(|e| e.failure())?;
    if rendered.is_empty() {
        return Err(AlembicError::NoRevisions {
            dir: source.display().to_string(),
        }
        .failure());
    }
    let base = source
        .canonicalize()
        .unwrap_or_else(|_| source.to_path_buf());
    let planned = rendered
        .iter()
        .map(|r| plan_one(r, &base))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.failure())?;
    let written = super::import::write_revisions(
        ctx,
        source,
        &planned,
        &[],
        |report| AlembicError::Invalid(report).failure(),
        |dir, count| AlembicError::TargetNotEmpty { dir, count }.failure(),
    )?;
    if !written {
        return Ok(());
    }
    let how = format!(" (rendered by Alembic {version} in offline mode)");
    report_imported(SourceTool::Alembic, source, &how, &planned)
}

/// The ids of the revisions `import --from alembic` wrote into the
/// migrations directory.
fn imported_ids(dir: &Path, display: &str) -> Result<Vec<String>, Failure> {
    let mut ids = Vec::new();
    for f in schema_core::read_dir(dir, display).map_err(Failure::new)? {
        let mut id = None;
        let mut imported = false;
        for line in f.text.lines() {
            if line.trim() == "-- migrate:upgrade" {
                break;
            }
            if let Some(v) = line.strip_prefix("-- Revision ID:") {
                id = Some(v.trim().to_owned());
            } else if line.starts_with(FROM_LINE) {
                imported = true;
            }
        }
        if let (Some(id), true) = (id, imported) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// The revisions to stamp for the rows Alembic left (one per unmerged
/// branch head in the middle of a branchy history), or why none.
fn stamp_targets<'a>(
    imported: &[String],
    rows: &'a [String],
    table: &str,
) -> Result<&'a [String], AlembicError> {
    if let Some(row) = rows.iter().find(|r| !imported.contains(r)) {
        return Err(AlembicError::Unknown { row: row.clone() });
    }
    if rows.is_empty() {
        return Err(AlembicError::NothingApplied {
            table: table.to_owned(),
        });
    }
    Ok(rows)
}

/// `stamp --from alembic`: checks the rows Alembic left in the version table
/// (the same table) against the import and stamps those very revisions,
/// which records a log row with its checksum for each and every revision
/// below. Several rows (Alembic stopped with unmerged branch heads applied)
/// are stamped one after the other; a stamp keeps the rows of other
/// branches, so the version table ends as Alembic left it.
pub(super) async fn stamp(
    ctx: &Context,
    purge: bool,
    source_table: Option<&str>,
) -> Result<(), Failure> {
    let set = ctx.load()?;
    let configured = ctx.version_table();
    if let Some(given) = source_table {
        let given = super::import::SourceTable::new(Some(given), &configured.name);
        let same_schema = match (&given.table.schema, &configured.schema) {
            (Some(a), Some(b)) => a == b,
            _ => true,
        };
        if given.table.name != configured.name || !same_schema {
            return Err(AlembicError::OtherSourceTable {
                given: given.shown,
                configured: configured.table(),
            }
            .failure());
        }
    }
    let display = ctx.display_dir();
    let imported = imported_ids(&ctx.dir, &display)?;
    if imported.is_empty() {
        return Err(AlembicError::NotImported { dir: display }.failure());
    }
    let m = ctx.migrator(&set);
    let mut conn = ctx.connect().await?;
    let state = m
        .state(&mut conn)
        .await
        .map_err(|e| ctx.migrate_failure(e))?;
    let table = m.version_table().table();
    let targets = stamp_targets(&imported, &state.current, &table).map_err(|e| e.failure())?;
    // The rows must make a state of the imported chain (none below another)
    // before anything is written.
    m.applied(&state).map_err(|e| ctx.migrate_failure(e))?;
    let mut stamped = Vec::new();
    for (i, target) in targets.iter().enumerate() {
        // Only the first stamp purges: the later ones add their branch.
        let report = m
            .stamp(&mut conn, target.as_str(), purge && i == 0)
            .await
            .map_err(|e| ctx.migrate_failure(e))?;
        stamped = report.to;
    }
    let what = if targets.len() == 1 {
        "the revision Alembic recorded"
    } else {
        "the revisions Alembic recorded"
    };
    out_line(format_args!(
        "Stamped {}: {what} in {table}, with the checksums of each and every revision below",
        rows_text(&stamped)
    ))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn alembic_transaction_and_version_table_statements_are_stripped() {
        let sql = "BEGIN;\n\nCREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL\n);\n\n\
                   -- Running upgrade  -> a1\n\nCREATE TABLE users (id serial);\n\n\
                   INSERT INTO alembic_version (version_num) VALUES ('a1') RETURNING alembic_version.version_num;\n\n\
                   UPDATE alembic_version SET version_num='b2' WHERE alembic_version.version_num = 'a1';\n\n\
                   DELETE FROM public.alembic_version WHERE version_num = 'b2';\n\n\
                   INSERT INTO roles (name) VALUES ('alembic_version');\n\nCOMMIT;\n\n";
        let (kept, no_tx) = strip(sql, "alembic_version");
        assert_eq!(
            kept,
            "CREATE TABLE users (id serial);\n\nINSERT INTO roles (name) VALUES ('alembic_version');\n"
        );
        assert!(!no_tx);
    }

    #[test]
    fn a_commit_before_the_end_means_autocommit_block() {
        let sql =
            "BEGIN;\n\nCOMMIT;\n\nCREATE INDEX CONCURRENTLY i ON t (c);\n\nBEGIN;\n\nCOMMIT;\n\n";
        let (kept, no_tx) = strip(sql, "alembic_version");
        assert_eq!(kept, "CREATE INDEX CONCURRENTLY i ON t (c);\n");
        assert!(no_tx);
    }

    fn rendered(id: &str, down: Option<&str>, error: Option<&str>) -> Rendered {
        Rendered {
            id: id.into(),
            down: vec!["p1".into(), "p2".into()],
            labels: vec!["core".into()],
            depends: vec![],
            message: "add things".into(),
            date: Some("2024-01-01 00:00:00.000000".into()),
            path: "/x/versions/a.py".into(),
            upgrade: "BEGIN;\n\nCREATE TABLE t (id int);\n\nCOMMIT;\n".into(),
            downgrade: down.map(str::to_owned),
            downgrade_error: error.map(str::to_owned),
            table: "alembic_version".into(),
        }
    }

    #[test]
    fn alembic_metadata_becomes_the_header_and_a_raising_or_empty_downgrade_is_irreversible() {
        let p = plan_one(
            &rendered("ae1027a6acf0", Some("DROP TABLE t;"), None),
            Path::new("/x"),
        )
        .unwrap();
        let r = schema_core::parse_revision(&p.file_name, &p.text).unwrap();
        assert_eq!(r.id, "ae1027a6acf0");
        assert_eq!(r.down_revisions[..], ["p1", "p2"]);
        assert!(!r.options.irreversible);
        assert!(
            p.text.contains("-- Imported from Alembic: versions/a.py\n"),
            "{}",
            p.text
        );
        assert_eq!(p.file_name, "ae1027a6acf0_add_things.sql");
        for (down, error) in [
            (None, Some("NotImplementedError: no")),
            (Some("BEGIN;\nCOMMIT;\n"), None),
        ] {
            let p = plan_one(&rendered("ae1027a6acf0", down, error), Path::new("/x")).unwrap();
            let r = schema_core::parse_revision(&p.file_name, &p.text).unwrap();
            assert!(r.options.irreversible, "{}", p.text);
            assert!(p.notes[0].starts_with("irreversible"), "{:?}", p.notes);
        }
        let mut merge = rendered("ae1027a6acf0", Some("BEGIN;\nCOMMIT;\n"), None);
        merge.upgrade = "BEGIN;\nCOMMIT;\n".into();
        let p = plan_one(&merge, Path::new("/x")).unwrap();
        let r = schema_core::parse_revision(&p.file_name, &p.text).unwrap();
        assert!(
            !r.options.irreversible,
            "a merge point runs nothing either way"
        );
        assert!(matches!(
            plan_one(&rendered("a-b", None, None), Path::new("/x")),
            Err(AlembicError::BadId { .. })
        ));
    }

    #[test]
    fn the_stamp_targets_are_the_rows_when_every_one_was_imported() {
        let imported = vec!["a1".to_owned(), "b2".to_owned(), "c3".to_owned()];
        let rows = vec!["b2".to_owned()];
        assert_eq!(
            stamp_targets(&imported, &rows, "alembic_version").unwrap(),
            ["b2"]
        );
        let heads = vec!["b2".to_owned(), "c3".to_owned()];
        assert_eq!(
            stamp_targets(&imported, &heads, "alembic_version").unwrap(),
            ["b2", "c3"]
        );
        assert!(matches!(
            stamp_targets(
                &imported,
                &["b2".to_owned(), "zz".to_owned()],
                "alembic_version"
            ),
            Err(AlembicError::Unknown { .. })
        ));
        assert!(matches!(
            stamp_targets(&imported, &[], "alembic_version"),
            Err(AlembicError::NothingApplied { .. })
        ));
    }
}
