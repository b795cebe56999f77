//! Unit tests of the diff engine on catalogs built by hand.

use super::{diff, Plan};
use crate::catalog::{
    Catalog, Column, Composite, Constraint, ConstraintKind, Domain, Enum, Extension, Function,
    FunctionKind, FunctionName, Identity, IdentityOptions, Index, Policy, QualifiedName,
    ReplicaIdentity, Rule, Schema, Sequence, Statistics, Table, Trigger, UserType, View,
};

fn qn(name: &str) -> QualifiedName {
    let (schema, name) = name.split_once('.').unwrap();
    QualifiedName::new(schema, name)
}

fn col(name: &str, data_type: &str) -> Column {
    Column {
        name: name.into(),
        data_type: data_type.into(),
        ..Column::default()
    }
}

fn table(columns: Vec<Column>) -> Table {
    Table {
        columns,
        ..Table::default()
    }
}

fn with_table(mut c: Catalog, name: &str, t: Table) -> Catalog {
    c.tables.insert(qn(name), t);
    c
}

fn enum_type(labels: &[&str]) -> UserType {
    UserType::Enum(Enum {
        labels: labels.iter().map(|l| l.to_string()).collect(),
        comment: None,
    })
}

fn constraint(kind: ConstraintKind, definition: &str) -> Constraint {
    Constraint {
        kind,
        definition: definition.into(),
        references: None,
        comment: None,
    }
}

fn foreign_key(definition: &str, references: &str) -> Constraint {
    Constraint {
        references: Some(qn(references)),
        ..constraint(ConstraintKind::ForeignKey, definition)
    }
}

fn view(definition: &str, depends_on: &[&str]) -> View {
    View {
        materialized: false,
        definition: definition.into(),
        options: vec![],
        depends_on: depends_on.iter().map(|d| qn(d)).collect(),
        comment: None,
        column_comments: Default::default(),
        column_defaults: Default::default(),
    }
}

fn fname(name: &str, arguments: &str) -> FunctionName {
    FunctionName {
        name: qn(name),
        arguments: arguments.into(),
    }
}

fn function(definition: &str, result: &str) -> Function {
    Function {
        kind: FunctionKind::Function,
        definition: definition.into(),
        result: Some(result.into()),
        uses_row_types: vec![],
        input_types: String::new(),
        defaults: 0,
        comment: None,
    }
}

fn trigger(definition: &str, function: FunctionName) -> Trigger {
    Trigger {
        definition: definition.into(),
        enabled: 'O',
        function,
        comment: None,
    }
}

fn sql(plan: &Plan) -> Vec<&str> {
    plan.steps.iter().map(|s| s.sql.as_str()).collect()
}

/// The position of the one step whose SQL is `statement`.
fn at(plan: &Plan, statement: &str) -> usize {
    let found: Vec<usize> = plan
        .steps
        .iter()
        .enumerate()
        .filter(|(_, s)| s.sql == statement)
        .map(|(i, _)| i)
        .collect();
    assert_eq!(found.len(), 1, "{statement:?} once in {:#?}", sql(plan));
    found[0]
}

fn review_of<'p>(plan: &'p Plan, statement: &str) -> Option<&'p str> {
    plan.steps[at(plan, statement)].review.as_deref()
}

/// A catalog with one of nearly everything, for the identity checks.
fn rich() -> Catalog {
    let mut c = Catalog::default();
    c.schemas.insert(
        "audit".into(),
        Schema {
            comment: Some("audit trail".into()),
        },
    );
    c.extensions.insert(
        "citext".into(),
        Extension {
            schema: "public".into(),
            version: "1.6".into(),
            ..Extension::default()
        },
    );
    c.types
        .insert(qn("public.status"), enum_type(&["new", "done"]));
    c.sequences.insert(
        qn("public.counter"),
        Sequence {
            data_type: "bigint".into(),
            start: 1,
            increment: 1,
            min: 1,
            max: i64::MAX,
            cache: 1,
            ..Sequence::default()
        },
    );
    let mut status = col("status", "public.status");
    status.user_type = Some(qn("public.status"));
    status.default = Some("'new'::public.status".into());
    let mut id = col("id", "integer");
    id.not_null = true;
    id.identity = Some(Identity::Always);
    c = with_table(c, "public.jobs", table(vec![id, status]));
    c.constraints.insert(
        (qn("public.jobs"), "jobs_pkey".into()),
        constraint(ConstraintKind::PrimaryKey, "PRIMARY KEY (id)"),
    );
    c.indexes.insert(
        qn("public.jobs_status"),
        Index {
            table: qn("public.jobs"),
            definition: "CREATE INDEX jobs_status ON public.jobs USING btree (status)".into(),
            comment: None,
        },
    );
    c.views.insert(
        qn("public.open_jobs"),
        view("SELECT id FROM public.jobs", &["public.jobs"]),
    );
    c.functions.insert(
        fname("public.touch", ""),
        function(
            "CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
            "trigger",
        ),
    );
    c.triggers.insert(
        (qn("public.jobs"), "jobs_touch".into()),
        trigger(
            "CREATE TRIGGER jobs_touch BEFORE UPDATE ON public.jobs FOR EACH ROW EXECUTE FUNCTION public.touch()",
            fname("public.touch", ""),
        ),
    );
    c.policies.insert(
        (qn("public.jobs"), "mine".into()),
        Policy {
            permissive: true,
            command: "SELECT".into(),
            roles: vec!["public".into()],
            using: Some("(id > 0)".into()),
            with_check: None,
            comment: None,
        },
    );
    c
}

#[test]
fn diffing_a_catalog_with_itself_plans_nothing() {
    let c = rich();
    let plan = diff(&c, &c);
    assert!(plan.is_empty(), "{:#?}", sql(&plan));
    assert!(plan.not_generated.is_empty());
}

#[test]
fn the_same_inputs_give_the_same_plan() {
    let plan = diff(&Catalog::default(), &rich());
    assert_eq!(plan, diff(&Catalog::default(), &rich()));
    assert!(!plan.is_empty());
}

#[test]
fn objects_are_created_in_dependency_order() {
    let plan = diff(&Catalog::default(), &rich());
    let order = [
        "SET LOCAL check_function_bodies = off",
        "CREATE SCHEMA audit",
        "CREATE EXTENSION citext WITH SCHEMA public VERSION '1.6'",
        "CREATE TYPE public.status AS ENUM ('new', 'done')",
        "CREATE SEQUENCE public.counter AS bigint INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1 NO CYCLE",
        "CREATE OR REPLACE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
        "CREATE TABLE public.jobs (id integer GENERATED ALWAYS AS IDENTITY NOT NULL, status public.status DEFAULT 'new'::public.status)",
        "ALTER TABLE public.jobs ADD CONSTRAINT jobs_pkey PRIMARY KEY (id)",
        "CREATE INDEX jobs_status ON public.jobs USING btree (status)",
        "CREATE VIEW public.open_jobs AS SELECT id FROM public.jobs",
        "CREATE TRIGGER jobs_touch BEFORE UPDATE ON public.jobs FOR EACH ROW EXECUTE FUNCTION public.touch()",
        "CREATE POLICY mine ON public.jobs AS PERMISSIVE FOR SELECT TO public USING ((id > 0))",
        "COMMENT ON SCHEMA audit IS 'audit trail'",
    ];
    assert_eq!(sql(&plan), order);
}

#[test]
fn objects_are_dropped_in_reverse_dependency_order() {
    let plan = diff(&rich(), &Catalog::default());
    // Triggers, policies, indexes and constraints go with their table.
    let order = [
        "DROP VIEW public.open_jobs",
        "DROP TABLE public.jobs",
        "DROP SEQUENCE public.counter",
        "DROP FUNCTION public.touch()",
        "DROP TYPE public.status",
        "DROP EXTENSION citext",
        "DROP SCHEMA audit",
    ];
    assert_eq!(sql(&plan), order);
}

#[test]
fn an_extension_version_change_is_an_update() {
    let from = rich();
    let mut to = rich();
    to.extensions.get_mut("citext").unwrap().version = "1.7".into();
    assert_eq!(
        sql(&diff(&from, &to)),
        ["ALTER EXTENSION citext UPDATE TO '1.7'"]
    );
}

#[test]
fn an_added_enum_value_is_added_before_its_successor() {
    let mut from = Catalog::default();
    from.types.insert(qn("public.s"), enum_type(&["a", "c"]));
    let mut to = Catalog::default();
    to.types.insert(qn("public.s"), enum_type(&["a", "b", "c"]));
    let plan = diff(&from, &to);
    assert_eq!(sql(&plan), ["ALTER TYPE public.s ADD VALUE 'b' BEFORE 'c'"]);
    assert!(!plan.non_transactional);
}

#[test]
fn an_enum_value_added_last_is_added_after_its_predecessor() {
    let mut from = Catalog::default();
    from.types.insert(qn("public.s"), enum_type(&["a"]));
    let mut to = Catalog::default();
    to.types.insert(qn("public.s"), enum_type(&["a", "b", "c"]));
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER TYPE public.s ADD VALUE 'b' AFTER 'a'",
            "ALTER TYPE public.s ADD VALUE 'c' AFTER 'b'"
        ]
    );
}

