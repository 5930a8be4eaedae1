//! The offline copy: served when the server is down at start-up, within its maximum age,
//! never after a refusal, and a tampered file is a typed error.

use crate::support::World;
use infisical::credentials::UniversalAuth;
use infisical::offline::{OfflineCopy, OfflineKey};
use infisical::secrets::{Freshness, GetSecret, ListSecrets};
use infisical::{Error, OfflineCopyErrorKind};
use std::path::PathBuf;
use std::time::Duration;

/// Where a test keeps its offline copy: in a folder that does not exist yet (the client
/// makes it), inside one removed when the first value is dropped.
fn file(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = crate::support::temp_dir("infisical-offline-");
    let path = dir.path().join(name).join("copy.bin");
    (dir, path)
}

const KEY: [u8; 32] = [7; 32];

/// What a client needs of a world whose server may be gone.
struct Account {
    project: String,
    client_id: String,
    client_secret: String,
}

impl Account {
    fn of(world: &World) -> Self {
        Self {
            project: world.project.clone(),
            client_id: world.client_id.clone(),
            client_secret: world.client_secret.clone(),
        }
    }
}

/// A client of the server at `url` with the offline copy at `path`.
fn client(account: &Account, url: &str, path: &PathBuf, max_age: Duration) -> infisical::Client {
    let credentials = UniversalAuth::new(account.client_id.clone(), account.client_secret.clone());
    infisical::Client::builder()
        .base_url(url)
        .credentials(credentials)
        .no_retries()
        .connect_timeout(Duration::from_millis(500))
        .offline_copy(OfflineCopy::new(path, OfflineKey::from_bytes(KEY)).max_age(max_age))
        .build()
        .unwrap()
}

/// Lists and gets once through a client with the offline copy, then stops the server: the
/// account, and the URL of a server that is down.
fn remembered_then_down(path: &PathBuf) -> (Account, String) {
    let world = World::modern();
    let account = Account::of(&world);
    world
        .emulator
        .set_secret(&account.project, "dev", "/", "DB", "postgres://db");
    let url = world.emulator.url();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let first = client(&account, &url, path, Duration::from_secs(60));
        let list = ListSecrets::new(&account.project, "dev");
        let live = first.secrets().list(list).await.unwrap();
        assert_eq!(live.freshness, Freshness::Live);
        let get = GetSecret::new(&account.project, "dev", "DB");
        first.secrets().get(get).await.unwrap();
    });
    world.emulator.shutdown();
    (account, url)
}

#[test]
fn served_when_the_server_is_down_at_start_up() {
    let (_dir, path) = file("down");
    let (world, url) = remembered_then_down(&path);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "only the owner reads it");
    }
    let bytes = std::fs::read(&path).unwrap();
    assert!(
        !String::from_utf8_lossy(&bytes).contains("postgres://db"),
        "encrypted"
    );

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        // A new process: the same file and key, the server down.
        let restarted = client(&world, &url, &path, Duration::from_secs(60));
        let list = restarted
            .secrets()
            .list(ListSecrets::new(&world.project, "dev"))
            .await
            .expect("served from the offline copy");
        assert!(
            matches!(list.freshness, Freshness::Offline { age } if age < Duration::from_secs(60))
        );
        assert_eq!(list.get("DB").unwrap().value().unwrap(), "postgres://db");
        let one = restarted
            .secrets()
            .get(GetSecret::new(&world.project, "dev", "DB"))
            .await
            .unwrap();
        assert!(one.freshness.is_stale());
        // Another request was never remembered: the server's failure, as it is.
        let other = restarted
            .secrets()
            .list(ListSecrets::new(&world.project, "prod"))
            .await
            .unwrap_err();
        assert!(
            matches!(other, Error::Transport(_) | Error::Credentials(_)),
            "{other}"
        );
    });
}

#[test]
fn refused_when_older_than_the_maximum_age() {
    let (_dir, path) = file("old");
    let (world, url) = remembered_then_down(&path);
    std::thread::sleep(Duration::from_millis(300));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let strict = client(&world, &url, &path, Duration::from_millis(100));
        let err = strict
            .secrets()
            .list(ListSecrets::new(&world.project, "dev"))
            .await
            .unwrap_err();
        assert!(
            err.is_retryable(),
            "the server's failure, not the old copy: {err}"
        );
    });
}

#[tokio::test]
async fn never_served_after_a_refusal() {
    let (_dir, path) = file("refused");
    let world = World::modern();
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "DB", "v");
    let url = world.emulator.url();
    let good = client(&Account::of(&world), &url, &path, Duration::from_secs(60));
    good.secrets()
        .list(ListSecrets::new(&world.project, "dev"))
        .await
        .unwrap();
    // The identity's secret was rotated away: its login is refused (401).
    let revoked = infisical::Client::builder()
        .base_url(&url)
        .credentials(UniversalAuth::new(world.client_id.clone(), "rotated-away"))
        .offline_copy(OfflineCopy::new(&path, OfflineKey::from_bytes(KEY)))
        .build()
        .unwrap();
    let err = revoked
        .secrets()
        .list(ListSecrets::new(&world.project, "dev"))
        .await
        .unwrap_err();
    assert!(
        err.is_auth() || matches!(err, Error::Credentials(_)),
        "{err}"
    );
    // A 403 from the read itself: refused too.
    world.emulator.inject(
        infisical_emulator::Route::new("GET", "/api/v4/secrets"),
        infisical_emulator::Fault::status(403),
    );
    let err = good
        .secrets()
        .list(ListSecrets::new(&world.project, "dev"))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(403));
}

#[test]
fn a_tampered_or_foreign_file_is_a_typed_error_and_never_used() {
    let (_dir, path) = file("tampered");
    let (world, url) = remembered_then_down(&path);
    let original = std::fs::read(&path).unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut flipped = original.clone();
    let last = flipped.len() - 1;
    flipped[last] ^= 1;
    let cases: Vec<(&str, Vec<u8>, [u8; 32])> = vec![
        ("a flipped bit", flipped, KEY),
        ("another key", original.clone(), [8; 32]),
        ("not a copy at all", b"{\"entries\":{}}".to_vec(), KEY),
        ("empty", Vec::new(), KEY),
        ("cut short", original[..original.len() / 2].to_vec(), KEY),
    ];
    for (what, bytes, key) in cases {
        std::fs::write(&path, &bytes).unwrap();
        runtime.block_on(async {
            let restarted = infisical::Client::builder()
                .base_url(&url)
                .credentials(UniversalAuth::new(
                    world.client_id.clone(),
                    world.client_secret.clone(),
                ))
                .no_retries()
                .offline_copy(OfflineCopy::new(&path, OfflineKey::from_bytes(key)))
                .build()
                .unwrap();
            let err = restarted
                .secrets()
                .list(ListSecrets::new(&world.project, "dev"))
                .await
                .unwrap_err();
            let Error::OfflineCopy(copy) = &err else {
                panic!("{what}: {err}")
            };
            assert_eq!(copy.kind(), OfflineCopyErrorKind::Tampered, "{what}");
            assert_eq!(copy.path(), path.as_path());
            assert!(!err.to_string().contains("postgres"), "{what}: {err}");
        });
    }
}

#[test]
fn keys_are_checked_and_never_shown() {
    let key = OfflineKey::generate();
    let text = key.to_base64();
    assert!(!format!("{key:?}").contains(text.as_str()));
    OfflineKey::from_base64(&text).unwrap();
    for bad in ["", "not base64!", "AAAA"] {
        let err = OfflineKey::from_base64(bad).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{bad}: {err}");
    }
}
