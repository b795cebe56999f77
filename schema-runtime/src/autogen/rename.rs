//! Renames and moves: an object that disappears while another with the
//! same definition (names set aside) appears is renamed, or moved to its
//! new schema with `SET SCHEMA` (and then renamed if its name changed too),
//! not dropped and created, so that its data and everything attached to it
//! stay.
//!
//! Renames that need a name another rename frees (`t` becomes `t_old`
//! while `t_new` becomes `t`) are paired too, and run in an order where
//! each takes a free name; a cycle (two objects that swap names) goes
//! through a temporary name first.
//!
//! Detection rewrites `from` as it will be after the renames (keys and the
//! definitions that print the renamed object's name), so that the other
//! families compare like with like. Views are paired in [`super::views`],
//! which knows which views must be recreated anyway.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{pair, replace_name, replace_word, unquote, Builder, Phase};
use crate::catalog::{
    Catalog, Function, FunctionKind, FunctionName, QualifiedName, ReplicaIdentity, Table, UserType,
};

/// Pairs and renames tables, sequences, indexes, extended statistics,
/// constraints, triggers, policies and columns, in that order, rewriting `from` to match; tables
/// and sequences that changed schema are moved, and so are user types
/// and routines (types first, so that what uses them compares alike).
pub(super) fn detect(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    type_moves(b, from, to);
    tables(b, from, to);
    table_moves(b, from, to);
    sequences(b, from, to);
    sequence_moves(b, from, to);
    function_moves(b, from, to);
    indexes(b, from, to);
    statistics(b, from, to);
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
    let pairs = all_pairs(&from.tables, &to.tables, sig);
    for (old, new) in &pairs {
        b.old_table.insert(new.clone(), old.clone());
    }
    for (old, new) in relation_steps(from, to, &pairs) {
        b.review(
            Phase::Renames,
            format!("rename table {old} to {new}"),
            format!("ALTER TABLE {old} RENAME TO {}", new.name),
            "possible rename: if not, replace with DROP TABLE + CREATE TABLE",
        );
        rename_relation(from, &old, &new);
    }
}

/// Tables that changed schema (and perhaps name), alike otherwise once the
/// sequences they own, which move with them, are named in the new schema.
/// Their indexes, constraints, triggers and policies move with them too.
fn table_moves(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let sig = |t: &Table| {
        let mut t = t.clone();
        t.comment = None;
        for c in &mut t.columns {
            c.comment = None;
        }
        format!("{t:?}")
    };
    // The sequences each table owns, found once: each is owned by one
    // table and renamed only when that table moves.
    let mut owned: BTreeMap<QualifiedName, Vec<QualifiedName>> = BTreeMap::new();
    for (n, s) in &from.sequences {
        if let Some((t, _)) = &s.owned_by {
            owned.entry(t.clone()).or_default().push(n.clone());
        }
    }
    let owned_by = |table: &QualifiedName| owned.get(table).map_or(&[][..], Vec::as_slice);
    let moved_sig = |old: &QualifiedName, schema: &str| {
        let mut t = from.tables[old].clone();
        for seq in owned_by(old) {
            let to = QualifiedName::new(schema, seq.name.clone());
            for c in &mut t.columns {
                c.default = c.default.as_ref().map(|d| replace_name(d, seq, &to));
            }
        }
        sig(&t)
    };
    let pairs = pair_moves(
        &only_in(&from.tables, &to.tables),
        &only_in(&to.tables, &from.tables),
        moved_sig,
        |new| sig(&to.tables[new]),
    );
    for (old, new) in pairs {
        move_steps(b, "TABLE", &old, &new, relation_taken(from, &old, &new));
        for seq in owned_by(&old) {
            let to = QualifiedName::new(new.schema.clone(), seq.name.clone());
            rename_relation(from, seq, &to);
        }
        rename_relation(from, &old, &new);
        b.old_table.insert(new, old);
    }
}

