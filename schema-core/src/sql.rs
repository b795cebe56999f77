//! The SQL lexing the runtime needs: where a section's statements end, where
//! each statement's first token is, which statements a section may not hold,
//! and how a server's error position maps back to a line and column.
//!
//! Transactional revisions are sent to the server whole, as one simple query,
//! so the splitter is not on that path. It is used where a section must be
//! taken apart: non-transactional revisions are sent one statement at a time
//! (PostgreSQL runs a multi-statement query in an implicit transaction), a
//! failure is traced to its statement, and the chain check looks at each
//! statement of a section. So it must split exactly where the server does.
//!
//! The lexer follows PostgreSQL's (`src/backend/parser/scan.l`) with
//! `standard_conforming_strings = on`: `--` and nested `/* */` comments (also
//! where they start inside a run of operator characters), `'...'` strings with
//! `''`, `E'...'` strings with backslash escapes, `B'...'`, `X'...'`, `N'...'`
//! and `U&'...'` strings, strings continued across a newline (`'a'` newline
//! `'b'` is one string, in the mode of its first part), `"..."` and `U&"..."`
//! identifiers, `$tag$` dollar quotes (a `$` inside an identifier or after
//! `$1` starts none), and numbers. On top of the tokens, a `;` ends a
//! statement only outside parentheses (`CREATE RULE ... DO (...; ...)`) and
//! outside the `BEGIN ATOMIC ... END` body of a `CREATE FUNCTION` or `CREATE
//! PROCEDURE` (PostgreSQL 14 and later), as in the server's grammar: inside
//! such a body each statement ends with `;` and `END` as the first word of a
//! statement closes the body.

/// One statement of a script.
///
/// # Examples
///
/// ```
/// let script = "SELECT 1;\n-- the second\nSELECT 2;";
/// let second = schema_core::sql::split_statements(script)[1];
/// assert_eq!(second.text, "\n-- the second\nSELECT 2;");
/// assert_eq!(&script[second.offset..], second.text);
/// assert!(script[second.first_token..].starts_with("SELECT 2"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement<'a> {
    /// The statement, from its first character through its `;` (or the end).
    pub text: &'a str,
    /// Byte offset of `text` in the script.
    pub offset: usize,
    /// Byte offset in the script of the statement's first token (after the
    /// whitespace and comments that `text` starts with).
    pub first_token: usize,
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Spaces, tabs, newlines.
    Space,
    /// `-- ...` to the end of the line, or `/* ... */` (nested).
    Comment,
    /// An unquoted identifier or keyword.
    Word,
    /// `"..."` or `U&"..."`.
    QuotedIdent,
    /// `'...'`, `E'...'`, `B'...'`, `X'...'`, `N'...'` or `U&'...'`, with
    /// its continuations.
    String,
    /// `$tag$...$tag$`.
    DollarString,
    /// A numeric constant.
    Number,
    /// `$1`.
    Param,
    /// Any other character, one at a time: `(`, `)`, `;`, `,`, operators.
    Punct,
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

impl Token {
    fn significant(&self) -> bool {
        !matches!(self.kind, Kind::Space | Kind::Comment)
    }
}

/// PostgreSQL's whitespace (`\v` since PostgreSQL 16).
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