#[test]
fn a_removed_enum_value_recreates_the_type_and_converts_its_columns() {
    let column = |default: &str| {
        let mut c = col("state", "public.s");
        c.user_type = Some(qn("public.s"));
        c.default = Some(default.into());
        c
    };
    let mut from = with_table(
        Catalog::default(),
        "public.t",
        table(vec![column("'a'::public.s")]),
    );
    from.types.insert(qn("public.s"), enum_type(&["a", "b"]));
    let mut to = with_table(
        Catalog::default(),
        "public.t",
        table(vec![column("'a'::public.s")]),
    );
    to.types.insert(qn("public.s"), enum_type(&["a"]));
    let plan = diff(&from, &to);
    assert_eq!(
        sql(&plan),
        [
            "ALTER TYPE public.s RENAME TO \"s__old\"",
            "CREATE TYPE public.s AS ENUM ('a')",
            "ALTER TABLE public.t ALTER COLUMN state DROP DEFAULT",
            "ALTER TABLE public.t ALTER COLUMN state TYPE public.s USING state::text::public.s",
            "ALTER TABLE public.t ALTER COLUMN state SET DEFAULT 'a'::public.s",
            "DROP TYPE public.\"s__old\"",
        ]
    );
    assert!(review_of(&plan, "ALTER TYPE public.s RENAME TO \"s__old\"").is_some());
}

#[test]
fn a_reordered_enum_is_recreated() {
    let mut from = Catalog::default();
    from.types.insert(qn("public.s"), enum_type(&["a", "b"]));
    let mut to = Catalog::default();
    to.types.insert(qn("public.s"), enum_type(&["b", "a"]));
    let plan = diff(&from, &to);
    at(&plan, "CREATE TYPE public.s AS ENUM ('b', 'a')");
}

#[test]
fn using_an_added_enum_value_makes_the_plan_non_transactional() {
    let mut state = col("state", "public.s");
    state.user_type = Some(qn("public.s"));
    let mut from = with_table(Catalog::default(), "public.t", table(vec![state.clone()]));
    from.types.insert(qn("public.s"), enum_type(&["a"]));
    state.default = Some("'b'::public.s".into());
    let mut to = with_table(Catalog::default(), "public.t", table(vec![state]));
    to.types.insert(qn("public.s"), enum_type(&["a", "b"]));
    to.functions.insert(
        fname("public.f", ""),
        function(
            "CREATE OR REPLACE FUNCTION public.f() RETURNS int AS 'SELECT 1'",
            "integer",
        ),
    );
    let plan = diff(&from, &to);
    assert!(plan.non_transactional);
    assert_eq!(plan.steps[0].sql, "SET check_function_bodies = off");
}

#[test]
fn a_changed_domain_constraint_is_dropped_and_added() {
    let domain = |check: &str| {
        let mut d = Domain {
            base_type: "integer".into(),
            ..Domain::default()
        };
        d.constraints.insert("positive".into(), check.into());
        UserType::Domain(d)
    };
    let mut from = Catalog::default();
    from.types
        .insert(qn("public.qty"), domain("CHECK ((VALUE > 0))"));
    let mut to = Catalog::default();
    to.types
        .insert(qn("public.qty"), domain("CHECK ((VALUE >= 0))"));
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER DOMAIN public.qty DROP CONSTRAINT positive",
            "ALTER DOMAIN public.qty ADD CONSTRAINT positive CHECK ((VALUE >= 0))"
        ]
    );
}

#[test]
fn an_added_composite_attribute_is_an_alter_type() {
    let composite = |attrs: &[(&str, &str)]| {
        UserType::Composite(Composite {
            attributes: attrs
                .iter()
                .map(|(a, t)| (a.to_string(), t.to_string()))
                .collect(),
            comment: None,
        })
    };
    let mut from = Catalog::default();
    from.types
        .insert(qn("public.pt"), composite(&[("x", "integer")]));
    let mut to = Catalog::default();
    to.types.insert(
        qn("public.pt"),
        composite(&[("x", "integer"), ("y", "integer")]),
    );
    assert_eq!(
        sql(&diff(&from, &to)),
        ["ALTER TYPE public.pt ADD ATTRIBUTE y integer"]
    );
}

#[test]
fn a_sequence_option_change_is_an_alter_sequence() {
    let from = rich();
    let mut to = rich();
    to.sequences
        .get_mut(&qn("public.counter"))
        .unwrap()
        .increment = 10;
    assert_eq!(
        sql(&diff(&from, &to)),
        ["ALTER SEQUENCE public.counter INCREMENT BY 10"]
    );
}

#[test]
fn a_sequence_is_owned_by_its_column_after_the_table_exists() {
    let mut to = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("n", "integer")]),
    );
    to.sequences.insert(
        qn("public.t_n_seq"),
        Sequence {
            data_type: "integer".into(),
            owned_by: Some((qn("public.t"), "n".into())),
            ..Sequence::default()
        },
    );
    let plan = diff(&Catalog::default(), &to);
    assert!(
        at(&plan, "CREATE TABLE public.t (n integer)")
            < at(&plan, "ALTER SEQUENCE public.t_n_seq OWNED BY public.t.n")
    );
}

#[test]
fn a_sequence_owned_by_a_dropped_table_goes_with_it() {
    let to = Catalog::default();
    let mut from = with_table(to.clone(), "public.t", table(vec![col("n", "integer")]));
    from.sequences.insert(
        qn("public.t_n_seq"),
        Sequence {
            owned_by: Some((qn("public.t"), "n".into())),
            ..Sequence::default()
        },
    );
    assert_eq!(sql(&diff(&from, &to)), ["DROP TABLE public.t"]);
}

#[test]
fn a_created_table_has_its_options_and_row_security() {
    let mut c = col("name", "text");
    c.collation = Some("pg_catalog.\"C\"".into());
    let t = Table {
        columns: vec![c],
        unlogged: true,
        options: vec!["fillfactor=70".into()],
        row_security: true,
        ..Table::default()
    };
    let to = with_table(Catalog::default(), "public.t", t);
    assert_eq!(
        sql(&diff(&Catalog::default(), &to)),
        [
            "CREATE UNLOGGED TABLE public.t (name text COLLATE pg_catalog.\"C\") WITH (fillfactor=70)",
            "ALTER TABLE public.t ENABLE ROW LEVEL SECURITY"
        ]
    );
}

fn partitioned() -> Catalog {
    let parent = Table {
        columns: vec![col("at", "date")],
        partition_by: Some("RANGE (at)".into()),
        ..Table::default()
    };
    let part = Table {
        columns: vec![col("at", "date")],
        partition_of: Some((
            qn("public.log"),
            "FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')".into(),
        )),
        ..Table::default()
    };
    // The partition sorts before its parent by name.
    let c = with_table(Catalog::default(), "public.log", parent);
    with_table(c, "public.a_log_2026_01", part)
}

#[test]
fn a_partition_is_created_after_its_parent_without_columns_of_its_own() {
    assert_eq!(
        sql(&diff(&Catalog::default(), &partitioned())),
        [
            "CREATE TABLE public.log (at date) PARTITION BY RANGE (at)",
            "CREATE TABLE public.a_log_2026_01 PARTITION OF public.log FOR VALUES FROM ('2026-01-01') TO ('2026-02-01')",
        ]
    );
}

#[test]
fn a_partition_is_dropped_before_its_parent() {
    assert_eq!(
        sql(&diff(&partitioned(), &Catalog::default())),
        ["DROP TABLE public.a_log_2026_01", "DROP TABLE public.log"]
    );
}

#[test]
fn a_column_added_to_a_partitioned_table_is_added_once() {
    let from = partitioned();
    let mut to = partitioned();
    for t in to.tables.values_mut() {
        t.columns.push(col("n", "integer"));
    }
    assert_eq!(
        sql(&diff(&from, &to)),
        ["ALTER TABLE public.log ADD COLUMN n integer"]
    );
}

#[test]
fn a_dropped_table_is_marked_for_review() {
    let from = with_table(Catalog::default(), "public.t", table(vec![col("a", "int")]));
    let plan = diff(&from, &Catalog::default());
    assert!(review_of(&plan, "DROP TABLE public.t").is_some());
}

#[test]
fn a_dropped_column_is_marked_for_review() {
    let from = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("a", "int"), col("b", "text")]),
    );
    let to = with_table(Catalog::default(), "public.t", table(vec![col("a", "int")]));
    let plan = diff(&from, &to);
    assert_eq!(sql(&plan), ["ALTER TABLE public.t DROP COLUMN b"]);
    assert!(review_of(&plan, "ALTER TABLE public.t DROP COLUMN b")
        .unwrap()
        .contains("data loss"));
}

#[test]
fn an_added_not_null_column_without_default_is_marked_for_review() {
    let from = with_table(Catalog::default(), "public.t", table(vec![col("a", "int")]));
    let mut b = col("b", "text");
    b.not_null = true;
    let to = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("a", "int"), b]),
    );
    let plan = diff(&from, &to);
    assert!(review_of(&plan, "ALTER TABLE public.t ADD COLUMN b text NOT NULL").is_some());
}

#[test]
fn a_column_type_change_casts_with_using_and_is_marked_for_review() {
    let from = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("a", "integer")]),
    );
    let mut to = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("a", "bigint")]),
    );
    to.casts.insert(("integer".into(), "bigint".into()));
    let plan = diff(&from, &to);
    let stmt = "ALTER TABLE public.t ALTER COLUMN a TYPE bigint USING a::bigint";
    assert_eq!(sql(&plan), [stmt]);
    assert!(review_of(&plan, stmt).is_some());
}

