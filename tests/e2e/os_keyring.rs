//! The Infisical CLI's login in the OS keyring (its default `auto` vault), read through the
//! default credentials chain from a real Secret Service (GNOME Keyring on a private D-Bus
//! session bus), stored exactly as the CLI's go-keyring stores it.

use crate::secret_service::SecretService;
use crate::support::World;
use infisical::credentials::{CredentialsChain, StaticEnv};
use infisical::{Client, CredentialsErrorKind, Error};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const ALICE: &str = "alice@example.com";

/// A user session token the CLI would hold: a JWT whose `exp` is 2100-01-01.
const USER_TOKEN: &str =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJl";

/// Writes the CLI's config for `email` logged into `server`, vault left to `auto` (as the
/// CLI leaves it unless `infisical vault set file` was run).
fn write_cli_config(home: &Path, email: &str, server: &str) {
    let dir = home.join(".infisical");
    std::fs::create_dir_all(&dir).unwrap();
    let domain = format!("{server}/api");
    let config = serde_json::json!({
        "loggedInUserEmail": email,
        "LoggedInUserDomain": domain,
        "loggedInUsers": [{ "email": email, "domain": domain }],
    });
    std::fs::write(dir.join("infisical-config.json"), config.to_string()).unwrap();
}

/// Stores `value` as the CLI's go-keyring does: service `infisical-cli`, the user's e-mail
/// as `username`, go-keyring's label.
fn store_as_the_cli(keyring: &SecretService, email: &str, value: &[u8]) {
    keyring.store(
        &format!("Password for '{email}' on 'infisical-cli'"),
        &[("service", "infisical-cli"), ("username", email)],
        value,
    );
}

/// The CLI's `UserCredentials` JSON.
fn credentials_json(email: &str, token: &str) -> Vec<u8> {
    serde_json::json!({
        "email": email,
        "privateKey": "",
        "JTWToken": token,
        "RefreshToken": "",
    })
    .to_string()
    .into_bytes()
}

/// A keyring holding `value` as alice's CLI login, and a home whose CLI config names her.
fn alice_stored_as(value: &[u8]) -> Option<(SecretService, PathBuf)> {
    let keyring = SecretService::start()?;
    let home = keyring.home();
    write_cli_config(&home, ALICE, "https://app.infisical.com");
    store_as_the_cli(&keyring, ALICE, value);
    Some((keyring, home))
}

fn client_on(bus: &str, home: &Path) -> Client {
    let env = StaticEnv::from([
        ("HOME", home.display().to_string()),
        ("DBUS_SESSION_BUS_ADDRESS", bus.to_owned()),
    ]);
    Client::builder()
        .credentials(CredentialsChain::default_with_env(Arc::new(env)))
        .build()
        .unwrap()
}

/// The credentials error a client gets, and how long finding it took.
async fn credentials_error(client: &Client) -> (infisical::CredentialsError, Duration) {
    let started = Instant::now();
    let err = client.identity().await.unwrap_err();
    let Error::Credentials(cred) = err else {
        panic!("{err:?}")
    };
    (cred, started.elapsed())
}

#[tokio::test]
async fn a_login_in_the_os_keyring_gives_whoami_and_lists_secrets() {
    let Some(keyring) = SecretService::start() else {
        return;
    };
    let world = World::modern();
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "DB_URL", "postgres://db");
    world.emulator.add_user_token(USER_TOKEN);
    let home = keyring.home();
    write_cli_config(&home, ALICE, &world.emulator.url());
    store_as_the_cli(&keyring, ALICE, &credentials_json(ALICE, USER_TOKEN));

    let client = client_on(keyring.address(), &home);
    let me = client.identity().await.unwrap();
    assert_eq!(me.provider, "infisical-cli");
    assert_eq!(me.identity.as_deref(), Some(ALICE));
    assert_eq!(me.base_url, world.emulator.url());
    assert!(world.emulator.requests().is_empty(), "whoami sends nothing");

    let list = world.list(&client).await.unwrap();
    assert_eq!(
        list.get("DB_URL").unwrap().value().unwrap(),
        "postgres://db"
    );
    assert_eq!(world.emulator.logins(), 0, "a user session, not a login");

    // A user's session reaches the routes Infisical serves to users only.
    let counts = client
        .approvals()
        .count(infisical::approvals::CountApprovalRequests::new(
            &world.project,
        ))
        .await
        .unwrap();
    assert_eq!((counts.open, counts.closed), (0, 0));
}

