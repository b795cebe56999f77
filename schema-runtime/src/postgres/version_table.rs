//! The version table and its log: names, DDL and the statements that move them.
//!
//! The version table has Alembic's shape (`version_num`, one row per current
//! revision), so a database Alembic manages can be taken over as it is. Its
//! companion log table keeps, per applied revision, the checksum, when it was
//! applied and how long it took. Names come from configuration and are always
//! quoted as identifiers; ids are checked by the parser and still quoted as
//! literals.

/// The start of the column name of the marker row that a step of a
/// pipeline, or a section of a single-transaction batch, returns; each run
/// adds a nonce of its own (`step_marker`), so that no row a revision
/// returns can pass for a marker.
pub const STEP_MARKER: &str = "schema_migrations_step";

/// A marker column name for one run: `STEP_MARKER` and a nonce.
pub fn step_marker() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static RUNS: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let seed = format!(
        "{nanos} {} {}",
        std::process::id(),
        RUNS.fetch_add(1, Ordering::Relaxed)
    );
    format!(
        "{STEP_MARKER}_{}",
        &schema_core::hex(&schema_core::checksum(&seed))[..16]
    )
}

/// How a [`VersionTable::lock_message`] starts (what `pg_stat_activity`
/// shows of a migrator waiting for the lock).
pub const LOCK_MESSAGE_START: &str =
    "SELECT set_config('schema_migrations.search_path', current_setting('search_path'), false)";

/// The column of the row a [`VersionTable::lock_message`] returns about the
/// session: the resolved schema, the lock key, the backend's pid.
pub const SESSION_MARKER: &str = "schema_migrations_schema";

/// The text of the error the lock message raises when the version table is
/// missing but other tables exist (see [`VersionTable::lock_message`]).
pub const EXISTING_SCHEMA_MARKER: &str =
    "schema-migrations: existing schema without a version table";

/// The start of the error raised when the `search_path` names no schema.
pub const NO_SCHEMA_MARKER: &str = "schema-migrations: no schema on the search_path: ";

/// The start of the error a step's record raises when the version table did
/// not hold the rows the step meant to move.
pub const TABLE_CHANGED_MARKER: &str = "schema-migrations: version table changed";

/// The start of the error a step's record raises when the session no longer
/// holds the migration lock.
pub const LOCK_LOST_MARKER: &str = "schema-migrations: migration lock lost";

/// What [`VersionTable::record_step_sql`] records: every value an SQL
/// expression (a quoted literal, or a parameter such as `$1`).
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    /// An upgrade (else a downgrade).
    pub upgrade: bool,
    /// The revision's id.
    pub id: &'a str,
    /// Its checksum.
    pub checksum: &'a str,
    /// The version-table rows the step replaces.
    pub from: &'a [String],
    /// The rows it puts in their place.
    pub to: &'a [String],
    /// The migration lock the record checks it still holds.
    pub lock_key: Option<i64>,
    /// The column name of the marker row.
    pub marker: &'a str,
}

/// The aggregate expression over the log's rows that `log_digest`
/// computes on the client: SHA-256, in hex, of the lines `<id> <checksum>`
/// in byte order of the ids, joined by newlines, over the columns' bytes as
/// stored.
const LOG_DIGEST_SQL: &str = "encode(sha256(coalesce(string_agg(varcharsend(version_num) || decode('20', 'hex') \
    || coalesce(bpcharsend(checksum), ''::bytea), decode('0a', 'hex') ORDER BY version_num COLLATE \"C\"), ''::bytea)), 'hex')";

/// An SQL expression for the advisory-lock key of the table `name` in the
/// schema given by the SQL expression `schema` (the same key as
/// [`VersionTable::lock_key`]).
pub fn lock_key_sql(schema: &str, name: &str) -> String {
    let q = |e: &str| format!("'\"' || replace({e}, '\"', '\"\"') || '\"'");
    format!(
        "('x' || left(encode(sha256(convert_to('schema-migrations lock ' || {} || '.' || {}, 'UTF8')), 'hex'), 16))::bit(64)::bigint",
        q(schema),
        q(&quote_literal(name))
    )
}

/// A boolean SQL expression that is true while the session still holds the
/// migration lock `key`, which a run takes twice: it releases one hold and
/// takes it again (so the lock is never free in between). After a revision
/// released every advisory lock (`pg_advisory_unlock_all()`, `DISCARD
/// ALL`), the release fails and the expression is false.
pub fn lock_check_sql(key: i64) -> String {
    format!("CASE WHEN pg_advisory_unlock({key}) THEN pg_try_advisory_lock({key}) ELSE false END")
}

