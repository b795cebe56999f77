//! `init`: sets up an existing crate to embed a revision chain, as `alembic
//! init` sets up a project.
//!
//! Run at the root of the crate (or of its workspace, naming the crate with
//! `--crate`), it adds what the README's "Using it in your application" lists:
//! the migrations directory with a README, the `build.rs` line, the
//! dependency lines, an `xtask` crate over [`main_with`](super::main_with)
//! with the `cargo xtask` alias, and `migrations.toml`. Each step is skipped
//! when its result is already there, so a second run changes nothing; no
//! file is overwritten. An existing file is edited only where a plain edit
//! is safe (a line added under a table header, or a table appended), and the
//! edit is checked by parsing the result: otherwise the line to add is
//! printed instead.

use std::path::{Component, Path, PathBuf};

use super::output::out_line;
use super::Failure;

/// The version of this crate a new project depends on, from crates.io.
const CRATES_IO_VERSION: &str = "0.1";

/// Why `init` cannot set the project up.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    /// No `Cargo.toml` in the directory `init` runs in.
    #[error("no Cargo.toml in {0}: run `init` at the root of the crate or of its workspace")]
    NoManifest(String),
    /// A manifest that is not TOML (or not readable).
    #[error("cannot read {path}: {reason}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        reason: String,
    },
    /// A file or directory could not be written.
    #[error("cannot write {path}: {reason}")]
    Write {
        /// The file.
        path: String,
        /// The operating system's message.
        reason: String,
    },
    /// The crate named by `--crate` has no `[package]`.
    #[error("{0} has no [package]: name the application crate with --crate PATH")]
    NotAPackage(String),
    /// `--crate` is absolute or leaves the directory `init` runs in.
    #[error(
        "--crate {0}: give a path inside the current directory, such as `app` or `crates/app`"
    )]
    CratePath(String),
    /// A crate in a subdirectory, but no workspace at the root to hold it.
    #[error(
        "Cargo.toml here has no [workspace], so the crate {0} cannot share it with the xtask crate"
    )]
    NotAWorkspace(String),
    /// The crate belongs to a workspace above the current directory.
    #[error("this crate belongs to the workspace of {0}: run `init` in that directory with --crate PATH")]
    InsideWorkspace(String),
    /// `--path` names no schema-runtime checkout.
    #[error("--path {0}: no schema-runtime crate there (neither {0}/Cargo.toml nor {0}/schema-runtime/Cargo.toml)")]
    NoCheckout(String),
    /// `--dir` with `init`.
    #[error("`init` puts the revisions in <crate>/migrations; --dir is for the other commands (set `directory` in migrations.toml after moving it)")]
    DirGiven,
}

/// The arguments of `init`.
pub(super) struct InitArgs<'a> {
    /// The application crate, relative to the current directory.
    pub krate: &'a Path,
    /// A local checkout of this project to depend on, instead of crates.io.
    pub path: Option<&'a Path>,
}

/// Runs `init` in the current directory.
pub(super) fn run(args: InitArgs<'_>) -> Result<(), Failure> {
    let lines = init(Path::new("."), args).map_err(|e| Failure::new(format!("error: {e}")))?;
    for line in lines {
        out_line(line)?;
    }
    Ok(())
}

/// How the dependency on this crate is written.
fn dependency_source(path: Option<&Path>) -> Result<String, InitError> {
    let Some(path) = path else {
        return Ok(format!("version = {}", toml_string(CRATES_IO_VERSION)));
    };
    let shown = path.display().to_string();
    let abs = path
        .canonicalize()
        .map_err(|_| InitError::NoCheckout(shown.clone()))?;
    for candidate in [abs.join("schema-runtime"), abs.clone()] {
        let manifest = candidate.join("Cargo.toml");
        let Ok(text) = std::fs::read_to_string(&manifest) else {
            continue;
        };
        let name = toml::from_str::<toml::Table>(&text)
            .ok()
            .and_then(|t| t.get("package")?.get("name")?.as_str().map(str::to_owned));
        if name.as_deref() == Some("schema-runtime") {
            return Ok(format!(
                "path = {}",
                toml_string(&candidate.display().to_string())
            ));
        }
    }
    Err(InitError::NoCheckout(shown))
}