#[test]
fn a_type_change_with_no_cast_converts_through_text_and_says_so() {
    let from = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("at", "time without time zone")]),
    );
    let mut to = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("at", "timestamp(3) without time zone")]),
    );
    to.casts
        .insert(("time without time zone".into(), "interval".into()));
    let plan = diff(&from, &to);
    let stmt = "ALTER TABLE public.t ALTER COLUMN at TYPE timestamp(3) without time zone \
                USING at::text::timestamp(3) without time zone";
    assert_eq!(sql(&plan), [stmt]);
    assert!(review_of(&plan, stmt).unwrap().contains("no cast"));
    to.casts.insert((
        "time without time zone".into(),
        "timestamp without time zone".into(),
    ));
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER TABLE public.t ALTER COLUMN at TYPE timestamp(3) without time zone \
          USING at::timestamp(3) without time zone"
        ],
        "a cast the server has is used, whatever the modifiers"
    );
}

#[test]
fn a_collation_change_is_part_of_the_type_change() {
    let from = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("a", "text")]),
    );
    let mut a = col("a", "text");
    a.collation = Some("pg_catalog.\"C\"".into());
    let to = with_table(Catalog::default(), "public.t", table(vec![a]));
    assert_eq!(
        sql(&diff(&from, &to)),
        ["ALTER TABLE public.t ALTER COLUMN a TYPE text COLLATE pg_catalog.\"C\""]
    );
}

#[test]
fn a_default_is_dropped_and_set_again_around_a_type_change() {
    let mut a = col("a", "integer");
    a.default = Some("0".into());
    let from = with_table(Catalog::default(), "public.t", table(vec![a.clone()]));
    a.data_type = "bigint".into();
    let mut to = with_table(Catalog::default(), "public.t", table(vec![a]));
    to.casts.insert(("integer".into(), "bigint".into()));
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER TABLE public.t ALTER COLUMN a DROP DEFAULT",
            "ALTER TABLE public.t ALTER COLUMN a TYPE bigint USING a::bigint",
            "ALTER TABLE public.t ALTER COLUMN a SET DEFAULT 0",
        ]
    );
}

#[test]
fn setting_not_null_is_marked_for_review_and_dropping_it_is_not() {
    let from = with_table(Catalog::default(), "public.t", table(vec![col("a", "int")]));
    let mut a = col("a", "int");
    a.not_null = true;
    let to = with_table(Catalog::default(), "public.t", table(vec![a]));
    let set = "ALTER TABLE public.t ALTER COLUMN a SET NOT NULL";
    assert!(review_of(&diff(&from, &to), set).is_some());
    let drop = "ALTER TABLE public.t ALTER COLUMN a DROP NOT NULL";
    assert_eq!(review_of(&diff(&to, &from), drop), None);
}

#[test]
fn an_identity_is_added_after_not_null_and_dropped_before_it() {
    let from = with_table(Catalog::default(), "public.t", table(vec![col("a", "int")]));
    let mut a = col("a", "int");
    a.not_null = true;
    a.identity = Some(Identity::ByDefault);
    let to = with_table(Catalog::default(), "public.t", table(vec![a]));
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER TABLE public.t ALTER COLUMN a SET NOT NULL",
            "ALTER TABLE public.t ALTER COLUMN a ADD GENERATED BY DEFAULT AS IDENTITY",
        ]
    );
    assert_eq!(
        sql(&diff(&to, &from)),
        [
            "ALTER TABLE public.t ALTER COLUMN a DROP IDENTITY",
            "ALTER TABLE public.t ALTER COLUMN a DROP NOT NULL",
        ]
    );
}

#[test]
fn a_generated_expression_change_drops_and_adds_the_column() {
    let mut g = col("g", "integer");
    g.generated = Some("(a * 2)".into());
    let from = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("a", "integer"), g.clone()]),
    );
    g.generated = Some("(a * 3)".into());
    let to = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("a", "integer"), g]),
    );
    let plan = diff(&from, &to);
    assert_eq!(
        sql(&plan),
        [
            "ALTER TABLE public.t DROP COLUMN g",
            "ALTER TABLE public.t ADD COLUMN g integer GENERATED ALWAYS AS ((a * 3)) STORED",
        ]
    );
    assert!(plan.steps[0].review.is_some());
}

#[test]
fn a_column_order_that_cannot_be_made_is_not_generated() {
    let from = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("a", "int"), col("c", "int")]),
    );
    let to = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("a", "int"), col("b", "int"), col("c", "int")]),
    );
    let plan = diff(&from, &to);
    assert_eq!(plan.not_generated.len(), 1, "{:?}", plan.not_generated);
    assert!(plan.not_generated[0].contains("public.t"));
    let appended = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("a", "int"), col("c", "int"), col("b", "int")]),
    );
    assert!(diff(&from, &appended).not_generated.is_empty());
}

fn two_tables() -> Catalog {
    let mut c = with_table(
        Catalog::default(),
        "public.a",
        table(vec![col("id", "int")]),
    );
    c = with_table(c, "public.b", table(vec![col("a_id", "int")]));
    c.constraints.insert(
        (qn("public.a"), "a_pkey".into()),
        constraint(ConstraintKind::PrimaryKey, "PRIMARY KEY (id)"),
    );
    c
}

#[test]
fn a_changed_constraint_is_dropped_and_added() {
    let from = two_tables();
    let mut to = two_tables();
    to.constraints.insert(
        (qn("public.b"), "b_check".into()),
        constraint(ConstraintKind::Check, "CHECK ((a_id > 0))"),
    );
    let mut from2 = from.clone();
    from2.constraints.insert(
        (qn("public.b"), "b_check".into()),
        constraint(ConstraintKind::Check, "CHECK ((a_id >= 0))"),
    );
    assert_eq!(
        sql(&diff(&from2, &to)),
        [
            "ALTER TABLE public.b DROP CONSTRAINT b_check",
            "ALTER TABLE public.b ADD CONSTRAINT b_check CHECK ((a_id > 0))",
        ]
    );
}

#[test]
fn a_foreign_key_is_added_after_the_table_it_references() {
    let mut to = two_tables();
    // The referencing table sorts before the referenced one.
    to = with_table(to, "public.0_ref", table(vec![col("a_id", "int")]));
    to.constraints.insert(
        (qn("public.0_ref"), "ref_fk".into()),
        foreign_key("FOREIGN KEY (a_id) REFERENCES public.a(id)", "public.a"),
    );
    let plan = diff(&Catalog::default(), &to);
    let fk = at(
        &plan,
        "ALTER TABLE public.0_ref ADD CONSTRAINT ref_fk FOREIGN KEY (a_id) REFERENCES public.a(id)",
    );
    assert!(fk > at(&plan, "CREATE TABLE public.a (id int)"));
    assert!(
        fk > at(
            &plan,
            "ALTER TABLE public.a ADD CONSTRAINT a_pkey PRIMARY KEY (id)"
        )
    );
}

#[test]
fn a_foreign_key_is_dropped_before_the_table_it_references() {
    let mut from = two_tables();
    from.constraints.insert(
        (qn("public.b"), "b_fk".into()),
        foreign_key("FOREIGN KEY (a_id) REFERENCES public.a(id)", "public.a"),
    );
    let plan = diff(&from, &Catalog::default());
    assert!(
        at(&plan, "ALTER TABLE public.b DROP CONSTRAINT b_fk") < at(&plan, "DROP TABLE public.a")
    );
}

#[test]
fn a_primary_key_change_rebuilds_the_foreign_keys_that_reference_it() {
    let fk = foreign_key("FOREIGN KEY (a_id) REFERENCES public.a(id)", "public.a");
    let mut from = two_tables();
    from.constraints
        .insert((qn("public.b"), "b_fk".into()), fk.clone());
    let mut to = from.clone();
    to.constraints.insert(
        (qn("public.a"), "a_pkey".into()),
        constraint(
            ConstraintKind::PrimaryKey,
            "PRIMARY KEY (id) WITH (fillfactor='90')",
        ),
    );
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER TABLE public.b DROP CONSTRAINT b_fk",
            "ALTER TABLE public.a DROP CONSTRAINT a_pkey",
            "ALTER TABLE public.a ADD CONSTRAINT a_pkey PRIMARY KEY (id) WITH (fillfactor='90')",
            "ALTER TABLE public.b ADD CONSTRAINT b_fk FOREIGN KEY (a_id) REFERENCES public.a(id)",
        ]
    );
}

#[test]
fn a_changed_index_is_dropped_and_created() {
    let from = rich();
    let mut to = rich();
    to.indexes
        .get_mut(&qn("public.jobs_status"))
        .unwrap()
        .definition = "CREATE INDEX jobs_status ON public.jobs USING hash (status)".into();
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "DROP INDEX public.jobs_status",
            "CREATE INDEX jobs_status ON public.jobs USING hash (status)",
        ]
    );
}

#[test]
fn a_renamed_index_is_renamed_not_recreated() {
    let from = rich();
    let mut to = rich();
    let mut index = to.indexes.remove(&qn("public.jobs_status")).unwrap();
    index.definition = "CREATE INDEX jobs_by_status ON public.jobs USING btree (status)".into();
    to.indexes.insert(qn("public.jobs_by_status"), index);
    assert_eq!(
        sql(&diff(&from, &to)),
        ["ALTER INDEX public.jobs_status RENAME TO jobs_by_status"]
    );
}

