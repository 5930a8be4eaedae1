//! What the SDK logs: warnings where they matter, and never a secret.

use crate::support::World;
use infisical::secrets::{CreateSecret, GetSecret, ListSecrets};
use infisical_emulator::{Fault, Route, ServerMode};
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
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

#[tokio::test(flavor = "current_thread")]
async fn a_legacy_server_warns_on_each_deprecated_call_and_the_fallback_is_logged_once() {
    let world = World::new(ServerMode::Legacy);
    let client = world.client();
    let (captured, _guard) = capture();
    for _ in 0..3 {
        client
            .secrets()
            .list(ListSecrets::new(&world.project, "dev"))
            .await
            .unwrap();
    }
    let text = captured.text();
    let warnings = text
        .lines()
        .filter(|l| l.contains("WARN") && l.contains("deprecated"))
        .count();
    assert_eq!(warnings, 3, "{text}");
    assert_eq!(
        text.matches("using the legacy routes from now on").count(),
        1,
        "{text}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_modern_server_gives_no_warning() {
    let world = World::modern();
    let client = world.client();
    let (captured, _guard) = capture();
    client
        .secrets()
        .list(ListSecrets::new(&world.project, "dev"))
        .await
        .unwrap();
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
    world
        .emulator
        .inject(Route::new("GET", "/api/v4/secrets"), Fault::status(500));
    world
        .emulator
        .inject(Route::new("GET", "/api/v4/secrets"), Fault::DropConnection);
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
