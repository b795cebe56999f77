//! Database URLs: reading every shape users write, masking passwords.
//!
//! [`DatabaseUrl::parse`] accepts a PostgreSQL URL (`postgresql://`,
//! `postgres://`, SQLAlchemy's `postgresql+asyncpg://` and the like) or a
//! libpq `key=value` connection string, and gives three renderings of it: the
//! URL to connect with (every part percent-encoded, parameters the driver
//! does not know left out), the text to show people (the password replaced
//! by `***`), and the secrets: every form in which the password was written
//! or may be printed, for [`DatabaseUrl::scrub`] to remove from any text.
//!
//! The URL grammar is the `url` crate's. A password may hold `@`, and may
//! hold a raw `/`, `?` or `#` as long as there is only one way to read the
//! URL: the `@` that ends the user name and password is the one after which
//! the rest reads as `host[:port][/database][?key=value&...]`. When several
//! `@` qualify, the URL is refused rather than guessed at. Errors never quote
//! the input: it may hold the password.

use std::fmt;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};
use url::form_urlencoded;

/// What is written in place of a password.
///
/// ```
/// let url = schema_runtime::url::DatabaseUrl::parse("postgresql://app:s3cret@db/app").unwrap();
/// assert!(url.to_string().contains(schema_runtime::url::MASK));
/// assert!(!url.to_string().contains("s3cret"));
/// ```
pub const MASK: &str = "***";

/// Every byte but ASCII letters and digits: how the URL to connect with
/// encodes its user name, password and database name.
const COMPONENT: &AsciiSet = percent_encoding::NON_ALPHANUMERIC;

/// What the shown URL encodes in a user or database name.
const SHOWN_NAME: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'%')
    .add(b':')
    .add(b'@')
    .add(b'/')
    .add(b'?')
    .add(b'#')
    .add(b'&');

/// What the shown URL encodes in a parameter value.
const SHOWN_VALUE: &AsciiSet = &CONTROLS.add(b' ').add(b'%').add(b'&').add(b'#').add(b'+');

/// The connection parameters the driver understands, in a URL's query or a
/// `key=value` string. Others are left out of the URL to connect with (and
/// from everything shown) and listed in [`DatabaseUrl::ignored_parameters`].
const KNOWN_PARAMETERS: &[&str] = &[
    "host",
    "hostaddr",
    "port",
    "dbname",
    "user",
    "password",
    "application_name",
    "options",
    "sslmode",
    "ssl-mode",
    "sslrootcert",
    "ssl-root-cert",
    "ssl-ca",
    "sslcert",
    "ssl-cert",
    "sslkey",
    "ssl-key",
    "statement-cache-capacity",
];

/// Whether the driver understands the query parameter or keyword `key`.
fn is_known_parameter(key: &str) -> bool {
    KNOWN_PARAMETERS.contains(&key) || (key.starts_with("options[") && key.ends_with(']'))
}

/// At most this many `@` are considered as the end of the user information.
const MAX_AT_SIGNS: usize = 16;