#[tokio::test]
async fn no_item_for_the_user_is_not_logged_in_and_sends_nothing() {
    let Some(keyring) = SecretService::start() else {
        return;
    };
    let world = World::modern();
    let home = keyring.home();
    write_cli_config(&home, ALICE, &world.emulator.url());
    store_as_the_cli(
        &keyring,
        "bob@example.com",
        &credentials_json("bob@example.com", USER_TOKEN),
    );

    let client = client_on(keyring.address(), &home);
    let (err, _) = credentials_error(&client).await;
    assert_eq!(err.kind(), CredentialsErrorKind::NotFound, "{err}");
    let cli = err
        .attempts()
        .iter()
        .find(|a| a.provider == "infisical-cli")
        .unwrap();
    assert!(
        cli.reason.contains("not in the OS keyring"),
        "{}",
        cli.reason
    );
    assert!(world.emulator.requests().is_empty());
}

#[tokio::test]
async fn a_value_that_is_not_the_cli_json_is_invalid_and_never_quoted() {
    let Some((keyring, home)) = alice_stored_as(b"hunter2-not-json") else {
        return;
    };

    let (err, _) = credentials_error(&client_on(keyring.address(), &home)).await;
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
    assert!(err.to_string().contains("malformed"), "{err}");
    assert!(!format!("{err} {err:?}").contains("hunter2"), "{err:?}");
    let item = err.path().unwrap().display().to_string();
    assert!(
        item.starts_with("/org/freedesktop/secrets/collection/login/"),
        "{item}"
    );
}

#[tokio::test]
async fn a_locked_keyring_is_reported_without_a_prompt() {
    let Some((keyring, home)) = alice_stored_as(&credentials_json(ALICE, USER_TOKEN)) else {
        return;
    };
    keyring.lock();

    let (err, took) = credentials_error(&client_on(keyring.address(), &home)).await;
    assert_eq!(err.kind(), CredentialsErrorKind::Locked, "{err}");
    assert!(err.message().contains("unlock"), "{err}");
    // An unlock would wait on a prompt nobody answers; the lookup never asks for one.
    assert!(took < Duration::from_secs(3), "took {took:?}");
}

#[tokio::test]
async fn a_bus_without_a_secret_service_is_unavailable() {
    let Some(bus) = SecretService::bus_only() else {
        return;
    };
    let home = bus.home();
    write_cli_config(&home, ALICE, "https://app.infisical.com");
    let (err, _) = credentials_error(&client_on(bus.address(), &home)).await;
    assert_eq!(err.kind(), CredentialsErrorKind::Unavailable, "{err}");
    assert!(err.message().contains("no Secret Service"), "{err}");
}

#[tokio::test]
async fn no_session_bus_is_unavailable_at_once() {
    let home = crate::support::temp_dir("infisical-no-bus-");
    write_cli_config(home.path(), ALICE, "https://app.infisical.com");
    let missing = format!("unix:path={}", home.path().join("no-such-bus").display());
    let (err, _) = credentials_error(&client_on(&missing, home.path())).await;
    home.close().unwrap();
    assert_eq!(err.kind(), CredentialsErrorKind::Unavailable, "{err}");
    assert!(err.message().contains("no D-Bus session bus"), "{err}");
    assert!(err.message().contains("no-such-bus"), "{err}");
}

#[tokio::test]
async fn a_login_profile_of_the_current_cli_names_the_item_and_the_server() {
    let Some(keyring) = SecretService::start() else {
        return;
    };
    let world = World::modern();
    world.emulator.add_user_token(USER_TOKEN);
    let home = keyring.home();
    // The profile-aware CLI: the active profile is not named after the e-mail, so the legacy
    // fields are blank and the vault item is keyed by the profile's name.
    std::fs::create_dir_all(home.join(".infisical")).unwrap();
    let config = serde_json::json!({
        "loggedInUserEmail": "",
        "activeProfile": "alice--acme",
        "profiles": [
            { "name": "alice@example.com", "email": ALICE, "domain": "https://app.infisical.com/api" },
            { "name": "alice--acme", "email": ALICE, "domain": format!("{}/api", world.emulator.url()),
              "organizationId": "org-acme", "organizationSlug": "acme" },
        ],
    });
    std::fs::write(
        home.join(".infisical/infisical-config.json"),
        config.to_string(),
    )
    .unwrap();
    store_as_the_cli(
        &keyring,
        "alice--acme",
        &credentials_json(ALICE, USER_TOKEN),
    );

    let client = client_on(keyring.address(), &home);
    let me = client.identity().await.unwrap();
    assert_eq!(me.identity.as_deref(), Some(ALICE));
    assert_eq!(me.base_url, world.emulator.url());
    world.list(&client).await.unwrap();
}
