//! `new-revision --autogenerate`, `check --autogenerate` and
//! `check --database`: the chain's schema compared with another one.
//!
//! The chain's schema is what its revisions build, so it is built: a
//! scratch database is brought to the chain's head. The desired schema is
//! plain PostgreSQL DDL (one `.sql` file or a directory of them), loaded
//! into a second scratch database. Both are read from the catalog
//! ([`crate::catalog`]) and diffed ([`crate::autogen::diff`]) in both
//! directions: the upgrade and the downgrade of the revision. Before the
//! revision is written, the upgrade is run on the head database and the
//! result read again, and then the downgrade, so that what is written is
//! known to reach the desired schema and to come back.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

use schema_core::MigrationSet;
use sqlx::PgConnection;

use super::new_revision::{self, NewRevision};
use super::output::out_line;
use super::scratch::ScratchServer;
use super::{help_message, note, Context, Failure, RevisionLinks};
use crate::autogen::{diff, Plan};
use crate::catalog::Catalog;
use crate::migrator::{close, connect};
use crate::VersionTable;

/// Where the desired schema is when neither `--schema` nor the config file
/// names it.
pub(super) const DEFAULT_SCHEMA: &str = "schema";

/// The two schemas, read, and the plans between them.
struct Compared {
    /// The chain's head, as the revisions built it.
    head: Catalog,
    /// The desired schema, as the server loaded it.
    desired: Catalog,
    /// From the head to the desired schema.
    upgrade: Plan,
    /// From the desired schema back to the head.
    downgrade: Plan,
}

/// The desired schema's path: `--schema`, else `schema` in the config file
/// (relative to the current directory), else `schema/`.
fn schema_path(ctx: &Context, flag: Option<&Path>) -> PathBuf {
    flag.map(Path::to_path_buf)
        .or_else(|| ctx.config.schema.clone())
        .unwrap_or_else(|| PathBuf::from(DEFAULT_SCHEMA))
}

/// The desired schema's files with their text: the file itself, or every
/// `.sql` file under the directory (subdirectories included), in path order.
fn read_schema(path: &Path) -> Result<Vec<(PathBuf, String)>, Failure> {
    let read = |p: &Path| {
        std::fs::read_to_string(p)
            .map_err(|e| Failure::new(format!("error: cannot read {}: {e}", p.display())))
    };
    let meta = std::fs::metadata(path).map_err(|e| {
        Failure::with_help(
            format!("cannot read the desired schema {}: {e}", path.display()),
            "write the schema the database should have as PostgreSQL DDL in `schema/` (one or more .sql files), or name it with --schema PATH or `schema = \"...\"` in migrations.toml",
        )
    })?;
    if meta.is_file() {
        return Ok(vec![(path.to_path_buf(), read(path)?)]);
    }
    let mut files = Vec::new();
    let mut dirs = vec![path.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries = std::fs::read_dir(&dir)
            .map_err(|e| Failure::new(format!("error: cannot read {}: {e}", dir.display())))?;
        for entry in entries {
            let p = entry
                .map_err(|e| Failure::new(format!("error: cannot read {}: {e}", dir.display())))?
                .path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "sql") {
                files.push(p);
            }
        }
    }
    files.sort();
    if files.is_empty() {
        return Err(Failure::with_help(
            format!("the desired schema {} holds no .sql file", path.display()),
            "write the schema the database should have as PostgreSQL DDL in .sql files there",
        ));
    }
    files
        .into_iter()
        .map(|p| read(&p).map(|text| (p, text)))
        .collect()
}

/// Runs the desired schema's files on `conn`, in order; an error names the
/// file, the line and the server's message. A statement cancelled by the
/// scratch databases' statement timeout (`timeout_ms`) is named by its file,
/// with the flag that raises the timeout.
async fn load_schema(
    conn: &mut PgConnection,
    files: &[(PathBuf, String)],
    timeout_ms: u64,
) -> Result<(), Failure> {
    for (path, text) in files {
        let text = without_dump_markers(text);
        if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(text.as_ref()))
            .execute(&mut *conn)
            .await
        {
            let line = crate::postgres::errors::server_position(&e)
                .map(|p| schema_core::sql::line_col(&text, p).0 + 1);
            let at = match line {
                Some(l) => format!("{}:{l}", path.display()),
                None => path.display().to_string(),
            };
            let server = crate::postgres::errors::pg_error(&e);
            if server.is_some_and(|p| p.code() == "57014") {
                return Err(Failure::with_help(
                    format!(
                        "the desired schema does not load: {at}: a statement ran longer than {timeout_ms} ms and was cancelled"
                    ),
                    "a statement that does not end (a pg_sleep, a loop in a DO block) has no place in a schema; if it is only slow, raise --scratch-timeout-ms",
                ));
            }
            let message = server.map_or_else(|| e.to_string(), |p| p.message().to_owned());
            let meta_command = line
                .and_then(|l| text.lines().nth(l as usize - 1))
                .is_some_and(|l| l.trim_start().starts_with('\\'));
            return Err(Failure::with_help(
                format!("the desired schema does not load: {at}: {message}"),
                if meta_command {
                    "psql meta-commands (`\\i`, `\\connect`, `\\set`, ...) are not run: the schema is sent to the server as SQL; write the statements themselves, or split the schema into files under one directory"
                } else {
                    "the desired schema is run as it is, file after file in path order, on an empty database; fix the statement"
                },
            ));
        }
    }
    Ok(())
}

