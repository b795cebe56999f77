//! The fixpoint property of autogenerate: for two schemas `a` and `b` read
//! from real databases, running `diff(a, b)` on a database at `a` gives a
//! database whose catalog is `b` (column order aside), and running
//! `diff(b, a)` on it gives `a` back.
//!
//! Checked over every consecutive pair of revisions of the reference chain
//! and of two public histories (OpenMeter's 206 and ZKsync Era's 269 sqlx
//! migrations, pinned under `corpus/histories/`); from an empty database to
//! the last schema of each of those three, in one plan; and over a few
//! hundred random changes to a schema that holds every kind of object
//! autogenerate handles.

mod common;

use common::Rng;

use std::path::Path;

use schema_runtime::autogen::{diff, Plan};
use schema_runtime::catalog::{Catalog, SchemaDiff};
use schema_runtime::testing::TestDatabase;
use schema_runtime::{Migrator, VersionTable};
use sqlx::PgConnection;

schema_runtime::migrations!("../migrations");

async fn read(conn: &mut PgConnection) -> Catalog {
    Catalog::read(conn, &VersionTable::default()).await.unwrap()
}

/// Runs `plan` as a revision would run: one transaction, or statement by
/// statement when it is non-transactional. Panics with the plan and the
/// server's message when it fails.
async fn run(conn: &mut PgConnection, plan: &Plan, what: &str) {
    let result = if plan.non_transactional {
        let mut r = Ok(());
        for step in &plan.steps {
            r = sqlx::raw_sql(sqlx::AssertSqlSafe(step.sql.as_str()))
                .execute(&mut *conn)
                .await
                .map(drop);
            if r.is_err() {
                break;
            }
        }
        r
    } else {
        let r = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "BEGIN;\n{}COMMIT;",
            plan.sql()
        )))
        .execute(&mut *conn)
        .await
        .map(drop);
        if r.is_err() {
            let _ = sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await;
        }
        r
    };
    if let Err(e) = result {
        panic!("{what}: the plan fails: {e}\n{}", plan.sql());
    }
}

/// How two catalogs differ, column order aside.
fn differences(expected: &Catalog, found: &Catalog) -> SchemaDiff {
    expected
        .ignoring_column_order()
        .diff(&found.ignoring_column_order())
}

/// Takes `conn`, at `a`, to `b` by `diff(a, b)` and back by `diff(b, a)`,
/// checking the catalog after each. Returns whether there was anything to do.
async fn round_trip(conn: &mut PgConnection, a: &Catalog, b: &Catalog, what: &str) -> bool {
    let up = diff(a, b);
    run(conn, &up, &format!("{what}, upgrade")).await;
    let now = read(conn).await;
    let d = differences(b, &now);
    assert!(
        d.is_empty(),
        "{what}: after the upgrade:\n{}\nplan:\n{}",
        d,
        up.sql()
    );
    let down = diff(b, a);
    run(conn, &down, &format!("{what}, downgrade")).await;
    let now = read(conn).await;
    let d = differences(a, &now);
    assert!(
        d.is_empty(),
        "{what}: after the downgrade:\n{}\nplan:\n{}",
        d,
        down.sql()
    );
    !up.is_empty()
}

/// Follows a chain of schemas: `steps` takes the reference database one
/// step further and returns false when there is none; the follower is taken
/// through each pair by autogenerate alone.
async fn follow(
    reference: &mut PgConnection,
    follower: &mut PgConnection,
    name: &str,
    mut step: impl FnMut(usize) -> Option<String>,
) -> usize {
    let mut before = read(reference).await;
    assert!(differences(&before, &read(follower).await).is_empty());
    let mut changed = 0;
    let mut i = 0;
    while let Some(sql) = step(i) {
        apply_script(reference, &sql).await;
        let after = read(reference).await;
        if round_trip(follower, &before, &after, &format!("{name} step {i}")).await {
            changed += 1;
        }
        // Forward again, to the next pair's starting point.
        run(follower, &diff(&before, &after), name).await;
        before = after;
        i += 1;
    }
    changed
}

/// Builds `whole` on an empty database in one plan, and takes it away again:
/// the fixpoint from nothing, as a new project's first revision would be.
async fn from_empty(whole: &Catalog, what: &str) {
    let db = TestDatabase::empty().await.unwrap();
    let mut conn = db.connect().await.unwrap();
    let empty = read(&mut conn).await;
    assert!(
        round_trip(&mut conn, &empty, whole, &format!("{what} from empty")).await,
        "{what}: there was nothing to build"
    );
}

/// Runs a migration script the way its own tool would: as one message, or
/// statement by statement when it cannot run in a transaction.
async fn apply_script(conn: &mut PgConnection, sql: &str) {
    let lower = sql.to_ascii_lowercase();
    if lower.starts_with("-- no-transaction") || lower.contains("concurrently") {
        for s in schema_runtime::core::sql::split_statements(sql) {
            sqlx::raw_sql(sqlx::AssertSqlSafe(s.text))
                .execute(&mut *conn)
                .await
                .unwrap();
        }
    } else {
        sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(&mut *conn)
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn every_revision_of_the_reference_chain_is_regenerated_from_its_neighbours() {
    let reference = TestDatabase::empty().await.unwrap();
    let follower = TestDatabase::empty().await.unwrap();
    let mut r = reference.connect().await.unwrap();
    let mut f = follower.connect().await.unwrap();
    let m = Migrator::new(&migrations::SET);
    let mut before = read(&mut r).await;
    let mut changed = 0;
    for rev in migrations::SET.revisions() {
        m.upgrade(&mut r, "+1").await.unwrap();
        let after = read(&mut r).await;
        if round_trip(&mut f, &before, &after, &rev.id).await {
            changed += 1;
        }
        run(&mut f, &diff(&before, &after), &rev.id).await;
        before = after;
    }
    // Every SQL revision changes the schema; the Rust head moves data only.
    assert_eq!(changed, migrations::SET.len() - 1);
}

#[tokio::test]
async fn the_reference_head_is_built_from_an_empty_database_and_taken_away_again() {
    let db = TestDatabase::empty().await.unwrap();
    let mut conn = db.connect().await.unwrap();
    Migrator::new(&migrations::SET)
        .upgrade(&mut conn, "head")
        .await
        .unwrap();
    from_empty(&read(&mut conn).await, "the reference head").await;
}

#[tokio::test]
async fn an_enum_value_used_in_the_same_plan_makes_it_non_transactional_and_it_reaches_the_fixpoint(
) {
    let a_db = TestDatabase::empty().await.unwrap();
    let b_db = TestDatabase::empty().await.unwrap();
    let mut a_conn = a_db.connect().await.unwrap();
    let mut b_conn = b_db.connect().await.unwrap();
    apply_script(
        &mut a_conn,
        "CREATE TYPE state AS ENUM ('new', 'done'); CREATE TABLE job (s state DEFAULT 'new');",
    )
    .await;
    apply_script(
        &mut b_conn,
        "CREATE TYPE state AS ENUM ('new', 'running', 'done'); \
         CREATE TABLE job (s state DEFAULT 'running', CHECK (s <> 'done'));",
    )
    .await;
    let (a, b) = (read(&mut a_conn).await, read(&mut b_conn).await);
    let up = diff(&a, &b);
    assert!(up.non_transactional, "{}", up.sql());
    assert!(!up.sql().contains("SET LOCAL"), "{}", up.sql());
    assert!(round_trip(&mut a_conn, &a, &b, "enum value used at once").await);
}

/// Follows a public history of sqlx migrations (`*.up.sql`, in name order)
/// under `corpus/histories/<name>`, then builds its last schema from empty
/// in one plan; returns how many migrations changed the schema.
async fn follow_history(name: &str) -> (usize, usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus/histories")
        .join(name);
    let mut ups: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".up.sql"))
        .collect();
    ups.sort();
    let reference = TestDatabase::empty().await.unwrap();
    let follower = TestDatabase::empty().await.unwrap();
    let mut r = reference.connect().await.unwrap();
    let mut f = follower.connect().await.unwrap();
    let changed = follow(&mut r, &mut f, name, |i| {
        ups.get(i).map(|p| std::fs::read_to_string(p).unwrap())
    })
    .await;
    from_empty(&read(&mut r).await, name).await;
    (changed, ups.len())
}

