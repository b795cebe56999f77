//! Dangerous DDL in a chain's revisions, found by squawk's linter.
//!
//! The chain check proves that the revisions form a valid history; this module
//! looks inside them for SQL that is valid but hurts a live database: an index
//! built without `CONCURRENTLY`, a `NOT NULL` column added without a default, a
//! foreign key without `NOT VALID`, a rewrite of a whole table. The rules are
//! squawk's (`squawk-linter`); what this module adds is what a single file
//! cannot know: which revisions are already applied everywhere (`lint_from`),
//! whether a revision runs inside a transaction (its `non-transactional`
//! option), and the target PostgreSQL version (the configuration).
//!
//! The macro and the command line both call [`lint_set`], so a build and
//! `lint` report the same findings. SQL that squawk cannot parse is one
//! warning ([`SYNTAX_RULE`]), never an error.

use std::collections::HashSet;
use std::str::FromStr;

use squawk_linter::{Linter, Rule, Version};

use crate::{MigrationSet, Revision, Section};

/// The pseudo-rule of a finding for SQL that squawk cannot parse. Always a
/// warning: the server, not the linter, is the judge of what is valid SQL.
///
/// ```
/// # use schema_core::lint::*;
/// # let a = schema_core::parse_revision("m/a.sql", "-- Revision ID: a\n-- Revises:\n-- migrate:upgrade\nCREATE TABLE t (id bigint);\n-- migrate:downgrade\nDROP TABLE t;\n").unwrap();
/// # let b = schema_core::parse_revision("m/b.sql", "-- Revision ID: b\n-- Revises: a\n-- migrate:upgrade\nCREATE INDEX ON;\n-- migrate:downgrade\nDROP INDEX t_id;\n").unwrap();
/// # let set = schema_core::check(vec![a, b], "m").unwrap();
/// // SQL squawk cannot parse is one warning of this rule, never an error.
/// let findings = lint_set(&set, &LintConfig::default()).unwrap();
/// assert!(findings.iter().any(|f| f.rule == SYNTAX_RULE && f.severity == Severity::Warning));
/// ```
pub const SYNTAX_RULE: &str = "syntax-error";

/// The pseudo-rule of a finding for a section on which squawk's linter
/// panicked: a warning, so that a fault of the linter never fails a build.
///
/// ```
/// assert_eq!(schema_core::lint::LINTER_FAILURE_RULE, "linter-failure");
/// ```
pub const LINTER_FAILURE_RULE: &str = "linter-failure";

/// What to lint and how loudly (the `[lint]` table of `migrations.toml`, or
/// the macro's arguments).
///
/// ```
/// use schema_core::lint::LintConfig;
///
/// let config = LintConfig::from_config_file("[lint]\npg_version = \"16\"\nexclude = [\"prefer-bigint-over-int\"]\n").unwrap();
/// assert_eq!(config.pg_version.as_deref(), Some("16"));
/// assert!(config.enabled && config.exclude == ["prefer-bigint-over-int"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LintConfig {
    /// `enabled = false` turns linting off.
    pub enabled: bool,
    /// `lint_from = "<rev>"`: only the revisions that come after this one in
    /// application order are linted (those up to it are applied everywhere).
    pub lint_from: Option<String>,
    /// `pg_version = "15"`: the PostgreSQL version the revisions target.
    pub pg_version: Option<String>,
    /// `include = [...]`: squawk's opt-in rules to switch on.
    pub include: Vec<String>,
    /// `exclude = [...]`: rules to switch off.
    pub exclude: Vec<String>,
    /// `deny = [...]`: rules whose findings are errors rather than warnings.
    pub deny: Vec<String>,
    /// `downgrade_removals = true`: report the [`REMOVAL_RULES`] in downgrade
    /// sections too. Off by default: a downgrade exists to remove what its
    /// upgrade added.
    pub downgrade_removals: bool,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig {
            enabled: true,
            lint_from: None,
            pg_version: None,
            include: Vec::new(),
            exclude: Vec::new(),
            deny: Vec::new(),
            downgrade_removals: false,
        }
    }
}

