//! Renames: an object that disappears while another with the same
//! definition (names set aside) appears is renamed, not dropped and
//! created, so that its data and everything attached to it stay.
//!
//! Detection rewrites `from` as it will be after the renames (keys and the
//! definitions that print the renamed object's name), so that the other
//! families compare like with like. Views are paired in [`super::views`],
//! which knows which views must be recreated anyway.

use std::collections::BTreeMap;

use super::{pair, replace_name, replace_word, Builder, Phase};
use crate::catalog::{Catalog, QualifiedName, ReplicaIdentity, Table};

/// Pairs and renames tables, sequences, indexes, constraints, triggers,
/// policies and columns, in that order, rewriting `from` to match.
pub(super) fn detect(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    tables(b, from, to);
    sequences(b, from, to);
    indexes(b, from, to);
    constraints(b, from, to);
    triggers(b, from, to);
    policies(b, from, to);
    columns(b, from, to);
}

fn tables(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let sig = |name: &QualifiedName, t: &Table| {
        let mut t = t.clone();
        t.comment = None;
        for c in &mut t.columns {
            c.comment = None;
        }
        format!("{} {t:?}", name.schema)
    };
    let gone = missing(&from.tables, &to.tables, sig);
    let new = missing(&to.tables, &from.tables, sig);
    for (old, new) in pair(gone, new) {
        b.review(
            Phase::Renames,
            format!("rename table {old} to {new}"),
            format!("ALTER TABLE {old} RENAME TO {}", new.name),
            "possible rename: if not, replace with DROP TABLE + CREATE TABLE",
        );
        rename_relation(from, &old, &new);
        b.old_table.insert(new, old);
    }
}

fn sequences(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let sig = |name: &QualifiedName, s: &crate::catalog::Sequence| {
        let mut s = s.clone();
        s.comment = None;
        format!("{} {s:?}", name.schema)
    };
    let gone = missing(&from.sequences, &to.sequences, sig);
    let new = missing(&to.sequences, &from.sequences, sig);
    for (old, new) in pair(gone, new) {
        b.push(
            Phase::Renames,
            format!("rename sequence {old} to {new}"),
            format!("ALTER SEQUENCE {old} RENAME TO {}", new.name),
        );
        rename_relation(from, &old, &new);
    }
}

fn indexes(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let sig = |name: &QualifiedName, i: &crate::catalog::Index| {
        let def = replace_word(
            &i.definition,
            &format!("INDEX {} ON", name.name),
            "INDEX ON",
        );
        format!("{} {} {def}", name.schema, i.table)
    };
    let gone = missing(&from.indexes, &to.indexes, sig);
    let new = missing(&to.indexes, &from.indexes, sig);
    for (old, new) in pair(gone, new) {
        b.push(
            Phase::Renames,
            format!("rename index {old} to {new}"),
            format!("ALTER INDEX {old} RENAME TO {}", new.name),
        );
        if let Some(mut index) = from.indexes.remove(&old) {
            index.definition = index.definition.replacen(
                &format!("INDEX {} ON", old.name),
                &format!("INDEX {} ON", new.name),
                1,
            );
            rename_replica_index(from, &index.table, &old.name, &new.name);
            from.indexes.insert(new, index);
        }
    }
}

fn constraints(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let sig = |(table, _): &(QualifiedName, String), c: &crate::catalog::Constraint| {
        format!("{table} {:?} {}", c.kind, c.definition)
    };
    let gone = missing(&from.constraints, &to.constraints, sig);
    let new = missing(&to.constraints, &from.constraints, sig);
    for (old, new) in pair(gone, new) {
        let sql = format!(
            "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
            new.0, old.1, new.1
        );
        b.renamed_constraints
            .insert(new.clone(), (old.1.clone(), sql.clone()));
        b.push(
            Phase::Renames,
            format!("rename constraint {} on {} to {}", old.1, old.0, new.1),
            sql,
        );
        if let Some(c) = from.constraints.remove(&old) {
            if c.kind != crate::catalog::ConstraintKind::ForeignKey {
                rename_replica_index(from, &new.0, &old.1, &new.1);
            }
            from.constraints.insert(new, c);
        }
    }
}

fn triggers(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let sig = |(table, name): &(QualifiedName, String), t: &crate::catalog::Trigger| {
        let def = replace_word(&t.definition, &format!("TRIGGER {name}"), "TRIGGER");
        format!("{table} {} {} {def}", t.enabled, t.function)
    };
    let gone = missing(&from.triggers, &to.triggers, sig);
    let new = missing(&to.triggers, &from.triggers, sig);
    for (old, new) in pair(gone, new) {
        b.push(
            Phase::Renames,
            format!("rename trigger {} on {} to {}", old.1, old.0, new.1),
            format!("ALTER TRIGGER {} ON {} RENAME TO {}", old.1, new.0, new.1),
        );
        if let Some(mut t) = from.triggers.remove(&old) {
            t.definition = t.definition.replacen(
                &format!("TRIGGER {} ", old.1),
                &format!("TRIGGER {} ", new.1),
                1,
            );
            from.triggers.insert(new, t);
        }
    }
}

fn policies(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let sig = |(table, _): &(QualifiedName, String), p: &crate::catalog::Policy| {
        let mut p = p.clone();
        p.comment = None;
        format!("{table} {p:?}")
    };
    let gone = missing(&from.policies, &to.policies, sig);
    let new = missing(&to.policies, &from.policies, sig);
    for (old, new) in pair(gone, new) {
        b.push(
            Phase::Renames,
            format!("rename policy {} on {} to {}", old.1, old.0, new.1),
            format!("ALTER POLICY {} ON {} RENAME TO {}", old.1, new.0, new.1),
        );
        if let Some(p) = from.policies.remove(&old) {
            from.policies.insert(new, p);
        }
    }
}

