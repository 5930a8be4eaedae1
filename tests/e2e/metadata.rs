//! Metadata and reminders on writes, and lists filtered by metadata: current servers take
//! them all; servers of 2024 take reminders only, and the client refuses metadata there.

/// Runs metadata and reminder writes through `$client` against `$world`.
macro_rules! exercise_metadata {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::secrets::*;

        let world: &$crate::support::World = $world;
        let (emu, p) = (&world.emulator, world.project.as_str());
        let legacy = emu.mode() == infisical_emulator::ServerMode::Legacy;
        let s = $client.secrets();
        let pairs = |secret: &Secret| -> Vec<(String, String)> {
            secret.metadata().iter().map(|m| (m.key.clone(), m.value.clone())).collect()
        };

        // reminders: every server
        let create = CreateSecret::new(p, "dev", "ROTATE_ME", "v1").reminder("rotate it", 30);
        s.create(create)$($aw)*.unwrap().into_applied().unwrap();
        let got = s.get(GetSecret::new(p, "dev", "ROTATE_ME"))$($aw)*.unwrap();
        assert_eq!(got.reminder_note(), Some("rotate it"));
        assert_eq!(got.reminder_repeat_days(), Some(30.0));
        let update = UpdateSecret::new(p, "dev", "ROTATE_ME").value("v2").reminder("sooner", 7);
        s.update(update)$($aw)*.unwrap().into_applied().unwrap();
        let got = s.get(GetSecret::new(p, "dev", "ROTATE_ME"))$($aw)*.unwrap();
        assert_eq!(got.reminder_repeat_days(), Some(7.0));

        let tagged = CreateSecret::new(p, "dev", "DB_URL", "pg").metadata([("owner", "team-a")]);
        if legacy {
            // Servers of 2024 take no metadata: refused, not dropped.
            let err = s.create(tagged)$($aw)*.unwrap_err();
            assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "metadata"), "{err}");
            assert_eq!(emu.secret_value(p, "dev", "/", "DB_URL"), None);
            let filtered = ListSecrets::new(p, "dev").metadata_filter([("owner", "team-a")]);
            assert!(s.list(filtered)$($aw)*.is_err());
        } else {
            // metadata on single and batch writes, read back, and a filtered list
            s.create(tagged)$($aw)*.unwrap().into_applied().unwrap();
            let got = s.get(GetSecret::new(p, "dev", "DB_URL"))$($aw)*.unwrap();
            assert_eq!(pairs(&got), [("owner".to_owned(), "team-a".to_owned())]);
            let batch = [
                NewSecret::new("A", "1").metadata([("owner", "team-b")]),
                NewSecret::new("B", "2").metadata([("owner", "team-a"), ("tier", "gold")]),
            ];
            s.batch_create(BatchCreateSecrets::new(p, "dev", batch))$($aw)*.unwrap().into_applied().unwrap();
            let team_a = s.list(ListSecrets::new(p, "dev").metadata_filter([("owner", "team-a")]))$($aw)*.unwrap();
            let mut keys: Vec<&str> = team_a.iter().map(|s| s.key.as_str()).collect();
            keys.sort_unstable();
            assert_eq!(keys, ["B", "DB_URL"]);
            let both = ListSecrets::new(p, "dev").metadata_filter([("owner", "team-a"), ("tier", "gold")]);
            assert_eq!(s.list(both)$($aw)*.unwrap().iter().map(|s| s.key.as_str()).collect::<Vec<_>>(), ["B"]);
            let updates = [SecretUpdate::new("A").metadata([("owner", "team-a")]).reminder("check", 90)];
            s.batch_update(BatchUpdateSecrets::new(p, "dev", updates))$($aw)*.unwrap().into_applied().unwrap();
            let a = s.get(GetSecret::new(p, "dev", "A"))$($aw)*.unwrap();
            assert_eq!(pairs(&a), [("owner".to_owned(), "team-a".to_owned())]);
            assert_eq!(a.reminder_note(), Some("check"));
            s.update(UpdateSecret::new(p, "dev", "DB_URL").metadata([("owner", "team-c")]))$($aw)*
                .unwrap()
                .into_applied()
                .unwrap();
            let got = s.get(GetSecret::new(p, "dev", "DB_URL"))$($aw)*.unwrap();
            assert_eq!(pairs(&got), [("owner".to_owned(), "team-c".to_owned())], "replaced");
        }

        // refused before sending, on every server
        let sent = emu.requests().len();
        let eleven: Vec<(String, String)> = (0..11).map(|i| (format!("k{i}"), "v".to_owned())).collect();
        for bad in [
            ListSecrets::new(p, "dev").metadata_filter(eleven),
            ListSecrets::new(p, "dev").metadata_filter([("a,b", "v")]),
            ListSecrets::new(p, "dev").metadata_filter([("k", "")]),
        ] {
            let err = s.list(bad)$($aw)*.unwrap_err();
            assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "metadata_filter"), "{err}");
        }
        let empty_key = CreateSecret::new(p, "dev", "X", "x").metadata([(" ", "v")]);
        assert!(matches!(s.create(empty_key)$($aw)*.unwrap_err(), infisical::Error::InvalidRequest(_)));
        assert_eq!(emu.requests().len(), sent, "nothing was sent");
    }};
}

on_every_client!(exercise_metadata, blocking: Modern);
