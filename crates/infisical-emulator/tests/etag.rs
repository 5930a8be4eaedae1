//! ETags and 304s as Infisical's server sends them: a strong tag on every JSON answer, and a
//! GET whose `If-None-Match` names the current tag answered `304` with no body.

mod common;

use common::{as_caller, login, try_send_with};
use infisical_emulator::Emulator;

#[test]
fn an_unchanged_folder_answers_304_and_a_change_a_new_tag() {
    let emu = Emulator::start();
    let project = emu.create_project("etag");
    emu.set_secret(&project, "dev", "/", "A", "1");
    let token = login(&emu);
    let list = format!("/api/v4/secrets?projectId={project}&environment=dev&secretPath=%2F");

    let first = as_caller(&emu, &token).get(&list);
    assert_eq!(first.status, 200);
    let tag = first.header("etag").expect("an etag").to_owned();
    assert!(
        tag.starts_with('"') && tag.ends_with('"') && tag.len() == 30,
        "{tag}"
    );

    let if_none_match = |tag: &str| {
        try_send_with(
            &emu,
            "GET",
            &list,
            Some(&token),
            None,
            &[("If-None-Match", tag)],
        )
        .unwrap()
    };
    let same = if_none_match(&tag);
    assert_eq!(same.status, 304);
    assert!(same.body.is_empty(), "{:?}", same.body);
    assert_eq!(same.header("etag"), Some(tag.as_str()));

    emu.set_secret(&project, "dev", "/", "B", "2");
    let changed = if_none_match(&tag);
    assert_eq!(changed.status, 200);
    assert_ne!(changed.header("etag"), Some(tag.as_str()));
    assert_eq!(changed.json()["secrets"].as_array().unwrap().len(), 2);

    // Errors carry a tag too (as recorded), and never answer 304.
    let missing = as_caller(&emu, &token).get(&format!(
        "/api/v4/secrets/NOPE?projectId={project}&environment=dev"
    ));
    assert_eq!(missing.status, 404);
    assert!(missing.header("etag").is_some());
}
