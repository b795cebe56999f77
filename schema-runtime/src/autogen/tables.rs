//! Sequences, tables and their columns, constraints, indexes and extended
//! statistics.
//!
//! Tables are created parents first and dropped partitions first; columns
//! are altered in place, one property at a time, in the order PostgreSQL
//! accepts (identity dropped before a default is set, `NOT NULL` before an
//! identity is added). Constraints that reference other tables are dropped
//! before anything and added after everything else, so that what they
//! reference exists.

use std::collections::BTreeSet;

use super::{mentions, replace_word, Builder, Phase};
use crate::catalog::{
    Catalog, Column, Constraint, ConstraintKind, Identity, IdentityOptions, Index, QualifiedName,
    ReplicaIdentity, Sequence, Table,
};

/// Makes the partitions and inheritance children in `from` look as they will
/// once their parents' column changes have recursed into them (`ALTER TABLE`
/// on a parent alters its children too), so that they are not altered twice.
pub(super) fn inherit_parent_changes(from: &mut Catalog, to: &Catalog) {
    let original = from.tables.clone();
    for (name, t) in &to.tables {
        let Some(before) = original.get(name) else {
            continue;
        };
        for parent in parents(t) {
            if !parents(before).contains(&parent) {
                continue;
            }
            let (Some(pf), Some(pt)) = (original.get(parent), to.tables.get(parent)) else {
                continue;
            };
            let Some(child) = from.tables.get_mut(name) else {
                continue;
            };
            for pc in &pt.columns {
                match pf.column(&pc.name) {
                    None if child.column(&pc.name).is_none() => child.columns.push(Column {
                        comment: None,
                        ..pc.clone()
                    }),
                    None => {}
                    Some(fc) => {
                        let Some(cc) = child.columns.iter_mut().find(|c| c.name == pc.name) else {
                            continue;
                        };
                        if fc.data_type != pc.data_type || fc.collation != pc.collation {
                            cc.data_type = pc.data_type.clone();
                            cc.collation = pc.collation.clone();
                            cc.user_type = pc.user_type.clone();
                        }
                        if fc.default != pc.default {
                            cc.default = pc.default.clone();
                        }
                        if fc.not_null != pc.not_null {
                            cc.not_null = pc.not_null;
                        }
                        // `SET STATISTICS` and `SET STORAGE` recurse too.
                        if fc.statistics != pc.statistics {
                            cc.statistics = pc.statistics;
                        }
                        if fc.storage != pc.storage {
                            cc.storage = pc.storage.clone();
                        }
                    }
                }
            }
            for fc in &pf.columns {
                if pt.column(&fc.name).is_none() {
                    child.columns.retain(|c| c.name != fc.name);
                }
            }
        }
    }
}

/// Makes the tables that leave a parent (a partition detached, a child
/// that no longer inherits) or join one look, in `from`, as they will once
/// they have: a table that leaves keeps the constraints (and, a partition,
/// the indexes) it had from its parent as its own; a table that joins
/// merges those it has that match its parent's into them.
pub(super) fn join_and_leave_parents(from: &mut Catalog, to: &Catalog) {
    let original = from.clone();
    let parents_of = |t: &Table| -> Vec<(QualifiedName, bool)> {
        t.partition_of
            .iter()
            .map(|(p, _)| (p.clone(), true))
            .chain(t.inherits.iter().map(|p| (p.clone(), false)))
            .collect()
    };
    for (name, t) in &to.tables {
        let Some(f) = original.tables.get(name) else {
            continue;
        };
        let (before, after) = (parents_of(f), parents_of(t));
        for (parent, partition) in before.iter().filter(|p| !after.contains(p)) {
            for (key, c) in &to.constraints {
                if &key.0 == name
                    && !original.constraints.contains_key(key)
                    && (*partition || c.kind == ConstraintKind::Check)
                    && has_constraint(&original, parent, c)
                {
                    from.constraints.insert(key.clone(), c.clone());
                }
            }
            for (key, i) in &to.indexes {
                if *partition
                    && &i.table == name
                    && !original.indexes.contains_key(key)
                    && has_index(&original, parent, key, i)
                {
                    from.indexes.insert(key.clone(), i.clone());
                }
            }
        }
        for (parent, partition) in after.iter().filter(|p| !before.contains(p)) {
            from.constraints.retain(|key, c| {
                !(&key.0 == name
                    && !to.constraints.contains_key(key)
                    && (*partition || c.kind == ConstraintKind::Check)
                    && has_constraint(to, parent, c))
            });
            from.indexes.retain(|key, i| {
                !(*partition
                    && &i.table == name
                    && !to.indexes.contains_key(key)
                    && has_index(to, parent, key, i))
            });
        }
    }
}

/// Whether `table` in `cat` has a constraint like `c`.
fn has_constraint(cat: &Catalog, table: &QualifiedName, c: &Constraint) -> bool {
    cat.constraints
        .iter()
        .any(|((t, _), pc)| t == table && pc.kind == c.kind && pc.definition == c.definition)
}

/// Whether `table` in `cat` has an index like `index` (named `name`) but
/// for the names of the index and its table.
fn has_index(cat: &Catalog, table: &QualifiedName, name: &QualifiedName, index: &Index) -> bool {
    let shape = |n: &QualifiedName, i: &Index| {
        let def = replace_word(&i.definition, &format!("INDEX {} ON", n.name), "INDEX ON");
        replace_word(&def, &format!("ON ONLY {}", i.table), "ON")
            .replace(&format!("ON {} ", i.table), "ON ")
    };
    cat.indexes
        .iter()
        .any(|(n, i)| &i.table == table && shape(n, i) == shape(name, index))
}

