//! How the read-only commands print: Alembic-like text (coloured only on a
//! terminal without `NO_COLOR`) or JSON.

use std::ops::Range;

use schema_core::{MigrationSet, Revision};
use serde_json::{json, Value};

use super::config::UrlSource;
use crate::migrator::{DatabaseState, HistoryEntry};

pub(super) struct Printer {
    pub color: bool,
    pub json: bool,
}

fn revision_json(r: &Revision) -> Value {
    json!({
        "id": r.id,
        "down_revision": r.down_revision,
        "message": r.message,
        "create_date": r.create_date,
        "path": r.path,
        "non_transactional": r.options.non_transactional,
        "irreversible": r.options.irreversible,
        "checksum": r.checksum_hex(),
    })
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
        println!("Parent: {}", r.down_revision.as_deref().unwrap_or("<base>"));
        println!("Path: {}", r.path);
        println!();
        println!("    {}", r.display_message());
        println!();
        println!("    Revision ID: {}", r.id);
        println!("    Revises: {}", r.down_revision.as_deref().unwrap_or(""));
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
        range: Range<usize>,
        verbose: bool,
    ) {
        let revs = set.revisions();
        let shown = revs
            .iter()
            .enumerate()
            .filter(|(i, _)| range.contains(i))
            .rev();
        if self.json {
            let items: Vec<Value> = shown
                .map(|(i, r)| {
                    let e = entries.map(|e| &e[i]);
                    let mut v = revision_json(r);
                    v["is_head"] = json!(i + 1 == revs.len());
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
        for (i, r) in shown {
            let e = entries.map(|e| &e[i]);
            let mut marks = String::new();
            if i + 1 == revs.len() {
                marks.push_str(" (head)");
            }
            if e.is_some_and(|e| e.current) {
                marks.push_str(" (current)");
            }
            if e.and_then(|e| e.checksum_matches) == Some(false) {
                marks.push_str(" (changed since applied)");
            }
            let applied = match e {
                Some(e) if e.applied => self.paint("32", "[x] "),
                Some(_) => "[ ] ".to_owned(),
                None => String::new(),
            };
            if verbose {
                print!("{applied}");
                self.verbose_block(r, &marks);
                if let Some(at) = e
                    .and_then(|e| e.log.as_ref())
                    .and_then(|l| l.applied_at.as_ref())
                {
                    println!("    Applied at: {at}\n");
                }
            } else {
                println!(
                    "{applied}{} -> {}{}, {}",
                    r.down_revision.as_deref().unwrap_or("<base>"),
                    self.paint("1", &r.id),
                    marks,
                    r.display_message()
                );
            }
        }
    }

    pub fn heads(&self, set: &MigrationSet, verbose: bool) {
        let head = set.head();
        if self.json {
            self.print_json(&json!([revision_json(head)]));
        } else if verbose {
            self.verbose_block(head, " (head)");
        } else {
            println!("{} (head)", head.id);
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
        let marks = if index + 1 == set.len() {
            " (head)"
        } else {
            ""
        };
        self.verbose_block(r, marks);
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