/// `s` as a TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `--crate` as a relative path without `.` components; `None` when it is
/// absolute or climbs out with `..`.
fn normalize(krate: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in krate.components() {
        match c {
            Component::CurDir => {}
            Component::Normal(part) => out.push(part),
            _ => return None,
        }
    }
    Some(out)
}

/// A path as written in messages and files: `/`-separated, `.` for none.
fn slashed(p: &Path) -> String {
    let parts: Vec<String> = p
        .components()
        .filter(|c| *c != Component::CurDir)
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    }
}

fn read(path: &Path) -> Result<String, InitError> {
    std::fs::read_to_string(path).map_err(|e| InitError::Read {
        path: slashed(path),
        reason: e.to_string(),
    })
}

fn parse(path: &Path, text: &str) -> Result<toml::Table, InitError> {
    toml::from_str(text).map_err(|e| InitError::Read {
        path: slashed(path),
        reason: e.message().to_owned(),
    })
}

/// Writes through a temporary file and a rename, so that a failure leaves
/// the old file whole.
fn replace(path: &Path, text: &str) -> Result<(), InitError> {
    let err = |e: std::io::Error| InitError::Write {
        path: slashed(path),
        reason: e.to_string(),
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".init-tmp");
    std::fs::write(&tmp, text).map_err(err)?;
    std::fs::rename(&tmp, path).map_err(err)
}

