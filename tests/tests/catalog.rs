//! Reading the schema model (`schema_runtime::catalog::Catalog`) from a live
//! database: one test per kind of object, the reference schema, and the
//! version table left out.

use std::time::Instant;

use schema_runtime::catalog::{
    Catalog, ConstraintKind, FunctionKind, FunctionName, Identity, IdentityOptions, QualifiedName,
    ReplicaIdentity, UserType,
};
use schema_runtime::sqlx::{self, PgConnection};
use schema_runtime::testing::TestDatabase;
use schema_runtime::VersionTable;

schema_runtime::migrations!("../migrations");

/// A fresh empty database after `sql`, and its catalog.
async fn read_after(sql: &str) -> (TestDatabase, PgConnection, Catalog) {
    let db = TestDatabase::empty().await.unwrap();
    let mut conn = db.connect().await.unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut conn)
        .await
        .unwrap();
    let catalog = Catalog::read(&mut conn, &VersionTable::default())
        .await
        .unwrap();
    (db, conn, catalog)
}

fn name(schema: &str, name: &str) -> QualifiedName {
    QualifiedName::new(schema, name)
}

#[tokio::test]
async fn schemas_and_extensions_are_read_with_their_comments_and_versions() {
    let (_db, _conn, c) = read_after(
        "CREATE SCHEMA \"Audit\"; COMMENT ON SCHEMA \"Audit\" IS 'who did what';
         CREATE EXTENSION IF NOT EXISTS plpgsql;",
    )
    .await;
    assert_eq!(
        c.schemas["\"Audit\""].comment.as_deref(),
        Some("who did what")
    );
    assert!(c.schemas.contains_key("public"));
    assert!(!c.schemas.keys().any(|s| s.starts_with("pg_")), "{c:?}");
    let plpgsql = &c.extensions["plpgsql"];
    assert_eq!(
        (plpgsql.schema.as_str(), plpgsql.version.as_str()),
        ("pg_catalog", "1.0")
    );
    assert!(c.server_version >= 150000, "{}", c.server_version);
}

#[tokio::test]
async fn an_extension_comment_is_read_only_when_it_is_not_the_control_files() {
    let (_db, mut conn, c) = read_after(
        "CREATE EXTENSION pg_trgm; CREATE EXTENSION hstore; CREATE EXTENSION citext;
         COMMENT ON EXTENSION pg_trgm IS 'fuzzy search';
         COMMENT ON EXTENSION hstore IS NULL;",
    )
    .await;
    assert_eq!(
        c.extensions["pg_trgm"].comment.as_deref(),
        Some("fuzzy search")
    );
    assert_eq!(c.extensions["hstore"].comment.as_deref(), Some(""));
    assert_eq!(c.extensions["citext"].comment, None);
    assert_eq!(c.extensions["plpgsql"].comment, None);
    assert_eq!(
        c.extensions["plpgsql"].control_comment.as_deref(),
        Some("PL/pgSQL procedural language")
    );
    assert_eq!(
        c.entries()["extension pg_trgm"],
        format!(
            "version {} in schema public, comment 'fuzzy search'",
            c.extensions["pg_trgm"].version
        )
    );
    assert_eq!(
        c.entries()["extension plpgsql"],
        "version 1.0 in schema pg_catalog"
    );
    // Given back its control file's comment, it reads as never commented.
    let control = c.extensions["pg_trgm"].control_comment.clone().unwrap();
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
        "COMMENT ON EXTENSION pg_trgm IS '{control}'"
    )))
    .execute(&mut conn)
    .await
    .unwrap();
    let again = Catalog::read(&mut conn, &VersionTable::default())
        .await
        .unwrap();
    assert_eq!(again.extensions["pg_trgm"].comment, None);
}