#[test]
fn a_renamed_table_is_renamed_with_a_review_note() {
    let from = rich();
    let mut to = rich();
    let rename = |s: &str| s.replace("public.jobs", "public.tasks");
    let jobs = to.tables.remove(&qn("public.jobs")).unwrap();
    to.tables.insert(qn("public.tasks"), jobs);
    let pk = to
        .constraints
        .remove(&(qn("public.jobs"), "jobs_pkey".into()))
        .unwrap();
    to.constraints
        .insert((qn("public.tasks"), "jobs_pkey".into()), pk);
    let index = to.indexes.get_mut(&qn("public.jobs_status")).unwrap();
    index.table = qn("public.tasks");
    index.definition = rename(&index.definition);
    let v = to.views.get_mut(&qn("public.open_jobs")).unwrap();
    v.definition = rename(&v.definition);
    v.depends_on = vec![qn("public.tasks")];
    let mut tr = to
        .triggers
        .remove(&(qn("public.jobs"), "jobs_touch".into()))
        .unwrap();
    tr.definition = rename(&tr.definition);
    to.triggers
        .insert((qn("public.tasks"), "jobs_touch".into()), tr);
    let p = to
        .policies
        .remove(&(qn("public.jobs"), "mine".into()))
        .unwrap();
    to.policies.insert((qn("public.tasks"), "mine".into()), p);
    let plan = diff(&from, &to);
    let stmt = "ALTER TABLE public.jobs RENAME TO tasks";
    assert_eq!(sql(&plan), [stmt]);
    assert!(review_of(&plan, stmt).unwrap().contains("possible rename"));
}

/// `rich()` with `public.jobs` in schema `audit` under the name `name`,
/// and the sequence `public.jobs_n_seq` it owns moved with it.
fn jobs_moved(name: &str) -> (Catalog, Catalog) {
    let owned = |mut c: Catalog| {
        c.sequences.insert(
            qn("public.jobs_n_seq"),
            Sequence {
                owned_by: Some((qn("public.jobs"), "n".into())),
                ..c.sequences[&qn("public.counter")].clone()
            },
        );
        let mut n = col("n", "bigint");
        n.default = Some("nextval('public.jobs_n_seq'::regclass)".into());
        c.tables
            .get_mut(&qn("public.jobs"))
            .unwrap()
            .columns
            .push(n);
        c
    };
    let from = owned(rich());
    let mut to = owned(rich());
    let new = qn(&format!("audit.{name}"));
    let rename = |s: &str| {
        s.replace("public.jobs_n_seq", "audit.jobs_n_seq")
            .replace("public.jobs", &new.to_string())
    };
    let mut jobs = to.tables.remove(&qn("public.jobs")).unwrap();
    for c in &mut jobs.columns {
        c.default = c.default.as_deref().map(rename);
    }
    to.tables.insert(new.clone(), jobs);
    let mut seq = to.sequences.remove(&qn("public.jobs_n_seq")).unwrap();
    seq.owned_by = Some((new.clone(), "n".into()));
    to.sequences.insert(qn("audit.jobs_n_seq"), seq);
    let pk = to
        .constraints
        .remove(&(qn("public.jobs"), "jobs_pkey".into()))
        .unwrap();
    to.constraints.insert((new.clone(), "jobs_pkey".into()), pk);
    let mut index = to.indexes.remove(&qn("public.jobs_status")).unwrap();
    index.table = new.clone();
    index.definition = rename(&index.definition);
    to.indexes.insert(qn("audit.jobs_status"), index);
    let v = to.views.get_mut(&qn("public.open_jobs")).unwrap();
    v.definition = rename(&v.definition);
    v.depends_on = vec![new.clone()];
    let mut tr = to
        .triggers
        .remove(&(qn("public.jobs"), "jobs_touch".into()))
        .unwrap();
    tr.definition = rename(&tr.definition);
    to.triggers.insert((new.clone(), "jobs_touch".into()), tr);
    let p = to
        .policies
        .remove(&(qn("public.jobs"), "mine".into()))
        .unwrap();
    to.policies.insert((new, "mine".into()), p);
    (from, to)
}

#[test]
fn a_table_moved_to_another_schema_is_moved_with_a_review_note() {
    let (from, to) = jobs_moved("jobs");
    let plan = diff(&from, &to);
    let stmt = "ALTER TABLE public.jobs SET SCHEMA audit";
    assert_eq!(sql(&plan), [stmt]);
    assert!(review_of(&plan, stmt).unwrap().contains("possible move"));
    assert_eq!(
        sql(&diff(&to, &from)),
        ["ALTER TABLE audit.jobs SET SCHEMA public"]
    );
}

#[test]
fn a_table_moved_and_renamed_is_moved_then_renamed() {
    let (from, to) = jobs_moved("tasks");
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER TABLE public.jobs SET SCHEMA audit",
            "ALTER TABLE audit.jobs RENAME TO tasks"
        ]
    );
}

#[test]
fn a_sequence_and_a_view_moved_to_another_schema_are_moved() {
    let from = rich();
    let mut to = rich();
    let v = to.views.remove(&qn("public.open_jobs")).unwrap();
    to.views.insert(qn("audit.open_jobs"), v);
    let s = to.sequences.remove(&qn("public.counter")).unwrap();
    to.sequences.insert(qn("audit.counter"), s);
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER SEQUENCE public.counter SET SCHEMA audit",
            "ALTER VIEW public.open_jobs SET SCHEMA audit"
        ]
    );
}

#[test]
fn a_function_moved_to_another_schema_is_moved_and_its_triggers_follow() {
    let from = rich();
    let mut to = rich();
    let mut f = to.functions.remove(&fname("public.touch", "")).unwrap();
    f.definition = f.definition.replace("public.touch", "audit.touch");
    to.functions.insert(fname("audit.touch", ""), f);
    let tr = to
        .triggers
        .get_mut(&(qn("public.jobs"), "jobs_touch".into()))
        .unwrap();
    tr.definition = tr.definition.replace("public.touch", "audit.touch");
    tr.function = fname("audit.touch", "");
    let plan = diff(&from, &to);
    let stmt = "ALTER FUNCTION public.touch() SET SCHEMA audit";
    assert_eq!(sql(&plan), [stmt]);
    assert!(review_of(&plan, stmt).unwrap().contains("possible move"));
}

#[test]
fn a_chain_of_table_renames_frees_each_name_before_it_is_taken() {
    let a = table(vec![col("a", "int")]);
    let b = table(vec![col("b", "text")]);
    let from = with_table(
        with_table(Catalog::default(), "public.t", a.clone()),
        "public.t_new",
        b.clone(),
    );
    let to = with_table(
        with_table(Catalog::default(), "public.t_old", a),
        "public.t",
        b,
    );
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER TABLE public.t RENAME TO t_old",
            "ALTER TABLE public.t_new RENAME TO t"
        ]
    );
    assert_eq!(
        sql(&diff(&to, &from)),
        [
            "ALTER TABLE public.t RENAME TO t_new",
            "ALTER TABLE public.t_old RENAME TO t"
        ]
    );
}

#[test]
fn two_tables_that_swap_names_go_through_a_free_temporary_name() {
    let a = table(vec![col("a", "int")]);
    let b = table(vec![col("b", "text")]);
    let taken = table(vec![col("c", "date")]);
    let from = with_table(
        with_table(Catalog::default(), "public.a", a.clone()),
        "public.b",
        b.clone(),
    );
    let from = with_table(from, "public.a_swap_tmp", taken.clone());
    let to = with_table(with_table(Catalog::default(), "public.a", b), "public.b", a);
    let to = with_table(to, "public.a_swap_tmp", taken);
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER TABLE public.a RENAME TO a_swap_tmp2",
            "ALTER TABLE public.b RENAME TO a",
            "ALTER TABLE public.a_swap_tmp2 RENAME TO b"
        ]
    );
}

#[test]
fn two_columns_that_swap_names_go_through_a_temporary_name() {
    let mut x = col("x", "text");
    x.not_null = true;
    let from = with_table(
        Catalog::default(),
        "public.t",
        table(vec![x.clone(), col("y", "int")]),
    );
    x.name = "y".into();
    let to = with_table(
        Catalog::default(),
        "public.t",
        table(vec![x, col("x", "int")]),
    );
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER TABLE public.t RENAME COLUMN x TO x_swap_tmp",
            "ALTER TABLE public.t RENAME COLUMN y TO x",
            "ALTER TABLE public.t RENAME COLUMN x_swap_tmp TO y"
        ]
    );
}

#[test]
fn two_indexes_that_swap_names_go_through_a_temporary_name() {
    let index = |name: &str, column: &str| Index {
        table: qn("public.jobs"),
        definition: format!("CREATE INDEX {name} ON public.jobs USING btree ({column})"),
        comment: None,
    };
    let mut from = rich();
    from.indexes
        .insert(qn("public.jobs_id"), index("jobs_id", "id"));
    let mut to = rich();
    to.indexes
        .insert(qn("public.jobs_id"), index("jobs_id", "status"));
    to.indexes
        .insert(qn("public.jobs_status"), index("jobs_status", "id"));
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER INDEX public.jobs_id RENAME TO jobs_id_swap_tmp",
            "ALTER INDEX public.jobs_status RENAME TO jobs_id",
            "ALTER INDEX public.jobs_id_swap_tmp RENAME TO jobs_status"
        ]
    );
}

#[test]
fn a_new_child_sets_its_own_statistics_after_its_parents_recurse() {
    let mut name = col("name", "text");
    let parent = table(vec![name.clone()]);
    let from = with_table(Catalog::default(), "public.parent", parent.clone());
    name.statistics = Some(500);
    let mut to = with_table(Catalog::default(), "public.parent", table(vec![name]));
    let mut child = table(vec![col("name", "text")]);
    child.inherits = vec![qn("public.parent")];
    to = with_table(to, "public.kid", child);
    let plan = diff(&from, &to);
    let steps = sql(&plan);
    let at = |s: &str| {
        steps
            .iter()
            .position(|x| *x == s)
            .unwrap_or_else(|| panic!("{s}: {steps:?}"))
    };
    assert!(
        at("ALTER TABLE public.parent ALTER COLUMN name SET STATISTICS 500")
            < at("ALTER TABLE public.kid ALTER COLUMN name SET STATISTICS -1")
    );
}

