//! Rebuilds follow the files: a crate that embeds a migrations directory is
//! rebuilt, and `migrations!()` expanded again, when a revision file is added,
//! edited, renamed or deleted. Each step runs a real `cargo build` of a small
//! crate and reads the head the built binary reports.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{rev, revision_text};

struct Probe {
    dir: tempfile::TempDir,
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

impl Probe {
    fn new(with_build_script: bool) -> Probe {
        let dir = tempfile::tempdir().expect("tempdir");
        let runtime = workspace().join("schema-runtime");
        let dep = format!(
            "schema-runtime = {{ path = {:?}, default-features = false }}",
            runtime.display().to_string()
        );
        // Distinct names: the two probes share a target directory.
        let name = if with_build_script {
            "probe_tracked"
        } else {
            "probe_untracked"
        };
        let build_dep = if with_build_script {
            format!("[build-dependencies]\n{dep}\n")
        } else {
            String::new()
        };
        std::fs::write(
            dir.path().join("Cargo.toml"),
            format!("[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[dependencies]\n{dep}\n\n{build_dep}\n[workspace]\n"),
        )
        .unwrap();
        if with_build_script {
            std::fs::write(
                dir.path().join("build.rs"),
                "fn main() { schema_runtime::build::track_migrations(\"migrations\"); }\n",
            )
            .unwrap();
        }
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(
            dir.path().join("src/main.rs"),
            "schema_runtime::migrations!();\n\nfn main() {\n    let head = migrations::SET.head();\n    \
             println!(\"{} {} {}\", head.id, head.path, migrations::SET.len());\n}\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("migrations")).unwrap();
        // The workspace's lock file pins the same versions, so nothing is resolved anew.
        std::fs::copy(
            workspace().join("Cargo.lock"),
            dir.path().join("Cargo.lock"),
        )
        .unwrap();
        Probe { dir }
    }

    fn write(&self, file: &str, id: &str, parent: Option<&str>) {
        let up = format!("CREATE TABLE t_{id} (id int);");
        let down = format!("DROP TABLE t_{id};");
        std::fs::write(
            self.dir.path().join("migrations").join(file),
            revision_text(&rev(id, &up, &down), parent),
        )
        .unwrap();
    }

    fn path(&self, file: &str) -> PathBuf {
        self.dir.path().join("migrations").join(file)
    }

    /// Builds and runs the probe: (stdout, stderr of the build).
    fn run(&self) -> (String, String) {
        let out = Command::new(env!("CARGO"))
            .args(["run", "--quiet", "--manifest-path"])
            .arg(self.dir.path().join("Cargo.toml"))
            .env("CARGO_TARGET_DIR", workspace().join("target/rebuild-probe"))
            .env_remove("SCHEMA_MIGRATIONS_TRACKED")
            .env_remove("SCHEMA_MIGRATIONS_MANIFEST_DIR")
            .output()
            .expect("run cargo");
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(out.status.success(), "probe build failed:\n{stderr}");
        (
            String::from_utf8_lossy(&out.stdout).trim().to_owned(),
            stderr,
        )
    }
}

#[test]
fn adding_editing_renaming_and_deleting_revision_files_rebuilds() {
    let p = Probe::new(true);
    p.write("a.sql", "a", None);
    p.write("b.sql", "b", Some("a"));
    let (out, build) = p.run();
    assert_eq!(out, "b migrations/b.sql 2");
    assert!(!build.contains("not tracked"), "{build}");

    // Added (as by `git pull`): only the directory tracking sees this.
    p.write("c.sql", "c", Some("b"));
    assert_eq!(p.run().0, "c migrations/c.sql 3");

    // Edited: the new id is the head.
    p.write("c.sql", "c2", Some("b"));
    assert_eq!(p.run().0, "c2 migrations/c.sql 3");

    // Renamed.
    std::fs::rename(p.path("c.sql"), p.path("c_renamed.sql")).unwrap();
    assert_eq!(p.run().0, "c2 migrations/c_renamed.sql 3");

    // Deleted.
    std::fs::remove_file(p.path("c_renamed.sql")).unwrap();
    assert_eq!(p.run().0, "b migrations/b.sql 2");
}

#[test]
fn an_untracked_directory_is_reported_at_compile_time_and_edits_still_rebuild() {
    let p = Probe::new(false);
    p.write("a.sql", "a", None);
    let (out, build) = p.run();
    assert_eq!(out, "a migrations/a.sql 1");
    assert!(
        build.contains("is not tracked by a build script")
            && build.contains("schema_runtime::build::track_migrations(\"migrations\");"),
        "{build}"
    );
    // Without the build script the files read are still tracked one by one:
    // an edit rebuilds.
    p.write("a.sql", "a2", None);
    assert_eq!(p.run().0, "a2 migrations/a.sql 1");
}
