//! Any text as an upgrade/downgrade target or range: no panic, a parsed target
//! prints back to text that parses to the same target, and resolving it on a
//! small chain never goes outside the chain.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schema_core::{Range, Target};

fn chain() -> schema_core::MigrationSet {
    let revs = ["ae1001", "ae2002", "bb3003"]
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let parent = if i == 0 { String::new() } else { ["ae1001", "ae2002"][i - 1].to_owned() };
            let text = format!("-- Revision ID: {id}\n-- Revises: {parent}\n-- migrate:upgrade\n-- migrate:downgrade\n");
            schema_core::parse_revision(&format!("{id}.sql"), &text).unwrap()
        })
        .collect();
    schema_core::check(revs, "fuzz").unwrap()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let set = chain();
    if let Ok(t) = Target::parse(text) {
        assert_eq!(Target::parse(&t.to_string()).as_ref(), Ok(&t));
        for current in 0..=set.len() {
            if let Ok(level) = t.resolve(&set, current) {
                assert!(level <= set.len());
            }
        }
    }
    let _ = Range::parse(text);
});
