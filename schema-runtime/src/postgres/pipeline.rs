//! The messages that run revisions: a pipeline of transactional revisions,
//! each in its own transaction, and the first message of a
//! single-transaction run; how each is laid out, and how its replies are read.
//!
//! Consecutive transactional steps go to the server as one message, a
//! [`pipeline_message`], in which each step is its own transaction
//! (`BEGIN`, the section, the statement that records it, `COMMIT`): one
//! round trip for the whole run however many revisions it has (plus one
//! that prepares the statement recording each revision, when that pays),
//! with the failure semantics of one transaction per revision. A
//! single-transaction run is a [`batch_message`] and its bookkeeping
//! ([`batch_record_sql`]): two messages in all. [`PipelineReplies`] reads
//! a pipeline's replies; [`Batch::failed_statement`] says which statement
//! the server was running when it failed.

use std::time::Duration;

use crate::script::{pipeline_title, Direction, Step};

pub use super::version_table::step_marker;
use super::version_table::{quote_literal, start_clock_sql, Record, VersionTable};

/// What follows every section in a message: a newline (the section may end
/// in a `--` comment), then the `;` that ends its last statement.
pub const SECTION_END: &str = "\n;\n";

/// The statement that marks the end of a section in a batch: the server's
/// clock, in microseconds, in a column named `marker` (see [`step_marker`]).
fn marker_sql(marker: &str) -> String {
    format!("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint AS {marker};\n")
}

/// The statement that records a step of a pipeline, with every value a
/// literal (see [`VersionTable::record_step_sql`]).
pub fn record_step(
    table: &VersionTable,
    step: &Step<'_>,
    lock_key: Option<i64>,
    marker: &str,
) -> String {
    let quote = |ids: &[&str]| ids.iter().map(|i| quote_literal(i)).collect::<Vec<_>>();
    table.record_step_sql(&Record {
        upgrade: step.direction == Direction::Upgrade,
        id: &quote_literal(&step.revision.id),
        checksum: &quote_literal(&step.revision.checksum_hex()),
        from: &quote(&step.from),
        to: &quote(&step.to),
        lock_key,
        marker,
    })
}

/// Whether `step` replaces one version-table row by one: every step of a
/// linear chain, and the only shape a prepared record handles.
fn one_for_one(step: &Step<'_>) -> bool {
    step.from.len() == 1 && step.to.len() == 1
}

/// Whether a pipeline of `steps` should record its steps with a prepared
/// statement, and for which direction: when at least two steps replace one
/// version-table row by one. Parsing and planning the record once per run,
/// not once per step, is most of what a step costs beyond its own SQL.
pub fn worth_preparing(steps: &[Step<'_>]) -> Option<Direction> {
    let first = steps.first()?;
    // A revision that deallocates prepared statements would take the
    // record away from the steps after it.
    let deallocates = steps.iter().any(|s| {
        s.section().is_some_and(|x| {
            x.sql
                .as_bytes()
                .windows(b"deallocate".len())
                .any(|w| w.eq_ignore_ascii_case(b"deallocate"))
        })
    });
    (!deallocates && steps.iter().filter(|s| one_for_one(s)).count() >= 2)
        .then_some(first.direction)
}

/// Prepares the record of one-for-one steps in one direction, as `name`:
/// `EXECUTE <name>(id, other row, checksum)`, where the other row is the one
/// replaced on an upgrade and the one restored on a downgrade.
///
/// It goes to the server as a message of its own: a prepared statement
/// keeps the text of the message that prepared it and copies that text at
/// every `EXECUTE`, so preparing it inside a pipeline would copy the whole
/// pipeline once per step.
pub fn prepare_sql(
    table: &VersionTable,
    name: &str,
    direction: Direction,
    lock_key: Option<i64>,
    marker: &str,
) -> String {
    let (id, other) = (vec!["$1".to_owned()], vec!["$2".to_owned()]);
    let upgrade = direction == Direction::Upgrade;
    let (from, to) = if upgrade {
        (&other, &id)
    } else {
        (&id, &other)
    };
    let statement = table.record_step_sql(&Record {
        upgrade,
        id: "$1",
        checksum: "$3",
        from,
        to,
        lock_key,
        marker,
    });
    format!("PREPARE {name} (text, text, text) AS\n{statement}")
}

/// The `EXECUTE` of the statement [`prepare_sql`] prepared, for `step`.
fn execute_sql(name: &str, step: &Step<'_>) -> String {
    let other = match step.direction {
        Direction::Upgrade => step.from[0],
        Direction::Downgrade => step.to[0],
    };
    format!(
        "EXECUTE {name}({}, {}, {})",
        quote_literal(&step.revision.id),
        quote_literal(other),
        quote_literal(&step.revision.checksum_hex())
    )
}

/// How a [`pipeline_message`] records and guards its steps.
#[derive(Debug, Clone, Copy)]
pub struct PipelineOptions<'a> {
    /// The name under which [`prepare_sql`] prepared the record for the
    /// steps' direction: one-for-one steps `EXECUTE` it, and the message
    /// deallocates it at its end.
    pub prepared: Option<&'a str>,
    /// The migration lock each step's record checks it still holds.
    pub lock_key: Option<i64>,
    /// A `lock_timeout` for the statements of each step (`SET LOCAL`), so
    /// that a revision waiting for a table lock gives up instead of queueing
    /// every other session behind it.
    pub ddl_lock_timeout_ms: Option<u64>,
    /// The column name of each step's marker row (see [`step_marker`]).
    pub marker: &'a str,
}

