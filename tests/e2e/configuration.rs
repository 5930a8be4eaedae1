//! Secrets as configuration: typed structs, the `config` crate, environment variables.

use crate::support::World;
use infisical::config_source::InfisicalSource;
use infisical::secrets::ListSecrets;
use serde::Deserialize;
use std::process::Command;

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct Settings {
    #[serde(rename = "DATABASE_URL")]
    database_url: String,
    #[serde(rename = "PORT")]
    port: u16,
    #[serde(rename = "WORKERS")]
    workers: u8,
    #[serde(rename = "DEBUG", default)]
    debug: bool,
}

#[tokio::test]
async fn secrets_fill_a_typed_struct_or_name_every_problem() {
    let world = World::modern();
    let p = world.project.as_str();
    world
        .emulator
        .set_secret(p, "dev", "/", "DATABASE_URL", "postgres://db/app");
    world.emulator.set_secret(p, "dev", "/", "PORT", "8080");
    world.emulator.set_secret(p, "dev", "/", "WORKERS", "4");
    world
        .emulator
        .set_secret(p, "prod", "/", "PORT", "not-a-port-s3cr3t");
    let client = world.client();

    let dev = client
        .secrets()
        .list(ListSecrets::new(p, "dev"))
        .await
        .unwrap();
    let settings: Settings = infisical::typed::from_secrets(&dev).unwrap();
    assert_eq!(
        (settings.port, settings.workers, settings.debug),
        (8080, 4, false)
    );

    let prod = client
        .secrets()
        .list(ListSecrets::new(p, "prod"))
        .await
        .unwrap();
    let err = infisical::typed::from_secrets::<Settings>(&prod).unwrap_err();
    assert_eq!(err.missing, ["DATABASE_URL", "WORKERS"]);
    assert_eq!(err.invalid, [("PORT".to_owned(), "u16".to_owned())]);
    assert!(!err.to_string().contains("s3cr3t"), "{err}");
}

#[test]
fn infisical_is_a_layer_of_the_config_crate() {
    let world = World::modern();
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "PORT", "9090");
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "NAME", "from-infisical");
    let client = world.blocking_client();
    let settings = config::Config::builder()
        .set_default("PORT", 8080)
        .unwrap()
        .set_default("REGION", "eu")
        .unwrap()
        .add_source(InfisicalSource::new(
            client,
            ListSecrets::new(&world.project, "dev"),
        ))
        .build()
        .unwrap();
    assert_eq!(
        settings.get::<u16>("PORT").unwrap(),
        9090,
        "Infisical overrides the default"
    );
    assert_eq!(settings.get::<String>("NAME").unwrap(), "from-infisical");
    assert_eq!(
        settings.get::<String>("REGION").unwrap(),
        "eu",
        "other layers stay"
    );
}

#[tokio::test]
async fn a_child_command_gets_the_secrets_and_this_process_does_not() {
    let world = World::modern();
    let p = world.project.as_str();
    world
        .emulator
        .set_secret(p, "dev", "/", "INFISICAL_RS_E2E_CHILD", "child-only");
    world.emulator.set_secret(
        p,
        "prod",
        "/shared",
        "INFISICAL_RS_E2E_IMPORTED",
        "imported",
    );
    world.emulator.add_import(p, "dev", "/", "prod", "/shared");
    let list = world
        .client()
        .secrets()
        .list(ListSecrets::new(p, "dev").include_imports(true))
        .await
        .unwrap();
    let mut command = Command::new("sh");
    command.args([
        "-c",
        "printf '%s %s' \"$INFISICAL_RS_E2E_CHILD\" \"$INFISICAL_RS_E2E_IMPORTED\"",
    ]);
    let output = infisical::env_vars::command_with_secrets(&mut command, &list)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        "child-only imported"
    );
    assert!(std::env::var_os("INFISICAL_RS_E2E_CHILD").is_none());
}