/// `migrations.toml` seen by the linter: its `[lint]` table, other keys ignored.
#[derive(serde::Deserialize)]
struct ConfigFile {
    #[serde(default)]
    lint: LintConfig,
}

impl LintConfig {
    /// The `[lint]` table of a `migrations.toml` (the defaults when it has none).
    pub fn from_config_file(text: &str) -> Result<LintConfig, LintFileError> {
        toml::from_str::<ConfigFile>(text)
            .map(|f| f.lint)
            .map_err(|e| LintFileError(e.to_string()))
    }
}

/// A `migrations.toml` whose `[lint]` table cannot be read.
///
/// ```
/// let err = schema_core::lint::LintConfig::from_config_file("[lint]\nenabld = false\n").unwrap_err();
/// assert!(err.to_string().starts_with("invalid [lint] table"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid [lint] table: {0}")]
pub struct LintFileError(pub String);

/// How a finding is reported.
///
/// ```
/// # use schema_core::lint::*;
/// # let a = schema_core::parse_revision("m/a.sql", "-- Revision ID: a\n-- Revises:\n-- migrate:upgrade\nCREATE TABLE t (id bigint);\n-- migrate:downgrade\nDROP TABLE t;\n").unwrap();
/// # let b = schema_core::parse_revision("m/b.sql", "-- Revision ID: b\n-- Revises: a\n-- migrate:upgrade\nCREATE INDEX t_id ON t (id);\n-- migrate:downgrade\nDROP INDEX t_id;\n").unwrap();
/// # let set = schema_core::check(vec![a, b], "m").unwrap();
/// let findings = lint_set(&set, &LintConfig::default()).unwrap();
/// // Nothing is denied by default: every finding is a warning.
/// assert!(findings.iter().all(|f| f.severity == Severity::Warning && f.severity.as_str() == "warning"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// A compiler warning; exit status 0 from `lint`.
    Warning,
    /// A compile error (the rule is in `deny`); exit status 1 from `lint`.
    Error,
}

impl Severity {
    /// `"warning"` or `"error"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Which part of a revision file a finding is in.
///
/// ```
/// # use schema_core::lint::*;
/// # let a = schema_core::parse_revision("m/a.sql", "-- Revision ID: a\n-- Revises:\n-- migrate:upgrade\nCREATE TABLE t (id bigint);\n-- migrate:downgrade\nDROP TABLE t;\n").unwrap();
/// # let b = schema_core::parse_revision("m/b.sql", "-- Revision ID: b\n-- Revises: a\n-- migrate:upgrade\nCREATE INDEX t_id ON t (id);\n-- migrate:downgrade\nDROP INDEX t_id;\n").unwrap();
/// # let set = schema_core::check(vec![a, b], "m").unwrap();
/// let config = LintConfig { downgrade_removals: true, ..LintConfig::default() };
/// let findings = lint_set(&set, &config).unwrap();
/// assert!(findings.iter().any(|f| f.section == SectionKind::Downgrade && f.section.as_str() == "downgrade"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SectionKind {
    /// The `-- migrate:up` part.
    Upgrade,
    /// The `-- migrate:down` part.
    Downgrade,
}

impl SectionKind {
    /// `"upgrade"` or `"downgrade"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Upgrade => "upgrade",
            SectionKind::Downgrade => "downgrade",
        }
    }
}

