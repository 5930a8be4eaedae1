//! Every tags method, and tags on secrets, through the async client on a current and on a
//! legacy server, and through the blocking client.

/// Runs every tags method through `$client.tags()` against `$world`.
macro_rules! exercise_every_tags_method {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::secrets::{CreateSecret, ListSecrets, UpdateSecret};
        use infisical::tags::*;

        let world: &$crate::support::World = $world;
        let emu = &world.emulator;
        let p = world.project.as_str();
        let tags = $client.tags();
        let secrets = $client.secrets();
        let keys = |list: &infisical::secrets::SecretList| -> Vec<String> {
            list.iter().map(|s| s.key.clone()).collect()
        };

        // create, list, duplicates refused
        assert!(tags.list(ListTags::new(p))$($aw)*.expect("list").is_empty());
        let backend = tags.create(CreateTag::new(p, "backend").color("#3b82f6"))$($aw)*.expect("create");
        assert_eq!((backend.slug.as_str(), backend.color.as_deref()), ("backend", Some("#3b82f6")));
        assert_eq!(backend.project_id.as_deref(), Some(p));
        let frontend = tags.create(CreateTag::new(p, "frontend"))$($aw)*.unwrap();
        let listed = tags.list(ListTags::new(p))$($aw)*.unwrap();
        assert_eq!(listed.iter().map(|t| t.slug.as_str()).collect::<Vec<_>>(), ["backend", "frontend"]);
        let duplicate = tags.create(CreateTag::new(p, "backend"))$($aw)*.unwrap_err();
        assert_eq!(duplicate.status().map(|s| s.as_u16()), Some(400), "{duplicate}");

        // get by id and by slug (these answers carry the name)
        let got = tags.get(GetTag::new(p, &backend.id))$($aw)*.expect("get");
        assert_eq!((got.id.as_str(), got.name.as_str()), (backend.id.as_str(), "backend"));
        let by_slug = tags.get_by_slug(GetTagBySlug::new(p, "frontend"))$($aw)*.expect("get by slug");
        assert_eq!(by_slug.id, frontend.id);

        // tags attached on secret create and update; lists filtered by tag slugs
        let create = CreateSecret::new(p, "dev", "DB_URL", "postgres://db").tag_ids([backend.id.clone()]);
        secrets.create(create)$($aw)*.unwrap().into_applied().unwrap();
        let create = CreateSecret::new(p, "dev", "CDN_URL", "https://cdn").tag_ids([frontend.id.clone()]);
        secrets.create(create)$($aw)*.unwrap().into_applied().unwrap();
        emu.set_secret(p, "dev", "/", "UNTAGGED", "x");
        let update = UpdateSecret::new(p, "dev", "CDN_URL").value("https://cdn2").tag_ids([frontend.id.clone(), backend.id.clone()]);
        let updated = secrets.update(update)$($aw)*.unwrap().into_applied().unwrap();
        assert_eq!(updated.key, "CDN_URL");
        let back = secrets.list(ListSecrets::new(p, "dev").tag_slugs(["backend"]))$($aw)*.unwrap();
        assert_eq!(keys(&back), ["DB_URL", "CDN_URL"]);
        let front = secrets.list(ListSecrets::new(p, "dev").tag_slugs(["frontend"]))$($aw)*.unwrap();
        assert_eq!(keys(&front), ["CDN_URL"]);
        assert_eq!(front.secrets[0].tags()[0].slug, "frontend");
        let all = secrets.list(ListSecrets::new(p, "dev"))$($aw)*.unwrap();
        let cdn_tags: Vec<_> = all.get("CDN_URL").unwrap().tags().iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(cdn_tags, ["frontend", "backend"]);

        // update replaces slug and color; the filter follows the new slug
        let renamed = tags.update(UpdateTag::new(p, &backend.id, "api", "#000000"))$($aw)*.expect("update");
        assert_eq!((renamed.slug.as_str(), renamed.color.as_deref()), ("api", Some("#000000")));
        let api = secrets.list(ListSecrets::new(p, "dev").tag_slugs(["api"]))$($aw)*.unwrap();
        assert_eq!(keys(&api), ["DB_URL", "CDN_URL"]);

        // delete detaches the tag from secrets
        let deleted = tags.delete(DeleteTag::new(p, &backend.id))$($aw)*.expect("delete");
        assert_eq!(deleted.slug, "api");
        let gone = tags.get(GetTag::new(p, &backend.id))$($aw)*.unwrap_err();
        assert!(gone.is_not_found(), "{gone}");
        let all = secrets.list(ListSecrets::new(p, "dev"))$($aw)*.unwrap();
        assert_eq!(all.get("DB_URL").unwrap().tags().len(), 0);
        let missing = tags.get_by_slug(GetTagBySlug::new(p, "api"))$($aw)*.unwrap_err();
        assert!(missing.is_not_found(), "{missing}");

        // required parameters are checked before sending
        let sent = emu.requests().len();
        let err = tags.create(CreateTag::new(p, ""))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "slug"), "{err}");
        assert_eq!(emu.requests().len(), sent);
    }};
}

on_every_client!(exercise_every_tags_method, current: "/api/v1/projects/", legacy: "/api/v1/workspace/", blocking: Modern);
