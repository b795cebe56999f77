//! The stable text form of a [`Catalog`].

use std::collections::BTreeMap;

use super::Catalog;

impl Catalog {
    /// One line per object: what names it (`column public.t.c`) and its
    /// definition, sorted by name. Two catalogs are equal exactly when their
    /// entries are.
    pub fn entries(&self) -> BTreeMap<String, String> {
        todo!("text form")
    }

    /// The same catalog with every table's columns sorted by name: for
    /// comparisons where column order does not count (`ALTER TABLE ... ADD
    /// COLUMN` can only append).
    pub fn ignoring_column_order(&self) -> Catalog {
        let mut c = self.clone();
        for t in c.tables.values_mut() {
            t.columns.sort_by(|a, b| a.name.cmp(&b.name));
        }
        c
    }
}
