//! Credentials through the facade: the chain, its order, the CLI's login, refresh storms.

use crate::support::World;
use infisical::credentials::ClientCredentials;
use infisical::credentials::{
    provider_fn, Credentials, CredentialsChain, Lookup, ProvidedCredentials, StaticEnv,
};
use infisical::secrets::ListSecrets;
use infisical::{CredentialsErrorKind, Error};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

fn chain(env: StaticEnv) -> CredentialsChain {
    CredentialsChain::default_with_env(Arc::new(env))
}

fn fixture_home(scenario: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/fixtures/cli-keyring")
        .join(scenario)
        .join("home")
}

#[tokio::test]
async fn the_environment_gives_credentials_and_the_server() {
    let world = World::modern();
    let env = StaticEnv::from([
        ("INFISICAL_URL", world.emulator.url()),
        ("INFISICAL_CLIENT_ID", world.client_id.clone()),
        ("INFISICAL_CLIENT_SECRET", world.client_secret.clone()),
    ]);
    let client = infisical::Client::builder()
        .credentials(chain(env))
        .build()
        .unwrap();
    world.list(&client).await.unwrap();
    assert_eq!(client.base_url(), world.emulator.url());
    let me = client.identity().await.unwrap();
    assert_eq!(me.provider, "environment");
    assert_eq!(me.identity.as_deref(), Some(world.client_id.as_str()));
    assert!(me.expires_at.is_some());
    assert_eq!(world.emulator.logins(), 1);
}

#[tokio::test]
async fn universal_auth_in_the_environment_wins_over_a_token() {
    let world = World::modern();
    let env = StaticEnv::from([
        ("INFISICAL_URL", world.emulator.url()),
        ("INFISICAL_CLIENT_ID", world.client_id.clone()),
        ("INFISICAL_CLIENT_SECRET", world.client_secret.clone()),
        ("INFISICAL_TOKEN", "not-a-valid-token".to_owned()),
    ]);
    let client = infisical::Client::builder()
        .credentials(chain(env))
        .build()
        .unwrap();
    world.list(&client).await.unwrap();
    assert_eq!(world.emulator.logins(), 1, "universal auth logged in");
}

#[tokio::test]
async fn explicit_credentials_win_over_the_environment() {
    let world = World::modern();
    world.emulator.add_static_token("explicit-token");
    // The default chain would find these; explicit credentials are used instead.
    let client = world
        .builder()
        .credentials(ClientCredentials::access_token("explicit-token"))
        .build()
        .unwrap();
    world.list(&client).await.unwrap();
    assert_eq!(client.identity().await.unwrap().provider, "explicit");
    assert_eq!(world.emulator.logins(), 0);
}

#[tokio::test]
async fn a_custom_provider_inserted_first_wins() {
    let world = World::modern();
    world.emulator.add_static_token("from-my-vault");
    let env = StaticEnv::from([
        ("INFISICAL_CLIENT_ID", world.client_id.clone()),
        ("INFISICAL_CLIENT_SECRET", world.client_secret.clone()),
    ]);
    let mine = provider_fn("my-vault", || async {
        Ok(Lookup::Found(ProvidedCredentials::new(
            "my-vault",
            Credentials::AccessToken("from-my-vault".into()),
        )))
    });
    let client = infisical::Client::builder()
        .base_url(world.emulator.url())
        .credentials(chain(env).insert(0, mine))
        .build()
        .unwrap();
    world.list(&client).await.unwrap();
    assert_eq!(client.identity().await.unwrap().provider, "my-vault");
    assert_eq!(world.emulator.logins(), 0);
}

#[tokio::test]
async fn nothing_found_lists_every_provider_and_sends_nothing() {
    let world = World::modern();
    let client = infisical::Client::builder()
        .base_url(world.emulator.url())
        .credentials(chain(StaticEnv::new()))
        .build()
        .expect("building needs no credentials yet");
    let err = world.list(&client).await.unwrap_err();
    let Error::Credentials(cred) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(cred.kind(), CredentialsErrorKind::NotFound);
    let tried: Vec<_> = cred
        .attempts()
        .iter()
        .map(|a| a.provider.as_str())
        .collect();
    assert_eq!(tried, ["environment", "infisical-cli"]);
    assert!(err.to_string().contains("INFISICAL_TOKEN"), "{err}");
    assert!(world.emulator.requests().is_empty());
}

#[tokio::test]
async fn the_cli_login_gives_user_server_and_expiry_without_a_request() {
    let env = StaticEnv::from([("HOME", fixture_home("valid").to_string_lossy().into_owned())]);
    let client = infisical::Client::builder()
        .credentials(chain(env))
        .build()
        .unwrap();
    let me = client.identity().await.unwrap();
    assert_eq!(me.provider, "infisical-cli");
    assert_eq!(me.identity.as_deref(), Some("alice@example.com"));
    assert_eq!(me.base_url, "https://app.infisical.com");
    assert_eq!(
        me.expires_at,
        Some(UNIX_EPOCH + Duration::from_secs(4_102_444_800))
    );
}

