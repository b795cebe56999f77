schema_runtime::migrations!("ui/pass/irreversible");

use schema_runtime::Migration;

fn main() {
    let data = migrations::Data::REVISION;
    assert!(data.options.irreversible);
    assert!(data.downgrade.is_none());
    assert_eq!(data.down_revision.as_deref(), Some("a"));
    assert_eq!(migrations::HEAD.id(), "b");
}
