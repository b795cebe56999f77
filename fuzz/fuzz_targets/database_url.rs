//! Database URLs: any text read as a URL or a `key=value` string never
//! panics, and the URL to connect with reads back (through the `url` crate,
//! as the driver reads it) to the same user, password and database; and a
//! marked password, written in each shape users write, never appears in any
//! rendering: the shown URL, `Display`, `Debug`, `redact`, the error, the
//! names of ignored parameters, or a message quoting every form of it once
//! scrubbed.
//!
//! The first byte picks the mode. Free text: the rest is the input. Marked:
//! the second byte picks a shape and a vocabulary of user, host, database
//! and parameters (none holding `Z`); the rest is the password's core, and
//! the password is that core with a `Z` before and after each character, so
//! that any leaked piece of two characters or more holds a `Z`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use percent_encoding::{percent_decode_str, utf8_percent_encode, NON_ALPHANUMERIC};
use schema_runtime::url::{self, DatabaseUrl, UrlError};

const USERS: [&str; 3] = ["postgres", "app_user", "deploy.bot"];
const HOSTS: [&str; 4] = ["localhost", "127.0.0.1:5432", "[::1]:6543", "db.internal"];
const DATABASES: [&str; 3] = ["app", "security", "my%20db"];
const QUERIES: [&str; 4] = [
    "",
    "sslmode=disable",
    "application_name=deploy&host=/tmp/sock",
    "options=-c%20search_path%3Dapp&sslkey=/k",
];

fn free_text(text: &str) {
    let _ = url::redact(text);
    let _ = url::password(text);
    let _ = url::normalize(text);
    let guessed = url::guess_secrets(text);
    let _ = url::scrub_secrets(text, &guessed);
    let _ = url::scrub(text, text);
    let Ok(d) = DatabaseUrl::parse(text) else {
        return;
    };
    // The driver reads the URL to connect with through the `url` crate and
    // percent-decodes each part: it must find what the parser found.
    let back = ::url::Url::parse(d.connect_url()).expect("the URL to connect with parses");
    let decode = |s: &str| percent_decode_str(s).decode_utf8().unwrap().into_owned();
    let password = back.password().map(decode).filter(|p| !p.is_empty());
    assert_eq!(password.as_deref(), d.password());
    assert!(back.fragment().is_none());
    let _ = d.scrub(text);
    let _ = format!("{d} {d:?}");
}

/// The password in one of the shapes users write; whether the parser must
/// read it back exactly; and the errors it may answer with instead.
fn marked(shape: u8, vocab: u8, password: &str) -> (String, bool, fn(&UrlError) -> bool) {
    let user = USERS[vocab as usize % USERS.len()];
    let host = HOSTS[(vocab as usize / 3) % HOSTS.len()];
    let db = DATABASES[(vocab as usize / 12) % DATABASES.len()];
    let query = QUERIES[(vocab as usize / 36) % QUERIES.len()];
    let q = if query.is_empty() {
        String::new()
    } else {
        format!("?{query}")
    };
    let none: fn(&UrlError) -> bool = |_| false;
    let control: fn(&UrlError) -> bool = |e| matches!(e, UrlError::ControlCharacter);
    match shape % 7 {
        // Every byte but letters and digits percent-encoded.
        0 => (
            format!(
                "postgresql://{user}:{}@{host}/{db}{q}",
                utf8_percent_encode(password, NON_ALPHANUMERIC)
            ),
            true,
            none,
        ),
        // Raw, `%` excepted: `/`, `?`, `#`, `@`, `:` and the rest as they are.
        1 => (
            format!(
                "postgres://{user}:{}@{host}/{db}{q}",
                password.replace('%', "%25")
            ),
            true,
            |e| matches!(e, UrlError::ControlCharacter | UrlError::Ambiguous),
        ),
        // Raw, `%` too: escapes may decode to something else, or not to UTF-8.
        2 => (
            format!("postgresql+asyncpg://{user}:{password}@{host}/{db}{q}"),
            false,
            |_| true,
        ),
        // `?password=`, form-encoded.
        3 => {
            let encoded: String =
                ::url::form_urlencoded::byte_serialize(password.as_bytes()).collect();
            let sep = if q.is_empty() { "?" } else { "&" };
            (
                format!("postgresql://{user}@{host}/{db}{q}{sep}password={encoded}"),
                true,
                none,
            )
        }
        // libpq `key=value`, quoted.
        4 => (
            format!(
                "host=/tmp/sock dbname={db} user={user} password='{}'",
                password.replace('\\', "\\\\").replace('\'', "\\'")
            ),
            true,
            control,
        ),
        // libpq `key=value`, bare with escapes.
        5 => {
            let mut escaped = String::new();
            for c in password.chars() {
                if c.is_whitespace() || c == '\\' || c == '\'' {
                    escaped.push('\\');
                }
                escaped.push(c);
            }
            (
                format!("user={user} password={escaped} port=5432"),
                true,
                control,
            )
        }
        // No `//`: always refused.
        _ => (
            format!("postgres:{user}:{password}@{host}/{db}{q}"),
            false,
            |e| {
                matches!(
                    e,
                    UrlError::MissingSlashes { .. } | UrlError::ControlCharacter
                )
            },
        ),
    }
}

fn check_marked(shape: u8, vocab: u8, core: &str) {
    if core.is_empty() {
        return;
    }
    let mut password = String::from("Z");
    for c in core.chars() {
        password.push(c);
        password.push('Z');
    }
    let (input, exact, allowed) = marked(shape, vocab, &password);
    let leaks = |what: &str, text: &str| {
        assert!(
            !text.contains('Z'),
            "{what} shows the password.\ninput: {input:?}\n{what}: {text:?}"
        );
    };
    leaks("redact", &url::redact(&input));
    match DatabaseUrl::parse(&input) {
        Ok(d) => {
            assert!(shape % 7 != 6, "read a URL without `//`: {input:?}");
            if exact {
                assert_eq!(d.password(), Some(password.as_str()), "input: {input:?}");
            }
            leaks("shown", d.shown());
            leaks("Display", &d.to_string());
            leaks("Debug", &format!("{d:?}"));
            leaks("ignored parameters", &d.ignored_parameters().join(" "));
            // A message quoting the input, the URL to connect with and the
            // password in each of its forms, once scrubbed.
            let mut message = format!(
                "connecting with {input} as {} failed for {password}",
                d.connect_url()
            );
            for s in d.secrets() {
                message.push_str(&format!(" [{s}]"));
            }
            leaks("a scrubbed message", &d.scrub(&message));
            leaks("url::scrub", &url::scrub(&message, &input));
        }
        Err(e) => {
            assert!(allowed(&e), "input: {input:?}: {e:?}");
            leaks("the error", &e.to_string());
            leaks("the error's Debug", &format!("{e:?}"));
            leaks("the error's help", e.help());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    match data {
        [0, rest @ ..] => free_text(&String::from_utf8_lossy(rest)),
        [_, shape, vocab, rest @ ..] => {
            check_marked(*shape, *vocab, &String::from_utf8_lossy(rest))
        }
        _ => {}
    }
});