fn rule(definition: &str) -> Rule {
    Rule {
        definition: definition.into(),
        comment: None,
    }
}

#[test]
fn a_changed_rule_is_replaced_and_a_removed_one_dropped() {
    let keep = "CREATE RULE keep AS\n    ON DELETE TO public.jobs DO INSTEAD NOTHING";
    let mut from = rich();
    from.rules
        .insert((qn("public.jobs"), "keep".into()), rule(keep));
    from.rules.insert(
        (qn("public.jobs"), "gone".into()),
        rule("CREATE RULE gone AS\n    ON UPDATE TO public.jobs DO INSTEAD NOTHING"),
    );
    let mut to = rich();
    to.rules.insert(
        (qn("public.jobs"), "keep".into()),
        rule(&keep.replace("DELETE", "INSERT")),
    );
    to.rules
        .get_mut(&(qn("public.jobs"), "keep".into()))
        .unwrap()
        .comment = Some("k".into());
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "DROP RULE gone ON public.jobs",
            "CREATE OR REPLACE RULE keep AS\n    ON INSERT TO public.jobs DO INSTEAD NOTHING",
            "COMMENT ON RULE keep ON public.jobs IS 'k'"
        ]
    );
}

#[test]
fn a_rule_and_column_defaults_come_back_after_their_view_is_recreated() {
    let on_view = "CREATE RULE ins AS\n    ON INSERT TO public.open_jobs DO INSTEAD NOTHING";
    let mut from = rich();
    from.rules
        .insert((qn("public.open_jobs"), "ins".into()), rule(on_view));
    let v = from.views.get_mut(&qn("public.open_jobs")).unwrap();
    v.column_defaults.insert("id".into(), "0".into());
    let mut to = from.clone();
    to.views
        .get_mut(&qn("public.open_jobs"))
        .unwrap()
        .definition = "SELECT id FROM public.jobs WHERE id > 0".into();
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "DROP VIEW public.open_jobs",
            "CREATE VIEW public.open_jobs AS SELECT id FROM public.jobs WHERE id > 0",
            "ALTER VIEW public.open_jobs ALTER COLUMN id SET DEFAULT 0",
            on_view
        ]
    );
}

#[test]
fn a_view_column_default_is_set_and_dropped_in_place() {
    let from = rich();
    let mut to = rich();
    let v = to.views.get_mut(&qn("public.open_jobs")).unwrap();
    v.column_defaults.insert("id".into(), "1".into());
    assert_eq!(
        sql(&diff(&from, &to)),
        ["ALTER VIEW public.open_jobs ALTER COLUMN id SET DEFAULT 1"]
    );
    assert_eq!(
        sql(&diff(&to, &from)),
        ["ALTER VIEW public.open_jobs ALTER COLUMN id DROP DEFAULT"]
    );
}

#[test]
fn an_enum_moved_to_another_schema_is_moved_and_its_columns_follow() {
    let from = rich();
    let mut to = rich();
    let status = to.types.remove(&qn("public.status")).unwrap();
    to.types.insert(qn("audit.status"), status);
    let jobs = to.tables.get_mut(&qn("public.jobs")).unwrap();
    let column = jobs
        .columns
        .iter_mut()
        .find(|c| c.name == "status")
        .unwrap();
    column.data_type = "audit.status".into();
    column.user_type = Some(qn("audit.status"));
    column.default = Some("'new'::audit.status".into());
    let plan = diff(&from, &to);
    let stmt = "ALTER TYPE public.status SET SCHEMA audit";
    assert_eq!(sql(&plan), [stmt]);
    assert!(review_of(&plan, stmt).unwrap().contains("possible move"));
}

#[test]
fn a_renamed_index_that_is_created_again_is_dropped_under_its_old_name() {
    // A partial index that names the enum, which is created again.
    let mut from = rich();
    from.indexes.get_mut(&qn("public.jobs_status")).unwrap().definition =
        "CREATE INDEX jobs_status ON public.jobs USING btree (id) WHERE (status = 'new'::public.status)".into();
    let mut to = from.clone();
    to.types
        .insert(qn("public.status"), enum_type(&["done", "new"]));
    let mut index = to.indexes.remove(&qn("public.jobs_status")).unwrap();
    index.definition = index.definition.replace("jobs_status", "jobs_by_status");
    to.indexes.insert(qn("public.jobs_by_status"), index);
    let plan = diff(&from, &to);
    let steps = sql(&plan);
    assert!(
        steps.contains(&"DROP INDEX public.jobs_status"),
        "{steps:?}"
    );
    assert!(
        steps.contains(&"CREATE INDEX jobs_by_status ON public.jobs USING btree (id) WHERE (status = 'new'::public.status)"),
        "{steps:?}"
    );
    assert!(
        !steps.iter().any(|s| s.starts_with("ALTER INDEX")),
        "{steps:?}"
    );
}

#[test]
fn two_triggers_that_swap_names_go_through_a_temporary_name() {
    let on = |name: &str, event: &str| {
        trigger(
            &format!("CREATE TRIGGER {name} BEFORE {event} ON public.jobs FOR EACH ROW EXECUTE FUNCTION public.touch()"),
            fname("public.touch", ""),
        )
    };
    let key = |name: &str| (qn("public.jobs"), name.to_owned());
    let mut from = rich();
    from.triggers
        .insert(key("jobs_ins"), on("jobs_ins", "INSERT"));
    let mut to = rich();
    to.triggers
        .insert(key("jobs_ins"), on("jobs_ins", "UPDATE"));
    to.triggers
        .insert(key("jobs_touch"), on("jobs_touch", "INSERT"));
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER TRIGGER jobs_ins ON public.jobs RENAME TO jobs_ins_swap_tmp",
            "ALTER TRIGGER jobs_touch ON public.jobs RENAME TO jobs_ins",
            "ALTER TRIGGER jobs_ins_swap_tmp ON public.jobs RENAME TO jobs_touch"
        ]
    );
}

#[test]
fn a_renamed_column_is_renamed_with_a_review_note() {
    let from = with_table(Catalog::default(), "public.t", table(vec![col("a", "int")]));
    let to = with_table(Catalog::default(), "public.t", table(vec![col("b", "int")]));
    let plan = diff(&from, &to);
    let stmt = "ALTER TABLE public.t RENAME COLUMN a TO b";
    assert_eq!(sql(&plan), [stmt]);
    assert!(review_of(&plan, stmt)
        .unwrap()
        .contains("DROP COLUMN + ADD COLUMN"));
}

#[test]
fn a_column_of_another_type_is_not_taken_for_a_rename() {
    let from = with_table(Catalog::default(), "public.t", table(vec![col("a", "int")]));
    let to = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("b", "text")]),
    );
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER TABLE public.t DROP COLUMN a",
            "ALTER TABLE public.t ADD COLUMN b text"
        ]
    );
}

#[test]
fn a_renamed_constraint_is_renamed_not_recreated() {
    let from = two_tables();
    let mut to = two_tables();
    let pk = to
        .constraints
        .remove(&(qn("public.a"), "a_pkey".into()))
        .unwrap();
    to.constraints.insert((qn("public.a"), "a_key".into()), pk);
    assert_eq!(
        sql(&diff(&from, &to)),
        ["ALTER TABLE public.a RENAME CONSTRAINT a_pkey TO a_key"]
    );
}

#[test]
fn a_renamed_trigger_is_renamed_not_recreated() {
    let from = rich();
    let mut to = rich();
    let mut tr = to
        .triggers
        .remove(&(qn("public.jobs"), "jobs_touch".into()))
        .unwrap();
    tr.definition = tr.definition.replace("jobs_touch", "touch_jobs");
    to.triggers
        .insert((qn("public.jobs"), "touch_jobs".into()), tr);
    assert_eq!(
        sql(&diff(&from, &to)),
        ["ALTER TRIGGER jobs_touch ON public.jobs RENAME TO touch_jobs"]
    );
}

#[test]
fn a_renamed_view_is_renamed_not_recreated() {
    let from = rich();
    let mut to = rich();
    let v = to.views.remove(&qn("public.open_jobs")).unwrap();
    to.views.insert(qn("public.pending_jobs"), v);
    assert_eq!(
        sql(&diff(&from, &to)),
        ["ALTER VIEW public.open_jobs RENAME TO pending_jobs"]
    );
}

fn chained_views() -> Catalog {
    let mut c = rich();
    // `a_top` reads `open_jobs`, and sorts before it.
    c.views.insert(
        qn("public.a_top"),
        view(
            "SELECT id FROM public.open_jobs LIMIT 1",
            &["public.open_jobs"],
        ),
    );
    c
}

#[test]
fn views_are_created_after_the_views_they_read() {
    let plan = diff(&Catalog::default(), &chained_views());
    assert!(
        at(
            &plan,
            "CREATE VIEW public.open_jobs AS SELECT id FROM public.jobs"
        ) < at(
            &plan,
            "CREATE VIEW public.a_top AS SELECT id FROM public.open_jobs LIMIT 1"
        )
    );
}

#[test]
fn views_are_dropped_before_the_views_they_read() {
    let plan = diff(&chained_views(), &Catalog::default());
    assert!(at(&plan, "DROP VIEW public.a_top") < at(&plan, "DROP VIEW public.open_jobs"));
}

