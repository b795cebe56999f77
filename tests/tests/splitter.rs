//! The statement splitter against the server it must agree with, and the
//! chain check's refusals as the run-time loader reports them.
//!
//! The differential test builds random scripts from the lexical pieces that
//! decide where a statement ends (strings of every kind and their
//! continuations, dollar quotes, quoted identifiers, nested comments,
//! operators next to comments, `BEGIN ATOMIC` bodies, rule actions in
//! parentheses), sends each script to PostgreSQL as one simple query, and
//! checks that sending the splitter's statements one by one gives the same
//! results in the same order, and the same error at the same position.

mod common;

use common::*;
use futures_util::TryStreamExt;
use schema_core::sql::split_statements;
use schema_core::ErrorKind;
use schema_runtime::{MigrateError, Migrator};
use sqlx::postgres::{PgDatabaseError, PgErrorPosition};
use sqlx::AssertSqlSafe;
use sqlx::{Either, PgConnection, Row};

/// What may stand between two tokens: whitespace and comments, some holding
/// `;`, quotes or `$`.
const GAPS: &[&str] = &[
    " ",
    "  ",
    "\n",
    "\t",
    " -- a; 'b' $$ \"c\n",
    "--;\n",
    " /* ; */ ",
    "/* a /* nested; */ ' */",
    "/*/ ; */",
    "/* ** */",
    " -- carriage return;\r",
    "\n-- line; comment\n  ",
];

/// Expressions built from the lexical pieces that decide where a string,
/// identifier or comment ends.
const EXPRESSIONS: &[&str] = &[
    "'a;b'",
    "'it''s; fine'",
    "''",
    "'é; ü'",
    "'back\\slash'",
    "E'\\';\\\\'",
    "e'\\\\'",
    "E'a\\'\\'; b'",
    "E'\\x41;\\101'",
    "'a'\n'; b'",
    "E'\\''\n  '\\'; c'",
    "'a' -- x;\n'b;'",
    "E'x' --;\n--; y\n'\\'\\';'",
    "U&'d\\0061;'",
    "U&'d!0061;' UESCAPE '!'",
    "B'101'",
    "X'1F'",
    "b'0'",
    "x'aB'",
    "N'n;'",
    "$$a;b$$",
    "$t$ $$ ; $t$",
    "$_1$;$_$;$_1$",
    "$é$;'$é$",
    "$a$ $ab$ ; $a$",
    "1.5e3",
    ".5",
    "1e-3",
    "2 +/* ; */ 1",
    "3 */* ; */ 2",
    "4 --;\n - 1",
    "5 /-- ;\n 5",
    "6-/* ; */-1",
    "7 - -1",
    "CASE WHEN true THEN 'x;' END",
    "(SELECT 1 AS \"a;\"\"b\")",
    "(SELECT 1 AS U&\"x\\0061;\")",
    "(SELECT 1 AS a$$b$$)",
    "ARRAY[1, 2]",
    "'{1}'::int[]",
];

/// Column labels.
const LABELS: &[&str] = &[
    "",
    " AS x",
    " AS \"c;\"",
    " AS \"c\"\";\"",
    " AS a$$b",
    " AS x$y$",
    " AS U&\"!0061;\" UESCAPE '!'",
    " AS end",
    " AS begin",
    " atomic",
];

/// How a function or procedure is created.
const CREATE_ROUTINE: &[&str] = &[
    "CREATE",
    "create or replace",
    "CREATE\n  OR /* ; */ REPLACE",
];

/// Builds random scripts.
struct Gen {
    rng: Rng,
    /// Names functions and rules so that statements differ.
    counter: usize,
}

