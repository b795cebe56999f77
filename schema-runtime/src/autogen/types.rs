//! Schemas, extensions and user types (enums, domains, composite types).
//!
//! They come first in a plan (tables and functions use them) and go last
//! (after the columns that use them are gone). An enum whose labels can
//! only grow in place is altered with `ADD VALUE`; one that loses or
//! reorders labels is recreated, and [`super::tables`] converts its
//! columns.

use std::collections::BTreeSet;

use super::{quote, unquote, Builder, Phase};
use crate::catalog::{
    quote_literal, Catalog, Composite, Domain, Enum, Extension, QualifiedName, UserType,
};

/// The enums whose labels lose a value or change order: they are recreated
/// under the same name.
pub(super) fn recreated_enums(from: &Catalog, to: &Catalog) -> BTreeSet<QualifiedName> {
    to.types
        .iter()
        .filter_map(|(name, t)| match (from.types.get(name), t) {
            (Some(UserType::Enum(f)), UserType::Enum(t)) if !grows_in_place(f, t) => {
                Some(name.clone())
            }
            _ => None,
        })
        .collect()
}

/// Whether `from`'s labels appear in `to` in the same order.
fn grows_in_place(from: &Enum, to: &Enum) -> bool {
    let kept: Vec<&String> = to
        .labels
        .iter()
        .filter(|l| from.labels.contains(l))
        .collect();
    kept.len() == from.labels.len() && kept.iter().zip(&from.labels).all(|(a, b)| *a == b)
}

/// The name an enum is renamed to while its replacement is created.
pub(super) fn old_enum_name(name: &QualifiedName) -> QualifiedName {
    QualifiedName::new(
        name.schema.clone(),
        quote(&format!("{}__old", unquote(&name.name))),
    )
}

pub(super) fn diff(
    b: &mut Builder,
    from: &Catalog,
    to: &Catalog,
    recreated: &BTreeSet<QualifiedName>,
) {
    schemas(b, from, to);
    extensions(b, from, to);
    for (name, t) in &to.types {
        match (from.types.get(name), t) {
            (Some(UserType::Enum(f)), UserType::Enum(t)) => {
                if recreated.contains(name) {
                    recreate_enum(b, name, t);
                } else {
                    add_labels(b, name, f, t);
                }
                let before = (!recreated.contains(name)).then_some(&f.comment);
                b.comment(&format!("TYPE {name}"), before, &t.comment);
            }
            (Some(UserType::Domain(f)), UserType::Domain(t)) => alter_domain(b, name, f, t),
            (Some(UserType::Composite(f)), UserType::Composite(t)) => {
                alter_composite(b, name, f, t)
            }
            (Some(f), t) => {
                b.not_generated(format!(
                    "type {name} changes kind ({} to {}): drop and create it by hand",
                    kind(f),
                    kind(t)
                ));
            }
            (None, t) => create(b, name, t),
        }
    }
    for (name, t) in &to.types {
        let uses = |ty: &str| {
            recreated
                .iter()
                .find(|e| ty.trim_end_matches("[]") == e.to_string())
        };
        let used = match t {
            UserType::Domain(d) => uses(&d.base_type),
            UserType::Composite(c) => c.attributes.iter().find_map(|(_, ty)| uses(ty)),
            UserType::Enum(_) => None,
        };
        if let Some(e) = used {
            b.not_generated(format!(
                "{} {name} uses enum {e}, which is recreated: convert it by hand",
                kind(t)
            ));
        }
    }
    // Composites may use domains and enums, domains may use enums: drop in
    // the reverse order.
    for wanted in ["composite", "domain", "enum"] {
        for (name, f) in &from.types {
            if to.types.contains_key(name) || kind(f) != wanted {
                continue;
            }
            let what = if wanted == "domain" { "DOMAIN" } else { "TYPE" };
            b.push(
                Phase::DropTypes,
                format!("drop {wanted} {name}"),
                format!("DROP {what} {name}"),
            );
        }
    }
}

fn kind(t: &UserType) -> &'static str {
    match t {
        UserType::Enum(_) => "enum",
        UserType::Domain(_) => "domain",
        UserType::Composite(_) => "composite",
    }
}

fn schemas(b: &mut Builder, from: &Catalog, to: &Catalog) {
    for (name, s) in &to.schemas {
        let before = from.schemas.get(name);
        if before.is_none() {
            b.push(
                Phase::CreateSchemas,
                format!("create schema {name}"),
                format!("CREATE SCHEMA {name}"),
            );
        }
        b.comment(
            &format!("SCHEMA {name}"),
            before.map(|s| &s.comment),
            &s.comment,
        );
    }
    for name in from.schemas.keys().filter(|n| !to.schemas.contains_key(*n)) {
        b.push(
            Phase::DropSchemas,
            format!("drop schema {name}"),
            format!("DROP SCHEMA {name}"),
        );
    }
}

