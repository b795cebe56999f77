//! `schema-migrations`, the binary `cargo install schema-runtime --features
//! cli` installs: it sets up a crate with `init` before the crate has an
//! `xtask` of its own, and runs the commands over its migrations directory.

use std::path::Path;
use std::process::{Command, Output};

fn run(dir: &Path, args: &[&str]) -> String {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_schema-migrations"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run schema-migrations");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{args:?} failed:\n{text}");
    text
}

#[test]
fn the_installed_binary_inits_a_crate_and_writes_its_first_revision() {
    let tmp = tempfile::tempdir().unwrap();
    let app = tmp.path();
    std::fs::write(
        app.join("Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[dependencies]\n",
    )
    .unwrap();
    std::fs::create_dir(app.join("src")).unwrap();
    std::fs::write(app.join("src/main.rs"), "fn main() {}\n").unwrap();

    run(app, &["init"]);
    for made in [
        "migrations",
        "xtask/src/main.rs",
        "migrations.toml",
        "build.rs",
    ] {
        assert!(app.join(made).exists(), "init made no {made}");
    }

    let out = run(app, &["new-revision", "-m", "create cameras"]);
    let written: Vec<_> = std::fs::read_dir(app.join("migrations"))
        .unwrap()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "sql"))
        .collect();
    assert_eq!(written.len(), 1, "{out}");
    assert!(run(app, &["history"]).contains("create cameras"));
}