/// `text` with the lines `\\restrict KEY` and `\\unrestrict KEY` made empty:
/// the psql meta-commands that `pg_dump` puts around a dump (since
/// PostgreSQL 17.6, 16.10, 15.14, ...), which guard psql and mean nothing to
/// the server. Line numbers are kept, so errors still name the user's line.
fn without_dump_markers(text: &str) -> Cow<'_, str> {
    let marker = |l: &str| {
        let l = l.trim_end();
        ["\\restrict ", "\\unrestrict "].iter().any(|m| {
            l.strip_prefix(m).is_some_and(|key| {
                !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric())
            })
        })
    };
    if !text.lines().any(marker) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if marker(line) {
            if line.ends_with('\n') {
                out.push('\n');
            }
        } else {
            out.push_str(line);
        }
    }
    Cow::Owned(out)
}

/// Reads the catalog on `conn`, leaving `table` out.
async fn read(
    ctx: &Context,
    conn: &mut PgConnection,
    table: &VersionTable,
) -> Result<Catalog, Failure> {
    Catalog::read(conn, table)
        .await
        .map_err(|e| ctx.failure(format!("error: {e}")))
}

/// The chain, or `None` when the directory holds no revision yet (or does
/// not exist): the first revision is then generated from an empty database.
fn load_chain(ctx: &Context) -> Result<Option<MigrationSet>, Failure> {
    let empty = ctx.embedded.is_none()
        && (!ctx.dir.exists()
            || schema_core::read_dir(&ctx.dir, &ctx.display_dir()).is_ok_and(|f| f.is_empty()));
    if empty {
        return Ok(None);
    }
    ctx.load().map(Some)
}

/// Builds the head and the desired schema on scratch databases, reads both
/// and plans both ways; then checks the plans on the head database.
async fn compare(
    ctx: &Context,
    scratch: &mut ScratchServer,
    schema: &Path,
) -> Result<(Compared, Verified), Failure> {
    let files = read_schema(schema)?;
    let set = load_chain(ctx)?;
    let table = ctx.version_table();
    let mut head_conn = match &set {
        Some(set) => {
            scratch
                .built(ctx, set, &["head".to_owned()], false)
                .await?
                .1
        }
        None => {
            let url = scratch.database(ctx).await?;
            connect(&url).await.map_err(|e| ctx.failure(e))?
        }
    };
    let desired_url = scratch.database(ctx).await?;
    let mut loading = connect(&desired_url).await.map_err(|e| ctx.failure(e))?;
    let loaded = load_schema(&mut loading, &files, scratch.timeout_ms()).await;
    close(loading).await;
    loaded?;
    // Read on a connection of its own: the schema may have changed its
    // session (a dump empties `search_path`, which hides the version table
    // from the catalog's reader).
    let mut desired_conn = connect(&desired_url).await.map_err(|e| ctx.failure(e))?;
    let head = read(ctx, &mut head_conn, &table).await?;
    let desired = read(ctx, &mut desired_conn, &table).await?;
    close(desired_conn).await;
    let upgrade = diff(&head, &desired);
    let downgrade = diff(&desired, &head);
    let compared = Compared {
        head,
        desired,
        upgrade,
        downgrade,
    };
    let verified = verify(ctx, &mut head_conn, &table, &compared).await;
    close(head_conn).await;
    Ok((compared, verified?))
}

/// What running the plans on the head database showed.
enum Verified {
    /// The upgrade reached the desired schema and the downgrade came back.
    Both,
    /// Nothing to run.
    Nothing,
    /// The upgrade or the downgrade failed, or did not reach its schema:
    /// what went wrong, one line each.
    Failed(Vec<String>),
}

