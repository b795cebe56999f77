//! Rust type names for revisions: from the file's slug, else the message.

use std::collections::HashMap;

use schema_core::Revision;

fn camel(text: &str) -> String {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            let first = cs.next().expect("non-empty").to_ascii_uppercase();
            std::iter::once(first)
                .chain(cs.map(|c| c.to_ascii_lowercase()))
                .collect::<String>()
        })
        .collect()
}

fn base_name(rev: &Revision) -> String {
    let file = rev.path.rsplit('/').next().unwrap_or(&rev.path);
    let stem = file
        .strip_suffix(".sql")
        .or_else(|| file.strip_suffix(".rs"))
        .unwrap_or(file);
    let slug = stem.strip_prefix(&*rev.id).unwrap_or(stem);
    let mut name = camel(slug);
    if name.is_empty() {
        name = camel(
            &rev.message
                .split_whitespace()
                .take(6)
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if name.is_empty() {
        name = format!("Revision_{}", rev.id);
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'R');
    }
    name
}

/// One unique, valid type name per revision, in the same order.
///
/// A name that two revisions would share gets `_<id>` appended on both; so
/// does a name the module needs for itself (`Self`, the marker `Revisions`).
pub fn type_names(revisions: &[Revision]) -> Vec<String> {
    let names: Vec<String> = revisions.iter().map(base_name).collect();
    let mut count: HashMap<&str, usize> = HashMap::new();
    for n in &names {
        *count.entry(n).or_default() += 1;
    }
    names
        .iter()
        .zip(revisions)
        .map(|(n, r)| {
            if count[n.as_str()] > 1 || n == "Self" || n == "Revisions" {
                format!("{n}_{}", r.id)
            } else {
                n.clone()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    // The bench includes this file without a test harness: the tests are
    // gone there, and their helper with them.
    #[allow(dead_code)]
    fn revision(id: &str, file: &str) -> schema_core::Revision {
        let text = format!("-- Revision ID: {id}\n-- Revises:\n-- migrate:upgrade\nSELECT 1;\n-- migrate:downgrade\nSELECT 1;\n");
        schema_core::parse_revision(file, &text).expect("a valid revision")
    }

    #[test]
    fn a_revision_named_like_the_module_marker_gets_its_id_appended() {
        let names = super::type_names(&[revision("a1", "a1_revisions.sql")]);
        assert_eq!(names, ["Revisions_a1"]);
    }

    #[test]
    fn names_come_from_the_file_slug() {
        let names = super::type_names(&[revision("a1", "a1_add_zones.sql")]);
        assert_eq!(names, ["AddZones"]);
    }
}