/// The schema and the name an object's key names.
pub(super) trait Schema {
    /// The schema, quoted.
    fn schema(&self) -> &str;
    /// The name within the schema, quoted.
    fn local_name(&self) -> &str;
}

impl Schema for QualifiedName {
    fn schema(&self) -> &str {
        &self.schema
    }
    fn local_name(&self) -> &str {
        &self.name
    }
}

impl Schema for FunctionName {
    fn schema(&self) -> &str {
        &self.name.schema
    }
    fn local_name(&self) -> &str {
        &self.name.name
    }
}

/// `ALTER <kind> old SET SCHEMA`, then `RENAME TO` when the name changed
/// too, marked as a possible move; renamed first when its old name is
/// `taken` in the new schema.
pub(super) fn move_steps(
    b: &mut Builder,
    kind: &str,
    old: &QualifiedName,
    new: &QualifiedName,
    taken: bool,
) {
    let lower = kind.to_lowercase();
    let rename_first = taken && old.name != new.name;
    let at = if rename_first {
        let renamed = QualifiedName::new(old.schema.clone(), new.name.clone());
        b.push(
            Phase::Renames,
            format!("rename {lower} {old} to {renamed}"),
            format!("ALTER {kind} {old} RENAME TO {}", new.name),
        );
        renamed
    } else {
        old.clone()
    };
    b.review(
        Phase::Renames,
        format!("move {lower} {at} to schema {}", new.schema),
        format!("ALTER {kind} {at} SET SCHEMA {}", new.schema),
        format!("possible move: if not, replace with DROP {kind} + CREATE {kind}"),
    );
    if old.name != new.name && !rename_first {
        let moved = QualifiedName::new(new.schema.clone(), old.name.clone());
        b.push(
            Phase::Renames,
            format!("rename {lower} {moved} to {new}"),
            format!("ALTER {kind} {moved} RENAME TO {}", new.name),
        );
    }
}

/// Whether a relation named as `old` is in `new`'s schema already.
pub(super) fn relation_taken(cat: &Catalog, old: &QualifiedName, new: &QualifiedName) -> bool {
    let key = QualifiedName::new(new.schema.clone(), old.name.clone());
    cat.tables.contains_key(&key)
        || cat.views.contains_key(&key)
        || cat.sequences.contains_key(&key)
        || cat.indexes.contains_key(&key)
}

/// Pairs an object of `gone` with one of `new` in another schema when
/// their signatures match, and match for no other object of either side:
/// `old_sig(old, schema)` is the signature `old` would have once moved to
/// `schema`, `new_sig(new)` that of `new`. Objects that keep their name are
/// paired first, so that tables alike in shape that move together (a whole
/// schema moved) each go to their own name; the rest are paired by
/// signature alone (moved and renamed). Each signature is computed once per
/// object (and schema) and matched through a map, so that the pairing stays
/// linear when a whole schema moves.
pub(super) fn pair_moves<K: Clone + Schema>(
    gone: &[K],
    new: &[K],
    old_sig: impl Fn(&K, &str) -> String,
    new_sig: impl Fn(&K) -> String,
) -> Vec<(K, K)> {
    let new_sigs: Vec<String> = new.iter().map(new_sig).collect();
    let schemas: BTreeSet<&str> = new.iter().map(Schema::schema).collect();
    let old_sigs: Vec<Vec<(&str, String)>> = gone
        .iter()
        .map(|old| {
            schemas
                .iter()
                .filter(|s| **s != old.schema())
                .map(|s| (*s, old_sig(old, s)))
                .collect()
        })
        .collect();
    let mut paired_gone = vec![false; gone.len()];
    let mut paired_new = vec![false; new.len()];
    let mut pairs = Vec::new();
    for keep_name in [true, false] {
        let mut by_key: HashMap<(&str, &str, &str), Vec<usize>> = HashMap::new();
        for (i, n) in new.iter().enumerate().filter(|(i, _)| !paired_new[*i]) {
            let name = if keep_name { n.local_name() } else { "" };
            by_key
                .entry((n.schema(), name, new_sigs[i].as_str()))
                .or_default()
                .push(i);
        }
        let mut matches: Vec<(usize, usize)> = Vec::new();
        for (g, old) in gone.iter().enumerate().filter(|(g, _)| !paired_gone[*g]) {
            let name = if keep_name { old.local_name() } else { "" };
            for (schema, sig) in &old_sigs[g] {
                if let Some(found) = by_key.get(&(*schema, name, sig.as_str())) {
                    matches.extend(found.iter().map(|n| (g, *n)));
                }
            }
        }
        let (mut per_gone, mut per_new) = (vec![0; gone.len()], vec![0; new.len()]);
        for (g, n) in &matches {
            per_gone[*g] += 1;
            per_new[*n] += 1;
        }
        for (g, n) in matches {
            if per_gone[g] == 1 && per_new[n] == 1 {
                paired_gone[g] = true;
                paired_new[n] = true;
                pairs.push((g, n));
            }
        }
    }
    pairs.sort_unstable();
    pairs
        .into_iter()
        .map(|(g, n)| (gone[g].clone(), new[n].clone()))
        .collect()
}