#[test]
fn a_changed_view_is_recreated_with_the_views_that_read_it() {
    let from = chained_views();
    let mut to = chained_views();
    to.views
        .get_mut(&qn("public.open_jobs"))
        .unwrap()
        .definition = "SELECT id FROM public.jobs WHERE id > 0".into();
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "DROP VIEW public.a_top",
            "DROP VIEW public.open_jobs",
            "CREATE VIEW public.open_jobs AS SELECT id FROM public.jobs WHERE id > 0",
            "CREATE VIEW public.a_top AS SELECT id FROM public.open_jobs LIMIT 1",
        ]
    );
}

#[test]
fn a_view_reading_a_column_that_changes_type_is_dropped_before_and_created_after() {
    let from = rich();
    let mut to = rich();
    to.tables.get_mut(&qn("public.jobs")).unwrap().columns[0].data_type = "bigint".into();
    to.casts.insert(("integer".into(), "bigint".into()));
    let plan = diff(&from, &to);
    let change = at(
        &plan,
        "ALTER TABLE public.jobs ALTER COLUMN id TYPE bigint USING id::bigint",
    );
    assert!(at(&plan, "DROP VIEW public.open_jobs") < change);
    assert!(
        change
            < at(
                &plan,
                "CREATE VIEW public.open_jobs AS SELECT id FROM public.jobs"
            )
    );
}

#[test]
fn a_materialized_view_is_created_with_data_and_indexed_after() {
    let mut to = rich();
    let mut v = view("SELECT id FROM public.jobs", &["public.jobs"]);
    v.materialized = true;
    to.views.insert(qn("public.job_ids"), v);
    to.indexes.insert(
        qn("public.job_ids_id"),
        Index {
            table: qn("public.job_ids"),
            definition: "CREATE INDEX job_ids_id ON public.job_ids USING btree (id)".into(),
            comment: None,
        },
    );
    let plan = diff(&rich(), &to);
    assert_eq!(
        sql(&plan),
        [
            "CREATE MATERIALIZED VIEW public.job_ids AS SELECT id FROM public.jobs",
            "CREATE INDEX job_ids_id ON public.job_ids USING btree (id)",
        ]
    );
}

#[test]
fn a_function_using_a_row_type_is_created_after_its_table() {
    let mut to = rich();
    let mut f = function(
        "CREATE OR REPLACE FUNCTION public.first_job() RETURNS public.jobs LANGUAGE sql AS $$ SELECT * FROM public.jobs LIMIT 1 $$",
        "public.jobs",
    );
    f.uses_row_types = vec![qn("public.jobs")];
    let definition = f.definition.clone();
    to.functions.insert(fname("public.first_job", ""), f);
    let plan = diff(&Catalog::default(), &to);
    assert!(at(&plan, &definition) > at(&plan, "CREATE TABLE public.jobs (id integer GENERATED ALWAYS AS IDENTITY NOT NULL, status public.status DEFAULT 'new'::public.status)"));
}

#[test]
fn a_changed_function_body_is_replaced_in_place() {
    let from = rich();
    let mut to = rich();
    let f = to.functions.get_mut(&fname("public.touch", "")).unwrap();
    f.definition = f
        .definition
        .replace("RETURN NEW", "NEW.id := NEW.id; RETURN NEW");
    let definition = f.definition.clone();
    assert_eq!(
        sql(&diff(&from, &to)),
        ["SET LOCAL check_function_bodies = off", definition.as_str()]
    );
}

#[test]
fn a_function_whose_result_changes_is_dropped_and_created_with_its_triggers() {
    let mut from = rich();
    from.functions.insert(
        fname("public.n", ""),
        function(
            "CREATE OR REPLACE FUNCTION public.n() RETURNS integer AS 'SELECT 1'",
            "integer",
        ),
    );
    let touch = from.functions[&fname("public.touch", "")].clone();
    from.functions.insert(
        fname("public.touch", ""),
        Function {
            result: Some("event_trigger".into()),
            ..touch
        },
    );
    let to = {
        let mut to = rich();
        to.functions.insert(
            fname("public.n", ""),
            function(
                "CREATE OR REPLACE FUNCTION public.n() RETURNS integer AS 'SELECT 1'",
                "integer",
            ),
        );
        to
    };
    let plan = diff(&from, &to);
    let touch = &to.functions[&fname("public.touch", "")].definition;
    assert_eq!(
        sql(&plan),
        [
            "SET LOCAL check_function_bodies = off",
            "DROP TRIGGER jobs_touch ON public.jobs",
            "DROP FUNCTION public.touch()",
            touch.as_str(),
            "CREATE TRIGGER jobs_touch BEFORE UPDATE ON public.jobs FOR EACH ROW EXECUTE FUNCTION public.touch()",
        ]
    );
    assert!(review_of(&plan, "DROP FUNCTION public.touch()").is_some());
}

#[test]
fn a_function_is_dropped_after_the_triggers_and_tables_that_use_it() {
    let mut to = rich();
    to.triggers.clear();
    to.functions.clear();
    assert_eq!(
        sql(&diff(&rich(), &to)),
        [
            "DROP TRIGGER jobs_touch ON public.jobs",
            "DROP FUNCTION public.touch()"
        ]
    );
    let plan = diff(&rich(), &Catalog::default());
    assert!(at(&plan, "DROP FUNCTION public.touch()") > at(&plan, "DROP TABLE public.jobs"));
}

#[test]
fn an_aggregate_difference_is_not_generated() {
    let mut to = Catalog::default();
    to.functions.insert(
        fname("public.total", "integer"),
        Function {
            kind: FunctionKind::Aggregate,
            definition: String::new(),
            result: Some("integer".into()),
            uses_row_types: vec![],
            input_types: "integer".into(),
            defaults: 0,
            comment: None,
        },
    );
    let plan = diff(&Catalog::default(), &to);
    assert!(plan.is_empty());
    assert_eq!(plan.not_generated.len(), 1);
    assert_eq!(diff(&to, &Catalog::default()).not_generated.len(), 1);
}

#[test]
fn a_disabled_trigger_is_disabled_after_it_is_created() {
    let mut to = rich();
    to.triggers
        .get_mut(&(qn("public.jobs"), "jobs_touch".into()))
        .unwrap()
        .enabled = 'D';
    let mut from = rich();
    from.triggers.clear();
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "CREATE TRIGGER jobs_touch BEFORE UPDATE ON public.jobs FOR EACH ROW EXECUTE FUNCTION public.touch()",
            "ALTER TABLE public.jobs DISABLE TRIGGER jobs_touch",
        ]
    );
    assert_eq!(
        sql(&diff(&rich(), &to)),
        ["ALTER TABLE public.jobs DISABLE TRIGGER jobs_touch"]
    );
}

#[test]
fn a_policy_expression_change_is_an_alter_policy() {
    let from = rich();
    let mut to = rich();
    to.policies
        .get_mut(&(qn("public.jobs"), "mine".into()))
        .unwrap()
        .using = Some("(id > 1)".into());
    assert_eq!(
        sql(&diff(&from, &to)),
        ["ALTER POLICY mine ON public.jobs USING ((id > 1))"]
    );
}

#[test]
fn a_policy_losing_its_using_clause_is_dropped_and_created() {
    let from = rich();
    let mut to = rich();
    let p = to
        .policies
        .get_mut(&(qn("public.jobs"), "mine".into()))
        .unwrap();
    p.using = None;
    p.with_check = Some("true".into());
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "DROP POLICY mine ON public.jobs",
            "CREATE POLICY mine ON public.jobs AS PERMISSIVE FOR SELECT TO public WITH CHECK (true)",
        ]
    );
}

#[test]
fn a_comment_change_is_a_comment_on_and_a_removed_comment_is_null() {
    let from = rich();
    let mut to = rich();
    to.tables.get_mut(&qn("public.jobs")).unwrap().columns[0].comment = Some("it's the key".into());
    to.schemas.get_mut("audit").unwrap().comment = None;
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "COMMENT ON SCHEMA audit IS NULL",
            "COMMENT ON COLUMN public.jobs.id IS 'it''s the key'",
        ]
    );
}

#[test]
fn a_recreated_view_gets_its_comment_back() {
    let mut from = rich();
    from.views.get_mut(&qn("public.open_jobs")).unwrap().comment = Some("open".into());
    let mut to = from.clone();
    to.views
        .get_mut(&qn("public.open_jobs"))
        .unwrap()
        .definition = "SELECT id FROM public.jobs WHERE id > 0".into();
    let plan = diff(&from, &to);
    at(&plan, "COMMENT ON VIEW public.open_jobs IS 'open'");
}

#[test]
fn a_recreated_enum_column_of_a_partition_is_converted_through_its_parent_only() {
    let with_enum = |labels: &[&str]| {
        let mut c = partitioned();
        c.types.insert(qn("public.s"), enum_type(labels));
        for t in c.tables.values_mut() {
            let mut state = col("state", "public.s");
            state.user_type = Some(qn("public.s"));
            t.columns.push(state);
        }
        c
    };
    let plan = diff(&with_enum(&["a", "b"]), &with_enum(&["b", "a"]));
    let converted: Vec<&str> = sql(&plan)
        .into_iter()
        .filter(|s| s.contains("ALTER COLUMN"))
        .collect();
    assert_eq!(
        converted,
        ["ALTER TABLE public.log ALTER COLUMN state TYPE public.s USING state::text::public.s"]
    );
}

