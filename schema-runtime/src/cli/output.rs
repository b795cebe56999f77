//! How the read-only commands print: Alembic-like text (coloured only on a
//! terminal without `NO_COLOR`) or JSON.

use schema_core::{MigrationSet, Revision};
use serde_json::{json, Value};

use super::config::UrlSource;
use super::drawing::draw;
use crate::migrator::{DatabaseState, HistoryEntry};

pub(super) struct Printer {
    pub color: bool,
    pub json: bool,
}

fn revision_json(r: &Revision) -> Value {
    json!({
        "id": r.id,
        "down_revisions": r.down_revisions,
        "branch_labels": r.branch_labels,
        "depends_on": r.depends_on,
        "message": r.message,
        "create_date": r.create_date,
        "path": r.path,
        "non_transactional": r.options.non_transactional,
        "irreversible": r.options.irreversible,
        "checksum": r.checksum_hex(),
    })
}

/// `(head)`, `(branchpoint)`, `(mergepoint)` and the branch labels of the
/// revision at `i`, as Alembic marks them.
fn graph_marks(set: &MigrationSet, i: usize) -> String {
    let mut marks = String::new();
    let labels = set.labels_of(i);
    if !labels.is_empty() {
        marks.push_str(&format!(" ({})", labels.join(", ")));
    }
    if set.children(i).is_empty() {
        marks.push_str(" (head)");
    }
    if set.children(i).len() > 1 {
        marks.push_str(" (branchpoint)");
    }
    if set.parents(i).len() > 1 {
        marks.push_str(" (mergepoint)");
    }
    marks
}

fn parents_text(r: &Revision) -> String {
    if r.down_revisions.is_empty() {
        "<base>".to_owned()
    } else {
        r.down_revisions.join(", ")
    }
}

impl Printer {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn print_json(&self, v: &Value) {
        println!(
            "{}",
            serde_json::to_string_pretty(v).expect("JSON values serialise")
        );
    }

    fn verbose_block(&self, r: &Revision, marks: &str) {
        println!("Rev: {}{marks}", self.paint("1", &r.id));
        println!(
            "{}: {}",
            if r.is_merge() { "Merges" } else { "Parent" },
            parents_text(r)
        );
        if !r.branch_labels.is_empty() {
            println!("Branch names: {}", r.branch_labels.join(", "));
        }
        if !r.depends_on.is_empty() {
            println!("Also depends on: {}", r.depends_on.join(", "));
        }
        println!("Path: {}", r.path);
        println!();
        println!("    {}", r.display_message());
        println!();
        println!("    Revision ID: {}", r.id);
        println!("    Revises: {}", r.down_revisions.join(", "));
        if let Some(d) = &r.create_date {
            println!("    Create Date: {d}");
        }
        let mut opts = Vec::new();
        if r.options.non_transactional {
            opts.push("non-transactional");
        }
        if r.options.irreversible {
            opts.push("irreversible");
        }
        if !opts.is_empty() {
            println!("    Options: {}", opts.join(", "));
        }
        println!();
    }

    pub fn current(
        &self,
        set: &MigrationSet,
        state: &DatabaseState,
        verbose: bool,
        url: &str,
        source: UrlSource,
    ) {
        let head = &*set.head().id;
        if self.json {
            let current: Vec<Value> = state
                .current
                .iter()
                .map(|id| {
                    json!({
                        "id": id,
                        "is_head": id == head,
                        "known": set.get(id).is_some(),
                        "message": set.get(id).map(|r| r.message.to_string()),
                    })
                })
                .collect();
            self.print_json(&json!({ "current": current, "head": head, "database_url": url }));
            return;
        }
        if verbose {
            println!("Current revision(s) for {url} (from {source}):");
        }
        if state.current.is_empty() && verbose {
            println!("<base> (no revision applied)");
        }
        for id in &state.current {
            let mark = if id == head { " (head)" } else { "" };
            match set.get(id) {
                Some(r) if verbose => {
                    let applied = state.applied.iter().find(|a| a.id == *id);
                    println!("{}{mark}, {}", self.paint("1", id), r.display_message());
                    println!("    Path: {}", r.path);
                    if let Some(a) = applied.and_then(|a| a.applied_at.as_ref()) {
                        println!("    Applied at: {a}");
                    }
                }
                Some(_) => println!("{id}{mark}"),
                None => println!("{id} (not a revision of this build)"),
            }
        }
    }

