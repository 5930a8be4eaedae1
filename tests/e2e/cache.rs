//! The secret cache: hits (counted by the emulator), invalidation, stale-if-error, keys.

use crate::support::World;
use infisical::secrets::{CreateSecret, Freshness, GetSecret, ListSecrets, UpdateSecret};
use infisical::CacheConfig;
use infisical_emulator::{Fault, Route};
use std::time::Duration;

const LIST: &str = "/api/v4/secrets";

fn cached_client(world: &World, config: CacheConfig) -> infisical::Client {
    world.builder().secret_cache(config).build().unwrap()
}

/// A client whose answers go stale after `ttl` and may be served stale for `max_stale`,
/// without retries so that each failure is seen at once; its first list is already cached.
async fn stale_prone_client(world: &World, ttl: u64, max_stale: u64) -> infisical::Client {
    let config = CacheConfig::new()
        .ttl(Duration::from_millis(ttl))
        .max_stale(Duration::from_millis(max_stale));
    let client = world
        .builder()
        .secret_cache(config)
        .no_retries()
        .build()
        .unwrap();
    world.list(&client).await.unwrap();
    client
}

#[tokio::test]
async fn repeated_reads_are_served_from_the_cache_until_the_ttl() {
    let world = World::modern();
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "K", "v");
    let client = cached_client(&world, CacheConfig::new().ttl(Duration::from_millis(300)));
    let list = || {
        client
            .secrets()
            .list(ListSecrets::new(&world.project, "dev"))
    };
    assert_eq!(list().await.unwrap().freshness, Freshness::Live);
    for _ in 0..5 {
        let cached = list().await.unwrap();
        assert!(
            matches!(cached.freshness, Freshness::Cached { .. }),
            "{:?}",
            cached.freshness
        );
        assert_eq!(cached.get("K").unwrap().value().unwrap(), "v");
    }
    assert_eq!(world.emulator.count("GET", LIST), 1);
    tokio::time::sleep(Duration::from_millis(350)).await;
    assert_eq!(list().await.unwrap().freshness, Freshness::Live);
    assert_eq!(world.emulator.count("GET", LIST), 2);
}

#[tokio::test]
async fn a_write_through_the_client_invalidates_what_it_affects() {
    let world = World::modern();
    let p = world.project.as_str();
    world.emulator.set_secret(p, "dev", "/", "K", "old");
    let client = cached_client(&world, CacheConfig::new());
    let s = client.secrets();
    assert_eq!(
        s.get(GetSecret::new(p, "dev", "K"))
            .await
            .unwrap()
            .value()
            .unwrap(),
        "old"
    );
    assert_eq!(s.list(ListSecrets::new(p, "dev")).await.unwrap().len(), 1);
    s.update(UpdateSecret::new(p, "dev", "K").value("new"))
        .await
        .unwrap()
        .into_applied()
        .unwrap();
    s.create(CreateSecret::new(p, "dev", "ADDED", "1"))
        .await
        .unwrap()
        .into_applied()
        .unwrap();
    assert_eq!(
        s.get(GetSecret::new(p, "dev", "K"))
            .await
            .unwrap()
            .value()
            .unwrap(),
        "new"
    );
    assert_eq!(s.list(ListSecrets::new(p, "dev")).await.unwrap().len(), 2);
    assert_eq!(world.emulator.count("GET", LIST), 2);
    assert_eq!(world.emulator.count("GET", "/api/v4/secrets/K"), 2);
}

