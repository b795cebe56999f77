schema_runtime::migrations!("ui/pass/nested_diamonds");

use schema_runtime::Migration;

fn main() {
    let ids: Vec<&str> = migrations::SET.revisions().iter().map(|r| &*r.id).collect();
    // The inner diamond is finished before the sibling branch `c` starts.
    assert_eq!(ids, ["a", "b", "b1", "b2", "bm", "c", "m"]);
    assert_eq!(migrations::HEAD.id(), "m");
    assert_eq!(migrations::InnerMerge.revision().down_revisions[..], ["b1", "b2"]);
}
