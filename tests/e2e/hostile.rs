//! Server answers that must not hurt the client: timeouts seen through a login, redirects
//! and oversized heads that no retry changes, echoed secrets, values in decode errors.

use crate::support::World;
use infisical::{Error, TransportErrorKind};
use infisical_emulator::{Fault, Route};
use serde_json::json;
use std::time::Duration;

const LOGIN: &str = "/api/v1/auth/universal-auth/login";
const LIST: &str = "/api/v4/secrets";

async fn list(world: &World, client: &infisical::Client) -> Result<(), Error> {
    world.list(client).await.map(drop)
}

/// Everything a user can see of an error.
fn shown(err: &Error) -> String {
    let mut text = format!("{err}\n{err:?}");
    let mut cause = std::error::Error::source(err);
    while let Some(c) = cause {
        text.push_str(&format!("\n{c}\n{c:?}"));
        cause = c.source();
    }
    text
}

#[tokio::test]
async fn a_login_that_times_out_is_a_timeout() {
    let world = World::modern();
    world.emulator.inject(
        Route::new("POST", LOGIN),
        Fault::Delay(Duration::from_secs(2)),
    );
    let client = world
        .builder()
        .timeout(Duration::from_millis(300))
        .no_retries()
        .build()
        .unwrap();
    let err = list(&world, &client).await.unwrap_err();
    assert!(matches!(err, Error::Credentials(_)), "{err:?}");
    assert!(err.is_timeout(), "{err}");
    assert!(err.is_retryable(), "{err}");
}

#[tokio::test]
async fn a_redirected_login_is_permanent_and_not_retried() {
    let world = World::modern();
    for _ in 0..3 {
        world.emulator.inject(
            Route::new("POST", LOGIN),
            Fault::html(302, "<a href=/login>moved</a>"),
        );
    }
    let err = list(&world, &world.client()).await.unwrap_err();
    let Error::Credentials(login) = &err else {
        panic!("the login fails: {err:?}")
    };
    assert!(!err.is_retryable(), "{err}");
    assert_eq!(login.kind(), infisical::CredentialsErrorKind::LoginRejected);
    assert_eq!(world.emulator.count("POST", LOGIN), 1, "no retry");
}

#[tokio::test]
async fn an_oversized_answer_head_is_not_retried() {
    let world = World::modern();
    let client = world.client();
    list(&world, &client).await.unwrap(); // logged in
    for _ in 0..3 {
        world
            .emulator
            .inject(Route::new("GET", LIST), Fault::OversizedHead);
    }
    let err = list(&world, &client).await.unwrap_err();
    let Error::Transport(transport) = &err else {
        panic!("a transport error: {err:?}")
    };
    assert_eq!(transport.kind(), TransportErrorKind::BodyTooLarge, "{err}");
    assert!(!err.is_retryable());
    assert_eq!(
        world.emulator.count("GET", LIST),
        2,
        "one list, not retried"
    );
}

#[tokio::test]
async fn a_server_echoing_the_login_does_not_get_the_client_secret_into_errors() {
    let world = World::modern();
    world.emulator.inject(
        Route::new("POST", LOGIN),
        Fault::EchoRequest { status: 401 },
    );
    let err = list(&world, &world.client_without_retries())
        .await
        .unwrap_err();
    let text = shown(&err);
    assert!(!text.contains(&world.client_secret), "{text}");
    assert!(text.contains("[REDACTED]"), "the echo was there: {text}");
    assert!(text.contains(&world.client_id), "who logs in stays: {text}");
}

#[tokio::test]
async fn a_server_echoing_the_authorization_header_does_not_get_the_token_into_errors() {
    let world = World::modern();
    let client = world.client_without_retries();
    list(&world, &client).await.unwrap();
    world
        .emulator
        .inject(Route::new("GET", LIST), Fault::EchoRequest { status: 400 });
    let err = list(&world, &client).await.unwrap_err();
    let requests = world.emulator.requests();
    let header = requests.last().unwrap().header("authorization").unwrap();
    let token = header.strip_prefix("Bearer ").unwrap();
    let text = shown(&err);
    assert!(!text.contains(token), "{text}");
    assert!(text.contains("[REDACTED]"), "the echo was there: {text}");
}

#[tokio::test]
async fn a_decode_error_never_quotes_a_value() {
    let world = World::modern();
    let client = world.client_without_retries();
    list(&world, &client).await.unwrap();
    for secret in [
        json!({"secretKey": 4111111111111111u64}),
        json!({"secretKey": "K", "secretComment": -4111111111111111i64}),
        json!({"secretKey": "K", "secretComment": 4111111111111111.5}),
        json!({"secretKey": "K", "version": "4111111111111111"}),
        json!({"secretKey": "K", "tags": [4111111111111111u64]}),
    ] {
        world.emulator.inject(
            Route::new("GET", LIST),
            Fault::json(200, json!({"secrets": [secret], "imports": []})),
        );
        let err = list(&world, &client).await.unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{err:?}");
        let text = shown(&err);
        assert!(!text.contains("4111"), "{text}");
    }
}
