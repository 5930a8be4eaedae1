//! Logins, refresh on rejection, revocation, and secrecy of credentials.

use crate::support::World;
use infisical::credentials::ClientCredentials;
use infisical::credentials::UniversalAuth;
use infisical::secrets::{CreateSecret, ListSecrets};
use infisical::Error;
use infisical_emulator::ServerMode;

#[tokio::test]
async fn concurrent_first_calls_log_in_once() {
    let world = World::modern();
    let client = world.client();
    let calls = (0..50).map(|_| {
        let client = client.clone();
        let project = world.project.clone();
        tokio::spawn(async move {
            client
                .secrets()
                .list(ListSecrets::new(project, "dev"))
                .await
        })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(world.emulator.logins(), 1);
    assert_eq!(world.lists(), 50);
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_request_resent_once() {
    let world = World::modern();
    let client = world.client();
    let list = || {
        client
            .secrets()
            .list(ListSecrets::new(&world.project, "dev"))
    };
    list().await.unwrap();
    world.emulator.expire_access_tokens();
    list().await.expect("recovers transparently");
    assert_eq!(
        world.emulator.logins(),
        2,
        "the expired token was not renewable: a new login"
    );
    assert_eq!(world.lists(), 3, "one rejected, one resent");
}

#[tokio::test]
async fn a_token_revoked_server_side_recovers_with_one_login() {
    let world = World::modern();
    let client = world.client();
    let list = || {
        client
            .secrets()
            .list(ListSecrets::new(&world.project, "dev"))
    };
    list().await.unwrap();
    world.emulator.revoke_access_tokens();
    for _ in 0..3 {
        list().await.unwrap();
    }
    assert_eq!(world.emulator.logins(), 2);
}

#[tokio::test]
async fn wrong_client_secret_is_a_typed_login_rejection() {
    let world = World::modern();
    let client = infisical::Client::builder()
        .base_url(world.emulator.url())
        .credentials(UniversalAuth::new(
            world.client_id.clone(),
            "not-the-secret",
        ))
        .build()
        .unwrap();
    let err = world.list(&client).await.unwrap_err();
    let Error::Credentials(cred) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(cred.kind(), infisical::CredentialsErrorKind::LoginRejected);
    assert_eq!(cred.provider(), "universal-auth");
    assert!(err.is_auth());
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    assert!(!err.to_string().contains("not-the-secret"));
    assert_eq!(world.lists(), 0);
}

#[tokio::test]
async fn a_static_token_works_and_its_rejection_is_final() {
    let world = World::new(ServerMode::Modern);
    world.emulator.add_static_token("st.static-token-value");
    let good = infisical::Client::builder()
        .base_url(world.emulator.url())
        .credentials(ClientCredentials::access_token("st.static-token-value"))
        .build()
        .unwrap();
    good.secrets()
        .create(CreateSecret::new(&world.project, "dev", "K", "v"))
        .await
        .unwrap()
        .into_applied()
        .unwrap();
    let bad = infisical::Client::builder()
        .base_url(world.emulator.url())
        .credentials(ClientCredentials::access_token("st.wrong"))
        .build()
        .unwrap();
    let err = world.list(&bad).await.unwrap_err();
    assert!(err.is_auth(), "{err}");
    assert_eq!(err.as_api().unwrap().error_name(), Some("TokenError"));
    assert_eq!(world.lists(), 1, "no pointless resend");
    assert_eq!(world.emulator.logins(), 0);
}

#[tokio::test]
async fn close_revokes_the_universal_auth_token() {
    let world = World::modern();
    let client = world.client();
    world.list(&client).await.unwrap();
    client.close().await.unwrap();
    client.close().await.unwrap(); // idempotent
    assert_eq!(world.emulator.count("POST", "/api/v1/auth/token/revoke"), 1);
    let err = world.list(&client).await.unwrap_err();
    assert!(matches!(err, Error::Closed));
}

#[tokio::test]
async fn no_secret_in_debug_output() {
    let world = World::modern();
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "PASSWORD", "hunter2-value");
    let client = world.client();
    let list = world.list(&client).await.unwrap();
    let create = CreateSecret::new(&world.project, "dev", "X", "another-secret-value");
    let builder = world.builder();
    let printed = format!("{client:?} {list:?} {create:?} {builder:?}");
    for secret in [
        "hunter2-value",
        "another-secret-value",
        world.client_secret.as_str(),
    ] {
        assert!(!printed.contains(secret), "{secret} leaked in {printed}");
    }
    assert!(printed.contains("PASSWORD"), "names are fine to show");
}