/// One rule broken at one place of one revision file.
///
/// ```
/// # use schema_core::lint::*;
/// # let a = schema_core::parse_revision("m/a.sql", "-- Revision ID: a\n-- Revises:\n-- migrate:upgrade\nCREATE TABLE t (id bigint);\n-- migrate:downgrade\nDROP TABLE t;\n").unwrap();
/// # let b = schema_core::parse_revision("m/b.sql", "-- Revision ID: b\n-- Revises: a\n-- migrate:upgrade\nCREATE INDEX t_id ON t (id);\n-- migrate:downgrade\nDROP INDEX t_id;\n").unwrap();
/// # let set = schema_core::check(vec![a, b], "m").unwrap();
/// let findings = lint_set(&set, &LintConfig::default()).unwrap();
/// let f = findings.iter().find(|f| f.rule == "require-concurrent-index-creation").unwrap();
/// assert!(f.text().starts_with("m/b.sql:4:1: "), "{}", f.text());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The revision's id.
    pub revision: String,
    /// The file, as the chain check displays it.
    pub path: String,
    /// The section the SQL is in.
    pub section: SectionKind,
    /// 1-based line in the file.
    pub line: u32,
    /// 1-based column (in characters).
    pub column: u32,
    /// squawk's name of the rule (`require-concurrent-index-creation`), or
    /// [`SYNTAX_RULE`].
    pub rule: String,
    /// What is wrong.
    pub message: String,
    /// What to do instead, when squawk says.
    pub help: Option<String>,
    /// Warning, or error for a denied rule.
    pub severity: Severity,
}

impl Finding {
    /// The one-paragraph text the compiler and the CLI print:
    /// `path:line:col: rule: message; help: ...`.
    pub fn text(&self) -> String {
        let mut s = format!(
            "{}:{}:{}: {} (squawk `{}`, revision `{}`, {})",
            self.path,
            self.line,
            self.column,
            self.message,
            self.rule,
            self.revision,
            self.section.as_str()
        );
        if let Some(help) = &self.help {
            s.push_str("; help: ");
            s.push_str(help.trim_end_matches('.'));
        }
        if self.rule != SYNTAX_RULE && self.rule != LINTER_FAILURE_RULE {
            s.push_str(&format!(
                "; to accept it, put `-- squawk-ignore {}` with the reason on the line above",
                self.rule
            ));
        }
        s
    }
}

/// Why a lint configuration cannot be used.
///
/// ```
/// # use schema_core::lint::*;
/// # let a = schema_core::parse_revision("m/a.sql", "-- Revision ID: a\n-- Revises:\n-- migrate:upgrade\nCREATE TABLE t (id bigint);\n-- migrate:downgrade\nDROP TABLE t;\n").unwrap();
/// # let b = schema_core::parse_revision("m/b.sql", "-- Revision ID: b\n-- Revises: a\n-- migrate:upgrade\nCREATE INDEX t_id ON t (id);\n-- migrate:downgrade\nDROP INDEX t_id;\n").unwrap();
/// # let set = schema_core::check(vec![a, b], "m").unwrap();
/// let config = LintConfig { deny: vec!["no-such-rule".into()], ..LintConfig::default() };
/// assert!(matches!(lint_set(&set, &config), Err(LintConfigError::UnknownRule { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LintConfigError {
    /// A rule name squawk does not know.
    #[error("unknown squawk rule `{name}` in `{key}` (rule names look like `require-concurrent-index-creation`)")]
    UnknownRule {
        /// The name as written.
        name: String,
        /// The key it appeared under (`deny`, `include`, `exclude`).
        key: &'static str,
    },
    /// `pg_version` is not a version number.
    #[error("`pg_version = \"{0}\"` is not a PostgreSQL version (e.g. \"15\" or \"16.2\")")]
    PgVersion(String),
    /// `lint_from` names no revision of the chain.
    #[error("`lint_from = \"{0}\"` names no revision of the chain")]
    UnknownLintFrom(String),
}

fn rules(names: &[String], key: &'static str) -> Result<Vec<Rule>, LintConfigError> {
    names
        .iter()
        .map(|n| {
            Rule::from_str(n).map_err(|_| LintConfigError::UnknownRule {
                name: n.clone(),
                key,
            })
        })
        .collect()
}

