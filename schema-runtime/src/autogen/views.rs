//! Views and materialized views.
//!
//! A view cannot be altered into another query, and a table column it reads
//! cannot change type or go while it exists: such views are dropped early
//! (dependents first) and created late (what they read first), along with
//! every view that reads them.

use std::collections::{BTreeMap, BTreeSet};

use super::rename::{move_steps, pair_moves, relation_taken, rename_relation};
use super::{pair, Builder, Phase};
use crate::catalog::{Catalog, QualifiedName, View};

/// Plans the views of `from` into those of `to`, renaming in `from` the
/// views it renames, and returns the views it drops and creates again (or
/// just drops), by their name after renames.
pub(super) fn diff(
    b: &mut Builder,
    from: &mut Catalog,
    to: &Catalog,
    reshaped: &BTreeSet<QualifiedName>,
) -> BTreeSet<QualifiedName> {
    let reading_reshaped = closure(&from.views, |_, v| {
        v.depends_on.iter().any(|d| reshaped.contains(d))
    });
    let sig = |name: &QualifiedName, v: &View| {
        let mut v = v.clone();
        v.comment = None;
        v.column_comments.clear();
        format!("{} {v:?}", name.schema)
    };
    let gone: Vec<_> = from
        .views
        .iter()
        .filter(|(n, _)| !to.views.contains_key(*n) && !reading_reshaped.contains(*n))
        .map(|(n, v)| (n.clone(), sig(n, v)))
        .collect();
    let new: Vec<_> = to
        .views
        .iter()
        .filter(|(n, _)| !from.views.contains_key(*n))
        .map(|(n, v)| (n.clone(), sig(n, v)))
        .collect();
    let unpaired = |list: &[(QualifiedName, String)], paired: &[QualifiedName]| {
        list.iter()
            .map(|(n, _)| n.clone())
            .filter(|n| !paired.contains(n))
            .collect::<Vec<_>>()
    };
    let renames = pair(gone.clone(), new.clone());
    let gone = unpaired(
        &gone,
        &renames.iter().map(|(o, _)| o.clone()).collect::<Vec<_>>(),
    );
    let new = unpaired(
        &new,
        &renames.iter().map(|(_, n)| n.clone()).collect::<Vec<_>>(),
    );
    // Alike but for the schema and the comments.
    let alike = |v: &View| {
        let mut v = v.clone();
        v.comment = None;
        v.column_comments.clear();
        format!("{v:?}")
    };
    let moves = pair_moves(
        &gone,
        &new,
        |old, _| alike(&from.views[old]),
        |new| alike(&to.views[new]),
    );
    let mut old_name = BTreeMap::new();
    for (old, new) in renames.iter().chain(&moves) {
        rename_relation(from, old, new);
        old_name.insert(new.clone(), old.clone());
        b.old_table.insert(new.clone(), old.clone());
    }
    let changed = |n: &QualifiedName, f: &View| match to.views.get(n) {
        None => true,
        Some(t) => {
            t.materialized != f.materialized
                || t.definition != f.definition
                || t.options != f.options
        }
    };
    let dropped = closure(&from.views, |n, v| {
        changed(n, v) || v.depends_on.iter().any(|d| reshaped.contains(d))
    });
    for (old, new) in &renames {
        if dropped.contains(new) {
            continue;
        }
        let kind = kind(&from.views[new]);
        b.push(
            Phase::Renames,
            format!("rename {} {old} to {new}", kind.to_lowercase()),
            format!("ALTER {kind} {old} RENAME TO {}", new.name),
        );
    }
    for (old, new) in &moves {
        if !dropped.contains(new) {
            move_steps(
                b,
                kind(&from.views[new]),
                old,
                new,
                relation_taken(from, old, new),
            );
        }
    }
    for name in topo(&from.views).into_iter().rev() {
        if !dropped.contains(&name) {
            continue;
        }
        let v = &from.views[&name];
        let kind = kind(v);
        let name = old_name.get(&name).unwrap_or(&name);
        b.push(
            Phase::DropViews,
            format!("drop {} {name}", kind.to_lowercase()),
            format!("DROP {kind} {name}"),
        );
    }
    for name in topo(&to.views) {
        let v = &to.views[&name];
        let kind = kind(v);
        let what = format!("{kind} {name}");
        match from.views.get(&name) {
            Some(f) if !dropped.contains(&name) => {
                b.comment(&what, Some(&f.comment), &v.comment);
                column_comments(b, &name, Some(f), v);
                column_defaults(b, &name, Some(f), v);
                continue;
            }
            _ => {}
        }
        let options = if v.options.is_empty() {
            String::new()
        } else {
            format!(" WITH ({})", v.options.join(", "))
        };
        b.push(
            Phase::CreateViews,
            format!("create {} {name}", kind.to_lowercase()),
            format!("CREATE {kind} {name}{options} AS {}", v.definition),
        );
        b.comment(&what, None, &v.comment);
        column_comments(b, &name, None, v);
        column_defaults(b, &name, None, v);
    }
    dropped
}

