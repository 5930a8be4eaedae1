//! The blocking client: every secrets method, and its behaviour inside a runtime.

use crate::support::World;
use infisical::secrets::ListSecrets;
use infisical::Error;
use infisical_emulator::ServerMode;

#[test]
fn every_secrets_method_on_a_v4_server() {
    let world = World::new(ServerMode::Modern);
    let client = world.blocking_client();
    exercise_every_secrets_method!(client, &world, ServerMode::Modern, []);
    assert_eq!(world.count_any("/api/v3/"), 0);
}

#[test]
fn every_secrets_method_on_a_v3_only_server() {
    let world = World::new(ServerMode::Legacy);
    let client = world.blocking_client();
    exercise_every_secrets_method!(client, &world, ServerMode::Legacy, []);
    // Once per client: the identity's, and the user's whose write a policy holds.
    assert_eq!(world.count_any("/api/v4/"), 2);
}

#[test]
fn many_threads_share_one_blocking_client() {
    let world = World::modern();
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "K", "v");
    let client = world.blocking_client();
    std::thread::scope(|scope| {
        for _ in 0..8 {
            let client = client.clone();
            let project = world.project.clone();
            scope.spawn(move || {
                for _ in 0..5 {
                    let list = client
                        .secrets()
                        .list(ListSecrets::new(&project, "dev"))
                        .unwrap();
                    assert_eq!(list.get("K").unwrap().value().unwrap(), "v");
                }
            });
        }
    });
    assert_eq!(world.lists(), 40);
    assert_eq!(world.emulator.logins(), 1);
}

#[tokio::test]
async fn inside_a_runtime_it_returns_an_error_instead_of_blocking() {
    let world = World::modern();
    let client = world.blocking_client();
    let err = client
        .secrets()
        .list(ListSecrets::new(&world.project, "dev"))
        .unwrap_err();
    assert!(matches!(err, Error::BlockingInAsyncContext), "{err}");
    assert!(err.to_string().contains("async"));
    assert!(world.emulator.requests().is_empty(), "nothing was sent");
    // Its async side works here, and dropping the blocking client here does not panic.
    let list = client
        .as_async()
        .secrets()
        .list(ListSecrets::new(&world.project, "dev"))
        .await;
    assert!(list.is_ok());
    drop(client);
}

#[tokio::test]
async fn on_a_current_thread_runtime_it_blocks_off_the_runtime_thread() {
    // `#[tokio::test]` is a current-thread runtime: its own thread is refused (above), but
    // its blocking pool and plain threads of the program may block.
    let world = World::modern();
    let client = world.blocking_client();
    let list = |client: infisical::blocking::Client, project: String| {
        move || client.secrets().list(ListSecrets::new(project, "dev"))
    };
    let from_blocking_pool =
        tokio::task::spawn_blocking(list(client.clone(), world.project.clone()))
            .await
            .unwrap();
    assert!(from_blocking_pool.is_ok(), "{from_blocking_pool:?}");
    let from_thread = std::thread::spawn(list(client.clone(), world.project.clone()))
        .join()
        .unwrap();
    assert!(from_thread.is_ok(), "{from_thread:?}");
    assert_eq!(world.lists(), 2);
    // Still refused on the runtime's thread, and the probe left its budget intact: the
    // runtime goes on scheduling this task normally.
    let refused = client
        .secrets()
        .list(ListSecrets::new(&world.project, "dev"));
    assert!(matches!(refused, Err(Error::BlockingInAsyncContext)));
    for _ in 0..300 {
        tokio::task::yield_now().await;
    }
    drop(client);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inside_a_multi_threaded_runtime_it_blocks_where_blocking_is_allowed() {
    let world = World::modern();
    let client = world.blocking_client();
    let project = world.project.clone();
    // From spawn_blocking, where sync library code in async programs runs.
    let from_blocking_pool = {
        let (client, project) = (client.clone(), project.clone());
        tokio::task::spawn_blocking(move || client.secrets().list(ListSecrets::new(project, "dev")))
            .await
            .unwrap()
    };
    assert!(from_blocking_pool.is_ok(), "{from_blocking_pool:?}");
    // From a plain thread of the async program.
    let from_thread = {
        let (client, project) = (client.clone(), project.clone());
        std::thread::spawn(move || client.secrets().list(ListSecrets::new(project, "dev")))
            .join()
            .unwrap()
    };
    assert!(from_thread.is_ok(), "{from_thread:?}");
    // On a worker itself: tokio moves the worker's other tasks away first.
    let on_worker = client.secrets().list(ListSecrets::new(&project, "dev"));
    assert!(on_worker.is_ok(), "{on_worker:?}");
    assert_eq!(world.lists(), 3);
    drop(client);
}

#[test]
fn close_revokes_the_token_and_refuses_later_calls() {
    let world = World::modern();
    let client = world.blocking_client();
    client
        .secrets()
        .list(ListSecrets::new(&world.project, "dev"))
        .unwrap();
    client.close().unwrap();
    assert_eq!(world.emulator.count("POST", "/api/v1/auth/token/revoke"), 1);
    let err = client
        .secrets()
        .list(ListSecrets::new(&world.project, "dev"))
        .unwrap_err();
    assert!(matches!(err, Error::Closed), "{err}");
}
