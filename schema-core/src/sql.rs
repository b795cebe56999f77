//! Just enough SQL lexing to split a script into statements and to map a
//! server's error position back to a line and column.
//!
//! Transactional revisions are sent to the server whole, as one simple query, so
//! nothing here is on that path. Non-transactional revisions must be sent one
//! statement at a time (PostgreSQL runs a multi-statement query in an implicit
//! transaction), and that needs a splitter that respects quotes, dollar quotes
//! and comments.

/// One statement of a script.
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

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The dollar-quote tag starting at `i` (`$$` or `$tag$`), if any.
fn dollar_tag(s: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < s.len() && s[j] != b'$' {
        let ok = if j == i + 1 {
            s[j].is_ascii_alphabetic() || s[j] == b'_' || s[j] >= 0x80
        } else {
            is_ident(s[j])
        };
        if !ok {
            return None;
        }
        j += 1;
    }
    (j < s.len()).then_some(j + 1 - i)
}

/// Splits a script into statements on `;` outside strings, quoted identifiers,
/// dollar quotes and comments. Statements holding only whitespace and comments
/// are left out. Text after the last `;` is a statement if it holds SQL.
pub fn split_statements(script: &str) -> Vec<Statement<'_>> {
    let s = script.as_bytes();
    let mut out = Vec::new();
    // `first`: where the current statement's first token is, once one is seen.
    let (mut start, mut i, mut first) = (0, 0, None::<usize>);
    while i < s.len() {
        let b = s[i];
        match b {
            b'-' if s.get(i + 1) == Some(&b'-') => {
                while i < s.len() && s[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'/' if s.get(i + 1) == Some(&b'*') => {
                let mut depth = 0;
                while i < s.len() {
                    if s[i] == b'/' && s.get(i + 1) == Some(&b'*') {
                        depth += 1;
                        i += 2;
                    } else if s[i] == b'*' && s.get(i + 1) == Some(&b'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'\'' => {
                let escapes =
                    i > 0 && matches!(s[i - 1], b'e' | b'E') && (i < 2 || !is_ident(s[i - 2]));
                first.get_or_insert(i);
                i += 1;
                while i < s.len() {
                    if escapes && s[i] == b'\\' {
                        i += 2;
                    } else if s[i] == b'\'' {
                        if s.get(i + 1) == Some(&b'\'') {
                            i += 2;
                        } else {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
            }
            b'"' => {
                first.get_or_insert(i);
                i += 1;
                while i < s.len() && s[i] != b'"' {
                    i += 1;
                }
            }
            b'$' if i == 0 || !is_ident(s[i - 1]) => {
                first.get_or_insert(i);
                if let Some(len) = dollar_tag(s, i) {
                    let tag = &script[i..i + len];
                    i = script[i + len..]
                        .find(tag)
                        .map_or(s.len(), |p| i + len + p + len);
                    continue;
                }
            }
            b';' => {
                if let Some(first_token) = first.take() {
                    out.push(Statement {
                        text: &script[start..=i],
                        offset: start,
                        first_token,
                    });
                }
                start = i + 1;
            }
            b if b.is_ascii_whitespace() => {}
            _ => {
                first.get_or_insert(i);
            }
        }
        i += 1;
    }
    if let Some(first_token) = first {
        out.push(Statement {
            text: &script[start..],
            offset: start,
            first_token,
        });
    }
    out
}

/// Maps a server error position (1-based, in characters, as PostgreSQL reports
/// it) in `text` to a 0-based line and a 1-based column.
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
}
