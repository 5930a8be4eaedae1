//! The main job: list, get, create and update secrets through the public API.
//!
//! ```text
//! cargo run --example quickstart
//! ```
//!
//! With no `INFISICAL_*` variable set, it starts the embedded emulator, seeds a demo
//! project and works on it. With `INFISICAL_PROJECT_ID` and `INFISICAL_ENVIRONMENT` set, it
//! lists that environment's root folder, read-only, with whatever credentials the default
//! chain finds, in its order: `INFISICAL_AUTH_METHOD` with its variables,
//! `INFISICAL_CLIENT_ID` + `INFISICAL_CLIENT_SECRET`, `INFISICAL_TOKEN`, then the Infisical
//! CLI's login; on the server `INFISICAL_URL` names (default `https://us.infisical.com`), or the
//! one the CLI logged into.

use infisical::credentials::UniversalAuth;
use infisical::secrets::{CreateSecret, SecretList};
use infisical::{Client, Error};
use infisical_emulator::Emulator;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let configured =
        std::env::vars_os().any(|(name, _)| name.to_string_lossy().starts_with("INFISICAL_"));
    let outcome = if configured {
        remote().await
    } else {
        demo().await
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Against the embedded emulator: every kind of call, with made-up values.
async fn demo() -> Result<(), String> {
    let emulator = Emulator::start();
    let project = emulator.create_project("demo");
    emulator.set_secret(&project, "dev", "/", "DATABASE_HOST", "db.internal");
    emulator.set_secret(
        &project,
        "dev",
        "/",
        "DATABASE_URL",
        "postgres://app@${DATABASE_HOST}:5432/app",
    );
    emulator.set_secret(&project, "dev", "/", "FEATURE_FLAGS", "search,billing");
    let (client_id, client_secret) = emulator.create_universal_auth_identity();
    println!(
        "No INFISICAL_* variables set: using the embedded emulator at {}",
        emulator.url()
    );
    println!("Seeded project {project} (environment dev) with demo values.\n");

    let client = Client::builder()
        .base_url(emulator.url())
        .credentials(UniversalAuth::new(client_id, client_secret))
        .build()
        .map_err(describe)?;
    // Every call below is scoped to the project's `dev` environment, root folder.
    let dev = client.project(&project).environment("dev");
    let secrets = dev.secrets();

    let list = secrets.list().await.map_err(describe)?;
    println!("list dev:/ -> {} secrets (references expanded)", list.len());
    print_values(&list);

    let url = secrets.get("DATABASE_URL").await.map_err(describe)?;
    println!(
        "\nget DATABASE_URL -> {} (version {})",
        shown(&url),
        url.version
    );

    // The request types take every option (here a comment), scoped handles the common ones.
    let created = client
        .secrets()
        .create(
            CreateSecret::new(&project, "dev", "API_KEY", "demo-key-1")
                .comment("created by quickstart"),
        )
        .await
        .and_then(|outcome| outcome.into_applied())
        .map_err(describe)?;
    println!(
        "create API_KEY -> {} (version {})",
        shown(&created),
        created.version
    );

    let updated = secrets
        .update("API_KEY", "demo-key-2")
        .await
        .and_then(|outcome| outcome.into_applied())
        .map_err(describe)?;
    println!(
        "update API_KEY -> {} (version {})",
        shown(&updated),
        updated.version
    );

    let after = secrets.list().await.map_err(describe)?;
    println!("\nlist dev:/ again -> {} secrets", after.len());
    print_values(&after);

    client.close().await.map_err(describe)?;
    println!("\nClosed the client (its access token was revoked).");
    Ok(())
}

/// Against a real server, with the credentials the default chain finds: list the
/// environment's root folder, read-only.
async fn remote() -> Result<(), String> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let (Some(project), Some(environment)) =
        (var("INFISICAL_PROJECT_ID"), var("INFISICAL_ENVIRONMENT"))
    else {
        return Err("set INFISICAL_PROJECT_ID and INFISICAL_ENVIRONMENT (or unset every INFISICAL_* variable for the demo)".into());
    };
    let client = Client::builder().build().map_err(describe)?;
    let me = client.identity().await.map_err(describe)?;
    println!(
        "Listing {environment}:/ of project {project} on {} as {} (credentials from {})",
        me.base_url,
        me.identity.as_deref().unwrap_or("an unnamed identity"),
        me.provider
    );
    let list = client
        .project(&project)
        .environment(&environment)
        .secrets()
        .list()
        .await
        .map_err(describe)?;
    println!("{} secrets (values masked):", list.len());
    for secret in &list {
        match secret.value() {
            Ok(value) => println!("  {} = {}", secret.key, mask(value)),
            Err(_) => println!("  {} = [withheld by the server]", secret.key),
        }
    }
    client.close().await.map_err(describe)?;
    Ok(())
}

fn print_values(list: &SecretList) {
    for secret in list {
        println!("  {} = {}", secret.key, shown(secret));
    }
}

/// The value, or a note when the server withheld it (the caller may read names only).
fn shown(secret: &infisical::secrets::Secret) -> &str {
    secret.value().unwrap_or("[withheld by the server]")
}

fn mask(value: &str) -> String {
    format!("[hidden, {} chars]", value.chars().count())
}

fn describe(error: Error) -> String {
    match error.request_id() {
        Some(id) => format!("{error} (quote request id {id} to Infisical support)"),
        None => error.to_string(),
    }
}
