//! Database URLs: masking passwords and normalising driver-specific schemes.
//!
//! Every message that may show a URL goes through [`redact`], and every error
//! text that may quote one goes through [`scrub`], so a password never reaches
//! a terminal or a log.

/// The URL with its password replaced by `***`.
pub fn redact(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return url.to_owned();
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let mut out = url.to_owned();
    if let Some(at) = authority.rfind('@') {
        let userinfo = &authority[..at];
        if let Some(colon) = userinfo.find(':') {
            let start = scheme_end + 3 + colon + 1;
            out.replace_range(start..scheme_end + 3 + at, "***");
        }
    }
    // `password=` in the query string too.
    if let Some(q) = out.find('?') {
        let (head, query) = out.split_at(q + 1);
        let parts: Vec<String> = query
            .split('&')
            .map(|kv| match kv.split_once('=') {
                Some((k, _)) if k.eq_ignore_ascii_case("password") => format!("{k}=***"),
                _ => kv.to_owned(),
            })
            .collect();
        out = format!("{head}{}", parts.join("&"));
    }
    out
}

/// The password of a URL, if it has one (percent-encoded as written).
pub fn password(url: &str) -> Option<String> {
    let rest = &url[url.find("://")? + 3..];
    let authority = &rest[..rest.find(['/', '?']).unwrap_or(rest.len())];
    let userinfo = &authority[..authority.rfind('@')?];
    let from_userinfo = userinfo.split_once(':').map(|(_, p)| p.to_owned());
    let from_query = url.split_once('?').and_then(|(_, q)| {
        q.split('&')
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| k.eq_ignore_ascii_case("password"))
            .map(|(_, v)| v.to_owned())
    });
    from_userinfo.or(from_query).filter(|p| !p.is_empty())
}

/// `text` with every occurrence of the URL's password (raw and percent-decoded)
/// replaced by `***`.
pub fn scrub(text: &str, url: &str) -> String {
    let Some(pw) = password(url) else {
        return text.to_owned();
    };
    let mut out = text.replace(url, &redact(url)).replace(&pw, "***");
    let decoded = percent_decode(&pw);
    if decoded != pw && !decoded.is_empty() {
        out = out.replace(&decoded, "***");
    }
    out
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Accepts SQLAlchemy-style async driver URLs (`postgresql+asyncpg://`,
/// `postgres+psycopg://`, ...) and returns the plain `postgresql://` form.
pub fn normalize(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest))
            if scheme.starts_with("postgresql+") || scheme.starts_with("postgres+") =>
        {
            format!("postgresql://{rest}")
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_the_password_of_the_userinfo() {
        assert_eq!(
            redact("postgresql://security:s3cret@db:5432/security"),
            "postgresql://security:***@db:5432/security"
        );
    }

    #[test]
    fn leaves_urls_without_password_alone() {
        assert_eq!(
            redact("postgres://u@h/db?host=/tmp/x"),
            "postgres://u@h/db?host=/tmp/x"
        );
        assert_eq!(redact("not a url"), "not a url");
    }

    #[test]
    fn redacts_a_password_in_the_query() {
        assert_eq!(
            redact("postgres://u@h/db?password=hunter2&sslmode=disable"),
            "postgres://u@h/db?password=***&sslmode=disable"
        );
    }

    #[test]
    fn passwords_containing_at_signs_are_redacted_whole() {
        assert_eq!(redact("postgres://u:p@ss@h/db"), "postgres://u:***@h/db");
    }

    #[test]
    fn scrub_removes_raw_and_decoded_passwords_from_text() {
        let url = "postgres://u:p%40ss@h/db";
        assert_eq!(
            scrub("auth failed for p%40ss and p@ss", url),
            "auth failed for *** and ***"
        );
    }

    #[test]
    fn async_driver_urls_are_normalised() {
        assert_eq!(
            normalize("postgresql+asyncpg://u:p@h/db"),
            "postgresql://u:p@h/db"
        );
        assert_eq!(
            normalize("postgres+asyncpg://u@h/db"),
            "postgresql://u@h/db"
        );
        assert_eq!(normalize("postgres://u@h/db"), "postgres://u@h/db");
    }
}