impl Gen {
    fn gap(&mut self) -> &'static str {
        if self.rng.chance(2) {
            " "
        } else {
            self.rng.pick(GAPS)
        }
    }

    /// `SELECT n, <pieces>...`: a statement whose rows name it.
    fn select(&mut self, n: usize) -> String {
        let mut s = format!("SELECT{}{n}", self.gap());
        for _ in 0..self.rng.below(3) {
            let expr = self.rng.pick(EXPRESSIONS);
            let label = self.rng.pick(LABELS);
            let gap = self.gap();
            s.push_str(&format!(",{gap}{expr}{label}"));
        }
        s
    }

    fn statement(&mut self, n: usize) -> String {
        self.counter += 1;
        let k = self.counter;
        match self.rng.below(10) {
            0 | 1 => {
                let mut body = String::new();
                for _ in 0..self.rng.below(3) {
                    let inner = self.select(n);
                    body.push_str(&format!("{inner};{}", self.gap()));
                }
                let end = self.rng.pick(&["END", "end", "End"]);
                let case = self.rng.pick(&[
                    "",
                    "SELECT CASE WHEN true THEN 1 END AS end; ",
                    "SELECT 1 end; ",
                ]);
                let create = self.rng.pick(CREATE_ROUTINE);
                format!(
                    "{create} FUNCTION pg_temp.f{k}() RETURNS int LANGUAGE sql{}BEGIN ATOMIC{}{body}{case}SELECT {n};{}{end}",
                    self.gap(),
                    self.gap(),
                    self.gap()
                )
            }
            2 => format!(
                "{} PROCEDURE pg_temp.p{k}() LANGUAGE sql BEGIN ATOMIC{}END",
                self.rng.pick(CREATE_ROUTINE),
                self.gap()
            ),
            3 => {
                let body = self.rng.pick(&[
                    "$$ BEGIN PERFORM 1; END $$",
                    "$do$ BEGIN PERFORM ';'; END $do$",
                    "'BEGIN PERFORM ''a;''; END'",
                    "E'BEGIN PERFORM \\';\\'; END'",
                ]);
                format!("DO{}{body}", self.gap())
            }
            4 => format!(
                "CREATE RULE r{k} AS ON INSERT TO splitter_t DO ALSO ({};{}NOTIFY splitter)",
                self.select(n),
                self.gap()
            ),
            _ => self.select(n),
        }
    }

    /// A script of 1 to 5 statements; with `fail`, one of them fails, with
    /// a syntax error or an error the server places in the statement.
    fn script(&mut self, fail: bool) -> String {
        let count = 1 + self.rng.below(5);
        let failing = fail.then(|| self.rng.below(count));
        let mut s = String::new();
        if self.rng.chance(3) {
            s.push_str(self.gap());
        }
        for n in 0..count {
            if failing == Some(n) {
                let bad = self.rng.pick(&[
                    "SELECT 'é;', missing_column",
                    "SELECT 1 FROM FROM",
                    "SELECT $$;$$ + 'x'::int",
                ]);
                s.push_str(bad);
            } else {
                let st = self.statement(n);
                s.push_str(&st);
            }
            let last = n + 1 == count;
            if !last || self.rng.chance(2) {
                s.push(';');
            }
            if !last || self.rng.chance(3) {
                s.push_str(
                    self.rng
                        .pick(&[" ", "\n", ";", "\n-- only a comment;\n", ";;\n"]),
                );
                s.push_str(self.gap());
            }
        }
        s
    }
}

/// What the server returned for a query: one entry per row and one per
/// completed statement, in order.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    results: Vec<String>,
    /// The error's code and position (1-based, in characters), if it failed.
    error: Option<(String, Option<usize>)>,
}

async fn simple_query(conn: &mut PgConnection, sql: &str) -> Outcome {
    let mut results = Vec::new();
    let mut stream = sqlx::raw_sql(AssertSqlSafe(sql)).fetch_many(&mut *conn);
    let error = loop {
        match stream.try_next().await {
            Ok(Some(Either::Left(done))) => results.push(format!("done {}", done.rows_affected())),
            Ok(Some(Either::Right(row))) => {
                let cols: Vec<String> = (0..row.len())
                    .map(|i| {
                        row.try_get_unchecked::<Option<String>, _>(i)
                            .expect("text value")
                            .unwrap_or_else(|| "NULL".into())
                    })
                    .collect();
                results.push(format!("row {}", cols.join("|")));
            }
            Ok(None) => break None,
            Err(sqlx::Error::Database(e)) => {
                let e = e.downcast_ref::<PgDatabaseError>();
                let position = match e.position() {
                    Some(PgErrorPosition::Original(p)) => Some(p),
                    _ => None,
                };
                break Some((e.code().to_owned(), position));
            }
            Err(e) => panic!("{e}"),
        }
    };
    Outcome { results, error }
}

/// Runs `script` whole, then statement by statement as the splitter cuts it,
/// each run in a transaction rolled back after it, and panics (naming the
/// seed) where the two differ.
async fn check_agreement(conn: &mut PgConnection, seed: u64, script: &str) {
    sqlx::raw_sql("BEGIN").execute(&mut *conn).await.unwrap();
    let whole = simple_query(conn, script).await;
    sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await.unwrap();
    if std::env::var_os("SPLITTER_STATS").is_some() {
        eprintln!("{seed}\t{:?}\t{}", whole.error, whole.results.len());
    }
    let statements = split_statements(script);
    sqlx::raw_sql("BEGIN").execute(&mut *conn).await.unwrap();
    let mut results = Vec::new();
    let mut error = None;
    for st in &statements {
        assert!(
            script[st.offset..].starts_with(st.text),
            "seed {seed}: offset"
        );
        let one = simple_query(conn, st.text).await;
        if one.error.is_none() {
            let completed = one.results.iter().filter(|r| r.starts_with("done")).count();
            assert_eq!(
                completed, 1,
                "seed {seed}: the splitter's statement {:?} of {script:?} holds {completed} statements",
                st.text
            );
        }
        results.extend(one.results);
        if let Some((code, position)) = one.error {
            let before = script[..st.offset].chars().count();
            error = Some((code, position.map(|p| before + p)));
            break;
        }
    }
    sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await.unwrap();
    match &whole.error {
        // A syntax error stops the whole script before anything runs.
        Some((code, _)) if code == "42601" => assert_eq!(
            error, whole.error,
            "seed {seed}: syntax error of {script:?} placed differently\nstatements: {statements:#?}"
        ),
        _ => assert_eq!(
            Outcome { results, error },
            whole,
            "seed {seed}: {script:?} split into {statements:#?}"
        ),
    }
}

