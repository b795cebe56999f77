//! How the commands print: Alembic-like text (coloured only on a terminal
//! without `NO_COLOR`) or JSON on stdout; notes, warnings, progress lines and
//! the server's notices on stderr.
//!
//! Writing to a closed stdout (`history | head -1`) is an error the commands
//! return, not a panic: the command line ends quietly. Everything written to
//! stderr passes through [`scrub`], which removes every registered secret
//! (the database URL's password in each of its forms), and a panic's message
//! does too.

use std::io::{self, Write};
use std::sync::Mutex;

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

    fn print_json(&self, w: &mut impl Write, v: &Value) -> io::Result<()> {
        writeln!(
            w,
            "{}",
            serde_json::to_string_pretty(v).expect("JSON values serialise")
        )
    }

    fn verbose_block(&self, w: &mut impl Write, r: &Revision, marks: &str) -> io::Result<()> {
        writeln!(w, "Rev: {}{marks}", self.paint("1", &r.id))?;
        writeln!(
            w,
            "{}: {}",
            if r.is_merge() { "Merges" } else { "Parent" },
            parents_text(r)
        )?;
        if !r.branch_labels.is_empty() {
            writeln!(w, "Branch names: {}", r.branch_labels.join(", "))?;
        }
        if !r.depends_on.is_empty() {
            writeln!(w, "Also depends on: {}", r.depends_on.join(", "))?;
        }
        writeln!(w, "Path: {}", r.path)?;
        writeln!(w)?;
        writeln!(w, "    {}", r.display_message())?;
        writeln!(w)?;
        writeln!(w, "    Revision ID: {}", r.id)?;
        writeln!(w, "    Revises: {}", r.down_revisions.join(", "))?;
        if let Some(d) = &r.create_date {
            writeln!(w, "    Create Date: {d}")?;
        }
        let mut opts = Vec::new();
        if r.options.non_transactional {
            opts.push("non-transactional");
        }
        if r.options.irreversible {
            opts.push("irreversible");
        }
        if !opts.is_empty() {
            writeln!(w, "    Options: {}", opts.join(", "))?;
        }
        writeln!(w)?;
        Ok(())
    }

    pub fn current(
        &self,
        set: &MigrationSet,
        state: &DatabaseState,
        verbose: bool,
        url: &str,
        source: UrlSource,
        untracked: Option<i64>,
    ) -> io::Result<()> {
        let w = &mut io::stdout().lock();
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
            return self.print_json(
                w,
                &json!({
                    "current": current,
                    "head": head,
                    "database_url": url,
                    "untracked_tables": untracked,
                }),
            );
        }
        if verbose {
            writeln!(w, "Current revision(s) for {url} (from {source}):")?;
        }
        if state.current.is_empty() && verbose {
            writeln!(w, "<base> (no revision applied)")?;
        }
        for id in &state.current {
            let mark = if id == head { " (head)" } else { "" };
            match set.get(id) {
                Some(r) if verbose => {
                    let applied = state.applied.iter().find(|a| a.id == *id);
                    writeln!(w, "{}{mark}, {}", self.paint("1", id), r.display_message())?;
                    writeln!(w, "    Path: {}", r.path)?;
                    if let Some(a) = applied.and_then(|a| a.applied_at.as_ref()) {
                        writeln!(w, "    Applied at: {a}")?;
                    }
                }
                Some(_) => writeln!(w, "{id}{mark}")?,
                None => writeln!(w, "{id} (not a revision of this build)")?,
            }
        }
        Ok(())
    }

    pub fn history(
        &self,
        set: &MigrationSet,
        entries: Option<&[HistoryEntry<'_>]>,
        shown: &[bool],
        verbose: bool,
    ) -> io::Result<()> {
        let w = &mut io::stdout().lock();
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
            return self.print_json(w, &Value::Array(items));
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
                write!(w, "{}", applied_mark(e))?;
                self.verbose_block(w, r, &marks)?;
                if let Some(at) = e
                    .and_then(|e| e.log.as_ref())
                    .and_then(|l| l.applied_at.as_ref())
                {
                    writeln!(w, "    Applied at: {at}\n")?;
                }
                continue;
            }
            for l in &row.before {
                writeln!(w, "{blank_mark}{}", self.paint("33", l))?;
            }
            let depends = if r.depends_on.is_empty() {
                String::new()
            } else {
                format!(" (depends on {})", r.depends_on.join(", "))
            };
            writeln!(
                w,
                "{}{} {} -> {}{}{}, {}",
                applied_mark(e),
                self.paint("33", &row.prefix),
                parents_text(r),
                self.paint("1", &r.id),
                marks,
                depends,
                r.display_message()
            )?;
            for l in &row.after {
                writeln!(w, "{blank_mark}{}", self.paint("33", l))?;
            }
        }
        Ok(())
    }

    pub fn heads(&self, set: &MigrationSet, verbose: bool) -> io::Result<()> {
        let w = &mut io::stdout().lock();
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
            return self.print_json(w, &Value::Array(items));
        }
        for &h in &heads {
            let r = &set.revisions()[h];
            let marks = graph_marks(set, h);
            if verbose {
                self.verbose_block(w, r, &marks)?;
            } else {
                writeln!(w, "{}{marks}", r.id)?;
            }
        }
        if heads.len() > 1 {
            note(format_args!(
                "note: {} heads: merge them with `cargo xtask merge heads -m \"merge\"` before deploying",
                heads.len()
            ));
        }
        Ok(())
    }

    pub fn branches(&self, set: &MigrationSet, verbose: bool) -> io::Result<()> {
        let w = &mut io::stdout().lock();
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
            return self.print_json(w, &json!({ "branch_points": points, "labels": labelled }));
        }
        if points.is_empty() && labels.is_empty() {
            return writeln!(w, "No branches: the history is linear");
        }
        for &i in &points {
            let r = &revs[i];
            if verbose {
                self.verbose_block(w, r, &graph_marks(set, i))?;
            } else {
                writeln!(
                    w,
                    "{}{}, {}",
                    r.id,
                    graph_marks(set, i),
                    r.display_message()
                )?;
            }
            for &c in set.children(i) {
                let child = &revs[c];
                writeln!(
                    w,
                    "    -> {}{}, {}",
                    child.id,
                    graph_marks(set, c),
                    child.display_message()
                )?;
            }
        }
        for (label, _) in labels {
            let branch = set.branch(label).unwrap_or_default();
            let ids: Vec<&str> = branch.iter().map(|&i| &*revs[i].id).collect();
            writeln!(
                w,
                "{label}@base..{label}@head: {} ({} revision(s))",
                ids.join(" -> "),
                ids.len()
            )?;
        }
        Ok(())
    }

    pub fn show(&self, set: &MigrationSet, index: usize) -> io::Result<()> {
        let w = &mut io::stdout().lock();
        let r = &set.revisions()[index];
        if self.json {
            let mut v = revision_json(r);
            v["upgrade"] = json!(r.upgrade.sql);
            v["downgrade"] = json!(r.downgrade.as_ref().map(|d| d.sql.to_string()));
            return self.print_json(w, &v);
        }
        self.verbose_block(w, r, &graph_marks(set, index))?;
        writeln!(
            w,
            "-- migrate:upgrade (line {})\n{}",
            r.upgrade.line,
            r.upgrade.sql.trim_end()
        )?;
        if let Some(d) = &r.downgrade {
            writeln!(
                w,
                "\n-- migrate:downgrade (line {})\n{}",
                d.line,
                d.sql.trim_end()
            )?;
        }
        Ok(())
    }
}

