//! The checksum of a revision, as docs/FORMAT.md defines it: the SHA-256 of
//! its upgrade section after `\r\n` becomes `\n`, written as 64 lowercase hex
//! digits. Checked against computations that share no code with the project:
//! fixed values from `sha256sum` (`printf '<section>' | sha256sum`) and
//! PostgreSQL's `sha256()` of the section.

mod common;

use common::*;
use schema_runtime::Migrator;

schema_runtime::migrations!("../migrations");

/// A base revision file around `upgrade` (and `downgrade`; irreversible
/// without one), with `eol` ending every line the file adds itself.
fn file(upgrade: &str, downgrade: Option<&str>, eol: &str) -> String {
    let mut lines = vec![
        "-- Checksum case".to_owned(),
        "--".to_owned(),
        "-- Revision ID: a".to_owned(),
        "-- Revises:".to_owned(),
    ];
    if downgrade.is_none() {
        lines.push("-- Options: irreversible".to_owned());
    }
    lines.push(String::new());
    lines.push("-- migrate:upgrade".to_owned());
    let mut text = lines.join(eol) + eol + upgrade;
    if let Some(down) = downgrade {
        text.push_str(&format!("-- migrate:downgrade{eol}{down}"));
    }
    text
}

/// One file, the upgrade section it must be hashed as (written out by hand,
/// not extracted by the parser), and `sha256sum` of that section.
struct Case {
    what: &'static str,
    text: String,
    section: &'static str,
    sha256sum: &'static str,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            what: "LF line endings",
            text: file(
                "CREATE TABLE a (id int);\n\n",
                Some("DROP TABLE a;\n"),
                "\n",
            ),
            section: "CREATE TABLE a (id int);\n\n",
            sha256sum: "a0549674196b7e17d4ccc2e1f0c9f3f4133212c9995ed8e5d0fd3446a8eec064",
        },
        Case {
            what: "CRLF line endings",
            text: file(
                "CREATE TABLE a (id int);\r\n\r\n",
                Some("DROP TABLE a;\r\n"),
                "\r\n",
            ),
            section: "CREATE TABLE a (id int);\n\n",
            sha256sum: "a0549674196b7e17d4ccc2e1f0c9f3f4133212c9995ed8e5d0fd3446a8eec064",
        },
        Case {
            what: "one trailing newline",
            text: file("SELECT 1;\n", Some("SELECT 2;\n"), "\n"),
            section: "SELECT 1;\n",
            sha256sum: "b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd",
        },
        Case {
            what: "four trailing newlines",
            text: file("SELECT 1;\n\n\n\n", Some("SELECT 2;\n"), "\n"),
            section: "SELECT 1;\n\n\n\n",
            sha256sum: "6ce05473976aec401b5a00fb15398f4c67be0c3458223d569e1cb65690d7b09a",
        },
        Case {
            what: "no newline at the end of the file",
            text: file("SELECT 1;", None, "\n"),
            section: "SELECT 1;",
            sha256sum: "17db4fd369edb9244b9f91d9aeed145c3d04ad8ba6e95d06247f07a63527d11a",
        },
        Case {
            what: "non-ASCII text",
            text: file(
                "SELECT 'caf\u{e9}', 'Zo\u{eb}', '\u{6771}\u{4eac}', '\u{2615}';\n\n",
                Some("SELECT 2;\n"),
                "\n",
            ),
            section: "SELECT 'caf\u{e9}', 'Zo\u{eb}', '\u{6771}\u{4eac}', '\u{2615}';\n\n",
            sha256sum: "96b96c124def0092a5fc4f2fd9f204963d02a1edbed5a92727c90156bc829c63",
        },
        Case {
            what: "a lone carriage return",
            text: file("SELECT 1;\rSELECT 2;\n\n", Some("SELECT 3;\n"), "\n"),
            section: "SELECT 1;\rSELECT 2;\n\n",
            sha256sum: "1238ba6686c3bd1a3c07b14f0e970ab2d77dcc8c16f789f9e6272443e961b74a",
        },
    ]
}

fn case(what: &str) -> Case {
    cases()
        .into_iter()
        .find(|c| c.what == what)
        .expect("a case of that name")
}