/// Why a database URL cannot be used. No variant holds any part of the
/// input that could be a password.
///
/// # Examples
///
/// ```
/// use schema_runtime::url::{DatabaseUrl, UrlError};
///
/// assert_eq!(DatabaseUrl::parse("  "), Err(UrlError::Empty));
/// let e = DatabaseUrl::parse("mysql://root:hunter2@db/app").unwrap_err();
/// assert!(matches!(e, UrlError::UnsupportedScheme { .. }));
/// assert!(!e.to_string().contains("hunter2"), "errors never quote the input");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// Nothing but white space.
    #[error("the database URL is empty")]
    Empty,
    /// Neither a URL nor a `key=value` string.
    #[error("it is neither a URL (`postgresql://user:password@host:port/database`) nor a `key=value` connection string")]
    NotAUrl,
    /// `postgres:` without `//`.
    #[error("`{scheme}:` must be followed by `//`, as in `postgresql://user:password@host:port/database`")]
    MissingSlashes {
        /// The scheme as written (letters only).
        scheme: String,
    },
    /// A scheme other than PostgreSQL's.
    #[error("{} is not a PostgreSQL URL scheme: use `postgresql://` (or `postgres://`)", describe_scheme(.scheme))]
    UnsupportedScheme {
        /// The scheme, when it is short and made of URL scheme characters.
        scheme: Option<String>,
    },
    /// A tab, line break or other control character.
    #[error("it holds a control character (a tab or a line break?)")]
    ControlCharacter,
    /// More than one `@` could end the user name and password.
    #[error("it can be read in more than one way: an `@` follows the host")]
    Ambiguous,
    /// The `url` crate's reading failed.
    #[error("{0}")]
    Syntax(#[from] url::ParseError),
    /// A part that is well formed for the `url` crate but not for PostgreSQL.
    #[error("{0}")]
    Shape(&'static str),
    /// A part that is not UTF-8 once percent-decoded.
    #[error("the {0} is not UTF-8 once percent-decoded")]
    NotUtf8(&'static str),
    /// A `key=value` connection string that does not parse.
    #[error("the key=value connection string {0}")]
    ConnectionString(&'static str),
}

impl UrlError {
    /// What to do about it, for the command line's `help:` line.
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::url::DatabaseUrl;
    ///
    /// let e = DatabaseUrl::parse("postgres:app@db").unwrap_err();
    /// assert_eq!(e.help(), "write `postgresql://user:password@host:port/database`");
    /// ```
    pub fn help(&self) -> &'static str {
        match self {
            UrlError::Ambiguous | UrlError::Syntax(_) | UrlError::Shape(_) => {
                "percent-encode `@`, `/`, `?`, `#` and `%` in the password and the database name (`%40`, `%2F`, `%3F`, `%23`, `%25`)"
            }
            UrlError::ConnectionString(_) => {
                "write `host=... port=... dbname=... user=... password='...'`, quoting values that hold spaces or quotes with '...' (and \\' inside)"
            }
            UrlError::NotUtf8(_) => {
                "each `%XX` escape must spell UTF-8 (`%C3%A9` is `é`); write a `%` itself as `%25`"
            }
            UrlError::ControlCharacter => {
                "remove the tab or line break (a quoted value in `.env` spanning two lines?)"
            }
            _ => "write `postgresql://user:password@host:port/database`",
        }
    }
}

fn describe_scheme(scheme: &Option<String>) -> String {
    match scheme {
        Some(s) => format!("`{s}://`"),
        None => "its scheme".to_owned(),
    }
}

/// A database URL read into its parts, ready to connect with and to show.
///
/// # Examples
///
/// ```
/// use schema_runtime::url::DatabaseUrl;
///
/// let url = DatabaseUrl::parse("postgresql+asyncpg://app:s3cret@db:5432/app?sslmode=require&pool=5")?;
/// assert_eq!(url.shown(), "postgresql://app:***@db:5432/app?sslmode=require");
/// assert_eq!(url.to_string(), url.shown());
/// assert_eq!(url.password(), Some("s3cret"));
/// assert!(url.connect_url().contains(":s3cret@"));
/// assert_eq!(url.ignored_parameters(), ["pool"]);
/// assert_eq!(url.scrub("auth failed for s3cret"), "auth failed for ***");
/// assert!(url.secrets().iter().any(|s| s == "s3cret"));
/// # Ok::<(), schema_runtime::url::UrlError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    connect: String,
    shown: String,
    password: Option<String>,
    secrets: Vec<String>,
    ignored: Vec<String>,
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DatabaseUrl").field(&self.shown).finish()
    }
}

impl fmt::Display for DatabaseUrl {
    /// The URL with its password masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

/// The parts of a connection, decoded.
#[derive(Default)]
struct Parts {
    user: Option<String>,
    password: Option<String>,
    host: Option<String>,
    port: Option<u16>,
    database: Option<String>,
    /// Parameters in the order written (`password` among them, if given so).
    params: Vec<(String, String)>,
    /// How the password(s) were written in the input.
    raw_secrets: Vec<String>,
    /// For a `key=value` string, its pairs as written (shown that way
    /// rather than as a URL).
    keyword_pairs: Option<Vec<(String, String)>>,
}

impl DatabaseUrl {
    /// Reads a URL or a libpq `key=value` connection string. The input is
    /// never quoted by the error.
    pub fn parse(input: &str) -> Result<DatabaseUrl, UrlError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(UrlError::Empty);
        }
        if text.chars().any(char::is_control) {
            return Err(UrlError::ControlCharacter);
        }
        let parts = if starts_with_keyword(text) {
            parse_keywords(text)?
        } else if let Some((scheme, rest)) = text.split_once("://") {
            check_scheme(scheme)?;
            parse_url(rest)?
        } else {
            return Err(match text.split_once(':') {
                Some((scheme, _)) if is_postgres_scheme(scheme) => UrlError::MissingSlashes {
                    scheme: scheme.to_ascii_lowercase(),
                },
                _ => UrlError::NotAUrl,
            });
        };
        Ok(assemble(parts))
    }

    /// The URL to hand to the driver: every part percent-encoded, the
    /// password in it, unknown parameters left out.
    pub fn connect_url(&self) -> &str {
        &self.connect
    }

    /// The URL to show: the password replaced by `***`.
    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The password, decoded, if there is one.
    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    /// Every form of the password that could be printed: as written,
    /// decoded, and encoded as a URL or a message may quote it; longest first.
    pub fn secrets(&self) -> &[String] {
        &self.secrets
    }

    /// The query parameters or keywords left out because the driver does not
    /// know them (their values are dropped, never shown).
    pub fn ignored_parameters(&self) -> &[String] {
        &self.ignored
    }

    /// `text` with every form of the password replaced by `***`.
    pub fn scrub(&self, text: &str) -> String {
        scrub_secrets(text, &self.secrets)
    }
}

