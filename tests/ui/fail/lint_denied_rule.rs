// A finding of a rule in `deny` fails the build.
schema_runtime::migrations!(
    "ui/fail/lint_denied_rule",
    lint = true,
    deny = ["require-concurrent-index-creation"],
);

fn main() {}
