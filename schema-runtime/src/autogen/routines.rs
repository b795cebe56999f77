//! Functions and procedures, triggers, rewrite rules, and row-level
//! security policies.
//!
//! Functions are created early (tables' defaults, checks and triggers call
//! them), those whose signature uses a table's row type after the tables,
//! and dropped late, once nothing that calls them remains. A routine whose
//! result type, argument names, `OUT` arguments or kind change, or that
//! loses an argument default, cannot be replaced in place: it is dropped and
//! created, with the triggers that execute it. Aggregates and C window
//! functions are only reported. A rule whose query changes is replaced in
//! place; one that reads a view dropped and created again or a column that
//! is dropped or changes type goes first and comes back after.

use std::collections::BTreeSet;

use super::{mentions, Builder, Phase};
use crate::catalog::{
    Catalog, Function, FunctionKind, FunctionName, Policy, QualifiedName, Rule, Trigger,
};

pub(super) fn diff(
    b: &mut Builder,
    from: &Catalog,
    to: &Catalog,
    dropped_views: &BTreeSet<QualifiedName>,
    reshaped: &BTreeSet<(QualifiedName, String)>,
) {
    let replaced = functions(b, from, to);
    // What names a column that is dropped or changes type goes first and
    // comes back after.
    let reads_reshaped = |table: &QualifiedName, texts: &[Option<&str>]| {
        reshaped.iter().any(|(t, column)| {
            t == table && texts.iter().flatten().any(|text| mentions(text, column))
        })
    };
    triggers(
        b,
        from,
        to,
        dropped_views,
        &replaced,
        &|table, t: &Trigger| reads_reshaped(table, &[Some(&t.definition)]),
    );
    rules(b, from, to, dropped_views, &|table, r: &Rule| {
        reads_reshaped(table, &[Some(&r.definition)])
    });
    policies(b, from, to, &|table, p: &Policy| {
        reads_reshaped(table, &[p.using.as_deref(), p.with_check.as_deref()])
    });
}

fn generated(f: &Function) -> bool {
    matches!(f.kind, FunctionKind::Function | FunctionKind::Procedure)
}

fn keyword(f: &Function) -> &'static str {
    match f.kind {
        FunctionKind::Procedure => "PROCEDURE",
        FunctionKind::Aggregate => "AGGREGATE",
        _ => "FUNCTION",
    }
}

/// The routine of `from` that `to`'s routine `name` cannot exist beside:
/// one of the same name and argument types that `to` no longer has (its
/// argument names, `OUT` arguments or kind differ).
fn displaced<'a>(
    from: &'a Catalog,
    to: &Catalog,
    name: &FunctionName,
    t: &Function,
) -> Option<(&'a FunctionName, &'a Function)> {
    if from.functions.contains_key(name) {
        return None;
    }
    from.functions.iter().find(|(n, f)| {
        n.name == name.name
            && f.input_types == t.input_types
            && generated(f)
            && !to.functions.contains_key(n)
    })
}

