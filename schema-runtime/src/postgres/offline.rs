//! The offline script (`upgrade base:head --sql`) and the stamp: the same
//! statements as an online run, one step after the other, with the
//! bookkeeping as plain `UPDATE`/`INSERT`, as Alembic writes it, so that
//! `--sql` output applied by `psql` leaves the database as the online run does.

use crate::database::StampChange;
use crate::script::{step_endpoints, Direction, Step, TransactionMode};

use super::pipeline::SECTION_END;
use super::version_table::VersionTable;

/// The version-table and log statements that record a step.
pub fn record_sql(table: &VersionTable, step: &Step<'_>, duration_ms: &str) -> String {
    let mut sql = table.move_sql(&step.from, &step.to);
    match step.direction {
        Direction::Upgrade => sql.push_str(&table.log_applied_sql(
            &step.revision.id,
            &step.revision.checksum_hex(),
            duration_ms,
        )),
        Direction::Downgrade => sql.push_str(&table.log_reverted_sql(&step.revision.id)),
    }
    sql
}

/// The offline SQL of a transactional step: the section and the statements
/// that record it, wrapped in `BEGIN`/`COMMIT` when `wrap` (one transaction
/// per revision; a single-transaction script wraps the whole run instead).
fn step_sql(table: &VersionTable, step: &Step<'_>, wrap: bool) -> String {
    let section = step
        .section()
        .expect("irreversible steps are refused before planning");
    let mut text = String::with_capacity(section.sql.len() + 256);
    if wrap {
        text.push_str("BEGIN;\n");
    }
    text.push_str(&section.sql);
    text.push_str(SECTION_END);
    text.push_str(&record_sql(table, step, "NULL"));
    if wrap {
        text.push_str("COMMIT;\n");
    }
    text
}

/// The comment line that introduces a step in an offline script:
/// `-- Running upgrade a, b -> m: <message> (<file>)`.
pub fn step_comment(step: &Step<'_>) -> String {
    let (from, to) = step_endpoints(step);
    format!(
        "-- Running {} {from} -> {to}: {} ({})\n",
        step.direction,
        step.revision.display_message().replace('\n', " "),
        step.revision.path
    )
}

/// Renders the offline script of `steps`: version-table DDL, then each step,
/// with `BEGIN`/`COMMIT` matching `mode`. The caller has already refused
/// irreversible downgrades and non-transactional revisions in single mode.
pub fn offline_script(
    table: &VersionTable,
    steps: &[Step<'_>],
    mode: TransactionMode,
    title: &str,
) -> String {
    let mut out = format!("-- {title}\n\n{}\n", table.create_sql());
    if mode == TransactionMode::Single && !steps.is_empty() {
        out.push_str("BEGIN;\n\n");
    }
    for step in steps {
        out.push_str(&step_comment(step));
        if step.revision.options.non_transactional {
            let section = step.section().expect("checked");
            out.push_str(&section.sql);
            out.push_str(SECTION_END);
            out.push_str(&record_sql(table, step, "NULL"));
        } else {
            out.push_str(&step_sql(table, step, mode == TransactionMode::PerRevision));
        }
        out.push('\n');
    }
    if mode == TransactionMode::Single && !steps.is_empty() {
        out.push_str("COMMIT;\n");
    }
    out
}

/// The statements of a stamp, in one transaction: the version table emptied
/// (and the log, with `purge`), the new rows, and the log brought in line.
pub fn stamp_sql(table: &VersionTable, change: &StampChange<'_>) -> String {
    let mut sql = String::from("BEGIN;\n");
    if change.purge {
        sql.push_str(&format!(
            "DELETE FROM {};\nDELETE FROM {};\n",
            table.table(),
            table.log_table()
        ));
    } else {
        sql.push_str(&format!("DELETE FROM {};\n", table.table()));
    }
    sql.push_str(&table.move_sql(&[], &change.rows));
    for (id, checksum) in &change.logged {
        sql.push_str(&table.log_applied_sql(id, checksum, "NULL"));
    }
    for id in &change.unlogged {
        sql.push_str(&table.log_reverted_sql(id));
    }
    sql.push_str("COMMIT;\n");
    sql
}
