//! `squash <rev>`: replaces the revisions from the base up to `<rev>` with one
//! base revision that builds the schema at `<rev>`.
//!
//! A long history makes every fresh database replay hundreds of revisions.
//! The squashed base is the schema itself, taken from a scratch database
//! that the migrator brought to `<rev>` and `pg_dump` read back, so it is
//! what the revisions really built, not what they were meant to build. It
//! keeps the id `<rev>`: a database at or past `<rev>` has that id in its
//! version table and goes on from there. Its upgrade section opens with a
//! record of the revisions it replaced and the checksums of their upgrades
//! ([`crate::migrator::squashed_record`]), so the runtime accepts their rows
//! in such a database's log, and a database below `<rev>` is refused with
//! [`MigrateError::BelowSquash`], which names the squash. The replaced files are moved to the
//! `squashed/` subdirectory, which the loader does not read and which is
//! itself a chain from the base to `<rev>`: a database below `<rev>` is
//! brought to `<rev>` with `upgrade <rev> --dir <dir>/squashed`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

use schema_core::{load_dir, Applied, Language, MigrationSet, Target};

use super::new_revision::{create_date, slug, NewRevision};
use super::scratch::ScratchServer;
use super::{out_line, Context, Failure};
use crate::migrator::SQUASHED_MARKER;
use crate::script::Direction;

/// The subdirectory the replaced files are moved to.
pub const SQUASHED_DIR: &str = "squashed";

/// How long the message of the squashed base may grow before it is cut.
const MESSAGE_LIMIT: usize = 200;

/// `squash <rev>`: checks that the revisions up to `<rev>` can be replaced,
/// builds the schema at `<rev>` on a scratch database, and writes it as the
/// new base.
pub(super) async fn squash(ctx: &Context, rev: &str) -> Result<(), Failure> {
    let set = load_dir(&ctx.dir, &ctx.display_dir()).map_err(Failure::new)?;
    let (top, replaced) = replaced(&set, rev)?;
    let top_rev = &set.revisions()[top];
    let dump = {
        let mut scratch = ScratchServer::start(ctx, "squash", true)?;
        let dumped = migrate_and_dump(ctx, &set, top, &mut scratch).await;
        scratch.stop().await;
        dumped?
    };
    let body = clean_dump(&dump);
    let mut record = String::from(
        "-- The revisions this base replaces, with the checksums of their upgrades:\n",
    );
    for &p in &replaced {
        let r = &set.revisions()[p];
        record.push_str(&format!("{SQUASHED_MARKER}{} {}\n", r.id, r.checksum_hex()));
    }
    let message = squashed_message(&set, &replaced);
    let labels: Vec<String> = top_rev
        .branch_labels
        .iter()
        .map(|l| l.to_string())
        .collect();
    let header = NewRevision {
        message: &message,
        id: &top_rev.id,
        revises: &[],
        branch_labels: &labels,
        depends_on: &[],
        non_transactional: false,
        irreversible: true,
        create_date: &create_date(SystemTime::now()),
        upgrade: "",
        downgrade: "",
    }
    .render();
    let text = format!("{header}{record}\n{body}");

    // Move the replaced files aside, write the base, and load the result;
    // put everything back if it does not load.
    let aside = ctx.dir.join(SQUASHED_DIR);
    let moves: Vec<(PathBuf, PathBuf)> = replaced
        .iter()
        .map(|&p| {
            let from = file_of(ctx, &set.revisions()[p].path);
            let to = aside.join(from.file_name().unwrap_or_default());
            (from, to)
        })
        .collect();
    if let Some((_, to)) = moves.iter().find(|(_, to)| to.exists()) {
        return Err(Failure::with_help(
            format!(
                "cannot move the replaced files aside: {} exists",
                to.display()
            ),
            format!("move or remove {} first", aside.display()),
        ));
    }
    std::fs::create_dir_all(&aside)
        .map_err(|e| Failure::new(format!("error: cannot create {}: {e}", aside.display())))?;
    let mut moved = Vec::new();
    let undo = |moved: &[(PathBuf, PathBuf)], written: Option<&Path>| {
        if let Some(w) = written {
            let _ = std::fs::remove_file(w);
        }
        for (from, to) in moved {
            let _ = std::fs::rename(to, from);
        }
    };
    for (from, to) in &moves {
        if let Err(e) = std::fs::rename(from, to) {
            undo(&moved, None);
            return Err(Failure::new(format!(
                "error: cannot move {} to {}: {e}",
                from.display(),
                to.display()
            )));
        }
        moved.push((from.clone(), to.clone()));
    }
    let name = match slug(&message) {
        s if s.is_empty() => format!("{}.sql", top_rev.id),
        s => format!("{}_{s}.sql", top_rev.id),
    };
    let path = ctx.dir.join(name);
    if let Err(e) = std::fs::write(&path, &text) {
        undo(&moved, None);
        return Err(Failure::new(format!(
            "error: cannot write {}: {e}",
            path.display()
        )));
    }
    if let Err(e) = load_dir(&ctx.dir, &ctx.display_dir()) {
        undo(&moved, Some(&path));
        return Err(Failure::new(format!(
            "{e}\n\nerror: the squashed chain does not load; the files were left as they were"
        )));
    }
    out_line(format_args!(
        "Squashed {} revision(s) into {} (moved to {})",
        replaced.len(),
        path.display(),
        aside.display()
    ))?;
    Ok(())
}

