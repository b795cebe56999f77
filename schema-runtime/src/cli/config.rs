//! Where the command line's settings come from.
//!
//! The database URL is resolved as the seed's Alembic `env.py` does it, with
//! one more step in front: `--database-url`, then `DATABASE_URL` (from the
//! environment, else from `.env`), then `database_url` in the config file
//! (`migrations.toml`), then the default. The URL is read by
//! [`DatabaseUrl::parse`]: SQLAlchemy async URLs and libpq `key=value`
//! strings are accepted, and no error quotes it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::url::{self, DatabaseUrl, UrlError};

/// The URL used when nothing else names one (the seed's default).
///
/// ```
/// // The seed project's Alembic default, used when nothing names a database.
/// assert!(schema_runtime::cli::config::DEFAULT_URL.starts_with("postgresql://"));
/// ```
pub const DEFAULT_URL: &str = "postgresql://security:password@localhost:5432/security";

/// The config file read from the working directory when `--config` is not given.
///
/// ```
/// assert_eq!(schema_runtime::cli::config::DEFAULT_CONFIG, "migrations.toml");
/// ```
pub const DEFAULT_CONFIG: &str = "migrations.toml";

/// The config file's keys (all optional).
///
/// # Examples
///
/// ```
/// use schema_runtime::cli::config::ConfigFile;
///
/// let path = std::env::temp_dir().join(format!("migrations-{}.toml", std::process::id()));
/// std::fs::write(&path, "directory = \"db/migrations\"\nlock_timeout_ms = 5000\n")?;
/// let config = ConfigFile::read(&path, true)?;
/// assert_eq!(config.directory.as_deref(), Some("db/migrations".as_ref()));
/// assert_eq!((config.lock_timeout_ms, config.database_url), (Some(5000), None));
/// // A default file that does not exist is an empty config.
/// assert!(ConfigFile::read("no/such/migrations.toml".as_ref(), false)?.directory.is_none());
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// `database_url = "postgresql://..."`
    pub database_url: Option<String>,
    /// `directory = "migrations"`
    pub directory: Option<PathBuf>,
    /// `version_table = "alembic_version"`
    pub version_table: Option<String>,
    /// `version_table_schema = "public"`
    pub version_table_schema: Option<String>,
    /// `lock_timeout_ms = 60000`
    pub lock_timeout_ms: Option<u64>,
    /// `schema = "schema"`: the desired schema that `new-revision
    /// --autogenerate` and `check --autogenerate` compare with the chain's
    /// head (a .sql file or a directory of them).
    pub schema: Option<PathBuf>,
    /// `[lint]`: squawk's settings (docs/LINT.md), read by `lint` and
    /// `check` with the `lint` feature and by `migrations!()`.
    pub lint: Option<toml::Value>,
}

impl ConfigFile {
    /// Reads `path`; a missing default file is an empty config, a missing
    /// explicit one is an error.
    pub fn read(path: &Path, explicit: bool) -> Result<ConfigFile, ConfigError> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| ConfigError::parse(path, &text, &e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                Ok(ConfigFile::default())
            }
            Err(source) => Err(ConfigError::Read {
                path: path.to_owned(),
                source,
            }),
        }
    }
}

/// Why the config file cannot be used.
///
/// # Examples
///
/// ```
/// use schema_runtime::cli::config::{ConfigError, ConfigFile};
///
/// let path = std::env::temp_dir().join(format!("bad-{}.toml", std::process::id()));
/// std::fs::write(&path, "lock_timeout_ms = \"soon\"\n")?;
/// let err = ConfigFile::read(&path, true).unwrap_err();
/// assert!(matches!(err, ConfigError::Parse { line: 1, .. }));
/// let missing = ConfigFile::read("no/such/migrations.toml".as_ref(), true).unwrap_err();
/// assert!(matches!(missing, ConfigError::Read { .. }));
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// It exists (or was named) but cannot be read.
    #[error("error: cannot read {}: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// It is not valid TOML or has keys of the wrong type or name. The
    /// message quotes no line of the file: the line may hold a password.
    #[error("error: {}:{line}:{column}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// 1-based line of the error.
        line: usize,
        /// 1-based column (in characters) of the error.
        column: usize,
        /// The parser's message, with anything that could be a password removed.
        message: String,
    },
}