/// Creates a file that must not exist yet.
fn create(path: &Path, text: &str) -> Result<(), InitError> {
    let err = |e: std::io::Error| InitError::Write {
        path: slashed(path),
        reason: e.to_string(),
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(err)?;
    std::io::Write::write_all(&mut file, text.as_bytes()).map_err(err)
}

/// What adding a line under a table of a manifest came to.
#[derive(Debug, PartialEq, Eq)]
enum Edit {
    /// The new text, checked to parse to the old one plus the key.
    Done(String),
    /// The key is there already.
    Present,
    /// No safe plain edit: the line is to be added by hand.
    ByHand,
}

/// Whether `line` is the header `[table]` (spaces and a comment allowed).
fn is_header(line: &str, table: &str) -> bool {
    let code = line.split('#').next().unwrap_or("");
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    compact == format!("[{table}]")
}

/// Adds `key = value` to the top-level table `table` of `text`: after its
/// header line, or as a new table at the end when the file has none. The
/// result must parse to the old document plus exactly that key, else
/// nothing is edited.
fn add_key(text: &str, table: &str, key: &str, value: &str) -> Edit {
    let Ok(before) = toml::from_str::<toml::Table>(text) else {
        return Edit::ByHand;
    };
    let existing = before.get(table);
    if existing.and_then(|t| t.get(key)).is_some() {
        return Edit::Present;
    }
    let line = format!("{key} = {value}\n");
    let new = if existing.is_none() {
        let sep = if text.is_empty() || text.ends_with("\n\n") {
            ""
        } else if text.ends_with('\n') {
            "\n"
        } else {
            "\n\n"
        };
        format!("{text}{sep}[{table}]\n{line}")
    } else {
        let mut offset = 0;
        let mut at = None;
        for l in text.split_inclusive('\n') {
            offset += l.len();
            if is_header(l, table) {
                at = Some(offset);
                break;
            }
        }
        let Some(at) = at else {
            return Edit::ByHand;
        };
        let head = &text[..at];
        let head_nl = if head.ends_with('\n') { "" } else { "\n" };
        format!("{head}{head_nl}{line}{}", &text[at..])
    };
    // The edit must add the key and change nothing else.
    let Ok(mut after) = toml::from_str::<toml::Table>(&new) else {
        return Edit::ByHand;
    };
    let Ok(value) = toml::from_str::<toml::Table>(&line) else {
        return Edit::ByHand;
    };
    let added = after
        .get_mut(table)
        .and_then(|t| t.as_table_mut())
        .and_then(|t| t.remove(key));
    if added.as_ref() != value.get(key) {
        return Edit::ByHand;
    }
    if existing.is_none() {
        if after
            .get(table)
            .and_then(|t| t.as_table())
            .is_some_and(|t| t.is_empty())
        {
            after.remove(table);
        } else {
            return Edit::ByHand;
        }
    }
    if after == before {
        Edit::Done(new)
    } else {
        Edit::ByHand
    }
}

/// Adds `member` to `[workspace] members` (the array written on one line
/// after `members = [`), or `members = [member]` under `[workspace]`.
fn add_member(text: &str, member: &str) -> Edit {
    let Ok(before) = toml::from_str::<toml::Table>(text) else {
        return Edit::ByHand;
    };
    let Some(ws) = before.get("workspace").and_then(|w| w.as_table()) else {
        return Edit::ByHand;
    };
    let Some(members) = ws.get("members") else {
        return add_key(
            text,
            "workspace",
            "members",
            &format!("[{}]", toml_string(member)),
        );
    };
    let listed = members.as_array().is_some_and(|a| {
        a.iter()
            .any(|m| m.as_str().map(|s| s.trim_end_matches('/')) == Some(member))
    });
    if listed {
        return Edit::Present;
    }
    // The first `members = [` after the `[workspace]` header.
    let mut offset = 0;
    let mut in_workspace = false;
    let mut at = None;
    for l in text.split_inclusive('\n') {
        let t = l.trim_start();
        if t.starts_with('[') {
            in_workspace = is_header(l, "workspace");
        } else if in_workspace {
            let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            if compact.starts_with("members=[") {
                at = Some(offset + l.find('[').map_or(0, |i| i + 1));
                break;
            }
        }
        offset += l.len();
    }
    let Some(at) = at else {
        return Edit::ByHand;
    };
    let rest = &text[at..];
    // A list written one member a line gets one more line, indented as the next.
    let new = match rest.strip_prefix('\n') {
        Some(after) => {
            let indent: String = after
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            format!("{}\n{indent}{},{rest}", &text[..at], toml_string(member))
        }
        None => format!("{}{}, {rest}", &text[..at], toml_string(member)),
    };
    // `members = []` becomes `[member, ]`: valid TOML, and checked below.
    let Ok(mut after) = toml::from_str::<toml::Table>(&new) else {
        return Edit::ByHand;
    };
    let Some(list) = after
        .get_mut("workspace")
        .and_then(|w| w.get_mut("members"))
        .and_then(|m| m.as_array_mut())
    else {
        return Edit::ByHand;
    };
    if list.first().and_then(|m| m.as_str()) != Some(member) {
        return Edit::ByHand;
    }
    list.remove(0);
    if after == before {
        Edit::Done(new)
    } else {
        Edit::ByHand
    }
}

/// A manifest being edited: its text, what was done to it, and the lines
/// to add by hand.
struct Manifest {
    path: PathBuf,
    shown: String,
    text: String,
    changed: bool,
}

impl Manifest {
    fn open(path: PathBuf) -> Result<(Manifest, toml::Table), InitError> {
        let text = read(&path)?;
        let table = parse(&path, &text)?;
        Ok((
            Manifest {
                shown: slashed(&path),
                path,
                text,
                changed: false,
            },
            table,
        ))
    }

    /// Applies `edit`, reporting it as `what`; `by_hand` is what to add
    /// when the edit cannot be made safely.
    fn apply(&mut self, edit: Edit, what: &str, by_hand: &str, lines: &mut Vec<String>) {
        match edit {
            Edit::Done(text) => {
                self.text = text;
                self.changed = true;
                lines.push(format!("updated {}: {what}", self.shown));
            }
            Edit::Present => lines.push(format!("skipped {}: {what} is there", self.shown)),
            Edit::ByHand => lines.push(format!(
                "skipped {}: not edited (its layout is not one `init` edits safely); add {by_hand}",
                self.shown
            )),
        }
    }

    fn save(&self) -> Result<(), InitError> {
        if self.changed {
            replace(&self.path, &self.text)?;
        }
        Ok(())
    }
}

/// The README written into a new migrations directory.
fn readme(dir: &str) -> String {
    format!(
        "# Migrations

The revisions of this application's schema, one file each (`.sql`, or `.rs`
for a data migration that needs Rust). Each names its parent in its
`Revises` header, as in Alembic; the chain is checked and compiled into the
application by `schema_runtime::migrations!(\"migrations\")`, and `build.rs`
rebuilds it when a file is added. Other files, like this one, are ignored.

Add a revision, then write its SQL under `-- migrate:upgrade` and
`-- migrate:downgrade`:

    cargo xtask new-revision -m \"add the users table\"

Apply the revisions to the database of `DATABASE_URL` (or `--database-url`,
or `database_url` in `migrations.toml`) and look at them:

    cargo xtask upgrade head
    cargo xtask history

Do not edit a revision a database has applied (the checksum check refuses
it): add a new one. The directory is `{dir}` for `cargo xtask`
(`migrations.toml`).
"
    )
}

