//! Every secrets method, written once for the async client (`[.await]`) and the blocking
//! client (`[]`), asserting both what the client returns and what the emulator stored; and
//! [`on_every_client!`], the one pattern that runs a resource's exercise on each client.

/// Runs the exercise macro `$exercise!(client, &world, [await?])` three times, as module
/// `every_method`: through the async client on a current server (which must never be asked
/// for a route under `$legacy`), through the async client on a legacy server (asked for a
/// route under `$current` once, then never again), and through the blocking client on a
/// `$blocking` server.
macro_rules! on_every_client {
    // Routes that are the same on every server: nothing to count.
    ($exercise:ident, blocking: $blocking:ident) => {
        on_every_client!($exercise, current: "", legacy: "", blocking: $blocking, counted: false);
    };
    ($exercise:ident, current: $current:literal, legacy: $legacy:literal, blocking: $blocking:ident) => {
        on_every_client!($exercise, current: $current, legacy: $legacy, blocking: $blocking, counted: true);
    };
    (
        $exercise:ident, current: $current:literal, legacy: $legacy:literal,
        blocking: $blocking:ident, counted: $counted:literal
    ) => {
        mod every_method {
            use crate::support::World;
            use infisical_emulator::ServerMode;

            #[tokio::test]
            async fn on_a_current_server() {
                let world = World::new(ServerMode::Modern);
                let client = world.client();
                $exercise!(client, &world, [.await]);
                if $counted {
                    assert_eq!(world.count_any($legacy), 0, "never the older routes");
                }
            }

            #[tokio::test]
            async fn on_a_legacy_server() {
                let world = World::new(ServerMode::Legacy);
                let client = world.client();
                $exercise!(client, &world, [.await]);
                if $counted {
                    assert_eq!(world.count_any($current), 1, "the current route is tried once");
                }
            }

            #[test]
            fn through_the_blocking_client() {
                let world = World::new(ServerMode::$blocking);
                let client = world.blocking_client();
                $exercise!(client, &world, []);
            }
        }
    };
}

