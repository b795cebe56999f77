//! The version table and its log: names, DDL and the statements that move them.
//!
//! The version table has Alembic's shape (`version_num`, one row per current
//! revision), so a database Alembic manages can be taken over as it is. Its
//! companion log table keeps, per applied revision, the checksum, when it was
//! applied and how long it took. Names come from configuration and are always
//! quoted as identifiers; ids are checked by the parser and still quoted as
//! literals.

/// The column of the marker row that a step of a pipeline, or a section of
/// a single-transaction batch, returns.
pub const STEP_MARKER: &str = "schema_migrations_step";

/// The session setting that holds when the running step of a pipeline
/// started, in seconds since the epoch: within one message the server's
/// `statement_timestamp()` is the same for every statement, so each step
/// restarts this clock for the next.
const STEP_START: &str = "schema_migrations.step_start";

/// The SQL expression that restarts the step clock.
fn start_clock() -> String {
    format!("set_config('{STEP_START}', extract(epoch FROM clock_timestamp())::text, false)")
}

/// The statement that starts the step clock for the first step of a pipeline.
pub fn start_clock_sql() -> String {
    format!("SELECT {};\n", start_clock())
}

/// Where the version table lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionTable {
    /// The schema; `None` follows the connection's `search_path`.
    pub schema: Option<String>,
    /// The table name; the log table is `<name>_log`.
    pub name: String,
}

impl Default for VersionTable {
    fn default() -> Self {
        VersionTable {
            schema: None,
            name: "alembic_version".to_owned(),
        }
    }
}

/// `"name"`, with embedded quotes doubled.
pub fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// `'text'`, with embedded quotes doubled (standard_conforming_strings).
pub fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

impl VersionTable {
    fn qualify(&self, name: &str) -> String {
        match &self.schema {
            Some(s) => format!("{}.{}", quote_ident(s), quote_ident(name)),
            None => quote_ident(name),
        }
    }

    /// The qualified, quoted version table.
    pub fn table(&self) -> String {
        self.qualify(&self.name)
    }

    /// The qualified, quoted log table.
    pub fn log_table(&self) -> String {
        self.qualify(&format!("{}_log", self.name))
    }

    /// The advisory-lock key: derived from the qualified name, so two version
    /// tables in one database lock independently.
    pub fn lock_key(&self) -> i64 {
        let digest = schema_core::checksum(&format!("schema-migrations lock {}", self.table()));
        i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
    }

    /// Creates both tables if they are missing (and the schema, if one is set).
    pub fn create_sql(&self) -> String {
        let schema = self
            .schema
            .as_ref()
            .map(|s| format!("CREATE SCHEMA IF NOT EXISTS {};\n", quote_ident(s)))
            .unwrap_or_default();
        let pk = quote_ident(&format!("{}_pkc", self.name));
        format!(
            "{schema}CREATE TABLE IF NOT EXISTS {t} (\n    version_num VARCHAR(32) NOT NULL,\n    \
             CONSTRAINT {pk} PRIMARY KEY (version_num)\n);\n\
             CREATE TABLE IF NOT EXISTS {l} (\n    version_num VARCHAR(32) PRIMARY KEY,\n    \
             checksum CHAR(64),\n    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),\n    \
             duration_ms BIGINT,\n    in_progress TEXT\n);\n",
            t = self.table(),
            l = self.log_table(),
        )
    }

    /// One query returning `(kind, version_num, checksum)` rows: `current` for
    /// the version table, `applied` for the log.
    pub fn state_sql(&self) -> String {
        format!(
            "SELECT 'current'::text AS kind, version_num::text, NULL::text AS checksum, NULL::text AS applied_at, NULL::bigint AS duration_ms, NULL::text AS in_progress FROM {t}\n\
             UNION ALL SELECT 'applied', version_num::text, checksum::text, applied_at::text, duration_ms, in_progress FROM {l}",
            t = self.table(),
            l = self.log_table()
        )
    }

    /// What a run reads under the lock, in the rows of [`Self::state_sql`]:
    /// the version table, the log rows of interrupted steps only, and one
    /// `digest` row (in the `checksum` column: [`log_digest`] of the whole
    /// log, computed by the server over the columns' bytes as stored, so that
    /// no text is converted or re-measured on the way). A run compares the digest with what the
    /// log should hold, so a database at head costs the same small reply
    /// however long its history; the whole log is read only when they differ.
    pub fn lock_state_sql(&self) -> String {
        format!(
            "SELECT 'current'::text AS kind, version_num::text, NULL::text AS checksum, NULL::text AS applied_at, NULL::bigint AS duration_ms, NULL::text AS in_progress FROM {t}\n\
             UNION ALL SELECT 'applied', version_num::text, checksum::text, applied_at::text, duration_ms, in_progress FROM {l} WHERE in_progress IS NOT NULL\n\
             UNION ALL SELECT 'digest', NULL, encode(sha256(coalesce(string_agg(varcharsend(version_num) || '\\x20'::bytea || coalesce(bpcharsend(checksum), ''::bytea), '\\x0a'::bytea ORDER BY version_num COLLATE \"C\"), ''::bytea)), 'hex'), NULL, NULL, NULL FROM {l}",
            t = self.table(),
            l = self.log_table()
        )
    }