/// Rules off unless `include` names them: the runtime sets `lock_timeout`
/// itself (`--ddl-lock-timeout-ms`), so a revision need not.
///
/// ```
/// # use schema_core::lint::*;
/// # let a = schema_core::parse_revision("m/a.sql", "-- Revision ID: a\n-- Revises:\n-- migrate:upgrade\nCREATE TABLE t (id bigint);\n-- migrate:downgrade\nDROP TABLE t;\n").unwrap();
/// # let b = schema_core::parse_revision("m/b.sql", "-- Revision ID: b\n-- Revises: a\n-- migrate:upgrade\nCREATE INDEX t_id ON t (id);\n-- migrate:downgrade\nDROP INDEX t_id;\n").unwrap();
/// # let set = schema_core::check(vec![a, b], "m").unwrap();
/// let findings = lint_set(&set, &LintConfig::default()).unwrap();
/// assert!(findings.iter().all(|f| !OFF_BY_DEFAULT.contains(&f.rule.as_str())));
/// ```
pub const OFF_BY_DEFAULT: &[&str] = &["require-lock-timeout", "require-statement-timeout"];

/// Rules about removing or renaming what the running application uses: not
/// reported in downgrade sections unless `downgrade_removals` is true, since
/// undoing its upgrade is what a downgrade is for. Locking rules such as
/// `require-concurrent-index-deletion` are not among them: a downgrade runs
/// on a live database too.
///
/// ```
/// # use schema_core::lint::*;
/// # let a = schema_core::parse_revision("m/a.sql", "-- Revision ID: a\n-- Revises:\n-- migrate:upgrade\nCREATE TABLE t (id bigint);\n-- migrate:downgrade\nDROP TABLE t;\n").unwrap();
/// # let b = schema_core::parse_revision("m/b.sql", "-- Revision ID: b\n-- Revises: a\n-- migrate:upgrade\nCREATE INDEX t_id ON t (id);\n-- migrate:downgrade\nDROP INDEX t_id;\n").unwrap();
/// # let set = schema_core::check(vec![a, b], "m").unwrap();
/// // `DROP TABLE t` undoes `a`'s upgrade: not reported unless asked for.
/// let quiet = lint_set(&set, &LintConfig::default()).unwrap();
/// assert!(!quiet.iter().any(|f| REMOVAL_RULES.contains(&f.rule.as_str())));
/// ```
pub const REMOVAL_RULES: &[&str] = &[
    "ban-drop-column",
    "ban-drop-constraint",
    "ban-drop-database",
    "ban-drop-default",
    "ban-drop-domain",
    "ban-drop-extension",
    "ban-drop-function",
    "ban-drop-generated-expression",
    "ban-drop-index",
    "ban-drop-not-null",
    "ban-drop-policy",
    "ban-drop-schema",
    "ban-drop-sequence",
    "ban-drop-table",
    "ban-drop-trigger",
    "ban-drop-type",
    "ban-drop-view",
    "renaming-column",
    "renaming-object",
    "renaming-table",
];

/// A configuration checked against squawk's rule names and a chain.
struct Prepared {
    include: Vec<Rule>,
    exclude: Vec<Rule>,
    deny: HashSet<String>,
    version: Option<Version>,
    first: usize,
    downgrade_removals: bool,
}

impl LintConfig {
    fn prepare(&self, set: &MigrationSet) -> Result<Prepared, LintConfigError> {
        let include = rules(&self.include, "include")?;
        let mut exclude = rules(&self.exclude, "exclude")?;
        for name in OFF_BY_DEFAULT {
            let rule = Rule::from_str(name).expect("a squawk rule");
            if !include.contains(&rule) {
                exclude.push(rule);
            }
        }
        let deny = rules(&self.deny, "deny")?
            .into_iter()
            .map(|r| r.to_string())
            .collect();
        let version = self
            .pg_version
            .as_deref()
            .map(|v| Version::from_str(v).map_err(|_| LintConfigError::PgVersion(v.to_owned())))
            .transpose()?;
        let first = match &self.lint_from {
            None => 0,
            Some(id) => {
                set.position(id)
                    .ok_or_else(|| LintConfigError::UnknownLintFrom(id.clone()))?
                    + 1
            }
        };
        Ok(Prepared {
            include,
            exclude,
            deny,
            version,
            first,
            downgrade_removals: self.downgrade_removals,
        })
    }
}

