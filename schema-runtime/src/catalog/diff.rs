//! The difference between two schemas' text forms, as lines a person can
//! read: what the test kit's stairway reports, what `check --database`
//! prints, and what autogenerate's own check shows when a plan falls short.

use std::collections::BTreeMap;
use std::fmt;

use super::Catalog;

impl Catalog {
    /// The difference between this catalog, taken as the expected one, and
    /// `found`, by their [`Catalog::entries`].
    ///
    /// # Examples
    ///
    /// ```
    /// use schema_runtime::catalog::Catalog;
    ///
    /// assert!(Catalog::default().diff(&Catalog::default()).is_empty());
    /// ```
    pub fn diff(&self, found: &Catalog) -> SchemaDiff {
        SchemaDiff::between(&self.entries(), &found.entries())
    }
}

/// One object of a catalog's text form: its name and its definition.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::Object;
///
/// let index = Object { name: "index public.t_idx".into(), definition: "CREATE INDEX ...".into() };
/// assert_eq!(index.to_string(), "index public.t_idx: CREATE INDEX ...");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object {
    /// What names it: its kind and qualified name (`column public.t.c`).
    pub name: String,
    /// Its definition as the catalog gives it.
    pub definition: String,
}

impl fmt::Display for Object {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.name, self.definition)
    }
}

/// An object defined differently in two schemas.
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::Change;
///
/// let c = Change { name: "column public.t.c".into(), expected: "text null".into(), found: "text not null".into() };
/// assert_eq!(c.to_string(), "column public.t.c: text null\n    now: text not null");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// What names it.
    pub name: String,
    /// Its definition in the expected schema.
    pub expected: String,
    /// Its definition in the other.
    pub found: String,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}\n    now: {}",
            self.name, self.expected, self.found
        )
    }
}

/// The difference between the text forms ([`Catalog::entries`]) of an
/// expected schema and another, each part sorted by object name.
///
/// It displays as one line per object, `- ` for what is missing, `+ ` for
/// what is extra and `~ ` for what changed (with the new definition on the
/// next line).
///
/// # Examples
///
/// ```
/// use schema_runtime::catalog::{Object, SchemaDiff};
///
/// let diff = SchemaDiff {
///     extra: vec![Object { name: "index public.t_idx".into(), definition: "CREATE INDEX t_idx ON public.t USING btree (c)".into() }],
///     ..SchemaDiff::default()
/// };
/// assert_eq!(diff.to_string(), "  + index public.t_idx: CREATE INDEX t_idx ON public.t USING btree (c)");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaDiff {
    /// In the expected schema only.
    pub missing: Vec<Object>,
    /// In the other schema only.
    pub extra: Vec<Object>,
    /// In both, defined differently.
    pub changed: Vec<Change>,
}

impl SchemaDiff {
    /// What `found` has that `expected` lacks (`extra`), what it lacks
    /// (`missing`) and what it defines differently (`changed`), between two
    /// text forms.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::collections::BTreeMap;
    /// use schema_runtime::catalog::SchemaDiff;
    ///
    /// let expected = BTreeMap::from([("table public.t".to_owned(), "columns (id)".to_owned())]);
    /// let found = BTreeMap::new();
    /// assert_eq!(SchemaDiff::between(&expected, &found).missing.len(), 1);
    /// ```
    pub fn between(
        expected: &BTreeMap<String, String>,
        found: &BTreeMap<String, String>,
    ) -> SchemaDiff {
        let mut diff = SchemaDiff::default();
        for (name, want) in expected {
            match found.get(name) {
                None => diff.missing.push(Object {
                    name: name.clone(),
                    definition: want.clone(),
                }),
                Some(got) if got != want => diff.changed.push(Change {
                    name: name.clone(),
                    expected: want.clone(),
                    found: got.clone(),
                }),
                Some(_) => {}
            }
        }
        for (name, got) in found {
            if !expected.contains_key(name) {
                diff.extra.push(Object {
                    name: name.clone(),
                    definition: got.clone(),
                });
            }
        }
        diff
    }

    /// How many objects differ.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(schema_runtime::catalog::SchemaDiff::default().len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.missing.len() + self.extra.len() + self.changed.len()
    }

    /// Whether the two schemas are the same.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(schema_runtime::catalog::SchemaDiff::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.changed.is_empty()
    }
}

impl fmt::Display for SchemaDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut lines = Vec::new();
        lines.extend(self.missing.iter().map(|o| format!("  - {o}")));
        lines.extend(self.extra.iter().map(|o| format!("  + {o}")));
        lines.extend(self.changed.iter().map(|c| format!("  ~ {c}")));
        f.write_str(&lines.join("\n"))
    }
}
