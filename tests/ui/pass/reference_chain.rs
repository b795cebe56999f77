// The seven-revision reference chain of this repository, embedded and typed.
schema_runtime::migrations!("../migrations");

use schema_runtime::{IntoTarget, Migration, Target};

fn main() {
    let ids: Vec<&str> = migrations::SET.revisions().iter().map(|r| &*r.id).collect();
    assert_eq!(
        ids,
        ["968b0dff6a9b", "20251228_fts", "add_alerts_rules", "add_zones_001", "add_audit_logs", "add_baselines", "backfill_baselines"]
    );
    assert_eq!(migrations::BASE.id(), "968b0dff6a9b");
    assert_eq!(migrations::HEAD.id(), "backfill_baselines");
    let zones = migrations::CameraZones.revision();
    assert_eq!(zones.down_revisions[..], ["add_alerts_rules"]);
    assert!(zones.upgrade.line > 1 && zones.path.ends_with("add_zones_001_camera_zones.sql"));
    assert_eq!(zones.checksum, schema_runtime::core::checksum(&zones.upgrade.sql));
    assert_eq!(
        IntoTarget::<migrations::Revisions>::into_target(migrations::CameraZones).unwrap(),
        Target::revision("add_zones_001")
    );
}