/// Lints every section of every revision of `set` that `config` selects, in
/// application order. Nothing when `config.enabled` is false.
///
/// ```
/// use schema_core::lint::{lint_set, LintConfig, SectionKind, Severity};
///
/// let a = schema_core::parse_revision("m/a.sql", "-- Revision ID: a\n-- Revises:\n-- migrate:upgrade\nCREATE TABLE t (id bigint);\n-- migrate:downgrade\nDROP TABLE t;\n").unwrap();
/// let b = schema_core::parse_revision("m/b.sql", "-- Revision ID: b\n-- Revises: a\n-- migrate:upgrade\nCREATE INDEX t_id ON t (id);\n-- migrate:downgrade\nDROP INDEX t_id;\n").unwrap();
/// let set = schema_core::check(vec![a, b], "m").unwrap();
/// // `t` exists before `b`, so its index blocks writes while it builds.
/// let config = LintConfig { deny: vec!["require-concurrent-index-creation".into()], ..LintConfig::default() };
/// let findings = lint_set(&set, &config).unwrap();
/// let f = findings.iter().find(|f| f.rule == "require-concurrent-index-creation").unwrap();
/// assert_eq!((f.revision.as_str(), f.section, f.line, f.severity), ("b", SectionKind::Upgrade, 4, Severity::Error));
/// ```
pub fn lint_set(set: &MigrationSet, config: &LintConfig) -> Result<Vec<Finding>, LintConfigError> {
    let prepared = config.prepare(set)?;
    if !config.enabled {
        return Ok(Vec::new());
    }
    let mut findings = Vec::new();
    for revision in set.revisions().iter().skip(prepared.first) {
        lint_revision(revision, &prepared, &mut findings);
    }
    Ok(findings)
}

fn lint_revision(revision: &Revision, prepared: &Prepared, out: &mut Vec<Finding>) {
    let sections = std::iter::once((SectionKind::Upgrade, &revision.upgrade)).chain(
        revision
            .downgrade
            .as_ref()
            .map(|d| (SectionKind::Downgrade, d)),
    );
    for (kind, section) in sections {
        let mut found = Vec::new();
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            lint_section(revision, kind, section, prepared, &mut found);
        }));
        if run.is_err() {
            found = vec![Finding {
                revision: revision.id.to_string(),
                path: revision.path.to_string(),
                section: kind,
                line: section.line,
                column: 1,
                rule: LINTER_FAILURE_RULE.to_owned(),
                message: "squawk's linter failed on this section, so it is not linted".to_owned(),
                help: None,
                severity: Severity::Warning,
            }];
        }
        out.append(&mut found);
    }
}

