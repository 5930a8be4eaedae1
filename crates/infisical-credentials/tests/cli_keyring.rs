//! `CliLogin` against the Infisical CLI's real login files (`shared/fixtures/cli-keyring`,
//! written by the CLI's own Go libraries; see its README).

use infisical_credentials::{
    CliLogin, Credentials, CredentialsError, CredentialsErrorKind, Lookup, ManualClock,
    ProvideCredentials, ProvidedCredentials, StaticEnv,
};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const PASSPHRASE: &str = "Fx7kQ2pLm9";
const PASSPHRASE_B64: &str = "Rng3a1EycExtOQ==";
const PASSPHRASE_VAR: &str = "INFISICAL_VAULT_FILE_PASSPHRASE";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/cli-keyring")
}

fn expected() -> &'static Value {
    static EXPECTED: OnceLock<Value> = OnceLock::new();
    EXPECTED.get_or_init(|| {
        let text = fs::read_to_string(fixtures().join("expected.json")).expect("expected.json");
        serde_json::from_str(&text).expect("expected.json is JSON")
    })
}

fn scenario(name: &str) -> &'static Value {
    &expected()["scenarios"][name]
}

fn home(name: &str) -> PathBuf {
    fixtures().join(name).join("home")
}

fn env_of(scenario: &Value) -> StaticEnv {
    let vars = scenario["env"].as_object().expect("env is an object");
    vars.iter().fold(StaticEnv::new(), |env, (k, v)| {
        env.set(k.as_str(), v.as_str().expect("env values are strings"))
    })
}

async fn provide(home: &Path, env: StaticEnv) -> Result<Lookup, CredentialsError> {
    CliLogin::new(home, Arc::new(env)).provide().await
}

fn config_path(home: &Path) -> PathBuf {
    home.join(".infisical/infisical-config.json")
}

/// Runs a scenario as `expected.json` describes it and checks its outcome class.
async fn check(name: &str) {
    let s = scenario(name);
    let user = &s["selected_user"];
    let outcome = user["outcome"].as_str().expect("outcome");
    let home = home(name);
    let result = provide(&home, env_of(s)).await;
    match outcome {
        "ok" => {
            let Ok(Lookup::Found(found)) = result else {
                panic!("{name}: expected Found, got {result:?}");
            };
            check_found(&found, user);
        }
        "ok_but_expired" => {
            let err = result.expect_err(name);
            assert_eq!(err.kind(), CredentialsErrorKind::Expired, "{name}: {err}");
            assert_eq!(
                err.path(),
                Some(item_of(&home, user).as_path()),
                "{name}: {err}"
            );
            assert!(err.message().contains("infisical login"), "{err}");
            assert!(err.message().contains("2023-11-14T22:13:20Z"), "{err}");
        }
        "error_decrypt" | "error_malformed" => {
            let err = result.expect_err(name);
            assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{name}: {err}");
            assert_eq!(
                err.path(),
                Some(item_of(&home, user).as_path()),
                "{name}: {err}"
            );
            let wanted = if outcome == "error_decrypt" {
                "cannot decrypt"
            } else {
                "malformed"
            };
            assert!(err.message().contains(wanted), "{name}: {err}");
        }
        "error_config" => {
            let err = result.expect_err(name);
            assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{name}: {err}");
            assert_eq!(
                err.path(),
                Some(config_path(&home).as_path()),
                "{name}: {err}"
            );
            assert!(err.message().contains("not valid base64"), "{name}: {err}");
        }
        "error_not_logged_in" | "not_logged_in" => {
            let Ok(Lookup::NotHere(reason)) = result else {
                panic!("{name}: expected NotHere, got {result:?}");
            };
            if let Some(path) = user["expected_path"].as_str() {
                let path = fixtures().join(path);
                assert!(reason.contains(&path.display().to_string()), "{reason}");
            }
        }
        // The OS keyring: read through the Secret Service where there is one (Linux, the
        // BSDs); the scenario's environment has no session bus, so it is unreachable. Read
        // from a real Secret Service in tests/e2e/os_keyring.rs.
        "error_unsupported_vault" if cfg!(all(unix, not(target_os = "macos"))) => {
            let err = result.expect_err(name);
            assert_eq!(
                err.kind(),
                CredentialsErrorKind::Unavailable,
                "{name}: {err}"
            );
            assert!(err.message().contains("OS keyring"), "{err}");
            assert!(err.message().contains("no D-Bus session bus"), "{err}");
        }
        "error_unsupported_vault" => {
            let err = result.expect_err(name);
            assert_eq!(
                err.kind(),
                CredentialsErrorKind::Unsupported,
                "{name}: {err}"
            );
            assert_eq!(
                err.path(),
                Some(config_path(&home).as_path()),
                "{name}: {err}"
            );
            assert!(err.message().contains("OS keyring"), "{err}");
            assert!(err.message().contains("infisical vault set file"), "{err}");
        }
        other => panic!("{name}: unknown outcome {other}"),
    }
}

