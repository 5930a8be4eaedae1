//! Lists a folder's secrets with infisical-rs, as a new user's `main` would.

use infisical::credentials::UniversalAuth;

#[tokio::main]
async fn main() -> Result<(), infisical::Error> {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    let client = infisical::Client::builder()
        .base_url(var("INFISICAL_URL"))
        .credentials(UniversalAuth::new(var("CLIENT_ID"), var("CLIENT_SECRET")))
        .build()?;
    let dev = client.project(var("PROJECT_ID")).environment("dev");
    for secret in &dev.secrets().list().await? {
        println!("{}", secret.key);
    }
    Ok(())
}
