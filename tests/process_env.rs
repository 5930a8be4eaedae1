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

    let result = infisical::env_vars::load_into_process(&list, false);
    assert_eq!(result.kept, [kept]);
    assert_eq!(result.set, [loaded]);
    assert_eq!(std::env::var(kept).unwrap(), "already-set");
    assert_eq!(std::env::var(loaded).unwrap(), "loaded-value");

    infisical::env_vars::load_into_process(&list, true);
    assert_eq!(std::env::var(kept).unwrap(), "from-infisical");
    std::env::remove_var(kept);
    std::env::remove_var(loaded);
}

#[tokio::test]
async fn secrets_that_cannot_be_variables_are_skipped_by_name_never_set_never_a_panic() {
    let world = World::modern();
    let p = world.project.as_str();
    let marker = "MARKER-9f1c-VALUE";
    for (key, value) in [
        ("INFISICAL_RS_E2E_BAD=NAME", marker.to_owned()),
        ("", marker.to_owned()),
        ("INFISICAL_RS_E2E_NUL\0NAME", marker.to_owned()),
        ("INFISICAL_RS_E2E_NUL_VALUE", format!("{marker}\0tail")),
        ("INFISICAL_RS_E2E_GOOD NAME.with-dots", "fine".to_owned()),
    ] {
        world.emulator.set_secret(p, "dev", "/", key, &value);
    }
    let list = world
        .client()
        .secrets()
        .list(ListSecrets::new(p, "dev"))
        .await
        .unwrap();

    let loaded = infisical::env_vars::load_into_process(&list, true);
    let mut skipped = loaded.skipped.clone();
    skipped.sort();
    assert_eq!(
        skipped,
        [
            "",
            "INFISICAL_RS_E2E_BAD=NAME",
            "INFISICAL_RS_E2E_NUL\\0NAME",
            "INFISICAL_RS_E2E_NUL_VALUE"
        ]
    );
    assert_eq!(loaded.set, ["INFISICAL_RS_E2E_GOOD NAME.with-dots"]);
    assert!(!format!("{loaded:?}").contains(marker));
    assert_eq!(
        std::env::var_os("INFISICAL_RS_E2E_BAD"),
        None,
        "no variable BAD=NAME=…"
    );
    assert_eq!(std::env::var_os("INFISICAL_RS_E2E_NUL_VALUE"), None);
    assert_eq!(
        std::env::var("INFISICAL_RS_E2E_GOOD NAME.with-dots").unwrap(),
        "fine",
        "other unusual names pass through"
    );
    std::env::remove_var("INFISICAL_RS_E2E_GOOD NAME.with-dots");

    let mut command = std::process::Command::new("env");
    let output = infisical::env_vars::command_with_secrets(&mut command, &list)
        .output()
        .expect("env runs");
    let child_env = String::from_utf8_lossy(&output.stdout);
    assert!(
        !child_env.contains(marker),
        "no unusable secret reached the child: {child_env}"
    );
    assert!(child_env.contains("INFISICAL_RS_E2E_GOOD NAME.with-dots=fine"));
}

#[tokio::test]
async fn a_withheld_value_is_never_loaded() {
    let world = World::modern();
    let p = world.project.as_str();
    world
        .emulator
        .set_secret(p, "dev", "/", "INFISICAL_RS_E2E_WITHHELD", "real-value");
    let list = world
        .client()
        .secrets()
        .list(ListSecrets::new(p, "dev").view_secret_value(false))
        .await
        .unwrap();
    let loaded = infisical::env_vars::load_into_process(&list, true);
    assert_eq!(loaded.skipped, ["INFISICAL_RS_E2E_WITHHELD"]);
    assert_eq!(std::env::var_os("INFISICAL_RS_E2E_WITHHELD"), None);
}