#[test]
fn an_enum_array_column_is_converted_through_a_text_array() {
    let with_enum = |labels: &[&str]| {
        let mut tags = col("tags", "public.s[]");
        tags.user_type = Some(qn("public.s"));
        let mut c = with_table(Catalog::default(), "public.t", table(vec![tags]));
        c.types.insert(qn("public.s"), enum_type(labels));
        c
    };
    let plan = diff(&with_enum(&["a", "b"]), &with_enum(&["a"]));
    at(
        &plan,
        "ALTER TABLE public.t ALTER COLUMN tags TYPE public.s[] USING tags::text[]::public.s[]",
    );
}

#[test]
fn a_domain_over_a_recreated_enum_is_not_generated() {
    let with_enum = |labels: &[&str]| {
        let mut c = Catalog::default();
        c.types.insert(qn("public.s"), enum_type(labels));
        c.types.insert(
            qn("public.d"),
            UserType::Domain(Domain {
                base_type: "public.s".into(),
                ..Domain::default()
            }),
        );
        c
    };
    let plan = diff(&with_enum(&["a", "b"]), &with_enum(&["a"]));
    assert_eq!(plan.not_generated.len(), 1, "{:?}", plan.not_generated);
    assert!(plan.not_generated[0].contains("public.d"));
}

#[test]
fn a_new_partition_gets_the_defaults_its_parent_lacks() {
    let mut to = partitioned();
    to.tables
        .get_mut(&qn("public.a_log_2026_01"))
        .unwrap()
        .columns[0]
        .default = Some("CURRENT_DATE".into());
    let plan = diff(&Catalog::default(), &to);
    at(
        &plan,
        "ALTER TABLE public.a_log_2026_01 ALTER COLUMN at SET DEFAULT CURRENT_DATE",
    );
}

fn identity_column(options: IdentityOptions) -> Column {
    Column {
        not_null: true,
        identity: Some(Identity::Always),
        identity_options: options,
        ..col("id", "integer")
    }
}

#[test]
fn identity_options_are_set_in_place_and_written_when_the_identity_is_created() {
    let plain = with_table(
        Catalog::default(),
        "public.t",
        table(vec![identity_column(IdentityOptions::default())]),
    );
    let options = IdentityOptions {
        start: Some(100),
        increment: Some(10),
        cycle: true,
        ..IdentityOptions::default()
    };
    let tuned = with_table(
        Catalog::default(),
        "public.t",
        table(vec![identity_column(options)]),
    );
    assert_eq!(
        sql(&diff(&plain, &tuned)),
        ["ALTER TABLE public.t ALTER COLUMN id SET INCREMENT BY 10 SET START WITH 100 SET CYCLE"]
    );
    assert_eq!(
        sql(&diff(&tuned, &plain)),
        ["ALTER TABLE public.t ALTER COLUMN id SET INCREMENT BY 1 SET START WITH 1 SET NO CYCLE"]
    );
    assert_eq!(
        sql(&diff(&Catalog::default(), &tuned)),
        ["CREATE TABLE public.t (id integer GENERATED ALWAYS AS IDENTITY (INCREMENT BY 10 START WITH 100 CYCLE) NOT NULL)"]
    );
}

#[test]
fn a_falling_identity_resets_its_bounds_and_narrower_bounds_are_marked() {
    let plain = with_table(
        Catalog::default(),
        "public.t",
        table(vec![identity_column(IdentityOptions::default())]),
    );
    let falling = with_table(
        Catalog::default(),
        "public.t",
        table(vec![identity_column(IdentityOptions {
            increment: Some(-1),
            ..IdentityOptions::default()
        })]),
    );
    assert_eq!(
        sql(&diff(&plain, &falling)),
        ["ALTER TABLE public.t ALTER COLUMN id SET INCREMENT BY -1 SET NO MINVALUE SET NO MAXVALUE SET START WITH -1 RESTART"]
    );
    let capped = with_table(
        Catalog::default(),
        "public.t",
        table(vec![identity_column(IdentityOptions {
            max: Some(1000),
            ..IdentityOptions::default()
        })]),
    );
    let narrower = "ALTER TABLE public.t ALTER COLUMN id SET MAXVALUE 1000";
    assert!(review_of(&diff(&plain, &capped), narrower).is_some());
    let wider = "ALTER TABLE public.t ALTER COLUMN id SET NO MAXVALUE";
    assert_eq!(review_of(&diff(&capped, &plain), wider), None);
}

#[test]
fn column_statistics_and_storage_are_set_and_reset_after_a_type_change() {
    let from = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("a", "text")]),
    );
    let mut a = col("a", "text");
    a.statistics = Some(500);
    a.storage = Some(("EXTERNAL".into(), "EXTENDED".into()));
    let to = with_table(Catalog::default(), "public.t", table(vec![a.clone()]));
    assert_eq!(
        sql(&diff(&from, &to)),
        [
            "ALTER TABLE public.t ALTER COLUMN a SET STATISTICS 500",
            "ALTER TABLE public.t ALTER COLUMN a SET STORAGE EXTERNAL",
        ]
    );
    assert_eq!(
        sql(&diff(&to, &from)),
        [
            "ALTER TABLE public.t ALTER COLUMN a SET STATISTICS -1",
            "ALTER TABLE public.t ALTER COLUMN a SET STORAGE EXTENDED",
        ]
    );
    // The new type's storage replaces the column's: it is set again after.
    let mut retyped = a;
    retyped.data_type = "character varying(80)".into();
    let retyped = with_table(Catalog::default(), "public.t", table(vec![retyped]));
    let plan = diff(&to, &retyped);
    assert!(
        at(&plan, "ALTER TABLE public.t ALTER COLUMN a SET STORAGE EXTERNAL")
            > at(&plan, "ALTER TABLE public.t ALTER COLUMN a TYPE character varying(80) USING a::character varying(80)")
    );
}

fn with_replica_identity(identity: ReplicaIdentity, index: &str, column: &str) -> Catalog {
    let mut a = col("a", "integer");
    a.not_null = true;
    let mut b = col("b", "integer");
    b.not_null = true;
    let t = Table {
        replica_identity: identity,
        ..table(vec![a, b])
    };
    let mut c = with_table(Catalog::default(), "public.t", t);
    c.indexes.insert(
        qn(&format!("public.{index}")),
        Index {
            table: qn("public.t"),
            definition: format!("CREATE UNIQUE INDEX {index} ON public.t USING btree ({column})"),
            comment: None,
        },
    );
    c
}

#[test]
fn a_replica_identity_index_is_set_after_it_exists_and_reset_before_it_goes() {
    let from = with_replica_identity(ReplicaIdentity::Default, "t_a", "a");
    let to = with_replica_identity(ReplicaIdentity::Index("t_b".into()), "t_b", "b");
    let up = diff(&from, &to);
    let set = "ALTER TABLE public.t REPLICA IDENTITY USING INDEX t_b";
    assert!(at(&up, set) > at(&up, "CREATE UNIQUE INDEX t_b ON public.t USING btree (b)"));
    let down = diff(&to, &from);
    let reset = "ALTER TABLE public.t REPLICA IDENTITY DEFAULT";
    assert!(at(&down, reset) < at(&down, "DROP INDEX public.t_b"));
    assert_eq!(sql(&down).len(), 3, "{:#?}", sql(&down));
    let full = with_replica_identity(ReplicaIdentity::Full, "t_a", "a");
    assert_eq!(
        sql(&diff(&from, &full)),
        ["ALTER TABLE public.t REPLICA IDENTITY FULL"]
    );
}

#[test]
fn a_replica_identity_index_that_changes_is_reset_and_set_again() {
    let from = with_replica_identity(ReplicaIdentity::Index("t_a".into()), "t_a", "a");
    let to = with_replica_identity(ReplicaIdentity::Index("t_a".into()), "t_a", "b");
    let plan = diff(&from, &to);
    let (reset, set) = (
        at(&plan, "ALTER TABLE public.t REPLICA IDENTITY DEFAULT"),
        at(
            &plan,
            "ALTER TABLE public.t REPLICA IDENTITY USING INDEX t_a",
        ),
    );
    assert!(reset < at(&plan, "DROP INDEX public.t_a"));
    assert!(set > at(&plan, "CREATE UNIQUE INDEX t_a ON public.t USING btree (b)"));
}

#[test]
fn a_renamed_replica_identity_index_is_only_renamed() {
    let from = with_replica_identity(ReplicaIdentity::Index("t_a".into()), "t_a", "a");
    let to = with_replica_identity(ReplicaIdentity::Index("t_b".into()), "t_b", "a");
    assert_eq!(
        sql(&diff(&from, &to)),
        ["ALTER INDEX public.t_a RENAME TO t_b"]
    );
}

fn with_statistics(definition: &str, comment: Option<&str>) -> Catalog {
    let mut c = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("a", "integer"), col("b", "integer")]),
    );
    c.statistics.insert(
        qn("public.t_ab"),
        Statistics {
            table: qn("public.t"),
            definition: definition.into(),
            target: None,
            comment: comment.map(Into::into),
        },
    );
    c
}

