schema_runtime::migrations!("ui/pass/one_revision");

use schema_runtime::{Migration, Target};

fn main() {
    assert_eq!(migrations::SET.len(), 1);
    assert_eq!(migrations::HEAD.id(), "a");
    assert_eq!(migrations::BASE.id(), "a");
    assert_eq!(migrations::First.revision().message, "Revision a_first");
    assert_eq!(Target::from(migrations::First), Target::revision("a"));
}
