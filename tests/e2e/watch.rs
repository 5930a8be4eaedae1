//! Watching a folder: change sets, 304s, outages, both clients; typed settings kept live.

use crate::support::World;
use infisical::reexports::futures_util::StreamExt;
use infisical::secrets::{ListSecrets, Secret};
use infisical::typed::{Live, LiveError};
use infisical::watch::{ChangeSet, SecretWatch, WatchEvent};
use infisical_emulator::{Fault, Route};
use std::time::Duration;

const LIST: &str = "/api/v4/secrets";

async fn next(watch: &mut SecretWatch, within: Duration) -> WatchEvent {
    tokio::time::timeout(within, watch.next())
        .await
        .expect("an event in time")
        .expect("the watch goes on")
}

async fn next_change(watch: &mut SecretWatch, within: Duration) -> ChangeSet {
    match next(watch, within).await {
        WatchEvent::Changed(set) => set,
        other => panic!("expected a change set, got {other:?}"),
    }
}

fn keys(secrets: &[Secret]) -> Vec<&str> {
    let mut keys: Vec<&str> = secrets.iter().map(|s| s.key.as_str()).collect();
    keys.sort_unstable();
    keys
}

#[tokio::test]
async fn a_watch_sees_additions_changes_and_removals_at_the_next_poll() {
    let world = World::modern();
    let (emu, p) = (&world.emulator, world.project.as_str());
    emu.set_secret(p, "dev", "/", "KEEP", "k");
    emu.set_secret(p, "dev", "/", "CHANGE", "v1");
    emu.set_secret(p, "dev", "/", "REMOVE", "r");
    let client = world.client();
    let interval = Duration::from_millis(300);
    let mut watch = client
        .project(p)
        .environment("dev")
        .secrets()
        .watch(interval)
        .first_poll_now();

    let first = next_change(&mut watch, interval).await;
    assert_eq!(keys(&first.added), ["CHANGE", "KEEP", "REMOVE"]);
    assert!(first.changed.is_empty() && first.removed.is_empty());

    // Right after a poll, so that none is in flight: the next poll sees all three.
    emu.set_secret(p, "dev", "/", "CHANGE", "v2");
    emu.set_secret(p, "dev", "/", "ADD", "a");
    let writer = world.client();
    writer
        .project(p)
        .environment("dev")
        .secrets()
        .delete("REMOVE")
        .await
        .unwrap()
        .into_applied()
        .unwrap();
    let polls = emu.count("GET", LIST);
    let set = next_change(&mut watch, 3 * interval).await;
    assert_eq!(emu.count("GET", LIST), polls + 1, "seen at the next poll");
    assert_eq!(keys(&set.added), ["ADD"]);
    assert_eq!(keys(&set.removed), ["REMOVE"]);
    assert_eq!(set.changed.len(), 1);
    let changed = &set.changed[0];
    assert_eq!((changed.old.version, changed.new.version), (1, 2));
    assert_eq!(changed.old.value().unwrap(), "v1");
    assert_eq!(changed.new.value().unwrap(), "v2");
    assert_eq!(keys(&set.secrets.secrets), ["ADD", "CHANGE", "KEEP"]);
}

#[tokio::test]
async fn an_unchanged_folder_costs_one_304_per_poll_and_reports_nothing() {
    let world = World::modern();
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "K", "v");
    let client = world.client();
    let interval = Duration::from_millis(40);
    let mut watch = client
        .secrets()
        .watch(ListSecrets::new(&world.project, "dev"), interval)
        .first_poll_now();
    next_change(&mut watch, interval * 3).await;
    let quiet = tokio::time::timeout(interval * 12, watch.next()).await;
    assert!(
        quiet.is_err(),
        "nothing changed, nothing reported: {quiet:?}"
    );
    let polls = world.emulator.count("GET", LIST);
    assert!(polls >= 6, "kept polling: {polls}");
    assert_eq!(
        world.emulator.not_modified_answers(),
        polls - 1,
        "every poll after the first was a 304"
    );
}

#[tokio::test]
async fn an_outage_is_stale_once_then_recovered_without_a_storm() {
    let world = World::modern();
    let (emu, p) = (&world.emulator, world.project.as_str());
    emu.set_secret(p, "dev", "/", "K", "v1");
    let client = world.client_without_retries();
    let interval = Duration::from_millis(40);
    let mut watch = client
        .secrets()
        .watch(ListSecrets::new(p, "dev"), interval)
        .first_poll_now()
        .max_backoff(Duration::from_millis(320));
    next_change(&mut watch, interval * 3).await;

    for _ in 0..1000 {
        emu.inject(Route::new("GET", LIST), Fault::status(503));
    }
    let before = emu.count("GET", LIST);
    match next(&mut watch, interval * 3).await {
        WatchEvent::Stale(error) => assert!(error.is_retryable(), "{error}"),
        other => panic!("expected stale, got {other:?}"),
    }
    // Two seconds of outage: 40, 80, 160, then every 320 ms — not one poll per 40 ms.
    emu.set_secret(p, "dev", "/", "K", "v2");
    let quiet = tokio::time::timeout(Duration::from_secs(2), watch.next()).await;
    assert!(quiet.is_err(), "one event per outage: {quiet:?}");
    let during = emu.count("GET", LIST) - before;
    assert!(
        (4..=12).contains(&during),
        "{during} polls in 2 s of outage"
    );

    emu.clear_faults();
    assert!(matches!(
        next(&mut watch, Duration::from_secs(1)).await,
        WatchEvent::Recovered
    ));
    let set = next_change(&mut watch, interval).await;
    assert_eq!(
        set.changed[0].new.value().unwrap(),
        "v2",
        "what changed meanwhile"
    );
}

