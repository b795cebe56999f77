//! `lint`, and the lint step of `check`: squawk's findings over the
//! directory's revisions, from the same code `migrations!()` runs
//! (`schema_core::lint`), with the `[lint]` table of the config file.

use schema_core::lint::{lint_set, Finding, LintConfig, Severity};
use schema_core::MigrationSet;

use super::output::out_line;
use super::{Context, Failure, Format};

/// The config file's `[lint]` table, `--lint-from` over it.
fn config(ctx: &Context, lint_from: Option<String>) -> Result<LintConfig, Failure> {
    let mut config = match &ctx.config.lint {
        Some(table) => table.clone().try_into::<LintConfig>().map_err(|e| {
            Failure::new(format!(
                "error: invalid [lint] table in the config file: {e}"
            ))
        })?,
        None => LintConfig::default(),
    };
    if lint_from.is_some() {
        config.lint_from = lint_from;
    }
    Ok(config)
}

fn findings(
    ctx: &Context,
    set: &MigrationSet,
    lint_from: Option<String>,
) -> Result<Vec<Finding>, Failure> {
    let config = config(ctx, lint_from)?;
    lint_set(set, &config).map_err(|e| Failure::new(format!("error: {e}")))
}

fn json(f: &Finding) -> serde_json::Value {
    serde_json::json!({
        "revision": f.revision,
        "path": f.path,
        "section": f.section.as_str(),
        "line": f.line,
        "column": f.column,
        "rule": f.rule,
        "message": f.message,
        "help": f.help,
        "severity": f.severity.as_str(),
    })
}

fn print(findings: &[Finding]) -> Result<(), Failure> {
    for f in findings {
        out_line(format_args!("{}: {}", f.severity.as_str(), f.text()))?;
    }
    Ok(())
}

/// Exit status 1 when a finding is of a denied rule.
fn verdict(findings: &[Finding]) -> Result<(), Failure> {
    let denied = findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .count();
    if denied == 0 {
        Ok(())
    } else {
        Err(Failure::with_help(
            format!("{denied} finding(s) of denied rules"),
            "fix the SQL, or put `-- squawk-ignore <rule>` with the reason on the line above it",
        ))
    }
}

/// `lint [--lint-from REV]`: every finding, as text or JSON; exit 1 when a
/// denied rule is broken.
pub(super) fn command(ctx: &Context, lint_from: Option<String>) -> Result<(), Failure> {
    let set = ctx.load()?;
    let findings = findings(ctx, &set, lint_from)?;
    if ctx.global.format == Format::Json {
        let all: Vec<_> = findings.iter().map(json).collect();
        out_line(format_args!("{}", serde_json::Value::Array(all)))?;
    } else {
        print(&findings)?;
        out_line(format_args!(
            "{}: {} finding(s) in {} revision(s)",
            ctx.display_dir(),
            findings.len(),
            set.len()
        ))?;
    }
    verdict(&findings)
}

/// The lint step of `check`: findings printed, denied ones fail the check.
pub(super) fn in_check(ctx: &Context, set: &MigrationSet) -> Result<(), Failure> {
    let findings = findings(ctx, set, None)?;
    print(&findings)?;
    verdict(&findings)
}
