//! The docs quote the code: the README's compile error is the one the
//! compiler prints, the root `Cargo.toml` quotes the benchmarked expansion
//! times, and docs/RELIABILITY.md names tests that exist.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate is in the workspace")
        .to_path_buf()
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(workspace().join(relative))
        .unwrap_or_else(|e| panic!("read {relative}: {e}"))
}

/// The first ```` ```text ```` block after `after` in `markdown`.
fn text_block_after<'a>(markdown: &'a str, after: &str) -> &'a str {
    let from = markdown
        .find(after)
        .expect("the paragraph before the block");
    let rest = &markdown[from..];
    let start = rest.find("```text\n").expect("a text block") + "```text\n".len();
    let end = rest[start..].find("```").expect("the end of the block");
    &rest[start..start + end]
}

/// The compiler's output for the `unmerged_fork` fixture as an application
/// sees it: the revisions in `migrations/`, the macro called in `src/main.rs`.
fn fork_error_in_an_application() -> String {
    let fixture = "ui/fail/unmerged_fork";
    let stderr = read(&format!("tests/{fixture}.stderr"));
    let (quoted, app_quoted) = (format!("\"{fixture}\""), "\"migrations\"");
    stderr
        .replace(&format!("{fixture}.rs"), "src/main.rs")
        .replace(&quoted, app_quoted)
        .replace(&"^".repeat(quoted.len()), &"^".repeat(app_quoted.len()))
        .replace(&format!("{fixture}/"), "migrations/")
}

#[test]
fn the_readme_shows_the_fork_error_the_compiler_prints() {
    let readme = read("README.md");
    let shown = text_block_after(&readme, "A broken chain fails the build");
    let printed = fork_error_in_an_application();
    assert_eq!(
        shown, printed,
        "README.md's fork error differs from tests/ui/fail/unmerged_fork.stderr; \
         the README should show:\n{printed}"
    );
}

/// The median of the 10,000-revision row of the first table after `heading`
/// in docs/BENCHMARKS.md's section on the macro, in seconds with two decimals.
fn macro_median_at_10000(benchmarks: &str, heading: &str) -> String {
    let section = &benchmarks[benchmarks
        .find("## The macro alone")
        .expect("the section on the macro")..];
    let table = &section[section.find(heading).expect("the table's heading")..];
    let row = table
        .lines()
        .find(|l| l.starts_with("| 10000 |"))
        .expect("a row for 10,000 revisions");
    let median = row.split('|').nth(3).expect("a median column").trim();
    let ms: f64 = median
        .strip_suffix(" ms")
        .expect("milliseconds")
        .parse()
        .expect("a number");
    format!("{:.2}", ms / 1000.0)
}

#[test]
fn the_build_profile_comment_quotes_the_benchmarked_expansion_times() {
    let benchmarks = read("docs/BENCHMARKS.md");
    let optimised = macro_median_at_10000(&benchmarks, "Optimised");
    let unoptimised = macro_median_at_10000(&benchmarks, "Unoptimised");
    let manifest = read("Cargo.toml");
    let profile = manifest
        .find("[profile.dev.build-override]")
        .expect("the build-override profile");
    let comment = &manifest[..profile];
    let quoted = format!("~{optimised} s optimised and ~{unoptimised} s unoptimised");
    assert!(
        comment.contains(&quoted),
        "the comment above [profile.dev.build-override] should say `{quoted}` \
         (docs/BENCHMARKS.md, the macro alone, 10,000 revisions)"
    );
}

/// Every `fn name(` in the Rust files under `dir`.
fn functions_under(dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("readable directory") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            functions_under(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("readable source");
            out.extend(text.split("fn ").skip(1).filter_map(|rest| {
                let name = rest.split('(').next()?;
                name.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    .then(|| name.to_owned())
            }));
        }
    }
}

#[test]
fn every_test_named_in_the_reliability_doc_exists() {
    let root = workspace();
    let mut functions = Vec::new();
    for dir in ["tests/tests", "schema-core/src", "schema-runtime/src"] {
        functions_under(&root.join(dir), &mut functions);
    }
    let doc: String = read("docs/RELIABILITY.md")
        .lines()
        .filter(|l| !l.trim_start().starts_with("```"))
        .collect::<Vec<_>>()
        .join("\n");
    // Test names are the backquoted snake_case words of four words or more.
    let named: Vec<&str> = doc
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| {
            w.split('_').count() >= 4
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        })
        .collect();
    assert!(named.len() >= 20, "{named:?}");
    let missing: Vec<&&str> = named
        .iter()
        .filter(|n| !functions.iter().any(|f| f == *n))
        .collect();
    assert!(
        missing.is_empty(),
        "docs/RELIABILITY.md names tests that do not exist: {missing:?}"
    );
}

#[test]
fn every_benchmark_target_is_named_in_the_benchmarks_doc() {
    let code = read("xtask/src/bench/targets.rs");
    let names: Vec<&str> = code
        .split("name: \"")
        .skip(1)
        .map(|rest| rest.split('"').next().expect("a closing quote"))
        .collect();
    assert!(names.len() >= 6, "{names:?}");
    let doc = read("docs/BENCHMARKS.md");
    let section = &doc[doc
        .find("## Against the targets")
        .expect("the targets section")..];
    for name in names {
        assert!(
            section.contains(&format!("| {name} |")),
            "docs/BENCHMARKS.md's targets table does not name `{name}`"
        );
    }
}