impl ConfigError {
    fn parse(path: &Path, text: &str, e: &toml::de::Error) -> ConfigError {
        let start = e.span().map_or(0, |s| s.start).min(text.len());
        let start = (0..=start)
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let secrets: Vec<String> = text.lines().flat_map(url::guess_secrets).collect();
        ConfigError::Parse {
            path: path.to_owned(),
            line,
            column,
            message: url::scrub_secrets(e.message().trim_end(), &secrets),
        }
    }
}

/// Where the URL came from (shown by `current --verbose`).
///
/// # Examples
///
/// ```
/// use schema_runtime::cli::config::UrlSource;
///
/// assert_eq!(UrlSource::DotEnv.to_string(), "DATABASE_URL in .env");
/// assert_eq!(UrlSource::Flag.to_string(), "--database-url");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlSource {
    /// `--database-url`.
    Flag,
    /// The `DATABASE_URL` environment variable.
    Environment,
    /// `DATABASE_URL` in `.env`.
    DotEnv,
    /// The config file.
    ConfigFile,
    /// [`DEFAULT_URL`].
    Default,
}

impl std::fmt::Display for UrlSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            UrlSource::Flag => "--database-url",
            UrlSource::Environment => "DATABASE_URL",
            UrlSource::DotEnv => "DATABASE_URL in .env",
            UrlSource::ConfigFile => "the config file",
            UrlSource::Default => "the default",
        })
    }
}

/// What `.env` says about `DATABASE_URL`.
///
/// # Examples
///
/// ```
/// use schema_runtime::cli::config::{read_dotenv, DotEnv};
///
/// assert_eq!(read_dotenv("no/such/.env".as_ref()), DotEnv::default());
/// ```
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DotEnv {
    /// The last `DATABASE_URL=` value, if any.
    pub database_url: Option<String>,
    /// How many lines could not be parsed (and were skipped).
    pub unreadable_lines: usize,
}

/// Reads `DATABASE_URL` from a `.env` file with `dotenvy` (quotes, `export`,
/// comments and `${VAR}` substitution as dotenv tools do). A missing file
/// says nothing; lines that do not parse are counted, never quoted.
///
/// # Examples
///
/// ```
/// use schema_runtime::cli::config::read_dotenv;
///
/// let path = std::env::temp_dir().join(format!("dotenv-{}", std::process::id()));
/// std::fs::write(&path, "# local\nexport DATABASE_URL='postgresql://app@localhost/app'\nBROKEN='\n")?;
/// let found = read_dotenv(&path);
/// assert_eq!(found.database_url.as_deref(), Some("postgresql://app@localhost/app"));
/// assert_eq!(found.unreadable_lines, 1);
/// # std::fs::remove_file(&path)?;
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn read_dotenv(path: &Path) -> DotEnv {
    let mut found = DotEnv::default();
    let Ok(items) = dotenvy::from_path_iter(path) else {
        return found;
    };
    // A read error may repeat; a file has no business holding this many lines.
    for item in items.take(100_000) {
        match item {
            Ok((key, value)) if key == "DATABASE_URL" => found.database_url = Some(value),
            Ok(_) => {}
            Err(_) => found.unreadable_lines += 1,
        }
    }
    found
}

/// The resolved database URL: where it came from, what it reads as, and
/// what to warn about.
///
/// # Examples
///
/// ```
/// use schema_runtime::cli::config::{resolve_url, ConfigFile, UrlSource};
///
/// let resolved = resolve_url(Some("postgresql://app:pw@db/app?pool=5"), &ConfigFile::default(), ".env".as_ref());
/// assert_eq!(resolved.source, UrlSource::Flag);
/// assert_eq!(resolved.url.unwrap().shown(), "postgresql://app:***@db/app");
/// assert!(resolved.secrets.contains(&"pw".to_owned()));
/// assert!(resolved.warnings[0].contains("ignoring `pool`"));
/// ```
#[derive(Debug)]
pub struct ResolvedUrl {
    /// Where the URL came from.
    pub source: UrlSource,
    /// The URL read into its parts, or why it cannot be.
    pub url: Result<DatabaseUrl, UrlError>,
    /// Every form of its password (none for the default URL, whose password
    /// is public).
    pub secrets: Vec<String>,
    /// Warnings to show before connecting.
    pub warnings: Vec<String>,
}