#[tokio::test]
async fn a_write_keeps_the_answers_of_other_projects() {
    let world = World::modern();
    let (p, other) = (
        world.project.as_str(),
        world.emulator.create_project("other"),
    );
    let client = cached_client(&world, CacheConfig::new());
    let s = client.secrets();
    s.list(ListSecrets::new(p, "dev")).await.unwrap();
    s.list(ListSecrets::new(&other, "dev")).await.unwrap();
    s.create(CreateSecret::new(p, "dev", "NEW", "1"))
        .await
        .unwrap()
        .into_applied()
        .unwrap();
    let mine = s.list(ListSecrets::new(p, "dev")).await.unwrap();
    let theirs = s.list(ListSecrets::new(&other, "dev")).await.unwrap();
    assert_eq!(
        mine.freshness,
        Freshness::Live,
        "the written project is asked again"
    );
    assert!(
        matches!(theirs.freshness, Freshness::Cached { .. }),
        "{:?}",
        theirs.freshness
    );
    assert_eq!(world.emulator.count("GET", LIST), 3);
}

#[tokio::test]
async fn keys_that_differ_only_by_path_or_version_never_collide() {
    let world = World::modern();
    let p = world.project.as_str();
    world.emulator.set_secret(p, "dev", "/", "K", "root");
    world.emulator.set_secret(p, "dev", "/app", "K", "app");
    world.emulator.set_secret(p, "dev", "/", "V", "one");
    world.emulator.set_secret(p, "dev", "/", "V", "two");
    let client = cached_client(&world, CacheConfig::new());
    let s = client.secrets();
    for _ in 0..2 {
        let root = s.list(ListSecrets::new(p, "dev")).await.unwrap();
        let app = s
            .list(ListSecrets::new(p, "dev").path("/app"))
            .await
            .unwrap();
        assert_eq!(root.get("K").unwrap().value().unwrap(), "root");
        assert_eq!(app.get("K").unwrap().value().unwrap(), "app");
        let v1 = s
            .get(GetSecret::new(p, "dev", "V").version(1))
            .await
            .unwrap();
        let v2 = s
            .get(GetSecret::new(p, "dev", "V").version(2))
            .await
            .unwrap();
        let latest = s.get(GetSecret::new(p, "dev", "V")).await.unwrap();
        assert_eq!(
            (
                v1.value().unwrap(),
                v2.value().unwrap(),
                latest.value().unwrap()
            ),
            ("one", "two", "two")
        );
        let raw = s
            .list(ListSecrets::new(p, "dev").expand_references(false))
            .await
            .unwrap();
        assert_eq!(raw.len(), 2);
    }
    assert_eq!(
        world.emulator.count("GET", LIST),
        3,
        "root, /app, unexpanded: once each"
    );
    assert_eq!(world.emulator.count("GET", "/api/v4/secrets/V"), 3);
}

#[tokio::test]
async fn the_last_good_answer_is_served_stale_while_the_server_fails() {
    let world = World::modern();
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "K", "v");
    let client = stale_prone_client(&world, 50, 30_000).await;
    let list = || {
        client
            .secrets()
            .list(ListSecrets::new(&world.project, "dev"))
    };
    tokio::time::sleep(Duration::from_millis(80)).await;

    world
        .emulator
        .inject(Route::new("GET", LIST), Fault::status(503));
    let stale = list().await.expect("served from the cache");
    assert!(stale.freshness.is_stale(), "{:?}", stale.freshness);
    assert_eq!(stale.get("K").unwrap().value().unwrap(), "v");

    // A client error is not an outage: it is returned, not hidden.
    world
        .emulator
        .inject(Route::new("GET", LIST), Fault::status(403));
    assert!(list().await.is_err());

    // With the server gone entirely.
    world
        .emulator
        .inject(Route::new("GET", LIST), Fault::DropConnection);
    assert!(list().await.expect("still served").freshness.is_stale());
}

#[tokio::test]
async fn past_the_staleness_limit_the_error_is_returned() {
    let world = World::modern();
    let client = stale_prone_client(&world, 30, 100).await;
    let project = world.project.clone();
    drop(world); // the server stops
    tokio::time::sleep(Duration::from_millis(50)).await; // past the ttl
    let stale = client
        .secrets()
        .list(ListSecrets::new(&project, "dev"))
        .await
        .unwrap();
    assert!(stale.freshness.is_stale());
    tokio::time::sleep(Duration::from_millis(200)).await;
    let err = client
        .secrets()
        .list(ListSecrets::new(&project, "dev"))
        .await
        .unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
}

