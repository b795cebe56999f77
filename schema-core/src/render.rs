//! The one drawing of a cargo-style message, shared by every error the
//! workspace shows: chain diagnostics (the macro's compile errors and the
//! command line's), failed statements and the runtime's errors. Each of them
//! builds a [`Message`]; only [`Message::draw`] lays out arrows, gutters,
//! carets and notes, so they all look alike.

use std::fmt::Write;

/// A message: a title, the places it points at, and notes (`help`, `note`,
/// `detail`, ...), drawn like cargo's.
///
/// ```
/// use schema_core::render::{Message, Pointer};
///
/// let m = Message::new("revision `a` failed to upgrade: division by zero")
///     .at(Pointer::new("migrations/a.sql", 7).column(8).text("SELECT 1/0;"))
///     .note("help", "fix the statement and run the upgrade again");
/// assert_eq!(
///     m.draw(),
///     "revision `a` failed to upgrade: division by zero\n \
///      --> migrations/a.sql:7:8\n  |\n7 | SELECT 1/0;\n  |        ^\n  \
///      = help: fix the statement and run the upgrade again"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Message {
    /// The first line: what went wrong.
    pub title: String,
    /// Where, in order; the first is the primary place.
    pub pointers: Vec<Pointer>,
    /// `= kind: text` lines under the places, in order.
    pub notes: Vec<(String, String)>,
}

/// A place a [`Message`] points at: `--> path:line:column (label)`, then
/// the line's text with a caret under the column.
///
/// # Examples
///
/// ```
/// use schema_core::render::{Message, Pointer};
///
/// let p = Pointer::new("migrations/a.sql", 2).text("-- Revises: b").label("the parent");
/// let drawn = Message::new("unknown parent `b`").at(p).draw();
/// assert!(drawn.contains("--> migrations/a.sql:2 (the parent)"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Pointer {
    /// The file, as shown to the user.
    pub path: String,
    /// 1-based line; 0 for the file as a whole.
    pub line: u32,
    /// 1-based column, drawn as a caret under the text.
    pub column: Option<u32>,
    /// The text of the line.
    pub text: Option<String>,
    /// What this place is (`the common parent`, ...).
    pub label: Option<String>,
}

impl Pointer {
    /// A place in `path` at `line` (0: the file as a whole).
    pub fn new(path: impl Into<String>, line: u32) -> Self {
        Pointer {
            path: path.into(),
            line,
            ..Pointer::default()
        }
    }

    /// The column, drawn as a caret under the text.
    pub fn column(mut self, column: u32) -> Self {
        self.column = Some(column);
        self
    }

    /// The text of the line.
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.text = Some(text.into());
        self
    }

    /// What this place is.
    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }
}

impl Message {
    /// A message with `title` and nothing under it yet.
    pub fn new(title: impl Into<String>) -> Self {
        Message {
            title: title.into(),
            ..Message::default()
        }
    }

    /// Adds a place.
    pub fn at(mut self, pointer: Pointer) -> Self {
        self.pointers.push(pointer);
        self
    }

    /// Adds a `= kind: text` line.
    pub fn note(mut self, kind: impl Into<String>, text: impl Into<String>) -> Self {
        self.notes.push((kind.into(), text.into()));
        self
    }

    /// The message as a terminal shows it, without a trailing newline and
    /// without the `error: ` a caller (or the compiler) puts in front.
    pub fn draw(&self) -> String {
        let width = self
            .pointers
            .iter()
            .map(|p| p.line.to_string().len())
            .max()
            .unwrap_or(1);
        let pad = " ".repeat(width);
        let mut out = self.title.clone();
        for p in &self.pointers {
            out.push('\n');
            let _ = write!(out, "{pad}--> {}", p.path);
            if p.line > 0 {
                let _ = write!(out, ":{}", p.line);
                if let Some(c) = p.column {
                    let _ = write!(out, ":{c}");
                }
            }
            if let Some(label) = &p.label {
                let _ = write!(out, " ({label})");
            }
            if let Some(text) = &p.text {
                let _ = write!(out, "\n{pad} |\n{:>width$} | {text}\n{pad} |", p.line);
                if let Some(c) = p.column {
                    let _ = write!(out, " {}^", " ".repeat(c.saturating_sub(1) as usize));
                }
            }
        }
        for (kind, text) in &self.notes {
            // Continuation lines of a note line up under its first word.
            let text = text.replace('\n', &format!("\n{pad}   "));
            let _ = write!(out, "\n{pad} = {kind}: {text}");
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gutter_is_as_wide_as_the_longest_line_number() {
        let m = Message::new("t")
            .at(Pointer::new("a.sql", 9).text("x"))
            .at(Pointer::new("b.sql", 120).text("y"))
            .note("help", "h");
        assert_eq!(
            m.draw(),
            "t\n   --> a.sql:9\n    |\n  9 | x\n    |\n   --> b.sql:120\n    |\n120 | y\n    |\n    = help: h"
        );
    }

    #[test]
    fn a_file_as_a_whole_has_no_line_and_no_gutter_text() {
        let m = Message::new("t").at(Pointer::new("a.sql", 0).label("the file"));
        assert_eq!(m.draw(), "t\n --> a.sql (the file)");
    }

    #[test]
    fn a_note_over_several_lines_stays_indented() {
        let m = Message::new("t").note("context", "one\ntwo");
        assert_eq!(m.draw(), "t\n  = context: one\n    two");
    }
}