/// Consecutive transactional steps of a per-revision run, as one message:
/// the step clock starts, then each step is its own transaction (`BEGIN`,
/// the section, the statement that records it, `COMMIT`). The server runs
/// the statements of a message in order and abandons the rest of it at the
/// first error, so a failure leaves every step before the failing one
/// committed and nothing after it run, as one message per step would,
/// without a round trip per step. The server parses the whole message
/// before running it: a syntax error anywhere means nothing runs (the
/// migrator then sends the steps before the faulty one again).
pub fn pipeline_message(
    table: &VersionTable,
    steps: &[Step<'_>],
    options: PipelineOptions<'_>,
) -> Batch {
    let mut b = Batch::with_capacity(steps, 256);
    // What `pg_stat_activity` shows of the message: its beginning.
    b.push(&format!("-- {}\n", pipeline_title(steps)));
    b.statement(&start_clock_sql(), Piece::Setup);
    for (k, step) in steps.iter().enumerate() {
        b.statement("BEGIN;\n", Piece::Begin(k));
        if let Some(ms) = options.ddl_lock_timeout_ms {
            b.statement(
                &format!("SET LOCAL lock_timeout = '{}ms';\n", ms.max(1)),
                Piece::Begin(k),
            );
        }
        b.section(k, step);
        let record = match options.prepared {
            Some(name) if one_for_one(step) => execute_sql(name, step),
            _ => record_step(table, step, options.lock_key, options.marker),
        };
        b.statement(&format!("{record};\n"), Piece::Record(k));
        b.statement("COMMIT;\n", Piece::Commit(k));
    }
    if let Some(name) = options.prepared {
        b.statement(&format!("DEALLOCATE {name};\n"), Piece::Setup);
    }
    b.finish()
}

/// What one statement of a [`Batch`] is, besides a section's statements.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// Bookkeeping before or after the steps (the step clock, `DEALLOCATE`).
    Setup,
    /// The `BEGIN` (or the settings after it) of step `k`.
    Begin(usize),
    /// The statements of step `k`'s section.
    Section(usize),
    /// The statement that records step `k` (or a marker after its section).
    Record(usize),
    /// The `COMMIT` of step `k`.
    Commit(usize),
}

/// Where, in a [`Batch`], the statement that failed lies, from how many
/// statements the server completed before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailedStatement {
    /// Statement `index` (0-based) of step `step`'s section, which starts at
    /// byte `offset` of the section and whose first token is at byte
    /// `first_token`.
    Section {
        /// The step.
        step: usize,
        /// The statement's index in the section.
        index: usize,
        /// Where it starts in the section.
        offset: usize,
        /// Where its first token starts in the section.
        first_token: usize,
    },
    /// Another statement of the message (its `BEGIN`, record or `COMMIT`).
    Other(Piece),
}

/// A message that runs several steps, and where each step's section lies in
/// it, so that an error position the server reports maps back to a step:
/// a [`pipeline_message`], or the first message of a single-transaction run
/// ([`batch_message`]).
#[derive(Debug, Clone)]
pub struct Batch {
    /// The SQL text.
    pub text: String,
    /// Per step, where its section starts in `text` and how long it is, in characters.
    pub sections: Vec<(usize, usize)>,
    /// The message's statements in order, a section counting as the
    /// statements the SQL lexer finds in it.
    pub pieces: Vec<Piece>,
}

/// Builds a [`Batch`]: its text, and the position of each section in
/// characters (what the server's error positions count).
struct BatchBuilder {
    batch: Batch,
    chars: usize,
}

