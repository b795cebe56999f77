//! Every shape of database URL, through every way the command line takes
//! one (`--database-url`, `DATABASE_URL`, `.env`, `migrations.toml`), against
//! a server that answers and one that does not: the command line never
//! panics and never prints the password.

mod common;

use std::path::Path;
use std::process::{Command, Output};

/// Part of every password below, and of nothing else the tests print.
const MARKER: &str = "Zq7SekretWx";

/// One way of writing a URL: its name, the text for a database that
/// answers (`None` when the shape is refused before connecting anyway),
/// the text for a server that does not, and whether the command line reads it.
struct Shape {
    name: &'static str,
    reachable: String,
    unreachable: String,
    readable: bool,
}

/// `{p}` is replaced by the password, `{host}` by the host part, `{db}` by
/// the database name, `{q}` by the query that points at the socket.
fn shapes(socket: &str, db: &str) -> Vec<Shape> {
    let m = MARKER;
    let url_shapes: &[(&str, &str, bool)] = &[
        ("plain", "postgresql://postgres:{m}@{host}/{db}{q}", true),
        (
            "percent escapes",
            "postgresql://postgres:{m}%40%2F%3F%23%25%E2%82%AC@{host}/{db}{q}",
            true,
        ),
        (
            "a `%` before characters beyond ASCII",
            "postgres://postgres:ab%€{m}cd@{host}/{db}{q}",
            true,
        ),
        (
            "characters beyond ASCII",
            "postgres://postgres:pässwörd{m}€@{host}/{db}{q}",
            true,
        ),
        (
            "a raw `/`",
            "postgres://postgres:{m}/x@{host}/{db}{q}",
            true,
        ),
        (
            "a raw `?`",
            "postgres://postgres:{m}?x=1@{host}/{db}{q}",
            true,
        ),
        (
            "a raw `@`",
            "postgres://postgres:{m}@x@{host}/{db}{q}",
            true,
        ),
        (
            "a raw `#`",
            "postgres://postgres:{m}#x@{host}/{db}{q}",
            true,
        ),
        (
            "a raw `:`",
            "postgres://postgres:{m}:x@{host}/{db}{q}",
            true,
        ),
        (
            "an async driver scheme",
            "postgresql+asyncpg://postgres:{m}@{host}/{db}{q}",
            true,
        ),
        (
            "missing `//`",
            "postgres:postgres:{m}@{host}/{db}{q}",
            false,
        ),
        (
            "missing one `/`",
            "postgresql:/postgres:{m}@{host}/{db}{q}",
            false,
        ),
        (
            "`?password=`",
            "postgresql://postgres@{host}/{db}{q}{and}password={m}",
            true,
        ),
        (
            "an unknown parameter holding the password",
            "postgresql://postgres@{host}/{db}{q}{and}passwd={m}",
            true,
        ),
        (
            "a percent escape that is not UTF-8",
            "postgresql://postgres:{m}%FF@{host}/{db}{q}",
            false,
        ),
        (
            "two readings",
            "postgresql://postgres:{m}@{host}/{db}{q}{and}application_name=a@b",
            false,
        ),
        ("another scheme", "mysql://postgres:{m}@{host}/{db}", false),
    ];
    let mut all: Vec<Shape> = url_shapes
        .iter()
        .map(|(name, template, readable)| {
            let fill = |host: &str, q: &str| {
                template
                    .replace("{m}", m)
                    .replace("{host}", host)
                    .replace("{db}", db)
                    .replace("{and}", if q.is_empty() { "?" } else { "&" })
                    .replace("{q}", q)
            };
            Shape {
                name,
                reachable: fill("localhost", &format!("?host={socket}")),
                unreachable: fill("127.0.0.1:1", ""),
                readable: *readable,
            }
        })
        .collect();
    all.push(Shape {
        name: "libpq key=value",
        reachable: format!("host={socket} dbname={db} user=postgres password='{m} it\\'s'"),
        unreachable: format!("host=127.0.0.1 port=1 dbname={db} user=postgres password={m}"),
        readable: true,
    });
    all.push(Shape {
        name: "libpq key=value with an unclosed quote",
        reachable: format!("host={socket} dbname={db} password='{m}"),
        unreachable: format!("host=127.0.0.1 port=1 password='{m}"),
        readable: false,
    });
    all
}

/// How the URL reaches the command line.
#[derive(Debug, Clone, Copy)]
enum Channel {
    Flag,
    Environment,
    DotEnv,
    ConfigFile,
}

const CHANNELS: [Channel; 4] = [
    Channel::Flag,
    Channel::Environment,
    Channel::DotEnv,
    Channel::ConfigFile,
];

/// `value` as a double-quoted `.env` value.
fn dotenv_quoted(value: &str) -> String {
    let escaped = value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('$', "\\$");
    format!("\"{escaped}\"")
}

