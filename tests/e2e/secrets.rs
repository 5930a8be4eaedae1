//! Every secrets method through the async client, on a current and on a legacy server.

use crate::support::World;
use infisical_emulator::ServerMode;

#[tokio::test]
async fn every_secrets_method_on_a_v4_server() {
    let world = World::new(ServerMode::Modern);
    let client = world.client();
    exercise_every_secrets_method!(client, &world, ServerMode::Modern, [.await]);
    assert_eq!(
        world.count_any("/api/v3/"),
        0,
        "a v4 server is never asked for v3"
    );
    assert_eq!(world.emulator.logins(), 1, "one login for the whole run");
}

#[tokio::test]
async fn every_secrets_method_on_a_v3_only_server() {
    let world = World::new(ServerMode::Legacy);
    let client = world.client();
    exercise_every_secrets_method!(client, &world, ServerMode::Legacy, [.await]);
    assert_eq!(
        world.count_any("/api/v4/"),
        2,
        "v4 is tried once per client (the identity's and the user's), then v3 sticks"
    );
    assert_eq!(world.emulator.logins(), 1);
}
