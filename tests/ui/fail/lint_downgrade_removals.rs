// A downgrade that drops what its upgrade created is not reported by default;
// `downgrade_removals = true` reports it (made an error here so that the text
// is in this fixture's stderr).
#![deny(deprecated)]

schema_runtime::migrations!(
    "ui/fail/lint_downgrade_removals",
    lint = true,
    downgrade_removals = true,
);

fn main() {}