fn is_newline(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn is_ident_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

fn is_dolq_cont(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit()
}

/// The first index at or after `from` whose byte does not satisfy `pred`.
fn run(s: &[u8], from: usize, pred: impl Fn(u8) -> bool) -> usize {
    let mut k = from;
    while k < s.len() && pred(s[k]) {
        k += 1;
    }
    k
}

/// The end of a `--` comment starting at `i`: the line's end (not included).
fn line_comment_end(s: &[u8], i: usize) -> usize {
    run(s, i, |b| !is_newline(b))
}

/// The end of a `/*` comment starting at `i`, nested comments included.
fn block_comment_end(s: &[u8], i: usize) -> usize {
    let (mut k, mut depth) = (i + 2, 1u32);
    while k < s.len() {
        if s[k] == b'/' && s.get(k + 1) == Some(&b'*') {
            depth += 1;
            k += 2;
        } else if s[k] == b'*' && s.get(k + 1) == Some(&b'/') {
            depth -= 1;
            k += 2;
            if depth == 0 {
                return k;
            }
        } else {
            k += 1;
        }
    }
    s.len()
}

/// Where a string that closed just before `k` continues: the index of the
/// opening quote of its next part, when only whitespace holding a newline
/// (and `--` comments) stands between (`{quotecontinue}` in scan.l).
fn continuation(s: &[u8], mut k: usize) -> Option<usize> {
    loop {
        match s.get(k) {
            Some(&b) if is_space(b) && !is_newline(b) => k += 1,
            Some(b'-') if s.get(k + 1) == Some(&b'-') => k = line_comment_end(s, k),
            _ => break,
        }
    }
    if !s.get(k).is_some_and(|&b| is_newline(b)) {
        return None;
    }
    k += 1;
    loop {
        match s.get(k) {
            Some(&b) if is_space(b) => k += 1,
            Some(b'-') if s.get(k + 1) == Some(&b'-') => {
                let end = line_comment_end(s, k);
                if end == s.len() {
                    return None;
                }
                k = end + 1;
            }
            _ => break,
        }
    }
    (s.get(k) == Some(&b'\'')).then_some(k)
}

/// The end of a quoted string whose text starts at `k` (after the opening
/// quote); `backslashes`: an `E'...'` string, where `\` escapes the next byte.
fn string_end(s: &[u8], mut k: usize, backslashes: bool) -> usize {
    while k < s.len() {
        match s[k] {
            b'\\' if backslashes => k += 2,
            b'\'' if s.get(k + 1) == Some(&b'\'') => k += 2,
            b'\'' => match continuation(s, k + 1) {
                Some(next) => k = next + 1,
                None => return k + 1,
            },
            _ => k += 1,
        }
    }
    s.len()
}

/// The end of a quoted identifier whose text starts at `k`.
fn quoted_ident_end(s: &[u8], mut k: usize) -> usize {
    while k < s.len() {
        if s[k] == b'"' {
            if s.get(k + 1) == Some(&b'"') {
                k += 2;
                continue;
            }
            return k + 1;
        }
        k += 1;
    }
    s.len()
}

/// The end of a number starting at `i` (a digit, or `.` before a digit).
fn number_end(s: &[u8], i: usize) -> usize {
    let digits = |k: usize| run(s, k, |b| b.is_ascii_digit() || b == b'_');
    let mut k = digits(i);
    if s.get(k) == Some(&b'.') && s.get(k + 1) != Some(&b'.') {
        k = digits(k + 1);
    }
    if matches!(s.get(k), Some(b'e' | b'E')) {
        let d = if matches!(s.get(k + 1), Some(b'+' | b'-')) {
            k + 2
        } else {
            k + 1
        };
        if s.get(d).is_some_and(u8::is_ascii_digit) {
            k = digits(d);
        }
    }
    k
}

/// The token that a `$` at `i` starts: a parameter, a dollar-quoted string,
/// or the lone character.
fn dollar(text: &str, i: usize) -> (Kind, usize) {
    let s = text.as_bytes();
    if s.get(i + 1).is_some_and(u8::is_ascii_digit) {
        return (Kind::Param, run(s, i + 1, |b| b.is_ascii_digit()));
    }
    let tag_end = match s.get(i + 1) {
        Some(b'$') => Some(i + 2),
        Some(&b) if is_ident_start(b) => {
            let k = run(s, i + 2, is_dolq_cont);
            (s.get(k) == Some(&b'$')).then_some(k + 1)
        }
        _ => None,
    };
    match tag_end {
        Some(t) => {
            let tag = &text[i..t];
            let end = text[t..].find(tag).map_or(s.len(), |p| t + p + tag.len());
            (Kind::DollarString, end)
        }
        None => (Kind::Punct, i + 1),
    }
}

/// The tokens of a script, whitespace and comments included.
struct Lexer<'a> {
    text: &'a str,
    i: usize,
}

impl Iterator for Lexer<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let s = self.text.as_bytes();
        let i = self.i;
        let b = *s.get(i)?;
        let at = |k: usize| s.get(k).copied();
        let (kind, end) = match b {
            _ if is_space(b) => (Kind::Space, run(s, i, is_space)),
            b'-' if at(i + 1) == Some(b'-') => (Kind::Comment, line_comment_end(s, i)),
            b'/' if at(i + 1) == Some(b'*') => (Kind::Comment, block_comment_end(s, i)),
            b'\'' => (Kind::String, string_end(s, i + 1, false)),
            b'"' => (Kind::QuotedIdent, quoted_ident_end(s, i + 1)),
            b'e' | b'E' if at(i + 1) == Some(b'\'') => (Kind::String, string_end(s, i + 2, true)),
            b'b' | b'B' | b'x' | b'X' | b'n' | b'N' if at(i + 1) == Some(b'\'') => {
                (Kind::String, string_end(s, i + 2, false))
            }
            b'u' | b'U' if at(i + 1) == Some(b'&') && at(i + 2) == Some(b'\'') => {
                (Kind::String, string_end(s, i + 3, false))
            }
            b'u' | b'U' if at(i + 1) == Some(b'&') && at(i + 2) == Some(b'"') => {
                (Kind::QuotedIdent, quoted_ident_end(s, i + 3))
            }
            _ if is_ident_start(b) => (Kind::Word, run(s, i + 1, is_ident_cont)),
            b'0'..=b'9' => (Kind::Number, number_end(s, i)),
            b'.' if at(i + 1).is_some_and(|d| d.is_ascii_digit()) => {
                (Kind::Number, number_end(s, i))
            }
            b'$' => dollar(self.text, i),
            _ => (Kind::Punct, i + 1),
        };
        let end = end.min(s.len());
        self.i = end;
        Some(Token {
            kind,
            start: i,
            end,
        })
    }
}

/// What has been seen of one statement (top level or inside a `BEGIN ATOMIC`
/// body): enough to tell a `CREATE [OR REPLACE] FUNCTION|PROCEDURE`.
#[derive(Debug, Default)]
struct Context {
    /// Significant tokens seen.
    seen: usize,
    /// Whether the statement creates a function or procedure, once known.
    routine: Option<bool>,
    /// Whether the last token was `BEGIN` outside parentheses.
    after_begin: bool,
}

impl Context {
    fn see(&mut self, is: impl Fn(&str) -> bool) {
        let routine_word = || is("function") || is("procedure");
        self.routine = match (self.seen, self.routine) {
            (_, Some(known)) => Some(known),
            (0, None) => (!is("create")).then_some(false),
            (1, None) if routine_word() => Some(true),
            (1, None) => (!is("or")).then_some(false),
            (2, None) => (!is("replace")).then_some(false),
            _ => Some(routine_word()),
        };
        self.seen += 1;
    }
}

