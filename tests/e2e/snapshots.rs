//! Point-in-time snapshots of a folder: list, count, get, roll back, on both server
//! generations and both clients.

/// Runs every snapshots method through `$client` against `$world`.
macro_rules! exercise_snapshots {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::secrets::{CreateSecret, UpdateSecret};
        use infisical::snapshots::*;

        let world: &$crate::support::World = $world;
        let (emu, p) = (&world.emulator, world.project.as_str());
        let legacy = emu.mode() == infisical_emulator::ServerMode::Legacy;
        let (s, snapshots) = ($client.secrets(), $client.snapshots());

        // each change through the API is a snapshot of the folder
        s.create(CreateSecret::new(p, "dev", "K", "v1"))$($aw)*.unwrap().into_applied().unwrap();
        s.update(UpdateSecret::new(p, "dev", "K").value("v2"))$($aw)*.unwrap().into_applied().unwrap();
        s.create(CreateSecret::new(p, "dev", "L", "l"))$($aw)*.unwrap().into_applied().unwrap();
        assert_eq!(snapshots.count(CountSnapshots::new(p, "dev"))$($aw)*.expect("count"), 3);
        assert_eq!(snapshots.count(CountSnapshots::new(p, "prod"))$($aw)*.unwrap(), 0);

        // newest first, a page at a time
        let newest = snapshots.list(ListSnapshots::new(p, "dev").limit(2))$($aw)*.expect("list");
        assert_eq!(newest.len(), 2);
        let all = snapshots.list(ListSnapshots::new(p, "dev"))$($aw)*.unwrap();
        let oldest = all.last().unwrap().id.clone();
        assert_eq!(all[0].id, newest[0].id);

        // what a snapshot holds
        let latest = snapshots.get(GetSnapshot::new(&newest[0].id))$($aw)*.expect("get");
        assert_eq!(latest.environment.slug, "dev");
        let mut keys: Vec<&str> = latest.secret_versions.iter().map(|v| v.key.as_str()).collect();
        keys.sort_unstable();
        assert_eq!(keys, ["K", "L"]);
        let first = snapshots.get(GetSnapshot::new(&oldest))$($aw)*.unwrap();
        assert_eq!(first.secret_versions.len(), 1);
        assert_eq!(first.secret_versions[0].value().unwrap(), "v1");

        // rolling back: servers of 2024 do it; current ones replaced it and answer an error
        let rolled = snapshots.roll_back(RollBackSnapshot::new(&oldest))$($aw)*;
        if legacy {
            rolled.expect("roll back");
            assert_eq!(emu.secret_value(p, "dev", "/", "K").as_deref(), Some("v1"));
            assert_eq!(emu.secret_value(p, "dev", "/", "L"), None);
        } else {
            let err = rolled.unwrap_err();
            assert_eq!(err.status().map(|s| s.as_u16()), Some(500), "{err}");
            assert_eq!(emu.secret_value(p, "dev", "/", "K").as_deref(), Some("v2"), "unchanged");
        }

        // what does not exist, and what is refused before sending
        let missing = snapshots.list(ListSnapshots::new(p, "dev").path("/nowhere"))$($aw)*.unwrap_err();
        assert!(missing.is_not_found(), "{missing}");
        assert!(snapshots.get(GetSnapshot::new("no-such-id"))$($aw)*.unwrap_err().is_not_found());
        let sent = emu.requests().len();
        let err = snapshots.list(ListSnapshots::new(p, "dev").limit(0))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "limit"));
        assert_eq!(emu.requests().len(), sent, "nothing was sent");
    }};
}

on_every_client!(exercise_snapshots, blocking: Legacy);