/// The ids quoted as literals, separated by commas.
fn list(ids: &[&str]) -> String {
    ids.iter()
        .map(|i| quote_literal(i))
        .collect::<Vec<_>>()
        .join(", ")
}

/// An SQL expression of type `bigint` that fails when evaluated, with a
/// cast error whose text is the concatenation of `parts` (SQL expressions).
/// `dep` is a column the expression depends on, so that the planner cannot
/// evaluate it early.
fn fail_sql(parts: &[&str], dep: &str) -> String {
    format!(
        "CAST(concat({}, NULLIF({dep}, {dep})) AS bigint)",
        parts.join(", ")
    )
}

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
///
/// # Examples
///
/// ```
/// use schema_runtime::VersionTable;
///
/// let table = VersionTable { schema: Some("ops".into()), name: "schema_version".into() };
/// assert_eq!(table.table(), r#""ops"."schema_version""#);
/// assert_eq!(table.log_table(), r#""ops"."schema_version_log""#);
/// // Two tables lock independently; one table named with or without its
/// // schema (`public` by default) is one lock.
/// assert_ne!(table.lock_key(), VersionTable::default().lock_key());
/// let public = VersionTable { schema: Some("public".into()), ..VersionTable::default() };
/// assert_eq!(public.lock_key(), VersionTable::default().lock_key());
/// ```
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

    /// The advisory-lock key of this table once its schema is known: derived
    /// from the schema-qualified name, so two version tables in one database
    /// lock independently and a table named with or without its schema is
    /// one lock. `lock_key_sql` computes the same key on the server.
    pub fn lock_key(&self) -> i64 {
        let schema = self.schema.as_deref().unwrap_or("public");
        let text = format!(
            "schema-migrations lock {}.{}",
            quote_ident(schema),
            quote_ident(&self.name)
        );
        let digest = schema_core::checksum(&text);
        i64::from_be_bytes(digest[..8].try_into().expect("8 bytes"))
    }

    /// An SQL expression that names the schema the version table lives in,
    /// as this run resolves it once: the configured schema; else the first
    /// schema of the `search_path` holding a table of that name (temporary
    /// schemas never count); else the first schema of the `search_path`,
    /// where it will be created. NULL when the `search_path` names no
    /// schema that exists.
    pub(crate) fn resolve_schema_sql(&self) -> String {
        if let Some(s) = &self.schema {
            return quote_literal(s);
        }
        let path = "SELECT p.s FROM unnest(current_schemas(false)) WITH ORDINALITY AS p(s, i) \
                    WHERE p.s::regnamespace::oid <> pg_my_temp_schema()";
        format!(
            "coalesce(({path} AND EXISTS (SELECT FROM pg_class c WHERE c.relnamespace = p.s::regnamespace \
             AND c.relname = {n} AND c.relkind IN ('r', 'p')) ORDER BY p.i LIMIT 1), \
             ({path} ORDER BY p.i LIMIT 1))",
            n = quote_literal(&self.name)
        )
    }

    /// The message that starts a run, in one round trip: it resolves the
    /// version table's schema ([`Self::resolve_schema_sql`]), takes the
    /// advisory lock twice (see `lock_check_sql`) within `lock_timeout_ms`,
    /// refuses (when `guard`) a database whose version table is missing
    /// while other tables exist, creates what is missing, and reads the
    /// state ([`Self::lock_state_sql`], or [`Self::state_sql`] with
    /// `whole_log`) and one `SESSION_MARKER` row: the schema, the lock key,
    /// the backend's pid and the channels the session listens on.
    ///
    /// Within the message the `search_path` is the resolved schema alone
    /// (then `pg_catalog`, then `pg_temp`, so no temporary table can stand in
    /// for the version table); the session's own `search_path`,
    /// `lock_timeout` and `client_min_messages` are restored at its end, and
    /// by the server's rollback when a statement fails.
    ///
    /// With `release_if` (the version table's rows and the log's digest when
    /// the database is at the target already), the server compares them
    /// itself and, when they match and no revision is marked interrupted,
    /// releases the lock and restores every setting in the same message:
    /// a run with nothing to do then costs one round trip. The
    /// `SESSION_MARKER` row says so in its `released` column.
    pub(crate) fn lock_message(
        &self,
        lock_timeout_ms: u128,
        guard: bool,
        whole_log: bool,
        release_if: Option<(&[String], &str)>,
    ) -> String {
        let bare = VersionTable {
            schema: None,
            name: self.name.clone(),
        };
        let key = lock_key_sql("current_setting('schema_migrations.schema')", &self.name);
        let create_schema = match &self.schema {
            Some(s) => format!("CREATE SCHEMA IF NOT EXISTS {};\n", quote_ident(s)),
            None => String::new(),
        };
        // Plain SQL rather than a `DO` block, which would be compiled on
        // every run: the cast fails, with the tables in its message, only
        // when the version table is missing and other tables exist.
        let guard = if guard {
            format!(
                "SELECT CASE WHEN to_regclass(format('%I.%I', current_setting('schema_migrations.schema'), {name})) IS NULL \
                 THEN (SELECT CASE WHEN count(*) > 0 THEN CAST(concat('{EXISTING_SCHEMA_MARKER}: ', count(*), ' table(s): ', \
                 string_agg(format('%I.%I', s.nspname, c.relname), ', ' ORDER BY s.nspname, c.relname)) AS int) END \
                 FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace \
                 WHERE c.relkind IN ('r', 'p') AND s.nspname NOT IN ('pg_catalog', 'information_schema') \
                 AND left(s.nspname, 3) <> 'pg_' AND c.relname <> {log}) END;\n",
                name = quote_literal(&self.name),
                log = quote_literal(&format!("{}_log", self.name)),
            )
        } else {
            String::new()
        };
        format!(
            "{LOCK_MESSAGE_START}, \
             set_config('schema_migrations.lock_timeout', current_setting('lock_timeout'), false), \
             set_config('schema_migrations.client_min_messages', current_setting('client_min_messages'), false), \
             set_config('schema_migrations.standard_conforming_strings', current_setting('standard_conforming_strings'), false), \
             set_config('standard_conforming_strings', 'on', false);\n\
             SELECT set_config('schema_migrations.schema', coalesce({resolve}, \
             CAST(concat('{NO_SCHEMA_MARKER}', current_setting('search_path')) AS bigint)::text), false);\n\
             SELECT set_config('search_path', format('%I, pg_catalog, pg_temp', current_setting('schema_migrations.schema')), false), \
             set_config('lock_timeout', '{lock_timeout_ms}ms', false), set_config('client_min_messages', 'warning', false);\n\
             SELECT FROM (SELECT pg_advisory_lock(k), pg_advisory_lock(k) FROM (SELECT {key} AS k) AS key) AS l;\n\
             SELECT set_config('lock_timeout', current_setting('schema_migrations.lock_timeout'), false);\n\
             {guard}{create_schema}{create}{state};\n\
             SELECT set_config('schema_migrations.released', ({release})::text, false);\n\
             SELECT current_setting('schema_migrations.schema') AS {SESSION_MARKER}, {key} AS lock_key, \
             pg_backend_pid() AS pid, array_to_string(ARRAY(SELECT pg_listening_channels()), ', ') AS listening, \
             current_setting('schema_migrations.released') = 'true' AS released;\n\
             SELECT FROM (SELECT CASE WHEN r THEN pg_advisory_unlock(k) END, CASE WHEN r THEN pg_advisory_unlock(k) END \
             FROM (SELECT {key} AS k, current_setting('schema_migrations.released') = 'true' AS r) AS key) AS u;\n\
             SELECT set_config('search_path', current_setting('schema_migrations.search_path'), false), \
             set_config('client_min_messages', current_setting('schema_migrations.client_min_messages'), false), \
             set_config('standard_conforming_strings', CASE WHEN current_setting('schema_migrations.released') = 'true' \
             THEN current_setting('schema_migrations.standard_conforming_strings') ELSE 'on' END, false);\n",
            release = match release_if {
                None => "false".to_owned(),
                Some((rows, digest)) => {
                    let mut rows: Vec<&str> = rows.iter().map(String::as_str).collect();
                    rows.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
                    let list: Vec<String> = rows.iter().map(|r| quote_literal(r)).collect();
                    format!(
                        "(SELECT coalesce(array_agg(version_num::text ORDER BY version_num::text COLLATE \"C\"), '{{}}'::text[]) FROM {t}) \
                         = ARRAY[{list}]::text[] AND NOT EXISTS (SELECT FROM {l} WHERE in_progress IS NOT NULL) \
                         AND NOT EXISTS (SELECT pg_listening_channels()) \
                         AND current_setting('schema_migrations.digest', true) = {digest}",
                        t = bare.table(),
                        l = bare.log_table(),
                        list = list.join(", "),
                        digest = quote_literal(digest),
                    )
                }
            },
            resolve = self.resolve_schema_sql(),
            create = bare.create_sql(),
            state = if whole_log {
                bare.state_sql()
            } else {
                // The digest is computed once, for the state and the
                // release condition.
                format!(
                    "SELECT set_config('schema_migrations.digest', (SELECT {LOG_DIGEST_SQL} FROM {l}), false);\n{}",
                    bare.state_with_digest("current_setting('schema_migrations.digest')"),
                    l = bare.log_table()
                )
            },
        )
    }

    /// Releases the lock a [`Self::lock_message`] took (twice) under `key`.
    ///
    /// It also gives the session back the `search_path` and
    /// `standard_conforming_strings` it had when the run started: a
    /// revision's `SET search_path` would otherwise outlive the run on the
    /// caller's connection, and the run itself turns
    /// `standard_conforming_strings` on (revisions are split, and their
    /// error positions mapped, as the server reads them with it on).
    pub(crate) fn unlock_sql(key: i64) -> String {
        format!(
            "SELECT pg_advisory_unlock({key}), pg_advisory_unlock({key}), set_config('search_path', \
             coalesce(nullif(current_setting('schema_migrations.search_path', true), ''), current_setting('search_path')), false), \
             set_config('standard_conforming_strings', \
             coalesce(nullif(current_setting('schema_migrations.standard_conforming_strings', true), ''), 'on'), false)"
        )
    }

    /// Releases the lock after a [`Self::lock_message`] failed, when its key
    /// is not known: the server computes it again (the failed message's
    /// settings were rolled back, so the schema resolves as it did).
    pub(crate) fn unlock_after_failure_sql(&self) -> String {
        let key = lock_key_sql(&self.resolve_schema_sql(), &self.name);
        format!(
            "SET client_min_messages = error;\nSELECT pg_advisory_unlock(k), pg_advisory_unlock(k) FROM (SELECT {key} AS k) AS key;\n\
             RESET client_min_messages;"
        )
    }

    /// A read-only probe, one row: the resolved schema (NULL when the
    /// `search_path` names none), whether the version table and the log
    /// exist there, and how many other tables the database holds.
    pub(crate) fn probe_sql(&self) -> String {
        format!(
            "SELECT s::text, to_regclass(format('%I.%I', s, {n})) IS NOT NULL AS has_table, \
             to_regclass(format('%I.%I', s, {l})) IS NOT NULL AS has_log, \
             (SELECT count(*) FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace \
             WHERE c.relkind IN ('r', 'p') AND ns.nspname NOT IN ('pg_catalog', 'information_schema') \
             AND left(ns.nspname, 3) <> 'pg_' AND c.relname NOT IN ({n}, {l})) AS other_tables \
             FROM (SELECT {resolve} AS s) AS r",
            n = quote_literal(&self.name),
            l = quote_literal(&format!("{}_log", self.name)),
            resolve = self.resolve_schema_sql(),
        )
    }

    /// The version-table rows alone, as [`Self::state_sql`] returns them
    /// (for a database whose log table does not exist: Alembic's).
    pub(crate) fn current_sql(&self) -> String {
        format!(
            "SELECT 'current'::text AS kind, version_num::text, NULL::text AS checksum, NULL::text AS applied_at, NULL::bigint AS duration_ms, NULL::text AS in_progress FROM {}",
            self.table()
        )
    }

    /// Creates both tables if they are missing (and the schema, if one is set).
    pub(crate) fn create_sql(&self) -> String {
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
    pub(crate) fn state_sql(&self) -> String {
        format!(
            "SELECT 'current'::text AS kind, version_num::text, NULL::text AS checksum, NULL::text AS applied_at, NULL::bigint AS duration_ms, NULL::text AS in_progress FROM {t}\n\
             UNION ALL SELECT 'applied', version_num::text, checksum::text, applied_at::text, duration_ms, in_progress FROM {l}",
            t = self.table(),
            l = self.log_table()
        )
    }

    /// What a run reads under the lock, in the rows of [`Self::state_sql`]:
    /// the version table, the log rows of interrupted steps only, and one
    /// `digest` row (in the `checksum` column: `log_digest` of the whole
    /// log, computed by the server over the columns' bytes as stored, so that
    /// no text is converted or re-measured on the way). A run compares the digest with what the
    /// log should hold, so a database at head costs the same small reply
    /// however long its history; the whole log is read only when they differ.
    pub(crate) fn lock_state_sql(&self) -> String {
        self.state_with_digest(&format!(
            "(SELECT {LOG_DIGEST_SQL} FROM {})",
            self.log_table()
        ))
    }

    /// [`Self::lock_state_sql`] with the digest given by the SQL expression `digest`.
    fn state_with_digest(&self, digest: &str) -> String {
        format!(
            "SELECT 'current'::text AS kind, version_num::text, NULL::text AS checksum, NULL::text AS applied_at, NULL::bigint AS duration_ms, NULL::text AS in_progress FROM {t}\n\
             UNION ALL SELECT 'applied', version_num::text, checksum::text, applied_at::text, duration_ms, in_progress FROM {l} WHERE in_progress IS NOT NULL\n\
             UNION ALL SELECT 'digest', NULL, {digest}, NULL, NULL, NULL",
            t = self.table(),
            l = self.log_table(),
        )
    }

    /// Only the log rows, as [`Self::state_sql`] returns them.
    pub(crate) fn log_sql(&self) -> String {
        format!(
            "SELECT 'applied'::text AS kind, version_num::text, checksum::text, applied_at::text, duration_ms, in_progress FROM {}",
            self.log_table()
        )
    }

    /// Replaces the rows `from` by the rows `to` (either may be empty). One
    /// row for one row is an `UPDATE`, as Alembic does on a linear history.
    pub(crate) fn move_sql(&self, from: &[&str], to: &[&str]) -> String {
        let t = self.table();
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

    /// [`Self::move_sql`] as one statement that fails (see
    /// [`Self::record_step_sql`]) when the table did not hold the rows
    /// `from`, or when `lock_key` is given and the session no longer holds
    /// that lock.
    pub(crate) fn checked_move_sql(
        &self,
        from: &[&str],
        to: &[&str],
        lock_key: Option<i64>,
    ) -> String {
        // Rows in both stay where they are.
        let only_from: Vec<&str> = from.iter().filter(|r| !to.contains(r)).copied().collect();
        let only_to: Vec<&str> = to.iter().filter(|r| !from.contains(r)).copied().collect();
        let (from, to) = (&only_from[..], &only_to[..]);
        let t = self.table();
        let mut ctes = vec!["n AS (SELECT 0::bigint AS us)".to_owned()];
        let mut checks = Vec::new();
        if let Some(key) = lock_key {
            checks.push((format!("NOT {}", lock_check_sql(key)), LOCK_LOST_MARKER));
        }
        if !from.is_empty() {
            ctes.push(format!(
                "removed AS (DELETE FROM {t} WHERE version_num IN ({}) RETURNING 1)",
                list(from)
            ));
            checks.push((
                format!("(SELECT count(*) FROM removed) <> {}", from.len()),
                TABLE_CHANGED_MARKER,
            ));
        }
        if !to.is_empty() {
            let values: Vec<String> = to
                .iter()
                .map(|i| format!("({})", quote_literal(i)))
                .collect();
            ctes.push(format!(
                "added AS (INSERT INTO {t} (version_num) VALUES {})",
                values.join(", ")
            ));
        }
        let mut case = String::from("CASE");
        for (cond, message) in &checks {
            case.push_str(&format!(
                " WHEN {cond} THEN {}",
                fail_sql(&[&quote_literal(message)], "us")
            ));
        }
        case.push_str(" ELSE us END");
        format!("WITH {} SELECT {case} FROM n;\n", ctes.join(",\n"))
    }

    /// Records an applied revision in the log. `duration_ms` is an SQL
    /// expression (the time since the message arrived, online; NULL offline).
    pub(crate) fn log_applied_sql(&self, id: &str, checksum: &str, duration_ms: &str) -> String {
        self.log_applied_many_sql(&[(id, checksum.to_owned(), duration_ms.to_owned())])
    }

    /// Records applied revisions in the log, in one statement:
    /// `(id, checksum, duration_ms)`, the duration an SQL expression.
    pub(crate) fn log_applied_many_sql(&self, entries: &[(&str, String, String)]) -> String {
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
    pub(crate) fn log_started_sql(&self, id: &str, checksum: &str, direction: &str) -> String {
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
    /// `marker` (see `step_marker`).
    ///
    /// It fails, and so rolls back the step's transaction, when the version
    /// table did not hold exactly the rows `from` (something else moved it
    /// under the run: `TABLE_CHANGED_MARKER`), or when `lock_key` is given
    /// and the session no longer holds that lock (`LOCK_LOST_MARKER`).
    ///
    /// Every argument is an SQL expression: a quoted literal, or a parameter
    /// (`$1`) when the statement is prepared.
    pub(crate) fn record_step_sql(&self, record: &Record<'_>) -> String {
        let Record {
            upgrade,
            id,
            checksum,
            from,
            to,
            lock_key,
            marker,
        } = *record;
        let (t, l) = (self.table(), self.log_table());
        let mut ctes = Vec::with_capacity(3);
        let mut checks = Vec::new();
        if let Some(key) = lock_key {
            checks.push((format!("NOT {}", lock_check_sql(key)), LOCK_LOST_MARKER));
        }
        match (from, to) {
            ([], []) => {}
            ([from], [to]) => {
                ctes.push(format!(
                    "moved AS (UPDATE {t} SET version_num = {to} WHERE version_num = {from} RETURNING 1)"
                ));
                checks.push((
                    "(SELECT count(*) FROM moved) <> 1".to_owned(),
                    TABLE_CHANGED_MARKER,
                ));
            }
            _ => {
                if !from.is_empty() {
                    ctes.push(format!(
                        "removed AS (DELETE FROM {t} WHERE version_num IN ({}) RETURNING 1)",
                        from.join(", ")
                    ));
                    checks.push((
                        format!("(SELECT count(*) FROM removed) <> {}", from.len()),
                        TABLE_CHANGED_MARKER,
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
        let mut case = String::from("CASE");
        for (cond, message) in &checks {
            case.push_str(&format!(
                " WHEN {cond} THEN {}",
                fail_sql(
                    &[&quote_literal(&format!("{message} (recording ")), id, "')'"],
                    "us"
                )
            ));
        }
        if checks.is_empty() {
            case = "us".to_owned();
        } else {
            case.push_str(" ELSE us END");
        }
        // The step's duration is read once, before the clock restarts: the
        // data-modifying CTEs run after the outer query, and read the same
        // materialised value. A revision that ran `RESET ALL` cleared the
        // clock: its duration is then counted from the message's arrival.
        format!(
            "WITH elapsed AS MATERIALIZED (SELECT ((extract(epoch FROM clock_timestamp())::numeric \
             - coalesce(nullif(current_setting('{STEP_START}', true), '')::numeric, \
             extract(epoch FROM statement_timestamp())::numeric)) * 1000000)::bigint AS us),\n{}\n\
             SELECT {case} AS {marker}, {} FROM elapsed",
            ctes.join(",\n"),
            start_clock(),
        )
    }

    /// Removes the mark of a non-transactional step whose first statement
    /// failed (nothing of it ran): on an upgrade the log row the mark
    /// created, on a downgrade only the mark.
    pub(crate) fn log_unmark_sql(&self, id: &str, upgrade: bool) -> String {
        if upgrade {
            format!(
                "DELETE FROM {} WHERE version_num = {} AND in_progress IS NOT NULL;\n",
                self.log_table(),
                quote_literal(id)
            )
        } else {
            format!(
                "UPDATE {} SET in_progress = NULL WHERE version_num = {};\n",
                self.log_table(),
                quote_literal(id)
            )
        }
    }

    /// Clears every interruption mark (when the user resumes).
    pub(crate) fn clear_marks_sql(&self) -> String {
        format!(
            "UPDATE {} SET in_progress = NULL WHERE in_progress IS NOT NULL;\n",
            self.log_table()
        )
    }

    /// Removes a reverted revision from the log.
    pub(crate) fn log_reverted_sql(&self, id: &str) -> String {
        self.log_reverted_many_sql(&[id])
    }

    /// Removes reverted revisions from the log, in one statement.
    pub(crate) fn log_reverted_many_sql(&self, ids: &[&str]) -> String {
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
/// `VersionTable::lock_state_sql` has the server compute it: SHA-256, in
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