/// Secrets shorter than this are masked only where they stand as a word of
/// their own, so that a one-letter password does not mask every such letter.
const SHORT_SECRET: usize = 4;

/// `text` with every occurrence of each of `secrets` replaced by `***` (a
/// run of adjacent or overlapping occurrences by one `***`).
///
/// # Examples
///
/// ```
/// use schema_runtime::url::scrub_secrets;
///
/// let secrets = ["p@ss".to_owned(), "p%40ss".to_owned()];
/// assert_eq!(scrub_secrets("password p@ss or p%40ss", &secrets), "password *** or ***");
/// ```
pub fn scrub_secrets(text: &str, secrets: &[String]) -> String {
    let mut out = mask_pass(text, secrets, true);
    // A mask can complete a secret that itself holds `***`: mask again. Only
    // secrets longer than the mask take part, so each pass shortens the text.
    let long: Vec<String> = secrets
        .iter()
        .filter(|s| s.chars().count() >= SHORT_SECRET)
        .cloned()
        .collect();
    while long.iter().any(|s| out.contains(s.as_str())) {
        out = mask_pass(&out, &long, false);
    }
    out
}

/// One pass of [`scrub_secrets`] over `text`: the byte ranges of every
/// occurrence (overlapping ones too) are found in `text` as it is, then
/// each maximal covered run is written as one `***`.
fn mask_pass(text: &str, secrets: &[String], with_short: bool) -> String {
    let mut covered = vec![false; text.len()];
    for s in secrets.iter().filter(|s| !s.is_empty()) {
        let short = s.chars().count() < SHORT_SECRET;
        if short && !with_short {
            continue;
        }
        let mut from = 0;
        while let Some(p) = text[from..].find(s.as_str()) {
            let start = from + p;
            let end = start + s.len();
            let alone = !text[..start]
                .chars()
                .next_back()
                .is_some_and(char::is_alphanumeric)
                && !text[end..]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric);
            if !short || alone {
                covered[start..end].iter_mut().for_each(|c| *c = true);
            }
            from = start + text[start..].chars().next().map_or(1, char::len_utf8);
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut in_mask = false;
    for (i, c) in text.char_indices() {
        if covered[i] {
            if !in_mask {
                out.push_str(MASK);
            }
            in_mask = true;
        } else {
            out.push(c);
            in_mask = false;
        }
    }
    out
}

/// The URL with its password replaced by `***`; a URL that cannot be read is
/// not shown at all.
///
/// # Examples
///
/// ```
/// use schema_runtime::url::redact;
///
/// assert_eq!(redact("postgres://app:s3cret@db/app"), "postgresql://app:***@db/app");
/// assert_eq!(redact("mysql://app:s3cret@db/app"), "(a database URL that cannot be read)");
/// ```
pub fn redact(url: &str) -> String {
    match DatabaseUrl::parse(url) {
        Ok(u) => u.shown,
        Err(_) => "(a database URL that cannot be read)".to_owned(),
    }
}

/// The password of a URL, decoded, if it has one.
///
/// # Examples
///
/// ```
/// use schema_runtime::url::password;
///
/// assert_eq!(password("postgresql://app:p%40ss@db/app").as_deref(), Some("p@ss"));
/// assert_eq!(password("host=db user=app password='a b'").as_deref(), Some("a b"));
/// assert_eq!(password("postgresql://app@db/app"), None);
/// ```
pub fn password(url: &str) -> Option<String> {
    DatabaseUrl::parse(url).ok()?.password
}

/// Every form of the password of `url` that could be printed. For a URL
/// that cannot be read, whatever could be a password: the text between the
/// first `:` after the scheme and each `@`, and every `password=` value.
///
/// # Examples
///
/// ```
/// use schema_runtime::url::secrets;
///
/// let found = secrets("postgresql://app:p%40ss@db/app");
/// assert!(found.contains(&"p%40ss".to_owned()) && found.contains(&"p@ss".to_owned()));
/// // A URL that cannot be read still gives what could be its password.
/// assert!(secrets("mysql://app:hunter2@db/app").contains(&"hunter2".to_owned()));
/// ```
pub fn secrets(url: &str) -> Vec<String> {
    match DatabaseUrl::parse(url) {
        Ok(u) => u.secrets,
        Err(_) => guess_secrets(url),
    }
}

/// `text` with every form of the password of `url` replaced by `***`.
///
/// # Examples
///
/// ```
/// use schema_runtime::url::scrub;
///
/// let url = "postgresql://app:s3cret@db/app";
/// let message = format!("cannot connect to {url}: password s3cret rejected");
/// assert_eq!(scrub(&message, url), "cannot connect to postgresql://app:***@db/app: password *** rejected");
/// ```
pub fn scrub(text: &str, url: &str) -> String {
    let secrets = secrets(url);
    scrub_secrets(&text.replace(url, &redact(url)), &secrets)
}

/// Accepts SQLAlchemy-style async driver URLs (`postgresql+asyncpg://`,
/// `postgres+psycopg://`, ...) and returns the plain `postgresql://` form;
/// anything else is returned as it is.
///
/// # Examples
///
/// ```
/// use schema_runtime::url::normalize;
///
/// assert_eq!(normalize("postgresql+asyncpg://db/app"), "postgresql://db/app");
/// assert_eq!(normalize("postgres://db/app"), "postgres://db/app");
/// ```
pub fn normalize(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) if scheme.contains('+') && is_postgres_scheme(scheme) => {
            format!("postgresql://{rest}")
        }
        _ => url.to_owned(),
    }
}