/// Runs the upgrade on the head database, compares it with the desired
/// schema, runs the downgrade and compares it with the head.
async fn verify(
    ctx: &Context,
    conn: &mut PgConnection,
    table: &VersionTable,
    c: &Compared,
) -> Result<Verified, Failure> {
    if c.upgrade.is_empty() {
        return Ok(Verified::Nothing);
    }
    let mut problems = Vec::new();
    for (plan, expected, name) in [
        (&c.upgrade, &c.desired, "upgrade"),
        (&c.downgrade, &c.head, "downgrade"),
    ] {
        if let Err(e) = run_plan(conn, plan).await {
            problems.push(format!("the {name} fails: {e}"));
            break;
        }
        let now = read(ctx, conn, table).await?;
        let difference = expected
            .ignoring_column_order()
            .diff(&now.ignoring_column_order());
        if !difference.is_empty() {
            problems.push(format!(
                "after the {name}, the schema differs from the {}:",
                if name == "upgrade" {
                    "desired one"
                } else {
                    "head"
                }
            ));
            problems.push(difference.to_string());
            break;
        }
    }
    Ok(if problems.is_empty() {
        Verified::Both
    } else {
        Verified::Failed(problems)
    })
}

/// Runs a plan as the migrator would run its revision: in one transaction,
/// or statement by statement when it is non-transactional.
async fn run_plan(conn: &mut PgConnection, plan: &Plan) -> Result<(), String> {
    let scrub = |e: sqlx::Error| {
        crate::postgres::errors::pg_error(&e)
            .map_or_else(|| e.to_string(), |p| p.message().to_owned())
    };
    if plan.non_transactional {
        for step in &plan.steps {
            sqlx::raw_sql(sqlx::AssertSqlSafe(step.sql.as_str()))
                .execute(&mut *conn)
                .await
                .map_err(|e| format!("{}: {}", step.summary, scrub(e)))?;
        }
        return Ok(());
    }
    let sql = format!("BEGIN;\n{}COMMIT;", plan.sql());
    if let Err(e) = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(&mut *conn)
        .await
    {
        let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
        return Err(scrub(e));
    }
    Ok(())
}

/// Prints what the upgrade does, one line per step, and what it does not.
fn print_plan(plan: &Plan) -> Result<(), Failure> {
    for step in &plan.steps {
        let mark = if step.review.is_some() {
            " (review)"
        } else {
            ""
        };
        out_line(format_args!("  Detected {}{mark}", step.summary))?;
    }
    for line in &plan.not_generated {
        note(format_args!("warning: not generated: {line}"));
    }
    Ok(())
}

/// Compares the desired schema with the head on a scratch server: `None`
/// (after saying so) when there is nothing to do, else the schema's path,
/// the comparison and its check, with the plan printed.
async fn compared(
    ctx: &Context,
    schema: Option<&Path>,
    purpose: &'static str,
) -> Result<Option<(PathBuf, Compared, Verified)>, Failure> {
    let path = schema_path(ctx, schema);
    let mut scratch = ScratchServer::start(ctx, purpose, true)?;
    let result = compare(ctx, &mut scratch, &path).await;
    scratch.stop().await;
    let (c, verified) = result?;
    if c.upgrade.is_empty() {
        for line in &c.upgrade.not_generated {
            note(format_args!("warning: not generated: {line}"));
        }
        out_line(format_args!(
            "No changes in schema detected: {} matches the head",
            path.display()
        ))?;
        return Ok(None);
    }
    print_plan(&c.upgrade)?;
    Ok(Some((path, c, verified)))
}