/// The comments on the columns of view `name`, from those of `f` (`None`
/// when the view is created).
fn column_comments(b: &mut Builder, name: &QualifiedName, f: Option<&View>, t: &View) {
    let before = |column: &String| f.map(|f| f.column_comments.get(column).cloned());
    let columns: BTreeSet<&String> = t
        .column_comments
        .keys()
        .chain(f.iter().flat_map(|f| f.column_comments.keys()))
        .collect();
    for column in columns {
        b.comment(
            &format!("COLUMN {name}.{column}"),
            before(column).as_ref(),
            &t.column_comments.get(column).cloned(),
        );
    }
}

/// `SET DEFAULT` / `DROP DEFAULT` on the columns of view `name` whose
/// defaults differ from those of `f` (`None` when the view is created).
fn column_defaults(b: &mut Builder, name: &QualifiedName, f: Option<&View>, t: &View) {
    let columns: BTreeSet<&String> = t
        .column_defaults
        .keys()
        .chain(f.iter().flat_map(|f| f.column_defaults.keys()))
        .collect();
    for column in columns {
        let before = f.and_then(|f| f.column_defaults.get(column));
        let after = t.column_defaults.get(column);
        if before == after {
            continue;
        }
        let (summary, action) = match after {
            Some(default) => ("set", format!("SET DEFAULT {default}")),
            None => ("drop", "DROP DEFAULT".to_owned()),
        };
        b.push(
            Phase::CreateViews,
            format!("{summary} default of {name}.{column}"),
            format!("ALTER VIEW {name} ALTER COLUMN {column} {action}"),
        );
    }
}

fn kind(v: &View) -> &'static str {
    if v.materialized {
        "MATERIALIZED VIEW"
    } else {
        "VIEW"
    }
}

/// The views for which `seed` holds, and every view that reads one of
/// them, directly or not.
fn closure(
    views: &BTreeMap<QualifiedName, View>,
    seed: impl Fn(&QualifiedName, &View) -> bool,
) -> BTreeSet<QualifiedName> {
    let mut out: BTreeSet<QualifiedName> = views
        .iter()
        .filter(|(n, v)| seed(n, v))
        .map(|(n, _)| n.clone())
        .collect();
    loop {
        let more: Vec<QualifiedName> = views
            .iter()
            .filter(|(n, v)| !out.contains(*n) && v.depends_on.iter().any(|d| out.contains(d)))
            .map(|(n, _)| n.clone())
            .collect();
        if more.is_empty() {
            return out;
        }
        out.extend(more);
    }
}

/// View names with every view after the views it reads, otherwise in name
/// order.
fn topo(views: &BTreeMap<QualifiedName, View>) -> Vec<QualifiedName> {
    fn visit(
        name: &QualifiedName,
        views: &BTreeMap<QualifiedName, View>,
        seen: &mut BTreeSet<QualifiedName>,
        out: &mut Vec<QualifiedName>,
    ) {
        let Some(v) = views.get(name) else {
            return;
        };
        if !seen.insert(name.clone()) {
            return;
        }
        for d in &v.depends_on {
            visit(d, views, seen, out);
        }
        out.push(name.clone());
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for name in views.keys() {
        visit(name, views, &mut seen, &mut out);
    }
    out
}