/// `postgres`, `postgresql`, or either with a `+driver` suffix, any case.
fn is_postgres_scheme(scheme: &str) -> bool {
    let base = scheme.split_once('+').map_or(scheme, |(b, _)| b);
    base.eq_ignore_ascii_case("postgres") || base.eq_ignore_ascii_case("postgresql")
}

fn check_scheme(scheme: &str) -> Result<(), UrlError> {
    if is_postgres_scheme(scheme) {
        return Ok(());
    }
    let printable = scheme.len() <= 24
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    Err(UrlError::UnsupportedScheme {
        scheme: printable.then(|| scheme.to_ascii_lowercase()),
    })
}

/// Reads `user:password@host:port/database?query` (what follows `://`).
fn parse_url(rest: &str) -> Result<Parts, UrlError> {
    let ats: Vec<usize> = rest.match_indices('@').map(|(i, _)| i).collect();
    if ats.len() > MAX_AT_SIGNS {
        return Err(UrlError::Ambiguous);
    }
    // The reading without user information, then one per `@`.
    let mut found = None;
    let mut first_error = None;
    for at in std::iter::once(None).chain(ats.into_iter().map(Some)) {
        match read_at(rest, at) {
            Ok(_) if found.is_some() => return Err(UrlError::Ambiguous),
            Ok(parts) => found = Some(parts),
            Err(e) => {
                // The error of the standard reading (the last `@` before the
                // first `/`, `?` or `#`) is the one worth reporting.
                let standard_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
                let standard = rest[..standard_end].rfind('@');
                if at == standard || first_error.is_none() {
                    first_error = Some(e);
                }
            }
        }
    }
    found.ok_or_else(|| first_error.unwrap_or(UrlError::NotAUrl))
}