/// Sequences that changed schema (and perhaps name), alike otherwise.
fn sequence_moves(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let sig = |s: &crate::catalog::Sequence| {
        let mut s = s.clone();
        s.comment = None;
        format!("{s:?}")
    };
    let pairs = pair_moves(
        &only_in(&from.sequences, &to.sequences),
        &only_in(&to.sequences, &from.sequences),
        |old, _| sig(&from.sequences[old]),
        |new| sig(&to.sequences[new]),
    );
    for (old, new) in pairs {
        move_steps(b, "SEQUENCE", &old, &new, relation_taken(from, &old, &new));
        rename_relation(from, &old, &new);
    }
}

/// Enums, domains and composite types that changed schema (and perhaps
/// name), alike otherwise; the columns, types, routines and definitions
/// that use them follow.
fn type_moves(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let sig = |t: &UserType| {
        let mut t = t.clone();
        match &mut t {
            UserType::Enum(e) => e.comment = None,
            UserType::Domain(d) => d.comment = None,
            UserType::Composite(c) => c.comment = None,
        }
        format!("{t:?}")
    };
    let pairs = pair_moves(
        &only_in(&from.types, &to.types),
        &only_in(&to.types, &from.types),
        |old, _| sig(&from.types[old]),
        |new| sig(&to.types[new]),
    );
    for (old, new) in pairs {
        let kind = match from.types[&old] {
            UserType::Domain(_) => "DOMAIN",
            _ => "TYPE",
        };
        let taken = from
            .types
            .contains_key(&QualifiedName::new(new.schema.clone(), old.name.clone()));
        move_steps(b, kind, &old, &new, taken);
        rename_type(from, &old, &new);
    }
}

/// Rewrites `cat` as if the type `old` were named `new`: its key, the
/// columns, domains, composite types and routines that use it (a routine's
/// key names its argument types), and the definitions that name it.
fn rename_type(cat: &mut Catalog, old: &QualifiedName, new: &QualifiedName) {
    let text = |s: &mut String| *s = replace_name(s, old, new);
    if let Some(t) = cat.types.remove(old) {
        cat.types.insert(new.clone(), t);
    }
    for t in cat.tables.values_mut() {
        for c in &mut t.columns {
            text(&mut c.data_type);
            if c.user_type.as_ref() == Some(old) {
                c.user_type = Some(new.clone());
            }
        }
    }
    for ty in cat.types.values_mut() {
        match ty {
            UserType::Domain(d) => text(&mut d.base_type),
            UserType::Composite(c) => c.attributes.iter_mut().for_each(|(_, t)| text(t)),
            UserType::Enum(_) => {}
        }
    }
    cat.functions = std::mem::take(&mut cat.functions)
        .into_iter()
        .map(|(mut k, mut f)| {
            text(&mut k.arguments);
            text(&mut f.definition);
            f.result.iter_mut().for_each(text);
            text(&mut f.input_types);
            (k, f)
        })
        .collect();
    for tr in cat.triggers.values_mut() {
        text(&mut tr.function.arguments);
    }
    rename_in_definitions(cat, old, new);
}

