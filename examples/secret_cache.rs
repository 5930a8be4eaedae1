//! The secret cache: repeated reads served locally, and stale-if-error when the server fails.
//!
//! ```text
//! cargo run --example secret_cache
//! ```

use infisical::credentials::UniversalAuth;
use infisical::secrets::ListSecrets;
use infisical::CacheConfig;
use infisical_emulator::{Emulator, Fault, Route};
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), infisical::Error> {
    let emulator = Emulator::start();
    let project = emulator.create_project("demo");
    emulator.set_secret(&project, "prod", "/", "FEATURE_FLAGS", "search,billing");
    let (id, secret) = emulator.create_universal_auth_identity();

    let client = infisical::Client::builder()
        .base_url(emulator.url())
        .credentials(UniversalAuth::new(id, secret))
        .secret_cache(
            CacheConfig::new()
                .ttl(Duration::from_millis(200))
                .max_stale(Duration::from_secs(600)),
        )
        .build()?;
    let list = || client.secrets().list(ListSecrets::new(&project, "prod"));

    for _ in 0..3 {
        println!("read: {:?}", list().await?.freshness);
    }
    println!(
        "requests the server saw: {}",
        emulator.count("GET", "/api/v4/secrets")
    );

    tokio::time::sleep(Duration::from_millis(250)).await;
    for _ in 0..3 {
        emulator.inject(Route::new("GET", "/api/v4/secrets"), Fault::status(503));
    }
    let stale = list().await?;
    let flags = match stale.get("FEATURE_FLAGS") {
        Some(secret) => secret.value()?,
        None => "(missing)",
    };
    println!(
        "server down: still served, {:?}; FEATURE_FLAGS = {flags}",
        stale.freshness
    );
    Ok(())
}
