//! Every secret-imports method and the merged view of a folder with imports, through the
//! async client on a current and on a legacy server, and through the blocking client.

/// Runs every secret-imports method through `$client.secret_imports()` against `$world`.
macro_rules! exercise_every_secret_imports_method {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::secret_imports::*;
        use infisical::secrets::{DeleteSecret, ListSecrets};

        let world: &$crate::support::World = $world;
        let emu = &world.emulator;
        let p = world.project.as_str();
        let imports = $client.secret_imports();
        let merged_value = |list: &infisical::secrets::SecretList, key: &str| -> Option<String> {
            list.merged().get(key).map(|s| s.value().unwrap().to_owned())
        };

        emu.set_secret(p, "prod", "/shared", "SHARED_KEY", "from-prod");
        emu.set_secret(p, "prod", "/shared", "OVERRIDE", "prod");
        emu.set_secret(p, "staging", "/common", "OVERRIDE", "staging");
        emu.set_secret(p, "staging", "/common", "COMMON", "c");
        emu.set_secret(p, "dev", "/", "OVERRIDE", "own");

        // create: each import goes after the folder's others
        let prod = imports.create(CreateSecretImport::new(p, "dev", "prod", "/shared"))$($aw)*.expect("create");
        assert_eq!((prod.import_path.as_str(), prod.import_env.slug.as_str(), prod.position), ("/shared", "prod", Some(1)));
        let staging = imports.create(CreateSecretImport::new(p, "dev", "staging", "/common"))$($aw)*.unwrap();
        assert_eq!(staging.position, Some(2));

        // list, get
        let listed = imports.list(ListSecretImports::new(p, "dev"))$($aw)*.expect("list");
        assert_eq!(listed.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(), [prod.id.as_str(), staging.id.as_str()]);
        let got = imports.get(GetSecretImport::new(&prod.id))$($aw)*.expect("get");
        assert_eq!(got.secret_path.as_deref(), Some("/"));
        assert_eq!(got.project_id.as_deref(), Some(p));
        assert_eq!(got.environment.map(|e| e.slug), Some("dev".to_owned()));

        // the secrets seen through the imports, one entry per import, in order
        let seen = imports.secrets(ListImportedSecrets::new(p, "dev"))$($aw)*.expect("imported secrets");
        assert_eq!(seen.iter().map(|e| e.environment.as_str()).collect::<Vec<_>>(), ["prod", "staging"]);
        assert_eq!(seen[0].secrets.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(), ["SHARED_KEY", "OVERRIDE"]);

        // the merged view: the folder's own keys win, then later imports over earlier ones
        let with = ListSecrets::new(p, "dev").include_imports(true);
        let list = $client.secrets().list(with.clone())$($aw)*.unwrap();
        assert_eq!(merged_value(&list, "OVERRIDE").as_deref(), Some("own"));
        assert_eq!(merged_value(&list, "SHARED_KEY").as_deref(), Some("from-prod"));
        assert_eq!(merged_value(&list, "COMMON").as_deref(), Some("c"));
        $client.secrets().delete(DeleteSecret::new(p, "dev", "OVERRIDE"))$($aw)*.unwrap().into_applied().unwrap();
        let list = $client.secrets().list(with.clone())$($aw)*.unwrap();
        assert_eq!(merged_value(&list, "OVERRIDE").as_deref(), Some("staging"), "the later import wins");

        // update: position (and then the other import wins), and the source
        let moved = imports.update(UpdateSecretImport::new(p, "dev", &staging.id).position(1))$($aw)*.expect("update");
        assert_eq!(moved.position, Some(1));
        let listed = imports.list(ListSecretImports::new(p, "dev"))$($aw)*.unwrap();
        assert_eq!(listed.iter().map(|i| i.import_env.slug.as_str()).collect::<Vec<_>>(), ["staging", "prod"]);
        let list = $client.secrets().list(with.clone())$($aw)*.unwrap();
        assert_eq!(merged_value(&list, "OVERRIDE").as_deref(), Some("prod"));
        emu.set_secret(p, "prod", "/other", "OTHER", "o");
        let resourced = imports.update(UpdateSecretImport::new(p, "dev", &prod.id).from_path("/other"))$($aw)*.unwrap();
        assert_eq!((resourced.import_path.as_str(), resourced.import_env.slug.as_str()), ("/other", "prod"));
        let list = $client.secrets().list(with.clone())$($aw)*.unwrap();
        assert_eq!(merged_value(&list, "OTHER").as_deref(), Some("o"));
        assert_eq!(merged_value(&list, "SHARED_KEY"), None);

        // a cycle of two is refused
        let cyclic = imports.create(CreateSecretImport::new(p, "prod", "dev", "/").path("/other"))$($aw)*.unwrap_err();
        assert!(cyclic.is_not_found(), "{cyclic}");

        // delete
        let deleted = imports.delete(DeleteSecretImport::new(p, "dev", &staging.id))$($aw)*.expect("delete");
        assert_eq!(deleted.id, staging.id);
        let listed = imports.list(ListSecretImports::new(p, "dev"))$($aw)*.unwrap();
        assert_eq!(listed.len(), 1);
        let gone = imports.get(GetSecretImport::new(&staging.id))$($aw)*.unwrap_err();
        assert!(gone.is_not_found(), "{gone}");

        // required parameters are checked before sending
        let sent = emu.requests().len();
        let err = imports.update(UpdateSecretImport::new(p, "dev", &prod.id))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "position"), "{err}");
        assert_eq!(emu.requests().len(), sent);
    }};
}

on_every_client!(exercise_every_secret_imports_method, current: "/api/v2/secret-imports", legacy: "/api/v1/secret-imports", blocking: Legacy);
