//! The stable text form of a [`Catalog`]: one line per object, so that two
//! schemas can be compared and their difference shown a line at a time (the
//! test kit's [`crate::testing::Snapshot`] is this form).
//!
//! Each entry is `"<kind> <name>" -> "<definition>"`. The definition starts
//! with what the server prints for the object and goes on with its other
//! properties as `, <property> <value>` parts, a comment last. Every field
//! of the model appears, so that two catalogs are equal exactly when their
//! entries are; only [`Catalog::server_version`] is left out, which is not
//! part of the schema.

use std::collections::BTreeMap;

use super::{
    quote_literal, Catalog, ConstraintKind, FunctionKind, Identity, IdentityOptions, QualifiedName,
    ReplicaIdentity, UserType,
};

impl Catalog {
    /// One line per object: what names it (`column public.t.c`) and its
    /// definition, sorted by name. Two catalogs are equal exactly when their
    /// entries are (the server version aside).
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::catalog::{Catalog, Column, QualifiedName, Table};
    ///
    /// let mut catalog = Catalog::default();
    /// let column = Column { name: "id".into(), data_type: "integer".into(), not_null: true, ..Column::default() };
    /// catalog.tables.insert(QualifiedName::new("public", "t"), Table { columns: vec![column], ..Table::default() });
    /// let entries = catalog.entries();
    /// assert_eq!(entries["table public.t"], "columns (id)");
    /// assert_eq!(entries["column public.t.id"], "integer not null");
    /// ```
    pub fn entries(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        for (name, schema) in &self.schemas {
            let mut text = String::from("schema");
            comment(&mut text, &schema.comment);
            out.insert(format!("schema {name}"), text);
        }
        for (name, extension) in &self.extensions {
            let mut text = format!(
                "version {} in schema {}",
                extension.version, extension.schema
            );
            comment(&mut text, &extension.comment);
            out.insert(format!("extension {name}"), text);
        }
        for (name, user_type) in &self.types {
            let (kind, text) = match user_type {
                UserType::Enum(e) => {
                    let labels: Vec<String> = e.labels.iter().map(|l| quote_literal(l)).collect();
                    let mut text = format!("labels ({})", labels.join(", "));
                    comment(&mut text, &e.comment);
                    ("enum", text)
                }
                UserType::Domain(d) => {
                    let mut text = d.base_type.clone();
                    if let Some(collation) = &d.collation {
                        text.push_str(&format!(" collate {collation}"));
                    }
                    if d.not_null {
                        text.push_str(" not null");
                    }
                    if let Some(default) = &d.default {
                        text.push_str(&format!(" default {default}"));
                    }
                    for (constraint, definition) in &d.constraints {
                        text.push_str(&format!(", constraint {constraint} {definition}"));
                        if let Some(note) = d.constraint_comments.get(constraint) {
                            text.push_str(&format!(" comment {}", quote_literal(note)));
                        }
                    }
                    comment(&mut text, &d.comment);
                    ("domain", text)
                }
                UserType::Composite(c) => {
                    let attributes: Vec<String> = c
                        .attributes
                        .iter()
                        .map(|(n, t)| format!("{n} {t}"))
                        .collect();
                    let mut text = format!("attributes ({})", attributes.join(", "));
                    comment(&mut text, &c.comment);
                    ("composite type", text)
                }
            };
            out.insert(format!("{kind} {name}"), text);
        }
        for (name, s) in &self.sequences {
            let mut text = format!(
                "{} start {} increment {} min {} max {} cache {}",
                s.data_type, s.start, s.increment, s.min, s.max, s.cache
            );
            if s.cycle {
                text.push_str(" cycle");
            }
            if let Some((table, column)) = &s.owned_by {
                text.push_str(&format!(" owned by {table}.{column}"));
            }
            comment(&mut text, &s.comment);
            out.insert(format!("sequence {name}"), text);
        }
        for (name, t) in &self.tables {
            let columns: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
            let mut text = format!("columns ({})", columns.join(", "));
            if let Some(key) = &t.partition_by {
                text.push_str(&format!(", partition by {key}"));
            }
            if let Some((parent, bound)) = &t.partition_of {
                text.push_str(&format!(", partition of {parent} {bound}"));
            }
            if !t.inherits.is_empty() {
                text.push_str(&format!(", inherits ({})", names(&t.inherits)));
            }
            if t.unlogged {
                text.push_str(", unlogged");
            }
            if t.row_security {
                text.push_str(", row level security");
            }
            if t.force_row_security {
                text.push_str(", force row level security");
            }
            if !t.options.is_empty() {
                text.push_str(&format!(", with ({})", t.options.join(", ")));
            }
            match &t.replica_identity {
                ReplicaIdentity::Default => {}
                ReplicaIdentity::Nothing => text.push_str(", replica identity nothing"),
                ReplicaIdentity::Full => text.push_str(", replica identity full"),
                ReplicaIdentity::Index(index) => {
                    text.push_str(&format!(", replica identity using index {index}"))
                }
            }
            comment(&mut text, &t.comment);
            out.insert(format!("table {name}"), text);
            for c in &t.columns {
                let mut text = c.data_type.clone();
                if let Some(collation) = &c.collation {
                    text.push_str(&format!(" collate {collation}"));
                }
                text.push_str(if c.not_null { " not null" } else { " null" });
                if let Some(default) = &c.default {
                    text.push_str(&format!(" default {default}"));
                }
                match c.identity {
                    Some(Identity::Always) => text.push_str(" generated always as identity"),
                    Some(Identity::ByDefault) => text.push_str(" generated by default as identity"),
                    None => {}
                }
                if !c.identity_options.is_default() {
                    text.push_str(&format!(" ({})", identity_options(&c.identity_options)));
                }
                if let Some(expression) = &c.generated {
                    text.push_str(&format!(" generated always as ({expression}) stored"));
                }
                if let Some(user_type) = &c.user_type {
                    text.push_str(&format!(", user type {user_type}"));
                }
                if let Some(target) = c.statistics {
                    text.push_str(&format!(", statistics {target}"));
                }
                if let Some((storage, type_storage)) = &c.storage {
                    text.push_str(&format!(
                        ", storage {} (type's {})",
                        storage.to_lowercase(),
                        type_storage.to_lowercase()
                    ));
                }
                comment(&mut text, &c.comment);
                out.insert(format!("column {name}.{}", c.name), text);
            }
        }
        for ((table, name), c) in &self.constraints {
            let kind = match c.kind {
                ConstraintKind::PrimaryKey => "primary key",
                ConstraintKind::Unique => "unique",
                ConstraintKind::Check => "check",
                ConstraintKind::Exclusion => "exclusion",
                ConstraintKind::ForeignKey => "foreign key",
            };
            let mut text = format!("{}, kind {kind}", c.definition);
            if let Some(references) = &c.references {
                text.push_str(&format!(", references {references}"));
            }
            comment(&mut text, &c.comment);
            out.insert(format!("constraint {table}.{name}"), text);
        }
        for (name, i) in &self.indexes {
            let mut text = format!("{}, on {}", i.definition, i.table);
            comment(&mut text, &i.comment);
            out.insert(format!("index {name}"), text);
        }
        for (name, v) in &self.views {
            let mut text = format!("AS {}", v.definition);
            if !v.options.is_empty() {
                text.push_str(&format!(", with ({})", v.options.join(", ")));
            }
            if !v.depends_on.is_empty() {
                text.push_str(&format!(", depends on ({})", names(&v.depends_on)));
            }
            comment(&mut text, &v.comment);
            let kind = if v.materialized {
                "materialized view"
            } else {
                "view"
            };
            out.insert(format!("{kind} {name}"), text);
            let columns: std::collections::BTreeSet<&String> = v
                .column_comments
                .keys()
                .chain(v.column_defaults.keys())
                .collect();
            for column in columns {
                let mut parts = Vec::new();
                if let Some(default) = v.column_defaults.get(column) {
                    parts.push(format!("default {default}"));
                }
                if let Some(c) = v.column_comments.get(column) {
                    parts.push(format!("comment {}", quote_literal(c)));
                }
                out.insert(format!("{kind} column {name}.{column}"), parts.join(", "));
            }
        }
        for (name, f) in &self.functions {
            let kind = match f.kind {
                FunctionKind::Function => "function",
                FunctionKind::Procedure => "procedure",
                FunctionKind::Aggregate => "aggregate",
                FunctionKind::Window => "window function",
            };
            let mut parts = Vec::new();
            if let Some(result) = &f.result {
                parts.push(format!("returns {result}"));
            }
            if !f.uses_row_types.is_empty() {
                parts.push(format!("uses row types ({})", names(&f.uses_row_types)));
            }
            parts.push(format!("definition {}", f.definition));
            let mut text = parts.join(", ");
            comment(&mut text, &f.comment);
            out.insert(format!("{kind} {name}"), text);
        }
        for ((table, name), t) in &self.triggers {
            let mut text = format!("{}, executes {}", t.definition, t.function);
            match t.enabled {
                'O' => {}
                'D' => text.push_str(", disabled"),
                'R' => text.push_str(", enabled replica"),
                'A' => text.push_str(", enabled always"),
                other => text.push_str(&format!(", enabled {other}")),
            }
            comment(&mut text, &t.comment);
            out.insert(format!("trigger {table}.{name}"), text);
        }
        for (name, s) in &self.statistics {
            let mut text = format!("{}, on {}", s.definition, s.table);
            if let Some(target) = s.target {
                text.push_str(&format!(", statistics {target}"));
            }
            comment(&mut text, &s.comment);
            out.insert(format!("statistics {name}"), text);
        }
        for ((table, name), p) in &self.policies {
            let mut text = format!(
                "{} for {} to ({})",
                if p.permissive {
                    "permissive"
                } else {
                    "restrictive"
                },
                p.command,
                p.roles.join(", ")
            );
            if let Some(using) = &p.using {
                text.push_str(&format!(" using ({using})"));
            }
            if let Some(check) = &p.with_check {
                text.push_str(&format!(" with check ({check})"));
            }
            comment(&mut text, &p.comment);
            out.insert(format!("policy {table}.{name}"), text);
        }
        for ((table, name), r) in &self.rules {
            let mut text = r.definition.clone();
            comment(&mut text, &r.comment);
            out.insert(format!("rule {table}.{name}"), text);
        }
        out
    }

