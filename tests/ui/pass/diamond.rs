schema_runtime::migrations!("ui/pass/diamond");

use schema_runtime::Migration;

fn main() {
    let ids: Vec<&str> = migrations::SET.revisions().iter().map(|r| &*r.id).collect();
    // Alembic's order: the branch of the merge's last-named parent first.
    assert_eq!(ids, ["a", "c", "b", "m", "n"]);
    assert_eq!(migrations::Merge.revision().down_revisions[..], ["b", "c"]);
    assert!(migrations::Merge.revision().is_merge());
    assert_eq!(migrations::HEAD.id(), "n");
    assert_eq!(migrations::SET.heads(), [4]);
}