#[test]
fn extended_statistics_are_recreated_around_the_columns_they_use() {
    let def = "CREATE STATISTICS public.t_ab (ndistinct) ON a, b FROM public.t";
    let stats = with_statistics(def, Some("pairs"));
    let bare = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("a", "integer"), col("b", "integer")]),
    );
    assert_eq!(
        sql(&diff(&bare, &stats)),
        [def, "COMMENT ON STATISTICS public.t_ab IS 'pairs'"]
    );
    assert_eq!(sql(&diff(&stats, &bare)), ["DROP STATISTICS public.t_ab"]);
    let changed = "CREATE STATISTICS public.t_ab (dependencies) ON a, b FROM public.t";
    assert_eq!(
        sql(&diff(&stats, &with_statistics(changed, Some("pairs")))),
        [
            "DROP STATISTICS public.t_ab",
            changed,
            "COMMENT ON STATISTICS public.t_ab IS 'pairs'"
        ]
    );
    let mut retyped = stats.clone();
    retyped.tables.get_mut(&qn("public.t")).unwrap().columns[1].data_type = "bigint".into();
    retyped.casts.insert(("integer".into(), "bigint".into()));
    let plan = diff(&stats, &retyped);
    let retype = "ALTER TABLE public.t ALTER COLUMN b TYPE bigint USING b::bigint";
    assert!(at(&plan, "DROP STATISTICS public.t_ab") < at(&plan, retype));
    assert!(at(&plan, def) > at(&plan, retype));
    assert_eq!(
        sql(&diff(&stats, &with_statistics(def, None))),
        ["COMMENT ON STATISTICS public.t_ab IS NULL"]
    );
}

#[test]
fn an_extended_statistics_target_is_set_and_reset_and_follows_a_recreation() {
    let def = "CREATE STATISTICS public.t_ab (ndistinct) ON a, b FROM public.t";
    let plain = with_statistics(def, None);
    let mut targeted = plain.clone();
    targeted
        .statistics
        .get_mut(&qn("public.t_ab"))
        .unwrap()
        .target = Some(500);
    assert_eq!(
        sql(&diff(&plain, &targeted)),
        ["ALTER STATISTICS public.t_ab SET STATISTICS 500"]
    );
    assert_eq!(
        sql(&diff(&targeted, &plain)),
        ["ALTER STATISTICS public.t_ab SET STATISTICS -1"]
    );
    let bare = with_table(
        Catalog::default(),
        "public.t",
        table(vec![col("a", "integer"), col("b", "integer")]),
    );
    assert_eq!(
        sql(&diff(&bare, &targeted)),
        [def, "ALTER STATISTICS public.t_ab SET STATISTICS 500"]
    );
    let mut retyped = targeted.clone();
    retyped.tables.get_mut(&qn("public.t")).unwrap().columns[1].data_type = "bigint".into();
    retyped.casts.insert(("integer".into(), "bigint".into()));
    let plan = diff(&targeted, &retyped);
    assert!(at(&plan, def) < at(&plan, "ALTER STATISTICS public.t_ab SET STATISTICS 500"));
}

/// `with_statistics` with the object named `name`.
fn named_statistics(name: &str, definition: &str) -> Catalog {
    let mut c = with_statistics(definition, Some("pairs"));
    let mut s = c.statistics.remove(&qn("public.t_ab")).unwrap();
    s.target = Some(200);
    c.statistics.insert(qn(name), s);
    c
}

#[test]
fn renamed_extended_statistics_are_renamed_not_recreated() {
    let from = named_statistics(
        "public.t_ab",
        "CREATE STATISTICS public.t_ab (ndistinct) ON a, b FROM public.t",
    );
    let to = named_statistics(
        "public.t_pairs",
        "CREATE STATISTICS public.t_pairs (ndistinct) ON a, b FROM public.t",
    );
    assert_eq!(
        sql(&diff(&from, &to)),
        ["ALTER STATISTICS public.t_ab RENAME TO t_pairs"]
    );
}

#[test]
fn swapped_extended_statistics_names_go_through_a_temporary_name() {
    let def = |name: &str, kind: &str| {
        format!("CREATE STATISTICS public.{name} ({kind}) ON a, b FROM public.t")
    };
    let both = |first: &str, second: &str| {
        let mut c = named_statistics(&format!("public.{first}"), &def(first, "ndistinct"));
        let s = named_statistics(&format!("public.{second}"), &def(second, "mcv"))
            .statistics
            .pop_first()
            .unwrap();
        c.statistics.insert(s.0, s.1);
        c
    };
    assert_eq!(
        sql(&diff(&both("s1", "s2"), &both("s2", "s1"))),
        [
            "ALTER STATISTICS public.s1 RENAME TO s1_swap_tmp",
            "ALTER STATISTICS public.s2 RENAME TO s1",
            "ALTER STATISTICS public.s1_swap_tmp RENAME TO s2"
        ]
    );
}

#[test]
fn renamed_extended_statistics_dropped_anyway_are_dropped_under_their_old_name() {
    let from = named_statistics(
        "public.t_ab",
        "CREATE STATISTICS public.t_ab (ndistinct) ON a, b FROM public.t",
    );
    let created = "CREATE STATISTICS public.t_pairs (ndistinct) ON a, b FROM public.t";
    let mut to = named_statistics("public.t_pairs", created);
    to.tables.get_mut(&qn("public.t")).unwrap().columns[1].data_type = "bigint".into();
    to.casts.insert(("integer".into(), "bigint".into()));
    let plan = diff(&from, &to);
    assert!(!sql(&plan).iter().any(|s| s.contains("RENAME")));
    assert!(at(&plan, "DROP STATISTICS public.t_ab") < at(&plan, created));
    assert!(at(&plan, created) < at(&plan, "ALTER STATISTICS public.t_pairs SET STATISTICS 200"));
}

fn with_extension(comment: Option<&str>) -> Catalog {
    let mut c = Catalog::default();
    c.extensions.insert(
        "pg_trgm".into(),
        Extension {
            schema: "public".into(),
            version: "1.6".into(),
            comment: comment.map(Into::into),
            control_comment: Some("trigrams".into()),
        },
    );
    c
}

#[test]
fn an_extension_comment_is_set_removed_and_given_back_to_the_control_files() {
    let default = with_extension(None);
    let commented = with_extension(Some("search"));
    let removed = with_extension(Some(""));
    assert_eq!(
        sql(&diff(&default, &commented)),
        ["COMMENT ON EXTENSION pg_trgm IS 'search'"]
    );
    assert_eq!(
        sql(&diff(&commented, &default)),
        ["COMMENT ON EXTENSION pg_trgm IS 'trigrams'"]
    );
    assert_eq!(
        sql(&diff(&default, &removed)),
        ["COMMENT ON EXTENSION pg_trgm IS NULL"]
    );
    assert_eq!(
        sql(&diff(&removed, &commented)),
        ["COMMENT ON EXTENSION pg_trgm IS 'search'"]
    );
    assert!(sql(&diff(&default, &default)).is_empty());
    assert_eq!(
        sql(&diff(&Catalog::default(), &commented)),
        [
            "CREATE EXTENSION pg_trgm WITH SCHEMA public VERSION '1.6'",
            "COMMENT ON EXTENSION pg_trgm IS 'search'"
        ]
    );
    assert_eq!(
        sql(&diff(&Catalog::default(), &default)),
        ["CREATE EXTENSION pg_trgm WITH SCHEMA public VERSION '1.6'"]
    );
}

#[test]
fn a_domain_constraint_comment_is_set_and_follows_the_constraint() {
    let domain = |check: &str, comment: Option<&str>| {
        let mut d = Domain {
            base_type: "integer".into(),
            ..Domain::default()
        };
        d.constraints.insert("positive".into(), check.into());
        if let Some(comment) = comment {
            d.constraint_comments
                .insert("positive".into(), comment.into());
        }
        let mut c = Catalog::default();
        c.types.insert(qn("public.qty"), UserType::Domain(d));
        c
    };
    let what = "COMMENT ON CONSTRAINT positive ON DOMAIN public.qty";
    let plain = domain("CHECK ((VALUE > 0))", None);
    let commented = domain("CHECK ((VALUE > 0))", Some("no zero"));
    assert_eq!(
        sql(&diff(&plain, &commented)),
        [format!("{what} IS 'no zero'")]
    );
    assert_eq!(sql(&diff(&commented, &plain)), [format!("{what} IS NULL")]);
    assert_eq!(
        sql(&diff(&Catalog::default(), &commented)),
        [
            "CREATE DOMAIN public.qty AS integer CONSTRAINT positive CHECK ((VALUE > 0))"
                .to_owned(),
            format!("{what} IS 'no zero'")
        ]
    );
    let changed = domain("CHECK ((VALUE >= 0))", Some("no zero"));
    assert_eq!(
        sql(&diff(&commented, &changed)),
        [
            "ALTER DOMAIN public.qty DROP CONSTRAINT positive".to_owned(),
            "ALTER DOMAIN public.qty ADD CONSTRAINT positive CHECK ((VALUE >= 0))".to_owned(),
            format!("{what} IS 'no zero'")
        ]
    );
}

#[test]
fn tables_alike_in_shape_moved_together_each_keep_their_name() {
    let mut from = Catalog::default();
    let mut to = Catalog::default();
    for i in 0..200 {
        let t = table(vec![col("id", "bigint"), col("name", "text")]);
        from.tables.insert(qn(&format!("app.t{i:03}")), t.clone());
        to.tables.insert(qn(&format!("core.t{i:03}")), t);
    }
    let plan = diff(&from, &to);
    let moves: Vec<&str> = sql(&plan)
        .into_iter()
        .filter(|s| s.starts_with("ALTER TABLE app.t") && s.ends_with(" SET SCHEMA core"))
        .collect();
    assert_eq!(moves.len(), 200, "{}", plan.sql());
    assert!(moves.contains(&"ALTER TABLE app.t123 SET SCHEMA core"));
    assert!(
        sql(&plan)
            .iter()
            .all(|s| !s.starts_with("DROP TABLE") && !s.starts_with("CREATE TABLE")),
        "{}",
        plan.sql()
    );
}