/// Reads `rest` with the user information ending at the `@` at `at` (none
/// when `at` is `None`).
fn read_at(rest: &str, at: Option<usize>) -> Result<Parts, UrlError> {
    let (userinfo, tail) = match at {
        Some(p) => (Some(&rest[..p]), &rest[p + 1..]),
        None => (None, rest),
    };
    let authority_end = tail.find(['/', '?', '#']).unwrap_or(tail.len());
    let authority = &tail[..authority_end];
    if authority.contains('@') {
        return Err(UrlError::Shape("the host holds an `@`"));
    }
    if tail.contains('#') {
        return Err(UrlError::Shape("a `#` follows the host"));
    }
    let (raw_user, raw_password) = match userinfo {
        Some(u) => match u.split_once(':') {
            Some((user, password)) => (Some(user), Some(password)),
            None => (Some(u), None),
        },
        None => (None, None),
    };
    if raw_user.is_some_and(|u| u.contains(['/', '?', '#'])) {
        return Err(UrlError::Shape("the user name holds a `/`, `?` or `#`"));
    }
    // An empty host (`user@/db?host=/socket`) is localhost, as for libpq.
    let empty_host = authority.is_empty() || authority.starts_with(':');
    let mut text = String::from("postgresql://");
    if let Some(u) = userinfo {
        // The `url` crate would end the user information at these.
        text.push_str(
            &u.replace('/', "%2F")
                .replace('?', "%3F")
                .replace('#', "%23"),
        );
        text.push('@');
    }
    if empty_host && (userinfo.is_some() || authority.starts_with(':')) {
        text.push_str("localhost");
    }
    text.push_str(tail);
    let url = url::Url::parse(&text)?;
    let path = url.path();
    let database = path.strip_prefix('/').unwrap_or(path);
    if database.contains(['/', '@']) {
        return Err(UrlError::Shape(
            "the database name holds a `/` or an `@` (or the password a raw `/`)",
        ));
    }
    if let Some(query) = url.query() {
        let well_formed = query.split('&').filter(|p| !p.is_empty()).all(|pair| {
            let key = pair.split_once('=').map_or(pair, |(k, _)| k);
            !key.is_empty()
                && key
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'))
        });
        if !well_formed {
            return Err(UrlError::Shape(
                "the query is not a list of `key=value` parameters",
            ));
        }
    }
    let decode = |s: &str, what: &'static str| -> Result<String, UrlError> {
        percent_decode_str(s)
            .decode_utf8()
            .map(|c| c.into_owned())
            .map_err(|_| UrlError::NotUtf8(what))
    };
    let mut parts = Parts {
        user: Some(decode(url.username(), "user name")?).filter(|u| !u.is_empty()),
        password: match url.password() {
            Some(p) => Some(decode(p, "password")?),
            None => None,
        },
        host: if empty_host {
            None
        } else {
            url.host_str().map(str::to_owned)
        },
        port: url.port(),
        database: Some(decode(database, "database name")?).filter(|d| !d.is_empty()),
        ..Parts::default()
    };
    if let Some(p) = raw_password {
        parts.raw_secrets.push(p.to_owned());
    }
    if let Some(p) = url.password() {
        parts.raw_secrets.push(p.to_owned());
    }
    for (key, value) in url.query_pairs() {
        parts.params.push((key.into_owned(), value.into_owned()));
    }
    if let Some(query) = url.query() {
        for pair in query.split('&') {
            if let Some((k, v)) = pair.split_once('=') {
                if k == "password" {
                    parts.raw_secrets.push(v.to_owned());
                }
            }
        }
    }
    Ok(parts)
}

/// Whether `text` starts as a `key=value` string does: a keyword, then `=`.
fn starts_with_keyword(text: &str) -> bool {
    let key_end = text
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    key_end > 0 && text[key_end..].trim_start().starts_with('=')
}

/// Reads a libpq `key=value` connection string: values are bare words or
/// single-quoted, with `\` escaping the next character in both.
fn parse_keywords(text: &str) -> Result<Parts, UrlError> {
    let mut parts = Parts::default();
    let mut chars = text.char_indices().peekable();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let Some(&(start, _)) = chars.peek() else {
            break;
        };
        let mut key_end = start;
        while let Some((i, c)) = chars.next_if(|(_, c)| c.is_ascii_alphanumeric() || *c == '_') {
            key_end = i + c.len_utf8();
        }
        if key_end == start {
            return Err(UrlError::ConnectionString(
                "has something other than a keyword before an `=`",
            ));
        }
        let key = &text[start..key_end];
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        if chars.next_if(|(_, c)| *c == '=').is_none() {
            return Err(UrlError::ConnectionString("has a keyword without `=`"));
        }
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        let raw_start = chars.peek().map_or(text.len(), |&(i, _)| i);
        if chars.next_if(|(_, c)| *c == '\'').is_some() {
            loop {
                match chars.next() {
                    None => return Err(UrlError::ConnectionString("has an unclosed quote")),
                    Some((_, '\'')) => break,
                    Some((_, '\\')) => match chars.next() {
                        Some((_, c)) => value.push(c),
                        None => return Err(UrlError::ConnectionString("has an unclosed quote")),
                    },
                    Some((_, c)) => value.push(c),
                }
            }
        } else {
            while let Some((_, c)) = chars.next_if(|(_, c)| !c.is_whitespace()) {
                if c == '\\' {
                    if let Some((_, next)) = chars.next() {
                        value.push(next);
                    }
                } else {
                    value.push(c);
                }
            }
        }
        let raw_end = chars.peek().map_or(text.len(), |&(i, _)| i);
        if key == "password" {
            let raw = &text[raw_start..raw_end];
            parts.raw_secrets.push(raw.to_owned());
            if let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) {
                parts.raw_secrets.push(inner.to_owned());
            }
        }
        parts.params.push((key.to_owned(), value));
    }
    if parts.params.is_empty() {
        return Err(UrlError::Empty);
    }
    // The URL form carries these in its authority and path.
    let pairs = std::mem::take(&mut parts.params);
    for (key, value) in &pairs {
        match key.as_str() {
            "user" => parts.user = Some(value.clone()),
            "dbname" => parts.database = Some(value.clone()),
            "port" => {
                parts.port = Some(value.parse().map_err(|_| {
                    UrlError::ConnectionString("has a port that is not a number from 0 to 65535")
                })?)
            }
            _ => parts.params.push((key.clone(), value.clone())),
        }
    }
    parts.keyword_pairs = Some(pairs);
    Ok(parts)
}

