//! A secret by id, and moving secrets between folders and environments, on both server
//! generations and both clients.

/// Runs `get_by_id` and `move_secrets` through `$client` against `$world`.
macro_rules! exercise_relocate {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::secrets::{GetSecret, GetSecretById, MoveSecrets};

        let world: &$crate::support::World = $world;
        let (emu, p) = (&world.emulator, world.project.as_str());
        let legacy = emu.mode() == infisical_emulator::ServerMode::Legacy;
        let slug = emu.project_slug(p);
        emu.set_secret(p, "dev", "/app", "A", "a");
        emu.set_secret(p, "dev", "/app", "B", "b");
        emu.create_folder(p, "prod", "/app");
        let s = $client.secrets();
        let id = |key: &str| s.get(GetSecret::new(p, "dev", key).path("/app"));
        let (a, b) = (id("A")$($aw)*.unwrap().id, id("B")$($aw)*.unwrap().id);

        // by id: current servers only; servers of 2024 have no such route
        let by_id = s.get_by_id(GetSecretById::new(&a))$($aw)*;
        if legacy {
            let err = by_id.unwrap_err();
            assert!(matches!(&err, infisical::Error::Api(api) if api.is_route_not_found()), "{err}");
        } else {
            let found = by_id.unwrap();
            assert_eq!((found.key.as_str(), found.value().unwrap()), ("A", "a"));
            assert_eq!(found.path.as_deref(), Some("/app"));
            let missing = s.get_by_id(GetSecretById::new("no-such-id"))$($aw)*.unwrap_err();
            assert!(missing.is_not_found(), "{missing}");
        }

        // move to another environment; servers of 2024 need the project's slug
        let to_prod = MoveSecrets::new(p, "dev", "prod", [a.clone(), b.clone()])
            .path("/app")
            .to_path("/app");
        if legacy {
            let err = s.move_secrets(to_prod.clone())$($aw)*.unwrap_err();
            assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "project_slug"));
        }
        let moved = s.move_secrets(to_prod.project_slug(&slug))$($aw)*.expect("move");
        assert!(moved.is_source_updated && moved.is_destination_updated);
        assert_eq!(emu.secret_value(p, "dev", "/app", "A"), None);
        assert_eq!(emu.secret_value(p, "prod", "/app", "A").as_deref(), Some("a"));
        assert_eq!(emu.secret_value(p, "prod", "/app", "B").as_deref(), Some("b"));

        // a clash fails the whole move unless overwriting
        emu.set_secret(p, "dev", "/", "X", "new");
        emu.set_secret(p, "prod", "/app", "X", "old");
        let x = s.get(GetSecret::new(p, "dev", "X"))$($aw)*.unwrap().id;
        let back = MoveSecrets::new(p, "dev", "prod", [x]).to_path("/app").project_slug(&slug);
        let err = s.move_secrets(back.clone())$($aw)*.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{err}");
        assert!(err.to_string().contains("X"), "names the clash: {err}");
        assert_eq!(emu.secret_value(p, "dev", "/", "X").as_deref(), Some("new"), "nothing moved");
        s.move_secrets(back.overwrite(true))$($aw)*.unwrap();
        assert_eq!(emu.secret_value(p, "prod", "/app", "X").as_deref(), Some("new"));

        // unknown ids, missing folders, and what is refused before sending
        let unknown = MoveSecrets::new(p, "dev", "prod", ["nope"]).project_slug(&slug);
        let err = s.move_secrets(unknown)$($aw)*.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(400), "{err}");
        let nowhere = MoveSecrets::new(p, "dev", "prod", ["nope"]).to_path("/missing").project_slug(&slug);
        assert!(s.move_secrets(nowhere)$($aw)*.unwrap_err().is_not_found());
        let sent = emu.requests().len();
        let none: [&str; 0] = [];
        let empty = s.move_secrets(MoveSecrets::new(p, "dev", "prod", none))$($aw)*.unwrap_err();
        assert!(matches!(empty, infisical::Error::InvalidRequest(ref e) if e.field() == "secret_ids"));
        assert_eq!(emu.requests().len(), sent, "nothing was sent");
    }};
}

on_every_client!(exercise_relocate, blocking: Legacy);