#[tokio::test]
async fn a_domain_constraint_comment_is_read_with_the_constraint() {
    let (_db, _conn, c) = read_after(
        "CREATE DOMAIN positive AS integer CONSTRAINT above CHECK (VALUE > 0)
           CONSTRAINT below CHECK (VALUE < 100);
         COMMENT ON CONSTRAINT below ON DOMAIN positive IS 'small';",
    )
    .await;
    let UserType::Domain(positive) = &c.types[&name("public", "positive")] else {
        panic!("{c:?}")
    };
    assert_eq!(
        positive.constraint_comments,
        [("below".to_owned(), "small".to_owned())].into()
    );
    assert_eq!(
        c.entries()["domain public.positive"],
        "integer, constraint above CHECK ((VALUE > 0)), \
         constraint below CHECK ((VALUE < 100)) comment 'small'"
    );
}

#[tokio::test]
async fn an_enum_keeps_its_label_order_and_a_domain_its_constraints() {
    let (_db, _conn, c) = read_after(
        "CREATE TYPE kind AS ENUM ('gear', 'spring');
         ALTER TYPE kind ADD VALUE 'zinc' BEFORE 'gear';
         COMMENT ON TYPE kind IS 'what it is';
         CREATE DOMAIN positive AS numeric(10,2) NOT NULL DEFAULT 1 CHECK (VALUE > 0);
         CREATE DOMAIN label AS text COLLATE \"C\";
         CREATE TYPE pair AS (\"Left\" integer, right_side text);",
    )
    .await;
    let UserType::Enum(kind) = &c.types[&name("public", "kind")] else {
        panic!("{c:?}")
    };
    assert_eq!(kind.labels, ["zinc", "gear", "spring"]);
    assert_eq!(kind.comment.as_deref(), Some("what it is"));
    let UserType::Domain(positive) = &c.types[&name("public", "positive")] else {
        panic!("{c:?}")
    };
    assert_eq!(positive.base_type, "numeric(10,2)");
    assert!(positive.not_null);
    assert_eq!(positive.default.as_deref(), Some("1"));
    assert_eq!(positive.collation, None);
    assert_eq!(
        positive.constraints["positive_check"],
        "CHECK ((VALUE > (0)::numeric))"
    );
    let UserType::Domain(label) = &c.types[&name("public", "label")] else {
        panic!("{c:?}")
    };
    assert_eq!(label.collation.as_deref(), Some("pg_catalog.\"C\""));
    let UserType::Composite(pair) = &c.types[&name("public", "pair")] else {
        panic!("{c:?}")
    };
    assert_eq!(
        pair.attributes,
        [
            ("\"Left\"".to_owned(), "integer".to_owned()),
            ("right_side".to_owned(), "text".to_owned())
        ]
    );
}

#[tokio::test]
async fn a_serial_sequence_is_owned_and_an_identity_sequence_is_not_listed() {
    let (_db, _conn, c) = read_after(
        "CREATE TABLE t (id serial, n int GENERATED BY DEFAULT AS IDENTITY);
         CREATE SEQUENCE counter AS smallint INCREMENT 5 MINVALUE -10 MAXVALUE 100 START 3 CACHE 2 CYCLE;
         COMMENT ON SEQUENCE counter IS 'counts';",
    )
    .await;
    let names: Vec<String> = c.sequences.keys().map(ToString::to_string).collect();
    assert_eq!(names, ["public.counter", "public.t_id_seq"]);
    let serial = &c.sequences[&name("public", "t_id_seq")];
    assert_eq!(
        serial.owned_by,
        Some((name("public", "t"), "id".to_owned()))
    );
    assert_eq!(serial.data_type, "integer");
    let counter = &c.sequences[&name("public", "counter")];
    assert_eq!(
        (counter.data_type.as_str(), counter.start, counter.increment),
        ("smallint", 3, 5)
    );
    assert_eq!((counter.min, counter.max, counter.cache), (-10, 100, 2));
    assert!(counter.cycle);
    assert_eq!(counter.owned_by, None);
    assert_eq!(counter.comment.as_deref(), Some("counts"));
    let n = c.tables[&name("public", "t")].column("n").unwrap();
    assert_eq!(n.identity, Some(Identity::ByDefault));
    assert_eq!(n.default, None);
}

#[tokio::test]
async fn a_table_and_its_columns_are_read_in_order_with_their_properties() {
    let (_db, _conn, c) = read_after(
        "CREATE TYPE kind AS ENUM ('a');
         CREATE UNLOGGED TABLE \"Things\" (
             id bigint GENERATED ALWAYS AS IDENTITY,
             name varchar(80) COLLATE \"C\" NOT NULL DEFAULT 'x',
             kinds kind[],
             twice bigint GENERATED ALWAYS AS (id * 2) STORED
         ) WITH (fillfactor = 70, autovacuum_enabled = false);
         COMMENT ON TABLE \"Things\" IS 'things';
         COMMENT ON COLUMN \"Things\".name IS 'what it''s called';
         ALTER TABLE \"Things\" ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
         CREATE TABLE base (a int); CREATE TABLE child (b int) INHERITS (base);
         CREATE TABLE readings (at date NOT NULL) PARTITION BY RANGE (at);
         CREATE TABLE readings_2026 PARTITION OF readings FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');",
    )
    .await;
    let things = &c.tables[&name("public", "\"Things\"")];
    let columns: Vec<&str> = things.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(columns, ["id", "name", "kinds", "twice"]);
    assert!(things.unlogged && things.row_security && things.force_row_security);
    assert_eq!(
        things.options,
        ["autovacuum_enabled=false", "fillfactor=70"]
    );
    assert_eq!(things.comment.as_deref(), Some("things"));
    let id = things.column("id").unwrap();
    assert_eq!((id.data_type.as_str(), id.not_null), ("bigint", true));
    assert_eq!(id.identity, Some(Identity::Always));
    let name_ = things.column("name").unwrap();
    assert_eq!(name_.data_type, "character varying(80)");
    assert_eq!(name_.collation.as_deref(), Some("pg_catalog.\"C\""));
    assert_eq!(name_.default.as_deref(), Some("'x'::character varying"));
    assert_eq!(name_.comment.as_deref(), Some("what it's called"));
    let kinds = things.column("kinds").unwrap();
    assert_eq!(kinds.data_type, "public.kind[]");
    assert_eq!(kinds.user_type, Some(name("public", "kind")));
    assert_eq!(id.user_type, None);
    let twice = things.column("twice").unwrap();
    assert_eq!(twice.generated.as_deref(), Some("(id * 2)"));
    assert_eq!(twice.default, None);
    assert_eq!(
        c.tables[&name("public", "child")].inherits,
        [name("public", "base")]
    );
    assert_eq!(
        c.tables[&name("public", "readings")]
            .partition_by
            .as_deref(),
        Some("RANGE (at)")
    );
    assert_eq!(
        c.tables[&name("public", "readings_2026")].partition_of,
        Some((
            name("public", "readings"),
            "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')".to_owned()
        ))
    );
}