#[tokio::test]
async fn every_migration_of_openmeter_is_regenerated_from_its_neighbours() {
    let (changed, total) = follow_history("openmeter").await;
    assert!(
        total > 200 && changed > 100,
        "{changed} of {total} migrations changed the schema"
    );
}

#[tokio::test]
async fn every_migration_of_zksync_era_is_regenerated_from_its_neighbours() {
    let (changed, total) = follow_history("zksync-era").await;
    assert!(
        total > 200 && changed > 100,
        "{changed} of {total} migrations changed the schema"
    );
}

/// A schema with one or more of every kind of object autogenerate handles.
const BASE: &str = r#"
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('calm', 'busy', 'angry');
CREATE DOMAIN app.positive AS integer CHECK (VALUE > 0);
CREATE TYPE app.pair AS (x integer, y integer);
CREATE SEQUENCE app.tickets START 100 INCREMENT 5;
CREATE TABLE app.parent (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    mood app.mood DEFAULT 'calm',
    score integer,
    note text,
    created timestamptz DEFAULT now()
);
COMMENT ON TABLE app.parent IS 'parents';
CREATE TABLE app.child (
    id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    parent_id bigint REFERENCES app.parent (id),
    label varchar(40),
    qty app.positive,
    extra text,
    CONSTRAINT child_label_len CHECK (length(label) > 0)
);
CREATE INDEX child_parent_idx ON app.child (parent_id);
CREATE INDEX parent_calm ON app.parent (id) WHERE mood = 'calm';
ALTER TABLE app.parent ADD CONSTRAINT parent_not_angry_without_score CHECK (mood <> 'angry' OR score IS NOT NULL);
CREATE TABLE app.events (
    id serial PRIMARY KEY,
    at timestamptz NOT NULL,
    payload jsonb,
    tags text[]
);
CREATE VIEW app.parent_names AS SELECT id, name FROM app.parent;
CREATE VIEW app.busy_parents AS SELECT id FROM app.parent_names WHERE id > 10;
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.created := now(); RETURN NEW; END $$;
CREATE TRIGGER parent_touch BEFORE UPDATE ON app.parent FOR EACH ROW EXECUTE FUNCTION app.touch();
CREATE FUNCTION app.double(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x * 2';
"#;

/// The changes a random case picks from: each is SQL run on a database at
/// `BASE` (`{n}` is replaced by a number unique to the case).
const CHANGES: &[&str] = &[
    "ALTER TABLE app.parent ADD COLUMN c{n} integer",
    "ALTER TABLE app.child ADD COLUMN c{n} text NOT NULL DEFAULT 'x'",
    "ALTER TABLE app.events ADD COLUMN c{n} app.mood[]",
    "ALTER TABLE app.parent ADD COLUMN c{n} numeric(8,2) DEFAULT 1.5",
    "ALTER TABLE app.child ADD COLUMN c{n} bigint GENERATED ALWAYS AS IDENTITY",
    "ALTER TABLE app.parent ADD COLUMN c{n} integer GENERATED ALWAYS AS (score * 2) STORED",
    "ALTER TABLE app.parent DROP COLUMN note",
    "ALTER TABLE app.events DROP COLUMN tags",
    "ALTER TABLE app.parent ALTER COLUMN score TYPE bigint",
    "ALTER TABLE app.child ALTER COLUMN label TYPE varchar(80)",
    "ALTER TABLE app.parent ALTER COLUMN score SET DEFAULT 7",
    "ALTER TABLE app.parent ALTER COLUMN mood DROP DEFAULT",
    "ALTER TABLE app.parent ALTER COLUMN score SET NOT NULL",
    "ALTER TABLE app.events ALTER COLUMN at DROP NOT NULL",
    "ALTER TABLE app.child ALTER COLUMN extra SET DATA TYPE text COLLATE \"C\"",
    "ALTER TABLE app.child RENAME COLUMN extra TO extra{n}",
    "CREATE INDEX i{n} ON app.parent (score) WHERE score > 0",
    "CREATE UNIQUE INDEX i{n} ON app.events (at, id) INCLUDE (payload)",
    "CREATE INDEX i{n} ON app.events USING gin (payload)",
    "DROP INDEX app.child_parent_idx",
    "ALTER INDEX app.child_parent_idx RENAME TO child_parent_idx{n}",
    "ALTER TABLE app.parent ADD CONSTRAINT ck{n} CHECK (score > 0)",
    "ALTER TABLE app.child RENAME CONSTRAINT child_label_len TO child_label_len{n}",
    "ALTER TABLE app.child DROP CONSTRAINT child_label_len",
    "ALTER TABLE app.events ADD CONSTRAINT u{n} UNIQUE (at)",
    "ALTER TABLE app.child DROP CONSTRAINT child_parent_id_fkey, ADD CONSTRAINT child_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES app.parent (id) ON DELETE CASCADE",
    "ALTER TYPE app.mood ADD VALUE 'v{n}' BEFORE 'busy'",
    "ALTER TYPE app.mood ADD VALUE 'v{n}'",
    "ALTER TYPE app.mood RENAME TO mood_old; CREATE TYPE app.mood AS ENUM ('calm', 'angry'); \
     DROP INDEX app.parent_calm; ALTER TABLE app.parent DROP CONSTRAINT parent_not_angry_without_score; \
     ALTER TABLE app.parent ALTER COLUMN mood DROP DEFAULT, ALTER COLUMN mood TYPE app.mood USING mood::text::app.mood, \
     ALTER COLUMN mood SET DEFAULT 'calm'; DROP TYPE app.mood_old; \
     CREATE INDEX parent_calm ON app.parent (id) WHERE mood = 'calm'; \
     ALTER TABLE app.parent ADD CONSTRAINT parent_not_angry_without_score CHECK (mood <> 'angry' OR score IS NOT NULL)",
    "CREATE TYPE app.e{n} AS ENUM ('a', 'b'); ALTER TABLE app.child ADD COLUMN e{n} app.e{n}",
    "ALTER DOMAIN app.positive ADD CONSTRAINT small{n} CHECK (VALUE < 1000000)",
    "ALTER DOMAIN app.positive SET DEFAULT 1",
    "ALTER TYPE app.pair ADD ATTRIBUTE z{n} integer",
    "CREATE SEQUENCE app.s{n}",
    "ALTER SEQUENCE app.tickets INCREMENT 10 MAXVALUE 99999",
    "DROP SEQUENCE app.tickets",
    "CREATE TABLE app.t{n} (id int PRIMARY KEY, parent_id bigint NOT NULL REFERENCES app.parent (id), at date)",
    "CREATE TABLE app.p{n} (id int, at date NOT NULL) PARTITION BY RANGE (at); \
     CREATE TABLE app.p{n}_2026 PARTITION OF app.p{n} FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
    "CREATE TABLE app.q{n} (id int, at date NOT NULL, parent_id bigint REFERENCES app.parent (id), \
     PRIMARY KEY (id, at)) PARTITION BY RANGE (at); CREATE INDEX q{n}_parent ON app.q{n} (parent_id); \
     CREATE TRIGGER q{n}_t BEFORE UPDATE ON app.q{n} FOR EACH ROW EXECUTE FUNCTION app.touch(); \
     CREATE TABLE app.q{n}_2026 PARTITION OF app.q{n} FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')",
    "CREATE TABLE app.kid{n} (toy text, CHECK (toy <> '')) INHERITS (app.parent)",
    "CREATE UNLOGGED TABLE app.u{n} (id int) WITH (fillfactor = 70)",
    "DROP TABLE app.events",
    "ALTER TABLE app.events RENAME TO events{n}",
    "CREATE OR REPLACE VIEW app.parent_names AS SELECT id, name, score FROM app.parent",
    "CREATE VIEW app.v{n} AS SELECT p.id, c.label FROM app.parent p JOIN app.child c ON c.parent_id = p.id",
    "DROP VIEW app.busy_parents",
    "CREATE MATERIALIZED VIEW app.m{n} AS SELECT mood, count(*) AS n FROM app.parent GROUP BY mood; \
     CREATE INDEX m{n}_mood ON app.m{n} (mood)",
    "CREATE OR REPLACE FUNCTION app.double(x integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT x + x'",
    "DROP FUNCTION app.double(integer); CREATE FUNCTION app.double(x integer) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT x * 2'",
    "CREATE FUNCTION app.f{n}(a text, b integer DEFAULT 1) RETURNS SETOF app.parent LANGUAGE sql STABLE AS 'SELECT * FROM app.parent'",
    "CREATE PROCEDURE app.pr{n}(a integer) LANGUAGE sql AS 'SELECT a'",
    "CREATE OR REPLACE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.created := clock_timestamp(); RETURN NEW; END $$",
    "DROP TRIGGER parent_touch ON app.parent",
    "CREATE TRIGGER t{n} AFTER INSERT ON app.child FOR EACH ROW WHEN (NEW.qty IS NOT NULL) EXECUTE FUNCTION app.touch()",
    "ALTER TABLE app.parent DISABLE TRIGGER parent_touch",
    "COMMENT ON COLUMN app.parent.name IS 'the name {n}'",
    "COMMENT ON TABLE app.parent IS NULL",
    "COMMENT ON INDEX app.child_parent_idx IS 'for joins'",
    "COMMENT ON FUNCTION app.double(integer) IS 'twice'",
    "ALTER TABLE app.child ENABLE ROW LEVEL SECURITY; CREATE POLICY own{n} ON app.child FOR SELECT USING (qty > 0)",
    "CREATE SCHEMA s{n}; CREATE TABLE s{n}.t (id int)",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "ALTER TABLE app.child ALTER COLUMN id SET INCREMENT BY 5 SET START WITH 1000",
    "ALTER TABLE app.child ALTER COLUMN id SET MAXVALUE 100000000 SET CACHE 10 SET CYCLE",
    "ALTER TABLE app.child ADD COLUMN c{n} integer GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY -1 MINVALUE -100 MAXVALUE 10)",
    "ALTER TABLE app.parent REPLICA IDENTITY FULL",
    "CREATE UNIQUE INDEX ri{n} ON app.events (id); ALTER TABLE app.events REPLICA IDENTITY USING INDEX ri{n}",
    "ALTER TABLE app.child REPLICA IDENTITY USING INDEX child_pkey",
    "ALTER TABLE app.parent ALTER COLUMN name SET STATISTICS 500, ALTER COLUMN note SET STORAGE EXTERNAL",
    "ALTER TABLE app.parent ALTER COLUMN note SET STORAGE MAIN, ALTER COLUMN score SET STATISTICS 0",
    "CREATE STATISTICS app.st{n} (ndistinct, dependencies) ON mood, score FROM app.parent",
    "CREATE STATISTICS app.st{n} ON lower(name), score FROM app.parent; COMMENT ON STATISTICS app.st{n} IS 'x'",
    "CREATE SCHEMA s{n}; ALTER TABLE app.events SET SCHEMA s{n}",
    "CREATE SCHEMA s{n}; ALTER TABLE app.child SET SCHEMA s{n}; ALTER TABLE s{n}.child RENAME TO kid{n}",
    "CREATE SCHEMA s{n}; ALTER VIEW app.parent_names SET SCHEMA s{n}",
    "CREATE SCHEMA s{n}; ALTER SEQUENCE app.tickets SET SCHEMA s{n}; ALTER SEQUENCE s{n}.tickets RENAME TO t{n}",
    "CREATE SCHEMA s{n}; ALTER FUNCTION app.touch() SET SCHEMA s{n}",
    "CREATE SCHEMA s{n}; ALTER FUNCTION app.double(integer) SET SCHEMA s{n}",
    "CREATE SCHEMA s{n}; ALTER TYPE app.mood SET SCHEMA s{n}",
    "CREATE SCHEMA s{n}; ALTER DOMAIN app.positive SET SCHEMA s{n}",
    "CREATE SCHEMA s{n}; ALTER TYPE app.pair SET SCHEMA s{n}; ALTER TYPE s{n}.pair RENAME TO couple{n}",
    "CREATE RULE r{n} AS ON DELETE TO app.events DO INSTEAD NOTHING",
    "CREATE RULE r{n} AS ON INSERT TO app.parent_names DO INSTEAD \
     INSERT INTO app.parent (id, name) VALUES (NEW.id, NEW.name); COMMENT ON RULE r{n} ON app.parent_names IS 'ins'",
    "ALTER VIEW app.parent_names ALTER COLUMN name SET DEFAULT 'anon'",
    "ALTER TABLE app.parent RENAME COLUMN name TO tmp{n}; ALTER TABLE app.parent RENAME COLUMN note TO name; \
     ALTER TABLE app.parent RENAME COLUMN tmp{n} TO note",
    "ALTER INDEX app.child_parent_idx RENAME TO tmp{n}; ALTER INDEX app.parent_calm RENAME TO child_parent_idx; \
     ALTER INDEX app.tmp{n} RENAME TO parent_calm",
    "COMMENT ON EXTENSION plpgsql IS 'p{n}'",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm; COMMENT ON EXTENSION pg_trgm IS 'trigrams {n}'",
    "COMMENT ON CONSTRAINT positive_check ON DOMAIN app.positive IS 'c{n}'",
    "CREATE STATISTICS app.st{n} ON mood, score FROM app.parent; ALTER STATISTICS app.st{n} SET STATISTICS 300",
];

#[tokio::test]
async fn four_hundred_random_schema_changes_reach_the_fixpoint() {
    let db = TestDatabase::empty().await.unwrap();
    let mut conn = db.connect().await.unwrap();
    apply_script(&mut conn, BASE).await;
    let base = read(&mut conn).await;
    let mut rng = Rng(0x5eed);
    let mut tried = 0;
    for case in 0..400 {
        // 1 to 4 changes, each in a savepoint so that one that conflicts with
        // an earlier one of the same case is left out; the changed schema
        // is read inside the transaction and rolled back.
        let picks: Vec<usize> = (0..1 + rng.below(4))
            .map(|_| rng.below(CHANGES.len()))
            .collect();
        sqlx::raw_sql("BEGIN").execute(&mut conn).await.unwrap();
        let mut applied = Vec::new();
        for (k, &p) in picks.iter().enumerate() {
            let sql = CHANGES[p].replace("{n}", &format!("{case}_{k}"));
            sqlx::raw_sql("SAVEPOINT change")
                .execute(&mut conn)
                .await
                .unwrap();
            match sqlx::raw_sql(sqlx::AssertSqlSafe(sql.clone()))
                .execute(&mut conn)
                .await
            {
                Ok(_) => applied.push(sql),
                Err(_) => {
                    sqlx::raw_sql("ROLLBACK TO SAVEPOINT change")
                        .execute(&mut conn)
                        .await
                        .unwrap();
                }
            }
        }
        let changed = read(&mut conn).await;
        sqlx::raw_sql("ROLLBACK").execute(&mut conn).await.unwrap();
        if applied.is_empty() {
            continue;
        }
        tried += 1;
        let what = format!("case {case} ({})", applied.join("; "));
        assert!(
            !diff(&base, &changed).is_empty(),
            "{what}: the change is seen"
        );
        round_trip(&mut conn, &base, &changed, &what).await;
    }
    assert!(tried > 350, "{tried} cases ran");
}

/// A schema of what real schemas hold and the random base does not: names
/// that need quoting or are a prefix of another, a second schema with the
/// same names, cross-schema references, and the rarer kinds of index,
/// constraint, column, view, routine, trigger and policy.
const ODD_BASE: &str = r#"
CREATE SCHEMA app;
CREATE SCHEMA other;
CREATE TYPE app.mood AS ENUM ('calm', 'busy');
CREATE DOMAIN app."Code" AS text CHECK (VALUE ~ '^[A-Z]+$');
CREATE SEQUENCE app.codes;
CREATE FUNCTION app.next_code() RETURNS text LANGUAGE sql AS $$ SELECT 'C' || nextval('app.codes') $$;
CREATE TABLE app.t (id int PRIMARY KEY, t int, idx int, "Col" text, "order" int, "user" text);
CREATE TABLE app.t2 (id int PRIMARY KEY, t_id int REFERENCES app.t (id) DEFERRABLE INITIALLY DEFERRED, n int);
CREATE TABLE app."CamelTable" ("Id" int PRIMARY KEY, "select" text, "a.b" int, "my col" text, "név" text);
CREATE TABLE app."my table" (id int, b box, moods app.mood[], code app."Code" DEFAULT app.next_code(),
    a int, twice int GENERATED ALWAYS AS (a * 2) STORED, ident int GENERATED ALWAYS AS IDENTITY,
    EXCLUDE USING gist (b WITH &&));
CREATE TABLE app."a.b" (id int);
CREATE TABLE app.parent (id int PRIMARY KEY, name text);
CREATE TABLE other.parent (id int PRIMARY KEY, app_id int REFERENCES app.parent (id));
ALTER TABLE app.parent ADD CONSTRAINT parent_named CHECK (name <> '');
CREATE TABLE app.kid (toy text) INHERITS (app.parent);
ALTER TABLE app.t ADD CONSTRAINT t_pos CHECK (t > 0) NOT VALID;
CREATE INDEX t_lower ON app.t (lower("Col") text_pattern_ops, "order" DESC NULLS FIRST);
CREATE INDEX t_coll ON app.t ("user" COLLATE "C");
CREATE INDEX "Camel_idx" ON app."CamelTable" ("select") WHERE "a.b" > 0;
CREATE TABLE app.pt (id int, at date NOT NULL, parent_id int REFERENCES app.parent (id),
    CHECK (id > 0), PRIMARY KEY (id, at)) PARTITION BY RANGE (at);
CREATE TABLE app.pt_2026 PARTITION OF app.pt FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE VIEW app.tv WITH (security_barrier) AS SELECT t.id, t."Col", t2.id AS t2_id FROM app.t JOIN app.t2 ON t2.t_id = t.id;
CREATE VIEW app.tcheck AS SELECT id, t FROM app.t WHERE t > 0 WITH CHECK OPTION;
CREATE VIEW other.cross AS SELECT o.id, p.name FROM other.parent o JOIN app.parent p ON p.id = o.app_id;
CREATE FUNCTION app.split(x int, OUT lo int, OUT hi int) LANGUAGE sql AS 'SELECT x / 2, x - x / 2';
CREATE FUNCTION app.f(x int) RETURNS int LANGUAGE sql AS 'SELECT x';
CREATE FUNCTION app.f(x text) RETURNS text LANGUAGE sql AS 'SELECT x';
CREATE PROCEDURE app.p(x int) LANGUAGE sql AS 'SELECT x';
CREATE FUNCTION app.g(x int) RETURNS int LANGUAGE sql AS 'SELECT x';
CREATE FUNCTION app.h(x int DEFAULT 2) RETURNS int LANGUAGE sql AS 'SELECT x';
CREATE FUNCTION app.trg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER t_upd BEFORE UPDATE OF "Col", t ON app.t FOR EACH ROW WHEN (OLD."Col" IS DISTINCT FROM NEW."Col") EXECUTE FUNCTION app.trg();
ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Own rows" ON app.t AS PERMISSIVE FOR UPDATE TO public USING (t > 0) WITH CHECK ("order" > 0);
CREATE FUNCTION app.vtrg() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER v_ins INSTEAD OF INSERT ON app.tv FOR EACH ROW EXECUTE FUNCTION app.vtrg();
CREATE TRIGGER t2_upd BEFORE UPDATE OF n ON app.t2 FOR EACH ROW WHEN (OLD.n < NEW.n) EXECUTE FUNCTION app.trg();
CREATE TYPE app."Mood" AS ENUM ('a', 'B c', 'it''s');
CREATE TABLE app.m ("The Mood" app."Mood" DEFAULT 'B c', "Moods" app."Mood"[], CHECK ("The Mood" <> 'it''s'));
CREATE INDEX m_a ON app.m ("The Mood") WHERE "The Mood" = 'a';
CREATE SEQUENCE app."Seq 1";
ALTER TABLE app."CamelTable" ADD COLUMN n bigint DEFAULT nextval('app."Seq 1"');
COMMENT ON TABLE app.t IS 'it''s
two lines';
COMMENT ON COLUMN app."CamelTable"."my col" IS 'a "quoted" col';
COMMENT ON COLUMN app.tcheck.t IS 'on a view''s column';
ALTER TABLE app.t2 REPLICA IDENTITY USING INDEX t2_pkey;
ALTER TABLE app.t2 ALTER COLUMN n SET STATISTICS 200;
CREATE STATISTICS app.t2_stats ON t_id, n FROM app.t2;
CREATE RULE t2_keep AS ON DELETE TO app.t2 DO INSTEAD NOTHING;
ALTER VIEW app.tv ALTER COLUMN "Col" SET DEFAULT 'x';
"#;

/// Changes to [`ODD_BASE`], each tried alone.
const ODD_CHANGES: &[&str] = &[
    "ALTER TABLE app.t RENAME TO t3",
    "ALTER TABLE app.t RENAME TO t2x",
    "ALTER TABLE app.t RENAME TO t_old; ALTER TABLE app.t2 RENAME TO t",
    "ALTER TABLE app.t RENAME TO \"T\"",
    "ALTER TABLE app.parent RENAME TO \"Parent\"",
    "ALTER TABLE app.t2 SET SCHEMA other",
    "ALTER TABLE app.\"CamelTable\" RENAME TO \"Camel Table\"",
    "ALTER TABLE app.\"CamelTable\" RENAME COLUMN \"select\" TO \"from\"",
    "ALTER TABLE app.\"CamelTable\" RENAME COLUMN \"a.b\" TO \"a.c\"",
    "ALTER TABLE app.t RENAME COLUMN \"Col\" TO col",
    "ALTER TABLE app.t RENAME COLUMN t TO t_",
    "ALTER TABLE app.t RENAME COLUMN idx TO \"idx x\"",
    "ALTER TABLE app.\"my table\" RENAME TO \"a.b.c\"",
    "ALTER TABLE app.\"a.b\" RENAME TO \"a\"",
    "ALTER TABLE app.\"a.b\" ADD COLUMN \"a.b\" int",
    "ALTER TABLE app.\"my table\" DROP COLUMN ident",
    "ALTER TABLE app.\"my table\" ALTER COLUMN ident DROP IDENTITY",
    "ALTER TABLE app.\"my table\" ALTER COLUMN a SET DEFAULT 3",
    "ALTER TABLE app.\"my table\" DROP COLUMN twice",
    "ALTER TABLE app.\"my table\" ADD COLUMN thrice int GENERATED ALWAYS AS (a * 3) STORED",
    "ALTER TABLE app.\"my table\" ADD COLUMN \"Ident\" bigint GENERATED BY DEFAULT AS IDENTITY",
    "ALTER TABLE app.t VALIDATE CONSTRAINT t_pos",
    "ALTER TABLE app.t ADD CONSTRAINT \"Check me\" CHECK (\"order\" <> 0) NOT VALID",
    "ALTER TABLE app.t2 ALTER CONSTRAINT t2_t_id_fkey NOT DEFERRABLE",
    "ALTER TABLE app.pt ADD CONSTRAINT pt_pos CHECK (id < 1000)",
    "ALTER TABLE app.pt ADD CONSTRAINT pt_u UNIQUE (parent_id, at)",
    "ALTER TABLE app.\"my table\" ADD EXCLUDE USING gist (b WITH ~=)",
    "DROP INDEX app.t_lower; CREATE INDEX t_lower ON app.t (upper(\"Col\"), \"order\" DESC NULLS FIRST)",
    "CREATE INDEX \"Idx\" ON app.\"CamelTable\" (\"my col\" COLLATE \"C\" DESC, lower(\"név\"))",
    "ALTER INDEX app.t_lower RENAME TO \"T lower\"",
    "ALTER TABLE app.t RENAME CONSTRAINT t_pos TO \"T pos\"",
    "ALTER TRIGGER t_upd ON app.t RENAME TO \"T upd\"",
    "ALTER POLICY \"Own rows\" ON app.t RENAME TO own",
    "DROP POLICY \"Own rows\" ON app.t; CREATE POLICY \"Own rows\" ON app.t FOR ALL TO public USING (true) WITH CHECK (t > 1)",
    "DROP TRIGGER t_upd ON app.t; CREATE TRIGGER t_upd AFTER UPDATE OF \"order\" ON app.t FOR EACH ROW WHEN (OLD.t < NEW.t) EXECUTE FUNCTION app.trg()",
    "CREATE OR REPLACE VIEW app.tv WITH (security_barrier = false) AS SELECT t.id, t.\"Col\", t2.id AS t2_id FROM app.t JOIN app.t2 ON t2.t_id = t.id",
    "CREATE OR REPLACE VIEW app.tcheck WITH (check_option = local) AS SELECT id, t FROM app.t WHERE t > 0",
    "DROP FUNCTION app.f(int); CREATE FUNCTION app.f(y int) RETURNS int LANGUAGE sql AS 'SELECT y'",
    "DROP FUNCTION app.split(int); CREATE FUNCTION app.split(x int, OUT low int, OUT hi int) LANGUAGE sql AS 'SELECT x / 2, x - x / 2'",
    "DROP FUNCTION app.f(int); CREATE PROCEDURE app.f(x int) LANGUAGE sql AS 'SELECT x'",
    "CREATE OR REPLACE FUNCTION app.g(x int DEFAULT 1) RETURNS int LANGUAGE sql AS 'SELECT x'",
    "DROP PROCEDURE app.p(int); CREATE PROCEDURE app.p(INOUT x int) LANGUAGE sql AS 'SELECT x'",
    "DROP VIEW app.tcheck; CREATE VIEW app.tcheck AS SELECT id, t FROM app.t WHERE t > 0",
    "CREATE VIEW other.parent_v AS SELECT * FROM app.parent; CREATE VIEW app.parent_v AS SELECT * FROM other.parent",
    "CREATE TABLE other.t (id int REFERENCES app.t (id)); CREATE INDEX t_lower ON other.t (id)",
    "DROP FUNCTION app.f(text)",
    "CREATE FUNCTION app.f(x int, y int) RETURNS int LANGUAGE sql AS 'SELECT x + y'",
    "CREATE OR REPLACE FUNCTION app.f(x text) RETURNS text LANGUAGE sql AS 'SELECT x || x'",
    "DROP FUNCTION app.split(int); CREATE FUNCTION app.split(x int, OUT lo int, OUT hi int, OUT mid int) LANGUAGE sql AS 'SELECT x / 2, x - x / 2, x'",
    "CREATE OR REPLACE PROCEDURE app.p(x int) LANGUAGE sql AS 'SELECT x + 1'",
    "DROP FUNCTION app.h(int); CREATE FUNCTION app.h(x int) RETURNS int LANGUAGE sql AS 'SELECT x'",
    "CREATE PROCEDURE app.p(x text) LANGUAGE sql AS 'SELECT x'",
    "CREATE FUNCTION app.\"Weird fn\"(\"A\" int) RETURNS int LANGUAGE sql AS 'SELECT 1'",
    "ALTER TYPE app.mood ADD VALUE 'it''s'",
    "ALTER TYPE app.mood RENAME VALUE 'busy' TO 'Busy'",
    "ALTER DOMAIN app.\"Code\" ADD CONSTRAINT \"Short\" CHECK (length(VALUE) < 10)",
    "COMMENT ON TABLE app.t IS 'new ''one''\nwith $$ and \\ too'",
    "COMMENT ON POLICY \"Own rows\" ON app.t IS 'x'",
    "COMMENT ON TRIGGER t_upd ON app.t IS 'x'",
    "COMMENT ON FUNCTION app.f(text) IS 'overload'",
    "COMMENT ON PROCEDURE app.p(int) IS 'proc'",
    "COMMENT ON CONSTRAINT t_pos ON app.t IS 'c'",
    "COMMENT ON INDEX app.\"Camel_idx\" IS 'i'",
    "CREATE SCHEMA \"Other Schema\"; CREATE TABLE \"Other Schema\".\"T\" (id int REFERENCES app.t (id))",
    "ALTER TABLE app.t2 RENAME COLUMN t_id TO \"T_id\"",
    "ALTER TABLE app.\"CamelTable\" ADD COLUMN \"CamelTable\" int",
    "ALTER TABLE app.\"my table\" DROP COLUMN a CASCADE",
    "ALTER TABLE app.\"my table\" DROP COLUMN twice, ADD COLUMN twice int GENERATED ALWAYS AS (a + a) STORED",
    "DROP POLICY \"Own rows\" ON app.t; ALTER TABLE app.t ALTER COLUMN \"order\" TYPE bigint; CREATE POLICY \"Own rows\" ON app.t AS PERMISSIVE FOR UPDATE TO public USING (t > 0) WITH CHECK (\"order\" > 0)",
    "DROP TRIGGER t_upd ON app.t; DROP VIEW app.tv; ALTER TABLE app.t ALTER COLUMN \"Col\" TYPE varchar(50); \
     CREATE VIEW app.tv WITH (security_barrier) AS SELECT t.id, t.\"Col\", t2.id AS t2_id FROM app.t JOIN app.t2 ON t2.t_id = t.id; \
     CREATE TRIGGER v_ins INSTEAD OF INSERT ON app.tv FOR EACH ROW EXECUTE FUNCTION app.vtrg(); \
     CREATE TRIGGER t_upd BEFORE UPDATE OF \"Col\", t ON app.t FOR EACH ROW WHEN (OLD.\"Col\" IS DISTINCT FROM NEW.\"Col\") EXECUTE FUNCTION app.trg()",
    "ALTER TABLE app.\"my table\" DROP COLUMN twice; ALTER TABLE app.\"my table\" ALTER COLUMN a TYPE bigint; ALTER TABLE app.\"my table\" ADD COLUMN twice bigint GENERATED ALWAYS AS (a * 2) STORED",
    "DROP VIEW app.tcheck; DROP POLICY \"Own rows\" ON app.t; ALTER TABLE app.t DROP CONSTRAINT t_pos; DROP TRIGGER t_upd ON app.t; DROP VIEW app.tv; ALTER TABLE app.t ALTER COLUMN t TYPE bigint",
    "DROP TRIGGER t2_upd ON app.t2; ALTER TABLE app.t2 ALTER COLUMN n TYPE bigint; \
     CREATE TRIGGER t2_upd BEFORE UPDATE OF n ON app.t2 FOR EACH ROW WHEN (OLD.n < NEW.n) EXECUTE FUNCTION app.trg()",
    "ALTER TABLE app.\"my table\" ALTER COLUMN ident SET GENERATED BY DEFAULT",
    "ALTER TABLE app.\"my table\" ALTER COLUMN a SET NOT NULL, ALTER COLUMN a ADD GENERATED ALWAYS AS IDENTITY",
    "COMMENT ON VIEW app.tv IS 'v'",
    "COMMENT ON COLUMN app.tv.\"Col\" IS 'vc'",
    "COMMENT ON COLUMN app.tcheck.t IS 'changed'",
    "COMMENT ON TYPE app.mood IS 'm'",
    "COMMENT ON DOMAIN app.\"Code\" IS 'd'",
    "COMMENT ON SEQUENCE app.codes IS 's'",
    "COMMENT ON SCHEMA other IS 'o'",
    "COMMENT ON CONSTRAINT t2_t_id_fkey ON app.t2 IS 'fk'",
    "COMMENT ON COLUMN app.\"my table\".twice IS 'g'",
    "COMMENT ON TRIGGER v_ins ON app.tv IS 'on a view'",
    "ALTER TABLE app.t FORCE ROW LEVEL SECURITY",
    "ALTER TABLE app.t DISABLE ROW LEVEL SECURITY",
    "CREATE POLICY r ON app.t AS RESTRICTIVE TO CURRENT_USER USING (true)",
    "ALTER VIEW app.tv SET (security_invoker = true)",
    "ALTER VIEW app.tv RENAME TO \"TV\"",
    "ALTER VIEW app.tv RENAME COLUMN t2_id TO \"T2 id\"",
    "CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON app.t2 DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION app.trg()",
    "DROP INDEX app.m_a; ALTER TABLE app.m DROP CONSTRAINT \"m_The Mood_check\"; ALTER TYPE app.\"Mood\" RENAME TO \"Mood_x\"; \
     CREATE TYPE app.\"Mood\" AS ENUM ('it''s', 'a', 'B c'); \
     ALTER TABLE app.m ALTER COLUMN \"The Mood\" DROP DEFAULT, ALTER COLUMN \"The Mood\" TYPE app.\"Mood\" USING \"The Mood\"::text::app.\"Mood\", \
     ALTER COLUMN \"The Mood\" SET DEFAULT 'B c', ALTER COLUMN \"Moods\" TYPE app.\"Mood\"[] USING \"Moods\"::text[]::app.\"Mood\"[]; \
     DROP TYPE app.\"Mood_x\"; CREATE INDEX m_a ON app.m (\"The Mood\") WHERE \"The Mood\" = 'a'; \
     ALTER TABLE app.m ADD CHECK (\"The Mood\" <> 'it''s')",
    "ALTER TYPE app.\"Mood\" ADD VALUE 'D e' BEFORE 'B c'",
    "ALTER TABLE app.pt DETACH PARTITION app.pt_2026",
    "CREATE TABLE app.pt_default PARTITION OF app.pt DEFAULT",
    "ALTER TABLE app.kid NO INHERIT app.parent",
    "CREATE TABLE app.kid2 (LIKE app.parent INCLUDING ALL); ALTER TABLE app.kid2 INHERIT app.parent",
    "CREATE TABLE app.pt_2027 (LIKE app.pt_2026 INCLUDING ALL); ALTER TABLE app.pt ATTACH PARTITION app.pt_2027 FOR VALUES FROM ('2027-01-01') TO ('2028-01-01')",
    "CREATE SEQUENCE app.\"Seq\" OWNED BY app.\"CamelTable\".\"select\"",
    "ALTER SEQUENCE app.\"Seq 1\" RENAME TO \"Seq 2\"",
    "ALTER SCHEMA other RENAME TO \"Other\"",
    "ALTER TABLE app.t RENAME TO t3; ALTER TABLE app.t3 RENAME COLUMN \"Col\" TO col",
    "ALTER TABLE app.\"CamelTable\" ADD COLUMN codes app.\"Code\"[]",
    "ALTER TABLE app.t2 DROP CONSTRAINT t2_t_id_fkey, ADD FOREIGN KEY (t_id) REFERENCES app.t (id) ON DELETE SET NULL (t_id) NOT VALID",
    "CREATE INDEX ON app.t (app.f(t))",
    "CREATE TABLE app.\"ab\" (id int); CREATE TABLE other.\"a.b\" (id int REFERENCES app.t2 (id))",
    "ALTER TABLE app.\"my table\" ALTER COLUMN ident SET INCREMENT BY 3 SET MINVALUE -5 SET START WITH 7",
    "ALTER TABLE app.\"my table\" ALTER COLUMN ident SET INCREMENT BY -1 SET NO MINVALUE SET NO MAXVALUE SET START WITH -1 RESTART",
    "ALTER TABLE app.\"CamelTable\" REPLICA IDENTITY USING INDEX \"CamelTable_pkey\"",
    "ALTER TABLE app.t REPLICA IDENTITY NOTHING",
    "ALTER TABLE app.t2 REPLICA IDENTITY FULL",
    "ALTER TABLE app.t2 RENAME TO t2_renamed",
    "ALTER TABLE app.t2 RENAME CONSTRAINT t2_pkey TO \"T2 key\"",
    "ALTER TABLE app.t2 DROP CONSTRAINT t2_pkey",
    "ALTER TABLE app.t2 DROP CONSTRAINT t2_pkey, ADD PRIMARY KEY (id, n)",
    "DROP TRIGGER t2_upd ON app.t2; ALTER TABLE app.t2 DROP COLUMN n",
    "ALTER TABLE app.t2 RENAME COLUMN n TO \"N\"",
    "DROP TRIGGER t2_upd ON app.t2; ALTER TABLE app.t2 ALTER COLUMN n TYPE bigint",
    "ALTER TABLE app.t2 ALTER COLUMN n SET STATISTICS -1",
    "ALTER TABLE app.\"CamelTable\" ALTER COLUMN \"my col\" SET STORAGE PLAIN, ALTER COLUMN \"a.b\" SET STATISTICS 0",
    "ALTER TABLE app.parent ALTER COLUMN name SET STORAGE EXTERNAL, ALTER COLUMN name SET STATISTICS 300",
    "ALTER TABLE app.pt ALTER COLUMN id SET STATISTICS 50",
    "ALTER TABLE app.parent ALTER COLUMN name SET STORAGE MAIN; CREATE TABLE app.kid3 (extra text) INHERITS (app.parent)",
    "CREATE STATISTICS app.\"Stats 1\" (mcv) ON \"select\", \"a.b\" FROM app.\"CamelTable\"; COMMENT ON STATISTICS app.\"Stats 1\" IS 'odd'",
    "CREATE STATISTICS other.s ON \"Col\", t FROM app.t",
    "DROP STATISTICS app.t2_stats; CREATE STATISTICS app.t2_stats (dependencies) ON t_id, n FROM app.t2",
    "COMMENT ON STATISTICS app.t2_stats IS 's'",
    "ALTER TABLE app.t SET SCHEMA other",
    "ALTER TABLE app.\"CamelTable\" SET SCHEMA other; ALTER TABLE other.\"CamelTable\" RENAME TO \"Camel\"",
    "ALTER TABLE app.\"my table\" SET SCHEMA \"other\"",
    "ALTER VIEW app.tv SET SCHEMA other",
    "ALTER SEQUENCE app.codes SET SCHEMA other",
    "ALTER FUNCTION app.trg() SET SCHEMA other",
    "ALTER FUNCTION app.next_code() SET SCHEMA other",
    "ALTER FUNCTION app.f(int) SET SCHEMA other",
    "ALTER PROCEDURE app.p(int) SET SCHEMA other",
    "CREATE OR REPLACE RULE t2_keep AS ON DELETE TO app.t2 WHERE OLD.n > 0 DO INSTEAD NOTHING",
    "DROP RULE t2_keep ON app.t2",
    "COMMENT ON RULE t2_keep ON app.t2 IS 'keep'",
    "CREATE RULE \"Odd rule\" AS ON UPDATE TO app.t DO ALSO NOTIFY t; COMMENT ON RULE \"Odd rule\" ON app.t IS 'r'",
    "CREATE RULE r AS ON INSERT TO app.tv DO INSTEAD INSERT INTO app.t (id) VALUES (NEW.id)",
    "ALTER VIEW app.tcheck ALTER COLUMN t SET DEFAULT 1",
    "ALTER VIEW app.tv ALTER COLUMN \"Col\" DROP DEFAULT",
    "ALTER VIEW app.tv ALTER COLUMN \"Col\" SET DEFAULT 'y'",
    "ALTER TYPE app.\"Mood\" SET SCHEMA other",
    "ALTER DOMAIN app.\"Code\" SET SCHEMA other",
    "ALTER TYPE app.mood SET SCHEMA other; ALTER TYPE other.mood RENAME TO \"Mood\"",
    "ALTER TABLE app.t RENAME TO tmp; ALTER TABLE app.t2 RENAME TO t; ALTER TABLE app.tmp RENAME TO t2",
    "ALTER TABLE app.\"CamelTable\" RENAME COLUMN \"select\" TO x; ALTER TABLE app.\"CamelTable\" RENAME COLUMN \"a.b\" TO \"select\"; \
     ALTER TABLE app.\"CamelTable\" RENAME COLUMN x TO \"a.b\"",
    "ALTER INDEX app.t_lower RENAME TO x; ALTER INDEX app.t_coll RENAME TO t_lower; ALTER INDEX app.x RENAME TO t_coll",
    "ALTER TABLE app.t RENAME COLUMN t TO t_new; ALTER TABLE app.t RENAME COLUMN \"Col\" TO t",
    "COMMENT ON EXTENSION plpgsql IS NULL",
    "COMMENT ON EXTENSION plpgsql IS 'it''s \"odd\"'",
    "COMMENT ON CONSTRAINT \"Code_check\" ON DOMAIN app.\"Code\" IS 'upper'",
    "ALTER DOMAIN app.\"Code\" ADD CONSTRAINT \"Short\" CHECK (length(VALUE) < 10); \
     COMMENT ON CONSTRAINT \"Short\" ON DOMAIN app.\"Code\" IS 's'",
    "ALTER STATISTICS app.t2_stats SET STATISTICS 0",
    "ALTER STATISTICS app.t2_stats RENAME TO \"T2 stats\"",
    "ALTER STATISTICS app.t2_stats RENAME TO t2_s; ALTER STATISTICS app.t2_s SET STATISTICS 10",
    "DROP TRIGGER t2_upd ON app.t2; ALTER STATISTICS app.t2_stats RENAME TO t2_s; \
     ALTER STATISTICS app.t2_s SET STATISTICS 10; ALTER TABLE app.t2 ALTER COLUMN n TYPE bigint",
];

#[tokio::test]
async fn odd_names_and_rare_objects_reach_the_fixpoint() {
    let mut db = TestDatabase::empty().await.unwrap();
    let mut conn = db.connect().await.unwrap();
    apply_script(&mut conn, ODD_BASE).await;
    let base = read(&mut conn).await;
    let mut failures = Vec::new();
    for (i, change) in ODD_CHANGES.iter().enumerate() {
        sqlx::raw_sql("BEGIN").execute(&mut conn).await.unwrap();
        sqlx::raw_sql(sqlx::AssertSqlSafe(*change))
            .execute(&mut conn)
            .await
            .unwrap_or_else(|e| panic!("{change}: {e}"));
        let changed = read(&mut conn).await;
        sqlx::raw_sql("ROLLBACK").execute(&mut conn).await.unwrap();
        let what = format!("odd {i} ({change})");
        if diff(&base, &changed).is_empty() {
            failures.push(format!("{what}: the change is not seen"));
            continue;
        }
        let result = tokio::spawn({
            let url = db.url().to_owned();
            let (base, changed) = (base.clone(), changed.clone());
            async move {
                let mut c = <PgConnection as sqlx::Connection>::connect(&url)
                    .await
                    .unwrap();
                round_trip(&mut c, &base, &changed, &what).await;
            }
        })
        .await;
        if let Err(e) = result {
            failures.push(format!("{e:?}"));
            // The database may be left anywhere: build it again.
            db = TestDatabase::empty().await.unwrap();
            conn = db.connect().await.unwrap();
            apply_script(&mut conn, ODD_BASE).await;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
