//! `new-revision`: writes a revision file from the template.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use schema_core::parse::validate_id;

/// A fresh 12-hex-digit id, as Alembic makes them.
///
/// # Examples
///
/// ```
/// use schema_runtime::cli::new_revision::fresh_id;
///
/// let id = fresh_id();
/// assert_eq!(id.len(), 12);
/// assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
/// assert_ne!(id, fresh_id());
/// ```
pub fn fresh_id() -> String {
    let mut bytes = [0u8; 6];
    let random = std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes));
    if random.is_err() {
        // No /dev/urandom: the clock and the process id still make a collision unlikely.
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let seed = schema_core::checksum(&format!("{nanos}-{}", std::process::id()));
        bytes.copy_from_slice(&seed[..6]);
    }
    schema_core::hex(&bytes)
}

/// `YYYY-MM-DD HH:MM:SS.ffffff` in UTC, as Alembic's `Create Date`.
///
/// # Examples
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use schema_runtime::cli::new_revision::create_date;
///
/// let now = UNIX_EPOCH + Duration::from_micros(1_766_221_042_415_263);
/// assert_eq!(create_date(now), "2025-12-20 08:57:22.415263");
/// ```
pub fn create_date(now: SystemTime) -> String {
    let d = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let secs = d.as_secs() as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}.{:06}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        d.subsec_micros()
    )
}

/// The file-name slug of a message: lowercase words joined by `_`.
///
/// # Examples
///
/// ```
/// use schema_runtime::cli::new_revision::slug;
///
/// assert_eq!(slug("Add zones: 001 camera zones!"), "add_zones_001_camera_zones");
/// assert_eq!(slug("..."), "");
/// ```
pub fn slug(message: &str) -> String {
    let words: Vec<String> = message
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut s = String::new();
    for w in words {
        if s.len() + w.len() > 40 {
            break;
        }
        if !s.is_empty() {
            s.push('_');
        }
        s.push_str(&w);
    }
    s
}

/// What to write.
///
/// # Examples
///
/// ```
/// use schema_runtime::cli::new_revision::NewRevision;
///
/// let parents = ["968b0dff6a9b".to_owned()];
/// let new = NewRevision {
///     message: "Add zones", id: "a1b2c3d4e5f6", revises: &parents, branch_labels: &[],
///     depends_on: &[], non_transactional: false, irreversible: false,
///     create_date: "2025-12-21 10:00:00.000000",
///     upgrade: "CREATE TABLE zones (id int);\n",
///     downgrade: "DROP TABLE zones;\n",
/// };
/// let r = schema_runtime::core::parse_revision("new.sql", &new.render()).unwrap();
/// assert_eq!((&*r.id, &*r.message, &*r.down_revisions[0]), ("a1b2c3d4e5f6", "Add zones", "968b0dff6a9b"));
/// let dir = std::env::temp_dir().join(format!("new-revision-{}", std::process::id()));
/// let path = new.write(&dir)?;
/// assert!(path.ends_with("a1b2c3d4e5f6_add_zones.sql"));
/// assert!(new.write(&dir).is_err(), "never overwrites");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), String>(())
/// ```
pub struct NewRevision<'a> {
    /// The message (first header paragraph).
    pub message: &'a str,
    /// The id.
    pub id: &'a str,
    /// The parents: none for the base, several for a merge revision.
    pub revises: &'a [String],
    /// Branch labels for the branch this revision starts.
    pub branch_labels: &'a [String],
    /// Revisions to apply first that are not parents.
    pub depends_on: &'a [String],
    /// The `non-transactional` option.
    pub non_transactional: bool,
    /// The `irreversible` option.
    pub irreversible: bool,
    /// The `Create Date`.
    pub create_date: &'a str,
    /// The upgrade section's SQL (empty in a template).
    pub upgrade: &'a str,
    /// The downgrade section's SQL (empty in a template; not written for
    /// an irreversible revision).
    pub downgrade: &'a str,
}