/// Builds the URL to connect with, the one to show and the secrets.
fn assemble(mut parts: Parts) -> DatabaseUrl {
    // Parameters the URL form carries in its authority and path.
    let mut params = Vec::new();
    let mut ignored = Vec::new();
    for (key, value) in std::mem::take(&mut parts.params) {
        if key == "password" {
            // Given in the query, it wins over the user information (as in the driver).
            parts.password = Some(value);
        } else if !is_known_parameter(&key) {
            if !ignored.contains(&key) {
                ignored.push(key);
            }
        } else {
            params.push((key, value));
        }
    }
    let password = parts.password.filter(|p| !p.is_empty());

    let mut connect = String::from("postgresql://");
    let user = parts.user.as_deref().unwrap_or("");
    if !user.is_empty() || password.is_some() {
        connect.extend(utf8_percent_encode(user, COMPONENT));
        if let Some(p) = &password {
            connect.push(':');
            connect.extend(utf8_percent_encode(p, COMPONENT));
        }
        connect.push('@');
    }
    connect.push_str(parts.host.as_deref().unwrap_or("localhost"));
    if let Some(port) = parts.port {
        connect.push_str(&format!(":{port}"));
    }
    if let Some(db) = &parts.database {
        connect.push('/');
        connect.extend(utf8_percent_encode(db, COMPONENT));
    }
    if !params.is_empty() {
        connect.push('?');
        connect.push_str(
            &form_urlencoded::Serializer::new(String::new())
                .extend_pairs(params.iter())
                .finish(),
        );
    }

    let shown = if let Some(pairs) = &parts.keyword_pairs {
        pairs
            .iter()
            .filter(|(k, _)| !ignored.contains(k))
            .map(|(k, v)| match k.as_str() {
                "password" => format!("password={MASK}"),
                _ => format!("{k}={}", quote_keyword_value(v)),
            })
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        let mut s = String::from("postgresql://");
        if !user.is_empty() || password.is_some() {
            s.extend(utf8_percent_encode(user, SHOWN_NAME));
            if password.is_some() {
                s.push(':');
                s.push_str(MASK);
            }
            s.push('@');
        }
        s.push_str(parts.host.as_deref().unwrap_or(""));
        if let Some(port) = parts.port {
            s.push_str(&format!(":{port}"));
        }
        if let Some(db) = &parts.database {
            s.push('/');
            s.extend(utf8_percent_encode(db, SHOWN_NAME));
        }
        for (i, (k, v)) in params.iter().enumerate() {
            s.push(if i == 0 { '?' } else { '&' });
            s.push_str(k);
            s.push('=');
            s.extend(utf8_percent_encode(v, SHOWN_VALUE));
        }
        s
    };

    let mut secrets = parts.raw_secrets;
    if let Some(p) = &password {
        secrets.extend(secret_forms(p));
    }
    longest_first(&mut secrets);
    DatabaseUrl {
        connect,
        shown,
        password,
        secrets,
        ignored,
    }
}

/// The forms in which a decoded password may be printed.
fn secret_forms(password: &str) -> Vec<String> {
    vec![
        password.to_owned(),
        utf8_percent_encode(password, COMPONENT).to_string(),
        form_urlencoded::byte_serialize(password.as_bytes()).collect(),
        password.escape_debug().to_string(),
        password.escape_default().to_string(),
    ]
}

/// A value as a `key=value` string writes it.
fn quote_keyword_value(v: &str) -> String {
    if !v.is_empty() && !v.contains(|c: char| c.is_whitespace() || c == '\'' || c == '\\') {
        v.to_owned()
    } else {
        format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
    }
}