/// Plans the functions and returns those dropped and created again.
fn functions(b: &mut Builder, from: &Catalog, to: &Catalog) -> BTreeSet<FunctionName> {
    let mut replaced = BTreeSet::new();
    for (name, f) in &from.functions {
        if !generated(f) && to.functions.get(name) != Some(f) {
            let what = if to.functions.contains_key(name) {
                "changes"
            } else {
                "is dropped"
            };
            b.not_generated(format!(
                "{} {name} {what}: aggregates and C window functions are not generated",
                keyword(f).to_lowercase()
            ));
        }
    }
    for (name, t) in &to.functions {
        let before = from.functions.get(name);
        if !generated(t) {
            if before.is_none() {
                b.not_generated(format!(
                    "{} {name} is created: aggregates and C window functions are not generated",
                    keyword(t).to_lowercase()
                ));
            }
            continue;
        }
        let create = if t.uses_row_types.is_empty() {
            Phase::CreateFunctions
        } else {
            Phase::CreateRowTypeFunctions
        };
        let what = format!("{} {name}", keyword(t));
        let before = match displaced(from, to, name, t) {
            Some((old, f)) => {
                replaced.insert(old.clone());
                Some((old, f))
            }
            None => before.map(|f| (name, f)),
        };
        match before {
            Some((old, f))
                if old == name
                    && f.kind == t.kind
                    && f.result == t.result
                    && t.defaults >= f.defaults =>
            {
                if f.definition != t.definition {
                    b.creates_function = true;
                    b.push(
                        create,
                        format!("replace {}", what.to_lowercase()),
                        t.definition.clone(),
                    );
                }
                b.comment(&what, Some(&f.comment), &t.comment);
            }
            Some((old, f)) => {
                replaced.insert(old.clone());
                b.review(
                    Phase::ReplaceFunctions,
                    format!(
                        "drop {} {old} to change its signature or result",
                        keyword(f).to_lowercase()
                    ),
                    format!("DROP {} {old}", keyword(f)),
                    "result type, argument names, OUT arguments, kind or defaults change: \
                     dropped and created again, which fails if a view, default or constraint \
                     uses it",
                );
                let phase = if t.uses_row_types.is_empty() {
                    Phase::ReplaceFunctions
                } else {
                    create
                };
                b.creates_function = true;
                b.push(
                    phase,
                    format!("create {}", what.to_lowercase()),
                    t.definition.clone(),
                );
                b.comment(&what, None, &t.comment);
            }
            None => {
                b.creates_function = true;
                b.push(
                    create,
                    format!("create {}", what.to_lowercase()),
                    t.definition.clone(),
                );
                b.comment(&what, None, &t.comment);
            }
        }
    }
    for (name, f) in &from.functions {
        if generated(f) && !to.functions.contains_key(name) && !replaced.contains(name) {
            // A function over a table's row type goes before the table can.
            let phase = if f.uses_row_types.is_empty() {
                Phase::DropFunctions
            } else {
                Phase::DropRowTypeFunctions
            };
            b.push(
                phase,
                format!("drop {} {name}", keyword(f).to_lowercase()),
                format!("DROP {} {name}", keyword(f)),
            );
        }
    }
    replaced
}

fn enable_sql(table: &QualifiedName, name: &str, enabled: char) -> String {
    let how = match enabled {
        'D' => "DISABLE",
        'R' => "ENABLE REPLICA",
        'A' => "ENABLE ALWAYS",
        _ => "ENABLE",
    };
    format!("ALTER TABLE {table} {how} TRIGGER {name}")
}

/// Rules: dropped with the triggers, created or replaced with them.
fn rules(
    b: &mut Builder,
    from: &Catalog,
    to: &Catalog,
    dropped_views: &BTreeSet<QualifiedName>,
    reads_reshaped: &dyn Fn(&QualifiedName, &Rule) -> bool,
) {
    let goes_with = |table: &QualifiedName| {
        dropped_views.contains(table)
            || (!to.tables.contains_key(table) && !to.views.contains_key(table))
    };
    let reads_dropped = |r: &Rule| {
        dropped_views
            .iter()
            .any(|v| super::mentions(&r.definition, &v.to_string()))
    };
    let mut kept = BTreeSet::new();
    for (key @ (table, name), f) in &from.rules {
        if goes_with(table) {
            continue;
        }
        if to.rules.contains_key(key) && !reads_dropped(f) && !reads_reshaped(table, f) {
            kept.insert(key.clone());
            continue;
        }
        let old = b.before_renames(table);
        b.push(
            Phase::DropTriggers,
            format!("drop rule {name} on {old}"),
            format!("DROP RULE {name} ON {old}"),
        );
    }
    for (key @ (table, name), t) in &to.rules {
        let what = format!("RULE {name} ON {table}");
        match from.rules.get(key).filter(|_| kept.contains(key)) {
            Some(f) => {
                if f.definition != t.definition {
                    b.push(
                        Phase::CreateTriggers,
                        format!("replace rule {name} on {table}"),
                        t.definition
                            .replacen("CREATE RULE", "CREATE OR REPLACE RULE", 1),
                    );
                }
                b.comment(&what, Some(&f.comment), &t.comment);
            }
            None => {
                b.push(
                    Phase::CreateTriggers,
                    format!("create rule {name} on {table}"),
                    t.definition.clone(),
                );
                b.comment(&what, None, &t.comment);
            }
        }
    }
}

