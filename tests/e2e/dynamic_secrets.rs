//! Every dynamic-secrets and lease method, through the async client on a current and on a
//! legacy server (one generation of routes), and through the blocking client.

/// Runs every method of `$client.dynamic_secrets()` and `$client.dynamic_secret_leases()`.
macro_rules! exercise_every_dynamic_secrets_method {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::dynamic_secrets::*;
        use serde_json::json;

        let world: &$crate::support::World = $world;
        let emu = &world.emulator;
        let slug = emu.project_slug(&world.project);
        let s = slug.as_str();
        let dynamic = $client.dynamic_secrets();
        let leases = $client.dynamic_secret_leases();
        let status = |e: &infisical::Error| e.status().map(|s| s.as_u16());

        // create, refuse a duplicate, list, get (with the inputs, never in Debug)
        let provider = DynamicSecretProvider::new("sql-database", json!({
            "client": "postgres", "host": "db.internal", "port": 5432, "database": "app",
            "username": "admin", "password": "hunter2",
            "creationStatement": "CREATE USER ...", "revocationStatement": "DROP USER ..."
        }));
        let create = CreateDynamicSecret::new(s, "dev", "app-db", provider.clone(), "1h").max_ttl("24h");
        let made = dynamic.create(create.clone())$($aw)*.expect("create");
        assert_eq!((made.name.as_str(), made.provider_type.as_str()), ("app-db", "sql-database"));
        assert_eq!((made.default_ttl.as_str(), made.max_ttl.as_deref()), ("1h", Some("24h")));
        let duplicate = dynamic.create(create)$($aw)*.unwrap_err();
        assert_eq!(status(&duplicate), Some(400), "{duplicate}");
        let listed = dynamic.list(ListDynamicSecrets::new(s, "dev"))$($aw)*.expect("list");
        assert_eq!(listed.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(), ["app-db"]);
        let got = dynamic.get(GetDynamicSecret::new(s, "dev", "app-db"))$($aw)*.expect("get");
        assert_eq!(got.inputs.as_ref().unwrap().expose()["host"], "db.internal");
        assert!(!format!("{got:?}").contains("hunter2"));

        // update: merge inputs, change the default TTL, rename
        let update = UpdateDynamicSecret::new(s, "dev", "app-db").inputs(json!({"port": 6432})).default_ttl("2h").rename("main-db");
        let updated = dynamic.update(update)$($aw)*.expect("update");
        assert_eq!((updated.name.as_str(), updated.default_ttl.as_str()), ("main-db", "2h"));
        let inputs = dynamic.get(GetDynamicSecret::new(s, "dev", "main-db"))$($aw)*.unwrap().inputs.unwrap();
        assert_eq!((inputs.expose()["port"].clone(), inputs.expose()["host"].clone()), (json!(6432), json!("db.internal")));

        // leases: issue credentials, within the max TTL
        let issued = leases.create(CreateLease::new(s, "dev", "main-db").ttl("30m"))$($aw)*.expect("create lease");
        let user = issued.credentials.get("DB_USERNAME").expect("a user").to_owned();
        assert!(issued.credentials.get("DB_PASSWORD").is_some_and(|p| !p.is_empty()));
        assert_eq!(issued.lease.external_entity_id, user);
        assert_eq!(issued.dynamic_secret.name, "main-db");
        assert!(!format!("{issued:?}").contains(issued.credentials.get("DB_PASSWORD").unwrap()));
        let too_long = leases.create(CreateLease::new(s, "dev", "main-db").ttl("48h"))$($aw)*.unwrap_err();
        assert_eq!(status(&too_long), Some(400), "{too_long}");
        let second = leases.create(CreateLease::new(s, "dev", "main-db"))$($aw)*.unwrap();

        // get, renew (later expiry), list, revoke
        let lease = leases.get(GetLease::new(s, "dev", &issued.lease.id))$($aw)*.expect("get lease");
        assert_eq!(lease.dynamic_secret.map(|d| d.name), Some("main-db".to_owned()));
        let renewed = leases.renew(RenewLease::new(s, "dev", &issued.lease.id).ttl("1h"))$($aw)*.expect("renew");
        assert!(renewed.expire_at > lease.expire_at, "{} > {}", renewed.expire_at, lease.expire_at);
        let all = leases.list(ListLeases::new(s, "dev", "main-db"))$($aw)*.expect("list leases");
        assert_eq!(all.len(), 2);
        let revoked = leases.revoke(RevokeLease::new(s, "dev", &second.lease.id))$($aw)*.expect("revoke");
        assert_eq!(revoked.id, second.lease.id);
        assert_eq!(leases.list(ListLeases::new(s, "dev", "main-db"))$($aw)*.unwrap().len(), 1);
        let gone = leases.get(GetLease::new(s, "dev", &second.lease.id))$($aw)*.unwrap_err();
        assert!(gone.is_not_found(), "{gone}");

        // delete the dynamic secret
        let deleted = dynamic.delete(DeleteDynamicSecret::new(s, "dev", "main-db"))$($aw)*.expect("delete");
        assert_eq!(deleted.name, "main-db");
        assert!(dynamic.list(ListDynamicSecrets::new(s, "dev"))$($aw)*.unwrap().is_empty());
        let missing = dynamic.get(GetDynamicSecret::new(s, "dev", "main-db"))$($aw)*.unwrap_err();
        assert!(missing.is_not_found(), "{missing}");

        // required parameters are checked before sending
        let sent = emu.requests().len();
        let err = leases.create(CreateLease::new(s, "dev", ""))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "dynamic_secret_name"), "{err}");
        let err = dynamic.list(ListDynamicSecrets::new("", "dev"))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "project_slug"), "{err}");
        assert_eq!(emu.requests().len(), sent);
    }};
}

on_every_client!(exercise_every_dynamic_secrets_method, blocking: Modern);
