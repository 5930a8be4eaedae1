//! Machine-identity auth on the wire: login, renew, revoke, expiry, bearer validation.

mod common;

use std::time::Duration;

use common::{as_caller, login, send, setup};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::json;

fn list_path(project: &str) -> String {
    format!("/api/v4/secrets?projectId={project}&environment=dev")
}

#[test]
fn login_answers_the_token_shape() {
    let emu = Emulator::builder()
        .access_token_ttl(Duration::from_secs(60))
        .access_token_max_ttl(Duration::from_secs(600))
        .start();
    let (id, secret) = emu.create_universal_auth_identity();
    let r = send(
        &emu,
        "POST",
        "/api/v1/auth/universal-auth/login",
        None,
        Some(&json!({"clientId": id, "clientSecret": secret})),
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.header("content-type"),
        Some("application/json; charset=utf-8")
    );
    let v = r.json();
    assert_eq!(v["expiresIn"], 60);
    assert_eq!(v["accessTokenMaxTTL"], 600);
    assert_eq!(v["tokenType"], "Bearer");
    let token = v["accessToken"].as_str().unwrap();
    assert_eq!(token.split('.').count(), 3, "access tokens look like JWTs");
    assert_eq!(v.as_object().unwrap().len(), 4);
    assert_eq!(emu.logins(), 1);

    let project = emu.create_project("p");
    assert_eq!(
        send(&emu, "GET", &list_path(&project), Some(token), None).status,
        200
    );
}

#[test]
fn wrong_credentials() {
    let emu = Emulator::start();
    let (id, _) = emu.create_universal_auth_identity();
    let r = send(
        &emu,
        "POST",
        "/api/v1/auth/universal-auth/login",
        None,
        Some(&json!({"clientId": id, "clientSecret": "nope"})),
    );
    assert_eq!(r.status, 401);
    let v = r.json();
    assert_eq!(v["error"], "UnauthorizedError");
    assert_eq!(v["message"], "Invalid credentials");
    assert_eq!(v["statusCode"], 401);
    assert!(v["reqId"].as_str().unwrap().starts_with("req-"));

    let r = send(
        &emu,
        "POST",
        "/api/v1/auth/universal-auth/login",
        None,
        Some(&json!({"clientId": "unknown", "clientSecret": "x"})),
    );
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"], "NotFound");
    assert_eq!(emu.logins(), 0);
}

#[test]
fn login_validation_failure_is_422_modern_and_401_legacy() {
    for (mode, status) in [(ServerMode::Modern, 422), (ServerMode::Legacy, 401)] {
        let emu = Emulator::builder().mode(mode).start();
        let r = send(
            &emu,
            "POST",
            "/api/v1/auth/universal-auth/login",
            None,
            Some(&json!({"clientId": 42})),
        );
        assert_eq!(r.status, status);
        let v = r.json();
        assert_eq!(v["error"], "ValidationFailure");
        assert_eq!(v["statusCode"], status);
        let issues = v["message"].as_array().expect("message is an array");
        assert_eq!(issues.len(), 2);
        assert_eq!(issues[0]["path"], json!(["clientId"]));
        assert_eq!(issues[0]["code"], "invalid_type");
        assert_eq!(issues[1]["path"], json!(["clientSecret"]));
        assert_eq!(issues[1]["message"], "Required");
        assert_eq!(v.get("reqId").is_some(), mode == ServerMode::Modern);
    }
}

#[test]
fn missing_and_garbage_tokens() {
    let emu = Emulator::start();
    let project = emu.create_project("p");
    let r = send(&emu, "GET", &list_path(&project), None, None);
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["message"], "Token missing");
    assert_eq!(r.json()["error"], "UnauthorizedError");

    let r = send(&emu, "GET", &list_path(&project), Some("aaa.bbb.ccc"), None);
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"], "TokenError");
    assert_eq!(r.json()["message"], "invalid token");

    let r = send(&emu, "GET", &list_path(&project), Some("garbage"), None);
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"], "TokenError");
}

#[test]
fn renew_modern_issues_a_new_token_and_legacy_the_same() {
    for mode in [ServerMode::Modern, ServerMode::Legacy] {
        let emu = Emulator::builder().mode(mode).start();
        let token = login(&emu);
        let r = send(
            &emu,
            "POST",
            "/api/v1/auth/token/renew",
            None,
            Some(&json!({"accessToken": token})),
        );
        assert_eq!(r.status, 200, "{}", r.body);
        let v = r.json();
        assert_eq!(v["expiresIn"], 7200);
        assert_eq!(v["accessTokenMaxTTL"], 2_592_000);
        assert_eq!(v["tokenType"], "Bearer");
        let renewed = v["accessToken"].as_str().unwrap();
        assert_eq!(renewed == token, mode == ServerMode::Legacy);
        assert_eq!(emu.renewals(), 1);
        let project = emu.create_project("p");
        let list = format!("/api/v3/secrets/raw?workspaceId={project}&environment=dev");
        assert_eq!(send(&emu, "GET", &list, Some(renewed), None).status, 200);
    }
}

