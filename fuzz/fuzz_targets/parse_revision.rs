//! Any text given to the revision parser, the chain check and the statement
//! splitter: no panic, and what parses keeps its invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for stmt in schema_core::sql::split_statements(text) {
        assert_eq!(&text[stmt.offset..stmt.offset + stmt.text.len()], stmt.text);
    }
    let _ = schema_core::sql::line_col(text, text.len() / 2);
    match schema_core::parse_revision("fuzz.sql", text) {
        Ok(r) => {
            assert_eq!(r.checksum, schema_core::checksum(&r.upgrade.sql));
            assert!(schema_core::parse::validate_id(&r.id).is_ok());
            assert_eq!(r.downgrade.is_none(), r.options.irreversible);
            let normalized = text.replace("\r\n", "\n");
            assert!(normalized.contains(&*r.upgrade.sql));
            // A set of one revision is a chain exactly when it is a base.
            let is_base = r.down_revisions.is_empty();
            assert_eq!(schema_core::check(vec![r], "fuzz").is_ok(), is_base);
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in errors {
                let _ = e.render();
            }
        }
    }
});
