//! A credentials provider of your own, tried before the default chain.
//!
//! ```text
//! cargo run --example custom_provider
//! ```
//!
//! The provider reads universal-auth credentials from a JSON file named by
//! `MY_APP_CREDENTIALS_FILE`. No variable or no file means "nothing here" and the chain
//! goes on (environment, then the Infisical CLI); a file that is there but broken is an
//! error that stops the chain, so a typo never silently falls back to other credentials.
//! The example runs against the embedded emulator.

use infisical::credentials::{
    BoxFuture, Credentials, CredentialsChain, Lookup, ProvideCredentials, ProvidedCredentials,
};
use infisical::secrets::ListSecrets;
use infisical::{CredentialsError, CredentialsErrorKind};
use infisical_emulator::Emulator;
use serde::Deserialize;
use std::path::PathBuf;

/// Reads `{"clientId": "...", "clientSecret": "..."}` from a file.
#[derive(Debug)]
struct JsonFileProvider {
    path: Option<PathBuf>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct FileCredentials {
    client_id: String,
    client_secret: String,
}

impl JsonFileProvider {
    fn lookup(&self) -> Result<Lookup, CredentialsError> {
        let Some(path) = &self.path else {
            return Ok(Lookup::NotHere("MY_APP_CREDENTIALS_FILE is not set".into()));
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Lookup::NotHere(format!(
                    "{} does not exist",
                    path.display()
                )))
            }
            Err(e) => return Err(broken(format!("cannot read it: {e}")).with_path(path)),
        };
        let file: FileCredentials = serde_json::from_str(&text)
            .map_err(|e| broken(format!("not the expected JSON: {e}")).with_path(path))?;
        let identity = file.client_id.clone();
        let credentials = Credentials::universal_auth(file.client_id, file.client_secret);
        Ok(Lookup::Found(
            ProvidedCredentials::new("json-file", credentials).with_identity(identity),
        ))
    }
}

fn broken(message: String) -> CredentialsError {
    CredentialsError::new(CredentialsErrorKind::Invalid, "json-file", message)
}

impl ProvideCredentials for JsonFileProvider {
    fn name(&self) -> &str {
        "json-file"
    }

    fn provide(&self) -> BoxFuture<'_, Result<Lookup, CredentialsError>> {
        let result = self.lookup();
        Box::pin(async move { result })
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let emulator = Emulator::start();
    let project = emulator.create_project("demo");
    emulator.set_secret(&project, "dev", "/", "GREETING", "hello from the emulator");
    let (client_id, client_secret) = emulator.create_universal_auth_identity();

    let path = std::env::temp_dir().join(format!("custom-provider-{}.json", std::process::id()));
    let json = serde_json::json!({"clientId": client_id, "clientSecret": client_secret});
    std::fs::write(&path, json.to_string())?;

    let chain = CredentialsChain::default_chain().insert(
        0,
        JsonFileProvider {
            path: Some(path.clone()),
        },
    );
    println!("chain: {}", chain.names().join(" -> "));
    let client = infisical::Client::builder()
        .base_url(emulator.url())
        .credentials(chain)
        .build()?;
    let list = client
        .secrets()
        .list(ListSecrets::new(&project, "dev"))
        .await?;
    let me = client.identity().await?;
    println!(
        "credentials from: {} ({})",
        me.provider,
        me.identity.unwrap_or_default()
    );
    for secret in &list {
        println!("{} = {}", secret.key, secret.value()?);
    }
    client.close().await?;
    std::fs::remove_file(&path)?;
    Ok(())
}