#[test]
fn renew_past_max_ttl_is_refused() {
    let emu = Emulator::builder()
        .access_token_ttl(Duration::from_secs(60))
        .access_token_max_ttl(Duration::from_secs(90))
        .start();
    let token = login(&emu);
    // Renewing right away stays within the max TTL (now + 60 s < created + 90 s).
    let r = send(
        &emu,
        "POST",
        "/api/v1/auth/token/renew",
        None,
        Some(&json!({"accessToken": token})),
    );
    assert_eq!(r.status, 200);

    // Here any renewal would carry the token past its max TTL.
    let emu = Emulator::builder()
        .access_token_ttl(Duration::from_secs(60))
        .access_token_max_ttl(Duration::from_secs(30))
        .start();
    let token = login(&emu);
    let r = send(
        &emu,
        "POST",
        "/api/v1/auth/token/renew",
        None,
        Some(&json!({"accessToken": token})),
    );
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "UnauthorizedError");
    assert_eq!(
        r.json()["message"],
        "Failed to renew MI access token past its Max TTL expiration"
    );
    assert_eq!(emu.renewals(), 0);
}

#[test]
fn expired_tokens_fail_with_token_error_and_cannot_be_renewed() {
    let emu = Emulator::start();
    let project = emu.create_project("p");
    let token = login(&emu);
    emu.expire_access_tokens();
    let r = as_caller(&emu, &token).get(&list_path(&project));
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"], "TokenError");
    assert_eq!(
        r.json()["message"],
        "Your token has expired. Please re-authenticate."
    );
    let r = send(
        &emu,
        "POST",
        "/api/v1/auth/token/renew",
        None,
        Some(&json!({"accessToken": token})),
    );
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"], "TokenError");
    // A fresh login works again.
    let token = login(&emu);
    assert_eq!(
        as_caller(&emu, &token).get(&list_path(&project)).status,
        200
    );
}

#[test]
fn tokens_expire_after_their_ttl() {
    let emu = Emulator::builder()
        .access_token_ttl(Duration::from_millis(150))
        .start();
    let project = emu.create_project("p");
    let token = login(&emu);
    assert_eq!(
        as_caller(&emu, &token).get(&list_path(&project)).status,
        200
    );
    std::thread::sleep(Duration::from_millis(200));
    let r = as_caller(&emu, &token).get(&list_path(&project));
    assert_eq!(r.status, 403);
    assert_eq!(r.json()["error"], "TokenError");
}

#[test]
fn legacy_tokens_lapse_by_ttl_with_401() {
    let emu = Emulator::builder()
        .mode(ServerMode::Legacy)
        .access_token_ttl(Duration::from_millis(150))
        .start();
    let project = emu.create_project("p");
    let token = login(&emu);
    std::thread::sleep(Duration::from_millis(200));
    let list = format!("/api/v3/secrets/raw?workspaceId={project}&environment=dev");
    let r = as_caller(&emu, &token).get(&list);
    assert_eq!(r.status, 401);
    let v = r.json();
    assert_eq!(
        v["message"],
        "Failed to renew MI access token due to TTL expiration"
    );
    assert!(
        v.get("reqId").is_none(),
        "October 2024 error bodies carry no reqId"
    );
}

#[test]
fn revoke_via_api_and_server_side() {
    let emu = Emulator::start();
    let project = emu.create_project("p");
    let token = login(&emu);
    let r = send(
        &emu,
        "POST",
        "/api/v1/auth/token/revoke",
        None,
        Some(&json!({"accessToken": token})),
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        r.json(),
        json!({"message": "Successfully revoked access token"})
    );
    let r = as_caller(&emu, &token).get(&list_path(&project));
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["message"], "No identity access token found");

    let token = login(&emu);
    emu.revoke_access_tokens();
    assert_eq!(
        as_caller(&emu, &token).get(&list_path(&project)).status,
        401
    );
    let r = send(
        &emu,
        "POST",
        "/api/v1/auth/token/renew",
        None,
        Some(&json!({"accessToken": token})),
    );
    assert_eq!(r.status, 401);
}

#[test]
fn static_tokens_always_work() {
    let emu = Emulator::start();
    let (project, token) = setup(&emu);
    emu.expire_access_tokens();
    emu.revoke_access_tokens();
    assert_eq!(
        as_caller(&emu, &token).get(&list_path(&project)).status,
        200
    );
}

#[test]
fn a_bad_bearer_fails_even_unknown_routes() {
    let emu = Emulator::start();
    let r = send(&emu, "GET", "/api/v9/nothing", Some("garbage"), None);
    assert_eq!(r.status, 403);
    let r = send(&emu, "GET", "/api/v9/nothing", None, None);
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"], "Not Found");
}