    /// Only the log rows, as [`Self::state_sql`] returns them.
    pub fn log_sql(&self) -> String {
        format!(
            "SELECT 'applied'::text AS kind, version_num::text, checksum::text, applied_at::text, duration_ms, in_progress FROM {}",
            self.log_table()
        )
    }

    /// Replaces the rows `from` by the rows `to` (either may be empty). One
    /// row for one row is an `UPDATE`, as Alembic does on a linear history.
    pub fn move_sql(&self, from: &[&str], to: &[&str]) -> String {
        let t = self.table();
        let list = |ids: &[&str]| {
            ids.iter()
                .map(|i| quote_literal(i))
                .collect::<Vec<_>>()
                .join(", ")
        };
        match (from, to) {
            ([], []) => String::new(),
            ([from], [to]) => format!(
                "UPDATE {t} SET version_num = {} WHERE version_num = {};\n",
                quote_literal(to),
                quote_literal(from)
            ),
            _ => {
                let mut sql = String::new();
                match from {
                    [] => {}
                    [one] => sql.push_str(&format!(
                        "DELETE FROM {t} WHERE version_num = {};\n",
                        quote_literal(one)
                    )),
                    many => sql.push_str(&format!(
                        "DELETE FROM {t} WHERE version_num IN ({});\n",
                        list(many)
                    )),
                }
                if !to.is_empty() {
                    let values: Vec<String> = to
                        .iter()
                        .map(|i| format!("({})", quote_literal(i)))
                        .collect();
                    sql.push_str(&format!(
                        "INSERT INTO {t} (version_num) VALUES {};\n",
                        values.join(", ")
                    ));
                }
                sql
            }
        }
    }

    /// Records an applied revision in the log. `duration_ms` is an SQL
    /// expression (the time since the message arrived, online; NULL offline).
    pub fn log_applied_sql(&self, id: &str, checksum: &str, duration_ms: &str) -> String {
        self.log_applied_many_sql(&[(id, checksum.to_owned(), duration_ms.to_owned())])
    }

    /// Records applied revisions in the log, in one statement:
    /// `(id, checksum, duration_ms)`, the duration an SQL expression.
    pub fn log_applied_many_sql(&self, entries: &[(&str, String, String)]) -> String {
        let values: Vec<String> = entries
            .iter()
            .map(|(id, checksum, ms)| {
                format!("({}, {}, {ms})", quote_literal(id), quote_literal(checksum))
            })
            .collect();
        format!(
            "INSERT INTO {l} (version_num, checksum, duration_ms) VALUES {values}\n    \
             ON CONFLICT (version_num) DO UPDATE SET checksum = EXCLUDED.checksum, \
             applied_at = now(), duration_ms = EXCLUDED.duration_ms, in_progress = NULL;\n",
            l = self.log_table(),
            values = values.join(", "),
        )
    }

    /// Marks a non-transactional step as started (`direction` is `upgrade` or
    /// `downgrade`); recording the step clears the mark. A mark found later
    /// means the step was interrupted part way.
    pub fn log_started_sql(&self, id: &str, checksum: &str, direction: &str) -> String {
        format!(
            "INSERT INTO {l} (version_num, checksum, in_progress) VALUES ({id}, {c}, {d})\n    \
             ON CONFLICT (version_num) DO UPDATE SET in_progress = EXCLUDED.in_progress;\n",
            l = self.log_table(),
            id = quote_literal(id),
            c = quote_literal(checksum),
            d = quote_literal(direction),
        )
    }