fn triggers(
    b: &mut Builder,
    from: &Catalog,
    to: &Catalog,
    dropped_views: &BTreeSet<QualifiedName>,
    replaced: &BTreeSet<FunctionName>,
    reads_reshaped: &dyn Fn(&QualifiedName, &Trigger) -> bool,
) {
    let goes_with = |table: &QualifiedName| {
        dropped_views.contains(table)
            || (!to.tables.contains_key(table) && !to.views.contains_key(table))
    };
    let mut kept = BTreeSet::new();
    for (key @ (table, name), f) in &from.triggers {
        if goes_with(table) {
            continue;
        }
        let same = to
            .triggers
            .get(key)
            .is_some_and(|t| t.definition == f.definition);
        if same && !replaced.contains(&f.function) && !reads_reshaped(table, f) {
            kept.insert(key.clone());
            continue;
        }
        let old = b.before_renames(table);
        b.push(
            Phase::DropTriggers,
            format!("drop trigger {name} on {old}"),
            format!("DROP TRIGGER {name} ON {old}"),
        );
    }
    for (key @ (table, name), t) in &to.triggers {
        let what = format!("TRIGGER {name} ON {table}");
        if kept.contains(key) {
            let f = &from.triggers[key];
            if f.enabled != t.enabled {
                b.push(
                    Phase::CreateTriggers,
                    format!("set trigger {name} on {table} to {}", t.enabled),
                    enable_sql(table, name, t.enabled),
                );
            }
            b.comment(&what, Some(&f.comment), &t.comment);
            continue;
        }
        b.push(
            Phase::CreateTriggers,
            format!("create trigger {name} on {table}"),
            t.definition.clone(),
        );
        if t.enabled != 'O' {
            b.push(
                Phase::CreateTriggers,
                format!("set trigger {name} on {table} to {}", t.enabled),
                enable_sql(table, name, t.enabled),
            );
        }
        b.comment(&what, None, &t.comment);
    }
}

/// Whether `ALTER POLICY` cannot turn `f` into `t`.
fn recreate_policy(f: &Policy, t: &Policy) -> bool {
    f.permissive != t.permissive
        || f.command != t.command
        || (f.using.is_some() && t.using.is_none())
        || (f.with_check.is_some() && t.with_check.is_none())
}

fn policies(
    b: &mut Builder,
    from: &Catalog,
    to: &Catalog,
    reads_reshaped: &dyn Fn(&QualifiedName, &Policy) -> bool,
) {
    let recreated = |(table, name): &(QualifiedName, String), t: &Policy| {
        from.policies
            .get(&(table.clone(), name.clone()))
            .is_none_or(|f| recreate_policy(f, t) || reads_reshaped(table, f))
    };
    for key @ (table, name) in from.policies.keys() {
        if !to.tables.contains_key(table) {
            continue;
        }
        if to.policies.get(key).is_some_and(|t| !recreated(key, t)) {
            continue;
        }
        let old = b.before_renames(table);
        b.push(
            Phase::DropPolicies,
            format!("drop policy {name} on {old}"),
            format!("DROP POLICY {name} ON {old}"),
        );
    }
    for (key @ (table, name), t) in &to.policies {
        let what = format!("POLICY {name} ON {table}");
        let mut clauses = String::new();
        match from.policies.get(key).filter(|_| !recreated(key, t)) {
            Some(f) => {
                if f.roles != t.roles {
                    clauses.push_str(&format!(" TO {}", t.roles.join(", ")));
                }
                if f.using != t.using {
                    if let Some(u) = &t.using {
                        clauses.push_str(&format!(" USING ({u})"));
                    }
                }
                if f.with_check != t.with_check {
                    if let Some(c) = &t.with_check {
                        clauses.push_str(&format!(" WITH CHECK ({c})"));
                    }
                }
                if !clauses.is_empty() {
                    b.push(
                        Phase::CreatePolicies,
                        format!("alter policy {name} on {table}"),
                        format!("ALTER POLICY {name} ON {table}{clauses}"),
                    );
                }
                b.comment(&what, Some(&f.comment), &t.comment);
            }
            None => {
                let kind = if t.permissive {
                    "PERMISSIVE"
                } else {
                    "RESTRICTIVE"
                };
                let mut sql = format!(
                    "CREATE POLICY {name} ON {table} AS {kind} FOR {}",
                    t.command
                );
                if !t.roles.is_empty() {
                    sql.push_str(&format!(" TO {}", t.roles.join(", ")));
                }
                if let Some(u) = &t.using {
                    sql.push_str(&format!(" USING ({u})"));
                }
                if let Some(c) = &t.with_check {
                    sql.push_str(&format!(" WITH CHECK ({c})"));
                }
                b.push(
                    Phase::CreatePolicies,
                    format!("create policy {name} on {table}"),
                    sql,
                );
                b.comment(&what, None, &t.comment);
            }
        }
    }
}