#[tokio::test]
async fn the_cache_is_bounded() {
    let world = World::modern();
    let client = cached_client(&world, CacheConfig::new().max_entries(2));
    let list = |path: &'static str| {
        client
            .secrets()
            .list(ListSecrets::new(&world.project, "dev").path(path))
    };
    for path in ["/a", "/b", "/c", "/a"] {
        list(path).await.unwrap();
    }
    assert_eq!(world.emulator.count("GET", LIST), 4, "/a was evicted by /c");
}

#[test]
fn the_blocking_client_shares_the_same_cache_behaviour() {
    let world = World::modern();
    let client = world
        .blocking_builder()
        .secret_cache(CacheConfig::new())
        .build()
        .unwrap();
    for _ in 0..3 {
        client
            .secrets()
            .list(ListSecrets::new(&world.project, "dev"))
            .unwrap();
    }
    assert_eq!(world.emulator.count("GET", LIST), 1);
}

#[tokio::test]
async fn a_list_answered_before_a_write_is_not_cached_after_it() {
    let world = World::modern();
    let client = cached_client(&world, CacheConfig::new().ttl(Duration::from_secs(60)));
    let p = world.project.clone();
    // The list's answer is computed now and delivered in 500 ms: older than the write below.
    world.emulator.inject(
        Route::new("GET", LIST),
        Fault::SlowBody(Duration::from_millis(500)),
    );
    let slow_list = {
        let (client, p) = (client.clone(), p.clone());
        tokio::spawn(async move { client.secrets().list(ListSecrets::new(p, "dev")).await })
    };
    while world.emulator.count("GET", LIST) == 0 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    client
        .secrets()
        .create(CreateSecret::new(&p, "dev", "WRITTEN", "v"))
        .await
        .unwrap()
        .into_applied()
        .unwrap();
    let old = slow_list.await.unwrap().unwrap();
    assert!(
        old.get("WRITTEN").is_none(),
        "the answer predates the write"
    );
    let next = client
        .secrets()
        .list(ListSecrets::new(&p, "dev"))
        .await
        .unwrap();
    assert!(
        next.get("WRITTEN").is_some(),
        "a client reads its own writes"
    );
    assert_eq!(next.freshness, Freshness::Live);
}

#[tokio::test]
async fn an_outage_longer_than_the_token_serves_stale_answers() {
    let world = World::with_token_ttl(Duration::from_secs(1), Duration::ZERO);
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "K", "v");
    let client = stale_prone_client(&world, 100, 60_000).await;
    let list = || {
        client
            .secrets()
            .list(ListSecrets::new(&world.project, "dev"))
    };
    let World { emulator, .. } = world;
    emulator.shutdown(); // the server is gone, and the token expires during the outage
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let stale = list()
        .await
        .expect("the last good answer, though the login cannot connect");
    assert!(
        matches!(stale.freshness, Freshness::Stale { .. }),
        "{:?}",
        stale.freshness
    );
    assert_eq!(stale.get("K").unwrap().value().unwrap(), "v");
}

#[tokio::test]
async fn a_rejected_login_is_never_answered_from_the_cache() {
    let world = World::with_token_ttl(Duration::from_secs(1), Duration::ZERO);
    let client = stale_prone_client(&world, 100, 60_000).await;
    let list = || {
        client
            .secrets()
            .list(ListSecrets::new(&world.project, "dev"))
    };
    tokio::time::sleep(Duration::from_millis(1200)).await; // the token expired
    world
        .emulator
        .inject(Route::new("POST", "/api/v1/auth/"), Fault::status(401));
    let err = list().await.unwrap_err();
    assert!(err.is_auth(), "{err}");
}