#[tokio::test]
async fn an_expired_cli_login_is_reported_up_front() {
    let env = StaticEnv::from([(
        "HOME",
        fixture_home("expired-token").to_string_lossy().into_owned(),
    )]);
    let client = infisical::Client::builder()
        .credentials(chain(env))
        .build()
        .unwrap();
    let err = client.identity().await.unwrap_err();
    let Error::Credentials(cred) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(cred.kind(), CredentialsErrorKind::Expired);
    assert!(err.to_string().contains("infisical login"), "{err}");
}

#[tokio::test]
async fn two_hundred_concurrent_requests_after_expiry_log_in_once_and_all_succeed() {
    let world = World::modern();
    let client = world.client();
    world.list(&client).await.unwrap();
    world.emulator.expire_access_tokens();
    let calls: Vec<_> = (0..200)
        .map(|_| {
            let client = client.clone();
            let project = world.project.clone();
            tokio::spawn(async move {
                client
                    .secrets()
                    .list(ListSecrets::new(project, "dev"))
                    .await
            })
        })
        .collect();
    let mut failures = 0;
    for call in calls {
        failures += usize::from(call.await.unwrap().is_err());
    }
    assert_eq!(failures, 0);
    assert_eq!(
        world.emulator.logins() + world.emulator.renewals(),
        2,
        "one more login, exactly"
    );
}

#[test]
fn two_hundred_concurrent_blocking_requests_after_expiry_log_in_once() {
    let world = World::modern();
    let client = world.blocking_client();
    client
        .secrets()
        .list(ListSecrets::new(&world.project, "dev"))
        .unwrap();
    world.emulator.expire_access_tokens();
    let failures: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..200)
            .map(|_| {
                let client = client.clone();
                let project = world.project.clone();
                scope.spawn(move || {
                    client
                        .secrets()
                        .list(ListSecrets::new(project, "dev"))
                        .is_err()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| usize::from(h.join().unwrap()))
            .sum()
    });
    assert_eq!(failures, 0);
    assert_eq!(world.emulator.logins() + world.emulator.renewals(), 2);
}

#[tokio::test]
async fn renews_while_the_max_ttl_allows_then_logs_in_again() {
    let world = World::with_token_ttl(Duration::from_secs(2), Duration::from_secs(5));
    let (emulator, client) = (&world.emulator, world.client());
    let list = || {
        client
            .secrets()
            .list(ListSecrets::new(&world.project, "dev"))
    };
    list().await.unwrap(); // t=0: login, token valid until 2 s
    tokio::time::sleep(Duration::from_millis(1700)).await;
    list().await.unwrap(); // refresh due: renewed to 3.7 s, within the 5 s max TTL
    assert_eq!((emulator.logins(), emulator.renewals()), (1, 1));
    tokio::time::sleep(Duration::from_millis(1700)).await;
    list().await.unwrap(); // refresh due: renewing would pass the max TTL, so a new login
    assert_eq!((emulator.logins(), emulator.renewals()), (2, 1));
    assert_eq!(
        emulator.count("GET", "/api/v4/secrets"),
        3,
        "no request was rejected"
    );
}

#[tokio::test]
async fn close_can_leave_the_token_alive() {
    let world = World::modern();
    let client = world.builder().revoke_on_close(false).build().unwrap();
    world.list(&client).await.unwrap();
    client.close().await.unwrap();
    assert_eq!(world.emulator.count("POST", "/api/v1/auth/token/revoke"), 0);
}

#[tokio::test]
async fn a_cli_login_is_never_sent_to_another_server() {
    let world = World::modern();
    let env = StaticEnv::from([("HOME", fixture_home("valid").to_string_lossy().into_owned())]);
    // The CLI logged into https://app.infisical.com; the client is configured for another.
    let client = infisical::Client::builder()
        .base_url(world.emulator.url())
        .credentials(chain(env))
        .build()
        .unwrap();
    let err = world.list(&client).await.unwrap_err();
    let Error::Credentials(cred) = &err else {
        panic!("a credentials error: {err:?}")
    };
    assert_eq!(cred.kind(), CredentialsErrorKind::Invalid, "{err}");
    let text = err.to_string();
    assert!(text.contains("https://app.infisical.com"), "{text}");
    assert!(text.contains(&world.emulator.url()), "{text}");
    assert!(world.emulator.requests().is_empty(), "nothing was sent");
    assert!(client.identity().await.is_err(), "and never will be");
    assert!(world.emulator.requests().is_empty());
}

#[tokio::test]
async fn the_server_named_by_infisical_url_is_known_at_build() {
    let world = World::modern();
    let env = StaticEnv::from([
        ("INFISICAL_URL", world.emulator.url()),
        ("INFISICAL_CLIENT_ID", world.client_id.clone()),
        ("INFISICAL_CLIENT_SECRET", world.client_secret.clone()),
    ]);
    let client = infisical::Client::builder()
        .env(Arc::new(env))
        .build()
        .unwrap();
    assert_eq!(client.base_url(), world.emulator.url(), "before any call");
    assert!(world.emulator.requests().is_empty());
    world.list(&client).await.unwrap();
    assert_eq!(client.base_url(), world.emulator.url());
    // An unusable INFISICAL_URL fails the build, not the first call.
    let env = StaticEnv::from([("INFISICAL_URL", "not a url".to_owned())]);
    let err = infisical::Client::builder()
        .env(Arc::new(env))
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}