#[tokio::test]
async fn identity_options_are_read_only_where_they_differ_from_the_type_defaults() {
    let (_db, _conn, c) = read_after(
        "CREATE TABLE t (
             plain bigint GENERATED ALWAYS AS IDENTITY,
             small smallint GENERATED BY DEFAULT AS IDENTITY (MINVALUE 10),
             tuned integer GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 10 MAXVALUE 5000 CACHE 20 CYCLE),
             falling bigint GENERATED ALWAYS AS IDENTITY (INCREMENT BY -1));",
    )
    .await;
    let t = &c.tables[&name("public", "t")];
    let options = |column: &str| t.column(column).unwrap().identity_options;
    assert!(options("plain").is_default());
    // A start at the minimum is the default.
    assert_eq!(
        options("small"),
        IdentityOptions {
            min: Some(10),
            ..IdentityOptions::default()
        }
    );
    assert_eq!(
        options("tuned"),
        IdentityOptions {
            start: Some(100),
            increment: Some(10),
            max: Some(5000),
            cache: Some(20),
            cycle: true,
            ..IdentityOptions::default()
        }
    );
    assert_eq!(
        options("falling"),
        IdentityOptions {
            increment: Some(-1),
            ..IdentityOptions::default()
        }
    );
    let entries = c.entries();
    assert_eq!(
        entries["column public.t.plain"],
        "bigint not null generated always as identity"
    );
    assert_eq!(
        entries["column public.t.tuned"],
        "integer not null generated always as identity (start 100 increment 10 max 5000 cache 20 cycle)"
    );
}

