schema_runtime::migrations!("ui/pass/one_revision");

use schema_runtime::{IntoTarget, Migration, Target};

fn main() {
    assert_eq!(migrations::SET.len(), 1);
    assert_eq!(migrations::HEAD.id(), "a");
    assert_eq!(migrations::BASE.id(), "a");
    assert_eq!(migrations::First.revision().message, "Revision a_first");
    assert_eq!(migrations::First.into_target().unwrap(), Target::revision("a"));
}