/// Runs every secrets method through `$client.secrets()` against `$world` in `$mode`.
macro_rules! exercise_every_secrets_method {
    ($client:expr, $world:expr, $mode:expr, [$($aw:tt)*]) => {{
        use infisical::secrets::*;
        use infisical_emulator::ServerMode;

        let world: &$crate::support::World = $world;
        let emu = &world.emulator;
        let p = world.project.as_str();
        let legacy = matches!($mode, ServerMode::Legacy);
        let s = $client.secrets();

        emu.set_secret(p, "dev", "/", "DB_HOST", "db.internal");
        emu.set_secret(p, "dev", "/", "DB_URL", "postgres://${DB_HOST}/app");
        emu.set_secret(p, "prod", "/", "REGION", "eu-1");
        emu.set_secret(p, "dev", "/", "CROSS", "${prod.REGION}");
        emu.set_secret(p, "dev", "/app/api", "NESTED", "n");

        // list: references expanded by default, in the folder and across environments
        let list = s.list(ListSecrets::new(p, "dev"))$($aw)*.expect("list");
        assert_eq!(list.get("DB_URL").expect("DB_URL").value().unwrap(), "postgres://db.internal/app");
        assert_eq!(list.get("CROSS").expect("CROSS").value().unwrap(), "eu-1");
        assert!(list.get("NESTED").is_none(), "not recursive by default");
        assert_eq!(list.get("DB_HOST").unwrap().environment, "dev");
        assert_eq!(list.get("DB_HOST").unwrap().project_id, p);

        // list: raw references
        let raw = s.list(ListSecrets::new(p, "dev").expand_references(false))$($aw)*.unwrap();
        assert_eq!(raw.get("DB_URL").unwrap().value().unwrap(), "postgres://${DB_HOST}/app");

        // list: recursive, and a sub-folder
        let all = s.list(ListSecrets::new(p, "dev").recursive(true))$($aw)*.unwrap();
        assert_eq!(all.get("NESTED").expect("recursive").path.as_deref(), Some("/app/api"));
        let sub = s.list(ListSecrets::new(p, "dev").path("/app/api/"))$($aw)*.unwrap();
        assert_eq!(sub.len(), 1);

        // list: imports
        emu.set_secret(p, "prod", "/shared", "SHARED_KEY", "from-prod");
        emu.add_import(p, "dev", "/", "prod", "/shared");
        let without = s.list(ListSecrets::new(p, "dev"))$($aw)*.unwrap();
        assert!(without.imports.is_empty());
        let with = s.list(ListSecrets::new(p, "dev").include_imports(true))$($aw)*.unwrap();
        assert_eq!(with.imports.len(), 1);
        assert_eq!(with.imports[0].environment, "prod");
        assert_eq!(with.imports[0].path, "/shared");
        assert_eq!(with.imports[0].secrets[0].key, "SHARED_KEY");
        assert_eq!(with.imports[0].secrets[0].value().unwrap(), "from-prod");

        // get: by name, through imports, missing
        let host = s.get(GetSecret::new(p, "dev", "DB_HOST"))$($aw)*.expect("get");
        assert_eq!(host.value().unwrap(), "db.internal");
        assert_eq!(host.version, 1);
        let url = s.get(GetSecret::new(p, "dev", "DB_URL"))$($aw)*.unwrap();
        assert_eq!(url.value().unwrap(), "postgres://db.internal/app");
        let imported = s.get(GetSecret::new(p, "dev", "SHARED_KEY").include_imports(true))$($aw)*;
        assert_eq!(imported.expect("found through the import").value().unwrap(), "from-prod");
        let missing = s.get(GetSecret::new(p, "dev", "NOPE"))$($aw)*.unwrap_err();
        assert!(missing.is_not_found(), "{missing}");
        assert_eq!(missing.status().map(|s| s.as_u16()), Some(404));

        // create, with a comment and a tag
        let tag = emu.create_tag(p, "backend");
        let created = s
            .create(CreateSecret::new(p, "dev", "API_KEY", "k1").comment("first").tag_ids([tag.clone()]))
            $($aw)*
            .expect("create")
            .into_applied()
            .expect("applied");
        assert_eq!((created.key.as_str(), created.value().unwrap(), created.comment.as_str()), ("API_KEY", "k1", "first"));
        assert_eq!(emu.secret_value(p, "dev", "/", "API_KEY").as_deref(), Some("k1"));
        let tagged = s.list(ListSecrets::new(p, "dev").tag_slugs(["backend"]))$($aw)*.unwrap();
        assert_eq!(tagged.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(), ["API_KEY"]);
        assert_eq!(tagged.secrets[0].tags()[0].slug, "backend");
        let duplicate = s.create(CreateSecret::new(p, "dev", "API_KEY", "again"))$($aw)*.unwrap_err();
        assert_eq!(duplicate.status().map(|s| s.as_u16()), Some(400), "{duplicate}");

        // update: value and comment, then versions
        let updated = s
            .update(UpdateSecret::new(p, "dev", "API_KEY").value("k2").comment("second"))
            $($aw)*
            .unwrap()
            .into_applied()
            .unwrap();
        assert_eq!((updated.value().unwrap(), updated.version), ("k2", 2));
        assert_eq!(emu.secret_value(p, "dev", "/", "API_KEY").as_deref(), Some("k2"));
        let v1 = s.get(GetSecret::new(p, "dev", "API_KEY").version(1))$($aw)*;
        if legacy {
            // Servers of 2024 ignore `version` and answer the latest: refused, never passed
            // off as version 1.
            let err = v1.unwrap_err();
            assert!(matches!(err, infisical::Error::Decode(_)), "{err}");
            assert!(err.to_string().contains("asked for version 1"), "{err}");
        } else {
            assert_eq!(v1.unwrap().value().unwrap(), "k1");
        }

        // update: rename (legacy servers need the value with it)
        let rename = UpdateSecret::new(p, "dev", "API_KEY").rename("API_TOKEN").value("k2");
        s.update(rename)$($aw)*.unwrap().into_applied().unwrap();
        assert_eq!(emu.secret_value(p, "dev", "/", "API_KEY"), None);
        assert_eq!(emu.secret_value(p, "dev", "/", "API_TOKEN").as_deref(), Some("k2"));

        // personal secrets belong to users: a machine identity is refused, as by Infisical
        let personal = CreateSecret::new(p, "dev", "API_TOKEN", "mine").secret_type(SecretType::Personal);
        let refused = s.create(personal)$($aw)*.unwrap_err();
        assert_eq!(refused.status().map(|s| s.as_u16()), Some(400), "{refused}");
        let absent = s.get(GetSecret::new(p, "dev", "API_TOKEN").secret_type(SecretType::Personal))$($aw)*.unwrap_err();
        assert!(absent.is_not_found(), "{absent}");
        let asked = emu.requests().pop().unwrap();
        assert!(asked.query.contains(&("type".to_owned(), "personal".to_owned())), "{asked:?}");
        let shared = s.get(GetSecret::new(p, "dev", "API_TOKEN"))$($aw)*.unwrap();
        assert_eq!(shared.value().unwrap(), "k2");

        // delete
        let deleted = s.delete(DeleteSecret::new(p, "dev", "API_TOKEN"))$($aw)*.unwrap().into_applied().unwrap();
        assert_eq!(deleted.key, "API_TOKEN");
        assert_eq!(emu.secret_value(p, "dev", "/", "API_TOKEN"), None);

        // batch create in a folder (writes need the folder to exist, as on Infisical)
        emu.create_folder(p, "dev", "/batch");
        let batch = BatchCreateSecrets::new(p, "dev", [NewSecret::new("B1", "1"), NewSecret::new("B2", "2").comment("c")])
            .path("/batch");
        let made = s.batch_create(batch)$($aw)*.expect("batch create").into_applied().unwrap();
        assert_eq!(made.len(), 2);
        assert_eq!(emu.secret_value(p, "dev", "/batch", "B2").as_deref(), Some("2"));

        // batch update: a missing key fails the whole batch by default
        let failing = BatchUpdateSecrets::new(p, "dev", [SecretUpdate::new("B1").value("x"), SecretUpdate::new("B9").value("y")])
            .path("/batch");
        let err = s.batch_update(failing)$($aw)*.unwrap_err();
        assert!(err.is_not_found(), "{err}");
        assert_eq!(emu.secret_value(p, "dev", "/batch", "B1").as_deref(), Some("1"));
        let ok = BatchUpdateSecrets::new(p, "dev", [SecretUpdate::new("B1").value("11"), SecretUpdate::new("B2").value("22")])
            .path("/batch");
        s.batch_update(ok)$($aw)*.unwrap().into_applied().unwrap();
        assert_eq!(emu.secret_value(p, "dev", "/batch", "B1").as_deref(), Some("11"));

        // batch update modes: upsert and ignore need v4; legacy servers get a clear error
        let upsert = BatchUpdateSecrets::new(p, "dev", [SecretUpdate::new("B3").value("3")])
            .path("/batch")
            .mode(BatchUpdateMode::Upsert);
        let ignore = BatchUpdateSecrets::new(p, "dev", [SecretUpdate::new("B1").value("111"), SecretUpdate::new("B8").value("8")])
            .path("/batch")
            .mode(BatchUpdateMode::Ignore);
        if legacy {
            let err = s.batch_update(upsert)$($aw)*.unwrap_err();
            assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "mode"), "{err}");
        } else {
            s.batch_update(upsert)$($aw)*.unwrap().into_applied().unwrap();
            assert_eq!(emu.secret_value(p, "dev", "/batch", "B3").as_deref(), Some("3"));
            s.batch_update(ignore)$($aw)*.unwrap().into_applied().unwrap();
            assert_eq!(emu.secret_value(p, "dev", "/batch", "B1").as_deref(), Some("111"));
            assert_eq!(emu.secret_value(p, "dev", "/batch", "B8"), None);
        }

        // batch delete, all or none
        let err = s.batch_delete(BatchDeleteSecrets::new(p, "dev", ["B1", "B9"]).path("/batch"))$($aw)*.unwrap_err();
        assert!(err.is_not_found(), "{err}");
        assert!(emu.secret_value(p, "dev", "/batch", "B1").is_some());
        let gone = s.batch_delete(BatchDeleteSecrets::new(p, "dev", ["B1", "B2"]).path("/batch"))$($aw)*.unwrap();
        assert_eq!(gone.into_applied().unwrap().len(), 2);
        assert_eq!(emu.secret_value(p, "dev", "/batch", "B2"), None);

        // an approval policy lets a machine identity's writes pass, as on real servers...
        emu.create_folder(p, "dev", "/locked");
        emu.require_approval(p, "dev", "/locked");
        let passed = s.create(CreateSecret::new(p, "dev", "PASSED", "v").path("/locked"))$($aw)*.unwrap();
        assert!(!passed.is_pending_approval(), "{passed:?}");
        // ... and holds a user's: they change nothing and say so
        emu.add_user_token("exercise-user");
        let user = $crate::support::UserClient::of(&$client, world, "exercise-user");
        let held = user.secrets().create(CreateSecret::new(p, "dev", "HELD", "v").path("/locked"))$($aw)*.unwrap();
        let WriteOutcome::PendingApproval(approval) = &held else { panic!("expected an approval: {held:?}") };
        assert!(!approval.id.is_empty());
        assert!(held.clone().into_applied().is_err());
        assert_eq!(emu.secret_value(p, "dev", "/locked", "HELD"), None);
    }};
}