/// What could be a password in text that is not a readable URL (or that
/// holds one, such as a line of a config file): the text between the first
/// `:` after the scheme and each `@`, and every `password=` value; as
/// written and percent-decoded, longest first.
///
/// # Examples
///
/// ```
/// use schema_runtime::url::guess_secrets;
///
/// assert_eq!(guess_secrets("DATABASE_URL=postgres://app:hunter2@db"), ["hunter2"]);
/// assert_eq!(guess_secrets("host=db password='a b' user=app"), ["a b"]);
/// ```
pub fn guess_secrets(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let body = match text.find("://") {
        Some(i) => &text[i + 3..],
        None => text.split_once(':').map_or(text, |(_, b)| b),
    };
    if let Some(colon) = body.find(':') {
        for (at, _) in body.match_indices('@').take(MAX_AT_SIGNS) {
            if at > colon {
                found.push(body[colon + 1..at].to_owned());
            }
        }
    }
    for (i, _) in text.match_indices("password").take(MAX_AT_SIGNS) {
        let after = text[i + "password".len()..].trim_start();
        if let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            let value = match value.strip_prefix('\'') {
                Some(quoted) => quoted.split('\'').next().unwrap_or(""),
                None => value
                    .split(|c: char| c == '&' || c.is_whitespace())
                    .next()
                    .unwrap_or(""),
            };
            found.push(value.to_owned());
        }
    }
    let decoded: Vec<String> = found
        .iter()
        .filter_map(|s| percent_decode_str(s).decode_utf8().ok())
        .map(|s| s.into_owned())
        .collect();
    found.extend(decoded);
    longest_first(&mut found);
    found
}