/// `new-revision --autogenerate`: writes the revision that takes the head
/// to the desired schema, or says that there is nothing to do.
pub(super) async fn new_revision(
    ctx: &Context,
    message: &str,
    rev_id: Option<String>,
    links: RevisionLinks,
    schema: Option<&Path>,
) -> Result<(), Failure> {
    let started = Instant::now();
    let Some((path, c, verified)) = compared(ctx, schema, "autogenerate").await? else {
        return Ok(());
    };
    let revises = match load_chain(ctx)? {
        Some(set) if links.revises.is_empty() => set
            .heads()
            .into_iter()
            .map(|h| set.revisions()[h].id.to_string())
            .collect(),
        _ => links.revises,
    };
    let mut upgrade = String::new();
    for line in &c.upgrade.not_generated {
        upgrade.push_str(&format!("-- NOT GENERATED: {line}\n"));
    }
    upgrade.push_str(&c.upgrade.sql());
    let mut downgrade = String::new();
    for line in &c.downgrade.not_generated {
        downgrade.push_str(&format!("-- NOT GENERATED: {line}\n"));
    }
    downgrade.push_str(&c.downgrade.sql());
    let written = NewRevision {
        message,
        id: &rev_id.unwrap_or_else(new_revision::fresh_id),
        revises: &revises,
        branch_labels: &links.branch_labels,
        depends_on: &links.depends_on,
        non_transactional: c.upgrade.non_transactional || c.downgrade.non_transactional,
        irreversible: false,
        create_date: &new_revision::create_date(SystemTime::now()),
        upgrade: &upgrade,
        downgrade: &downgrade,
    }
    .write(&ctx.dir)
    .map_err(Failure::new)?;
    out_line(format_args!(
        "Generating {} ... done ({} ms)",
        written.display(),
        started.elapsed().as_millis()
    ))?;
    match verified {
        Verified::Both | Verified::Nothing => out_line(format_args!(
            "Checked on a scratch database: the upgrade reaches {} and the downgrade returns to the head",
            path.display()
        ))?,
        Verified::Failed(problems) => note(format_args!(
            "warning: {}",
            help_message(
                format!(
                    "the generated revision does not reach its schema on a scratch database:\n{}",
                    problems.join("\n")
                ),
                "edit the revision before running it (the lines marked REVIEW first)",
            )
        )),
    }
    let reviews = c
        .upgrade
        .steps
        .iter()
        .chain(&c.downgrade.steps)
        .filter(|s| s.review.is_some())
        .count();
    if reviews > 0 {
        note(format_args!(
            "note: {reviews} statement(s) are marked `-- REVIEW:` in the file: read them before the revision runs"
        ));
    }
    Ok(())
}

/// `check --autogenerate` (Alembic's `alembic check`): fails when the desired
/// schema and the chain's head differ, listing what a new revision would do.
pub(super) async fn check_autogenerate(
    ctx: &Context,
    schema: Option<&Path>,
) -> Result<(), Failure> {
    let Some((path, c, _)) = compared(ctx, schema, "check --autogenerate").await? else {
        return Ok(());
    };
    Err(Failure::with_help(
        format!(
            "the desired schema {} differs from the chain's head: {} statement(s) to generate",
            path.display(),
            c.upgrade.steps.len()
        ),
        "write the revision with `new-revision --autogenerate -m \"...\"`",
    ))
}

/// `check --database`: compares the live database's schema with the schema
/// its revisions build, and fails listing every difference (drift made by
/// hand).
pub(super) async fn check_database(ctx: &Context) -> Result<(), Failure> {
    let set = ctx.load()?;
    let table = ctx.version_table();
    let mut live = ctx.connect().await?;
    let state = ctx
        .migrator(&set)
        .current(&mut live)
        .await
        .map_err(|e| ctx.migrate_failure(e))?;
    let found = read(ctx, &mut live, &table).await;
    close(live).await;
    let found = found?;
    let current: Vec<String> = state.current.iter().map(|r| r.to_string()).collect();
    let mut scratch = ScratchServer::start(ctx, "check --database", false)?;
    let built = async {
        let (_, mut conn) = scratch.built(ctx, &set, &current, false).await?;
        let c = read(ctx, &mut conn, &table).await;
        close(conn).await;
        c
    }
    .await;
    scratch.stop().await;
    let expected = built?;
    let at = if current.is_empty() {
        "base".to_owned()
    } else {
        current.join(", ")
    };
    let difference = expected.diff(&found);
    if difference.is_empty() {
        out_line(format_args!(
            "The database's schema is the one its revisions build (at {at})"
        ))?;
        return Ok(());
    }
    Err(Failure::with_help(
        format!(
            "the database's schema differs from the one its revisions build (at {at}), in {} place(s):\n{}",
            difference.len(),
            difference
        ),
        "`-` is built by the revisions but missing here, `+` is here but no revision built it, `~` differs; put the change in a revision (`new-revision`) or undo it by hand",
    ))
}

#[cfg(test)]
mod tests {
    use super::without_dump_markers;

    #[test]
    fn pg_dump_s_restrict_markers_are_emptied_and_the_lines_kept() {
        let dump = "\\restrict AbC123\nCREATE TABLE t (id int);\n\\unrestrict AbC123\n";
        assert_eq!(without_dump_markers(dump), "\nCREATE TABLE t (id int);\n\n");
    }

    #[test]
    fn other_backslash_lines_are_left_for_the_server_to_refuse() {
        for text in ["\\i other.sql\n", "\\restrict\n", "\\restrict a b\n"] {
            assert_eq!(without_dump_markers(text), text);
        }
    }
}
