schema_runtime::migrations!("ui/pass/labelled_branches");

use schema_runtime::{IntoTarget, Migration};

fn main() {
    let set = &migrations::SET;
    let branch = |l: &str| -> Vec<&str> {
        set.branch(l).unwrap().iter().map(|&i| &*set.revisions()[i].id).collect()
    };
    assert_eq!(branch("shop"), ["s1", "s2"]);
    assert_eq!(branch("net"), ["n1"]);
    assert_eq!(migrations::Net.revision().branch_labels[..], ["net"]);
    assert_eq!(migrations::Net.revision().depends_on[..], ["s1"]);
    let ids: Vec<&str> = set.revisions().iter().map(|r| &*r.id).collect();
    // n1 waits for its dependency s1; made ready together with s2, it goes first by id.
    assert_eq!(ids, ["a", "s1", "n1", "s2", "m"]);
    assert_eq!(migrations::Net.into_target().unwrap().to_string(), "n1");
}
