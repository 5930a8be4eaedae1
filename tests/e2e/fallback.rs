//! v4 → v3 fallback: once per client, then it sticks.

use crate::support::World;
use infisical::secrets::{CreateSecret, GetSecret, ListSecrets};
use infisical_emulator::ServerMode;

#[tokio::test]
async fn falls_back_once_per_client_and_sticks() {
    let world = World::new(ServerMode::Legacy);
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "K", "v");
    let client = world.client();
    let p = world.project.as_str();
    for _ in 0..3 {
        let list = client
            .secrets()
            .list(ListSecrets::new(p, "dev"))
            .await
            .unwrap();
        assert_eq!(list.get("K").unwrap().value().unwrap(), "v");
    }
    client
        .secrets()
        .get(GetSecret::new(p, "dev", "K"))
        .await
        .unwrap();
    client
        .secrets()
        .create(CreateSecret::new(p, "dev", "NEW", "1"))
        .await
        .unwrap()
        .into_applied()
        .unwrap();

    let emu = &world.emulator;
    assert_eq!(
        emu.count("GET", "/api/v4/secrets"),
        1,
        "the first call found out"
    );
    assert_eq!(
        world.count_any("/api/v4/"),
        1,
        "and no v4 route was tried again"
    );
    assert_eq!(emu.count("GET", "/api/v3/secrets/raw"), 3);
    assert_eq!(emu.count("GET", "/api/v3/secrets/raw/K"), 1);
    assert_eq!(emu.count("POST", "/api/v3/secrets/raw/NEW"), 1);

    // Clones share what was learnt; a new client learns again.
    client
        .clone()
        .secrets()
        .list(ListSecrets::new(p, "dev"))
        .await
        .unwrap();
    assert_eq!(world.count_any("/api/v4/"), 1);
    world
        .client()
        .secrets()
        .list(ListSecrets::new(p, "dev"))
        .await
        .unwrap();
    assert_eq!(world.count_any("/api/v4/"), 2);
}

#[tokio::test]
async fn a_missing_secret_on_a_v4_server_is_not_mistaken_for_a_missing_route() {
    let world = World::modern();
    let client = world.client();
    let err = client
        .secrets()
        .get(GetSecret::new(&world.project, "dev", "ABSENT"))
        .await
        .unwrap_err();
    assert!(err.is_not_found());
    assert_eq!(
        world.count_any("/api/v3/"),
        0,
        "no fallback on a resource 404"
    );
}
