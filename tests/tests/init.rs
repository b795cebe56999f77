//! `init` as a new user meets it: `cargo new` an application, `init` it,
//! `cargo xtask new-revision`, `cargo build`, and the application upgrades a
//! real database at startup. The application depends on this workspace
//! (`init --path`) and builds in a target directory shared between runs.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

/// `cargo new` of an application named `init_app` in a fresh directory,
/// with the workspace's lock file so that nothing is resolved anew.
fn new_app() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO"))
        .args(["new", "--vcs", "none", "--name", "init_app", "app"])
        .current_dir(tmp.path())
        .output()
        .expect("run cargo new");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let app = tmp.path().join("app");
    std::fs::copy(workspace().join("Cargo.lock"), app.join("Cargo.lock")).unwrap();
    (tmp, app)
}

fn ok(what: &str, out: Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{what} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// `init --path <this workspace>` in `app`: its output.
fn init(app: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_schema"))
        .args(["init", "--path"])
        .arg(workspace())
        .current_dir(app)
        .env("NO_COLOR", "1")
        .output()
        .expect("run init")
}

/// Cargo in `app`, building into the shared target directory.
fn cargo(app: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO"))
        .args(args)
        .current_dir(app)
        .env(
            "CARGO_TARGET_DIR",
            Path::new(env!("CARGO_TARGET_TMPDIR")).join("init-app"),
        )
        .env_remove("SCHEMA_MIGRATIONS_TRACKED")
        .env_remove("SCHEMA_MIGRATIONS_MANIFEST_DIR")
        .env_remove("DATABASE_URL")
        .output()
        .expect("run cargo")
}

/// Every file under `dir` with its contents.
fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut all = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                all.insert(p.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    all
}

#[test]
fn init_reports_each_step_and_a_second_run_changes_nothing() {
    let (_tmp, app) = new_app();
    let first = ok("init", init(&app));
    let lines: Vec<&str> = first.lines().collect();
    for expected in [
        "created migrations/",
        "created migrations/README.md",
        "created build.rs",
        "updated Cargo.toml: schema-runtime under [dependencies]",
        "updated Cargo.toml: schema-runtime under [build-dependencies]",
        "created xtask/ (Cargo.toml, build.rs, src/main.rs)",
        "created migrations.toml",
    ] {
        assert!(lines.contains(&expected), "no `{expected}` in:\n{first}");
    }
    let manifest = std::fs::read_to_string(app.join("Cargo.toml")).unwrap();
    let runtime = workspace().join("schema-runtime").canonicalize().unwrap();
    assert!(
        manifest.contains(&format!(
            "[dependencies]\nschema-runtime = {{ path = \"{}\" }}\n",
            runtime.display()
        )) && manifest.contains("\n[workspace]\nmembers = [\"xtask\"]\n"),
        "{manifest}"
    );
    let before = files(&app);

    let second = ok("second init", init(&app));
    assert_eq!(second.lines().count(), lines.len(), "{second}");
    assert!(
        second.lines().all(|l| l.starts_with("skipped ")),
        "{second}"
    );
    assert!(files(&app) == before, "the second run changed files");
}

#[test]
fn an_existing_build_script_is_left_alone_and_the_line_to_add_is_printed() {
    let (_tmp, app) = new_app();
    let script = "fn main() {\n    println!(\"cargo::rerun-if-changed=build.rs\");\n}\n";
    std::fs::write(app.join("build.rs"), script).unwrap();
    let out = ok("init", init(&app));
    assert!(
        out.lines().any(|l| l
            == "skipped build.rs: it exists and is not edited; add to its main: \
                schema_runtime::build::track_migrations(\"migrations\");"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(app.join("build.rs")).unwrap(),
        script
    );
}

#[tokio::test]
async fn a_new_application_set_up_by_init_builds_and_upgrades_a_database_at_startup() {
    let (_tmp, app) = new_app();
    ok("init", init(&app));

    // The first revision, through the generated `cargo xtask`.
    ok(
        "cargo xtask new-revision",
        cargo(&app, &["xtask", "new-revision", "-m", "create notes"]),
    );
    let revision = std::fs::read_dir(app.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|x| x == "sql"))
        .expect("a revision file");
    let text = std::fs::read_to_string(&revision).unwrap();
    let id = schema_runtime::core::parse_revision("new.sql", &text)
        .expect("the revision parses")
        .id
        .to_string();
    let text = text
        .replace(
            "-- migrate:upgrade\n",
            "-- migrate:upgrade\nCREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL);\n",
        )
        .replace(
            "-- migrate:downgrade\n",
            "-- migrate:downgrade\nDROP TABLE notes;\n",
        );
    std::fs::write(&revision, text).unwrap();

    // The application: the README's lines, and its own async runtime.
    let manifest = std::fs::read_to_string(app.join("Cargo.toml")).unwrap();
    std::fs::write(
        app.join("Cargo.toml"),
        manifest.replacen(
            "[dependencies]\n",
            "[dependencies]\ntokio = { version = \"1\", features = [\"rt\", \"macros\"] }\n",
            1,
        ),
    )
    .unwrap();
    std::fs::write(
        app.join("src/main.rs"),
        r#"schema_runtime::migrations!("migrations");

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let url = std::env::args().nth(1).ok_or("usage: init_app DATABASE_URL")?;
    let pool = schema_runtime::sqlx::PgPool::connect(&url).await?;
    let report = schema_runtime::Migrator::new(&migrations::SET)
        .upgrade(&pool, migrations::HEAD)
        .await?;
    println!("applied {}", report.steps.len());
    Ok(())
}
"#,
    )
    .unwrap();
    ok("cargo build", cargo(&app, &["build"]));

    let (url, mut conn) = common::fresh_db().await;
    let out = ok(
        "the application",
        cargo(&app, &["run", "--quiet", "--", &url]),
    );
    assert_eq!(out.trim(), "applied 1");
    assert_eq!(common::version(&mut conn).await, [id.as_str()]);
    assert_eq!(common::tables(&mut conn).await, ["notes"]);

    // The generated `cargo xtask` now embeds the chain and sees the database.
    let current = ok(
        "cargo xtask current",
        cargo(&app, &["xtask", "--database-url", &url, "current"]),
    );
    assert!(current.contains(&id), "{current}");
}