/// Extensions: created, updated, moved and dropped. A comment is set when
/// it differs from the one the extension has at that point, the one of its
/// control file for an extension this plan creates; a comment that goes
/// back to `None` gets that one again.
fn extensions(b: &mut Builder, from: &Catalog, to: &Catalog) {
    for (name, e) in &to.extensions {
        let what = format!("EXTENSION {name}");
        match from.extensions.get(name) {
            None => {
                b.push(
                    Phase::CreateExtensions,
                    format!("create extension {name}"),
                    format!(
                        "CREATE EXTENSION {name} WITH SCHEMA {} VERSION {}",
                        e.schema,
                        quote_literal(&e.version)
                    ),
                );
                if e.comment.is_some() {
                    b.comment(&what, Some(&e.control_comment), &extension_comment(e));
                }
            }
            Some(f) => {
                if f.comment != e.comment {
                    b.comment(&what, Some(&extension_comment(f)), &extension_comment(e));
                }
                if f.version != e.version {
                    b.push(
                        Phase::CreateExtensions,
                        format!("update extension {name} to {}", e.version),
                        format!(
                            "ALTER EXTENSION {name} UPDATE TO {}",
                            quote_literal(&e.version)
                        ),
                    );
                }
                if f.schema != e.schema {
                    b.push(
                        Phase::CreateExtensions,
                        format!("move extension {name} to {}", e.schema),
                        format!("ALTER EXTENSION {name} SET SCHEMA {}", e.schema),
                    );
                }
            }
        }
    }
    for name in from
        .extensions
        .keys()
        .filter(|n| !to.extensions.contains_key(*n))
    {
        b.push(
            Phase::DropExtensions,
            format!("drop extension {name}"),
            format!("DROP EXTENSION {name}"),
        );
    }
}

/// The comment an extension has: its own, `None` when removed, else its
/// control file's.
fn extension_comment(e: &Extension) -> Option<String> {
    match e.comment.as_deref() {
        Some("") => None,
        Some(comment) => Some(comment.to_owned()),
        None => e.control_comment.clone(),
    }
}

fn create(b: &mut Builder, name: &QualifiedName, t: &UserType) {
    match t {
        UserType::Enum(e) => {
            b.push(
                Phase::CreateEnums,
                format!("create enum {name}"),
                create_enum_sql(name, e),
            );
            b.comment(&format!("TYPE {name}"), None, &e.comment);
        }
        UserType::Domain(d) => {
            let mut sql = format!("CREATE DOMAIN {name} AS {}", d.base_type);
            if let Some(c) = &d.collation {
                sql.push_str(&format!(" COLLATE {c}"));
            }
            if let Some(def) = &d.default {
                sql.push_str(&format!(" DEFAULT {def}"));
            }
            if d.not_null {
                sql.push_str(" NOT NULL");
            }
            for (cname, def) in &d.constraints {
                sql.push_str(&format!(" CONSTRAINT {cname} {def}"));
            }
            b.push(Phase::CreateDomains, format!("create domain {name}"), sql);
            b.comment(&format!("DOMAIN {name}"), None, &d.comment);
            for (cname, note) in &d.constraint_comments {
                b.comment(
                    &format!("CONSTRAINT {cname} ON DOMAIN {name}"),
                    None,
                    &Some(note.clone()),
                );
            }
        }
        UserType::Composite(c) => {
            let attrs: Vec<String> = c
                .attributes
                .iter()
                .map(|(n, t)| format!("{n} {t}"))
                .collect();
            b.push(
                Phase::CreateComposites,
                format!("create type {name}"),
                format!("CREATE TYPE {name} AS ({})", attrs.join(", ")),
            );
            b.comment(&format!("TYPE {name}"), None, &c.comment);
        }
    }
}

fn create_enum_sql(name: &QualifiedName, e: &Enum) -> String {
    let labels: Vec<String> = e.labels.iter().map(|l| quote_literal(l)).collect();
    format!("CREATE TYPE {name} AS ENUM ({})", labels.join(", "))
}

/// `ADD VALUE` for each new label, before the next label the type already
/// has, or after the one before it when it goes last.
fn add_labels(b: &mut Builder, name: &QualifiedName, from: &Enum, to: &Enum) {
    for (i, label) in to.labels.iter().enumerate() {
        if from.labels.contains(label) {
            continue;
        }
        let next = to.labels[i + 1..].iter().find(|l| from.labels.contains(l));
        let place = match (next, i.checked_sub(1)) {
            (Some(next), _) => format!(" BEFORE {}", quote_literal(next)),
            (None, Some(prev)) => format!(" AFTER {}", quote_literal(&to.labels[prev])),
            (None, None) => String::new(),
        };
        b.add_enum_value(
            format!("add value {label} to enum {name}"),
            format!(
                "ALTER TYPE {name} ADD VALUE {}{place}",
                quote_literal(label)
            ),
            label,
        );
    }
}