/// Sorts longest first and drops empty and repeated strings.
fn longest_first(strings: &mut Vec<String>) {
    strings.retain(|s| !s.is_empty());
    strings.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    strings.dedup();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> DatabaseUrl {
        DatabaseUrl::parse(s).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    #[test]
    fn a_plain_url_is_shown_with_its_password_masked() {
        let u = parse("postgresql://security:s3cret@db:5432/security");
        assert_eq!(u.shown(), "postgresql://security:***@db:5432/security");
        assert_eq!(
            u.connect_url(),
            "postgresql://security:s3cret@db:5432/security"
        );
        assert_eq!(u.password(), Some("s3cret"));
        assert_eq!(
            redact("postgresql://security:s3cret@db:5432/security"),
            u.shown()
        );
    }

    #[test]
    fn urls_without_password_are_shown_whole_and_unreadable_text_not_at_all() {
        assert_eq!(
            redact("postgres://u@h/db?host=/tmp/x"),
            "postgresql://u@h/db?host=/tmp/x"
        );
        assert_eq!(redact("not a url"), "(a database URL that cannot be read)");
    }

    #[test]
    fn a_password_in_the_query_is_taken_and_masked() {
        let u = parse("postgres://u@h/db?password=hunter2&sslmode=disable");
        assert_eq!(u.password(), Some("hunter2"));
        assert_eq!(u.shown(), "postgresql://u:***@h/db?sslmode=disable");
        assert!(!u.connect_url().contains("password="));
    }

    #[test]
    fn passwords_with_at_signs_are_read_whole() {
        let u = parse("postgres://u:p@ss@h/db");
        assert_eq!(u.password(), Some("p@ss"));
        assert_eq!(u.shown(), "postgresql://u:***@h/db");
    }

    #[test]
    fn a_raw_slash_question_mark_or_hash_in_the_password_is_read_when_unambiguous() {
        for (url, pw) in [
            ("postgres://u:p/ss@h/db", "p/ss"),
            ("postgres://u:12/ss@h:5/db", "12/ss"),
            ("postgres://u:p?ss@h/db", "p?ss"),
            ("postgres://u:p#ss@h/db", "p#ss"),
            ("postgres://u:a@b/c@h/db", "a@b/c"),
        ] {
            let u = parse(url);
            assert_eq!(u.password(), Some(pw), "{url}");
            assert!(
                u.shown().ends_with("@h/db") || u.shown().ends_with("@h:5/db"),
                "{url}: {}",
                u.shown()
            );
        }
    }

    #[test]
    fn a_url_with_two_readings_is_refused() {
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p@h/db?application_name=a@b"),
            Err(UrlError::Ambiguous)
        );
        // Without user information there is one reading.
        let u = parse("postgres://h/db?application_name=a@b");
        assert_eq!(u.password(), None);
        assert_eq!(u.shown(), "postgresql://h/db?application_name=a@b");
    }

    #[test]
    fn percent_escapes_and_characters_beyond_ascii_are_decoded_once() {
        let u = parse("postgres://u:ab%€cd@127.0.0.1:1/db");
        assert_eq!(u.password(), Some("ab%€cd"));
        assert_eq!(parse("postgres://u:p%40ss@h/db").password(), Some("p@ss"));
        assert_eq!(parse("postgres://u:p%zz@h/db").password(), Some("p%zz"));
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p%FFss@h/db"),
            Err(UrlError::NotUtf8("password"))
        );
    }

    #[test]
    fn scrub_removes_every_form_of_the_password() {
        let u = parse("postgres://u:p%40ss%E2%82%AC@h/db");
        assert_eq!(
            u.scrub(
                "auth failed for p%40ss%E2%82%AC, p@ss€, p%40ss%E2%82%AC and \"p@ss\\u{20ac}\""
            ),
            "auth failed for ***, ***, *** and \"***\""
        );
        assert_eq!(
            scrub(
                "auth failed for p%40ss and p@ss",
                "postgres://u:p%40ss@h/db"
            ),
            "auth failed for *** and ***"
        );
    }

    #[test]
    fn a_short_password_is_masked_only_as_a_word_of_its_own() {
        let u = parse("postgres://u:p@h/db");
        assert_eq!(
            u.scrub("password \"p\" rejected: p"),
            "password \"***\" rejected: ***"
        );
    }

    #[test]
    fn secrets_made_of_mask_characters_are_masked_without_growing_the_text() {
        let text = "s://u:*@@**@@@@@@@@@@@@@@@@@@@@C@@@";
        let secrets = guess_secrets(text);
        assert!(secrets.len() > 10, "{secrets:?}");
        let out = scrub_secrets(text, &secrets);
        assert!(out.len() <= text.len() + MASK.len(), "{out}");
        assert_eq!(
            scrub_secrets("x a***b y SECRETX z", &["a***b".into(), "SECRETX".into()]),
            "x *** y *** z"
        );
        assert_eq!(
            scrub_secrets("aSECRETXb", &["a***b".into(), "SECRETX".into()]),
            "***"
        );
    }

    #[test]
    fn a_missing_double_slash_is_refused_without_quoting_the_input() {
        for s in ["postgres:/u:pw@h/db", "postgresql:u:pw@h/db"] {
            let e = DatabaseUrl::parse(s).unwrap_err();
            assert!(matches!(e, UrlError::MissingSlashes { .. }), "{s}: {e}");
            assert!(!e.to_string().contains("pw"), "{e}");
        }
        assert_eq!(secrets("postgres:/u:pw@h/db"), vec!["pw".to_owned()]);
    }

    #[test]
    fn keyword_strings_are_read_as_libpq_does() {
        let u = parse("host=/tmp/sock port=5433 dbname='my db' user=u password='it\\'s secret'");
        assert_eq!(u.password(), Some("it's secret"));
        assert_eq!(
            u.shown(),
            "host=/tmp/sock port=5433 dbname='my db' user=u password=***"
        );
        assert!(u.secrets().iter().any(|s| s == "'it\\'s secret'"));
        let c = u.connect_url();
        assert_eq!(
            c,
            "postgresql://u:it%27s%20secret@localhost:5433/my%20db?host=%2Ftmp%2Fsock"
        );
        assert_eq!(
            DatabaseUrl::parse("host=h password='open"),
            Err(UrlError::ConnectionString("has an unclosed quote"))
        );
    }

    #[test]
    fn unknown_parameters_are_left_out_and_named() {
        let u = parse("postgres://u@h/db?passwd=hunter2&sslmode=disable");
        assert_eq!(u.ignored_parameters(), ["passwd"]);
        assert!(!u.shown().contains("hunter2"));
        assert!(!u.connect_url().contains("hunter2"));
    }

    #[test]
    fn other_schemes_and_control_characters_are_refused() {
        assert_eq!(
            DatabaseUrl::parse("mysql://u:p@h/db"),
            Err(UrlError::UnsupportedScheme {
                scheme: Some("mysql".into())
            })
        );
        assert_eq!(
            DatabaseUrl::parse("postgres://u:p\nw@h/db"),
            Err(UrlError::ControlCharacter)
        );
    }

    #[test]
    fn an_empty_host_is_localhost() {
        let u = parse("postgres://u:pw@/db?host=/tmp/x");
        assert_eq!(
            u.connect_url(),
            "postgresql://u:pw@localhost/db?host=%2Ftmp%2Fx"
        );
        assert_eq!(u.shown(), "postgresql://u:***@/db?host=/tmp/x");
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
        assert_eq!(
            parse("postgresql+asyncpg://u:p@h/db").shown(),
            "postgresql://u:***@h/db"
        );
    }
}