/// Resolves the database URL: `--database-url`, then `DATABASE_URL` (the
/// environment, else `.env`), then the config file, then the default.
///
/// # Examples
///
/// ```
/// use schema_runtime::cli::config::{resolve_url, ConfigFile, UrlSource};
///
/// let config = ConfigFile { database_url: Some("postgresql://cfg@db/app".into()), ..ConfigFile::default() };
/// let from_flag = resolve_url(Some("postgresql://flag@db/app"), &config, ".env".as_ref());
/// assert_eq!(from_flag.source, UrlSource::Flag);
/// if std::env::var_os("DATABASE_URL").is_none() {
///     let from_file = resolve_url(None, &config, "no/such/.env".as_ref());
///     assert_eq!(from_file.source, UrlSource::ConfigFile);
/// }
/// ```
pub fn resolve_url(flag: Option<&str>, config: &ConfigFile, dotenv: &Path) -> ResolvedUrl {
    let mut warnings = Vec::new();
    let env = std::env::var("DATABASE_URL").ok().filter(|v| !v.is_empty());
    let (raw, source) = if let Some(f) = flag {
        (f.to_owned(), UrlSource::Flag)
    } else if let Some(e) = env {
        (e, UrlSource::Environment)
    } else {
        let d = read_dotenv(dotenv);
        if d.unreadable_lines > 0 {
            warnings.push(format!(
                "warning: {}: {} line(s) cannot be parsed and were skipped (an unclosed quote?)",
                dotenv.display(),
                d.unreadable_lines
            ));
        }
        match (
            d.database_url.filter(|v| !v.is_empty()),
            &config.database_url,
        ) {
            (Some(d), _) => (d, UrlSource::DotEnv),
            (None, Some(c)) => (c.clone(), UrlSource::ConfigFile),
            (None, None) => (DEFAULT_URL.to_owned(), UrlSource::Default),
        }
    };
    let parsed = DatabaseUrl::parse(&raw);
    let secrets = if source == UrlSource::Default {
        Vec::new()
    } else {
        url::secrets(&raw)
    };
    if let Ok(u) = &parsed {
        for key in u.ignored_parameters() {
            warnings.push(format!(
                "warning: ignoring `{key}` in the database URL (from {source}): not a connection parameter"
            ));
        }
    }
    ResolvedUrl {
        source,
        url: parsed,
        secrets,
        warnings,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_values_are_read_with_or_without_quotes_and_export() {
        let dir = tempdir();
        let f = dir.join(".env");
        for (text, want) in [
            ("DATABASE_URL=postgres://a@h/db\n", "postgres://a@h/db"),
            (
                "# c\nexport DATABASE_URL=\"postgres://b@h/db\"\n",
                "postgres://b@h/db",
            ),
            (
                "OTHER=1\nDATABASE_URL='postgres://c:p$w@h/db'",
                "postgres://c:p$w@h/db",
            ),
        ] {
            std::fs::write(&f, text).unwrap();
            assert_eq!(read_dotenv(&f).database_url.as_deref(), Some(want));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn unparseable_dotenv_lines_are_counted_and_the_rest_read() {
        let dir = tempdir();
        let f = dir.join(".env");
        std::fs::write(&f, "A='unclosed\nDATABASE_URL=postgres://d@h/db\n").unwrap();
        let d = read_dotenv(&f);
        assert!(d.unreadable_lines > 0, "{d:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_config_parse_error_names_the_place_but_quotes_no_password() {
        let path = Path::new("migrations.toml");
        let text = "directory = \"m\"\ndatabase_url = \"postgres://u:Pw\\q@h/db\"\n";
        let e = toml::from_str::<ConfigFile>(text).unwrap_err();
        let shown = ConfigError::parse(path, text, &e).to_string();
        assert!(shown.starts_with("error: migrations.toml:2:"), "{shown}");
        assert!(!shown.contains("Pw"), "{shown}");
    }

    fn tempdir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "schema-dotenv-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn the_config_file_rejects_unknown_keys() {
        let err = toml::from_str::<ConfigFile>("databse_url = \"x\"").unwrap_err();
        assert!(err.to_string().contains("databse_url"), "{err}");
    }
}