fn lint_section(
    revision: &Revision,
    kind: SectionKind,
    section: &Section,
    prepared: &Prepared,
    out: &mut Vec<Finding>,
) {
    let sql: &str = &section.sql;
    let finding = |offset: usize, rule: String, message: String, help: Option<String>| {
        let (line, column) = position(sql, offset);
        let severity = if prepared.deny.contains(&rule) {
            Severity::Error
        } else {
            Severity::Warning
        };
        Finding {
            revision: revision.id.to_string(),
            path: revision.path.to_string(),
            section: kind,
            line: section.line + line,
            column,
            rule,
            message,
            help,
            severity,
        }
    };
    let parse = squawk_syntax::SourceFile::parse(sql);
    if let Some(error) = parse.errors().first() {
        // A partial tree would give findings about SQL that is not there.
        let offset = u32::from(error.range().start()) as usize;
        let mut f = finding(
            offset,
            SYNTAX_RULE.to_owned(),
            format!(
                "squawk cannot parse this SQL ({}), so it is not linted",
                error.message()
            ),
            None,
        );
        f.severity = Severity::Warning;
        out.push(f);
        return;
    }
    let mut linter = Linter::with_rules(&prepared.include, &prepared.exclude);
    if let Some(v) = prepared.version {
        linter.settings.pg_version = v;
    }
    // The runtime wraps a transactional revision in a transaction of its own.
    linter.settings.assume_in_transaction = !revision.options.non_transactional;
    for v in linter.lint(&parse, sql) {
        let rule = v.code.to_string();
        if kind == SectionKind::Downgrade
            && !prepared.downgrade_removals
            && REMOVAL_RULES.contains(&rule.as_str())
        {
            continue;
        }
        let offset = u32::from(v.text_range.start()) as usize;
        out.push(finding(offset, rule, v.message, v.help));
    }
}

