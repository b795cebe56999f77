schema_runtime::migrations!("ui/pass/irreversible");

use schema_runtime::Migration;

fn main() {
    let data = migrations::Data.revision();
    assert!(data.options.irreversible);
    assert!(data.downgrade.is_none());
    assert_eq!(data.down_revisions[..], ["a"]);
    assert_eq!(migrations::HEAD.id(), "b");
}
