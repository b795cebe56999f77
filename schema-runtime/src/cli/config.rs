//! Where the command line's settings come from.
//!
//! The database URL is resolved as the seed's Alembic `env.py` does it, with
//! one more step in front: `--database-url`, then `DATABASE_URL` (from the
//! environment, else from `.env`), then `database_url` in the config file
//! (`migrations.toml`), then the default. SQLAlchemy async URLs are normalised.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::url;

/// The URL used when nothing else names one (the seed's default).
pub const DEFAULT_URL: &str = "postgresql://security:password@localhost:5432/security";

/// The config file read from the working directory when `--config` is not given.
pub const DEFAULT_CONFIG: &str = "migrations.toml";

/// The config file's keys (all optional).
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
}

impl ConfigFile {
    /// Reads `path`; a missing default file is an empty config, a missing
    /// explicit one is an error.
    pub fn read(path: &Path, explicit: bool) -> Result<ConfigFile, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                toml::from_str(&text).map_err(|e| format!("error: {}: {e}", path.display()))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                Ok(ConfigFile::default())
            }
            Err(e) => Err(format!("error: cannot read {}: {e}", path.display())),
        }
    }
}

/// Where the URL came from (shown by `current --verbose`).
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

/// `DATABASE_URL` from a `.env` file (`KEY=value`, optional `export `, quotes).
pub fn dotenv_database_url(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    text.lines().find_map(|line| {
        let line = line.trim();
        let line = line.strip_prefix("export ").unwrap_or(line);
        let (k, v) = line.split_once('=')?;
        (k.trim() == "DATABASE_URL").then(|| {
            let v = v.trim();
            v.strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .or_else(|| v.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')))
                .unwrap_or(v)
                .to_owned()
        })
    })
}

/// Resolves the database URL; the result is normalised.
pub fn resolve_url(flag: Option<&str>, config: &ConfigFile, dotenv: &Path) -> (String, UrlSource) {
    let env = std::env::var("DATABASE_URL").ok().filter(|v| !v.is_empty());
    let (raw, source) = if let Some(f) = flag {
        (f.to_owned(), UrlSource::Flag)
    } else if let Some(e) = env {
        (e, UrlSource::Environment)
    } else if let Some(d) = dotenv_database_url(dotenv) {
        (d, UrlSource::DotEnv)
    } else if let Some(c) = &config.database_url {
        (c.clone(), UrlSource::ConfigFile)
    } else {
        (DEFAULT_URL.to_owned(), UrlSource::Default)
    };
    (url::normalize(&raw), source)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dotenv_values_are_read_with_or_without_quotes_and_export() {
        let dir = std::env::temp_dir().join(format!("schema-dotenv-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join(".env");
        for (text, want) in [
            ("DATABASE_URL=postgres://a@h/db\n", "postgres://a@h/db"),
            (
                "# c\nexport DATABASE_URL=\"postgres://b@h/db\"\n",
                "postgres://b@h/db",
            ),
            (
                "OTHER=1\nDATABASE_URL='postgres://c@h/db'",
                "postgres://c@h/db",
            ),
        ] {
            std::fs::write(&f, text).unwrap();
            assert_eq!(dotenv_database_url(&f).as_deref(), Some(want));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_config_file_rejects_unknown_keys() {
        let err = toml::from_str::<ConfigFile>("databse_url = \"x\"").unwrap_err();
        assert!(err.to_string().contains("databse_url"), "{err}");
    }
}