/// The checksum the parser gives the case's file.
fn parsed_checksum(c: &Case) -> String {
    schema_core::parse_revision("a.sql", &c.text)
        .unwrap_or_else(|e| panic!("{}: {e:?}", c.what))
        .checksum_hex()
}

/// PostgreSQL's SHA-256 of `text`'s UTF-8 bytes, in hex.
async fn postgres_sha256(conn: &mut sqlx::PgConnection, text: &str) -> String {
    sqlx::query_scalar("SELECT encode(sha256(convert_to($1, 'UTF8')), 'hex')")
        .bind(text)
        .fetch_one(conn)
        .await
        .expect("sha256() on the server")
}

/// The upgrade section of a revision file, cut out here without the parser:
/// the text between the line `-- migrate:upgrade` and the line
/// `-- migrate:downgrade` (or the end of the file).
fn upgrade_section(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let start = text.find("-- migrate:upgrade\n").expect("upgrade marker") + 19;
    let end = text[start..]
        .find("-- migrate:downgrade\n")
        .map_or(text.len(), |i| start + i);
    text[start..end].to_owned()
}

#[test]
fn the_checksum_is_sha256sum_of_the_upgrade_section() {
    let c = case("LF line endings");
    assert_eq!(parsed_checksum(&c), c.sha256sum);
}

#[test]
fn a_crlf_file_has_the_checksum_of_its_lf_section() {
    let c = case("CRLF line endings");
    assert!(c.text.contains("\r\n"));
    assert_eq!(parsed_checksum(&c), c.sha256sum);
}

#[test]
fn every_trailing_newline_of_the_section_counts() {
    let one = case("one trailing newline");
    let four = case("four trailing newlines");
    assert_eq!(parsed_checksum(&one), one.sha256sum);
    assert_eq!(parsed_checksum(&four), four.sha256sum);
}

#[test]
fn a_section_that_ends_the_file_without_a_newline_is_hashed_as_it_is() {
    let c = case("no newline at the end of the file");
    assert_eq!(parsed_checksum(&c), c.sha256sum);
}

#[test]
fn non_ascii_text_is_hashed_as_its_utf8_bytes() {
    let c = case("non-ASCII text");
    assert_eq!(parsed_checksum(&c), c.sha256sum);
}

#[test]
fn a_lone_carriage_return_is_not_a_line_ending_and_is_hashed() {
    let c = case("a lone carriage return");
    assert_eq!(parsed_checksum(&c), c.sha256sum);
}

#[tokio::test]
async fn the_checksum_an_upgrade_records_is_postgresqls_sha256_of_the_section() {
    for c in cases() {
        let (_url, mut conn) = fresh_db().await;
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.sql"), &c.text).unwrap();
        let m = Migrator::load(dir.path(), "migrations").unwrap();
        m.upgrade(&mut conn, "head").await.unwrap();
        let recorded: String =
            sqlx::query_scalar("SELECT checksum FROM alembic_version_log WHERE version_num = 'a'")
                .fetch_one(&mut conn)
                .await
                .unwrap();
        let server = postgres_sha256(&mut conn, c.section).await;
        assert_eq!(recorded, server, "{}", c.what);
        assert_eq!(server, c.sha256sum, "{}", c.what);
    }
}

#[tokio::test]
async fn the_embedded_reference_chain_carries_postgresqls_sha256_of_each_section() {
    let (_url, mut conn) = fresh_db().await;
    // Embedded paths are relative to this crate (`../migrations/...`).
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut rust = 0;
    for r in migrations::SET.revisions() {
        let text = std::fs::read_to_string(root.join(&*r.path)).expect("revision file");
        // A Rust revision's checksum is of the whole file (docs/FORMAT.md).
        let checked = if r.path.ends_with(".rs") {
            rust += 1;
            text
        } else {
            upgrade_section(&text)
        };
        let server = postgres_sha256(&mut conn, &checked).await;
        assert_eq!(r.checksum_hex(), server, "{}", r.path);
    }
    assert_eq!(rust, 1, "the reference chain has one Rust revision");
}