#[tokio::test]
async fn the_splitter_cuts_where_the_server_does_on_generated_scripts() {
    let (_url, mut conn) = fresh_db().await;
    sqlx::raw_sql("CREATE TEMP TABLE splitter_t (a int)")
        .execute(&mut conn)
        .await
        .unwrap();
    for seed in 0..400u64 {
        let mut gen = Gen {
            rng: Rng(seed),
            counter: 0,
        };
        let fail = gen.rng.chance(4);
        let script = gen.script(fail);
        check_agreement(&mut conn, seed, &script).await;
    }
}

#[tokio::test]
async fn the_splitter_cuts_where_the_server_does_on_hand_written_edge_cases() {
    let (_url, mut conn) = fresh_db().await;
    sqlx::raw_sql("CREATE TEMP TABLE splitter_t (a int)")
        .execute(&mut conn)
        .await
        .unwrap();
    for script in [
        // An E string continued on the next line keeps its escapes.
        "SELECT E'a'\n'\\'; SELECT 1; --'; SELECT 2;",
        // A `$` inside an identifier opens no dollar quote.
        "SELECT 1 AS a$$b$$; SELECT 2;",
        // `END` as a label inside a body does not close it.
        "CREATE FUNCTION pg_temp.e() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1 AS end; SELECT 2 end; END; SELECT pg_temp.e();",
        // `CASE ... END` inside a body.
        "CREATE FUNCTION pg_temp.n() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; END; SELECT 3",
        // A body inside a body: the grammar reads it, the server then refuses it.
        "CREATE FUNCTION pg_temp.o() RETURNS int LANGUAGE sql BEGIN ATOMIC CREATE FUNCTION pg_temp.i() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; SELECT 2; END; SELECT 3",
        // A number before a dollar quote: a syntax error, at the same place.
        "SELECT 1; SELECT 1$a$;$a$; SELECT 2",
        // A rule's actions in parentheses.
        "CREATE RULE r AS ON INSERT TO splitter_t DO ALSO (NOTIFY a; NOTIFY b); INSERT INTO splitter_t VALUES (1);",
        // A comment closed by the first `*/`, and one ended by a carriage return.
        "SELECT 1 /*/ ; */; SELECT 2 -- x\r; SELECT 3",
    ] {
        check_agreement(&mut conn, 0, script).await;
    }
}

/// A chain whose second revision commits part of itself.
fn committing_chain(options: &str) -> Vec<Rev<'_>> {
    vec![
        rev("r1", "CREATE TABLE t (id int);", "DROP TABLE t;"),
        Rev {
            id: "r2",
            up: "INSERT INTO t VALUES (1);\nCOMMIT;\nSELECT * FROM missing;",
            down: Some("DELETE FROM t;"),
            options,
        },
    ]
}

#[test]
fn loading_a_transactional_revision_that_commits_is_refused_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    write_chain(dir.path(), &committing_chain(""));
    let err = Migrator::load(dir.path(), "migrations").unwrap_err();
    let MigrateError::Load(d) = &err else {
        panic!("{err}")
    };
    assert_eq!(
        d.kinds(),
        [&ErrorKind::TransactionControl {
            section: "upgrade",
            statement: "COMMIT".into()
        }]
    );
    // Five header lines, a blank, the marker: the INSERT is on line 8.
    let at = &d.0[0].locations[0];
    assert_eq!(
        (at.path.as_str(), at.line, at.text.as_deref()),
        ("migrations/r2.sql", 9, Some("COMMIT;"))
    );
    assert!(d.0[0].help.contains("`-- Options: non-transactional`"));
}

#[tokio::test]
async fn the_same_revision_declared_non_transactional_runs_its_own_commit() {
    let (_url, mut conn) = fresh_db().await;
    let dir = tempfile::tempdir().unwrap();
    write_chain(dir.path(), &committing_chain("non-transactional"));
    let m =
        Migrator::load(dir.path(), "migrations").expect("a non-transactional revision may commit");
    let err = m.upgrade(&mut conn, "head").await.unwrap_err();
    // Statement by statement: the insert and the commit ran, the select failed.
    assert!(
        err.to_string().contains("\"missing\" does not exist"),
        "{err}"
    );
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM t")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(rows, 1);
}

#[test]
fn loading_a_revision_that_turns_standard_conforming_strings_off_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_chain(
        dir.path(),
        &[Rev {
            id: "r1",
            up: "SET standard_conforming_strings = off;\nSELECT 'a\\';",
            down: None,
            options: "irreversible, non-transactional",
        }],
    );
    let err = Migrator::load(dir.path(), "migrations").unwrap_err();
    let MigrateError::Load(d) = &err else {
        panic!("{err}")
    };
    assert_eq!(
        d.kinds(),
        [&ErrorKind::LexingSetting {
            setting: "standard_conforming_strings",
            statement: "SET standard_conforming_strings = off".into()
        }]
    );
    // Six header lines (one for the options), a blank, the marker.
    assert_eq!(d.0[0].locations[0].line, 9);
}