/// The secrets every line on stderr is scrubbed of.
static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Adds secrets (each form of a password) to remove from everything printed
/// on stderr, panics included.
pub(super) fn register_secrets(secrets: &[String]) {
    let mut all = SECRETS.lock().unwrap_or_else(|e| e.into_inner());
    for s in secrets {
        if !s.is_empty() && !all.contains(s) {
            all.push(s.clone());
        }
    }
}

/// `text` without any registered secret.
pub(super) fn scrub(text: &str) -> String {
    let secrets = SECRETS.lock().unwrap_or_else(|e| e.into_inner());
    crate::url::scrub_secrets(text, &secrets)
}

/// Writes `text` and a line break to stderr, scrubbed; a closed stderr is
/// ignored (there is nowhere left to say anything).
pub(super) fn note(text: impl std::fmt::Display) {
    let line = format!("{}\n", scrub(&text.to_string()));
    let _ = io::stderr().lock().write_all(line.as_bytes());
}

/// Writes `text` as it is to stdout.
pub(super) fn out(text: &str) -> io::Result<()> {
    let mut w = io::stdout().lock();
    w.write_all(text.as_bytes())?;
    w.flush()
}

/// Writes one line to stdout.
pub(super) fn out_line(text: impl std::fmt::Display) -> io::Result<()> {
    writeln!(io::stdout().lock(), "{text}")
}