/// Functions and procedures that changed schema, alike otherwise; the
/// triggers that execute them and the definitions that call them follow.
fn function_moves(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let gone: Vec<FunctionName> = from
        .functions
        .iter()
        .filter(|(k, f)| {
            !to.functions.contains_key(*k)
                && matches!(f.kind, FunctionKind::Function | FunctionKind::Procedure)
        })
        .map(|(k, _)| k.clone())
        .collect();
    let new = only_in(&to.functions, &from.functions);
    // Alike but for the schema (and the comment): the same name and
    // arguments, and the same definition once it names the new schema.
    let sig = |key: &FunctionName, f: &Function| {
        let mut f = f.clone();
        f.comment = None;
        format!("{}\u{0}{}\u{0}{f:?}", key.name.name, key.arguments)
    };
    let pairs = pair_moves(
        &gone,
        &new,
        |old, schema| {
            let mut f = from.functions[old].clone();
            let moved = QualifiedName::new(schema, old.name.name.clone());
            f.definition = replace_name(&f.definition, &old.name, &moved);
            sig(old, &f)
        },
        |new| sig(new, &to.functions[new]),
    );
    for (old, new) in pairs {
        let Some(mut f) = from.functions.remove(&old) else {
            continue;
        };
        let kind = if f.kind == FunctionKind::Procedure {
            "PROCEDURE"
        } else {
            "FUNCTION"
        };
        b.review(
            Phase::Renames,
            format!(
                "move {} {old} to schema {}",
                kind.to_lowercase(),
                new.name.schema
            ),
            format!("ALTER {kind} {old} SET SCHEMA {}", new.name.schema),
            format!("possible move: if not, replace with DROP {kind} + CREATE {kind}"),
        );
        f.definition = replace_name(&f.definition, &old.name, &new.name);
        from.functions.insert(new.clone(), f);
        for tr in from.triggers.values_mut() {
            if tr.function == old {
                tr.function = new.clone();
            }
        }
        rename_in_definitions(from, &old.name, &new.name);
    }
}

