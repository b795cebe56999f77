schema_runtime::migrations!("ui/pass/dotfiles_and_subdirectories");

fn main() {
    // `.b_hidden.sql`, `drafts/c_draft.sql`, `archive.sql/` and `README.md` are
    // not revisions: the set is the one file left.
    let ids: Vec<&str> = migrations::SET.revisions().iter().map(|r| &*r.id).collect();
    assert_eq!(ids, ["a"]);
}
