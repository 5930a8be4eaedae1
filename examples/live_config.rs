//! A service whose typed settings follow Infisical: it prints them whenever they change,
//! while a secret changes underneath it — to a good value, to one that does not fit (the
//! last good settings stay), and back.
//!
//! Runs against the embedded emulator: `cargo run --example live_config`.

use infisical::credentials::UniversalAuth;
use infisical::secrets::ListSecrets;
use infisical::typed::Live;
use infisical_emulator::Emulator;
use std::time::Duration;

#[derive(serde::Deserialize)]
struct Settings {
    #[serde(rename = "RATE_LIMIT")]
    rate_limit: u32,
    #[serde(rename = "FEATURES", default)]
    features: Vec<String>,
}

impl std::fmt::Display for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let features = self.features.join(", ");
        write!(f, "rate limit {}, features [{features}]", self.rate_limit)
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start();
    let project = emulator.create_project("live-config");
    emulator.set_secret(&project, "prod", "/", "RATE_LIMIT", "100");
    emulator.set_secret(&project, "prod", "/", "FEATURES", "search");
    let (id, secret) = emulator.create_universal_auth_identity();
    let client = infisical::Client::builder()
        .base_url(emulator.url())
        .credentials(UniversalAuth::new(id, secret))
        .build()?;

    let interval = Duration::from_millis(200);
    let live: Live<Settings> =
        Live::start(&client, ListSecrets::new(&project, "prod"), interval).await?;
    println!("started with {}", live.current());

    // Someone edits the secrets in Infisical while the service runs.
    let edits = [
        ("RATE_LIMIT", "250", "raised the rate limit"),
        ("FEATURES", "search,billing", "turned billing on"),
        ("RATE_LIMIT", "lots", "broke the rate limit"),
        ("RATE_LIMIT", "300", "fixed it"),
    ];
    let mut changes = live.subscribe();
    for (key, value, what) in edits {
        emulator.set_secret(&project, "prod", "/", key, value);
        println!("\n(someone {what})");
        match tokio::time::timeout(interval * 5, changes.changed()).await {
            Ok(_) => println!("settings now {}", **changes.borrow_and_update()),
            Err(_) => match live.last_error() {
                Some(error) => println!("kept {}: {error}", live.current()),
                None => println!("no change seen"),
            },
        }
    }
    client.close().await?;
    Ok(())
}
