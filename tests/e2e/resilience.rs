//! The fault matrix: each row asserts the outcome and how many requests the server saw.
//! docs/reliability.md lists the same rows.

use crate::support::World;
use infisical::credentials::ClientCredentials;
use infisical::secrets::{CreateSecret, ListSecrets};
use infisical::{Error, RetryPolicy, TransportErrorKind};
use infisical_emulator::{Fault, Route};
use std::time::{Duration, Instant};

const LIST: &str = "/api/v4/secrets";

fn list_route() -> Route {
    Route::new("GET", LIST)
}

async fn list(
    client: &infisical::Client,
    world: &World,
) -> Result<infisical::secrets::SecretList, Error> {
    world.list(client).await
}

/// A client with a token already, so that counts are of the call under test only.
async fn warmed(world: &World, builder: infisical::ClientBuilder) -> infisical::Client {
    let client = builder.build().unwrap();
    list(&client, world).await.unwrap();
    world.emulator.reset_counters();
    client
}

#[tokio::test]
async fn server_errors_then_success_are_retried_for_reads() {
    let world = World::modern();
    let client = warmed(&world, world.builder()).await;
    world.emulator.inject(list_route(), Fault::status(503));
    world.emulator.inject(list_route(), Fault::status(500));
    list(&client, &world).await.expect("third attempt succeeds");
    assert_eq!(world.emulator.count("GET", LIST), 3);
}

#[tokio::test]
async fn a_write_that_got_a_server_error_is_not_repeated() {
    let world = World::modern();
    let client = warmed(&world, world.builder()).await;
    world
        .emulator
        .inject(Route::new("POST", LIST), Fault::status(503));
    let create = CreateSecret::new(&world.project, "dev", "ONCE", "v");
    let err = client.secrets().create(create).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(err.attempts(), 1);
    assert_eq!(world.emulator.count("POST", "/api/v4/secrets/ONCE"), 1);
}

#[tokio::test]
async fn a_429_waits_as_long_as_the_server_asks_even_for_a_write() {
    let world = World::modern();
    let client = warmed(&world, world.builder()).await;
    world.emulator.inject(
        Route::new("POST", LIST),
        Fault::RateLimited {
            retry_after_secs: 1,
        },
    );
    let started = Instant::now();
    let create = CreateSecret::new(&world.project, "dev", "LIMITED", "v");
    client
        .secrets()
        .create(create)
        .await
        .unwrap()
        .into_applied()
        .unwrap();
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited the Retry-After"
    );
    assert_eq!(world.emulator.count("POST", "/api/v4/secrets/LIMITED"), 2);
    assert_eq!(
        world
            .emulator
            .secret_value(&world.project, "dev", "/", "LIMITED")
            .as_deref(),
        Some("v")
    );
}

#[tokio::test]
async fn a_429_asking_for_too_long_is_returned_at_once() {
    let world = World::modern();
    let client = warmed(&world, world.builder()).await;
    world.emulator.inject(
        list_route(),
        Fault::RateLimited {
            retry_after_secs: 120,
        },
    );
    let started = Instant::now();
    let err = list(&client, &world).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert!(err.as_api().unwrap().message().contains("120 seconds"));
    assert_eq!(world.emulator.count("GET", LIST), 1);
}

#[tokio::test]
async fn a_connection_reset_before_the_answer_is_retried_for_reads_only() {
    let world = World::modern();
    let client = warmed(&world, world.builder()).await;
    world.emulator.inject(list_route(), Fault::DropConnection);
    list(&client, &world).await.expect("retried");
    assert_eq!(world.emulator.count("GET", LIST), 2);

    world
        .emulator
        .inject(Route::new("POST", LIST), Fault::DropConnection);
    let create = CreateSecret::new(&world.project, "dev", "MAYBE", "v");
    let err = client.secrets().create(create).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind() == TransportErrorKind::Io),
        "{err:?}"
    );
    assert_eq!(
        world.emulator.count("POST", "/api/v4/secrets/MAYBE"),
        1,
        "may have been applied: not repeated"
    );
}

#[tokio::test]
async fn a_connection_cut_mid_body_is_retried() {
    let world = World::modern();
    world.emulator.set_secret(
        &world.project,
        "dev",
        "/",
        "K",
        "a value long enough to cut in half",
    );
    let client = warmed(&world, world.builder()).await;
    world.emulator.inject(list_route(), Fault::DropMidBody);
    let secrets = list(&client, &world).await.expect("retried");
    assert_eq!(
        secrets.get("K").unwrap().value().unwrap(),
        "a value long enough to cut in half"
    );
    assert_eq!(world.emulator.count("GET", LIST), 2);

    let once = warmed(&world, world.builder().no_retries()).await;
    world.emulator.inject(list_route(), Fault::DropMidBody);
    let err = list(&once, &world).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind() == TransportErrorKind::Io),
        "{err:?}"
    );
}