/// A script's tokens and its top-level statements, each with the range of
/// its tokens.
struct Script<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    statements: Vec<(Statement<'a>, std::ops::Range<usize>)>,
}

impl<'a> Script<'a> {
    fn new(text: &'a str) -> Self {
        let tokens: Vec<Token> = Lexer { text, i: 0 }.collect();
        let mut statements = Vec::new();
        // Where the current statement's text starts, and its first token.
        let mut start = 0;
        let mut first: Option<(usize, usize)> = None;
        let mut depth = 0usize;
        let mut top = Context::default();
        // Open `BEGIN ATOMIC` bodies: the parenthesis depth each opened at,
        // and the statement being read inside it.
        let mut bodies: Vec<(usize, Context)> = Vec::new();
        for (ti, t) in tokens.iter().enumerate() {
            if !t.significant() {
                continue;
            }
            let word = &text[t.start..t.end];
            let base = bodies.last().map_or(0, |b| b.0);
            let punct = |c: &str| t.kind == Kind::Punct && word == c;
            if punct(";") && depth == base {
                match bodies.last_mut() {
                    Some(body) => body.1 = Context::default(),
                    None => {
                        if let Some((first_token, first_ti)) = first.take() {
                            let statement = Statement {
                                text: &text[start..t.end],
                                offset: start,
                                first_token,
                            };
                            statements.push((statement, first_ti..ti + 1));
                        }
                        start = t.end;
                        top = Context::default();
                    }
                }
                continue;
            }
            if bodies.is_empty() {
                first.get_or_insert((t.start, ti));
            }
            if punct("(") {
                depth += 1;
            } else if punct(")") && depth > base {
                depth -= 1;
            }
            let is = |w: &str| t.kind == Kind::Word && word.eq_ignore_ascii_case(w);
            if bodies
                .last()
                .is_some_and(|b| b.1.seen == 0 && depth == base && is("end"))
            {
                bodies.pop();
                continue;
            }
            let context = match bodies.last_mut() {
                Some(body) => &mut body.1,
                None => &mut top,
            };
            if context.after_begin && context.routine == Some(true) && is("atomic") {
                context.after_begin = false;
                bodies.push((depth, Context::default()));
                continue;
            }
            context.after_begin = depth == base && is("begin");
            context.see(is);
        }
        if let Some((first_token, first_ti)) = first {
            let statement = Statement {
                text: &text[start..],
                offset: start,
                first_token,
            };
            statements.push((statement, first_ti..tokens.len()));
        }
        Script {
            text,
            tokens,
            statements,
        }
    }

    /// Statement `n` as shown in a message: from its first token, without
    /// its `;`, comments and runs of whitespace each made one space, cut
    /// after 80 characters.
    fn summary(&self, n: usize) -> String {
        let mut out = String::new();
        for t in &self.tokens[self.statements[n].1.clone()] {
            if t.significant() {
                out.push_str(&self.text[t.start..t.end]);
            } else if !out.ends_with(' ') {
                out.push(' ');
            }
        }
        let out = out.trim_end().trim_end_matches(';').trim_end();
        match out.char_indices().nth(80) {
            Some((cut, _)) => format!("{}...", &out[..cut]),
            None => out.to_owned(),
        }
    }

    /// The significant tokens of statement `n`, with their text.
    fn significant(&self, n: usize) -> Vec<(Kind, &'a str)> {
        self.tokens[self.statements[n].1.clone()]
            .iter()
            .filter(|t| t.significant())
            .map(|t| (t.kind, &self.text[t.start..t.end]))
            .collect()
    }
}

/// Splits a script into statements where PostgreSQL does (see the module
/// documentation). Statements holding only whitespace and comments are left
/// out. Text after the last `;` is a statement if it holds SQL.
///
/// # Examples
///
/// ```
/// use schema_core::sql::split_statements;
///
/// let script = "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n\
///               INSERT INTO t VALUES ('a;b'); -- done;\n";
/// let texts: Vec<&str> = split_statements(script).iter().map(|s| s.text.trim()).collect();
/// assert_eq!(texts.len(), 2, "no split inside dollar quotes, strings or comments");
/// assert!(texts[1].starts_with("INSERT"));
/// assert!(split_statements("-- only a comment\n").is_empty());
/// ```
pub fn split_statements(script: &str) -> Vec<Statement<'_>> {
    Script::new(script)
        .statements
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

