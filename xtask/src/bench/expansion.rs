//! Timing `migrations!()` where users pay for it: building a crate that
//! embeds a chain (proc-macro expansion plus rustc's work on the expanded
//! module) incrementally after its `main.rs` changes, incrementally after one
//! revision file changes, and from scratch (as a release or CI build does:
//! no incremental cache), each time with its dependencies already built.

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use super::chain;
use super::peers::timed_command;

fn cargo_build(app: &Path, target: &Path) -> Command {
    let mut c = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    c.args(["build", "-q", "--manifest-path"])
        .arg(app.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", target);
    c
}

/// A build without the incremental cache, in a target directory of its own
/// (switching the cache on and off in one directory would rebuild the
/// dependencies).
fn cargo_build_from_scratch(app: &Path, target: &Path) -> Command {
    let mut c = cargo_build(app, &target.with_extension("scratch"));
    c.env("CARGO_INCREMENTAL", "0");
    c
}

/// One measurement per run, or why there is none.
pub type Runs = Result<Vec<Duration>, String>;

/// The three builds [`measure`] times.
pub struct Builds {
    /// Incremental, after `main.rs` changed.
    pub touched: Runs,
    /// Incremental, after one revision file changed.
    pub edited: Runs,
    /// Without the incremental cache, after `main.rs` changed.
    pub scratch: Runs,
}

/// Builds `target/bench/expand/app_<n>` once to warm the dependencies, then
/// `runs` times after touching `main.rs`, `runs` times after editing one
/// revision file, and `runs` times from scratch.
pub fn measure(root: &Path, out_dir: &Path, n: usize, runs: usize) -> Builds {
    let app = out_dir.join(format!("expand/app_{n}"));
    let target = out_dir.join("expand/target");
    let setup = || -> Result<(), String> {
        let _ = std::fs::remove_dir_all(&app);
        std::fs::create_dir_all(app.join("src")).map_err(|e| e.to_string())?;
        let chain_dir = tempfile::tempdir_in(out_dir).map_err(|e| e.to_string())?;
        chain::generate(chain_dir.path(), n).map_err(|e| e.to_string())?;
        std::fs::rename(chain_dir.path().join("ours"), app.join("migrations"))
            .map_err(|e| e.to_string())?;
        let runtime = root.join("schema-runtime");
        std::fs::write(
            app.join("Cargo.toml"),
            format!(
                "[package]\nname = \"bench-app-{n}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
                 [dependencies]\nschema-runtime = {{ path = {runtime:?}, default-features = false }}\n\n\
                 [build-dependencies]\nschema-runtime = {{ path = {runtime:?}, default-features = false }}\n\n\
                 [profile.dev.build-override]\nopt-level = 3\n\n[workspace]\n"
            ),
        )
        .map_err(|e| e.to_string())?;
        std::fs::write(
            app.join("build.rs"),
            "fn main() {\n    schema_runtime::build::track_migrations(\"migrations\");\n}\n",
        )
        .map_err(|e| e.to_string())?;
        std::fs::write(
            app.join("src/main.rs"),
            "schema_runtime::migrations!(\"migrations\");\n\nfn main() {\n    println!(\"{}\", migrations::SET.len());\n}\n",
        )
        .map_err(|e| e.to_string())?;
        timed_command(&mut cargo_build(&app, &target))?;
        timed_command(&mut cargo_build_from_scratch(&app, &target)).map(|_| ())
    };
    if let Err(e) = setup() {
        return Builds {
            touched: Err(e.clone()),
            edited: Err(e.clone()),
            scratch: Err(e),
        };
    }
    let touch = |k: usize, what: &str| {
        std::fs::write(
            app.join("src/main.rs"),
            format!("schema_runtime::migrations!(\"migrations\");\n\n// {what} {k}\nfn main() {{\n    println!(\"{{}}\", migrations::SET.len());\n}}\n"),
        )
        .map_err(|e| e.to_string())
    };
    let touched = (0..runs)
        .map(|k| {
            touch(k, "run")?;
            timed_command(&mut cargo_build(&app, &target))
        })
        .collect();
    let scratch = (0..runs)
        .map(|k| {
            touch(k, "scratch")?;
            timed_command(&mut cargo_build_from_scratch(&app, &target))
        })
        .collect();
    let edited = app.join("migrations/r00000_bench.sql");
    let edited = (0..runs)
        .map(|k| {
            let mut text = std::fs::read_to_string(&edited).map_err(|e| e.to_string())?;
            text.push_str(&format!("-- edit {k}\n"));
            std::fs::write(&edited, text).map_err(|e| e.to_string())?;
            timed_command(&mut cargo_build(&app, &target))
        })
        .collect();
    Builds {
        touched,
        edited,
        scratch,
    }
}

/// The macro's own work at one size, as `cargo bench -p schema-macros
/// --bench expand` reports it (optimised, as this workspace builds proc
/// macros): reading, parsing, checking and writing the tokens.
#[derive(Debug, Clone, PartialEq)]
pub struct MacroAlone {
    /// Revisions in the chain.
    pub n: usize,
    /// Expansions timed.
    pub runs: usize,
    /// Fastest, in milliseconds.
    pub min_ms: f64,
    /// Median, in milliseconds.
    pub median_ms: f64,
    /// Slowest, in milliseconds.
    pub max_ms: f64,
}

/// Runs the macro's expansion bench at `sizes` and reads its table.
pub fn macro_alone(root: &Path, sizes: &[usize], runs: usize) -> Result<Vec<MacroAlone>, String> {
    let sizes: Vec<String> = sizes.iter().map(usize::to_string).collect();
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .current_dir(root)
        .args(["bench", "-q", "-p", "schema-macros", "--bench", "expand"])
        .env("EXPAND_BENCH_SIZES", sizes.join(","))
        .env("EXPAND_BENCH_RUNS", runs.to_string())
        .output()
        .map_err(|e| format!("cannot run cargo bench: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "cargo bench -p schema-macros --bench expand failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let rows = parse_macro_table(&String::from_utf8_lossy(&out.stdout), runs);
    if rows.is_empty() {
        return Err("cargo bench -p schema-macros --bench expand printed no table".into());
    }
    Ok(rows)
}

/// The rows `| n | min ms | median ms | max ms | per revision |` of the
/// expansion bench's output.
fn parse_macro_table(stdout: &str, runs: usize) -> Vec<MacroAlone> {
    stdout
        .lines()
        .filter_map(|line| {
            let cells: Vec<&str> = line
                .trim()
                .trim_matches('|')
                .split('|')
                .map(str::trim)
                .collect();
            let ms = |cell: &str| cell.strip_suffix(" ms")?.parse::<f64>().ok();
            Some(MacroAlone {
                n: cells.first()?.parse().ok()?,
                runs,
                min_ms: ms(cells.get(1)?)?,
                median_ms: ms(cells.get(2)?)?,
                max_ms: ms(cells.get(3)?)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_expansion_bench_table_is_read_row_by_row() {
        let out = "| revisions | min | median | max | per revision |\n|---:|---:|---:|---:|---:|\n\
                   | 100 | 1.8 ms | 1.9 ms | 3.3 ms | 18.3 µs |\n\
                   | 10000 | 205.9 ms | 207.7 ms | 249.7 ms | 20.8 µs |\n";
        let rows = parse_macro_table(out, 5);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[1],
            MacroAlone {
                n: 10000,
                runs: 5,
                min_ms: 205.9,
                median_ms: 207.7,
                max_ms: 249.7
            }
        );
    }
}