#[tokio::test]
async fn slow_headers_and_a_slow_body_hit_the_per_attempt_timeout_then_retry() {
    let world = World::modern();
    let builder = world.builder().timeout(Duration::from_millis(250));
    let client = warmed(&world, builder).await;
    world
        .emulator
        .inject(list_route(), Fault::Delay(Duration::from_millis(800)));
    list(&client, &world).await.expect("second attempt is fast");
    assert_eq!(world.emulator.count("GET", LIST), 2);

    world.emulator.reset_counters();
    world
        .emulator
        .inject(list_route(), Fault::SlowBody(Duration::from_millis(800)));
    list(&client, &world).await.expect("second attempt is fast");
    assert_eq!(world.emulator.count("GET", LIST), 2);

    world.emulator.reset_counters();
    for _ in 0..3 {
        world
            .emulator
            .inject(list_route(), Fault::SlowBody(Duration::from_millis(800)));
    }
    let err = list(&client, &world).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.attempts(), 3);
    assert!(err.to_string().contains("after 3 attempts"), "{err}");
}

#[tokio::test]
async fn the_overall_deadline_bounds_all_attempts() {
    let world = World::modern();
    let builder = world.builder().deadline(Some(Duration::from_millis(400)));
    let client = warmed(&world, builder).await;
    for _ in 0..3 {
        world
            .emulator
            .inject(list_route(), Fault::Delay(Duration::from_secs(2)));
    }
    let started = Instant::now();
    let err = list(&client, &world).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert!(err.is_timeout(), "{err:?}");
    assert!(err.to_string().contains("deadline"), "{err}");
    assert_eq!(world.emulator.count("GET", LIST), 1);
}

#[tokio::test]
async fn a_proxy_error_page_is_retried_and_finally_typed() {
    let world = World::modern();
    let client = warmed(&world, world.builder()).await;
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    world.emulator.inject(list_route(), Fault::html(502, page));
    list(&client, &world)
        .await
        .expect("retried past one proxy page");
    assert_eq!(world.emulator.count("GET", LIST), 2);

    world.emulator.reset_counters();
    for _ in 0..3 {
        world.emulator.inject(list_route(), Fault::html(502, page));
    }
    let err = list(&client, &world).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(err.attempts(), 3);
    assert_eq!(world.emulator.count("GET", LIST), 3);
}

#[tokio::test]
async fn a_server_down_entirely_is_a_connect_error_after_every_attempt() {
    let world = World::modern();
    let url = world.emulator.url();
    drop(world);
    let client = infisical::Client::builder()
        .base_url(url)
        .credentials(ClientCredentials::access_token("t"))
        .retry(RetryPolicy::new().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    let err = client
        .secrets()
        .list(ListSecrets::new("p", "dev"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.kind() == TransportErrorKind::Connect),
        "{err:?}"
    );
    assert_eq!(err.attempts(), 3);
}

#[tokio::test]
async fn an_outage_does_not_multiply_the_load() {
    let world = World::modern();
    let policy = RetryPolicy::new().initial_backoff(Duration::from_millis(1));
    let client = warmed(&world, world.builder().retry(policy)).await;
    for _ in 0..200 {
        world.emulator.inject(list_route(), Fault::status(503));
    }
    for _ in 0..30 {
        assert!(list(&client, &world).await.is_err());
    }
    let seen = world.emulator.count("GET", LIST);
    // 30 calls; without a budget, 90 requests. The budget allows 10 retries, then none.
    assert_eq!(seen, 40, "{seen} requests for 30 calls");
}

#[tokio::test]
async fn retries_can_be_turned_off() {
    let world = World::modern();
    let client = warmed(&world, world.builder().no_retries()).await;
    world.emulator.inject(list_route(), Fault::status(503));
    assert!(list(&client, &world).await.is_err());
    assert_eq!(world.emulator.count("GET", LIST), 1);
}

#[tokio::test]
async fn plain_http_to_another_host_is_refused_before_sending() {
    let err = infisical::Client::builder()
        .base_url("http://infisical.example.com")
        .credentials(ClientCredentials::access_token("t"))
        .build()
        .unwrap_err();
    assert!(
        matches!(err, Error::Config(ref m) if m.contains("plain http")),
        "{err}"
    );
    infisical::Client::builder()
        .base_url("http://infisical.example.com")
        .credentials(ClientCredentials::access_token("t"))
        .allow_plain_http(true)
        .build()
        .expect("explicitly allowed");
}