fn parents(t: &Table) -> Vec<&QualifiedName> {
    t.partition_of
        .iter()
        .map(|(p, _)| p)
        .chain(&t.inherits)
        .collect()
}

/// The tables (by name after renames) that are dropped, or whose columns
/// are dropped or change type or generation expression: the views that read
/// them are dropped first and recreated after.
pub(super) fn reshaped(
    from: &Catalog,
    to: &Catalog,
    recreated: &BTreeSet<QualifiedName>,
) -> BTreeSet<QualifiedName> {
    let mut out = BTreeSet::new();
    for (name, f) in &from.tables {
        if to
            .tables
            .get(name)
            .is_none_or(|t| columns_reshaped(f, t, recreated))
        {
            out.insert(name.clone());
        }
    }
    out
}

/// Whether a column of `f` is dropped, or changes type or generation
/// expression, in `t`.
fn columns_reshaped(f: &Table, t: &Table, recreated: &BTreeSet<QualifiedName>) -> bool {
    f.columns.iter().any(|fc| match t.column(&fc.name) {
        None => true,
        Some(tc) => type_changes(fc, tc, recreated) || fc.generated != tc.generated,
    })
}

/// The columns (by table and name, after renames) that are dropped or
/// change type: what reads them by name and the server will not rebuild
/// itself (policies, triggers, generated columns) is dropped first and
/// created again after.
pub(super) fn reshaped_columns(
    from: &Catalog,
    to: &Catalog,
    recreated: &BTreeSet<QualifiedName>,
) -> BTreeSet<(QualifiedName, String)> {
    let mut out = BTreeSet::new();
    for (name, f) in &from.tables {
        let Some(t) = to.tables.get(name) else {
            continue;
        };
        for fc in &f.columns {
            if t.column(&fc.name)
                .is_none_or(|tc| type_changes(fc, tc, recreated))
            {
                out.insert((name.clone(), fc.name.clone()));
            }
        }
    }
    out
}