    /// The same catalog with every table's columns sorted by name: for
    /// comparisons where column order does not count (`ALTER TABLE ... ADD
    /// COLUMN` can only append).
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::catalog::{Catalog, Column, QualifiedName, Table};
    ///
    /// let column = |name: &str| Column { name: name.into(), data_type: "text".into(), ..Column::default() };
    /// let mut catalog = Catalog::default();
    /// catalog.tables.insert(QualifiedName::new("public", "t"), Table { columns: vec![column("b"), column("a")], ..Table::default() });
    /// assert_eq!(catalog.ignoring_column_order().entries()["table public.t"], "columns (a, b)");
    /// ```
    pub fn ignoring_column_order(&self) -> Catalog {
        let mut c = self.clone();
        for t in c.tables.values_mut() {
            t.columns.sort_by(|a, b| a.name.cmp(&b.name));
        }
        c
    }
}

/// Appends `, comment '...'` when there is a comment.
fn comment(text: &mut String, comment: &Option<String>) {
    if let Some(comment) = comment {
        text.push_str(", comment ");
        text.push_str(&quote_literal(comment));
    }
}

/// The options of an identity column that are not the defaults, as
/// `start 100 increment 10 cycle`.
fn identity_options(o: &IdentityOptions) -> String {
    let mut parts = Vec::new();
    let values = [
        ("start", o.start),
        ("increment", o.increment),
        ("min", o.min),
        ("max", o.max),
        ("cache", o.cache),
    ];
    for (what, value) in values {
        if let Some(value) = value {
            parts.push(format!("{what} {value}"));
        }
    }
    if o.cycle {
        parts.push("cycle".to_owned());
    }
    parts.join(" ")
}

