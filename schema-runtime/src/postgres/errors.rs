//! The server's errors, read: which statement of a section failed and
//! where, from the error's position, its `CONTEXT` or how far the message
//! got; and the errors of the runtime's own statements.

use sqlx::postgres::{PgDatabaseError, PgErrorPosition};

use crate::error::MigrateError;

pub(crate) fn db_error(context: &'static str) -> impl Fn(sqlx::Error) -> MigrateError {
    move |e| match &e {
        sqlx::Error::Database(d) if d.code().as_deref() == Some("55P03") => {
            MigrateError::LockTimeout { waited_ms: 0 }
        }
        _ => MigrateError::Database { context, source: e },
    }
}

/// The server's error, if `e` is one.
pub(crate) fn pg_error(e: &sqlx::Error) -> Option<&PgDatabaseError> {
    match e {
        sqlx::Error::Database(d) => d.try_downcast_ref::<PgDatabaseError>(),
        _ => None,
    }
}

/// Whether `e` is the server's error whose message contains `marker`.
pub(crate) fn has_marker(e: &sqlx::Error, marker: &str) -> bool {
    pg_error(e).is_some_and(|p| p.message().contains(marker))
}

pub(crate) fn server_position(e: &sqlx::Error) -> Option<usize> {
    match pg_error(e)?.position()? {
        PgErrorPosition::Original(p) => Some(p),
        _ => None,
    }
}

/// Where, in `sql`, the line of a PL/pgSQL body that the server's `CONTEXT`
/// names lies (`PL/pgSQL function inline_code_block line 4 ...` for the
/// `DO` block of the statement at `stmt_offset`; `PL/pgSQL function f(...)
/// line 4` for a function created in the same section), as a byte offset:
/// at the internal query the server quotes when it can be found on that
/// line, else at the line's first non-blank character.
pub(crate) fn body_position(sql: &str, stmt_offset: usize, pg: &PgDatabaseError) -> Option<usize> {
    let internal = match pg.position() {
        Some(PgErrorPosition::Internal { position, query }) => Some((position, query)),
        _ => None,
    };
    body_line_position(sql, stmt_offset, pg.r#where()?, internal)
}

/// [`body_position`] from the server's `CONTEXT` text and its internal
/// position and query, if any.
pub(crate) fn body_line_position(
    sql: &str,
    stmt_offset: usize,
    context: &str,
    internal: Option<(usize, &str)>,
) -> Option<usize> {
    let line = context
        .lines()
        .find_map(|l| l.strip_prefix("PL/pgSQL function "))?;
    let (function, rest) = line.split_once(" line ")?;
    let n: usize = rest
        .split(|c: char| !c.is_ascii_digit())
        .next()?
        .parse()
        .ok()?;
    let search_from = if function == "inline_code_block" {
        stmt_offset
    } else {
        let name = function
            .split('(')
            .next()?
            .rsplit('.')
            .next()?
            .to_ascii_lowercase();
        let lower = sql.to_ascii_lowercase();
        let mut at = None;
        for (i, _) in lower.match_indices("function") {
            let after = lower[i + "function".len()..].trim_start();
            let ident = after.split('(').next().unwrap_or("").trim();
            let ident = ident.rsplit('.').next().unwrap_or("").trim_matches('"');
            if ident == name {
                at = Some(i);
            }
        }
        at?
    };
    let body = body_start(sql, search_from)?;
    // Line 1 of the body is the rest of the line its opening quote is on.
    let mut line_start = body;
    for _ in 1..n {
        line_start += sql[line_start..].find('\n')? + 1;
    }
    let line_end = sql[line_start..]
        .find('\n')
        .map_or(sql.len(), |e| line_start + e);
    if let Some((position, query)) = internal {
        let first = query.lines().next().unwrap_or("");
        if !first.is_empty() {
            if let Some(at) = sql[line_start..].find(first) {
                let q = line_start + at;
                let within: usize = query
                    .char_indices()
                    .nth(position.saturating_sub(1))
                    .map_or(0, |(b, _)| b);
                if q <= line_end && q + within <= sql.len() && sql.is_char_boundary(q + within) {
                    return Some(q + within);
                }
            }
        }
    }
    let indent = sql[line_start..line_end].len() - sql[line_start..line_end].trim_start().len();
    Some(line_start + indent)
}

/// The byte just after the first dollar-quote opening (`$$`, `$tag$`) at or
/// after `from`.
pub(crate) fn body_start(sql: &str, from: usize) -> Option<usize> {
    let bytes = sql.as_bytes();
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            let tag_end = bytes[i + 1..]
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
                .map(|p| i + 1 + p)?;
            if bytes.get(tag_end) == Some(&b'$')
                && !bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
            {
                return Some(tag_end + 1);
            }
        }
        i += 1;
    }
    None
}

/// Whether the version-table rows `a` and `b` are the same set.
pub(crate) fn same_rows(a: &[&str], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|r| b.iter().any(|x| x == r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dollar_quoted_body_starts_after_its_tag() {
        let sql = "SELECT 1;\nDO $body$\nBEGIN NULL; END $body$;";
        assert_eq!(&sql[body_start(sql, 10).unwrap()..][..6], "\nBEGIN");
        // `$1` is a parameter, not a quote.
        assert_eq!(body_start("SELECT $1, $$x$$", 0), Some(13));
        assert_eq!(body_start("SELECT 1", 0), None);
    }

    #[test]
    fn a_do_block_line_maps_to_the_line_in_the_section() {
        let sql = "CREATE TABLE a (id int);\nDO $$\nBEGIN\n  PERFORM 1;\n  INSERT INTO missing VALUES (1);\nEND $$;";
        let context = "PL/pgSQL function inline_code_block line 4 at SQL statement";
        let at = body_line_position(
            sql,
            25,
            context,
            Some((13, "INSERT INTO missing VALUES (1)")),
        )
        .unwrap();
        assert_eq!(&sql[at..at + 7], "missing");
        // Without the internal query: the line's first non-blank character.
        let at = body_line_position(sql, 25, context, None).unwrap();
        assert_eq!(&sql[at..at + 6], "INSERT");
    }

    #[test]
    fn a_function_line_maps_into_the_function_created_in_the_section() {
        let sql = "CREATE OR REPLACE FUNCTION public.boom() RETURNS void LANGUAGE plpgsql AS $f$\nBEGIN\n  RAISE EXCEPTION 'x';\nEND $f$;\nSELECT boom();";
        let context = "PL/pgSQL function boom() line 3 at RAISE";
        let at = body_line_position(sql, 90, context, None).unwrap();
        assert_eq!(&sql[at..at + 5], "RAISE");
        assert_eq!(
            body_line_position(sql, 0, "PL/pgSQL function other() line 3 at RAISE", None),
            None
        );
        assert_eq!(
            body_line_position(sql, 0, "SQL function \"f\" statement 1", None),
            None
        );
    }
}
