//! A folder's secrets as a typed settings struct, and Infisical as a `config` crate layer.
//!
//! ```text
//! cargo run --example typed_config
//! ```

use infisical::config_source::InfisicalSource;
use infisical::credentials::UniversalAuth;
use infisical::secrets::ListSecrets;
use infisical_emulator::Emulator;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Settings {
    #[serde(rename = "DATABASE_URL")]
    database_url: String,
    #[serde(rename = "PORT")]
    port: u16,
    #[serde(rename = "ALLOWED_ORIGINS", default)]
    allowed_origins: Vec<String>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start();
    let project = emulator.create_project("demo");
    emulator.set_secret(
        &project,
        "prod",
        "/",
        "DATABASE_URL",
        "postgres://db.internal/app",
    );
    emulator.set_secret(&project, "prod", "/", "PORT", "8443");
    emulator.set_secret(
        &project,
        "prod",
        "/",
        "ALLOWED_ORIGINS",
        "https://a.example, https://b.example",
    );
    emulator.set_secret(&project, "staging", "/", "PORT", "eighty");
    let (id, secret) = emulator.create_universal_auth_identity();
    let client = infisical::blocking::Client::builder()
        .base_url(emulator.url())
        .credentials(UniversalAuth::new(id, secret))
        .build()?;

    let prod = client.secrets().list(ListSecrets::new(&project, "prod"))?;
    let settings: Settings = infisical::typed::from_secrets(&prod)?;
    println!(
        "prod: port {}, {} origins, database URL of {} characters",
        settings.port,
        settings.allowed_origins.len(),
        settings.database_url.len()
    );

    let staging = client
        .secrets()
        .list(ListSecrets::new(&project, "staging"))?;
    match infisical::typed::from_secrets::<Settings>(&staging) {
        Ok(_) => println!("staging: fits"),
        Err(error) => println!("staging: {error}"),
    }

    let layered = config::Config::builder()
        .set_default("PORT", 8080)?
        .set_default("LOG_LEVEL", "info")?
        .add_source(InfisicalSource::new(
            client,
            ListSecrets::new(&project, "prod"),
        ))
        .build()?;
    println!(
        "config crate: PORT = {}, LOG_LEVEL = {}",
        layered.get::<u16>("PORT")?,
        layered.get::<String>("LOG_LEVEL")?
    );
    Ok(())
}