impl Batch {
    /// A builder for a message of `steps`, with room for `per_step` more
    /// bytes per step than the sections.
    fn with_capacity(steps: &[Step<'_>], per_step: usize) -> BatchBuilder {
        let sql: usize = steps
            .iter()
            .map(|s| s.section().map_or(0, |x| x.sql.len()))
            .sum();
        BatchBuilder {
            batch: Batch {
                text: String::with_capacity(sql + steps.len() * per_step + 2048),
                sections: Vec::with_capacity(steps.len()),
                pieces: Vec::with_capacity(steps.len() * 4 + 2),
            },
            chars: 0,
        }
    }

    /// The step whose section holds 1-based character `position` of the
    /// text, and the position within that section. A position in the
    /// [`SECTION_END`] after a section (a syntax error at the `;` that ends
    /// an incomplete last statement) belongs to that section too, just past
    /// its end.
    pub fn locate(&self, position: usize) -> Option<(usize, usize)> {
        let i = self
            .sections
            .partition_point(|(start, _)| *start < position)
            .checked_sub(1)?;
        let (start, len) = self.sections[i];
        (position <= start + len + SECTION_END.len()).then(|| (i, position - start))
    }

    /// The statement the server was running when it failed, after it had
    /// completed `completed` statements of the message (one `CommandComplete`
    /// each). `steps` are the steps the message was built from: their
    /// sections are split into statements here, only on failure, with the
    /// same lexer as the server's (see `schema_core::sql`).
    pub fn failed_statement(
        &self,
        steps: &[Step<'_>],
        completed: usize,
    ) -> Option<FailedStatement> {
        let mut seen = 0;
        for piece in &self.pieces {
            match piece {
                Piece::Section(k) => {
                    let sql = &steps[*k].section()?.sql;
                    let stmts = schema_core::sql::split_statements(sql);
                    if completed < seen + stmts.len() {
                        let st = &stmts[completed - seen];
                        return Some(FailedStatement::Section {
                            step: *k,
                            index: completed - seen,
                            offset: st.offset,
                            first_token: st.first_token,
                        });
                    }
                    seen += stmts.len();
                }
                other => {
                    if completed == seen {
                        return Some(FailedStatement::Other(*other));
                    }
                    seen += 1;
                }
            }
        }
        None
    }
}

impl BatchBuilder {
    fn push(&mut self, piece: &str) {
        self.batch.text.push_str(piece);
        self.chars += schema_core::sql::char_len(piece);
    }

    /// One statement that is not part of a section.
    fn statement(&mut self, sql: &str, piece: Piece) {
        self.push(sql);
        self.batch.pieces.push(piece);
    }

    /// The section of step `k`, recorded as such, then [`SECTION_END`].
    fn section(&mut self, k: usize, step: &Step<'_>) {
        self.batch.pieces.push(Piece::Section(k));
        let sql = &step
            .section()
            .expect("irreversible steps are refused before planning")
            .sql;
        let start = self.chars;
        self.push(sql);
        self.batch.sections.push((start, self.chars - start));
        self.push(SECTION_END);
    }

    fn finish(self) -> Batch {
        self.batch
    }
}

/// The first message of a single-transaction run of `steps` (all
/// transactional): `BEGIN`, then every section, each followed by a marker
/// row; the transaction stays open for [`batch_record_sql`]. The markers say
/// how far the server got when a section fails and how long each step took.
pub fn batch_message(steps: &[Step<'_>], marker: &str) -> Batch {
    let marker = marker_sql(marker);
    let mut b = Batch::with_capacity(steps, marker.len());
    b.statement("BEGIN;\n", Piece::Setup);
    b.statement(&marker, Piece::Setup);
    for (k, step) in steps.iter().enumerate() {
        b.section(k, step);
        b.statement(&marker, Piece::Record(k));
    }
    b.finish()
}

/// The second message of a single-transaction run: the version table moved
/// from where the run started to `rows`, every step in the log (with
/// `durations_ms`, one per step), and `COMMIT`.
pub fn batch_record_sql(
    table: &VersionTable,
    steps: &[Step<'_>],
    rows: &[&str],
    durations_ms: &[i64],
    lock_key: Option<i64>,
) -> String {
    let Some(first) = steps.first() else {
        return String::new();
    };
    let mut sql = table.checked_move_sql(&first.before, rows, lock_key);
    match first.direction {
        Direction::Upgrade => {
            let entries: Vec<(&str, String, String)> = steps
                .iter()
                .zip(durations_ms)
                .map(|(s, ms)| (&*s.revision.id, s.revision.checksum_hex(), ms.to_string()))
                .collect();
            sql.push_str(&table.log_applied_many_sql(&entries));
        }
        Direction::Downgrade => {
            let ids: Vec<&str> = steps.iter().map(|s| &*s.revision.id).collect();
            sql.push_str(&table.log_reverted_many_sql(&ids));
        }
    }
    sql.push_str("COMMIT;\n");
    sql
}

/// One reply of a [`pipeline_message`], as [`PipelineReplies`] reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reply {
    /// A statement completed.
    Done,
    /// The marker row of a step's record: the step's duration in µs.
    Marker(i64),
    /// Any other row.
    Row,
}

/// What the replies of a [`pipeline_message`] said so far: how many
/// statements completed, and how many steps are confirmed (their `COMMIT`
/// completed). A step's record returns its marker row, completes, and the
/// next completion is its `COMMIT`.
#[derive(Debug, Default)]
pub(crate) struct PipelineReplies {
    pub(crate) results: usize,
    pub(crate) rows: usize,
    pub(crate) confirmed: usize,
    pub(crate) awaiting_commit: Option<(u8, Duration)>,
}

impl PipelineReplies {
    /// Takes one reply; returns a step's duration when its `COMMIT` completed.
    pub(crate) fn on(&mut self, reply: Reply) -> Option<Duration> {
        match reply {
            Reply::Marker(us) => {
                self.rows += 1;
                self.awaiting_commit = Some((0, Duration::from_micros(us.max(0) as u64)));
                None
            }
            Reply::Row => {
                self.rows += 1;
                None
            }
            Reply::Done => {
                self.results += 1;
                let (seen, duration) = self.awaiting_commit.as_mut()?;
                *seen += 1;
                if *seen < 2 {
                    return None;
                }
                let duration = *duration;
                self.awaiting_commit = None;
                self.confirmed += 1;
                Some(duration)
            }
        }
    }
}

/// How a [`pipeline_message`] failed.
pub(crate) struct PipelineFailure {
    /// The server rejected the message before running any of it (a syntax error).
    pub(crate) nothing_ran: bool,
    /// A statement gave up waiting for a lock (`lock_timeout`).
    pub(crate) lock_timeout: bool,
    /// The first step whose `COMMIT` was not confirmed (an index into the run's steps).
    pub(crate) confirmed: usize,
    /// The step (relative to the message) and position in its section that
    /// the server's error position names.
    pub(crate) located: Option<(usize, usize)>,
    /// The statement the server was running, found from the statements it
    /// completed before the error (relative to the message).
    pub(crate) statement: Option<FailedStatement>,
    /// The error.
    pub(crate) error: sqlx::Error,
}

impl PipelineFailure {
    /// A failure before the message was sent, at step `at`.
    pub(crate) fn before(at: usize, error: sqlx::Error) -> Self {
        PipelineFailure {
            nothing_ran: false,
            lock_timeout: false,
            confirmed: at,
            located: None,
            statement: None,
            error,
        }
    }

    /// The step (an index into the run's steps) that failed, for a message
    /// over `start..end`.
    pub(crate) fn failed(&self, start: usize, end: usize) -> usize {
        self.named_step(start)
            .unwrap_or(self.confirmed)
            .min(end - 1)
    }

    /// The step (an index into the run's steps, for a message starting at
    /// step `start`) that the server's error position or the statement it
    /// was running names, if either does.
    pub(crate) fn named_step(&self, start: usize) -> Option<usize> {
        self.located
            .map(|(k, _)| start + k)
            .or(match self.statement {
                Some(FailedStatement::Section { step, .. }) => Some(start + step),
                Some(FailedStatement::Other(
                    Piece::Begin(k) | Piece::Record(k) | Piece::Commit(k) | Piece::Section(k),
                )) => Some(start + k),
                _ => None,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::plan;
    use schema_core::{Applied, MigrationSet};

    #[test]
    fn a_step_is_confirmed_by_the_second_completion_after_its_marker() {
        let mut r = PipelineReplies::default();
        // The clock, BEGIN, two statements of the section.
        for reply in [
            Reply::Row,
            Reply::Done,
            Reply::Done,
            Reply::Done,
            Reply::Done,
        ] {
            assert_eq!(r.on(reply), None);
        }
        // The record's marker row and completion, then COMMIT.
        assert_eq!(r.on(Reply::Marker(1500)), None);
        assert_eq!(r.on(Reply::Done), None);
        assert_eq!(r.on(Reply::Done), Some(Duration::from_micros(1500)));
        assert_eq!((r.confirmed, r.results, r.rows), (1, 6, 2));
        // A row of the next step's section does not confirm anything.
        assert_eq!(r.on(Reply::Done), None);
        assert_eq!(r.on(Reply::Row), None);
        assert_eq!(r.on(Reply::Done), None);
        assert_eq!(r.confirmed, 1);
    }

    #[test]
    fn a_negative_duration_counts_as_zero() {
        let mut r = PipelineReplies::default();
        r.on(Reply::Marker(-5));
        r.on(Reply::Done);
        assert_eq!(r.on(Reply::Done), Some(Duration::ZERO));
    }

    fn set() -> MigrationSet {
        let texts = [
            ("r1", "", "SELECT 1;\nSELECT 2;"),
            (
                "r2",
                "r1",
                "-- nothing but a comment\n;;\nSELECT 3; SELECT 4;\nSELECT 5",
            ),
        ];
        let revisions = texts
            .iter()
            .map(|(id, parent, up)| {
                let text = format!(
                    "-- {id}\n--\n-- Revision ID: {id}\n-- Revises: {parent}\n-- Create Date: 2026-01-01 00:00:00\n\n-- migrate:upgrade\n{up}\n\n-- migrate:downgrade\nSELECT 0;\n"
                );
                schema_core::parse_revision(&format!("m/{id}.sql"), &text).expect("parses")
            })
            .collect();
        schema_core::check(revisions, "m").expect("a chain")
    }

    fn options(marker: &str) -> PipelineOptions<'_> {
        PipelineOptions {
            prepared: None,
            lock_key: Some(7),
            ddl_lock_timeout_ms: None,
            marker,
        }
    }

    #[test]
    fn the_statement_that_failed_is_found_from_the_statements_completed() {
        let set = set();
        let steps = plan(
            &set,
            &Applied::none(&set),
            &set.applied_from_rows(&["r2".to_owned()]).unwrap(),
        );
        let batch = pipeline_message(&VersionTable::default(), &steps, options("m"));
        // clock, BEGIN, r1's two statements, record, COMMIT, BEGIN, r2's three.
        let at = |n| batch.failed_statement(&steps, n);
        assert_eq!(at(0), Some(FailedStatement::Other(Piece::Setup)));
        assert_eq!(at(1), Some(FailedStatement::Other(Piece::Begin(0))));
        assert!(matches!(
            at(3),
            Some(FailedStatement::Section {
                step: 0,
                index: 1,
                ..
            })
        ));
        assert_eq!(at(4), Some(FailedStatement::Other(Piece::Record(0))));
        assert_eq!(at(5), Some(FailedStatement::Other(Piece::Commit(0))));
        let Some(FailedStatement::Section {
            step: 1,
            index: 2,
            first_token,
            ..
        }) = at(9)
        else {
            panic!("{:?}", at(9))
        };
        let sql = &steps[1].section().unwrap().sql;
        assert!(sql[first_token..].starts_with("SELECT 5"), "{sql}");
        assert_eq!(at(10), Some(FailedStatement::Other(Piece::Record(1))));
        assert_eq!(at(11), Some(FailedStatement::Other(Piece::Commit(1))));
        assert_eq!(at(12), None);
    }

    #[test]
    fn a_ddl_lock_timeout_is_set_for_each_step_only_when_asked() {
        let set = set();
        let steps = plan(
            &set,
            &Applied::none(&set),
            &set.applied_from_rows(&["r2".to_owned()]).unwrap(),
        );
        let plain = pipeline_message(&VersionTable::default(), &steps, options("m"));
        assert!(!plain.text.contains("lock_timeout"));
        let guarded = pipeline_message(
            &VersionTable::default(),
            &steps,
            PipelineOptions {
                ddl_lock_timeout_ms: Some(250),
                ..options("m")
            },
        );
        assert_eq!(
            guarded
                .text
                .matches("SET LOCAL lock_timeout = '250ms';")
                .count(),
            2
        );
        // The SET counts as a statement of the step's start.
        assert_eq!(
            guarded.failed_statement(&steps, 2),
            Some(FailedStatement::Other(Piece::Begin(0)))
        );
    }

    #[test]
    fn each_record_checks_the_lock_and_the_rows_it_moves() {
        let set = set();
        let steps = plan(
            &set,
            &Applied::none(&set),
            &set.applied_from_rows(&["r2".to_owned()]).unwrap(),
        );
        let batch = pipeline_message(&VersionTable::default(), &steps, options("marker_x"));
        assert_eq!(batch.text.matches("pg_advisory_unlock(7)").count(), 2);
        assert_eq!(
            batch
                .text
                .matches("(SELECT count(*) FROM moved) <> 1")
                .count(),
            1
        );
        assert_eq!(batch.text.matches("AS marker_x").count(), 2);
    }
}
