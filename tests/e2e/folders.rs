//! Every folders method, through the async client on a current and on a legacy server, and
//! through the blocking client.

/// Runs every folders method through `$client.folders()` against `$world`.
macro_rules! exercise_every_folders_method {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::folders::*;
        use infisical_emulator::ServerMode;

        let world: &$crate::support::World = $world;
        let emu = &world.emulator;
        let p = world.project.as_str();
        let legacy = matches!(world.emulator.mode(), ServerMode::Legacy);
        let f = $client.folders();

        // create, nested create, and creating again answers the same folder
        let app = f.create(CreateFolder::new(p, "dev", "app"))$($aw)*.expect("create");
        assert_eq!(app.name, "app");
        let db = f.create(CreateFolder::new(p, "dev", "db").path("/app"))$($aw)*.expect("nested");
        assert_eq!(db.parent_id.as_deref(), Some(app.id.as_str()));
        let again = f.create(CreateFolder::new(p, "dev", "db").path("app/"))$($aw)*.unwrap();
        assert_eq!(again.id, db.id);
        assert_eq!(emu.folder_paths(p, "dev"), ["/", "/app", "/app/db"]);

        // list a folder; recursive lists need the current routes
        let root = f.list(ListFolders::new(p, "dev"))$($aw)*.expect("list");
        assert_eq!(root.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["app"]);
        let inner = f.list(ListFolders::new(p, "dev").path("/app"))$($aw)*.unwrap();
        assert_eq!(inner[0].id, db.id);
        let recursive = f.list(ListFolders::new(p, "dev").recursive(true))$($aw)*;
        if legacy {
            let err = recursive.unwrap_err();
            assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "recursive"), "{err}");
        } else {
            let all = recursive.expect("recursive list");
            let paths: Vec<_> = all.iter().map(|f| f.relative_path.as_deref().unwrap_or("")).collect();
            assert_eq!(paths, ["/app", "/app/db"]);
        }

        // get by id: path, project and environment
        let got = f.get(GetFolder::new(&db.id))$($aw)*.expect("get");
        assert_eq!(got.path.as_deref(), Some("/app/db"));
        assert_eq!(got.project_id.as_deref(), Some(p));
        assert_eq!(got.environment.as_ref().map(|e| e.env_slug.as_str()), Some("dev"));

        // update: rename
        let renamed = f.update(UpdateFolder::new(p, "dev", &db.id, "database").path("/app"))$($aw)*.expect("update");
        assert_eq!((renamed.id.as_str(), renamed.name.as_str()), (db.id.as_str(), "database"));
        assert_eq!(emu.folder_paths(p, "dev"), ["/", "/app", "/app/database"]);
        let taken = f.create(CreateFolder::new(p, "dev", "cache").path("/app"))$($aw)*.unwrap();
        let clash = f.update(UpdateFolder::new(p, "dev", &taken.id, "database").path("/app"))$($aw)*.unwrap_err();
        assert_eq!(clash.status().map(|s| s.as_u16()), Some(400), "{clash}");

        // batch update, all or none; older servers name the project by its slug
        let slug = emu.project_slug(p);
        let batch = BatchUpdateFolders::new(p, [
            FolderUpdate::in_environment("dev", &app.id, "service"),
            FolderUpdate::in_environment("dev", &taken.id, "redis").path("/service"),
        ])
        .project_slug(&slug);
        let err = f.batch_update(batch.clone())$($aw)*.unwrap_err();
        assert!(err.is_not_found(), "the second folder's parent is renamed by the first: {err}");
        let batch = BatchUpdateFolders::new(p, [
            FolderUpdate::in_environment("dev", &taken.id, "redis").path("/app"),
            FolderUpdate::in_environment("dev", &app.id, "service"),
        ])
        .project_slug(&slug);
        let updated = f.batch_update(batch)$($aw)*.expect("batch update");
        assert_eq!(updated.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["redis", "service"]);
        assert_eq!(emu.folder_paths(p, "dev"), ["/", "/service", "/service/database", "/service/redis"]);

        // descriptions need the current routes
        let described = f.create(CreateFolder::new(p, "staging", "docs").description("read me"))$($aw)*;
        if legacy {
            assert!(matches!(described.unwrap_err(), infisical::Error::InvalidRequest(ref e) if e.field() == "description"));
        } else {
            assert_eq!(described.unwrap().description.as_deref(), Some("read me"));
        }

        // delete by id (and everything inside), then by name
        let deleted = f.delete(DeleteFolder::new(p, "dev", &app.id))$($aw)*.expect("delete");
        assert_eq!(deleted.name, "service");
        assert_eq!(emu.folder_paths(p, "dev"), ["/"]);
        let gone = f.get(GetFolder::new(&db.id))$($aw)*.unwrap_err();
        assert!(gone.is_not_found(), "{gone}");
        f.create(CreateFolder::new(p, "prod", "tmp"))$($aw)*.unwrap();
        f.delete(DeleteFolder::new(p, "prod", "tmp"))$($aw)*.expect("delete by name");
        assert_eq!(emu.folder_paths(p, "prod"), ["/"]);

        // the server's errors, and required parameters checked before sending
        let missing_env = f.create(CreateFolder::new(p, "qa", "x"))$($aw)*.unwrap_err();
        assert!(missing_env.is_not_found(), "{missing_env}");
        let sent = emu.requests().len();
        let err = f.create(CreateFolder::new(p, "dev", " "))$($aw)*.unwrap_err();
        assert!(matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "name"), "{err}");
        assert_eq!(emu.requests().len(), sent, "nothing was sent");
    }};
}

on_every_client!(exercise_every_folders_method, current: "/api/v2/folders", legacy: "/api/v1/folders", blocking: Modern);
