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
    quote_literal, Catalog, ConstraintKind, FunctionKind, Identity, QualifiedName, UserType,
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
            out.insert(
                format!("extension {name}"),
                format!(
                    "version {} in schema {}",
                    extension.version, extension.schema
                ),
            );
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
                if let Some(expression) = &c.generated {
                    text.push_str(&format!(" generated always as ({expression}) stored"));
                }
                if let Some(user_type) = &c.user_type {
                    text.push_str(&format!(", user type {user_type}"));
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

/// Qualified names separated by `, `.
fn names(names: &[QualifiedName]) -> String {
    names
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
