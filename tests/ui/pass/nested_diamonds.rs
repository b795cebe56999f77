schema_runtime::migrations!("ui/pass/nested_diamonds");

use schema_runtime::Migration;

fn main() {
    let ids: Vec<&str> = migrations::SET.revisions().iter().map(|r| &*r.id).collect();
    // Alembic's order: walking down from m, the inner diamond's branches
    // first; `c` comes before `b`, which both of them still need.
    assert_eq!(ids, ["a", "b", "c", "b2", "b1", "bm", "m"]);
    assert_eq!(migrations::HEAD.id(), "m");
    assert_eq!(migrations::InnerMerge.revision().down_revisions[..], ["b1", "b2"]);
}
