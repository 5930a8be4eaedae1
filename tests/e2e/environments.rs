//! Every environments method, through the async client on a current and on a legacy server,
//! and through the blocking client.

/// Runs every environments method through `$client.environments()` against `$world`.
macro_rules! exercise_every_environments_method {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::environments::*;
        use infisical::secrets::CreateSecret;

        let world: &$crate::support::World = $world;
        let emu = &world.emulator;
        let p = world.project.as_str();
        let e = $client.environments();

        // create: last by default, or at a position (the others shift)
        let qa = e.create(CreateEnvironment::new(p, "QA", "qa"))$($aw)*.expect("create");
        assert_eq!((qa.name.as_str(), qa.slug.as_str(), qa.position), ("QA", "qa", Some(4)));
        assert_eq!(qa.project_id.as_deref(), Some(p));
        let first = e.create(CreateEnvironment::new(p, "Sandbox", "sandbox").position(1))$($aw)*.unwrap();
        assert_eq!(first.position, Some(1));
        assert_eq!(emu.environment_slugs(p), ["sandbox", "dev", "staging", "prod", "qa"]);
        let duplicate = e.create(CreateEnvironment::new(p, "Again", "qa"))$($aw)*.unwrap_err();
        assert_eq!(duplicate.status().map(|s| s.as_u16()), Some(400), "{duplicate}");

        // a new environment takes secrets at once
        $client.secrets().create(CreateSecret::new(p, "qa", "K", "v"))$($aw)*.unwrap().into_applied().unwrap();
        assert_eq!(emu.secret_value(p, "qa", "/", "K").as_deref(), Some("v"));

        // get by id, created or seeded
        let got = e.get(GetEnvironment::new(p, &qa.id))$($aw)*.expect("get");
        assert_eq!(got.slug, "qa");
        let dev_id = emu.environment_id(p, "dev").unwrap();
        assert_eq!(e.get(GetEnvironment::new(p, &dev_id))$($aw)*.unwrap().name, "Development");

        // update: name, slug, position; only what is set changes
        let updated = e
            .update(UpdateEnvironment::new(p, &qa.id).name("Quality").slug("quality").position(2))
            $($aw)*
            .expect("update");
        assert_eq!((updated.name.as_str(), updated.slug.as_str(), updated.position), ("Quality", "quality", Some(2)));
        assert_eq!(emu.environment_slugs(p), ["sandbox", "quality", "dev", "staging", "prod"]);
        let renamed = e.update(UpdateEnvironment::new(p, &qa.id).name("Q"))$($aw)*.unwrap();
        assert_eq!((renamed.name.as_str(), renamed.slug.as_str()), ("Q", "quality"));

        // delete, then it is gone
        let deleted = e.delete(DeleteEnvironment::new(p, &first.id))$($aw)*.expect("delete");
        assert_eq!(deleted.slug, "sandbox");
        assert_eq!(emu.environment_slugs(p), ["quality", "dev", "staging", "prod"]);
        let gone = e.get(GetEnvironment::new(p, &first.id))$($aw)*.unwrap_err();
        assert!(gone.is_not_found(), "{gone}");
        let again = e.delete(DeleteEnvironment::new(p, &first.id))$($aw)*.unwrap_err();
        assert!(again.is_not_found(), "{again}");

        // nothing to update is refused before sending
        let sent = emu.requests().len();
        let err = e.update(UpdateEnvironment::new(p, &qa.id))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(_)), "{err}");
        assert_eq!(emu.requests().len(), sent);
    }};
}

on_every_client!(exercise_every_environments_method, current: "/api/v1/projects/", legacy: "/api/v1/workspace/", blocking: Legacy);