/// Why a section may not hold a statement.
///
/// # Examples
///
/// ```
/// use schema_core::sql::{refused_statements, Refusal};
///
/// let refused = refused_statements("COPY t FROM STDIN;", false);
/// assert!(matches!(refused[0].refusal, Refusal::ClientProtocol(_)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// A top-level transaction-control statement (`BEGIN`, `START
    /// TRANSACTION`, `COMMIT`, `END`, `ROLLBACK` other than `ROLLBACK TO
    /// SAVEPOINT`, `ABORT`, `PREPARE TRANSACTION`, `COMMIT PREPARED`,
    /// `ROLLBACK PREPARED`) in a transactional section.
    TransactionControl,
    /// A statement that changes a setting deciding how the server reads the
    /// SQL that follows: `standard_conforming_strings` turned off, or
    /// `client_encoding` set to anything but UTF-8.
    LexingSetting(&'static str),
    /// A statement that needs the client to take part in the protocol:
    /// `COPY ... FROM STDIN` (data sent by the client), `COPY ... TO STDOUT`
    /// (data read by the client) or `LISTEN` (notifications delivered to
    /// the client); the value names which.
    ClientProtocol(&'static str),
}

/// A statement that a section may not hold, and why.
///
/// # Examples
///
/// ```
/// use schema_core::sql::{refused_statements, Refusal};
///
/// let refused = refused_statements("BEGIN;\nCREATE TABLE t ();\nCOMMIT; -- done", true);
/// assert_eq!(refused.len(), 2);
/// assert_eq!((refused[1].summary.as_str(), refused[1].refusal), ("COMMIT", Refusal::TransactionControl));
/// assert_eq!(refused[1].statement.text.trim(), "COMMIT;");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused<'a> {
    /// The statement.
    pub statement: Statement<'a>,
    /// The statement as shown in a message: its tokens without comments,
    /// separated by single spaces, shortened when long.
    pub summary: String,
    /// Why it is refused.
    pub refusal: Refusal,
}

/// The settings whose value changes how the server lexes SQL.
const LEXING_SETTINGS: [&str; 2] = ["standard_conforming_strings", "client_encoding"];

/// The top-level statements of a section that the section may not hold:
/// transaction control when `transactional`, and changes of the settings
/// that decide how SQL is read in any section. Function bodies, `DO` blocks,
/// `BEGIN ATOMIC` bodies, parenthesised rule actions, strings, comments and
/// identifiers are not top level.
///
/// # Examples
///
/// ```
/// use schema_core::sql::{refused_statements, Refusal};
///
/// let script = "BEGIN;\nSET standard_conforming_strings = off;\nCOMMIT;";
/// let transactional: Vec<Refusal> = refused_statements(script, true).iter().map(|r| r.refusal).collect();
/// assert_eq!(transactional.len(), 3);
/// // A non-transactional section may hold its own BEGIN and COMMIT.
/// let refused = refused_statements(script, false);
/// assert!(matches!(refused[..], [ref one] if matches!(one.refusal, Refusal::LexingSetting(_))));
/// ```
pub fn refused_statements(script: &str, transactional: bool) -> Vec<Refused<'_>> {
    let parsed = Script::new(script);
    let mut out = Vec::new();
    for (n, (statement, _)) in parsed.statements.iter().enumerate() {
        let tokens = parsed.significant(n);
        let refusal = if transactional && is_transaction_control(&tokens) {
            Some(Refusal::TransactionControl)
        } else if let Some(what) = client_protocol(&tokens) {
            Some(Refusal::ClientProtocol(what))
        } else {
            lexing_setting(&tokens).map(Refusal::LexingSetting)
        };
        if let Some(refusal) = refusal {
            out.push(Refused {
                statement: *statement,
                summary: parsed.summary(n),
                refusal,
            });
        }
    }
    out
}

fn word_at<'t>(tokens: &[(Kind, &'t str)], k: usize) -> Option<&'t str> {
    tokens
        .get(k)
        .filter(|(kind, _)| *kind == Kind::Word)
        .map(|(_, text)| *text)
}

fn word_is(tokens: &[(Kind, &str)], k: usize, words: &[&str]) -> bool {
    word_at(tokens, k).is_some_and(|w| words.iter().any(|x| w.eq_ignore_ascii_case(x)))
}

/// `COPY ... FROM STDIN`, `COPY ... TO STDOUT` or `LISTEN`: statements whose
/// data or notifications go through the client.
fn client_protocol(tokens: &[(Kind, &str)]) -> Option<&'static str> {
    if word_is(tokens, 0, &["listen"]) {
        return Some("LISTEN");
    }
    if !word_is(tokens, 0, &["copy"]) {
        return None;
    }
    (1..tokens.len()).find_map(|k| {
        if word_is(tokens, k - 1, &["from"]) && word_is(tokens, k, &["stdin"]) {
            Some("COPY ... FROM STDIN")
        } else if word_is(tokens, k - 1, &["to"]) && word_is(tokens, k, &["stdout"]) {
            Some("COPY ... TO STDOUT")
        } else {
            None
        }
    })
}

fn is_transaction_control(tokens: &[(Kind, &str)]) -> bool {
    if word_is(tokens, 0, &["begin", "start", "commit", "end", "abort"]) {
        return true;
    }
    if word_is(tokens, 0, &["rollback"]) {
        let k = if word_is(tokens, 1, &["work", "transaction"]) {
            2
        } else {
            1
        };
        return !word_is(tokens, k, &["to"]);
    }
    word_is(tokens, 0, &["prepare"])
        && word_is(tokens, 1, &["transaction"])
        && matches!(tokens.get(2), Some((Kind::String | Kind::DollarString, _)))
}

/// The value a token stands for, as a setting name or value: a word or a
/// quoted identifier (lower-cased, as the server compares setting names), a
/// string without escapes or continuations, a number. `None` for anything
/// else.
fn literal(kind: Kind, text: &str) -> Option<String> {
    let value = match kind {
        Kind::Word | Kind::Number => text.to_owned(),
        Kind::QuotedIdent => text
            .strip_prefix('"')?
            .strip_suffix('"')?
            .replace("\"\"", "\""),
        Kind::String => {
            let body = text.strip_prefix(['e', 'E']).unwrap_or(text);
            if body.len() < text.len() && body.contains('\\') {
                return None;
            }
            let inner = body
                .strip_prefix('\'')?
                .strip_suffix('\'')?
                .replace("''", "'");
            if inner.contains('\'') {
                return None;
            }
            inner
        }
        Kind::DollarString => {
            let open = text[1..].find('$')? + 2;
            text.get(open..text.len().checked_sub(open)?)?.to_owned()
        }
        _ => return None,
    };
    Some(value.to_ascii_lowercase())
}