    pub fn history(
        &self,
        set: &MigrationSet,
        entries: Option<&[HistoryEntry<'_>]>,
        shown: &[bool],
        verbose: bool,
    ) {
        let revs = set.revisions();
        if self.json {
            let items: Vec<Value> = (0..revs.len())
                .rev()
                .filter(|&i| shown[i])
                .map(|i| {
                    let e = entries.map(|e| &e[i]);
                    let mut v = revision_json(&revs[i]);
                    v["is_head"] = json!(set.children(i).is_empty());
                    v["is_branch_point"] = json!(set.children(i).len() > 1);
                    v["is_merge_point"] = json!(set.parents(i).len() > 1);
                    v["branches"] = json!(set.labels_of(i));
                    v["applied"] = json!(e.map(|e| e.applied));
                    v["current"] = json!(e.map(|e| e.current));
                    v["applied_at"] = json!(e
                        .and_then(|e| e.log.as_ref())
                        .and_then(|l| l.applied_at.clone()));
                    v["checksum_matches"] = json!(e.and_then(|e| e.checksum_matches));
                    v
                })
                .collect();
            self.print_json(&Value::Array(items));
            return;
        }
        let applied_mark = |e: Option<&HistoryEntry<'_>>| match e {
            Some(e) if e.applied => self.paint("32", "[x] "),
            Some(_) => "[ ] ".to_owned(),
            None => String::new(),
        };
        let blank_mark = if entries.is_some() { "    " } else { "" };
        for row in draw(set, shown) {
            let i = row.position;
            let r = &revs[i];
            let e = entries.map(|e| &e[i]);
            let mut marks = graph_marks(set, i);
            if e.is_some_and(|e| e.current) {
                marks.push_str(" (current)");
            }
            if e.and_then(|e| e.checksum_matches) == Some(false) {
                marks.push_str(" (changed since applied)");
            }
            if verbose {
                print!("{}", applied_mark(e));
                self.verbose_block(r, &marks);
                if let Some(at) = e
                    .and_then(|e| e.log.as_ref())
                    .and_then(|l| l.applied_at.as_ref())
                {
                    println!("    Applied at: {at}\n");
                }
                continue;
            }
            for l in &row.before {
                println!("{blank_mark}{}", self.paint("33", l));
            }
            let depends = if r.depends_on.is_empty() {
                String::new()
            } else {
                format!(" (depends on {})", r.depends_on.join(", "))
            };
            println!(
                "{}{} {} -> {}{}{}, {}",
                applied_mark(e),
                self.paint("33", &row.prefix),
                parents_text(r),
                self.paint("1", &r.id),
                marks,
                depends,
                r.display_message()
            );
            for l in &row.after {
                println!("{blank_mark}{}", self.paint("33", l));
            }
        }
    }

    pub fn heads(&self, set: &MigrationSet, verbose: bool) {
        let heads = set.heads();
        if self.json {
            let items: Vec<Value> = heads
                .iter()
                .map(|&h| {
                    let mut v = revision_json(&set.revisions()[h]);
                    v["branches"] = json!(set.labels_of(h));
                    v
                })
                .collect();
            self.print_json(&Value::Array(items));
            return;
        }
        for &h in &heads {
            let r = &set.revisions()[h];
            let marks = graph_marks(set, h);
            if verbose {
                self.verbose_block(r, &marks);
            } else {
                println!("{}{marks}", r.id);
            }
        }
        if heads.len() > 1 {
            eprintln!(
                "note: {} heads: merge them with `cargo xtask merge heads -m \"merge\"` before deploying",
                heads.len()
            );
        }
    }

    pub fn branches(&self, set: &MigrationSet, verbose: bool) {
        let revs = set.revisions();
        let points: Vec<usize> = (0..revs.len())
            .filter(|&i| set.children(i).len() > 1)
            .collect();
        let labels = set.labels();
        if self.json {
            let points: Vec<Value> = points
                .iter()
                .map(|&i| {
                    json!({
                        "id": revs[i].id,
                        "children": set.children(i).iter().map(|&c| &*revs[c].id).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let labelled: Vec<Value> = labels
                .iter()
                .map(|&(l, _)| {
                    let branch = set.branch(l).unwrap_or_default();
                    json!({
                        "label": l,
                        "revisions": branch.iter().map(|&i| &*revs[i].id).collect::<Vec<_>>(),
                    })
                })
                .collect();
            self.print_json(&json!({ "branch_points": points, "labels": labelled }));
            return;
        }
        if points.is_empty() && labels.is_empty() {
            println!("No branches: the history is linear");
            return;
        }
        for &i in &points {
            let r = &revs[i];
            if verbose {
                self.verbose_block(r, &graph_marks(set, i));
            } else {
                println!("{}{}, {}", r.id, graph_marks(set, i), r.display_message());
            }
            for &c in set.children(i) {
                let child = &revs[c];
                println!(
                    "    -> {}{}, {}",
                    child.id,
                    graph_marks(set, c),
                    child.display_message()
                );
            }
        }
        for (label, _) in labels {
            let branch = set.branch(label).unwrap_or_default();
            let ids: Vec<&str> = branch.iter().map(|&i| &*revs[i].id).collect();
            println!(
                "{label}@base..{label}@head: {} ({} revision(s))",
                ids.join(" -> "),
                ids.len()
            );
        }
    }

    pub fn show(&self, set: &MigrationSet, index: usize) {
        let r = &set.revisions()[index];
        if self.json {
            let mut v = revision_json(r);
            v["upgrade"] = json!(r.upgrade.sql);
            v["downgrade"] = json!(r.downgrade.as_ref().map(|d| d.sql.to_string()));
            self.print_json(&v);
            return;
        }
        self.verbose_block(r, &graph_marks(set, index));
        println!(
            "-- migrate:upgrade (line {})\n{}",
            r.upgrade.line,
            r.upgrade.sql.trim_end()
        );
        if let Some(d) = &r.downgrade {
            println!(
                "\n-- migrate:downgrade (line {})\n{}",
                d.line,
                d.sql.trim_end()
            );
        }
    }
}