/// Renames the old type aside and creates the new one; the columns are
/// converted in [`super::tables`] and the old type dropped at the end.
fn recreate_enum(b: &mut Builder, name: &QualifiedName, to: &Enum) {
    let old = old_enum_name(name);
    b.review(
        Phase::CreateEnums,
        format!("rename enum {name} aside to recreate it"),
        format!("ALTER TYPE {name} RENAME TO {}", old.name),
        "enum labels removed or reordered: the type is recreated and its columns converted \
         through text, which fails if a row holds a removed label",
    );
    b.push(
        Phase::CreateEnums,
        format!("create enum {name}"),
        create_enum_sql(name, to),
    );
    b.push(
        Phase::DropTypes,
        format!("drop old enum {old}"),
        format!("DROP TYPE {old}"),
    );
}

fn alter_domain(b: &mut Builder, name: &QualifiedName, f: &Domain, t: &Domain) {
    if f.base_type != t.base_type || f.collation != t.collation {
        b.not_generated(format!(
            "domain {name} changes base type or collation: drop and create it by hand"
        ));
    }
    let phase = Phase::CreateDomains;
    for (cname, def) in &f.constraints {
        if t.constraints.get(cname) != Some(def) {
            b.push(
                phase,
                format!("drop constraint {cname} of domain {name}"),
                format!("ALTER DOMAIN {name} DROP CONSTRAINT {cname}"),
            );
        }
    }
    if f.default != t.default {
        let sql = match &t.default {
            Some(d) => format!("ALTER DOMAIN {name} SET DEFAULT {d}"),
            None => format!("ALTER DOMAIN {name} DROP DEFAULT"),
        };
        b.push(phase, format!("change default of domain {name}"), sql);
    }
    if f.not_null != t.not_null {
        if t.not_null {
            b.review(
                phase,
                format!("set not null on domain {name}"),
                format!("ALTER DOMAIN {name} SET NOT NULL"),
                "fails if a column of this domain holds NULL",
            );
        } else {
            b.push(
                phase,
                format!("drop not null on domain {name}"),
                format!("ALTER DOMAIN {name} DROP NOT NULL"),
            );
        }
    }
    for (cname, def) in &t.constraints {
        if f.constraints.get(cname) != Some(def) {
            b.push(
                phase,
                format!("add constraint {cname} to domain {name}"),
                format!("ALTER DOMAIN {name} ADD CONSTRAINT {cname} {def}"),
            );
        }
    }
    b.comment(&format!("DOMAIN {name}"), Some(&f.comment), &t.comment);
    for cname in t.constraints.keys() {
        // A constraint added again comes without its comment.
        let before = if f.constraints.get(cname) == t.constraints.get(cname) {
            f.constraint_comments.get(cname).cloned()
        } else {
            None
        };
        b.comment(
            &format!("CONSTRAINT {cname} ON DOMAIN {name}"),
            Some(&before),
            &t.constraint_comments.get(cname).cloned(),
        );
    }
}

fn alter_composite(b: &mut Builder, name: &QualifiedName, f: &Composite, t: &Composite) {
    let phase = Phase::CreateComposites;
    let find = |list: &[(String, String)], n: &str| {
        list.iter().find(|(a, _)| a == n).map(|(_, ty)| ty.clone())
    };
    for (attr, _) in &f.attributes {
        if find(&t.attributes, attr).is_none() {
            b.review(
                phase,
                format!("drop attribute {attr} of type {name}"),
                format!("ALTER TYPE {name} DROP ATTRIBUTE {attr}"),
                "data loss: values of this attribute are dropped",
            );
        }
    }
    for (attr, ty) in &t.attributes {
        match find(&f.attributes, attr) {
            None => b.push(
                phase,
                format!("add attribute {attr} to type {name}"),
                format!("ALTER TYPE {name} ADD ATTRIBUTE {attr} {ty}"),
            ),
            Some(old) if &old != ty => b.review(
                phase,
                format!("change type of attribute {attr} of type {name}"),
                format!("ALTER TYPE {name} ALTER ATTRIBUTE {attr} TYPE {ty}"),
                "fails if the type is used by a table column",
            ),
            Some(_) => {}
        }
    }
    let kept: Vec<&String> = f
        .attributes
        .iter()
        .map(|(a, _)| a)
        .filter(|a| find(&t.attributes, a).is_some())
        .chain(
            t.attributes
                .iter()
                .map(|(a, _)| a)
                .filter(|a| find(&f.attributes, a).is_none()),
        )
        .collect();
    let wanted: Vec<&String> = t.attributes.iter().map(|(a, _)| a).collect();
    if kept != wanted {
        b.not_generated(format!(
            "attribute order of type {name} differs: it cannot be changed in place"
        ));
    }
    b.comment(&format!("TYPE {name}"), Some(&f.comment), &t.comment);
}