/// The revision `rev` names and the positions of the revisions it replaces
/// (itself and everything it needs), in application order; or why they
/// cannot be replaced.
fn replaced(set: &MigrationSet, rev: &str) -> Result<(usize, Vec<usize>), Failure> {
    let top = schema_core::target::resolve_id(set, rev).map_err(Failure::new)?;
    let id = &set.revisions()[top].id;
    let applied = Target::parse(id)
        .map_err(Failure::new)?
        .resolve(set, Direction::Upgrade, &Applied::none(set))
        .map_err(Failure::new)?;
    let members: Vec<usize> = applied.positions().collect();
    if members.len() < 2 {
        return Err(Failure::with_help(
            format!("`{id}` is the base: there is nothing below it to squash"),
            "name a revision above the base",
        ));
    }
    let revs = set.revisions();
    for &p in &members {
        let r = &revs[p];
        if r.language == Language::Rust {
            return Err(Failure::with_help(
                format!(
                    "`{}` ({}) is a Rust revision: its effect is not in the schema a squash writes",
                    r.id, r.path
                ),
                "squash up to a revision below it",
            ));
        }
        if p != top && !r.branch_labels.is_empty() {
            return Err(Failure::with_help(
                format!(
                    "`{}` declares the branch label(s) {}, which would have no revision after the squash",
                    r.id,
                    r.branch_labels.join(", ")
                ),
                "squash up to a revision at or below it, or remove the label",
            ));
        }
    }
    for (j, r) in revs.iter().enumerate() {
        if applied.contains(j) {
            continue;
        }
        if let Some(&p) = set
            .down(j)
            .iter()
            .find(|&&p| p != top && applied.contains(p))
        {
            return Err(Failure::with_help(
                format!(
                    "`{}` ({}) revises or depends on `{}`, which the squash into `{id}` would replace: \
                     the revisions up to `{id}` are not everything applied before it",
                    r.id, r.path, revs[p].id
                ),
                "squash up to a revision that every later revision is above (a merge point, or below the branch point)",
            ));
        }
    }
    Ok((top, members))
}

/// `Squashed: <n> revisions: <message>; <message>; ...`, cut at a readable length.
fn squashed_message(set: &MigrationSet, replaced: &[usize]) -> String {
    let messages: Vec<String> = replaced
        .iter()
        .map(|&p| {
            let r = &set.revisions()[p];
            if r.message.is_empty() {
                r.id.to_string()
            } else {
                r.message.to_string()
            }
        })
        .collect();
    let mut summary = format!(
        "Squashed: {} revisions: {}",
        replaced.len(),
        messages.join("; ")
    );
    if summary.chars().count() > MESSAGE_LIMIT {
        summary = summary.chars().take(MESSAGE_LIMIT - 3).collect::<String>() + "...";
    }
    summary
}

/// The file of a revision whose path the loader gave under the display name
/// of the directory.
fn file_of(ctx: &Context, path: &str) -> PathBuf {
    ctx.dir
        .join(Path::new(path).file_name().unwrap_or_default())
}

/// Upgrades the scratch database to `top` and returns its
/// `pg_dump --schema-only`, without the version table and its log.
async fn migrate_and_dump(
    ctx: &Context,
    set: &MigrationSet,
    top: usize,
    scratch: &mut ScratchServer,
) -> Result<String, Failure> {
    let (url, conn) = scratch
        .built(ctx, set, &[set.revisions()[top].id.to_string()], true)
        .await?;
    crate::migrator::close(conn).await;
    let table = ctx.version_table();
    let pg_dump = scratch.pg_dump()?;
    let out = Command::new(&pg_dump)
        .args(["--schema-only", "--no-owner", "--no-privileges"])
        .arg(format!("--exclude-table={}", table.table()))
        .arg(format!("--exclude-table={}", table.log_table()))
        .arg(format!("--dbname={url}"))
        .output()
        .map_err(|e| Failure::new(format!("error: cannot run {}: {e}", pg_dump.display())))?;
    if !out.status.success() {
        return Err(ctx.failure(format!(
            "error: pg_dump failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    String::from_utf8(out.stdout)
        .map_err(|_| Failure::new("error: pg_dump wrote text that is not UTF-8"))
}

/// A `pg_dump` script as revision SQL: psql meta-commands (`\restrict`)
/// removed, and the session settings at its top removed, since the
/// migrator's session runs the revisions after this one and they expect
/// the usual `search_path`; `check_function_bodies` is turned off for this
/// revision's transaction only (`SET LOCAL`), as the dump needs it to
/// create functions before the tables they read.
pub(crate) fn clean_dump(dump: &str) -> String {
    let mut out = String::from("SET LOCAL check_function_bodies = false;\n");
    for line in dump.lines() {
        let setting = line.starts_with("SET ") || line.starts_with("SELECT pg_catalog.set_config(");
        if line.starts_with('\\') || setting {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::clean_dump;

    #[test]
    fn a_dump_loses_its_settings_and_meta_commands() {
        let dump = "--\n\\restrict k\nSET statement_timeout = 0;\nSELECT pg_catalog.set_config('search_path', '', false);\n\
                    CREATE FUNCTION f() RETURNS int\n    SET search_path = x\n    AS $$ SELECT 1 $$;\n\\unrestrict k\n";
        let sql = clean_dump(dump);
        assert!(!sql.contains("restrict") && !sql.contains("statement_timeout"));
        assert!(!sql.contains("set_config"));
        assert!(
            sql.contains("    SET search_path = x"),
            "a function's own SET clause stays"
        );
        assert!(sql.starts_with("SET LOCAL check_function_bodies = false;"));
    }
}