/// One column that disappears and one that appears, alike but for the
/// name, in a table that is not a partition or an inheritance child (their
/// columns follow their parent's).
fn columns(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let mut renames = Vec::new();
    for (name, t) in &to.tables {
        let Some(f) = from.tables.get(name) else {
            continue;
        };
        if t.partition_of.is_some() || !t.inherits.is_empty() {
            continue;
        }
        let gone: Vec<_> = f
            .columns
            .iter()
            .filter(|c| t.column(&c.name).is_none())
            .collect();
        let new: Vec<_> = t
            .columns
            .iter()
            .filter(|c| f.column(&c.name).is_none())
            .collect();
        if let ([g], [n]) = (gone.as_slice(), new.as_slice()) {
            let alike = g.data_type == n.data_type
                && g.not_null == n.not_null
                && g.default == n.default
                && g.identity == n.identity
                && g.generated == n.generated
                && g.collation == n.collation;
            if alike {
                renames.push((name.clone(), g.name.clone(), n.name.clone()));
            }
        }
    }
    for (table, old, new) in renames {
        b.review(
            Phase::Renames,
            format!("rename column {table}.{old} to {new}"),
            format!("ALTER TABLE {table} RENAME COLUMN {old} TO {new}"),
            "possible rename: if not, replace with DROP COLUMN + ADD COLUMN",
        );
        rename_column(from, &table, &old, &new);
    }
}

/// Renames a column in `table` and in the tables that inherit it.
fn rename_column(cat: &mut Catalog, table: &QualifiedName, old: &str, new: &str) {
    if let Some(t) = cat.tables.get_mut(table) {
        for c in &mut t.columns {
            if c.name == old {
                c.name = new.to_owned();
            }
        }
    }
    let children: Vec<QualifiedName> = cat
        .tables
        .iter()
        .filter(|(_, t)| {
            t.partition_of.as_ref().is_some_and(|(p, _)| p == table) || t.inherits.contains(table)
        })
        .map(|(n, _)| n.clone())
        .collect();
    for child in children {
        rename_column(cat, &child, old, new);
    }
}

/// Follows the rename of an index (or of the constraint it implements)
/// from `old` to `new` in the replica identity of `table`, which keeps it.
fn rename_replica_index(cat: &mut Catalog, table: &QualifiedName, old: &str, new: &str) {
    if let Some(t) = cat.tables.get_mut(table) {
        if t.replica_identity == ReplicaIdentity::Index(old.to_owned()) {
            t.replica_identity = ReplicaIdentity::Index(new.to_owned());
        }
    }
}

/// The objects of `a` missing from `b`, with their signatures.
fn missing<K: Clone + Ord, V>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
    sig: impl Fn(&K, &V) -> String,
) -> Vec<(K, String)> {
    a.iter()
        .filter(|(k, _)| !b.contains_key(k))
        .map(|(k, v)| (k.clone(), sig(k, v)))
        .collect()
}

/// Rewrites `cat` as if the table, view or sequence `old` were named
/// `new`: its key, the keys of what hangs on it, and the definitions that
/// the server prints with the current name.
pub(super) fn rename_relation(cat: &mut Catalog, old: &QualifiedName, new: &QualifiedName) {
    let map = |q: &mut QualifiedName| {
        if q == old {
            *q = new.clone();
        }
    };
    let text = |s: &mut String| *s = replace_name(s, old, new);
    if let Some(t) = cat.tables.remove(old) {
        cat.tables.insert(new.clone(), t);
    }
    if let Some(v) = cat.views.remove(old) {
        cat.views.insert(new.clone(), v);
    }
    if let Some(s) = cat.sequences.remove(old) {
        cat.sequences.insert(new.clone(), s);
    }
    for t in cat.tables.values_mut() {
        if let Some((p, bound)) = &mut t.partition_of {
            map(p);
            text(bound);
        }
        t.inherits.iter_mut().for_each(map);
        for c in &mut t.columns {
            c.default.iter_mut().for_each(text);
            c.generated.iter_mut().for_each(text);
        }
    }
    cat.constraints = std::mem::take(&mut cat.constraints)
        .into_iter()
        .map(|((mut t, n), mut c)| {
            map(&mut t);
            c.references.iter_mut().for_each(map);
            text(&mut c.definition);
            ((t, n), c)
        })
        .collect();
    for i in cat.indexes.values_mut() {
        map(&mut i.table);
        text(&mut i.definition);
    }
    cat.triggers = std::mem::take(&mut cat.triggers)
        .into_iter()
        .map(|((mut t, n), mut tr)| {
            map(&mut t);
            text(&mut tr.definition);
            ((t, n), tr)
        })
        .collect();
    cat.policies = std::mem::take(&mut cat.policies)
        .into_iter()
        .map(|((mut t, n), mut p)| {
            map(&mut t);
            p.using.iter_mut().for_each(text);
            p.with_check.iter_mut().for_each(text);
            ((t, n), p)
        })
        .collect();
    for s in cat.statistics.values_mut() {
        map(&mut s.table);
        text(&mut s.definition);
    }
    for s in cat.sequences.values_mut() {
        if let Some((t, _)) = &mut s.owned_by {
            map(t);
        }
    }
    for v in cat.views.values_mut() {
        v.depends_on.iter_mut().for_each(map);
        v.depends_on.sort();
        text(&mut v.definition);
    }
    for f in cat.functions.values_mut() {
        f.uses_row_types.iter_mut().for_each(map);
        f.uses_row_types.sort();
    }
    for ty in cat.types.values_mut() {
        if let crate::catalog::UserType::Domain(d) = ty {
            d.default.iter_mut().for_each(text);
            d.constraints.values_mut().for_each(text);
        }
    }
}