#[tokio::test]
async fn replica_identity_column_statistics_and_storage_are_read_when_not_the_default() {
    let (_db, _conn, c) = read_after(
        "CREATE TABLE plain (id int PRIMARY KEY, body text, n numeric);
         CREATE TABLE keyed (id int NOT NULL, body text);
         CREATE UNIQUE INDEX \"Keyed id\" ON keyed (id);
         ALTER TABLE keyed REPLICA IDENTITY USING INDEX \"Keyed id\";
         CREATE TABLE full_row (id int);
         ALTER TABLE full_row REPLICA IDENTITY FULL;
         CREATE TABLE nothing (id int);
         ALTER TABLE nothing REPLICA IDENTITY NOTHING;
         CREATE TABLE tuned (id int, body text, n numeric);
         ALTER TABLE tuned ALTER COLUMN id SET STATISTICS 500,
             ALTER COLUMN body SET STORAGE EXTERNAL, ALTER COLUMN n SET STORAGE EXTENDED;",
    )
    .await;
    let table = |n: &str| &c.tables[&name("public", n)];
    assert_eq!(table("plain").replica_identity, ReplicaIdentity::Default);
    assert_eq!(
        table("keyed").replica_identity,
        ReplicaIdentity::Index("\"Keyed id\"".into())
    );
    assert_eq!(table("full_row").replica_identity, ReplicaIdentity::Full);
    assert_eq!(table("nothing").replica_identity, ReplicaIdentity::Nothing);
    for column in &table("plain").columns {
        assert_eq!((column.statistics, &column.storage), (None, &None));
    }
    let tuned = table("tuned");
    assert_eq!(tuned.column("id").unwrap().statistics, Some(500));
    assert_eq!(
        tuned.column("body").unwrap().storage,
        Some(("EXTERNAL".to_owned(), "EXTENDED".to_owned()))
    );
    assert_eq!(
        tuned.column("n").unwrap().storage,
        Some(("EXTENDED".to_owned(), "MAIN".to_owned()))
    );
    let entries = c.entries();
    assert_eq!(entries["table public.plain"], "columns (id, body, n)");
    assert_eq!(
        entries["table public.keyed"],
        "columns (id, body), replica identity using index \"Keyed id\""
    );
    assert_eq!(
        entries["column public.tuned.body"],
        "text null, storage external (type's extended)"
    );
    assert_eq!(
        entries["column public.tuned.id"],
        "integer null, statistics 500"
    );
}