    /// One statement that records a step of a pipeline (see
    /// `script::pipeline_message`): it moves the version table from the rows
    /// `from` to the rows `to`, records the revision `id` in the log (on an
    /// upgrade, with its `checksum` and duration) or removes it (on a
    /// downgrade), restarts the step clock for the next step, and returns one
    /// row: the step's duration in microseconds, in a column named
    /// [`STEP_MARKER`].
    ///
    /// Every argument is an SQL expression: a quoted literal, or a parameter
    /// (`$1`) when the statement is prepared.
    pub fn record_step_sql(
        &self,
        upgrade: bool,
        id: &str,
        checksum: &str,
        from: &[String],
        to: &[String],
    ) -> String {
        let (t, l) = (self.table(), self.log_table());
        let mut ctes = Vec::with_capacity(3);
        match (from, to) {
            ([], []) => {}
            ([from], [to]) => ctes.push(format!(
                "moved AS (UPDATE {t} SET version_num = {to} WHERE version_num = {from})"
            )),
            _ => {
                if !from.is_empty() {
                    ctes.push(format!(
                        "removed AS (DELETE FROM {t} WHERE version_num IN ({}))",
                        from.join(", ")
                    ));
                }
                if !to.is_empty() {
                    let values: Vec<String> = to.iter().map(|r| format!("({r})")).collect();
                    ctes.push(format!(
                        "added AS (INSERT INTO {t} (version_num) VALUES {})",
                        values.join(", ")
                    ));
                }
            }
        }
        if upgrade {
            ctes.push(format!(
                "logged AS (INSERT INTO {l} (version_num, checksum, applied_at, duration_ms)\n    \
                 SELECT {id}, {checksum}, clock_timestamp(), us / 1000 FROM elapsed\n    \
                 ON CONFLICT (version_num) DO UPDATE SET checksum = EXCLUDED.checksum, \
                 applied_at = EXCLUDED.applied_at, duration_ms = EXCLUDED.duration_ms, in_progress = NULL)",
            ));
        } else {
            ctes.push(format!(
                "unlogged AS (DELETE FROM {l} WHERE version_num = {id})"
            ));
        }
        // The step's duration is read once, before the clock restarts: the
        // data-modifying CTEs run after the outer query, and read the same
        // materialised value. A revision that ran `RESET ALL` cleared the
        // clock: its duration is then counted from the message's arrival.
        format!(
            "WITH elapsed AS MATERIALIZED (SELECT ((extract(epoch FROM clock_timestamp())::numeric \
             - coalesce(nullif(current_setting('{STEP_START}', true), '')::numeric, \
             extract(epoch FROM statement_timestamp())::numeric)) * 1000000)::bigint AS us),\n{}\n\
             SELECT us AS {STEP_MARKER}, {} FROM elapsed",
            ctes.join(",\n"),
            start_clock(),
        )
    }

    /// Clears every interruption mark (when the user resumes).
    pub fn clear_marks_sql(&self) -> String {
        format!(
            "UPDATE {} SET in_progress = NULL WHERE in_progress IS NOT NULL;\n",
            self.log_table()
        )
    }

    /// Removes a reverted revision from the log.
    pub fn log_reverted_sql(&self, id: &str) -> String {
        self.log_reverted_many_sql(&[id])
    }

    /// Removes reverted revisions from the log, in one statement.
    pub fn log_reverted_many_sql(&self, ids: &[&str]) -> String {
        match ids {
            [one] => format!(
                "DELETE FROM {} WHERE version_num = {};\n",
                self.log_table(),
                quote_literal(one)
            ),
            many => format!(
                "DELETE FROM {} WHERE version_num IN ({});\n",
                self.log_table(),
                many.iter()
                    .map(|i| quote_literal(i))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// The digest of a log holding `entries` (`(revision id, checksum)`), as
/// [`VersionTable::lock_state_sql`] has the server compute it: SHA-256, in
/// hex, of the lines `<id> <checksum>` in byte order of the ids, joined by
/// newlines.
pub fn log_digest<'a>(entries: impl IntoIterator<Item = (&'a str, String)>) -> String {
    let mut lines: Vec<(&str, String)> = entries.into_iter().collect();
    lines.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut text = String::with_capacity(lines.len() * 80);
    for (i, (id, checksum)) in lines.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(id);
        text.push(' ');
        text.push_str(checksum);
    }
    schema_core::hex(&schema_core::checksum(&text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_so_configuration_cannot_inject_sql() {
        let t = VersionTable {
            schema: Some("s\"; DROP TABLE x; --".into()),
            name: "v\"x".into(),
        };
        assert_eq!(t.table(), "\"s\"\"; DROP TABLE x; --\".\"v\"\"x\"");
        assert_eq!(quote_literal("a'b"), "'a''b'");
    }

    #[test]
    fn lock_keys_differ_per_table() {
        let a = VersionTable::default();
        let b = VersionTable {
            name: "other".into(),
            ..VersionTable::default()
        };
        assert_ne!(a.lock_key(), b.lock_key());
        assert_eq!(a.lock_key(), VersionTable::default().lock_key());
    }
}