/// 0-based line and 1-based column (in characters) of byte `offset` of `text`.
fn position(text: &str, offset: usize) -> (u32, u32) {
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() as u32;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(files: &[(&str, &str)]) -> MigrationSet {
        let sources: Vec<crate::SourceFile> = files
            .iter()
            .map(|(name, text)| crate::SourceFile {
                path: name.into(),
                display: format!("m/{name}"),
                text: (*text).to_owned(),
            })
            .collect();
        crate::load::check_sources(&sources, "m").expect("a valid chain")
    }

    fn rev(id: &str, revises: Option<&str>, options: &str, up: &str) -> String {
        let revises = revises.unwrap_or("");
        format!(
            "-- {id}\n--\n-- Revision ID: {id}\n-- Revises: {revises}\n{options}\n-- migrate:upgrade\n{up}\n-- migrate:downgrade\nSELECT 1;\n"
        )
    }

    fn rules(findings: &[Finding]) -> Vec<(&str, u32)> {
        findings.iter().map(|f| (f.rule.as_str(), f.line)).collect()
    }

    #[test]
    fn an_index_built_without_concurrently_on_an_existing_table_is_found_at_its_line() {
        let s = set(&[(
            "a.sql",
            &rev("a", None, "", "SELECT 1;\nCREATE INDEX i ON t (c);"),
        )]);
        let f = lint_set(&s, &LintConfig::default()).unwrap();
        assert_eq!(rules(&f), [("require-concurrent-index-creation", 8)]);
        assert_eq!(f[0].column, 1);
        assert_eq!(f[0].severity, Severity::Warning);
    }

    #[test]
    fn an_index_on_a_table_created_earlier_in_the_same_revision_is_not_found() {
        let s = set(&[(
            "a.sql",
            &rev(
                "a",
                None,
                "",
                "CREATE TABLE t (c text);\nCREATE INDEX i ON t (c);",
            ),
        )]);
        assert_eq!(lint_set(&s, &LintConfig::default()).unwrap(), []);
    }

    #[test]
    fn a_concurrent_index_in_a_non_transactional_revision_is_not_found() {
        let s = set(&[(
            "a.sql",
            &rev(
                "a",
                None,
                "-- Options: non-transactional",
                "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (c);",
            ),
        )]);
        assert_eq!(lint_set(&s, &LintConfig::default()).unwrap(), []);
    }

    #[test]
    fn a_concurrent_index_in_a_transactional_revision_is_found() {
        let s = set(&[(
            "a.sql",
            &rev(
                "a",
                None,
                "",
                "SELECT 1;\nCREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (c);",
            ),
        )]);
        let f = lint_set(&s, &LintConfig::default()).unwrap();
        assert_eq!(
            rules(&f),
            [("ban-concurrent-index-creation-in-transaction", 8)]
        );
    }

    #[test]
    fn an_ignore_comment_silences_the_violation_below_it() {
        let s = set(&[(
            "a.sql",
            &rev(
                "a",
                None,
                "",
                "-- squawk-ignore require-concurrent-index-creation -- t is empty\nCREATE INDEX i ON t (c);",
            ),
        )]);
        assert_eq!(lint_set(&s, &LintConfig::default()).unwrap(), []);
    }

    #[test]
    fn a_denied_rule_is_an_error() {
        let s = set(&[("a.sql", &rev("a", None, "", "CREATE INDEX i ON t (c);"))]);
        let config = LintConfig {
            deny: vec!["require-concurrent-index-creation".into()],
            ..LintConfig::default()
        };
        let f = lint_set(&s, &config).unwrap();
        assert_eq!(f[0].severity, Severity::Error);
    }

    #[test]
    fn revisions_up_to_lint_from_are_not_linted() {
        let s = set(&[
            ("a.sql", &rev("a", None, "", "CREATE INDEX i ON t (c);")),
            (
                "b.sql",
                &rev("b", Some("a"), "", "CREATE INDEX j ON t (c);"),
            ),
        ]);
        let config = LintConfig {
            lint_from: Some("a".into()),
            ..LintConfig::default()
        };
        let f = lint_set(&s, &config).unwrap();
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].revision, "b");
    }

    #[test]
    fn an_unknown_lint_from_is_a_configuration_error() {
        let s = set(&[("a.sql", &rev("a", None, "", "SELECT 1;"))]);
        let config = LintConfig {
            lint_from: Some("zz".into()),
            ..LintConfig::default()
        };
        assert_eq!(
            lint_set(&s, &config),
            Err(LintConfigError::UnknownLintFrom("zz".into()))
        );
    }

    #[test]
    fn an_unknown_rule_is_a_configuration_error() {
        let s = set(&[("a.sql", &rev("a", None, "", "SELECT 1;"))]);
        let config = LintConfig {
            deny: vec!["no-such-rule".into()],
            ..LintConfig::default()
        };
        assert!(matches!(
            lint_set(&s, &config),
            Err(LintConfigError::UnknownRule { key: "deny", .. })
        ));
    }

    #[test]
    fn sql_squawk_cannot_parse_is_one_warning_even_when_denied() {
        let s = set(&[("a.sql", &rev("a", None, "", "CREATE INDEX ON ON ON (;"))]);
        let config = LintConfig {
            deny: vec!["require-concurrent-index-creation".into()],
            ..LintConfig::default()
        };
        let f = lint_set(&s, &config).unwrap();
        assert_eq!(rules(&f), [(SYNTAX_RULE, 7)]);
        assert_eq!(f[0].severity, Severity::Warning);
    }

    #[test]
    fn the_lint_table_of_a_config_file_is_read_and_other_keys_ignored() {
        let config = LintConfig::from_config_file(
            "database_url = \"x\"\n[lint]\nlint_from = \"a\"\ndeny = [\"ban-drop-table\"]\npg_version = \"16\"\n",
        )
        .unwrap();
        assert_eq!(
            config,
            LintConfig {
                lint_from: Some("a".into()),
                deny: vec!["ban-drop-table".into()],
                pg_version: Some("16".into()),
                ..LintConfig::default()
            }
        );
    }

    /// Every `.sql` file under `dir`, recursively.
    fn sql_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("readable directory") {
            let path = entry.expect("readable entry").path();
            if path.is_dir() {
                sql_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "sql") {
                out.push(path);
            }
        }
    }

    #[test]
    fn every_revision_file_of_the_repository_is_linted_without_a_panic() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        sql_files(&root.join("migrations"), &mut files);
        sql_files(&root.join("tests/ui"), &mut files);
        let prepared = Prepared {
            include: Vec::new(),
            exclude: Vec::new(),
            deny: HashSet::new(),
            version: None,
            first: 0,
            downgrade_removals: true,
        };
        let mut linted = 0;
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let Ok(revision) = crate::parse_revision(&path.display().to_string(), &text) else {
                continue;
            };
            let mut out = Vec::new();
            lint_revision(&revision, &prepared, &mut out);
            assert!(
                out.iter().all(|f| f.rule != LINTER_FAILURE_RULE),
                "the linter panicked on {}",
                path.display()
            );
            linted += 1;
        }
        assert!(linted > 50, "only {linted} revision files linted");
    }

    #[test]
    fn the_postgresql_version_decides_whether_a_constant_default_rewrites_the_table() {
        let s = set(&[(
            "a.sql",
            &rev(
                "a",
                None,
                "",
                "ALTER TABLE t ADD COLUMN c bigint DEFAULT 10;",
            ),
        )]);
        let on = |v: &str| {
            let config = LintConfig {
                pg_version: Some(v.into()),
                ..LintConfig::default()
            };
            lint_set(&s, &config)
                .unwrap()
                .iter()
                .any(|f| f.rule == "adding-field-with-default")
        };
        assert!(on("10"));
        assert!(!on("15"));
    }

    #[test]
    fn an_unreadable_postgresql_version_is_a_configuration_error() {
        let s = set(&[("a.sql", &rev("a", None, "", "SELECT 1;"))]);
        let config = LintConfig {
            pg_version: Some("fifteen".into()),
            ..LintConfig::default()
        };
        assert_eq!(
            lint_set(&s, &config),
            Err(LintConfigError::PgVersion("fifteen".into()))
        );
    }

    /// A base revision that creates `t` and drops it again in its downgrade.
    fn create_and_drop() -> MigrationSet {
        set(&[(
            "a.sql",
            "-- a\n--\n-- Revision ID: a\n-- Revises:\n\n-- migrate:upgrade\nCREATE TABLE t (c text);\n-- migrate:downgrade\nDROP TABLE t;\n",
        )])
    }

    #[test]
    fn a_downgrade_dropping_what_its_upgrade_created_is_not_found_by_default() {
        assert_eq!(
            lint_set(&create_and_drop(), &LintConfig::default()).unwrap(),
            []
        );
    }

    #[test]
    fn downgrade_removals_reports_drops_in_downgrades() {
        let config = LintConfig {
            downgrade_removals: true,
            ..LintConfig::default()
        };
        let f = lint_set(&create_and_drop(), &config).unwrap();
        assert_eq!(rules(&f), [("ban-drop-table", 9)]);
        assert_eq!(f[0].section, SectionKind::Downgrade);
    }

    #[test]
    fn a_drop_in_an_upgrade_is_found_whatever_downgrade_removals_says() {
        let s = set(&[("a.sql", &rev("a", None, "", "DROP TABLE t;"))]);
        let f = lint_set(&s, &LintConfig::default()).unwrap();
        assert_eq!(rules(&f), [("ban-drop-table", 7)]);
    }

    #[test]
    fn a_lock_rule_in_a_downgrade_is_still_found() {
        let s = set(&[(
            "a.sql",
            "-- a\n--\n-- Revision ID: a\n-- Revises:\n\n-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\nDROP INDEX i;\n",
        )]);
        let f = lint_set(&s, &LintConfig::default()).unwrap();
        assert_eq!(rules(&f), [("require-concurrent-index-deletion", 9)]);
    }

    #[test]
    fn every_removal_rule_is_a_squawk_rule() {
        for name in REMOVAL_RULES {
            assert!(Rule::from_str(name).is_ok(), "{name}");
        }
    }

    #[test]
    fn disabled_linting_finds_nothing() {
        let s = set(&[("a.sql", &rev("a", None, "", "CREATE INDEX i ON t (c);"))]);
        let config = LintConfig {
            enabled: false,
            ..LintConfig::default()
        };
        assert_eq!(lint_set(&s, &config).unwrap(), []);
    }
}