/// The `build.rs` of a crate that embeds `dir`.
fn build_script(dir: &str, doc: &str) -> String {
    format!(
        "//! {doc}\n\nfn main() {{\n    schema_runtime::build::track_migrations({});\n}}\n",
        toml_string(dir)
    )
}

/// The `xtask` crate's `build.rs`: tracks the directory, and tells the
/// crate whether it holds a revision yet (an empty chain does not compile).
fn xtask_build_script(dir: &str) -> String {
    let dir = toml_string(dir);
    format!(
        "//! Rebuilds the migration tool when a revision file is added, and lets it
//! build before the first revision exists.

fn main() {{
    schema_runtime::build::track_migrations({dir});
    println!(\"cargo::rustc-check-cfg=cfg(no_revisions)\");
    let has_revisions = std::fs::read_dir({dir}).is_ok_and(|entries| {{
        entries.flatten().any(|e| {{
            schema_runtime::core::load::is_revision_file(&e.file_name().to_string_lossy())
        }})
    }});
    if !has_revisions {{
        println!(\"cargo::rustc-cfg=no_revisions\");
    }}
}}
"
    )
}

/// The `xtask` crate's `main.rs`.
fn xtask_main(dir: &str) -> String {
    format!(
        "//! `cargo xtask`: the migration commands (`new-revision`, `upgrade`,
//! `history`, ... : `cargo xtask --help`) over the chain compiled in, so
//! that revisions written in Rust run too.

use std::process::ExitCode;

#[cfg(not(no_revisions))]
schema_runtime::migrations!({});

#[cfg(not(no_revisions))]
fn main() -> ExitCode {{
    schema_runtime::cli::main_with(&migrations::SET)
}}

/// Before the first revision there is no chain to compile in: the commands
/// read the directory.
#[cfg(no_revisions)]
fn main() -> ExitCode {{
    schema_runtime::cli::main()
}}
",
        toml_string(dir)
    )
}

/// Does the work in `root`; the lines say what was done or skipped.
fn init(root: &Path, args: InitArgs<'_>) -> Result<Vec<String>, InitError> {
    let krate = normalize(args.krate)
        .ok_or_else(|| InitError::CratePath(args.krate.display().to_string()))?;
    let at_root = krate.as_os_str().is_empty();
    let rel = |p: &str| slashed(&krate.join(p));
    let root_manifest = root.join("Cargo.toml");
    if !root_manifest.is_file() {
        return Err(InitError::NoManifest(slashed(root)));
    }
    let source = dependency_source(args.path)?;

    // Everything is checked before anything is written.
    let (mut root_doc, root_table) = Manifest::open(root_manifest)?;
    root_doc.shown = "Cargo.toml".to_owned();
    let is_workspace = root_table.contains_key("workspace");
    if !at_root && !is_workspace {
        return Err(InitError::NotAWorkspace(slashed(&krate)));
    }
    if !is_workspace {
        let abs = root.canonicalize().map_err(|e| InitError::Read {
            path: slashed(root),
            reason: e.to_string(),
        })?;
        for dir in abs.ancestors().skip(1) {
            let m = dir.join("Cargo.toml");
            if let Ok(text) = std::fs::read_to_string(&m) {
                if toml::from_str::<toml::Table>(&text).is_ok_and(|t| t.contains_key("workspace")) {
                    return Err(InitError::InsideWorkspace(m.display().to_string()));
                }
            }
        }
    }
    let (mut crate_doc, crate_table) = if at_root {
        (None, root_table)
    } else {
        let (mut doc, table) = Manifest::open(root.join(&krate).join("Cargo.toml"))?;
        doc.shown = rel("Cargo.toml");
        (Some(doc), table)
    };
    let Some(package) = crate_table.get("package").and_then(|p| p.as_table()) else {
        return Err(InitError::NotAPackage(rel("Cargo.toml")));
    };
    let custom_build = package.get("build").map(|b| match b {
        toml::Value::String(s) => toml_string(s),
        toml::Value::Boolean(b) => b.to_string(),
        _ => "...".to_owned(),
    });

    let mut lines = Vec::new();
    let migrations = rel("migrations");
    let migrations_path = root.join(&krate).join("migrations");

    // The directory and its README.
    if migrations_path.is_dir() {
        lines.push(format!("skipped {migrations}/: it exists"));
    } else {
        std::fs::create_dir_all(&migrations_path).map_err(|e| InitError::Write {
            path: migrations.clone(),
            reason: e.to_string(),
        })?;
        lines.push(format!("created {migrations}/"));
    }
    let readme_path = migrations_path.join("README.md");
    if readme_path.exists() {
        lines.push(format!("skipped {migrations}/README.md: it exists"));
    } else {
        create(&readme_path, &readme(&migrations))?;
        lines.push(format!("created {migrations}/README.md"));
    }

    // The build script.
    let track_line = "schema_runtime::build::track_migrations(\"migrations\");";
    let build_path = root.join(&krate).join("build.rs");
    match custom_build {
        Some(script) => lines.push(format!(
            "skipped build.rs: {} sets `build = {script}`; add to its build script's main: {track_line}",
            rel("Cargo.toml")
        )),
        None if build_path.exists() => {
            let text = read(&build_path)?;
            if text.contains(track_line) {
                lines.push(format!("skipped {}: it tracks migrations", rel("build.rs")));
            } else {
                lines.push(format!(
                    "skipped {}: it exists and is not edited; add to its main: {track_line}",
                    rel("build.rs")
                ));
            }
        }
        None => {
            create(
                &build_path,
                &build_script(
                    "migrations",
                    "Rebuilds the crate when a revision file is added to `migrations/`.",
                ),
            )?;
            lines.push(format!("created {}", rel("build.rs")));
        }
    }

    // The dependency lines.
    let app_dep = format!("{{ {source} }}");
    let build_dep = format!("{{ {source}, default-features = false }}");
    {
        let doc = crate_doc.as_mut().unwrap_or(&mut root_doc);
        for (table, value) in [
            ("dependencies", &app_dep),
            ("build-dependencies", &build_dep),
        ] {
            let edit = add_key(&doc.text, table, "schema-runtime", value);
            doc.apply(
                edit,
                &format!("schema-runtime under [{table}]"),
                &format!("under [{table}]: schema-runtime = {value}"),
                &mut lines,
            );
        }
    }

    // The workspace that holds the crate and xtask.
    if is_workspace {
        let edit = add_member(&root_doc.text, "xtask");
        root_doc.apply(
            edit,
            "\"xtask\" in [workspace] members",
            "\"xtask\" to [workspace] members",
            &mut lines,
        );
    } else {
        let edit = add_key(&root_doc.text, "workspace", "members", "[\"xtask\"]");
        root_doc.apply(
            edit,
            "[workspace] members = [\"xtask\"] (the crate and xtask share Cargo.lock and target/)",
            "[workspace] with members = [\"xtask\"]",
            &mut lines,
        );
    }
    root_doc.save()?;
    if let Some(doc) = &crate_doc {
        doc.save()?;
    }

    // The xtask crate.
    let xtask = root.join("xtask");
    let xtask_dir = format!("../{migrations}");
    if xtask.exists() {
        lines.push("skipped xtask/: it exists".to_owned());
    } else {
        let manifest = format!(
            "[package]
name = \"xtask\"
version = \"0.0.0\"
edition = \"2021\"
publish = false

[dependencies]
# `testing` lets `squash` and `new-revision --autogenerate` start a
# throwaway PostgreSQL to build schemas in.
schema-runtime = {{ {source}, features = [\"cli\", \"testing\"] }}

[build-dependencies]
schema-runtime = {build_dep}
"
        );
        create(&xtask.join("Cargo.toml"), &manifest)?;
        create(&xtask.join("build.rs"), &xtask_build_script(&xtask_dir))?;
        create(&xtask.join("src/main.rs"), &xtask_main(&xtask_dir))?;
        lines.push("created xtask/ (Cargo.toml, build.rs, src/main.rs)".to_owned());
    }

    // The alias.
    let alias = "\"run --package xtask --\"";
    let config = root.join(".cargo/config.toml");
    if config.exists() {
        let mut doc = Manifest::open(config)?.0;
        doc.shown = ".cargo/config.toml".to_owned();
        let edit = add_key(&doc.text, "alias", "xtask", alias);
        doc.apply(
            edit,
            "alias xtask",
            &format!("under [alias]: xtask = {alias}"),
            &mut lines,
        );
        doc.save()?;
    } else {
        create(&config, &format!("[alias]\nxtask = {alias}\n"))?;
        lines.push(format!("created .cargo/config.toml: alias xtask = {alias}"));
    }

    // The command line's settings.
    let settings = root.join("migrations.toml");
    if settings.exists() {
        lines.push("skipped migrations.toml: it exists".to_owned());
    } else {
        create(
            &settings,
            &format!(
                "# Settings of `cargo xtask`, read from the directory it runs in.
# The database URL: --database-url, else DATABASE_URL (environment or .env),
# else `database_url` here.
directory = {}
# database_url = \"postgresql://user:password@localhost:5432/app\"
# version_table = \"alembic_version\"
# The desired schema for `new-revision --autogenerate` and `check --autogenerate`.
# schema = \"schema\"
",
                toml_string(&migrations)
            ),
        )?;
        lines.push("created migrations.toml".to_owned());
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEW: &str =
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\n";

    #[test]
    fn a_dependency_goes_under_the_existing_header() {
        let Edit::Done(text) = add_key(NEW, "dependencies", "schema-runtime", "\"0.1\"") else {
            panic!("not edited")
        };
        assert_eq!(text, format!("{NEW}schema-runtime = \"0.1\"\n"));
        assert_eq!(
            add_key(&text, "dependencies", "schema-runtime", "\"0.1\""),
            Edit::Present
        );
    }

    #[test]
    fn a_missing_table_is_appended_and_a_commented_header_is_found() {
        let Edit::Done(text) = add_key(NEW, "build-dependencies", "x", "\"1\"") else {
            panic!("not edited")
        };
        assert!(
            text.ends_with("[dependencies]\n\n[build-dependencies]\nx = \"1\"\n"),
            "{text}"
        );
        let commented = "[dependencies] # ours\nserde = \"1\"\n[features]\n";
        let Edit::Done(text) = add_key(commented, "dependencies", "x", "\"1\"") else {
            panic!("not edited")
        };
        assert_eq!(
            text,
            "[dependencies] # ours\nx = \"1\"\nserde = \"1\"\n[features]\n"
        );
    }

    #[test]
    fn layouts_without_a_plain_header_are_left_for_a_person() {
        // Only dotted sub-tables: no `[dependencies]` line to add under.
        let dotted = "[package]\nname = \"a\"\n[dependencies.serde]\nversion = \"1\"\n";
        assert_eq!(add_key(dotted, "dependencies", "x", "\"1\""), Edit::ByHand);
        assert_eq!(
            add_key("not = toml = at all", "dependencies", "x", "\"1\""),
            Edit::ByHand
        );
    }

    #[test]
    fn workspace_members_gain_xtask_once() {
        let ws = "[workspace]\nresolver = \"2\"\nmembers = [\"app\"]\n";
        let Edit::Done(text) = add_member(ws, "xtask") else {
            panic!("not edited")
        };
        assert_eq!(
            text,
            "[workspace]\nresolver = \"2\"\nmembers = [\"xtask\", \"app\"]\n"
        );
        assert_eq!(add_member(&text, "xtask"), Edit::Present);
        let Edit::Done(text) = add_member("[workspace]\n", "xtask") else {
            panic!("not edited")
        };
        assert_eq!(text, "[workspace]\nmembers = [\"xtask\"]\n");
        let Edit::Done(text) = add_member("[workspace]\nmembers = [\n  \"app\",\n]\n", "xtask")
        else {
            panic!("not edited")
        };
        assert_eq!(
            text,
            "[workspace]\nmembers = [\n  \"xtask\",\n  \"app\",\n]\n"
        );
    }

    #[test]
    fn toml_strings_escape_quotes_and_backslashes() {
        assert_eq!(toml_string("a\"b\\c"), "\"a\\\"b\\\\c\"");
        let parsed: toml::Table =
            toml::from_str(&format!("k = {}", toml_string("a\"b\\c\n"))).unwrap();
        assert_eq!(parsed["k"].as_str(), Some("a\"b\\c\n"));
    }
}
