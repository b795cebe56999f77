//! Any text as an upgrade/downgrade target or range: no panic, a parsed target
//! prints back to text that parses to the same target, and resolving it on a
//! small graph with branches, a merge and labels, from every reachable state
//! and in both directions, gives a state that goes the run's way and that
//! the version table can represent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schema_core::{Applied, Direction, Range, Target};

fn graph() -> schema_core::MigrationSet {
    let revs = [
        ("ae1001", "", ""),
        ("ae2002", "ae1001", "audit"),
        ("bb3003", "ae2002", ""),
        ("cc4004", "ae1001", "billing"),
        ("dd5005", "bb3003, cc4004", ""),
    ]
    .iter()
    .map(|(id, parents, label)| {
        let text = format!(
            "-- Revision ID: {id}\n-- Revises: {parents}\n-- Branch Labels: {label}\n-- migrate:upgrade\n-- migrate:downgrade\n"
        );
        schema_core::parse_revision(&format!("{id}.sql"), &text).unwrap()
    })
    .collect();
    schema_core::check(revs, "fuzz").unwrap()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let set = graph();
    if let Ok(t) = Target::parse(text) {
        assert_eq!(Target::parse(&t.to_string()).as_ref(), Ok(&t));
        let states: Vec<Applied> = [&[][..], &["ae1001"], &["bb3003"], &["bb3003", "cc4004"], &["dd5005"]]
            .iter()
            .map(|rows| {
                let rows: Vec<String> = rows.iter().map(|r| r.to_string()).collect();
                if rows.is_empty() {
                    Applied::none(&set)
                } else {
                    set.applied_from_rows(&rows).unwrap()
                }
            })
            .collect();
        for current in &states {
            for direction in [Direction::Upgrade, Direction::Downgrade] {
                if let Ok(to) = t.resolve(&set, direction, current) {
                    match direction {
                        Direction::Upgrade => assert!(current.is_subset(&to)),
                        Direction::Downgrade => assert!(to.is_subset(current)),
                    }
                    // Closed under parents: the rows stand for exactly this state.
                    let rows: Vec<String> = set.row_ids(&to).iter().map(|r| r.to_string()).collect();
                    let back = if rows.is_empty() { Applied::none(&set) } else { set.applied_from_rows(&rows).unwrap() };
                    assert_eq!(back, to);
                }
            }
        }
    }
    let _ = Range::parse(text);
});
