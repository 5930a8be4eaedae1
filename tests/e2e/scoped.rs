//! `client.project(id).environment(slug)`: scoped handles on both clients, written once for
//! the async client (`[.await]`) and the blocking client (`[]`), checked against what the
//! emulator stored.

use crate::support::World;
use infisical::secrets::{NewSecret, SecretUpdate};
use infisical::CacheConfig;
use std::time::Duration;

/// Every scoped method through `$client` against `$world`.
macro_rules! exercise_scoped_handles {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        let world: &World = $world;
        let (emu, p) = (&world.emulator, world.project.as_str());
        let project = $client.project(p);
        let dev = project.environment("dev");
        let app = project.environment("dev").folder("/app");
        assert_eq!((dev.project_id(), dev.environment(), dev.path()), (p, "dev", "/"));
        assert_eq!(app.path(), "/app");

        // the folder must exist before secrets go in it, as on a real server
        assert_eq!(dev.folders().create("app")$($aw)*.unwrap().name, "app");

        // secrets: every write lands in the scope's folder, every read comes from it
        dev.secrets().create("ROOT", "r")$($aw)*.unwrap().into_applied().unwrap();
        app.secrets().create("API_KEY", "k1")$($aw)*.unwrap().into_applied().unwrap();
        assert_eq!(emu.secret_value(p, "dev", "/app", "API_KEY").as_deref(), Some("k1"));
        assert_eq!(emu.secret_value(p, "dev", "/", "API_KEY"), None);
        let listed = app.secrets().list()$($aw)*.unwrap();
        assert_eq!(listed.iter().map(|s| s.key.as_str()).collect::<Vec<_>>(), ["API_KEY"]);
        assert_eq!(app.secrets().get("API_KEY")$($aw)*.unwrap().value().unwrap(), "k1");
        app.secrets().update("API_KEY", "k2")$($aw)*.unwrap().into_applied().unwrap();
        assert_eq!(emu.secret_value(p, "dev", "/app", "API_KEY").as_deref(), Some("k2"));
        assert!(dev.secrets().get("API_KEY")$($aw)*.unwrap_err().is_not_found());
        let prod = project.environment("prod");
        assert!(prod.secrets().list()$($aw)*.unwrap().is_empty(), "another environment");

        // batches
        app.secrets()
            .batch_create([NewSecret::new("A", "1"), NewSecret::new("B", "2")])$($aw)*
            .unwrap()
            .into_applied()
            .unwrap();
        app.secrets().batch_update([SecretUpdate::new("A").value("10")])$($aw)*.unwrap().into_applied().unwrap();
        assert_eq!(emu.secret_value(p, "dev", "/app", "A").as_deref(), Some("10"));
        app.secrets().batch_delete(["A", "B"])$($aw)*.unwrap().into_applied().unwrap();
        assert_eq!(emu.secret_value(p, "dev", "/app", "B"), None);
        let deleted = app.secrets().delete("API_KEY")$($aw)*.unwrap().into_applied().unwrap();
        assert_eq!(deleted.key, "API_KEY");
        assert_eq!(emu.secret_value(p, "dev", "/app", "API_KEY"), None);

        // folders
        let made = app.folders().create("api")$($aw)*.unwrap();
        assert_eq!(made.name, "api");
        let under_app = app.folders().list()$($aw)*.unwrap();
        assert_eq!(under_app.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(), ["api"]);
        assert!(dev.folders().list()$($aw)*.unwrap().iter().any(|f| f.name == "app"));
        app.folders().delete("api")$($aw)*.unwrap();
        assert!(app.folders().list()$($aw)*.unwrap().is_empty());

        // imports
        emu.set_secret(p, "prod", "/shared", "SHARED", "s");
        let import = app.secret_imports().create("prod", "/shared")$($aw)*.unwrap();
        assert_eq!((import.import_env.slug.as_str(), import.import_path.as_str()), ("prod", "/shared"));
        assert_eq!(app.secret_imports().list()$($aw)*.unwrap().len(), 1);
        let brought = app.secret_imports().secrets()$($aw)*.unwrap();
        assert_eq!(brought[0].secrets[0].key, "SHARED");
        assert!(dev.secret_imports().list()$($aw)*.unwrap().is_empty());

        // tags, project-wide
        let tag = project.tags().create("scoped")$($aw)*.unwrap();
        assert_eq!(project.tags().get_by_slug("scoped")$($aw)*.unwrap().id, tag.id);
        assert!(project.tags().list()$($aw)*.unwrap().iter().any(|t| t.slug == "scoped"));
    }};
}

#[tokio::test]
async fn scoped_handles_on_the_async_client() {
    let world = World::modern();
    let client = world.client();
    exercise_scoped_handles!(client, &world, [.await]);
}

#[test]
fn scoped_handles_on_the_blocking_client() {
    let world = World::modern();
    let client = world.blocking_client();
    exercise_scoped_handles!(client, &world, []);
}

#[tokio::test]
async fn scoped_reads_go_through_the_cache() {
    let world = World::modern();
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "K", "v");
    let client = world
        .builder()
        .secret_cache(CacheConfig::new().ttl(Duration::from_secs(60)))
        .build()
        .unwrap();
    let dev = client.project(&world.project).environment("dev");
    dev.secrets().list().await.unwrap();
    dev.secrets().list().await.unwrap();
    assert_eq!(
        world.count_any("/api/v4/secrets"),
        1,
        "the second list is cached"
    );
    dev.secrets()
        .create("NEW", "n")
        .await
        .unwrap()
        .into_applied()
        .unwrap();
    let after = dev.secrets().list().await.unwrap();
    assert!(
        after.get("NEW").is_some(),
        "a scoped write empties the cache"
    );
}

#[tokio::test]
async fn a_scoped_request_is_checked_like_any_other() {
    let world = World::modern();
    let client = world.client();
    let err = client
        .project(&world.project)
        .environment("")
        .secrets()
        .list()
        .await
        .unwrap_err();
    assert!(
        matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "environment"),
        "{err}"
    );
    let err = client
        .project("")
        .environment("dev")
        .secrets()
        .get("K")
        .await
        .unwrap_err();
    assert!(
        matches!(err, infisical::Error::InvalidRequest(ref e) if e.field() == "project_id"),
        "{err}"
    );
    assert_eq!(world.emulator.requests().len(), 0, "nothing was sent");
}