/// Whether setting `name` to the value of token `value` leaves lexing as the
/// runtime assumes it (`standard_conforming_strings` on, `client_encoding`
/// UTF-8).
fn keeps_lexing(name: &str, value: Option<&(Kind, &str)>) -> bool {
    let Some(&(kind, text)) = value else {
        return false;
    };
    if kind == Kind::Word && text.eq_ignore_ascii_case("default") {
        return true;
    }
    let Some(v) = literal(kind, text) else {
        return false;
    };
    if name == "client_encoding" {
        let clean: String = v.chars().filter(char::is_ascii_alphanumeric).collect();
        clean == "utf8" || clean == "unicode"
    } else {
        v == "on"
            || v == "1"
            || (!v.is_empty() && ("true".starts_with(&v) || "yes".starts_with(&v)))
    }
}

/// The lexing setting a statement changes, if it changes one to a value the
/// runtime cannot follow: `SET` (and `SET NAMES`), `set_config(...)`,
/// `ALTER DATABASE|ROLE|SYSTEM ... SET`, an `UPDATE` of `pg_settings`.
/// `SHOW`, `RESET`, `current_setting(...)` and a function's own `SET` clause
/// are left alone.
fn lexing_setting(tokens: &[(Kind, &str)]) -> Option<&'static str> {
    if word_is(tokens, 0, &["show", "reset"]) {
        return None;
    }
    if word_is(tokens, 0, &["set"]) {
        let k = if word_is(tokens, 1, &["session", "local"]) {
            2
        } else {
            1
        };
        if word_is(tokens, k, &["names"]) && !keeps_lexing("client_encoding", tokens.get(k + 1)) {
            return Some("client_encoding");
        }
    }
    let routine = (word_is(tokens, 0, &["create"])
        && (word_is(tokens, 1, &["function", "procedure"])
            || (word_is(tokens, 1, &["or"]) && word_is(tokens, 3, &["function", "procedure"]))))
        || (word_is(tokens, 0, &["alter"])
            && word_is(tokens, 1, &["function", "procedure", "routine"]));
    let updates_settings = (0..tokens.len()).any(|k| word_is(tokens, k, &["update"]))
        && (0..tokens.len()).any(|k| word_is(tokens, k, &["pg_settings"]));
    for (k, &(kind, text)) in tokens.iter().enumerate() {
        let Some(name) =
            literal(kind, text).and_then(|v| LEXING_SETTINGS.iter().copied().find(|s| *s == v))
        else {
            continue;
        };
        let called =
            |f: &str| k >= 2 && tokens[k - 1] == (Kind::Punct, "(") && word_is(tokens, k - 2, &[f]);
        if called("current_setting") {
            continue;
        }
        if called("set_config") {
            if tokens.get(k + 1) == Some(&(Kind::Punct, ","))
                && keeps_lexing(name, tokens.get(k + 2))
            {
                continue;
            }
            return Some(name);
        }
        if word_is(tokens, k + 1, &["to"]) || tokens.get(k + 1) == Some(&(Kind::Punct, "=")) {
            if routine || keeps_lexing(name, tokens.get(k + 2)) {
                continue;
            }
            return Some(name);
        }
        if updates_settings {
            return Some(name);
        }
    }
    None
}

/// Maps a server error position (1-based, in characters, as PostgreSQL reports
/// it) in `text` to a 0-based line and a 1-based column.
///
/// # Examples
///
/// ```
/// use schema_core::sql::line_col;
///
/// let section = "CREATE TABLE t ();\nSELECT 1/0;\n";
/// // PostgreSQL reports `division by zero` at position 28: the `/`.
/// assert_eq!(line_col(section, 28), (1, 9));
/// assert_eq!(line_col(section, 1), (0, 1));
/// ```
pub fn line_col(text: &str, position: usize) -> (u32, u32) {
    let byte = text
        .char_indices()
        .nth(position.saturating_sub(1))
        .map_or(text.len(), |(b, _)| b);
    let before = &text[..byte];
    let line = before.matches('\n').count() as u32;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, col)
}