#[test]
fn the_blocking_client_watches_through_an_iterator() {
    let world = World::modern();
    let (emu, p) = (&world.emulator, world.project.as_str());
    emu.set_secret(p, "dev", "/", "K", "v1");
    let client = world.blocking_client();
    let mut watch = client
        .project(p)
        .environment("dev")
        .secrets()
        .watch(Duration::from_millis(30))
        .first_poll_now();
    let Some(WatchEvent::Changed(first)) = watch.next() else {
        panic!("a first change set")
    };
    assert_eq!(keys(&first.added), ["K"]);
    emu.set_secret(p, "dev", "/", "K", "v2");
    let Some(WatchEvent::Changed(set)) = watch.next() else {
        panic!("a change")
    };
    assert_eq!(set.changed[0].new.value().unwrap(), "v2");
}

#[tokio::test]
async fn a_withheld_value_is_watched_as_withheld() {
    let world = World::modern();
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "K", "v");
    let client = world.client();
    let names_only = ListSecrets::new(&world.project, "dev").view_secret_value(false);
    let mut watch = client
        .secrets()
        .watch(names_only, Duration::from_millis(30))
        .first_poll_now();
    let first = next_change(&mut watch, Duration::from_secs(1)).await;
    assert!(
        first.added[0].value().is_err(),
        "never the placeholder as a value"
    );
}

#[derive(Debug, serde::Deserialize, PartialEq)]
struct Settings {
    #[serde(rename = "PORT")]
    port: u16,
}

#[tokio::test]
async fn live_settings_follow_good_changes_and_keep_the_last_good_value() {
    let world = World::modern();
    let (emu, p) = (&world.emulator, world.project.as_str());
    emu.set_secret(p, "dev", "/", "PORT", "8080");
    let client = world.client();
    let interval = Duration::from_millis(30);
    let live: Live<Settings> = Live::start(&client, ListSecrets::new(p, "dev"), interval)
        .await
        .unwrap();
    assert_eq!(live.current().port, 8080);
    let mut changes = live.subscribe();

    emu.set_secret(p, "dev", "/", "PORT", "9090");
    tokio::time::timeout(Duration::from_secs(2), changes.changed())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(live.current().port, 9090);
    assert!(live.last_error().is_none());

    emu.set_secret(p, "dev", "/", "PORT", "not-a-port");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(2);
    while live.last_error().is_none() && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(interval).await;
    }
    let Some(LiveError::Config(error)) = live.last_error() else {
        panic!("a misfit is reported: {:?}", live.last_error())
    };
    assert_eq!(error.invalid[0].0, "PORT");
    assert!(!error.to_string().contains("not-a-port"), "never the value");
    assert_eq!(live.current().port, 9090, "the last good value stays");

    emu.set_secret(p, "dev", "/", "PORT", "7070");
    tokio::time::timeout(Duration::from_secs(2), changes.changed())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(live.current().port, 7070);
    assert!(
        live.last_error().is_none(),
        "a good value clears the misfit"
    );
}

#[tokio::test]
async fn live_settings_refuse_to_start_on_a_misfit() {
    let world = World::modern();
    world
        .emulator
        .set_secret(&world.project, "dev", "/", "PORT", "x");
    let client = world.client();
    let started = Live::<Settings>::start(
        &client,
        ListSecrets::new(&world.project, "dev"),
        Duration::from_secs(1),
    )
    .await;
    assert!(matches!(started, Err(LiveError::Config(_))));
}

#[test]
fn live_settings_on_the_blocking_client() {
    let world = World::modern();
    let (emu, p) = (&world.emulator, world.project.as_str());
    emu.set_secret(p, "dev", "/", "PORT", "1");
    let client = world.blocking_client();
    let live: Live<Settings> = Live::start_blocking(
        &client,
        ListSecrets::new(p, "dev"),
        Duration::from_millis(20),
    )
    .unwrap();
    assert_eq!(live.current().port, 1);
    emu.set_secret(p, "dev", "/", "PORT", "2");
    let deadline = std::time::Instant::now() + Duration::from_secs(2);
    while live.current().port != 2 && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(live.current().port, 2);
}