#[tokio::test]
async fn extended_statistics_are_read_with_their_definition_and_comment() {
    let (_db, _conn, c) = read_after(
        "CREATE SCHEMA stats;
         CREATE TABLE t (a int, b int, \"C\" text);
         CREATE STATISTICS stats.t_ab (ndistinct, dependencies) ON a, b FROM t;
         CREATE STATISTICS t_expr ON lower(\"C\"), a FROM t;
         COMMENT ON STATISTICS stats.t_ab IS 'pairs';",
    )
    .await;
    let ab = &c.statistics[&name("stats", "t_ab")];
    assert_eq!(ab.table, name("public", "t"));
    assert_eq!(
        ab.definition,
        "CREATE STATISTICS stats.t_ab (ndistinct, dependencies) ON a, b FROM public.t"
    );
    assert_eq!(ab.comment.as_deref(), Some("pairs"));
    let expr = &c.statistics[&name("public", "t_expr")];
    assert_eq!(
        expr.definition,
        "CREATE STATISTICS public.t_expr ON a, lower(\"C\") FROM public.t"
    );
    assert_eq!(
        c.entries()["statistics stats.t_ab"],
        "CREATE STATISTICS stats.t_ab (ndistinct, dependencies) ON a, b FROM public.t, on public.t, comment 'pairs'"
    );
}

#[tokio::test]
async fn an_extended_statistics_target_is_read_when_not_the_default() {
    let (_db, _conn, c) = read_after(
        "CREATE TABLE t (a int, b int);
         CREATE STATISTICS t_ab ON a, b FROM t;
         CREATE STATISTICS t_ba (mcv) ON b, a FROM t;
         ALTER STATISTICS t_ab SET STATISTICS 0;
         ALTER STATISTICS t_ba SET STATISTICS 500;
         ALTER STATISTICS t_ba SET STATISTICS -1;
         CREATE STATISTICS t_a_b (dependencies) ON a, b FROM t;
         ALTER STATISTICS t_a_b SET STATISTICS 700;",
    )
    .await;
    assert_eq!(c.statistics[&name("public", "t_ab")].target, Some(0));
    assert_eq!(c.statistics[&name("public", "t_ba")].target, None);
    assert_eq!(c.statistics[&name("public", "t_a_b")].target, Some(700));
    assert_eq!(
        c.entries()["statistics public.t_a_b"],
        "CREATE STATISTICS public.t_a_b (dependencies) ON a, b FROM public.t, on public.t, statistics 700"
    );
    assert_eq!(
        c.entries()["statistics public.t_ba"],
        "CREATE STATISTICS public.t_ba (mcv) ON a, b FROM public.t, on public.t"
    );
}

#[tokio::test]
async fn constraints_are_read_and_their_indexes_are_not_listed_as_indexes() {
    let (_db, _conn, c) = read_after(
        "CREATE TABLE cameras (id text PRIMARY KEY, serial text UNIQUE);
         CREATE TABLE events (id int, camera_id text REFERENCES cameras ON DELETE CASCADE,
                              score int CONSTRAINT score_positive CHECK (score >= 0));
         COMMENT ON CONSTRAINT score_positive ON events IS 'never negative';
         CREATE INDEX events_camera_idx ON events (camera_id);",
    )
    .await;
    let key = |t: &str, n: &str| (name("public", t), n.to_owned());
    let pkey = &c.constraints[&key("cameras", "cameras_pkey")];
    assert_eq!(pkey.kind, ConstraintKind::PrimaryKey);
    assert_eq!(pkey.definition, "PRIMARY KEY (id)");
    assert_eq!(
        c.constraints[&key("cameras", "cameras_serial_key")].kind,
        ConstraintKind::Unique
    );
    let fk = &c.constraints[&key("events", "events_camera_id_fkey")];
    assert_eq!(fk.kind, ConstraintKind::ForeignKey);
    assert_eq!(fk.references, Some(name("public", "cameras")));
    assert_eq!(
        fk.definition,
        "FOREIGN KEY (camera_id) REFERENCES public.cameras(id) ON DELETE CASCADE"
    );
    let check = &c.constraints[&key("events", "score_positive")];
    assert_eq!(check.definition, "CHECK ((score >= 0))");
    assert_eq!(check.comment.as_deref(), Some("never negative"));
    let indexes: Vec<String> = c.indexes.keys().map(ToString::to_string).collect();
    assert_eq!(indexes, ["public.events_camera_idx"]);
}

#[tokio::test]
async fn an_index_is_read_with_its_where_clause_and_comment() {
    let (_db, _conn, c) = read_after(
        "CREATE TABLE t (a int, b text);
         CREATE UNIQUE INDEX t_live ON t (a) INCLUDE (b) WHERE b IS NOT NULL;
         COMMENT ON INDEX t_live IS 'live ones';
         CREATE MATERIALIZED VIEW m AS SELECT a FROM t;
         CREATE INDEX m_a ON m (a);",
    )
    .await;
    let live = &c.indexes[&name("public", "t_live")];
    assert_eq!(live.table, name("public", "t"));
    assert_eq!(
        live.definition,
        "CREATE UNIQUE INDEX t_live ON public.t USING btree (a) INCLUDE (b) WHERE (b IS NOT NULL)"
    );
    assert_eq!(live.comment.as_deref(), Some("live ones"));
    assert_eq!(c.indexes[&name("public", "m_a")].table, name("public", "m"));
}

#[tokio::test]
async fn a_view_on_a_view_depends_on_it_and_its_query_is_one_line() {
    let (_db, _conn, c) = read_after(
        "CREATE TABLE t (id int, at timestamptz);
         CREATE VIEW recent WITH (security_barrier) AS SELECT id FROM t WHERE at > now() - interval '1 day';
         CREATE VIEW recent_ids AS SELECT r.id FROM recent r JOIN t ON t.id = r.id;
         CREATE MATERIALIZED VIEW counts AS SELECT count(*) FROM recent_ids;
         COMMENT ON MATERIALIZED VIEW counts IS 'how many';",
    )
    .await;
    let recent = &c.views[&name("public", "recent")];
    assert!(!recent.materialized);
    assert_eq!(
        recent.definition,
        "SELECT t.id FROM public.t WHERE (t.at > (now() - '1 day'::interval))"
    );
    assert_eq!(recent.options, ["security_barrier=true"]);
    assert_eq!(recent.depends_on, [name("public", "t")]);
    let ids = &c.views[&name("public", "recent_ids")];
    assert_eq!(
        ids.depends_on,
        [name("public", "recent"), name("public", "t")]
    );
    let counts = &c.views[&name("public", "counts")];
    assert!(counts.materialized);
    assert_eq!(counts.depends_on, [name("public", "recent_ids")]);
    assert_eq!(counts.comment.as_deref(), Some("how many"));
}

#[tokio::test]
async fn rules_are_read_with_their_comments_and_view_column_defaults_with_the_view() {
    let (_db, _conn, c) = read_after(
        "CREATE TABLE t (id int, note text);
         CREATE TABLE t_log (id int);
         CREATE VIEW v AS SELECT id, note FROM t;
         ALTER VIEW v ALTER COLUMN note SET DEFAULT 'none';
         COMMENT ON COLUMN v.id IS 'key';
         CREATE RULE keep AS ON DELETE TO t DO INSTEAD NOTHING;
         CREATE RULE log AS ON INSERT TO v DO INSTEAD INSERT INTO t_log VALUES (NEW.id);
         COMMENT ON RULE log ON v IS 'audit';",
    )
    .await;
    let keep = &c.rules[&(name("public", "t"), "keep".into())];
    assert_eq!(
        keep.definition,
        "CREATE RULE keep AS\n    ON DELETE TO public.t DO INSTEAD NOTHING"
    );
    assert_eq!(keep.comment, None);
    let log = &c.rules[&(name("public", "v"), "log".into())];
    assert!(
        log.definition.contains("INSERT INTO public.t_log"),
        "{}",
        log.definition
    );
    assert_eq!(log.comment.as_deref(), Some("audit"));
    assert_eq!(c.rules.len(), 2, "the view's _RETURN rule is left out");
    let v = &c.views[&name("public", "v")];
    assert_eq!(
        v.column_defaults,
        [("note".to_owned(), "'none'::text".to_owned())].into()
    );
    assert_eq!(
        v.column_comments,
        [("id".to_owned(), "key".to_owned())].into()
    );
    let entries = c.entries();
    assert_eq!(entries["view column public.v.note"], "default 'none'::text");
    assert_eq!(entries["view column public.v.id"], "comment 'key'");
    assert!(entries["rule public.v.log"].ends_with(", comment 'audit'"));
}

#[tokio::test]
async fn functions_procedures_and_aggregates_are_read_with_their_row_types() {
    let (_db, _conn, c) = read_after(
        "CREATE TABLE cameras (id int);
         CREATE FUNCTION by_id(camera_id integer, since timestamptz) RETURNS SETOF cameras
             LANGUAGE sql STABLE AS $$ SELECT * FROM cameras WHERE id = camera_id $$;
         COMMENT ON FUNCTION by_id(integer, timestamptz) IS 'one camera';
         CREATE PROCEDURE tidy() LANGUAGE sql AS $$ DELETE FROM cameras $$;
         CREATE AGGREGATE total(int) (SFUNC = int4pl, STYPE = int);",
    )
    .await;
    let by_id = &c.functions[&FunctionName {
        name: name("public", "by_id"),
        arguments: "camera_id integer, since timestamp with time zone".into(),
    }];
    assert_eq!(by_id.kind, FunctionKind::Function);
    assert_eq!(by_id.result.as_deref(), Some("SETOF public.cameras"));
    assert_eq!(by_id.uses_row_types, [name("public", "cameras")]);
    assert!(
        by_id
            .definition
            .starts_with("CREATE OR REPLACE FUNCTION public.by_id("),
        "{}",
        by_id.definition
    );
    assert!(
        by_id.definition.ends_with("$function$"),
        "{}",
        by_id.definition
    );
    assert_eq!(by_id.comment.as_deref(), Some("one camera"));
    let tidy = &c.functions[&FunctionName {
        name: name("public", "tidy"),
        arguments: String::new(),
    }];
    assert_eq!(
        (tidy.kind, tidy.result.as_deref()),
        (FunctionKind::Procedure, None)
    );
    let total = &c.functions[&FunctionName {
        name: name("public", "total"),
        arguments: "integer".into(),
    }];
    assert_eq!(total.kind, FunctionKind::Aggregate);
    assert_eq!(total.definition, "");
}

#[tokio::test]
async fn a_trigger_names_its_function_and_internal_triggers_are_left_out() {
    let (_db, _conn, c) = read_after(
        "CREATE TABLE parent (id int PRIMARY KEY);
         CREATE TABLE child (parent_id int REFERENCES parent);
         CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE TRIGGER child_touch BEFORE UPDATE ON child FOR EACH ROW EXECUTE FUNCTION touch();
         ALTER TABLE child DISABLE TRIGGER child_touch;
         COMMENT ON TRIGGER child_touch ON child IS 'touches';",
    )
    .await;
    let names: Vec<String> = c.triggers.keys().map(|(t, n)| format!("{t}.{n}")).collect();
    assert_eq!(names, ["public.child.child_touch"]);
    let touch = c.triggers.values().next().unwrap();
    assert_eq!(
        touch.definition,
        "CREATE TRIGGER child_touch BEFORE UPDATE ON public.child FOR EACH ROW EXECUTE FUNCTION public.touch()"
    );
    assert_eq!(touch.enabled, 'D');
    assert_eq!(
        touch.function,
        FunctionName {
            name: name("public", "touch"),
            arguments: String::new()
        }
    );
    assert_eq!(touch.comment.as_deref(), Some("touches"));
}

#[tokio::test]
async fn a_policy_is_read_with_its_roles_and_expressions() {
    let (_db, _conn, c) = read_after(
        "CREATE TABLE docs (owner text, body text);
         -- Roles belong to the server, not the test's database: on a
         -- server given by URL they may be left from an earlier run.
         DO $$ BEGIN CREATE ROLE \"Readers\"; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
         DO $$ BEGIN CREATE ROLE writers; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
         CREATE POLICY mine ON docs AS RESTRICTIVE FOR UPDATE TO writers, \"Readers\"
             USING (owner = current_user) WITH CHECK (body IS NOT NULL);
         CREATE POLICY everyone ON docs FOR SELECT USING (true);
         COMMENT ON POLICY mine ON docs IS 'own rows';",
    )
    .await;
    let key = |n: &str| (name("public", "docs"), n.to_owned());
    let mine = &c.policies[&key("mine")];
    assert!(!mine.permissive);
    assert_eq!(mine.command, "UPDATE");
    assert_eq!(mine.roles, ["\"Readers\"", "writers"]);
    assert_eq!(mine.using.as_deref(), Some("(owner = CURRENT_USER)"));
    assert_eq!(mine.with_check.as_deref(), Some("(body IS NOT NULL)"));
    assert_eq!(mine.comment.as_deref(), Some("own rows"));
    let everyone = &c.policies[&key("everyone")];
    assert!(everyone.permissive);
    assert_eq!(
        (everyone.command.as_str(), everyone.roles.as_slice()),
        ("SELECT", &["public".to_owned()][..])
    );
    assert_eq!(everyone.with_check, None);
}

#[tokio::test]
async fn names_are_qualified_whatever_the_search_path_and_the_path_is_put_back() {
    let (_db, mut conn, on_public) = read_after(
        "CREATE SCHEMA other; CREATE TYPE kind AS ENUM ('a');
         CREATE TABLE t (k kind DEFAULT 'a', n serial);
         SET search_path = other, public;",
    )
    .await;
    let k = on_public.tables[&name("public", "t")].column("k").unwrap();
    assert_eq!(k.data_type, "public.kind");
    assert_eq!(k.default.as_deref(), Some("'a'::public.kind"));
    let n = on_public.tables[&name("public", "t")].column("n").unwrap();
    assert_eq!(
        n.default.as_deref(),
        Some("nextval('public.t_n_seq'::regclass)")
    );
    let path: String = sqlx::query_scalar("SELECT current_setting('search_path')")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(path, "other, public");
    sqlx::raw_sql("SET search_path = public")
        .execute(&mut conn)
        .await
        .unwrap();
    let again = Catalog::read(&mut conn, &VersionTable::default())
        .await
        .unwrap();
    assert_eq!(again, on_public);
}

#[tokio::test]
async fn the_version_table_its_log_and_its_schema_are_left_out() {
    let db = TestDatabase::empty().await.unwrap();
    let mut conn = db.connect().await.unwrap();
    let table = VersionTable {
        schema: Some("Migrations".into()),
        name: "versions".into(),
    };
    sqlx::raw_sql(
        "CREATE SCHEMA \"Migrations\";
         CREATE TABLE \"Migrations\".versions (version_num text PRIMARY KEY);
         CREATE TABLE \"Migrations\".versions_log (id serial PRIMARY KEY, at timestamptz);
         CREATE INDEX versions_log_at ON \"Migrations\".versions_log (at);
         CREATE TABLE kept (id int);",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    let catalog = Catalog::read(&mut conn, &table).await.unwrap();
    let entries = catalog.entries();
    let leaked: Vec<&String> = entries.keys().filter(|k| k.contains("ersions")).collect();
    assert!(leaked.is_empty(), "{leaked:?}");
    assert!(!catalog.schemas.contains_key("\"Migrations\""));
    assert!(catalog.tables.contains_key(&name("public", "kept")));
    // Read with another version table, they are ordinary objects.
    let other = Catalog::read(&mut conn, &VersionTable::default())
        .await
        .unwrap();
    assert!(other
        .tables
        .contains_key(&name("\"Migrations\"", "versions")));
    assert!(other
        .sequences
        .contains_key(&name("\"Migrations\"", "versions_log_id_seq")));
}

#[tokio::test]
async fn the_reference_schema_reads_the_same_from_two_databases_built_alike() {
    let first = TestDatabase::at(&migrations::SET, "head").await.unwrap();
    let second = TestDatabase::at(&migrations::SET, "head").await.unwrap();
    let mut conn = first.connect().await.unwrap();
    let started = Instant::now();
    let a = Catalog::read(&mut conn, &VersionTable::default())
        .await
        .unwrap();
    let elapsed = started.elapsed();
    println!(
        "Catalog::read on the reference schema: {elapsed:?} ({} tables, {} columns, {} indexes, {} functions)",
        a.tables.len(),
        a.tables.values().map(|t| t.columns.len()).sum::<usize>(),
        a.indexes.len(),
        a.functions.len()
    );
    let b = Catalog::read(
        &mut second.connect().await.unwrap(),
        &VersionTable::default(),
    )
    .await
    .unwrap();
    assert!(a.tables.len() > 5, "{a:?}");
    assert!(a.tables.contains_key(&name("public", "events")));
    assert!(!a.tables.keys().any(|t| t.name.contains("alembic_version")));
    assert_eq!(a, b);
    assert_eq!(a.entries(), b.entries());
}