impl NewRevision<'_> {
    /// The file's text.
    pub fn render(&self) -> String {
        let mut options = Vec::new();
        if self.non_transactional {
            options.push("non-transactional");
        }
        if self.irreversible {
            options.push("irreversible");
        }
        let options = if options.is_empty() {
            String::new()
        } else {
            format!("-- Options: {}\n", options.join(", "))
        };
        let mut extra = String::new();
        if !self.branch_labels.is_empty() {
            extra.push_str(&format!(
                "-- Branch Labels: {}\n",
                self.branch_labels.join(", ")
            ));
        }
        if !self.depends_on.is_empty() {
            extra.push_str(&format!("-- Depends On: {}\n", self.depends_on.join(", ")));
        }
        let downgrade = if self.irreversible {
            String::new()
        } else {
            format!("\n-- migrate:downgrade\n\n{}", self.downgrade)
        };
        format!(
            "-- {}\n--\n-- Revision ID: {}\n-- Revises: {}\n-- Create Date: {}\n{extra}{options}\n-- migrate:upgrade\n\n{}{downgrade}",
            self.message.replace('\n', " "),
            self.id,
            self.revises.join(", "),
            self.create_date,
            self.upgrade
        )
    }

    /// Writes `<dir>/<id>_<slug>.sql`, refusing to overwrite.
    pub fn write(&self, dir: &Path) -> Result<PathBuf, String> {
        validate_id(self.id)
            .map_err(|reason| format!("error: invalid revision id `{}`: {reason}", self.id))?;
        let s = slug(self.message);
        let name = if s.is_empty() {
            format!("{}.sql", self.id)
        } else {
            format!("{}_{s}.sql", self.id)
        };
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("error: cannot create {}: {e}", dir.display()))?;
        let path = dir.join(name);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| format!("error: cannot create {}: {e}", path.display()))?;
        std::io::Write::write_all(&mut file, self.render().as_bytes())
            .map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn fresh_ids_are_twelve_hex_digits_and_differ() {
        let (a, b) = (fresh_id(), fresh_id());
        assert_eq!(a.len(), 12);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn create_dates_are_utc_calendar_dates() {
        assert_eq!(create_date(UNIX_EPOCH), "1970-01-01 00:00:00.000000");
        let t = UNIX_EPOCH + Duration::from_micros(1_766_928_000_123_456);
        assert_eq!(create_date(t), "2025-12-28 13:20:00.123456");
        let leap = UNIX_EPOCH + Duration::from_secs(951_782_400);
        assert_eq!(create_date(leap), "2000-02-29 00:00:00.000000");
    }

    #[test]
    fn slugs_are_lowercase_words() {
        assert_eq!(
            slug("Add zones: camera regions!"),
            "add_zones_camera_regions"
        );
        assert_eq!(slug("   "), "");
    }

    #[test]
    fn the_template_parses_as_a_revision() {
        let text = NewRevision {
            message: "add things",
            id: "abcdef012345",
            revises: &["add_baselines".to_owned()],
            branch_labels: &[],
            depends_on: &[],
            non_transactional: true,
            irreversible: false,
            create_date: "2026-01-01 00:00:00.000000",
            upgrade: "",
            downgrade: "",
        }
        .render();
        let r = schema_core::parse_revision("x.sql", &text).unwrap();
        assert_eq!(r.message, "add things");
        assert_eq!(r.down_revisions[..], ["add_baselines"]);
        assert!(r.options.non_transactional && r.downgrade.is_some());
    }

    #[test]
    fn a_merge_template_names_both_parents_and_parses() {
        let text = NewRevision {
            message: "merge heads",
            id: "abcdef012346",
            revises: &["a1".to_owned(), "b1".to_owned()],
            branch_labels: &["audit".to_owned()],
            depends_on: &["c1".to_owned()],
            non_transactional: false,
            irreversible: false,
            create_date: "2026-01-01 00:00:00.000000",
            upgrade: "",
            downgrade: "",
        }
        .render();
        let r = schema_core::parse_revision("x.sql", &text).unwrap();
        assert_eq!(r.down_revisions[..], ["a1", "b1"]);
        assert_eq!(r.branch_labels[..], ["audit"]);
        assert_eq!(r.depends_on[..], ["c1"]);
        assert!(r.upgrade.is_empty());
    }
}