/// `value` as a TOML basic string.
fn toml_quoted(value: &str) -> String {
    format!("\"{}\"", value.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Runs the CLI in `dir` (which holds `migrations/`) with `url` given
/// through `channel`.
fn run(dir: &Path, channel: Channel, url: &str, args: &[&str]) -> Output {
    let _ = std::fs::remove_file(dir.join(".env"));
    let _ = std::fs::remove_file(dir.join("migrations.toml"));
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_schema"));
    cmd.current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1")
        .env("RUST_BACKTRACE", "1");
    match channel {
        Channel::Flag => {
            cmd.arg("--database-url").arg(url);
        }
        Channel::Environment => {
            cmd.env("DATABASE_URL", url);
        }
        Channel::DotEnv => std::fs::write(
            dir.join(".env"),
            format!(
                "# written by the test\nDATABASE_URL={}\n",
                dotenv_quoted(url)
            ),
        )
        .unwrap(),
        Channel::ConfigFile => std::fs::write(
            dir.join("migrations.toml"),
            format!("database_url = {}\n", toml_quoted(url)),
        )
        .unwrap(),
    }
    cmd.args(args).output().expect("run the CLI")
}

/// Asserts no panic and no marker anywhere in what the run printed.
fn assert_quiet_about_the_password(out: &Output, what: &str) {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(101), "{what} panicked:\n{stderr}");
    assert!(
        out.status.code().is_some(),
        "{what} was killed: {:?}",
        out.status
    );
    assert!(!stderr.contains("panicked"), "{what}:\n{stderr}");
    for (name, text) in [("stdout", &stdout), ("stderr", &stderr)] {
        assert!(
            !text.contains(MARKER) && !text.contains(&MARKER.to_lowercase()),
            "{what}: the password is in {name}:\n{text}"
        );
    }
}

/// A copy of the reference migrations' SQL revisions (a command line that
/// reads files cannot run the Rust head: `rust_revisions.rs`).
fn reference_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations");
    std::fs::create_dir(dir.path().join("migrations")).unwrap();
    for e in std::fs::read_dir(src).unwrap() {
        let e = e.unwrap();
        if e.path().extension().is_some_and(|x| x == "rs") {
            continue;
        }
        std::fs::copy(e.path(), dir.path().join("migrations").join(e.file_name())).unwrap();
    }
    dir
}

#[test]
fn no_url_shape_through_any_channel_makes_the_cli_panic_or_print_the_password() {
    let Some(cluster) = common::own_server("a Unix socket that accepts any password") else {
        return;
    };
    let socket = cluster.socket_dir().display().to_string();
    let dir = reference_copy();
    let mut readable_and_connected = 0;
    let all = shapes(&socket, "placeholder");
    let readable = all.iter().filter(|s| s.readable).count();
    for shape in all {
        let db = cluster.database().expect("create database");
        let reachable = shape.reachable.replace("placeholder", &db);
        for channel in CHANNELS {
            for (server, url) in [
                ("reachable", &reachable),
                ("unreachable", &shape.unreachable),
            ] {
                for args in [
                    &["current", "--verbose"][..],
                    &["current", "--format", "json"],
                    &["history"],
                    &["upgrade", "+1"],
                ] {
                    let what = format!(
                        "{} via {channel:?} ({server}): {}",
                        shape.name,
                        args.join(" ")
                    );
                    let out = run(dir.path(), channel, url, args);
                    assert_quiet_about_the_password(&out, &what);
                    let expect_success = shape.readable && server == "reachable";
                    // `history` works without a database.
                    if args[0] != "history" {
                        assert_eq!(
                            out.status.success(),
                            expect_success,
                            "{what}:\n{}{}",
                            String::from_utf8_lossy(&out.stdout),
                            String::from_utf8_lossy(&out.stderr)
                        );
                    }
                    if expect_success && args == ["current", "--verbose"] {
                        readable_and_connected += 1;
                        let stdout = String::from_utf8_lossy(&out.stdout);
                        if schema_runtime::url::password(url).is_some() {
                            assert!(stdout.contains("***"), "{what}: {stdout}");
                        }
                    }
                }
            }
        }
    }
    // Every readable shape connected through every channel.
    assert_eq!(readable_and_connected, readable * CHANNELS.len());
}

#[test]
fn an_unreadable_url_is_explained_without_being_quoted() {
    let dir = reference_copy();
    let out = run(
        dir.path(),
        Channel::Flag,
        &format!("postgres:/u:{MARKER}@h/db"),
        &["current"],
    );
    assert_quiet_about_the_password(&out, "missing slash");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: cannot read the database URL (from --database-url): `postgres:` must be followed by `//`"),
        "{stderr}"
    );
}

#[test]
fn a_broken_config_file_is_reported_by_line_without_quoting_it() {
    let dir = reference_copy();
    std::fs::write(
        dir.path().join("migrations.toml"),
        format!("directory = \"migrations\"\ndatabase_url = \"postgres://u:{MARKER}\\q@h/db\"\n"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_schema"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .args(["current"])
        .output()
        .unwrap();
    assert_quiet_about_the_password(&out, "broken migrations.toml");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("error: migrations.toml:2:"), "{stderr}");
}

#[test]
fn an_unparseable_dotenv_line_is_reported_without_quoting_it() {
    let dir = reference_copy();
    std::fs::write(
        dir.path().join(".env"),
        format!("DATABASE_URL='postgres://u:{MARKER}@127.0.0.1:1/db\n"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_schema"))
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .args(["current"])
        .output()
        .unwrap();
    assert_quiet_about_the_password(&out, "broken .env");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: .env: 1 line(s) cannot be parsed"),
        "{stderr}"
    );
}
