//! Bootstrapping a service's machine identity, as a platform team automates it: an identity
//! with the right to manage identities creates a new one, gives it universal auth and a
//! client secret, adds it to a project, and the new identity logs in and reads a secret.
//!
//! ```text
//! cargo run --example bootstrap_identity
//! ```
//!
//! With no `INFISICAL_*` variable set, it runs against the embedded emulator. Against a real
//! server, set `INFISICAL_ORGANIZATION_ID`, `INFISICAL_PROJECT_ID` and `INFISICAL_ENVIRONMENT`
//! and credentials the default chain finds (an identity allowed to create identities and
//! add them to the project). It then creates an identity named `bootstrap-example-<n>` and
//! deletes it at the end; the client secret is never printed.

use infisical::credentials::UniversalAuth;
use infisical::identities::{
    AddIdentityToProject, AttachUniversalAuth, CreateClientSecret, CreateIdentity, DeleteIdentity,
    RoleAssignment,
};
use infisical::{Client, Error};
use infisical_emulator::Emulator;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Where the example works: the server, the organization, the project and environment, and
/// a client that may manage identities there.
struct Setting {
    admin: Client,
    organization: String,
    project: String,
    environment: String,
    /// Keeps the embedded emulator running, when there is one.
    _emulator: Option<Emulator>,
}

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), String> {
    let setting = setting()?;
    let identities = setting.admin.identities();
    let name = format!("bootstrap-example-{}", unique());

    // 1. The identity, with no role in the organization beyond what it needs.
    let identity = identities
        .create(CreateIdentity::new(&setting.organization, &name).role("no-access"))
        .await
        .map_err(describe)?;
    println!("created identity {} ({})", identity.name, identity.id);
    let outcome = provision(&setting, &identity.id).await;

    // 5. Clean up, whatever happened.
    identities
        .delete(DeleteIdentity::new(&identity.id))
        .await
        .map_err(describe)?;
    println!("deleted identity {}", identity.id);
    outcome
}

async fn provision(setting: &Setting, identity_id: &str) -> Result<(), String> {
    let identities = setting.admin.identities();
    // 2. Universal auth: one-hour tokens, renewable for a day.
    let auth = identities
        .attach_universal_auth(
            AttachUniversalAuth::new(identity_id)
                .access_token_ttl(Duration::from_secs(3600))
                .access_token_max_ttl(Duration::from_secs(86_400)),
        )
        .await
        .map_err(describe)?;
    println!("universal auth attached: client id {}", auth.client_id);

    // 3. A client secret: shown once, by this answer. Hand it to the service's secret store.
    let secret = identities
        .create_client_secret(CreateClientSecret::new(identity_id).description("bootstrap example"))
        .await
        .map_err(describe)?;
    println!(
        "client secret created: {}… (the rest is never printed)",
        secret.info.client_secret_prefix
    );

    // 4. Read access to the project, then the new identity logs in and reads.
    identities
        .add_to_project(AddIdentityToProject::new(
            &setting.project,
            identity_id,
            [RoleAssignment::permanent("viewer")],
        ))
        .await
        .map_err(describe)?;
    println!("added to project {} as viewer", setting.project);

    let service = Client::builder()
        .base_url(setting.admin.base_url())
        .credentials(UniversalAuth::new(
            &auth.client_id,
            secret.secret().expose(),
        ))
        .build()
        .map_err(describe)?;
    let secrets = service
        .project(&setting.project)
        .environment(&setting.environment)
        .secrets()
        .list()
        .await
        .map_err(describe)?;
    println!(
        "the new identity logged in and listed {} secrets in {}:/",
        secrets.len(),
        setting.environment
    );
    service.close().await.map_err(describe)?;
    Ok(())
}

/// The embedded emulator when no `INFISICAL_*` variable is set, else the server and
/// credentials of the environment.
fn setting() -> Result<Setting, String> {
    let configured =
        std::env::vars_os().any(|(name, _)| name.to_string_lossy().starts_with("INFISICAL_"));
    if !configured {
        let emulator = Emulator::start();
        let project = emulator.create_project("bootstrap");
        emulator.set_secret(&project, "dev", "/", "DATABASE_URL", "postgres://db");
        let (client_id, client_secret) = emulator.create_universal_auth_identity();
        println!(
            "No INFISICAL_* variables set: using the embedded emulator at {}\n",
            emulator.url()
        );
        let admin = Client::builder()
            .base_url(emulator.url())
            .credentials(UniversalAuth::new(client_id, client_secret))
            .build()
            .map_err(describe)?;
        return Ok(Setting {
            admin,
            organization: emulator.organization_id(),
            project,
            environment: "dev".to_owned(),
            _emulator: Some(emulator),
        });
    }
    let var = |name: &str| {
        std::env::var(name)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| format!("set {name} (see the example's documentation)"))
    };
    Ok(Setting {
        admin: Client::builder().build().map_err(describe)?,
        organization: var("INFISICAL_ORGANIZATION_ID")?,
        project: var("INFISICAL_PROJECT_ID")?,
        environment: var("INFISICAL_ENVIRONMENT")?,
        _emulator: None,
    })
}

fn unique() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

fn describe(error: Error) -> String {
    error.to_string()
}
