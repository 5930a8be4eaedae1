//! Lists a folder's secrets with the official Infisical Rust SDK 0.0.4.

use infisical::secrets::ListSecretsRequest;
use infisical::{AuthMethod, Client};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let mut client = Client::builder()
        .base_url(var("INFISICAL_URL"))
        .build()
        .await?;
    client
        .login(AuthMethod::new_universal_auth(var("CLIENT_ID"), var("CLIENT_SECRET")))
        .await?;
    let request = ListSecretsRequest::builder(var("PROJECT_ID"), "dev").build();
    for secret in client.secrets().list(request).await? {
        println!("{}", secret.secret_key);
    }
    Ok(())
}