fn item_of(home: &Path, user: &Value) -> PathBuf {
    let email = user["email"].as_str().expect("email");
    home.join("infisical-keyring")
        .join(email.replace('%', "%25").replace('/', "%2F"))
}

fn check_found(found: &ProvidedCredentials, user: &Value) {
    let Credentials::AccessToken(token) = &found.credentials else {
        panic!("expected an access token, got {:?}", found.credentials);
    };
    assert_eq!(token.expose(), user["JTWToken"].as_str().unwrap());
    assert_eq!(found.identity.as_deref(), user["email"].as_str());
    let api_url = user["api_url"].as_str().unwrap();
    assert_eq!(found.base_url.as_deref(), api_url.strip_suffix("/api"));
    let exp = user["jwt_exp"].as_u64().unwrap();
    assert_eq!(
        found.expires_at,
        Some(UNIX_EPOCH + Duration::from_secs(exp))
    );
    assert_eq!(found.provider, "infisical-cli");
}

#[test]
fn every_scenario_has_a_test() {
    let tested = [
        "valid",
        "expired-token",
        "wrong-passphrase",
        "corrupted-ciphertext",
        "missing-keyring-file",
        "env-passphrase",
        "escaped-filename",
        "short-encrypted-key",
        "truncated-file",
        "bad-base64-passphrase",
        "auto-vault",
        "no-logged-in-user",
    ];
    let mut all: Vec<&str> = expected()["scenarios"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    all.sort_unstable();
    let mut tested = tested.to_vec();
    tested.sort_unstable();
    assert_eq!(all, tested);
}

#[tokio::test]
async fn valid() {
    check("valid").await;
}

#[tokio::test]
async fn expired_token() {
    check("expired-token").await;
}

#[tokio::test]
async fn wrong_passphrase() {
    check("wrong-passphrase").await;
}

#[tokio::test]
async fn corrupted_ciphertext() {
    check("corrupted-ciphertext").await;
}

#[tokio::test]
async fn missing_keyring_file() {
    check("missing-keyring-file").await;
}

#[tokio::test]
async fn env_passphrase() {
    check("env-passphrase").await;
}

#[tokio::test]
async fn escaped_filename() {
    check("escaped-filename").await;
}

#[tokio::test]
async fn short_encrypted_key() {
    check("short-encrypted-key").await;
}

#[tokio::test]
async fn truncated_file() {
    check("truncated-file").await;
}

#[tokio::test]
async fn bad_base64_passphrase() {
    check("bad-base64-passphrase").await;
}

#[tokio::test]
async fn auto_vault() {
    check("auto-vault").await;
}

#[tokio::test]
async fn no_logged_in_user() {
    check("no-logged-in-user").await;
}

// ---- beyond the scenarios ----

/// A fresh directory under the system temp dir, removed on drop.
struct TempHome(PathBuf);

impl TempHome {
    /// A copy of a scenario's home (config and vault items).
    fn copy_of(scenario: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos();
        let dir = std::env::temp_dir().join(format!(
            "infisical-cli-keyring-test-{}-{nanos}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        copy_dir(&home(scenario), &dir);
        Self(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }

    /// Rewrites the config with `edit` applied to its JSON.
    fn edit_config(&self, edit: impl FnOnce(&mut serde_json::Map<String, Value>)) {
        let path = config_path(&self.0);
        let mut config: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
        edit(config.as_object_mut().unwrap());
        fs::write(&path, serde_json::to_vec(&config).unwrap()).unwrap();
    }
}

impl Drop for TempHome {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn expect_found(result: Result<Lookup, CredentialsError>) -> ProvidedCredentials {
    match result {
        Ok(Lookup::Found(found)) => found,
        other => panic!("expected Found, got {other:?}"),
    }
}

#[tokio::test]
async fn env_passphrase_without_the_variable_is_invalid() {
    let home = home("env-passphrase");
    let err = provide(&home, StaticEnv::new()).await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(err.path(), Some(config_path(&home).as_path()));
    assert!(err.message().contains("no vault passphrase"), "{err}");
    assert!(err.message().contains(PASSPHRASE_VAR), "{err}");

    let blank = StaticEnv::new().set(PASSPHRASE_VAR, "");
    let err = provide(&home, blank).await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
}

#[tokio::test]
async fn the_config_passphrase_wins_over_the_environment() {
    let env = StaticEnv::new().set(PASSPHRASE_VAR, PASSPHRASE);
    let err = provide(&home("wrong-passphrase"), env).await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    assert!(err.message().contains("cannot decrypt"), "{err}");
}

#[tokio::test]
async fn wrong_passphrase_decrypts_with_the_right_one() {
    let home = TempHome::copy_of("wrong-passphrase");
    home.edit_config(|c| {
        c.insert("vaultBackendPassphrase".into(), PASSPHRASE_B64.into());
    });
    let found = expect_found(provide(home.path(), StaticEnv::new()).await);
    check_found(&found, &scenario("valid")["selected_user"]);
}

#[tokio::test]
async fn bob_in_the_valid_home_decrypts_too() {
    let bob = &scenario("valid")["other_logged_in_users"]["bob@example.com"];
    let home = TempHome::copy_of("valid");
    home.edit_config(|c| {
        c.insert("loggedInUserEmail".into(), bob["email"].clone());
        c.insert("LoggedInUserDomain".into(), bob["api_url"].clone());
    });
    let found = expect_found(provide(home.path(), StaticEnv::new()).await);
    check_found(&found, bob);
}

#[tokio::test]
async fn an_item_of_another_user_is_refused() {
    let home = TempHome::copy_of("valid");
    let keyring = home.path().join("infisical-keyring");
    fs::copy(
        keyring.join("bob@example.com"),
        keyring.join("alice@example.com"),
    )
    .unwrap();
    let err = provide(home.path(), StaticEnv::new()).await.unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    assert_eq!(
        err.path(),
        Some(keyring.join("alice@example.com").as_path())
    );
}

#[tokio::test]
async fn a_home_without_config_is_not_here() {
    let home = TempHome::copy_of("valid");
    fs::remove_file(config_path(home.path())).unwrap();
    let result = provide(home.path(), StaticEnv::new()).await;
    let Ok(Lookup::NotHere(reason)) = result else {
        panic!("expected NotHere, got {result:?}");
    };
    assert!(reason.contains("no Infisical CLI config"), "{reason}");

    let result = CliLogin::from_env(Arc::new(StaticEnv::new()))
        .provide()
        .await;
    assert!(matches!(result, Ok(Lookup::NotHere(_))), "{result:?}");

    let env = StaticEnv::new().set("HOME", fixtures().join("valid/home").display().to_string());
    expect_found(CliLogin::from_env(Arc::new(env)).provide().await);
}

#[tokio::test]
async fn an_invalid_config_is_invalid() {
    let home = TempHome::copy_of("valid");
    let path = config_path(home.path());
    for bad in [
        &b"{\"loggedInUserEmail\":"[..],
        b"[]",
        b"{\"loggedInUserEmail\":42,\"vaultBackendPassphrase\":\"Rng3a1EycExtOQ==\"}",
        b"{\"vaultBackendPassphrase\":[\"Rng3a1EycExtOQ==\"]}",
    ] {
        fs::write(&path, bad).unwrap();
        let err = provide(home.path(), StaticEnv::new()).await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{err}");
        assert_eq!(err.path(), Some(path.as_path()));
        assert!(
            !format!("{err} {err:?}").contains(PASSPHRASE_B64),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn expiry_follows_the_injected_clock_with_30_seconds_of_leeway() {
    let exp = UNIX_EPOCH + Duration::from_secs(4_102_444_800);
    let login = |now| {
        CliLogin::new(home("valid"), Arc::new(StaticEnv::new()))
            .with_clock(Arc::new(ManualClock::new(now)))
    };
    let found = expect_found(login(exp - Duration::from_secs(30)).provide().await);
    assert_eq!(found.expires_at, Some(exp));
    let err = login(exp - Duration::from_secs(29))
        .provide()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), CredentialsErrorKind::Expired);
    assert!(err.message().contains("2100-01-01T00:00:00Z"), "{err}");

    // The expired-token login is still good the day before its exp.
    let before = UNIX_EPOCH + Duration::from_secs(1_700_000_000 - 86_400);
    let login = CliLogin::new(home("expired-token"), Arc::new(StaticEnv::new()))
        .with_clock(Arc::new(ManualClock::new(before)));
    expect_found(login.provide().await);
}

/// Every error this provider gives for the fixtures (and a few more), for the leak check.
async fn all_errors() -> Vec<CredentialsError> {
    let mut errors = Vec::new();
    for (name, s) in expected()["scenarios"].as_object().unwrap() {
        if let Err(err) = provide(&home(name), env_of(s)).await {
            errors.push(err);
        }
    }
    let env = StaticEnv::new().set(PASSPHRASE_VAR, PASSPHRASE);
    errors.push(provide(&home("wrong-passphrase"), env).await.unwrap_err());
    errors.push(
        provide(&home("env-passphrase"), StaticEnv::new())
            .await
            .unwrap_err(),
    );
    let wrong_env = StaticEnv::new().set(PASSPHRASE_VAR, "correct horse battery stapler");
    errors.push(
        provide(&home("env-passphrase"), wrong_env)
            .await
            .unwrap_err(),
    );
    errors
}

#[tokio::test]
async fn errors_never_show_a_passphrase_or_a_token() {
    let mut secrets: Vec<String> = vec![
        PASSPHRASE.into(),
        PASSPHRASE_B64.into(),
        "Zq8wN3vR5t".into(),
        "WnE4d04zdlI1dA==".into(),
        "correct horse battery staple".into(),
        "not base64!".into(),
        // The header of every fixture JWT.
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9".into(),
    ];
    for s in expected()["scenarios"].as_object().unwrap().values() {
        for user in std::iter::once(&s["selected_user"]).chain(
            s["other_logged_in_users"]
                .as_object()
                .into_iter()
                .flat_map(|m| m.values()),
        ) {
            if let Some(token) = user["JTWToken"].as_str() {
                secrets.extend(token.split('.').map(str::to_owned));
            }
        }
    }
    let errors = all_errors().await;
    assert!(errors.len() >= 9, "{errors:?}");
    for err in &errors {
        let text = format!("{err}\n{err:?}");
        for secret in &secrets {
            assert!(!text.contains(secret.as_str()), "{secret} leaked in {text}");
        }
    }
}

#[tokio::test]
async fn debug_shows_no_secret() {
    let env = StaticEnv::new().set(PASSPHRASE_VAR, PASSPHRASE);
    let login = CliLogin::new(home("valid"), Arc::new(env));
    assert!(!format!("{login:?}").contains(PASSPHRASE));
    let found = expect_found(login.provide().await);
    let text = format!("{found:?}");
    assert!(
        !text.contains("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"),
        "{text}"
    );
}

#[tokio::test]
async fn damaged_items_give_errors_not_panics() {
    let home = TempHome::copy_of("valid");
    let item = home.path().join("infisical-keyring/alice@example.com");
    let original = fs::read(&item).unwrap();
    let run = |bytes: Vec<u8>| {
        let item = item.clone();
        let home = home.path().to_owned();
        async move {
            fs::write(&item, &bytes).unwrap();
            provide(&home, StaticEnv::new()).await
        }
    };

    for len in 0..original.len() {
        let result = run(original[..len].to_vec()).await;
        let Err(err) = result else {
            panic!("a truncation to {len} bytes was accepted: {result:?}");
        };
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{len}: {err}");
    }

    let dots: Vec<usize> = (0..original.len())
        .filter(|&i| original[i] == b'.')
        .collect();
    let mut positions = vec![0, 1, original.len() - 1];
    for &dot in &dots {
        positions.extend([dot - 1, dot, dot + 1, dot + 5]);
    }
    for pos in positions {
        for flip in [0x01u8, 0x20, 0x80] {
            let mut bytes = original.clone();
            bytes[pos] ^= flip;
            // Any outcome but a panic; flips that only touch unused base64 bits may decrypt.
            if let Ok(lookup) = run(bytes).await {
                assert!(matches!(lookup, Lookup::Found(_)), "{pos}: {lookup:?}");
            }
        }
    }

    assert!(matches!(run(original).await, Ok(Lookup::Found(_))));
}
