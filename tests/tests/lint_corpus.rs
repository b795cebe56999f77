//! squawk's linter over a large public history of PostgreSQL migrations
//! (`tests/corpus/kratos`, see its README): linting never panics, whatever
//! SQL a project has written. Each file becomes the upgrade section of a
//! revision of its own, transactional unless the file is one its project runs
//! outside a transaction (`.autocommit.`), and is linted with every rule squawk
//! has on by default plus the removal rules in downgrades.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use schema_core::lint::{lint_set, Finding, LintConfig, LINTER_FAILURE_RULE, SYNTAX_RULE};
use schema_core::SourceFile;

/// The corpus's `.sql` files, sorted by name.
fn corpus_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/kratos/migrations");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the corpus directory")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    files
}

/// `sql` as the upgrade section of an irreversible base revision `id`.
fn revision(id: &str, sql: &str, non_transactional: bool) -> String {
    let options = if non_transactional {
        "irreversible, non-transactional"
    } else {
        "irreversible"
    };
    format!(
        "-- Corpus file\n--\n-- Revision ID: {id}\n-- Revises:\n-- Options: {options}\n\n-- migrate:upgrade\n{sql}\n"
    )
}

/// What linting one file gave.
enum Outcome {
    /// The chain check refused the file as a revision (so it was not linted).
    NotARevision,
    /// The linter's findings.
    Linted(Vec<Finding>),
}

fn lint_file(index: usize, path: &Path, config: &LintConfig) -> Outcome {
    let sql = std::fs::read_to_string(path).expect("a UTF-8 corpus file");
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    let source = SourceFile {
        path: path.to_owned(),
        display: format!("corpus/{name}"),
        text: revision(&format!("c{index}"), &sql, name.contains(".autocommit.")),
    };
    match schema_core::load::check_sources(&[source], "corpus") {
        Ok(set) => Outcome::Linted(lint_set(&set, config).expect("a valid configuration")),
        Err(_) => Outcome::NotARevision,
    }
}

#[test]
fn the_linter_never_panics_on_a_public_history_of_postgresql_migrations() {
    let files = corpus_files();
    assert!(files.len() >= 500, "only {} corpus files", files.len());
    let config = LintConfig {
        downgrade_removals: true,
        ..LintConfig::default()
    };
    let (mut linted, mut findings, mut syntax_errors) = (0, 0, 0);
    let (mut panicked, mut linter_failures, mut refused) = (Vec::new(), Vec::new(), Vec::new());
    for (i, path) in files.iter().enumerate() {
        match catch_unwind(AssertUnwindSafe(|| lint_file(i, path, &config))) {
            Err(_) => panicked.push(path.display().to_string()),
            Ok(Outcome::NotARevision) => refused.push(path.display().to_string()),
            Ok(Outcome::Linted(found)) => {
                linted += 1;
                for f in &found {
                    match f.rule.as_str() {
                        SYNTAX_RULE => syntax_errors += 1,
                        LINTER_FAILURE_RULE => linter_failures.push(f.path.clone()),
                        _ => findings += 1,
                    }
                }
            }
        }
    }
    println!(
        "{} files: {linted} linted, {findings} findings, {syntax_errors} syntax errors, {} not revisions",
        files.len(),
        refused.len()
    );
    assert_eq!(
        panicked,
        Vec::<String>::new(),
        "panicked outside the linter"
    );
    assert_eq!(
        linter_failures,
        Vec::<String>::new(),
        "squawk's linter panicked"
    );
    assert_eq!(
        refused,
        Vec::<String>::new(),
        "refused as revisions, so not linted"
    );
    assert_eq!(linted, files.len());
    assert!(findings > 0, "a real history has findings");
}