fn sequences(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let sig = |name: &QualifiedName, s: &crate::catalog::Sequence| {
        let mut s = s.clone();
        s.comment = None;
        format!("{} {s:?}", name.schema)
    };
    let pairs = all_pairs(&from.sequences, &to.sequences, sig);
    for (old, new) in relation_steps(from, to, &pairs) {
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
    let pairs = all_pairs(&from.indexes, &to.indexes, sig);
    // Each index's name before the renames, and its rename statements.
    let mut origin: BTreeMap<QualifiedName, QualifiedName> = BTreeMap::new();
    let mut statements: BTreeMap<QualifiedName, Vec<String>> = BTreeMap::new();
    for (old, new) in relation_steps(from, to, &pairs) {
        let sql = format!("ALTER INDEX {old} RENAME TO {}", new.name);
        let first = origin.remove(&old).unwrap_or_else(|| old.clone());
        statements
            .entry(first.clone())
            .or_default()
            .push(sql.clone());
        origin.insert(new.clone(), first);
        b.push(Phase::Renames, format!("rename index {old} to {new}"), sql);
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
    for (new, old) in origin {
        let sql = statements.remove(&old).unwrap_or_default();
        b.renamed_indexes.insert(new, (old, sql));
    }
}

/// Extended statistics alike but for the name, on the same table and in
/// the same schema: `ALTER STATISTICS ... RENAME TO`, ordered as indexes
/// are, in the statistics' own namespace.
fn statistics(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let head = |name: &QualifiedName| format!("CREATE STATISTICS {name}");
    let sig = |name: &QualifiedName, s: &crate::catalog::Statistics| {
        let def = s
            .definition
            .strip_prefix(&head(name))
            .unwrap_or(&s.definition);
        format!("{} {} {def}", name.schema, s.table)
    };
    let pairs = all_pairs(&from.statistics, &to.statistics, sig);
    let occupied: BTreeSet<QualifiedName> = from.statistics.keys().cloned().collect();
    let avoid = occupied
        .iter()
        .chain(to.statistics.keys())
        .cloned()
        .collect();
    let steps = ordered(&pairs, occupied, avoid, |old, avoid| {
        let name = temporary(&old.name, |n| {
            avoid.contains(&QualifiedName::new(old.schema.clone(), n.clone()))
        });
        QualifiedName::new(old.schema.clone(), name)
    });
    // Each object's name before the renames, and its rename statements.
    let mut origin: BTreeMap<QualifiedName, QualifiedName> = BTreeMap::new();
    let mut statements: BTreeMap<QualifiedName, Vec<String>> = BTreeMap::new();
    for (old, new) in steps {
        let sql = format!("ALTER STATISTICS {old} RENAME TO {}", new.name);
        let first = origin.remove(&old).unwrap_or_else(|| old.clone());
        statements
            .entry(first.clone())
            .or_default()
            .push(sql.clone());
        origin.insert(new.clone(), first);
        b.push(
            Phase::Renames,
            format!("rename statistics {old} to {new}"),
            sql,
        );
        if let Some(mut s) = from.statistics.remove(&old) {
            s.definition = s.definition.replacen(&head(&old), &head(&new), 1);
            from.statistics.insert(new, s);
        }
    }
    for (new, old) in origin {
        let sql = statements.remove(&old).unwrap_or_default();
        b.renamed_statistics.insert(new, (old, sql));
    }
}

fn constraints(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let sig = |(table, _): &(QualifiedName, String), c: &crate::catalog::Constraint| {
        format!("{table} {:?} {}", c.kind, c.definition)
    };
    let pairs = all_pairs(&from.constraints, &to.constraints, sig);
    let keys = |c: &Catalog| c.constraints.keys().cloned().collect::<BTreeSet<_>>();
    for (old, new) in table_steps(&pairs, keys(from), &keys(to)) {
        let sql = format!(
            "ALTER TABLE {} RENAME CONSTRAINT {} TO {}",
            new.0, old.1, new.1
        );
        // One that goes through a temporary name is dropped under its new
        // name, after the renames.
        if pairs.contains(&(old.clone(), new.clone())) {
            b.renamed_constraints
                .insert(new.clone(), (old.1.clone(), sql.clone()));
        }
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
    let pairs = all_pairs(&from.triggers, &to.triggers, sig);
    let keys = |c: &Catalog| c.triggers.keys().cloned().collect::<BTreeSet<_>>();
    for (old, new) in table_steps(&pairs, keys(from), &keys(to)) {
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
    let pairs = all_pairs(&from.policies, &to.policies, sig);
    let keys = |c: &Catalog| c.policies.keys().cloned().collect::<BTreeSet<_>>();
    for (old, new) in table_steps(&pairs, keys(from), &keys(to)) {
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
/// columns follow their parent's); and columns that take each other's
/// names.
fn columns(b: &mut Builder, from: &mut Catalog, to: &Catalog) {
    let mut renames = Vec::new();
    let sig = |c: &crate::catalog::Column| {
        format!(
            "{:?}",
            (
                &c.data_type,
                c.not_null,
                &c.default,
                &c.identity,
                &c.generated,
                &c.collation
            )
        )
    };
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
        let sigs = |t: &Table| -> BTreeMap<String, String> {
            t.columns.iter().map(|c| (c.name.clone(), sig(c))).collect()
        };
        let (fs, ts) = (sigs(f), sigs(t));
        let taken: Vec<(String, String)> = renames
            .iter()
            .filter(|(table, _, _)| table == name)
            .map(|(_, o, n)| (o.clone(), n.clone()))
            .collect();
        let mut pairs = taken.clone();
        pairs.extend(chained(&fs, &ts, &taken));
        let occupied: BTreeSet<String> = fs.keys().cloned().collect();
        let avoid: BTreeSet<String> = occupied.iter().chain(ts.keys()).cloned().collect();
        renames.retain(|(table, _, _)| table != name);
        let steps = ordered(&pairs, occupied, avoid, |old, avoid| {
            temporary(old, |n| avoid.contains(n))
        });
        renames.extend(steps.into_iter().map(|(o, n)| (name.clone(), o, n)));
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

/// The pairs to rename from `from` to `to`: objects that disappear and
/// appear alike but for the name, then the chains and cycles of renames.
fn all_pairs<K: Clone + Ord, V>(
    from: &BTreeMap<K, V>,
    to: &BTreeMap<K, V>,
    sig: impl Fn(&K, &V) -> String,
) -> Vec<(K, K)> {
    let mut pairs = pair(missing(from, to, &sig), missing(to, from, &sig));
    let sigs = |m: &BTreeMap<K, V>| -> BTreeMap<K, String> {
        m.iter().map(|(k, v)| (k.clone(), sig(k, v))).collect()
    };
    let more = chained(&sigs(from), &sigs(to), &pairs);
    pairs.extend(more);
    pairs
}

/// Renames that need a name another rename frees: among the objects
/// (by signature) that changed or disappear and those that changed or
/// appear, leaving out those `taken` pairs already, the pairs alike but for
/// the name whose old name `to` still has or whose new name `from` already
/// has, kept only while another kept pair takes or frees that name.
fn chained<K: Clone + Ord>(
    from: &BTreeMap<K, String>,
    to: &BTreeMap<K, String>,
    taken: &[(K, K)],
) -> Vec<(K, K)> {
    let candidates =
        |a: &BTreeMap<K, String>, b: &BTreeMap<K, String>, used: &dyn Fn(&K) -> bool| {
            a.iter()
                .filter(|(k, s)| b.get(*k) != Some(*s) && !used(k))
                .map(|(k, s)| (k.clone(), s.clone()))
                .collect::<Vec<_>>()
        };
    let taken_old: BTreeSet<&K> = taken.iter().map(|(o, _)| o).collect();
    let taken_new: BTreeSet<&K> = taken.iter().map(|(_, n)| n).collect();
    let gone = candidates(from, to, &|k| taken_old.contains(k));
    let new = candidates(to, from, &|k| taken_new.contains(k));
    let mut kept: Vec<(K, K)> = pair(gone, new)
        .into_iter()
        .filter(|(o, n)| to.contains_key(o) || from.contains_key(n))
        .collect();
    loop {
        let (olds, news): (BTreeSet<K>, BTreeSet<K>) = kept.iter().cloned().unzip();
        let before = kept.len();
        kept.retain(|(o, n)| {
            (!to.contains_key(o) || news.contains(o)) && (!from.contains_key(n) || olds.contains(n))
        });
        if kept.len() == before {
            return kept;
        }
    }
}

/// The renames `pairs` as steps that each take a free name: a rename
/// waits for the one that frees its new name, and a cycle is broken by
/// renaming one of its objects to a temporary name (made by `temporary`
/// from its name and the names to avoid) first. `occupied` holds the names
/// in use before the renames, `avoid` every name of either side.
fn ordered<K: Clone + Ord>(
    pairs: &[(K, K)],
    mut occupied: BTreeSet<K>,
    mut avoid: BTreeSet<K>,
    temporary: impl Fn(&K, &BTreeSet<K>) -> K,
) -> Vec<(K, K)> {
    let mut pending = pairs.to_vec();
    let mut steps = Vec::new();
    while !pending.is_empty() {
        let (old, new) = match pending.iter().position(|(_, n)| !occupied.contains(n)) {
            Some(i) => pending.remove(i),
            None => {
                let (old, new) = pending.remove(0);
                let tmp = temporary(&old, &avoid);
                avoid.insert(tmp.clone());
                pending.push((tmp.clone(), new));
                (old, tmp)
            }
        };
        occupied.remove(&old);
        occupied.insert(new.clone());
        steps.push((old, new));
    }
    steps
}

/// A name for `name` to hold while it waits for its new one:
/// `<name>_swap_tmp`, numbered if `taken`, quoted as the server quotes.
fn temporary(name: &str, taken: impl Fn(&String) -> bool) -> String {
    let raw: String = unquote(name).chars().take(40).collect();
    (1..)
        .map(|i| {
            let candidate = if i == 1 {
                format!("{raw}_swap_tmp")
            } else {
                format!("{raw}_swap_tmp{i}")
            };
            let plain = candidate.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
                && candidate
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '$');
            if plain {
                candidate
            } else {
                super::quote(&candidate)
            }
        })
        .find(|c| !taken(c))
        .unwrap_or_default()
}

/// The steps of the renames `pairs` of relations (tables, views,
/// sequences, indexes), which share one namespace per schema.
fn relation_steps(
    from: &Catalog,
    to: &Catalog,
    pairs: &[(QualifiedName, QualifiedName)],
) -> Vec<(QualifiedName, QualifiedName)> {
    let names = |c: &Catalog| -> BTreeSet<QualifiedName> {
        c.tables
            .keys()
            .chain(c.views.keys())
            .chain(c.sequences.keys())
            .chain(c.indexes.keys())
            .cloned()
            .collect()
    };
    let occupied = names(from);
    let avoid = occupied.union(&names(to)).cloned().collect();
    ordered(pairs, occupied, avoid, |old, avoid| {
        let name = temporary(&old.name, |n| {
            avoid.contains(&QualifiedName::new(old.schema.clone(), n.clone()))
        });
        QualifiedName::new(old.schema.clone(), name)
    })
}

/// The key of an object named per table: the table and its name.
type OnTable = (QualifiedName, String);

/// The steps of the renames `pairs` of objects named per table
/// (constraints, triggers, policies), `from` and `to` their keys.
fn table_steps(
    pairs: &[(OnTable, OnTable)],
    from: BTreeSet<OnTable>,
    to: &BTreeSet<OnTable>,
) -> Vec<(OnTable, OnTable)> {
    let avoid = from.union(to).cloned().collect();
    ordered(pairs, from, avoid, |(table, old), avoid| {
        let name = temporary(old, |n| avoid.contains(&(table.clone(), n.clone())));
        (table.clone(), name)
    })
}

/// The objects of `a` missing from `b`, with their signatures.
fn missing<K: Clone + Ord, V>(
    a: &BTreeMap<K, V>,
    b: &BTreeMap<K, V>,
    sig: &impl Fn(&K, &V) -> String,
) -> Vec<(K, String)> {
    only_in(a, b)
        .into_iter()
        .map(|k| {
            let s = sig(&k, &a[&k]);
            (k, s)
        })
        .collect()
}

/// The keys of `a` that `b` lacks, in order.
fn only_in<K: Clone + Ord, V>(a: &BTreeMap<K, V>, b: &BTreeMap<K, V>) -> Vec<K> {
    a.keys().filter(|k| !b.contains_key(*k)).cloned().collect()
}

/// Rewrites `cat` as if the table, view or sequence `old` were named
/// `new`: its key, the keys of what hangs on it (its indexes follow it to
/// a new schema), and the definitions that the server prints with the
/// current name.
pub(super) fn rename_relation(cat: &mut Catalog, old: &QualifiedName, new: &QualifiedName) {
    let map = |q: &mut QualifiedName| {
        if q == old {
            *q = new.clone();
        }
    };
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
        if let Some((p, _)) = &mut t.partition_of {
            map(p);
        }
        t.inherits.iter_mut().for_each(map);
    }
    for c in cat.constraints.values_mut() {
        c.references.iter_mut().for_each(map);
    }
    // Only the entries keyed by `old` are taken out and put back, so that
    // renaming many relations stays linear in what each one carries.
    rekey_on_table(&mut cat.constraints, old, new);
    rekey_on_table(&mut cat.triggers, old, new);
    rekey_on_table(&mut cat.policies, old, new);
    rekey_on_table(&mut cat.rules, old, new);
    // An index lives in its table's schema and moves with it.
    let indexes: Vec<QualifiedName> = cat
        .indexes
        .iter()
        .filter(|(_, i)| &i.table == old)
        .map(|(n, _)| n.clone())
        .collect();
    for mut n in indexes {
        if let Some(mut i) = cat.indexes.remove(&n) {
            i.table = new.clone();
            n.schema = new.schema.clone();
            cat.indexes.insert(n, i);
        }
    }
    for s in cat.statistics.values_mut() {
        map(&mut s.table);
    }
    for s in cat.sequences.values_mut() {
        if let Some((t, _)) = &mut s.owned_by {
            map(t);
        }
    }
    for v in cat.views.values_mut() {
        v.depends_on.iter_mut().for_each(map);
        v.depends_on.sort();
    }
    for f in cat.functions.values_mut() {
        f.uses_row_types.iter_mut().for_each(map);
        f.uses_row_types.sort();
    }
    rename_in_definitions(cat, old, new);
}

/// Moves the entries of `map` keyed by the table `old` to `new`.
fn rekey_on_table<V>(
    map: &mut BTreeMap<(QualifiedName, String), V>,
    old: &QualifiedName,
    new: &QualifiedName,
) {
    let keys: Vec<(QualifiedName, String)> = map
        .range((old.clone(), String::new())..)
        .take_while(|((t, _), _)| t == old)
        .map(|(k, _)| k.clone())
        .collect();
    for key in keys {
        if let Some(v) = map.remove(&key) {
            map.insert((new.clone(), key.1), v);
        }
    }
}

/// Rewrites the definitions in `cat` that the server prints with the
/// current name of what they refer to, as if `old` were named `new`.
fn rename_in_definitions(cat: &mut Catalog, old: &QualifiedName, new: &QualifiedName) {
    let (old_text, new_text) = (old.to_string(), new.to_string());
    // Most definitions do not name `old`: they are left untouched, unread
    // but for the search.
    let text = |s: &mut String| {
        if s.contains(&old_text) {
            *s = replace_word(s, &old_text, &new_text);
        }
    };
    for t in cat.tables.values_mut() {
        if let Some((_, bound)) = &mut t.partition_of {
            text(bound);
        }
        for c in &mut t.columns {
            c.default.iter_mut().for_each(text);
            c.generated.iter_mut().for_each(text);
        }
    }
    for c in cat.constraints.values_mut() {
        text(&mut c.definition);
    }
    for i in cat.indexes.values_mut() {
        text(&mut i.definition);
    }
    for tr in cat.triggers.values_mut() {
        text(&mut tr.definition);
    }
    for r in cat.rules.values_mut() {
        text(&mut r.definition);
    }
    for p in cat.policies.values_mut() {
        p.using.iter_mut().for_each(text);
        p.with_check.iter_mut().for_each(text);
    }
    for s in cat.statistics.values_mut() {
        text(&mut s.definition);
    }
    for v in cat.views.values_mut() {
        text(&mut v.definition);
    }
    for ty in cat.types.values_mut() {
        if let crate::catalog::UserType::Domain(d) = ty {
            d.default.iter_mut().for_each(text);
            d.constraints.values_mut().for_each(text);
        }
    }
}
