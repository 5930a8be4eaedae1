//! Loading secrets into this process's environment. A test binary of its own: changing the
//! environment while other threads (other tests) may read it is a data race in C code,
//! so this runs alone.

// Shared with the e2e binary, which uses all of it; this one only `World::modern`.
#[allow(dead_code)]
#[path = "e2e/support.rs"]
mod support;

use infisical::secrets::ListSecrets;
use support::World;

#[tokio::test]
async fn secrets_load_into_the_process_environment_without_overwriting() {
    let world = World::modern();
    let p = world.project.as_str();
    let (kept, loaded) = ("INFISICAL_RS_E2E_KEPT", "INFISICAL_RS_E2E_LOADED");
    world
        .emulator
        .set_secret(p, "dev", "/", kept, "from-infisical");
    world
        .emulator
        .set_secret(p, "dev", "/", loaded, "loaded-value");
    std::env::set_var(kept, "already-set");
    let list = world
        .client()
        .secrets()
        .list(ListSecrets::new(p, "dev"))
        .await
        .unwrap();

    let result = infisical::environment::load_into_process(&list, false);
    assert_eq!(result.kept, [kept]);
    assert_eq!(result.set, [loaded]);
    assert_eq!(std::env::var(kept).unwrap(), "already-set");
    assert_eq!(std::env::var(loaded).unwrap(), "loaded-value");

    infisical::environment::load_into_process(&list, true);
    assert_eq!(std::env::var(kept).unwrap(), "from-infisical");
    std::env::remove_var(kept);
    std::env::remove_var(loaded);
}