/// The number of characters in `text` (what a server position counts).
///
/// # Examples
///
/// ```
/// assert_eq!(schema_core::sql::char_len("café"), 4);
/// assert_eq!("café".len(), 5);
/// ```
pub fn char_len(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(script: &str) -> Vec<&str> {
        split_statements(script)
            .iter()
            .map(|s| s.text.trim())
            .collect()
    }

    #[test]
    fn splits_on_semicolons() {
        assert_eq!(texts("SELECT 1; SELECT 2;"), ["SELECT 1;", "SELECT 2;"]);
    }

    #[test]
    fn keeps_semicolons_inside_strings_and_identifiers() {
        assert_eq!(
            texts("INSERT INTO t VALUES ('a;b', 'it''s;'); SELECT \"x;y\";"),
            ["INSERT INTO t VALUES ('a;b', 'it''s;');", "SELECT \"x;y\";"]
        );
    }

    #[test]
    fn keeps_escaped_quotes_in_e_strings() {
        assert_eq!(
            texts(r"SELECT E'a\';b'; SELECT 2;"),
            [r"SELECT E'a\';b';", "SELECT 2;"]
        );
    }

    #[test]
    fn keeps_dollar_quoted_bodies_whole() {
        let script =
            "CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql;\n\
                      DO $body$ BEGIN PERFORM 1; END $body$;";
        assert_eq!(split_statements(script).len(), 2);
        assert!(texts(script)[1].starts_with("DO $body$"));
    }

    #[test]
    fn positional_parameters_are_not_dollar_quotes() {
        assert_eq!(texts("PREPARE p AS SELECT $1; SELECT 2;").len(), 2);
    }

    #[test]
    fn ignores_semicolons_in_comments_and_comment_only_statements() {
        assert_eq!(
            texts("-- a; b\nSELECT 1; /* x; /* nested; */ y; */ SELECT 2;\n-- trailing;\n"),
            ["-- a; b\nSELECT 1;", "/* x; /* nested; */ y; */ SELECT 2;"]
        );
    }

    #[test]
    fn a_last_statement_without_semicolon_counts() {
        assert_eq!(texts("SELECT 1; SELECT 2"), ["SELECT 1;", "SELECT 2"]);
    }

    #[test]
    fn the_first_token_follows_leading_whitespace_and_comments() {
        let script = "SELECT 1;\n-- a note\n  /* block */ SELECT 2;";
        let st = split_statements(script);
        assert_eq!(st[0].first_token, 0);
        assert_eq!(&script[st[1].first_token..], "SELECT 2;");
    }

    #[test]
    fn offsets_point_into_the_script() {
        let script = "SELECT 1;\nSELECT 2;";
        let st = split_statements(script);
        assert_eq!(&script[st[1].offset..], "\nSELECT 2;");
    }

    #[test]
    fn maps_positions_to_lines_and_columns_in_characters() {
        let text = "SELECT 1;\nSELECT 'é', nope;";
        // 'n' of nope: line 1 (0-based), column 13 counting é as one character.
        let pos = text.chars().position(|c| c == 'n').unwrap() + 1;
        assert_eq!(line_col(text, pos), (1, 13));
        assert_eq!(line_col(text, 1), (0, 1));
    }

    #[test]
    fn an_e_string_continued_on_the_next_line_keeps_its_backslash_escapes() {
        // The second part belongs to the E string, so `\'` does not end it.
        let script = "SELECT E'a'\n'\\'; SELECT 1; --'; SELECT 2;";
        assert_eq!(texts(script).len(), 2);
        // A comment may stand between the parts, before and after the newline.
        let script = "SELECT E'a' -- c\n-- d\n  '\\'; x'; SELECT 2;";
        assert_eq!(texts(script).len(), 2);
        // Without a newline between them, or with a block comment, the next
        // string is a standard one, where `\` escapes nothing.
        assert_eq!(texts("SELECT E'a' '\\'; SELECT 2; '").len(), 3);
        assert_eq!(texts("SELECT E'a'\n/**/'\\'; SELECT 2; '").len(), 3);
    }

    #[test]
    fn a_dollar_inside_an_identifier_starts_no_dollar_quote() {
        assert_eq!(texts("SELECT 1 AS a$$b$$; SELECT 2;").len(), 2);
        assert_eq!(texts("SELECT 1 AS a$x$; SELECT $x$;$x$;").len(), 2);
    }

    #[test]
    fn a_dollar_after_a_number_or_a_parameter_is_a_new_token() {
        assert_eq!(texts("SELECT 1$a$;$a$; SELECT 2;").len(), 2);
        assert_eq!(texts("PREPARE p AS SELECT $1$a$;$a$; SELECT 2;").len(), 2);
    }

    #[test]
    fn a_dollar_quote_ends_only_at_its_own_tag() {
        let script = "SELECT $a$ $ab$ ; $$ ; $a$; SELECT 2;";
        assert_eq!(texts(script), ["SELECT $a$ $ab$ ; $$ ; $a$;", "SELECT 2;"]);
        // `$a` without a closing `$` is no tag.
        assert_eq!(texts("SELECT 1 $a ; SELECT 2;").len(), 2);
    }

    #[test]
    fn block_comments_nest_and_close_at_the_first_star_slash() {
        assert_eq!(texts("SELECT 1 /* a /* b */ ; */; SELECT 2;").len(), 2);
        assert_eq!(texts("SELECT 1 /*/ ; */; SELECT 2;").len(), 2);
        assert_eq!(texts("SELECT 1 /* **/; SELECT 2;").len(), 2);
    }

    #[test]
    fn comments_start_inside_runs_of_operator_characters() {
        assert_eq!(texts("SELECT 2 +/* ; */ 1; SELECT 2;").len(), 2);
        assert_eq!(texts("SELECT 2 *-- ;\n 1; SELECT 2;").len(), 2);
        assert_eq!(texts("SELECT 2 /-- ;\n 1; SELECT 2;").len(), 2);
    }

    #[test]
    fn a_line_comment_ends_at_a_carriage_return() {
        assert_eq!(texts("SELECT 1 -- x\r; SELECT 2;").len(), 2);
    }

    #[test]
    fn quoted_identifiers_double_their_quotes() {
        assert_eq!(
            texts("SELECT 1 AS \"a\"\";b\"; SELECT 2;"),
            ["SELECT 1 AS \"a\"\";b\";", "SELECT 2;"]
        );
    }

    #[test]
    fn unicode_bit_hex_and_national_strings_are_strings() {
        for script in [
            "SELECT U&'d\\0061;' UESCAPE '!'; SELECT 2;",
            "SELECT 1 AS U&\"a;\\0061\"; SELECT 2;",
            "SELECT B'1;0'; SELECT 2;",
            "SELECT X'1;F'; SELECT 2;",
            "SELECT N'a;''b'; SELECT 2;",
        ] {
            assert_eq!(texts(script).len(), 2, "{script}");
        }
        // A backslash is no escape in a U& string: `\'` ends it.
        assert_eq!(texts("SELECT U&'\\'; SELECT 2;").len(), 2);
    }

    #[test]
    fn a_begin_atomic_body_is_part_of_its_statement() {
        let script = "CREATE FUNCTION f() RETURNS int LANGUAGE sql\n\
                      BEGIN ATOMIC\n  SELECT 1;\n  SELECT CASE WHEN true THEN 2 END AS end;\nEND;\n\
                      SELECT 3;";
        let st = texts(script);
        assert_eq!(st.len(), 2, "{st:?}");
        assert!(st[0].ends_with("END;"));
        let script = "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC END; SELECT 3;";
        assert_eq!(texts(script).len(), 2);
    }

    #[test]
    fn begin_atomic_bodies_nest() {
        let script = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC \
                      CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; END; \
                      SELECT 2; END; SELECT 3;";
        assert_eq!(texts(script).len(), 2);
    }

    #[test]
    fn begin_and_atomic_outside_a_routine_open_no_body() {
        assert_eq!(texts("SELECT begin atomic FROM t; SELECT 2;").len(), 2);
        assert_eq!(
            texts("CREATE TABLE t (begin int); BEGIN; SELECT 1; END;").len(),
            4
        );
    }

    #[test]
    fn semicolons_inside_parentheses_end_nothing() {
        let script = "CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY a; NOTIFY b); SELECT 2;";
        assert_eq!(texts(script).len(), 2);
    }

    #[test]
    fn unterminated_quotes_and_comments_run_to_the_end() {
        for script in [
            "SELECT 'a; SELECT 2;",
            "SELECT \"a; SELECT 2;",
            "SELECT $$a; SELECT 2;",
            "SELECT 1 /* a; SELECT 2;",
            "SELECT E'a\\'; SELECT 2;",
        ] {
            assert_eq!(texts(script).len(), 1, "{script}");
        }
    }

    fn refused(script: &str, transactional: bool) -> Vec<(String, Refusal)> {
        refused_statements(script, transactional)
            .into_iter()
            .map(|r| (r.summary, r.refusal))
            .collect()
    }

    #[test]
    fn top_level_transaction_control_is_refused_in_a_transactional_section() {
        for statement in [
            "BEGIN",
            "begin transaction isolation level serializable",
            "START TRANSACTION",
            "COMMIT",
            "COMMIT AND CHAIN",
            "commit work",
            "END",
            "ROLLBACK",
            "ROLLBACK AND NO CHAIN",
            "ABORT",
            "PREPARE TRANSACTION 'x'",
            "COMMIT PREPARED 'x'",
            "ROLLBACK PREPARED 'x'",
        ] {
            let script = format!("INSERT INTO t VALUES (1);\n{statement};\nSELECT 1;");
            let r = refused_statements(&script, true);
            assert_eq!(r.len(), 1, "{statement}");
            assert_eq!(r[0].refusal, Refusal::TransactionControl);
            assert_eq!(r[0].summary, statement);
            assert_eq!(&script[r[0].statement.first_token..][..3], &statement[..3]);
        }
    }

    #[test]
    fn savepoints_are_allowed_in_a_transactional_section() {
        let script = "SAVEPOINT a; ROLLBACK TO SAVEPOINT a; ROLLBACK WORK TO a; \
                      ROLLBACK TRANSACTION TO SAVEPOINT a; RELEASE SAVEPOINT a; RELEASE a;";
        assert_eq!(refused(script, true), []);
    }

    #[test]
    fn transaction_words_that_are_not_top_level_statements_are_allowed() {
        let script = "\
DO $$ BEGIN COMMIT; END $$;
DO 'BEGIN ROLLBACK; END';
CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $f$ BEGIN END $f$;
CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC COMMIT; END;
CREATE RULE r AS ON INSERT TO t DO ALSO (NOTIFY commit; NOTIFY begin);
SELECT 'COMMIT', \"commit\" FROM t; -- COMMIT;
/* BEGIN; */ SELECT 1;
PREPARE transaction AS SELECT 1;
CREATE TABLE begin (commit int);";
        assert_eq!(refused(script, true), []);
    }

    #[test]
    fn a_non_transactional_section_may_control_its_transactions() {
        let script = "BEGIN; INSERT INTO t VALUES (1); COMMIT; START TRANSACTION; ROLLBACK;";
        assert_eq!(refused(script, false), []);
    }

    #[test]
    fn statements_that_need_the_client_are_refused_in_any_section() {
        for (sql, what) in [
            ("COPY zones FROM STDIN", "COPY ... FROM STDIN"),
            (
                "copy zones (id, name) from stdin with (format csv)",
                "COPY ... FROM STDIN",
            ),
            ("COPY (SELECT 1) TO STDOUT", "COPY ... TO STDOUT"),
            ("LISTEN deploys", "LISTEN"),
        ] {
            for transactional in [true, false] {
                let r = refused_statements(sql, transactional);
                assert_eq!(r.len(), 1, "{sql}");
                assert_eq!(r[0].refusal, Refusal::ClientProtocol(what), "{sql}");
            }
        }
        for sql in [
            "COPY zones FROM '/tmp/zones.csv'",
            "COPY zones TO PROGRAM 'gzip > /tmp/z.gz'",
            "UNLISTEN *",
            "SELECT 'COPY t FROM STDIN'",
            "DO $$ BEGIN EXECUTE 'LISTEN x'; END $$",
        ] {
            assert!(refused_statements(sql, true).is_empty(), "{sql}");
        }
    }

    #[test]
    fn turning_standard_conforming_strings_off_is_refused_in_any_section() {
        for statement in [
            "SET standard_conforming_strings = off",
            "SET standard_conforming_strings TO 'off'",
            "set session STANDARD_CONFORMING_STRINGS to false",
            "SET LOCAL \"standard_conforming_strings\" = 0",
            "SELECT set_config('standard_conforming_strings', 'off', false)",
            "SELECT pg_catalog.set_config('standard_conforming_strings', $1, false)",
            "UPDATE pg_settings SET setting = 'off' WHERE name = 'standard_conforming_strings'",
            "ALTER DATABASE d SET standard_conforming_strings = off",
            "ALTER ROLE r IN DATABASE d SET standard_conforming_strings TO no",
        ] {
            for transactional in [true, false] {
                let r = refused(&format!("{statement};"), transactional);
                assert_eq!(r.len(), 1, "{statement}");
                assert!(statement.starts_with(r[0].0.trim_end_matches("...")));
                assert_eq!(
                    r[0].1,
                    Refusal::LexingSetting("standard_conforming_strings")
                );
            }
        }
    }

    #[test]
    fn changing_the_client_encoding_is_refused() {
        for statement in [
            "SET client_encoding = 'LATIN1'",
            "SET NAMES 'SJIS'",
            "SELECT set_config('client_encoding', 'BIG5', true)",
        ] {
            assert_eq!(
                refused(statement, false),
                [(
                    statement.to_owned(),
                    Refusal::LexingSetting("client_encoding")
                )]
            );
        }
    }

    #[test]
    fn settings_that_keep_lexing_as_it_is_are_allowed() {
        let script = "\
SET standard_conforming_strings = on;
SET standard_conforming_strings TO 'true';
SET standard_conforming_strings = DEFAULT;
RESET standard_conforming_strings;
SHOW standard_conforming_strings;
SET client_encoding = 'UTF8';
SET client_encoding TO 'utf-8';
SET NAMES 'UTF8';
SELECT set_config('standard_conforming_strings', 'on', false);
SELECT current_setting('standard_conforming_strings');
SET backslash_quote = on;
SELECT set_config('app.user', 'off', false);
ALTER FUNCTION f() SET standard_conforming_strings = off;
CREATE FUNCTION g() RETURNS int LANGUAGE sql SET standard_conforming_strings = off RETURN 1;
SELECT 'SET standard_conforming_strings = off';";
        assert_eq!(refused(script, true), []);
    }

    #[test]
    fn long_statements_are_shortened_in_the_summary() {
        let script = format!("COMMIT; BEGIN {};", "x ".repeat(60));
        let r = refused_statements(&script, true);
        assert_eq!(r[0].summary, "COMMIT");
        assert!(r[1].summary.ends_with("...") && r[1].summary.len() == 83);
    }

    mod property {
        use super::super::*;
        use proptest::prelude::*;

        /// Scripts built from the characters and pieces that matter to the
        /// lexer, non-ASCII included.
        fn script() -> impl Strategy<Value = String> {
            let piece = prop::sample::select(vec![
                "'", "\"", "$", "$$", "$a$", ";", "(", ")", "-", "--", "/", "*", "/*", "*/", "\\",
                "\n", "\r", " ", "E", "e'", "U&", "B", "x", "N", "é", "1", ".", "a", "_", "BEGIN",
                "ATOMIC", "END", "CREATE", "FUNCTION", "COMMIT", "SET", "=",
            ]);
            prop::collection::vec(piece, 0..60).prop_map(|p| p.concat())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(2000))]
            #[test]
            fn statements_are_ordered_slices_of_the_script(text in script()) {
                let mut end = 0;
                for st in split_statements(&text) {
                    prop_assert!(st.offset >= end);
                    prop_assert_eq!(&text[st.offset..st.offset + st.text.len()], st.text);
                    prop_assert!(st.first_token >= st.offset);
                    prop_assert!(st.first_token < st.offset + st.text.len());
                    // A statement ends at its `;`, or at the end of the script.
                    prop_assert!(
                        st.text.ends_with(';') || st.offset + st.text.len() == text.len()
                    );
                    // Between two statements stand only whitespace and comments.
                    prop_assert!(split_statements(&text[end..st.offset]).is_empty());
                    end = st.offset + st.text.len();
                    // A statement cut out and split again is itself.
                    let again = split_statements(st.text);
                    prop_assert_eq!(again.len(), 1);
                    prop_assert_eq!(again[0].first_token, st.first_token - st.offset);
                }
                // Everything after the last statement is whitespace and comments.
                prop_assert!(split_statements(&text[end..]).is_empty());
                for r in refused_statements(&text, true) {
                    prop_assert!(!r.summary.is_empty());
                }
            }
        }
    }
}
