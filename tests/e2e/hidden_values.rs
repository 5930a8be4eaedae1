//! Values the server withholds (`viewSecretValue=false`, or a role that hides values): the
//! placeholder it sends never becomes a value, in any consumer of the SDK.

use crate::support::World;
use infisical::secrets::{GetSecret, ListSecrets};
use infisical::{CacheConfig, Error};

const PLACEHOLDER: &str = "<hidden-by-infisical>";

fn world() -> World {
    let world = World::modern();
    world.emulator.set_secret(
        &world.project,
        "dev",
        "/",
        "DATABASE_URL",
        "postgres://real",
    );
    world
}

fn names_only(world: &World) -> ListSecrets {
    ListSecrets::new(&world.project, "dev").view_secret_value(false)
}

/// The world's `dev` root listed by a new client, names only.
async fn listed_names_only(world: &World) -> infisical::secrets::SecretList {
    world
        .client()
        .secrets()
        .list(names_only(world))
        .await
        .unwrap()
}

#[tokio::test]
async fn list_get_and_merged_refuse_a_withheld_value() {
    let world = world();
    let client = world.client();
    let list = client.secrets().list(names_only(&world)).await.unwrap();
    let secret = list.get("DATABASE_URL").unwrap();
    assert!(secret.is_hidden());
    let err = secret.value().unwrap_err();
    assert_eq!(err.key(), "DATABASE_URL");
    let merged = list.merged();
    assert!(merged["DATABASE_URL"].value().is_err());
    let request = world.emulator.requests().pop().unwrap();
    assert_eq!(request.query_param("viewSecretValue"), Some("false"));

    let got = client
        .secrets()
        .get(GetSecret::new(&world.project, "dev", "DATABASE_URL").view_secret_value(false))
        .await
        .unwrap();
    let err: Error = got.value().unwrap_err().into();
    assert!(matches!(err, Error::HiddenValue(_)), "{err:?}");
    assert!(!err.to_string().contains(PLACEHOLDER));
    // Asked for, the value is there.
    let shown = world.list(&client).await.unwrap();
    assert_eq!(
        shown.get("DATABASE_URL").unwrap().value(),
        Ok("postgres://real")
    );
}

#[test]
fn the_blocking_client_refuses_it_too() {
    let world = world();
    let list = world
        .blocking_client()
        .secrets()
        .list(names_only(&world))
        .unwrap();
    assert!(list.get("DATABASE_URL").unwrap().value().is_err());
}

#[tokio::test]
async fn the_cache_keeps_it_withheld() {
    let world = world();
    let client = world
        .builder()
        .secret_cache(CacheConfig::new())
        .build()
        .unwrap();
    client.secrets().list(names_only(&world)).await.unwrap();
    let cached = client.secrets().list(names_only(&world)).await.unwrap();
    assert!(matches!(
        cached.freshness,
        infisical::secrets::Freshness::Cached { .. }
    ));
    assert!(cached.get("DATABASE_URL").unwrap().value().is_err());
}

#[tokio::test]
async fn typed_config_names_the_withheld_key() {
    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Settings {
        #[serde(rename = "DATABASE_URL")]
        database_url: String,
    }
    let world = world();
    let list = listed_names_only(&world).await;
    let err = infisical::typed::from_secrets::<Settings>(&list).unwrap_err();
    assert_eq!(err.hidden, ["DATABASE_URL"]);
    assert!(err.missing.is_empty(), "withheld, not missing: {err:?}");
    let text = err.to_string();
    assert!(
        text.contains("withheld") && text.contains("DATABASE_URL"),
        "{text}"
    );
    assert!(!text.contains(PLACEHOLDER));
}

#[tokio::test]
async fn a_child_process_never_gets_the_placeholder() {
    let world = world();
    let list = listed_names_only(&world).await;
    let mut command = std::process::Command::new("env");
    let output = infisical::env_vars::command_with_secrets(&mut command, &list)
        .output()
        .unwrap();
    let child_env = String::from_utf8_lossy(&output.stdout);
    assert!(!child_env.contains("DATABASE_URL="), "{child_env}");
    assert!(!child_env.contains(PLACEHOLDER));
}

#[test]
fn the_config_source_refuses_it_naming_the_key() {
    use infisical::config_source::InfisicalSource;
    let world = world();
    let source = InfisicalSource::new(world.blocking_client(), names_only(&world));
    let err = config::Source::collect(&source).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("DATABASE_URL"), "{text}");
    assert!(!text.contains(PLACEHOLDER), "{text}");
}
