//! What the SDK logs: warnings where they matter, and never a secret.

use crate::support::World;
use infisical::credentials::UniversalAuth;
use infisical::secrets::{CreateSecret, GetSecret, ListSecrets};
use infisical_emulator::{Fault, ServerMode};
use std::io::Write;
use std::sync::{Arc, Mutex};
use tracing_subscriber::fmt::MakeWriter;

/// Everything written by a subscriber, for the assertions.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap().clone()).unwrap()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Captures every event of every level emitted on this thread while the guard lives.
fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    capture_up_to(tracing::Level::TRACE)
}

/// Captures the events up to `level` emitted on this thread while the guard lives.
fn capture_up_to(level: tracing::Level) -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(level)
        .with_ansi(false)
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

#[tokio::test(flavor = "current_thread")]
async fn a_legacy_server_warns_on_each_deprecated_call_and_the_fallback_is_logged_once() {
    let world = World::new(ServerMode::Legacy);
    let client = world.client();
    // Warnings only: the request spans are not recorded, the warnings still come.
    for level in [tracing::Level::TRACE, tracing::Level::WARN] {
        let (captured, _guard) = capture_up_to(level);
        for _ in 0..3 {
            world.list(&client).await.unwrap();
        }
        let text = captured.text();
        let warnings = text
            .lines()
            .filter(|l| l.contains("WARN") && l.contains("deprecated"))
            .count();
        assert_eq!(warnings, 3, "{level}: {text}");
    }
    let (captured, _guard) = capture();
    let fresh = world.client();
    world.list(&fresh).await.unwrap();
    let text = captured.text();
    assert_eq!(
        text.matches("using the legacy routes from now on").count(),
        1,
        "{text}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn an_answer_marked_deprecated_warns() {
    let world = World::modern();
    // Below the trace layer, a user layer marks every answer as a server would.
    let mark = tower::util::MapResponseLayer::new(|mut answer: http::Response<bytes::Bytes>| {
        answer
            .headers_mut()
            .insert("deprecation", http::HeaderValue::from_static("@1735689600"));
        answer
    });
    let client = world.builder().layer(mark).build().unwrap();
    let (captured, _guard) = capture_up_to(tracing::Level::WARN);
    world.list(&client).await.unwrap();
    let text = captured.text();
    assert!(
        text.contains("the server marks this route as deprecated"),
        "{text}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn each_attempt_is_a_span_with_its_route_status_and_time() {
    let world = World::modern();
    let client = world.client();
    world.list(&client).await.unwrap();
    let (captured, _guard) = capture();
    world.list(&client).await.unwrap();
    let text = captured.text();
    let answered = text
        .lines()
        .find(|l| l.contains("answered"))
        .unwrap_or_else(|| panic!("no answer logged: {text}"));
    for field in [
        "infisical.request{",
        "method=GET",
        "route=\"GET /api/v4/secrets\"",
        "status=200",
        "elapsed_ms=",
    ] {
        assert!(answered.contains(field), "{field} in {answered}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn a_modern_server_gives_no_warning() {
    let world = World::modern();
    let client = world.client();
    let (captured, _guard) = capture();
    world.list(&client).await.unwrap();
    assert!(!captured.text().contains("WARN"), "{}", captured.text());
}

#[tokio::test(flavor = "current_thread")]
async fn no_secret_in_the_logs_of_a_login_refresh_request_cycle() {
    let world = World::modern();
    let p = world.project.as_str();
    world
        .emulator
        .set_secret(p, "dev", "/", "DB_PASSWORD", "s3cr3t-db-password");
    let (captured, _guard) = capture();
    let client = world.client();
    client
        .secrets()
        .list(ListSecrets::new(p, "dev"))
        .await
        .unwrap();
    world.emulator.expire_access_tokens();
    client
        .secrets()
        .get(GetSecret::new(p, "dev", "DB_PASSWORD"))
        .await
        .unwrap();
    client
        .secrets()
        .create(CreateSecret::new(
            p,
            "dev",
            "NEW_SECRET",
            "fresh-new-secret-value",
        ))
        .await
        .unwrap()
        .into_applied()
        .unwrap();
    // Failures are logged too: a server error, a dropped connection, a refused token.
    world.fail_next_list(Fault::status(500));
    world.fail_next_list(Fault::DropConnection);
    client
        .secrets()
        .list(ListSecrets::new(p, "dev"))
        .await
        .unwrap();
    world.emulator.revoke_access_tokens();
    client
        .secrets()
        .list(ListSecrets::new(p, "dev"))
        .await
        .unwrap();
    client.close().await.unwrap();

    let text = captured.text();
    assert!(text.contains("retrying"), "the retries were logged: {text}");
    assert!(
        text.contains("infisical.request"),
        "spans were captured: {text}"
    );
    let mut secrets = vec![
        world.client_secret.clone(),
        "s3cr3t-db-password".to_owned(),
        "fresh-new-secret-value".to_owned(),
    ];
    // Every access token the emulator handed out, read from its answers' requests.
    secrets.extend(world.emulator.requests().iter().filter_map(|r| {
        let value = r.headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
        Some(value.trim_start_matches("Bearer ").to_owned())
    }));
    assert!(
        secrets.len() >= 5,
        "the tokens were found: {}",
        secrets.len()
    );
    for secret in &secrets {
        assert!(
            !text.contains(secret.as_str()),
            "a secret leaked into the logs:\n{text}"
        );
    }
}

/// Issue: a value must never reach an error, a panic message or a log line, whatever the
/// public function of `environment`, `typed` or `config_source` it went through.
#[tokio::test(flavor = "current_thread")]
async fn a_marker_in_secret_values_never_reaches_errors_or_logs() {
    use infisical::config_source::InfisicalSource;
    use infisical::env_vars::{command_with_secrets, is_usable};
    use std::collections::BTreeMap;
    const MARKER: &str = "MARKER-51ab";

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    enum Mode {
        Fast,
    }
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Settings {
        #[serde(rename = "PORT")]
        port: u16,
        #[serde(rename = "MODE")]
        mode: Mode,
        #[serde(rename = "BIG")]
        big: u128,
        #[serde(rename = "LIST")]
        list: Vec<u8>,
        #[serde(rename = "MAYBE")]
        maybe: Option<bool>,
    }

    let (captured, _guard) = capture();
    let world = World::modern();
    let p = world.project.as_str();
    for key in ["PORT", "MODE", "BIG", "LIST", "MAYBE", "BAD=NAME", ""] {
        let value = format!("{MARKER}, {MARKER}");
        world.emulator.set_secret(p, "dev", "/", key, &value);
    }
    world
        .emulator
        .set_secret(p, "dev", "/", "NUL_VALUE", &format!("{MARKER}\0"));
    let list = world
        .client()
        .secrets()
        .list(ListSecrets::new(p, "dev"))
        .await
        .unwrap();
    let mut seen = Vec::new();

    let err = infisical::typed::from_secrets::<Settings>(&list).unwrap_err();
    seen.push(format!("{err} {err:?}"));
    let values: BTreeMap<String, String> = list
        .merged()
        .into_iter()
        .map(|(k, s)| (k.to_owned(), s.value().unwrap().to_owned()))
        .collect();
    let err = infisical::typed::from_map::<Settings>(&values).unwrap_err();
    seen.push(format!("{err} {err:?}"));

    assert!(!is_usable("BAD=NAME", MARKER));
    let mut command = std::process::Command::new("true");
    command_with_secrets(&mut command, &list); // logs the skipped names, checked below

    // The `config` source: its errors (the server failing) never carry a value.
    world.fail_next_list(Fault::status(500));
    let url = world.emulator.url();
    let (id, secret) = (world.client_id.clone(), world.client_secret.clone());
    let project = world.project.clone();
    let collected = std::thread::spawn(move || {
        let client = infisical::blocking::Client::builder()
            .base_url(url)
            .credentials(UniversalAuth::new(id, secret))
            .no_retries()
            .build()
            .unwrap();
        let source = InfisicalSource::new(client, ListSecrets::new(project, "dev"));
        config::Source::collect(&source).map(drop)
    })
    .join()
    .expect("no panic");
    let err = collected.unwrap_err();
    seen.push(format!("{err} {err:?}"));

    for text in &seen {
        assert!(!text.contains(MARKER), "{text}");
    }
    let logs = captured.text();
    assert!(logs.contains("cannot be environment variables"), "{logs}");
    assert!(!logs.contains(MARKER), "{logs}");
}
