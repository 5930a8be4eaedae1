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

#[tokio::test]
async fn a_list_reads_its_timestamps_as_times_and_its_shared_text_as_text() {
    use infisical::secrets::ListSecrets;
    let world = World::new(ServerMode::Modern);
    for key in ["A", "B", "C"] {
        world
            .emulator
            .set_secret(&world.project, "dev", "/", key, "v");
    }
    let before = std::time::SystemTime::now() - std::time::Duration::from_secs(60);
    let list = world
        .client()
        .secrets()
        .list(ListSecrets::new(&world.project, "dev"))
        .await
        .unwrap();
    for secret in &list.secrets {
        assert_eq!(secret.environment, "dev");
        assert_eq!(secret.project_id, world.project);
        let created = secret.created_at.as_ref().expect("the server says");
        assert!(created.to_system_time().unwrap() > before, "{created}");
        assert_eq!(created.as_str().len(), 24, "{created}");
    }
}

/// A task per request holds the request's future, so its size is memory per request in
/// flight. It held the request (256 bytes) at each level of the call and the cache's
/// future twice: 2,936 bytes; now 1,136.
#[tokio::test]
async fn a_list_in_flight_holds_a_small_future() {
    let world = World::modern();
    let client = world.client();
    let listing = client
        .secrets()
        .list(infisical::secrets::ListSecrets::new(&world.project, "dev"));
    let size = std::mem::size_of_val(&listing);
    assert!(size <= 1_536, "a list's future takes {size} bytes");
    listing.await.unwrap();
}