/// Replaces the panic message printer with one that scrubs secrets: a panic
/// is a bug, and its message may quote anything.
pub(super) fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        // The panic may have struck while the secrets were locked.
        let message = match SECRETS.try_lock() {
            Ok(secrets) => crate::url::scrub_secrets(&info.to_string(), &secrets),
            Err(std::sync::TryLockError::Poisoned(p)) => {
                crate::url::scrub_secrets(&info.to_string(), &p.into_inner())
            }
            Err(std::sync::TryLockError::WouldBlock) => {
                "(the message is withheld: it may quote a password)".to_owned()
            }
        };
        let line = format!("error: internal error (a bug in schema-migrations): {message}\n");
        let _ = io::stderr().lock().write_all(line.as_bytes());
    }));
}

/// The target under which sqlx reports the server's notices.
const NOTICE_TARGET: &str = "sqlx::postgres::notice";

/// Turns on the progress lines (target `schema_runtime`, level info) and
/// the server's notices, both on stderr.
///
/// The progress lines follow `RUST_LOG` (else `SCHEMA_LOG`, else
/// `schema_runtime=info`); `quiet` lowers them to warnings. Notices
/// (`RAISE NOTICE`, `WARNING`, `INFO` from the revisions' SQL) are the
/// server talking to the user and always print, as `notice: ...`,
/// `warning: ...` or `info: ...`; to silence them, set `client_min_messages`
/// (for instance `?options=-c%20client_min_messages%3Dwarning` in the URL).
pub(super) fn init_logging(quiet: bool) {
    use tracing_subscriber::filter::{filter_fn, EnvFilter};
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    use tracing_subscriber::Layer;

    let mut filter = EnvFilter::try_from_env("RUST_LOG")
        .or_else(|_| EnvFilter::try_from_env("SCHEMA_LOG"))
        .unwrap_or_else(|_| EnvFilter::new("schema_runtime=info"));
    if quiet {
        filter = filter.add_directive("schema_runtime=warn".parse().expect("a valid directive"));
    }
    let filter = filter.add_directive(
        format!("{NOTICE_TARGET}=off")
            .parse()
            .expect("a valid directive"),
    );
    let color = {
        use std::io::IsTerminal;
        io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    };
    let progress = tracing_subscriber::fmt::layer()
        .with_writer(|| ScrubbedStderr(Vec::new()))
        .with_target(false)
        .without_time()
        .with_ansi(color)
        .with_filter(filter);
    let notices = Notices.with_filter(filter_fn(|m| m.target() == NOTICE_TARGET));
    let _ = tracing_subscriber::registry()
        .with(progress)
        .with(notices)
        .try_init();
}

/// One formatted event, written to stderr scrubbed when dropped.
struct ScrubbedStderr(Vec<u8>);

impl Write for ScrubbedStderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for ScrubbedStderr {
    fn drop(&mut self) {
        let text = scrub(&String::from_utf8_lossy(&self.0));
        let _ = io::stderr().lock().write_all(text.as_bytes());
    }
}

/// Prints the server's notices as `notice: ...` lines.
struct Notices;

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Notices {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        let mut message = Message(String::new());
        event.record(&mut message);
        // sqlx's levels for PostgreSQL's severities.
        let kind = match *event.metadata().level() {
            tracing::Level::ERROR => "error",
            tracing::Level::WARN => "warning",
            tracing::Level::INFO => "notice",
            tracing::Level::DEBUG => "debug",
            tracing::Level::TRACE => "info",
        };
        note(format_args!("{kind}: {}", message.0));
    }
}

/// The `message` field of an event.
struct Message(String);

impl tracing::field::Visit for Message {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        if field.name() == "message" {
            self.0 = value.to_owned();
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            self.0 = format!("{value:?}");
        }
    }
}
