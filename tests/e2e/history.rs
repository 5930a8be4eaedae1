//! A secret's history: its versions page by page, and rolling it back, on both server
//! generations and both clients.

/// Runs the history methods through `$client` against `$world`.
macro_rules! exercise_history {
    ($client:expr, $world:expr, [$($aw:tt)*]) => {{
        use infisical::secrets::{GetSecret, ListSecretVersions, RollBackSecret};

        let world: &$crate::support::World = $world;
        let (emu, p) = (&world.emulator, world.project.as_str());
        let legacy = emu.mode() == infisical_emulator::ServerMode::Legacy;
        for value in ["v1", "v2", "${OTHER}"] {
            emu.set_secret(p, "dev", "/", "K", value);
        }
        emu.set_secret(p, "dev", "/", "OTHER", "o");
        let s = $client.secrets();
        let id = s.get(GetSecret::new(p, "dev", "K"))$($aw)*.unwrap().id;

        // Versions are a user's business: Infisical refuses machine identities (403).
        let refused = s.versions(ListSecretVersions::new(&id))$($aw)*.unwrap_err();
        assert_eq!(refused.status().map(|s| s.as_u16()), Some(403), "{refused}");
        assert!(refused.is_auth());
        emu.add_user_token("user-session");
        let user = $crate::support::UserClient::of(&$client, world, "user-session");
        let s = user.secrets();

        // newest first, a page at a time
        let first = ListSecretVersions::new(&id).limit(2);
        let page = s.versions(first.clone())$($aw)*.expect("versions");
        let numbers: Vec<u64> = page.iter().map(|v| v.version).collect();
        assert_eq!(numbers, [3, 2]);
        assert_eq!(page[1].value().unwrap(), "v2");
        let next = first.next_page(&page).expect("a full page has a next one");
        let rest = s.versions(next.clone())$($aw)*.unwrap();
        assert_eq!(rest.iter().map(|v| v.version).collect::<Vec<_>>(), [1]);
        assert!(next.next_page(&rest).is_none());

        let s = $client.secrets();
        if legacy {
            // Servers of 2024 ignore the version asked for: nothing is written.
            let err = s.roll_back(RollBackSecret::new(p, "dev", "K", 1))$($aw)*.unwrap_err();
            assert!(matches!(err, infisical::Error::Decode(_)), "{err}");
            assert_eq!(emu.secret_value(p, "dev", "/", "K").as_deref(), Some("${OTHER}"));
        } else {
            // rolling back is a write: a new version with the old value
            let rolled = s.roll_back(RollBackSecret::new(p, "dev", "K", 1))$($aw)*
                .expect("roll back")
                .into_applied()
                .unwrap();
            assert_eq!(rolled.version, 4);
            assert_eq!(emu.secret_value(p, "dev", "/", "K").as_deref(), Some("v1"));
            // a reference is rolled back as written, not expanded
            s.roll_back(RollBackSecret::new(p, "dev", "K", 3))$($aw)*.unwrap().into_applied().unwrap();
            assert_eq!(emu.secret_value(p, "dev", "/", "K").as_deref(), Some("${OTHER}"));
            let missing = s.roll_back(RollBackSecret::new(p, "dev", "K", 99))$($aw)*.unwrap_err();
            assert!(missing.is_not_found(), "{missing}");
        }

        // what does not exist, and what is refused before sending
        let s = user.secrets();
        let unknown = s.versions(ListSecretVersions::new("no-such-id"))$($aw)*.unwrap_err();
        assert!(unknown.is_not_found(), "{unknown}");
        let sent = emu.requests().len();
        let empty = s.versions(ListSecretVersions::new(""))$($aw)*.unwrap_err();
        assert!(matches!(empty, infisical::Error::InvalidRequest(ref e) if e.field() == "secret_id"));
        assert_eq!(emu.requests().len(), sent, "nothing was sent");
    }};
}

on_every_client!(exercise_history, blocking: Legacy);

#[tokio::test]
async fn a_scoped_handle_rolls_back_by_name() {
    let world = crate::support::World::modern();
    let (emu, p) = (&world.emulator, world.project.as_str());
    emu.set_secret(p, "dev", "/app", "K", "old");
    emu.set_secret(p, "dev", "/app", "K", "new");
    let client = world.client();
    let app = client.project(p).environment("dev").folder("/app");
    app.secrets()
        .roll_back("K", 1)
        .await
        .unwrap()
        .into_applied()
        .unwrap();
    assert_eq!(
        emu.secret_value(p, "dev", "/app", "K").as_deref(),
        Some("old")
    );
}

#[tokio::test]
async fn a_roll_back_caught_by_an_approval_policy_changes_nothing_and_says_so() {
    use infisical::secrets::{RollBackSecret, WriteOutcome};
    let world = crate::support::World::modern();
    let (emu, p) = (&world.emulator, world.project.as_str());
    emu.set_secret(p, "dev", "/locked", "K", "old");
    emu.set_secret(p, "dev", "/locked", "K", "new");
    emu.require_approval(p, "dev", "/locked");
    emu.add_user_token("user-session");
    let client = <infisical::Client as crate::support::UserClient>::of(
        &world.client(),
        &world,
        "user-session",
    );
    let held = client
        .secrets()
        .roll_back(RollBackSecret::new(p, "dev", "K", 1).path("/locked"))
        .await
        .unwrap();
    assert!(matches!(held, WriteOutcome::PendingApproval(_)), "{held:?}");
    assert_eq!(
        emu.secret_value(p, "dev", "/locked", "K").as_deref(),
        Some("new")
    );
}