/// A type as `format_type` prints it, without its modifiers
/// (`timestamp(3) without time zone` is `timestamp without time zone`).
fn unmodified(t: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in t.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether the server converts a value of type `from` to `to` with a cast
/// (`value::to`): the same type, a cast in `pg_cast`, to or from a string
/// type (by the types' text), element by element for arrays, and through a
/// domain's base type.
fn castable(cat: &Catalog, from: &str, to: &str) -> bool {
    const STRINGS: &[&str] = &["text", "character varying", "character", "name"];
    let (f, t) = (unmodified(from), unmodified(to));
    if f == t || STRINGS.contains(&f.as_str()) || STRINGS.contains(&t.as_str()) {
        return true;
    }
    match (f.strip_suffix("[]"), t.strip_suffix("[]")) {
        (Some(fe), Some(te)) => return castable(cat, fe, te),
        (None, None) => {}
        _ => return false,
    }
    if cat.casts.contains(&(f.clone(), t.clone())) {
        return true;
    }
    let base = |name: &str| {
        cat.types.iter().find_map(|(n, ty)| match ty {
            crate::catalog::UserType::Domain(d) if n.to_string() == name => {
                Some(d.base_type.clone())
            }
            _ => None,
        })
    };
    if let Some(b) = base(&t) {
        return castable(cat, &f, &b);
    }
    if let Some(b) = base(&f) {
        return castable(cat, &b, &t);
    }
    false
}

fn type_changes(f: &Column, t: &Column, recreated: &BTreeSet<QualifiedName>) -> bool {
    f.data_type != t.data_type
        || f.collation != t.collation
        || t.user_type.as_ref().is_some_and(|u| recreated.contains(u))
}

pub(super) fn diff(
    b: &mut Builder,
    from: &Catalog,
    to: &Catalog,
    recreated: &BTreeSet<QualifiedName>,
    dropped_views: &BTreeSet<QualifiedName>,
) {
    sequences(b, from, to);
    for name in topo(&to.tables) {
        let t = &to.tables[&name];
        match from.tables.get(&name) {
            None => create_table(b, from, to, &name, t, recreated),
            Some(f) => alter_table(b, from, to, &name, f, t, recreated),
        }
    }
    for name in topo(&from.tables).into_iter().rev() {
        if !to.tables.contains_key(&name) {
            b.review(
                Phase::DropTables,
                format!("drop table {name}"),
                format!("DROP TABLE {name}"),
                "data loss: the table and its rows are dropped",
            );
        }
    }
    constraints(b, from, to, recreated);
    indexes(b, from, to, dropped_views, recreated);
    statistics(b, from, to, recreated);
}

/// Extended statistics: dropped (with the constraints and indexes) when
/// they go, change, or use a column that is dropped or changes type, and
/// created after the indexes, with their statistics target when it is not
/// the default. One renamed by [`super::rename`] and dropped anyway is
/// dropped under its old name, and its rename taken out.
fn statistics(b: &mut Builder, from: &Catalog, to: &Catalog, recreated: &BTreeSet<QualifiedName>) {
    let reshaped = reshaped_columns(from, to, recreated);
    let uses_reshaped = |s: &crate::catalog::Statistics| {
        let columns = s
            .definition
            .split_once(" ON ")
            .map_or(s.definition.as_str(), |(_, on)| on);
        reshaped
            .iter()
            .any(|(table, column)| table == &s.table && mentions(columns, column))
    };
    let mut kept = BTreeSet::new();
    for (name, f) in &from.statistics {
        if !to.tables.contains_key(&f.table) {
            continue;
        }
        if to
            .statistics
            .get(name)
            .is_some_and(|t| t.definition == f.definition && t.table == f.table)
            && !uses_reshaped(f)
        {
            kept.insert(name.clone());
            continue;
        }
        let old = b.drop_statistics_name(name).unwrap_or_else(|| name.clone());
        b.push(
            Phase::DropConstraints,
            format!("drop statistics {old}"),
            format!("DROP STATISTICS {old}"),
        );
    }
    for (name, t) in &to.statistics {
        let what = format!("STATISTICS {name}");
        // The target and comment it has at that point.
        let (target, comment) = match from.statistics.get(name) {
            Some(f) if kept.contains(name) => (f.target, f.comment.clone()),
            _ => {
                b.push(
                    Phase::CreateStatistics,
                    format!("create statistics {name}"),
                    t.definition.clone(),
                );
                (None, None)
            }
        };
        if target != t.target {
            let target = t.target.unwrap_or(-1);
            b.push(
                Phase::CreateStatistics,
                format!("set statistics target of {name} to {target}"),
                format!("ALTER {what} SET STATISTICS {target}"),
            );
        }
        b.comment(&what, Some(&comment), &t.comment);
    }
}

/// Table names with every parent (partitioned or inherited) before its
/// children, otherwise in name order.
fn topo(tables: &std::collections::BTreeMap<QualifiedName, Table>) -> Vec<QualifiedName> {
    fn visit(
        name: &QualifiedName,
        tables: &std::collections::BTreeMap<QualifiedName, Table>,
        seen: &mut BTreeSet<QualifiedName>,
        out: &mut Vec<QualifiedName>,
    ) {
        if !seen.insert(name.clone()) {
            return;
        }
        if let Some(t) = tables.get(name) {
            for p in parents(t) {
                visit(p, tables, seen, out);
            }
            out.push(name.clone());
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for name in tables.keys() {
        visit(name, tables, &mut seen, &mut out);
    }
    out
}

fn sequences(b: &mut Builder, from: &Catalog, to: &Catalog) {
    for (name, s) in &to.sequences {
        let Some(f) = from.sequences.get(name) else {
            b.push(
                Phase::CreateSequences,
                format!("create sequence {name}"),
                format!("CREATE SEQUENCE {name}{}", sequence_options(None, s)),
            );
            if let Some((t, c)) = &s.owned_by {
                b.push(
                    Phase::SequenceOwnership,
                    format!("sequence {name} owned by {t}.{c}"),
                    format!("ALTER SEQUENCE {name} OWNED BY {t}.{c}"),
                );
            }
            b.comment(&format!("SEQUENCE {name}"), None, &s.comment);
            continue;
        };
        let options = sequence_options(Some(f), s);
        if !options.is_empty() {
            b.push(
                Phase::CreateSequences,
                format!("alter sequence {name}"),
                format!("ALTER SEQUENCE {name}{options}"),
            );
        }
        if f.owned_by != s.owned_by {
            if f.owned_by.is_some() {
                b.push(
                    Phase::CreateSequences,
                    format!("sequence {name} owned by no column"),
                    format!("ALTER SEQUENCE {name} OWNED BY NONE"),
                );
            }
            if let Some((t, c)) = &s.owned_by {
                b.push(
                    Phase::SequenceOwnership,
                    format!("sequence {name} owned by {t}.{c}"),
                    format!("ALTER SEQUENCE {name} OWNED BY {t}.{c}"),
                );
            }
        }
        b.comment(&format!("SEQUENCE {name}"), Some(&f.comment), &s.comment);
    }
    for (name, f) in &from.sequences {
        if to.sequences.contains_key(name) {
            continue;
        }
        // A sequence owned by a column that goes is dropped with it.
        let owner_goes = f
            .owned_by
            .as_ref()
            .is_some_and(|(t, c)| to.tables.get(t).and_then(|t| t.column(c)).is_none());
        if !owner_goes {
            b.push(
                Phase::DropSequences,
                format!("drop sequence {name}"),
                format!("DROP SEQUENCE {name}"),
            );
        }
    }
}

/// The clauses of `to` that differ from `from` (all of them for a new
/// sequence), each with a leading space.
fn sequence_options(from: Option<&Sequence>, to: &Sequence) -> String {
    let mut out = String::new();
    let differs = |f: &dyn Fn(&Sequence) -> String| from.is_none_or(|s| f(s) != f(to));
    let clauses: [&dyn Fn(&Sequence) -> String; 7] = [
        &|s| format!(" AS {}", s.data_type),
        &|s| format!(" INCREMENT BY {}", s.increment),
        &|s| format!(" MINVALUE {}", s.min),
        &|s| format!(" MAXVALUE {}", s.max),
        &|s| format!(" START WITH {}", s.start),
        &|s| format!(" CACHE {}", s.cache),
        &|s| {
            if s.cycle {
                " CYCLE".into()
            } else {
                " NO CYCLE".into()
            }
        },
    ];
    for clause in clauses {
        if differs(clause) {
            out.push_str(&clause(to));
        }
    }
    out
}

/// A column as it is written in `CREATE TABLE` and `ADD COLUMN`.
fn column_definition(c: &Column) -> String {
    let mut s = format!("{} {}", c.name, c.data_type);
    if let Some(coll) = &c.collation {
        s.push_str(&format!(" COLLATE {coll}"));
    }
    if let Some(g) = &c.generated {
        s.push_str(&format!(" GENERATED ALWAYS AS ({g}) STORED"));
    }
    if let Some(i) = c.identity {
        s.push_str(&format!(
            " GENERATED {} AS IDENTITY{}",
            identity_kind(i),
            identity_options(c)
        ));
    }
    if let Some(d) = &c.default {
        s.push_str(&format!(" DEFAULT {d}"));
    }
    if c.not_null {
        s.push_str(" NOT NULL");
    }
    s
}

/// ` (START WITH 100 INCREMENT BY 10)`: the options of an identity
/// column's sequence that are not the defaults, empty when none is.
fn identity_options(c: &Column) -> String {
    let clauses = identity_clauses(&c.data_type, &IdentityOptions::default(), c, "");
    if clauses.is_empty() {
        String::new()
    } else {
        format!(" ({})", clauses.join(" "))
    }
}

/// The sequence clauses that take an identity column whose options are
/// `from` (on a column of type `from_type`) to those of `to`, each
/// prefixed by `prefix` (`SET ` in `ALTER COLUMN`): an option is written
/// when its value, defaults filled in, changes; one that goes back to its
/// default is written as its default (`NO MINVALUE`).
fn identity_clauses(
    from_type: &str,
    from: &IdentityOptions,
    to: &Column,
    prefix: &str,
) -> Vec<String> {
    let (f, t) = (
        from.effective(from_type),
        to.identity_options.effective(&to.data_type),
    );
    let o = &to.identity_options;
    let mut out = Vec::new();
    if f.increment != t.increment {
        out.push(format!("{prefix}INCREMENT BY {}", t.increment));
    }
    if f.min != t.min || (f.increment > 0) != (t.increment > 0) {
        out.push(match o.min {
            Some(min) => format!("{prefix}MINVALUE {min}"),
            None => format!("{prefix}NO MINVALUE"),
        });
    }
    if f.max != t.max || (f.increment > 0) != (t.increment > 0) {
        out.push(match o.max {
            Some(max) => format!("{prefix}MAXVALUE {max}"),
            None => format!("{prefix}NO MAXVALUE"),
        });
    }
    if f.start != t.start {
        out.push(format!("{prefix}START WITH {}", t.start));
    }
    if f.cache != t.cache {
        out.push(format!("{prefix}CACHE {}", t.cache));
    }
    if f.cycle != t.cycle {
        out.push(format!("{prefix}{}CYCLE", if t.cycle { "" } else { "NO " }));
    }
    out
}

fn identity_kind(i: Identity) -> &'static str {
    match i {
        Identity::Always => "ALWAYS",
        Identity::ByDefault => "BY DEFAULT",
    }
}

fn create_table(
    b: &mut Builder,
    from: &Catalog,
    to: &Catalog,
    name: &QualifiedName,
    t: &Table,
    recreated: &BTreeSet<QualifiedName>,
) {
    let unlogged = if t.unlogged { "UNLOGGED " } else { "" };
    let mut sql = format!("CREATE {unlogged}TABLE {name}");
    if let Some((parent, bound)) = &t.partition_of {
        sql.push_str(&format!(" PARTITION OF {parent} {bound}"));
    } else {
        // A column a parent has comes from the parent, as it is when the
        // table is created (the parent's own changes then reach it).
        let inherited = |c: &&Column| {
            t.inherits.iter().any(|p| {
                to.tables
                    .get(p)
                    .is_some_and(|parent| parent.column(&c.name).is_some())
            })
        };
        let columns: Vec<String> = t
            .columns
            .iter()
            .filter(|c| !inherited(c))
            .map(column_definition)
            .collect();
        sql.push_str(&format!(" ({})", columns.join(", ")));
        if !t.inherits.is_empty() {
            let parents: Vec<String> = t.inherits.iter().map(|p| p.to_string()).collect();
            sql.push_str(&format!(" INHERITS ({})", parents.join(", ")));
        }
    }
    if let Some(key) = &t.partition_by {
        sql.push_str(&format!(" PARTITION BY {key}"));
    }
    if !t.options.is_empty() {
        sql.push_str(&format!(" WITH ({})", t.options.join(", ")));
    }
    b.push(Phase::CreateTables, format!("create table {name}"), sql);
    if let Some((parent, _)) = &t.partition_of {
        // A partition starts with its parent's columns (their storage too,
        // not their statistics target); what differs is altered after.
        let start = Table {
            columns: to.tables.get(parent).map_or_else(Vec::new, |p| {
                p.columns
                    .iter()
                    .map(|c| Column {
                        comment: None,
                        statistics: None,
                        ..c.clone()
                    })
                    .collect()
            }),
            ..Table::default()
        };
        let inherited = start.columns.iter().map(|c| c.name.clone()).collect();
        columns(b, to, name, &start, t, recreated, &inherited, false);
    } else {
        for c in &t.columns {
            // A column from a parent starts with the parent's storage.
            let storage = t
                .inherits
                .iter()
                .filter_map(|p| to.tables.get(p)?.column(&c.name))
                .map(|pc| pc.storage.clone())
                .next()
                .flatten();
            // A parent's own `SET STATISTICS`, which recurses, reaches it
            // too: its own are set after the parent's.
            let statistics = t
                .inherits
                .iter()
                .filter_map(|p| {
                    let before = from.tables.get(p)?.column(&c.name)?;
                    let after = to.tables.get(p)?.column(&c.name)?;
                    (before.statistics != after.statistics).then_some(after.statistics)
                })
                .next()
                .flatten();
            let start = Column {
                storage,
                statistics,
                ..Column::default()
            };
            let phase = if t.inherits.iter().any(|p| from.tables.contains_key(p)) {
                Phase::InheritedColumnDetails
            } else {
                Phase::CreateTables
            };
            column_details(b, phase, name, &start, c, false);
            b.comment(&format!("COLUMN {name}.{}", c.name), None, &c.comment);
        }
    }
    row_security(b, name, &Table::default(), t);
    replica_identity(b, &ReplicaIdentity::Default, name, t);
    b.comment(&format!("TABLE {name}"), None, &t.comment);
}

/// `SET STATISTICS` and `SET STORAGE` of a column whose statistics target
/// and storage are those of `f` (or, after `type_change`, its new type's
/// storage) to those of `t`.
fn column_details(
    b: &mut Builder,
    phase: Phase,
    table: &QualifiedName,
    f: &Column,
    t: &Column,
    type_change: bool,
) {
    let alter = format!("ALTER TABLE {table} ALTER COLUMN {}", t.name);
    let what = format!("{table}.{}", t.name);
    if f.statistics != t.statistics {
        b.push(
            phase,
            format!("set statistics of {what}"),
            format!("{alter} SET STATISTICS {}", t.statistics.unwrap_or(-1)),
        );
    }
    // A type change sets the new type's storage.
    let current = if type_change { &None } else { &f.storage };
    if current != &t.storage {
        let storage = match (&t.storage, current) {
            (Some((storage, _)), _) | (None, Some((_, storage))) => storage,
            (None, None) => return,
        };
        b.push(
            phase,
            format!("set storage of {what}"),
            format!("{alter} SET STORAGE {storage}"),
        );
    }
}

/// `REPLICA IDENTITY` of the table `name`, from `from` (as
/// [`replica_identity_kept`] gives it; `DEFAULT` for a table this plan
/// creates) to `t`'s: an index identity is reset to `DEFAULT` before
/// anything is dropped, in case its index goes; the new one is set after
/// the indexes are created.
fn replica_identity(b: &mut Builder, from: &ReplicaIdentity, name: &QualifiedName, t: &Table) {
    let to = &t.replica_identity;
    if from == to {
        return;
    }
    let by_index = matches!(from, ReplicaIdentity::Index(_));
    if by_index {
        // Before the renames: under the name the table has then.
        let old = b.before_renames(name);
        b.push(
            Phase::ResetReplicaIdentity,
            format!("replica identity of {old} default"),
            format!("ALTER TABLE {old} REPLICA IDENTITY DEFAULT"),
        );
    }
    let sql = match to {
        ReplicaIdentity::Default if by_index => return,
        ReplicaIdentity::Default => "DEFAULT".to_owned(),
        ReplicaIdentity::Nothing => "NOTHING".to_owned(),
        ReplicaIdentity::Full => "FULL".to_owned(),
        ReplicaIdentity::Index(i) => format!("USING INDEX {i}"),
    };
    b.push(
        Phase::ReplicaIdentity,
        format!("replica identity of {name} {}", sql.to_lowercase()),
        format!("ALTER TABLE {name} REPLICA IDENTITY {sql}"),
    );
}

/// The replica identity of `f` as the plan finds it: an index identity
/// whose index may be dropped or created again (its definition, or its
/// constraint's, changes; a column of its table is dropped or changes
/// type) counts as an index of no name, so that it is reset before and set
/// again after.
fn replica_identity_kept(
    from: &Catalog,
    to: &Catalog,
    name: &QualifiedName,
    f: &Table,
    t: &Table,
    recreated: &BTreeSet<QualifiedName>,
) -> ReplicaIdentity {
    let ReplicaIdentity::Index(index) = &f.replica_identity else {
        return f.replica_identity.clone();
    };
    let key = QualifiedName::new(name.schema.clone(), index.clone());
    let constraint = (name.clone(), index.clone());
    let kept = match (from.indexes.get(&key), to.indexes.get(&key)) {
        (Some(a), Some(b)) => a.definition == b.definition,
        _ => match (
            from.constraints.get(&constraint),
            to.constraints.get(&constraint),
        ) {
            (Some(a), Some(b)) => same(a, b),
            _ => false,
        },
    };
    if kept && !columns_reshaped(f, t, recreated) {
        f.replica_identity.clone()
    } else {
        ReplicaIdentity::Index(String::new())
    }
}

fn row_security(b: &mut Builder, name: &QualifiedName, f: &Table, t: &Table) {
    if f.row_security != t.row_security {
        let verb = if t.row_security { "ENABLE" } else { "DISABLE" };
        b.push(
            Phase::AlterTables,
            format!("{} row level security on {name}", verb.to_lowercase()),
            format!("ALTER TABLE {name} {verb} ROW LEVEL SECURITY"),
        );
    }
    if f.force_row_security != t.force_row_security {
        let verb = if t.force_row_security {
            "FORCE"
        } else {
            "NO FORCE"
        };
        b.push(
            Phase::AlterTables,
            format!("{} row level security on {name}", verb.to_lowercase()),
            format!("ALTER TABLE {name} {verb} ROW LEVEL SECURITY"),
        );
    }
}

fn alter_table(
    b: &mut Builder,
    from: &Catalog,
    to: &Catalog,
    name: &QualifiedName,
    f: &Table,
    t: &Table,
    recreated: &BTreeSet<QualifiedName>,
) {
    let phase = Phase::AlterTables;
    if f.partition_by != t.partition_by {
        b.not_generated(format!(
            "partition key of table {name} differs: it cannot be changed in place"
        ));
    }
    if let Some((parent, _)) = &f.partition_of {
        if f.partition_of != t.partition_of {
            b.push(
                phase,
                format!("detach partition {name} from {parent}"),
                format!("ALTER TABLE {parent} DETACH PARTITION {name}"),
            );
        }
    }
    for p in &f.inherits {
        if !t.inherits.contains(p) {
            b.push(
                phase,
                format!("{name} no longer inherits {p}"),
                format!("ALTER TABLE {name} NO INHERIT {p}"),
            );
        }
    }
    // Columns a parent already had come with its own `ALTER TABLE`.
    let inherited: BTreeSet<String> = parents(t)
        .into_iter()
        .filter(|p| parents(f).contains(p))
        .filter_map(|p| to.tables.get(p))
        .flat_map(|p| p.columns.iter().map(|c| c.name.clone()))
        .collect();
    columns(b, to, name, f, t, recreated, &inherited, true);
    for p in &t.inherits {
        if !f.inherits.contains(p) {
            b.push(
                phase,
                format!("{name} inherits {p}"),
                format!("ALTER TABLE {name} INHERIT {p}"),
            );
        }
    }
    if let Some((parent, bound)) = &t.partition_of {
        if f.partition_of != t.partition_of {
            b.push(
                phase,
                format!("attach partition {name} to {parent}"),
                format!("ALTER TABLE {parent} ATTACH PARTITION {name} {bound}"),
            );
        }
    }
    if f.unlogged != t.unlogged {
        let to = if t.unlogged { "UNLOGGED" } else { "LOGGED" };
        b.push(
            phase,
            format!("set {name} {}", to.to_lowercase()),
            format!("ALTER TABLE {name} SET {to}"),
        );
    }
    let key = |o: &String| o.split('=').next().unwrap_or_default().to_owned();
    let reset: Vec<String> = f
        .options
        .iter()
        .map(key)
        .filter(|k| !t.options.iter().any(|o| &key(o) == k))
        .collect();
    if !reset.is_empty() {
        b.push(
            phase,
            format!("reset storage parameters of {name}"),
            format!("ALTER TABLE {name} RESET ({})", reset.join(", ")),
        );
    }
    let set: Vec<&str> = t
        .options
        .iter()
        .filter(|o| !f.options.contains(o))
        .map(String::as_str)
        .collect();
    if !set.is_empty() {
        b.push(
            phase,
            format!("set storage parameters of {name}"),
            format!("ALTER TABLE {name} SET ({})", set.join(", ")),
        );
    }
    row_security(b, name, f, t);
    let kept = replica_identity_kept(from, to, name, f, t, recreated);
    replica_identity(b, &kept, name, t);
    b.comment(&format!("TABLE {name}"), Some(&f.comment), &t.comment);
}

/// Column by column: drops, additions and alterations of `f` into `t`,
/// leaving the type of `inherited` columns to the parent's alteration;
/// with `check_order`, a line in `not_generated` when the order that
/// results is not `t`'s.
#[allow(clippy::too_many_arguments)]
fn columns(
    b: &mut Builder,
    to: &Catalog,
    table: &QualifiedName,
    f: &Table,
    t: &Table,
    recreated: &BTreeSet<QualifiedName>,
    inherited: &BTreeSet<String>,
    check_order: bool,
) {
    let mut order: Vec<&str> = Vec::new();
    let mut appended: Vec<&str> = Vec::new();
    // A generated column goes before a column it reads is dropped or
    // changes type, and comes back after every other column is in place.
    let reshaped = |c: &Column| {
        t.column(&c.name)
            .is_none_or(|tc| type_changes(c, tc, recreated))
    };
    let regenerated = |fc: &Column| {
        fc.generated.as_deref().is_some_and(|g| {
            t.column(&fc.name)
                .is_some_and(|tc| tc.generated != fc.generated)
                || f.columns
                    .iter()
                    .any(|c| c.name != fc.name && reshaped(c) && mentions(g, &c.name))
        })
    };
    let (first, rest): (Vec<&Column>, Vec<&Column>) =
        f.columns.iter().partition(|c| c.generated.is_some());
    for fc in first.into_iter().chain(rest) {
        if t.column(&fc.name).is_none() || regenerated(fc) {
            drop_column(b, table, fc);
        }
    }
    let mut generated = Vec::new();
    for tc in &t.columns {
        let Some(fc) = f.column(&tc.name) else {
            if tc.generated.is_some() {
                generated.push(tc);
            } else {
                add_column(b, table, tc);
                appended.push(&tc.name);
            }
            continue;
        };
        if fc.generated != tc.generated || regenerated(fc) {
            generated.push(tc);
            continue;
        }
        let recreated = if inherited.contains(&tc.name) {
            &BTreeSet::new()
        } else {
            recreated
        };
        alter_column(b, to, table, fc, tc, recreated);
        b.comment(
            &format!("COLUMN {table}.{}", tc.name),
            Some(&fc.comment),
            &tc.comment,
        );
    }
    for tc in generated {
        add_column(b, table, tc);
        appended.push(&tc.name);
    }
    for fc in &f.columns {
        if t.column(&fc.name).is_some() && !appended.contains(&fc.name.as_str()) {
            order.push(&fc.name);
        }
    }
    order.extend(appended);
    let wanted: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    if check_order && order != wanted {
        b.not_generated(format!(
            "column order of table {table} differs: it will be ({}), not ({})",
            order.join(", "),
            wanted.join(", ")
        ));
    }
}

fn drop_column(b: &mut Builder, table: &QualifiedName, c: &Column) {
    b.review(
        Phase::AlterTables,
        format!("drop column {table}.{}", c.name),
        format!("ALTER TABLE {table} DROP COLUMN {}", c.name),
        "data loss: the column and its values are dropped",
    );
}

fn add_column(b: &mut Builder, table: &QualifiedName, c: &Column) {
    add_column_only(b, table, c);
    column_details(b, Phase::AlterTables, table, &Column::default(), c, false);
}

fn add_column_only(b: &mut Builder, table: &QualifiedName, c: &Column) {
    let sql = format!("ALTER TABLE {table} ADD COLUMN {}", column_definition(c));
    let summary = format!("add column {table}.{}", c.name);
    if c.not_null && c.default.is_none() && c.identity.is_none() && c.generated.is_none() {
        b.review(
            Phase::AlterTables,
            summary,
            sql,
            "NOT NULL without a default: fails if the table has rows",
        );
    } else {
        b.push(Phase::AlterTables, summary, sql);
    }
    b.comment(&format!("COLUMN {table}.{}", c.name), None, &c.comment);
}

fn alter_column(
    b: &mut Builder,
    to: &Catalog,
    table: &QualifiedName,
    f: &Column,
    t: &Column,
    recreated: &BTreeSet<QualifiedName>,
) {
    let phase = Phase::AlterTables;
    let col = &t.name;
    let alter = format!("ALTER TABLE {table} ALTER COLUMN {col}");
    let what = format!("{table}.{col}");
    let type_change = type_changes(f, t, recreated);
    if f.identity.is_some() && t.identity.is_none() {
        b.push(
            phase,
            format!("drop identity of {what}"),
            format!("{alter} DROP IDENTITY"),
        );
    }
    let default_dropped = f.default.is_some() && (f.default != t.default || type_change);
    if default_dropped {
        b.push(
            phase,
            format!("drop default of {what}"),
            format!("{alter} DROP DEFAULT"),
        );
    }
    if type_change {
        let enum_recreated = t.user_type.as_ref().is_some_and(|u| recreated.contains(u));
        let collate = match (&f.collation, &t.collation) {
            (_, Some(c)) => format!(" COLLATE {c}"),
            (Some(_), None) => " COLLATE pg_catalog.\"default\"".into(),
            (None, None) => String::new(),
        };
        let (using, review) = if enum_recreated {
            let text = if t.data_type.ends_with("[]") {
                "text[]"
            } else {
                "text"
            };
            (
                format!(" USING {col}::{text}::{}", t.data_type),
                "enum recreated: values are converted through text, which fails if a row \
                 holds a removed label",
            )
        } else if f.data_type != t.data_type && castable(to, &f.data_type, &t.data_type) {
            (
                format!(" USING {col}::{}", t.data_type),
                "type change: may rewrite the table, and fails if a value does not convert",
            )
        } else if f.data_type != t.data_type {
            let text = if t.data_type.ends_with("[]") {
                "text[]"
            } else {
                "text"
            };
            (
                format!(" USING {col}::{text}::{}", t.data_type),
                "type change with no cast between the types: values are converted through \
                 their text, which fails if one does not read as the new type; write the \
                 conversion here",
            )
        } else {
            (
                String::new(),
                "collation change: rewrites the indexes on the column",
            )
        };
        b.review(
            phase,
            format!("change type of {what}"),
            format!("{alter} TYPE {}{collate}{using}", t.data_type),
            review,
        );
    }
    if f.not_null != t.not_null {
        if t.not_null {
            b.review(
                phase,
                format!("set not null on {what}"),
                format!("{alter} SET NOT NULL"),
                "fails if the column holds NULL",
            );
        } else if f.identity.is_none() || t.identity.is_none() {
            b.push(
                phase,
                format!("drop not null on {what}"),
                format!("{alter} DROP NOT NULL"),
            );
        }
    }
    let current = if default_dropped { &None } else { &f.default };
    if let Some(d) = &t.default {
        if current.as_ref() != Some(d) {
            b.push(
                phase,
                format!("set default of {what}"),
                format!("{alter} SET DEFAULT {d}"),
            );
        }
    }
    match (f.identity, t.identity) {
        (None, Some(i)) => b.push(
            phase,
            format!("add identity to {what}"),
            format!(
                "{alter} ADD GENERATED {} AS IDENTITY{}",
                identity_kind(i),
                identity_options(t)
            ),
        ),
        (Some(a), Some(i)) if a != i => b.push(
            phase,
            format!("change identity of {what}"),
            format!("{alter} SET GENERATED {}", identity_kind(i)),
        ),
        _ => {}
    }
    if f.identity.is_some() && t.identity.is_some() {
        // A type change has already moved the sequence to the new type,
        // with the new type's bounds where they were the old one's.
        let mut clauses = identity_clauses(&t.data_type, &f.identity_options, t, "SET ");
        if !clauses.is_empty() {
            let (fe, te) = (
                f.identity_options.effective(&t.data_type),
                t.identity_options.effective(&t.data_type),
            );
            // Bounds that share no value with the old ones (a sequence
            // that turns from rising to falling) cannot hold its current
            // value: it starts again.
            let restart = te.min > fe.max || te.max < fe.min;
            if restart {
                clauses.push("RESTART".to_owned());
            }
            let sql = format!("{alter} {}", clauses.join(" "));
            if restart {
                b.review(
                    phase,
                    format!("change identity options of {what}"),
                    sql,
                    "new bounds apart from the old: the sequence restarts at its start value",
                );
            } else if te.min > fe.min || te.max < fe.max {
                b.review(
                    phase,
                    format!("change identity options of {what}"),
                    sql,
                    "narrower bounds: fails if the sequence's current value is outside them",
                );
            } else {
                b.push(phase, format!("change identity options of {what}"), sql);
            }
        }
    }
    column_details(b, phase, table, f, t, type_change);
}

fn same(f: &Constraint, t: &Constraint) -> bool {
    f.kind == t.kind && f.definition == t.definition
}

fn is_key(c: &Constraint) -> bool {
    matches!(c.kind, ConstraintKind::PrimaryKey | ConstraintKind::Unique)
}

/// Whether a definition names one of the recreated enums (a literal cast to
/// it, `'active'::public.state`): the column's type change cannot convert
/// it, so what holds it is dropped before and created after.
fn names_recreated(definition: &str, recreated: &BTreeSet<QualifiedName>) -> bool {
    recreated
        .iter()
        .any(|t| definition.contains(&format!("::{t}")))
}

fn constraints(b: &mut Builder, from: &Catalog, to: &Catalog, recreated: &BTreeSet<QualifiedName>) {
    // Tables whose keys are dropped or changed: the foreign keys that
    // reference them depend on the key's index and are rebuilt.
    let mut rekeyed = BTreeSet::new();
    for ((table, name), f) in &from.constraints {
        let kept = to
            .constraints
            .get(&(table.clone(), name.clone()))
            .is_some_and(|t| same(f, t));
        if is_key(f) && !kept {
            rekeyed.insert(table.clone());
        }
    }
    for (name, i) in &from.indexes {
        if i.definition.starts_with("CREATE UNIQUE") && to.indexes.get(name) != Some(i) {
            rekeyed.insert(i.table.clone());
        }
    }
    let rebuilt = |c: &Constraint| {
        (c.kind == ConstraintKind::ForeignKey
            && c.references.as_ref().is_some_and(|r| rekeyed.contains(r)))
            || names_recreated(&c.definition, recreated)
    };
    let mut kept = BTreeSet::new();
    for (key @ (table, _), f) in &from.constraints {
        let phase = if f.kind == ConstraintKind::ForeignKey {
            Phase::DropForeignKeys
        } else {
            Phase::DropConstraints
        };
        if !to.tables.contains_key(table) {
            // Goes with its table, but a foreign key to another table goes
            // first, so that tables drop in any order.
            if f.kind != ConstraintKind::ForeignKey || f.references.as_ref() == Some(table) {
                continue;
            }
        } else if to.constraints.get(key).is_some_and(|t| same(f, t)) && !rebuilt(f) {
            kept.insert(key.clone());
            continue;
        }
        let old = b.before_renames(table);
        let name = b.drop_constraint_name(key);
        b.push(
            phase,
            format!("drop constraint {name} on {old}"),
            format!("ALTER TABLE {old} DROP CONSTRAINT {name}"),
        );
    }
    for (key @ (table, name), t) in &to.constraints {
        let what = format!("CONSTRAINT {name} ON {table}");
        if kept.contains(key) {
            b.comment(
                &what,
                from.constraints.get(key).map(|f| &f.comment),
                &t.comment,
            );
            continue;
        }
        let phase = if t.kind == ConstraintKind::ForeignKey {
            Phase::AddForeignKeys
        } else {
            Phase::AddConstraints
        };
        b.push(
            phase,
            format!("add constraint {name} on {table}"),
            format!("ALTER TABLE {table} ADD CONSTRAINT {name} {}", t.definition),
        );
        b.comment(&what, None, &t.comment);
    }
}

fn indexes(
    b: &mut Builder,
    from: &Catalog,
    to: &Catalog,
    dropped_views: &BTreeSet<QualifiedName>,
    recreated: &BTreeSet<QualifiedName>,
) {
    let goes_with = |table: &QualifiedName| {
        dropped_views.contains(table)
            || (!to.tables.contains_key(table) && !to.views.contains_key(table))
    };
    for (name, f) in &from.indexes {
        if goes_with(&f.table) {
            continue;
        }
        if to
            .indexes
            .get(name)
            .is_some_and(|t| t.definition == f.definition)
            && !names_recreated(&f.definition, recreated)
        {
            continue;
        }
        // It is dropped before it is renamed or its table moves to another
        // schema.
        let name = match b.drop_index_name(name) {
            Some(old) => old,
            None => QualifiedName::new(b.before_renames(&f.table).schema, name.name.clone()),
        };
        b.push(
            Phase::DropConstraints,
            format!("drop index {name}"),
            format!("DROP INDEX {name}"),
        );
    }
    for (name, t) in &to.indexes {
        let before = from.indexes.get(name).filter(|f| {
            f.definition == t.definition
                && !goes_with(&f.table)
                && !names_recreated(&f.definition, recreated)
        });
        if let Some(f) = before {
            b.comment(&format!("INDEX {name}"), Some(&f.comment), &t.comment);
            continue;
        }
        let phase = if to.views.contains_key(&t.table) {
            Phase::CreateViewIndexes
        } else {
            Phase::CreateIndexes
        };
        b.push(phase, format!("create index {name}"), t.definition.clone());
        b.comment(&format!("INDEX {name}"), None, &t.comment);
    }
}
