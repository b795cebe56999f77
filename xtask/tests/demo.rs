//! `cargo xtask demo` on a machine without PostgreSQL's server binaries.

use std::process::Command;

/// The demo, with the binary search pointed at `bin` and the installer off.
fn demo_without_binaries(bin: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("demo")
        .env("SCHEMA_MIGRATIONS_PG_BIN", bin)
        .env("SCHEMA_MIGRATIONS_NO_INSTALL", "1")
        .output()
        .expect("run the demo")
}

#[test]
fn without_server_binaries_the_demo_prints_the_install_commands_and_exits_with_3() {
    let empty = tempfile::tempdir().expect("tempdir");
    let out = demo_without_binaries(empty.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: cannot start PostgreSQL: PostgreSQL's server binaries (initdb, pg_ctl, postgres) \
             are not in {}, the directory SCHEMA_MIGRATIONS_PG_BIN names",
            empty.path().display()
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains("not installed automatically: SCHEMA_MIGRATIONS_NO_INSTALL is set"),
        "{stderr}"
    );
    for command in [
        "apt-get install postgresql",
        "dnf install postgresql-server",
        "pacman -S postgresql",
        "brew install postgresql@17",
    ] {
        assert!(
            stderr.contains(command),
            "{command:?} missing from:\n{stderr}"
        );
    }
}