/// Qualified names separated by `, `.
fn names(names: &[QualifiedName]) -> String {
    names
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::*;

    fn q(name: &str) -> QualifiedName {
        QualifiedName::new("public", name)
    }

    /// One object of every kind, every optional field set.
    fn full() -> Catalog {
        let mut c = Catalog {
            server_version: 150004,
            ..Catalog::default()
        };
        c.schemas.insert(
            "audit".into(),
            Schema {
                comment: Some("s".into()),
            },
        );
        c.extensions.insert(
            "pgcrypto".into(),
            Extension {
                schema: "public".into(),
                version: "1.3".into(),
                comment: Some("x".into()),
                control_comment: Some("cryptographic functions".into()),
            },
        );
        c.types.insert(
            q("kind"),
            UserType::Enum(Enum {
                labels: vec!["a".into(), "b".into()],
                comment: Some("e".into()),
            }),
        );
        c.types.insert(
            q("positive"),
            UserType::Domain(Domain {
                base_type: "integer".into(),
                not_null: true,
                default: Some("1".into()),
                collation: Some("pg_catalog.\"C\"".into()),
                constraints: [("positive_check".into(), "CHECK ((VALUE > 0))".into())].into(),
                constraint_comments: [("positive_check".into(), "k".into())].into(),
                comment: Some("d".into()),
            }),
        );
        c.types.insert(
            q("pair"),
            UserType::Composite(Composite {
                attributes: vec![("a".into(), "integer".into())],
                comment: Some("c".into()),
            }),
        );
        c.sequences.insert(
            q("t_id_seq"),
            Sequence {
                data_type: "integer".into(),
                start: 1,
                increment: 1,
                min: 1,
                max: 100,
                cache: 1,
                cycle: true,
                owned_by: Some((q("t"), "id".into())),
                comment: Some("q".into()),
            },
        );
        let column = |name: &str| Column {
            name: name.into(),
            data_type: "integer".into(),
            user_type: Some(q("kind")),
            not_null: true,
            default: Some("0".into()),
            identity: Some(Identity::Always),
            generated: Some("(id * 2)".into()),
            collation: Some("pg_catalog.\"C\"".into()),
            identity_options: IdentityOptions {
                start: Some(5),
                increment: Some(2),
                min: Some(5),
                max: Some(100),
                cache: Some(10),
                cycle: true,
            },
            statistics: Some(500),
            storage: Some(("EXTERNAL".into(), "EXTENDED".into())),
            comment: Some("col".into()),
        };
        c.tables.insert(
            q("t"),
            Table {
                columns: vec![column("id"), column("b")],
                partition_by: Some("RANGE (id)".into()),
                partition_of: Some((q("p"), "DEFAULT".into())),
                inherits: vec![q("base")],
                unlogged: true,
                row_security: true,
                force_row_security: true,
                options: vec!["fillfactor=70".into()],
                replica_identity: ReplicaIdentity::Index("t_b".into()),
                comment: Some("t".into()),
            },
        );
        c.views.insert(
            q("v"),
            View {
                materialized: true,
                definition: "SELECT 1".into(),
                options: vec!["security_barrier=true".into()],
                depends_on: vec![q("t")],
                comment: Some("v".into()),
                column_comments: [("a".to_owned(), "a".to_owned())].into(),
                column_defaults: [("a".to_owned(), "1".to_owned())].into(),
            },
        );
        c.rules.insert(
            (q("t"), "r".into()),
            Rule {
                definition: "CREATE RULE r AS ON DELETE TO public.t DO INSTEAD NOTHING".into(),
                comment: Some("r".into()),
            },
        );
        let function = FunctionName {
            name: q("f"),
            arguments: "a integer".into(),
        };
        c.functions.insert(
            function.clone(),
            Function {
                kind: FunctionKind::Function,
                definition: "CREATE OR REPLACE FUNCTION public.f(a integer) ...".into(),
                result: Some("trigger".into()),
                uses_row_types: vec![q("t")],
                input_types: "integer".into(),
                defaults: 0,
                comment: Some("f".into()),
            },
        );
        c.constraints.insert(
            (q("t"), "t_fk".into()),
            Constraint {
                kind: ConstraintKind::ForeignKey,
                definition: "FOREIGN KEY (b) REFERENCES public.u(id)".into(),
                references: Some(q("u")),
                comment: Some("k".into()),
            },
        );
        c.indexes.insert(
            q("t_b"),
            Index {
                table: q("t"),
                definition: "CREATE INDEX t_b ON public.t USING btree (b)".into(),
                comment: Some("i".into()),
            },
        );
        c.triggers.insert(
            (q("t"), "g".into()),
            Trigger {
                definition: "CREATE TRIGGER g ...".into(),
                enabled: 'O',
                function,
                comment: Some("g".into()),
            },
        );
        c.statistics.insert(
            q("t_stats"),
            Statistics {
                table: q("t"),
                definition: "CREATE STATISTICS public.t_stats ON id, b FROM public.t".into(),
                target: Some(300),
                comment: Some("s".into()),
            },
        );
        c.policies.insert(
            (q("t"), "p".into()),
            Policy {
                permissive: true,
                command: "ALL".into(),
                roles: vec!["public".into()],
                using: Some("true".into()),
                with_check: Some("false".into()),
                comment: Some("p".into()),
            },
        );
        c
    }

    fn table(c: &mut Catalog) -> &mut Table {
        c.tables.get_mut(&q("t")).unwrap()
    }

    fn column(c: &mut Catalog) -> &mut Column {
        &mut table(c).columns[0]
    }

    fn user_type<'a>(c: &'a mut Catalog, name: &str) -> &'a mut UserType {
        c.types.get_mut(&q(name)).unwrap()
    }

    fn sequence(c: &mut Catalog) -> &mut Sequence {
        c.sequences.get_mut(&q("t_id_seq")).unwrap()
    }

    fn view(c: &mut Catalog) -> &mut View {
        c.views.get_mut(&q("v")).unwrap()
    }

    fn function(c: &mut Catalog) -> &mut Function {
        c.functions.values_mut().next().unwrap()
    }

    fn constraint(c: &mut Catalog) -> &mut Constraint {
        c.constraints.values_mut().next().unwrap()
    }

    fn index(c: &mut Catalog) -> &mut Index {
        c.indexes.values_mut().next().unwrap()
    }

    fn trigger(c: &mut Catalog) -> &mut Trigger {
        c.triggers.values_mut().next().unwrap()
    }

    fn policy(c: &mut Catalog) -> &mut Policy {
        c.policies.values_mut().next().unwrap()
    }

    fn enum_(c: &mut Catalog) -> &mut Enum {
        match user_type(c, "kind") {
            UserType::Enum(e) => e,
            _ => unreachable!(),
        }
    }

    fn domain(c: &mut Catalog) -> &mut Domain {
        match user_type(c, "positive") {
            UserType::Domain(d) => d,
            _ => unreachable!(),
        }
    }

    fn composite(c: &mut Catalog) -> &mut Composite {
        match user_type(c, "pair") {
            UserType::Composite(p) => p,
            _ => unreachable!(),
        }
    }

    type Change = (&'static str, fn(&mut Catalog));

    /// One change to each field of the model (and to each map's keys).
    const CHANGES: &[Change] = &[
        ("schema name", |c| {
            let s = c.schemas.remove("audit").unwrap();
            c.schemas.insert("\"Audit\"".into(), s);
        }),
        ("schema comment", |c| {
            c.schemas.get_mut("audit").unwrap().comment = None
        }),
        ("extension name", |c| {
            let e = c.extensions.remove("pgcrypto").unwrap();
            c.extensions.insert("hstore".into(), e);
        }),
        ("extension schema", |c| {
            c.extensions.get_mut("pgcrypto").unwrap().schema = "x".into()
        }),
        ("extension version", |c| {
            c.extensions.get_mut("pgcrypto").unwrap().version = "1.4".into()
        }),
        ("extension comment", |c| {
            c.extensions.get_mut("pgcrypto").unwrap().comment = None
        }),
        ("type name", |c| {
            let t = c.types.remove(&q("kind")).unwrap();
            c.types.insert(q("kind2"), t);
        }),
        ("enum labels", |c| enum_(c).labels.reverse()),
        ("enum comment", |c| enum_(c).comment = None),
        ("domain base type", |c| {
            domain(c).base_type = "bigint".into()
        }),
        ("domain not null", |c| domain(c).not_null = false),
        ("domain default", |c| domain(c).default = None),
        ("domain collation", |c| domain(c).collation = None),
        ("domain constraints", |c| domain(c).constraints.clear()),
        ("domain constraint definition", |c| {
            domain(c)
                .constraints
                .insert("positive_check".into(), "CHECK ((VALUE > 1))".into());
        }),
        ("domain comment", |c| domain(c).comment = None),
        ("domain constraint comment", |c| {
            domain(c).constraint_comments.clear()
        }),
        ("composite attributes", |c| {
            composite(c).attributes[0].1 = "text".into()
        }),
        ("composite comment", |c| composite(c).comment = None),
        ("a type's kind", |c| {
            *user_type(c, "pair") = UserType::Enum(Enum {
                labels: vec!["a integer".into()],
                comment: Some("c".into()),
            });
        }),
        ("sequence name", |c| {
            let s = c.sequences.remove(&q("t_id_seq")).unwrap();
            c.sequences.insert(q("other"), s);
        }),
        ("sequence data type", |c| {
            sequence(c).data_type = "bigint".into()
        }),
        ("sequence start", |c| sequence(c).start = 2),
        ("sequence increment", |c| sequence(c).increment = 2),
        ("sequence min", |c| sequence(c).min = 0),
        ("sequence max", |c| sequence(c).max = 99),
        ("sequence cache", |c| sequence(c).cache = 5),
        ("sequence cycle", |c| sequence(c).cycle = false),
        ("sequence owned by", |c| sequence(c).owned_by = None),
        ("sequence comment", |c| sequence(c).comment = None),
        ("table name", |c| {
            let t = c.tables.remove(&q("t")).unwrap();
            c.tables.insert(q("t2"), t);
        }),
        ("table column order", |c| table(c).columns.reverse()),
        ("table columns", |c| {
            table(c).columns.pop();
        }),
        ("table partition by", |c| table(c).partition_by = None),
        ("table partition of", |c| table(c).partition_of = None),
        ("table partition bound", |c| {
            table(c).partition_of = Some((q("p"), "FOR VALUES IN (1)".into()))
        }),
        ("table inherits", |c| table(c).inherits.clear()),
        ("table unlogged", |c| table(c).unlogged = false),
        ("table row security", |c| table(c).row_security = false),
        ("table force row security", |c| {
            table(c).force_row_security = false
        }),
        ("table options", |c| table(c).options.clear()),
        ("table comment", |c| table(c).comment = None),
        ("table replica identity", |c| {
            table(c).replica_identity = ReplicaIdentity::Full
        }),
        ("table replica identity nothing", |c| {
            table(c).replica_identity = ReplicaIdentity::Nothing
        }),
        ("table replica identity default", |c| {
            table(c).replica_identity = ReplicaIdentity::Default
        }),
        ("table replica identity index", |c| {
            table(c).replica_identity = ReplicaIdentity::Index("t_c".into())
        }),
        ("column name", |c| column(c).name = "id2".into()),
        ("column data type", |c| {
            column(c).data_type = "bigint".into()
        }),
        ("column user type", |c| column(c).user_type = None),
        ("column not null", |c| column(c).not_null = false),
        ("column default", |c| column(c).default = None),
        ("column identity", |c| {
            column(c).identity = Some(Identity::ByDefault)
        }),
        ("column no identity", |c| column(c).identity = None),
        ("column generated", |c| column(c).generated = None),
        ("column collation", |c| column(c).collation = None),
        ("column comment", |c| column(c).comment = None),
        ("column identity start", |c| {
            column(c).identity_options.start = None
        }),
        ("column identity increment", |c| {
            column(c).identity_options.increment = None
        }),
        ("column identity min", |c| {
            column(c).identity_options.min = None
        }),
        ("column identity max", |c| {
            column(c).identity_options.max = None
        }),
        ("column identity cache", |c| {
            column(c).identity_options.cache = None
        }),
        ("column identity cycle", |c| {
            column(c).identity_options.cycle = false
        }),
        ("column statistics", |c| column(c).statistics = None),
        ("column storage", |c| column(c).storage = None),
        ("statistics name", |c| {
            let s = c.statistics.remove(&q("t_stats")).unwrap();
            c.statistics.insert(q("t_stats2"), s);
        }),
        ("statistics table", |c| {
            c.statistics.values_mut().next().unwrap().table = q("u")
        }),
        ("statistics definition", |c| {
            c.statistics
                .values_mut()
                .next()
                .unwrap()
                .definition
                .push('x')
        }),
        ("statistics target", |c| {
            c.statistics.values_mut().next().unwrap().target = None
        }),
        ("statistics comment", |c| {
            c.statistics.values_mut().next().unwrap().comment = None
        }),
        ("constraint key", |c| {
            let k = c.constraints.remove(&(q("t"), "t_fk".into())).unwrap();
            c.constraints.insert((q("t"), "t_fk2".into()), k);
        }),
        ("constraint kind", |c| {
            constraint(c).kind = ConstraintKind::Check
        }),
        ("constraint definition", |c| {
            constraint(c).definition = "CHECK (true)".into()
        }),
        ("constraint references", |c| constraint(c).references = None),
        ("constraint comment", |c| constraint(c).comment = None),
        ("index name", |c| {
            let i = c.indexes.remove(&q("t_b")).unwrap();
            c.indexes.insert(q("t_b2"), i);
        }),
        ("index table", |c| index(c).table = q("u")),
        ("index definition", |c| {
            index(c).definition = "CREATE INDEX t_b ON public.t USING hash (b)".into()
        }),
        ("index comment", |c| index(c).comment = None),
        ("view name", |c| {
            let v = c.views.remove(&q("v")).unwrap();
            c.views.insert(q("v2"), v);
        }),
        ("view materialized", |c| view(c).materialized = false),
        ("view definition", |c| {
            view(c).definition = "SELECT 2".into()
        }),
        ("view options", |c| view(c).options.clear()),
        ("view depends on", |c| view(c).depends_on.clear()),
        ("view comment", |c| view(c).comment = None),
        ("view column comment", |c| view(c).column_comments.clear()),
        ("view column default", |c| view(c).column_defaults.clear()),
        ("rule key", |c| {
            let r = c.rules.remove(&(q("t"), "r".into())).unwrap();
            c.rules.insert((q("t"), "r2".into()), r);
        }),
        ("rule definition", |c| {
            c.rules.values_mut().next().unwrap().definition.push('x')
        }),
        ("rule comment", |c| {
            c.rules.values_mut().next().unwrap().comment = None
        }),
        ("function name", |c| {
            let (mut n, f) = c.functions.pop_first().unwrap();
            n.name = q("g");
            c.functions.insert(n, f);
        }),
        ("function arguments", |c| {
            let (mut n, f) = c.functions.pop_first().unwrap();
            n.arguments = "a bigint".into();
            c.functions.insert(n, f);
        }),
        ("function kind", |c| {
            function(c).kind = FunctionKind::Procedure
        }),
        ("function kind window", |c| {
            function(c).kind = FunctionKind::Window
        }),
        ("function kind aggregate", |c| {
            function(c).kind = FunctionKind::Aggregate
        }),
        ("function definition", |c| function(c).definition.push('x')),
        ("function result", |c| function(c).result = None),
        ("function uses row types", |c| {
            function(c).uses_row_types.clear()
        }),
        ("function comment", |c| function(c).comment = None),
        ("trigger key", |c| {
            let t = c.triggers.remove(&(q("t"), "g".into())).unwrap();
            c.triggers.insert((q("u"), "g".into()), t);
        }),
        ("trigger definition", |c| trigger(c).definition.push('x')),
        ("trigger enabled", |c| trigger(c).enabled = 'D'),
        ("trigger enabled replica", |c| trigger(c).enabled = 'R'),
        ("trigger enabled always", |c| trigger(c).enabled = 'A'),
        ("trigger function", |c| {
            trigger(c).function.arguments = "integer".into()
        }),
        ("trigger comment", |c| trigger(c).comment = None),
        ("policy key", |c| {
            let p = c.policies.remove(&(q("t"), "p".into())).unwrap();
            c.policies.insert((q("t"), "p2".into()), p);
        }),
        ("policy permissive", |c| policy(c).permissive = false),
        ("policy command", |c| policy(c).command = "SELECT".into()),
        ("policy roles", |c| {
            policy(c).roles.push("\"Readers\"".into())
        }),
        ("policy using", |c| policy(c).using = None),
        ("policy with check", |c| policy(c).with_check = None),
        ("policy comment", |c| policy(c).comment = None),
    ];

    #[test]
    fn every_field_of_the_model_shows_in_the_entries() {
        let base = full();
        let entries = base.entries();
        for (what, change) in CHANGES {
            let mut changed = full();
            change(&mut changed);
            assert_ne!(changed, base, "{what}: the change changes nothing");
            assert_ne!(
                changed.entries(),
                entries,
                "{what} does not show in the entries"
            );
        }
    }

    #[test]
    fn the_server_version_is_left_out_of_the_entries() {
        let mut other = full();
        other.server_version = 160000;
        assert_eq!(other.entries(), full().entries());
    }

    #[test]
    fn an_extension_shows_its_comment_only_when_it_is_not_the_control_files() {
        let mut other = full();
        let e = other.extensions.get_mut("pgcrypto").unwrap();
        e.control_comment = Some("other".into());
        assert_eq!(other.entries(), full().entries());
        other.extensions.get_mut("pgcrypto").unwrap().comment = None;
        assert_eq!(
            other.entries()["extension pgcrypto"],
            "version 1.3 in schema public"
        );
    }

    #[test]
    fn column_order_shows_only_in_the_table_entry() {
        let mut reordered = full();
        table(&mut reordered).columns.reverse();
        let (a, b) = (full().entries(), reordered.entries());
        let differing: Vec<&String> = a.keys().filter(|k| a.get(*k) != b.get(*k)).collect();
        assert_eq!(differing, ["table public.t"]);
        assert_eq!(
            full().ignoring_column_order().entries(),
            reordered.ignoring_column_order().entries()
        );
    }

    #[test]
    fn a_comment_is_quoted_at_the_end_of_the_definition() {
        let mut c = full();
        table(&mut c).comment = Some("it's".into());
        assert!(c.entries()["table public.t"].ends_with(", comment 'it''s'"));
    }
}
