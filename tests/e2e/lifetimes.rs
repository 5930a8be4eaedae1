//! Token lifetimes a server announces: zero, negative, huge or the wrong type must never
//! cause a login per call, a panic or a failed call.

use crate::support::World;
use infisical::secrets::ListSecrets;
use serde_json::{json, Value};
use std::time::Duration;

const CALLS: usize = 30;

/// Makes `CALLS` lists through the async client; every one must succeed.
async fn list_many(world: &World) {
    let client = world.client();
    for _ in 0..CALLS {
        world.list(&client).await.expect("the list succeeds");
    }
}

/// A current server whose tokens never expire by TTL, announcing `expires_in` / `max_ttl`.
fn announcing(expires_in: Value, max_ttl: Value) -> World {
    let world = World::with_token_ttl(Duration::ZERO, Duration::ZERO);
    world.emulator.announce_token_lifetimes(expires_in, max_ttl);
    world
}

#[tokio::test]
async fn a_token_without_ttl_expiry_is_logged_in_once() {
    // What a real server answers for an identity whose access-token TTL is 0.
    let world = World::with_token_ttl(Duration::ZERO, Duration::ZERO);
    list_many(&world).await;
    assert_eq!((world.emulator.logins(), world.emulator.renewals()), (1, 0));
}

#[tokio::test]
async fn a_token_without_ttl_expiry_is_still_refreshed_once_when_rejected() {
    let world = World::with_token_ttl(Duration::ZERO, Duration::ZERO);
    let client = world.client();
    let list = || {
        client
            .secrets()
            .list(ListSecrets::new(&world.project, "dev"))
    };
    list().await.unwrap();
    world.emulator.revoke_access_tokens();
    list().await.unwrap();
    list().await.unwrap();
    assert_eq!(world.emulator.logins(), 2, "one login after the rejection");
}

#[tokio::test]
async fn zero_and_negative_lifetimes_mean_no_ttl_expiry() {
    for (expires_in, max_ttl) in [
        (json!(0), json!(0)),
        (json!(-5), json!(0)),
        (json!(-5), json!(-5)),
        (json!(0.0), json!(null)),
        (json!(-1e300), json!(-1e300)),
    ] {
        let world = announcing(expires_in.clone(), max_ttl.clone());
        list_many(&world).await;
        assert_eq!(
            world.emulator.logins(),
            1,
            "expiresIn {expires_in}, accessTokenMaxTTL {max_ttl}"
        );
    }
}

#[tokio::test]
async fn huge_lifetimes_are_capped_not_a_panic() {
    for (expires_in, max_ttl) in [
        (json!(1e19), json!(1e19)),
        (json!(1e300), json!(0)),
        (json!(u64::MAX), json!(u64::MAX)),
        (json!(3600), json!(1e19)),
    ] {
        let world = announcing(expires_in.clone(), max_ttl.clone());
        list_many(&world).await;
        assert_eq!(
            world.emulator.logins(),
            1,
            "expiresIn {expires_in}, accessTokenMaxTTL {max_ttl}"
        );
    }
}

#[test]
fn huge_lifetimes_do_not_panic_the_blocking_client() {
    let world = announcing(json!(1e19), json!(1e19));
    let client = world.blocking_client();
    for _ in 0..CALLS {
        client
            .secrets()
            .list(ListSecrets::new(&world.project, "dev"))
            .expect("the list succeeds");
    }
    assert_eq!(world.emulator.logins(), 1);
}

#[tokio::test]
async fn a_lifetime_of_the_wrong_type_is_a_typed_login_error() {
    let world = announcing(json!("soon"), json!([1]));
    let err = world
        .client()
        .secrets()
        .list(ListSecrets::new(&world.project, "dev"))
        .await
        .unwrap_err();
    assert!(matches!(err, infisical::Error::Credentials(_)), "{err:?}");
    assert!(err.to_string().contains("expiresIn"), "{err}");
}

#[tokio::test]
async fn without_ttl_expiry_the_max_ttl_still_ends_the_token() {
    // TTL 0, max TTL 2 s: the token is good until the max TTL, then a new login (renewing
    // cannot extend past the max TTL).
    let world = World::with_token_ttl(Duration::ZERO, Duration::from_secs(2));
    let client = world.client();
    let list = || {
        client
            .secrets()
            .list(ListSecrets::new(&world.project, "dev"))
    };
    for _ in 0..10 {
        list().await.unwrap();
    }
    assert_eq!(world.emulator.logins(), 1);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    list().await.unwrap();
    assert_eq!((world.emulator.logins(), world.emulator.renewals()), (2, 0));
    assert_eq!(
        world.lists(),
        11,
        "the expired token was replaced before it was sent"
    );
}
