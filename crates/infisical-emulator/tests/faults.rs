//! Fault injection, the request log and counters, and the server's lifecycle.

mod common;

use std::time::{Duration, Instant};

use common::{as_caller, login, send, setup, try_send};
use infisical_emulator::{Emulator, Fault, Route};
use serde_json::json;

fn list_target(p: &str) -> String {
    format!("/api/v4/secrets?projectId={p}&environment=dev")
}

#[test]
fn status_faults_are_consumed_in_order() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.inject(Route::new("GET", "/api/v4/secrets"), Fault::status(503));
    emu.inject(Route::new("GET", "/api/v4/secrets"), Fault::status(404));
    let r = as_caller(&emu, &t).get(&list_target(&p));
    assert_eq!(r.status, 503);
    let v = r.json();
    assert_eq!(v["statusCode"], 503);
    assert!(v["reqId"].is_string() && v["message"].is_string() && v["error"].is_string());
    let r = as_caller(&emu, &t).get(&list_target(&p));
    assert_eq!(r.status, 404);
    assert_eq!(r.json()["error"], "NotFound");
    assert_eq!(as_caller(&emu, &t).get(&list_target(&p)).status, 200);
}

#[test]
fn routes_select_requests() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.inject(Route::new("POST", "/api/v1/auth/"), Fault::status(500));
    // A GET is not selected by a POST route.
    assert_eq!(as_caller(&emu, &t).get(&list_target(&p)).status, 200);
    let (id, secret) = emu.create_universal_auth_identity();
    let body = json!({"clientId": id, "clientSecret": secret});
    let r = send(
        &emu,
        "POST",
        "/api/v1/auth/universal-auth/login",
        None,
        Some(&body),
    );
    assert_eq!(r.status, 500);
    assert_eq!(r.json()["message"], "Something went wrong");
    assert_eq!(emu.logins(), 0);
    assert_eq!(
        send(
            &emu,
            "POST",
            "/api/v1/auth/universal-auth/login",
            None,
            Some(&body)
        )
        .status,
        200
    );

    emu.inject(Route::any(), Fault::status(502));
    emu.clear_faults();
    assert_eq!(as_caller(&emu, &t).get(&list_target(&p)).status, 200);
}

#[test]
fn html_and_json_faults() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.inject(
        Route::any(),
        Fault::html(502, "<html><body>Bad Gateway</body></html>"),
    );
    emu.inject(Route::any(), Fault::json(418, json!({"teapot": true})));
    let r = as_caller(&emu, &t).get(&list_target(&p));
    assert_eq!(r.status, 502);
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.body.contains("Bad Gateway"));
    let r = as_caller(&emu, &t).get(&list_target(&p));
    assert_eq!(r.status, 418);
    assert_eq!(r.json(), json!({"teapot": true}));
}

#[test]
fn malformed_body() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.inject(Route::any(), Fault::MalformedBody);
    let r = as_caller(&emu, &t).get(&list_target(&p));
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert!(serde_json::from_str::<serde_json::Value>(&r.body).is_err());
    assert!(r.body.starts_with("{\"secrets\":[{"));
}

#[test]
fn drop_connection() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.inject(Route::any(), Fault::DropConnection);
    assert!(try_send(&emu, "GET", &list_target(&p), Some(&t), None).is_err());
    assert_eq!(as_caller(&emu, &t).get(&list_target(&p)).status, 200);
    assert_eq!(
        emu.count("GET", "/api/v4/secrets"),
        2,
        "faulted requests are recorded"
    );
}

#[test]
fn delay_then_handle_without_blocking_others() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.inject(
        Route::new("GET", "/api/v4/secrets"),
        Fault::Delay(Duration::from_millis(250)),
    );
    let started = Instant::now();
    std::thread::scope(|s| {
        let slow = s.spawn(|| as_caller(&emu, &t).get(&list_target(&p)));
        std::thread::sleep(Duration::from_millis(30));
        let r = send(&emu, "GET", "/api/status", None, None);
        assert_eq!(r.status, 200);
        assert!(
            !slow.is_finished(),
            "the delayed request should still be waiting"
        );
        assert_eq!(slow.join().unwrap().status, 200);
    });
    assert!(started.elapsed() >= Duration::from_millis(250));
}

#[test]
fn rate_limited() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    emu.inject(
        Route::any(),
        Fault::RateLimited {
            retry_after_secs: 2,
        },
    );
    let r = as_caller(&emu, &t).get(&list_target(&p));
    assert_eq!(r.status, 429);
    assert_eq!(r.header("retry-after"), Some("2"));
    assert!(r.json()["message"].as_str().unwrap().contains("2 seconds"));
}

#[test]
fn request_log_and_counters() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let token = login(&emu);
    let _ = send(
        &emu,
        "POST",
        "/api/v1/auth/token/renew",
        None,
        Some(&json!({"accessToken": token})),
    );
    let _ = as_caller(&emu, &t).get(&format!("{}&secretPath=%2Fapp", list_target(&p)));
    let _ = send(&emu, "GET", "/api/v4/secrets/A%2FB?x=1", None, None);
    assert_eq!(emu.logins(), 1);
    assert_eq!(emu.renewals(), 1);
    let reqs = emu.requests();
    assert_eq!(reqs.len(), 4);
    assert_eq!(reqs[0].method, "POST");
    assert_eq!(reqs[0].path, "/api/v1/auth/universal-auth/login");
    assert!(reqs[0].json().unwrap()["clientId"].is_string());
    assert_eq!(reqs[2].query_param("secretPath"), Some("/app"));
    assert_eq!(reqs[2].header("authorization"), Some("Bearer static-token"));
    assert_eq!(reqs[3].path, "/api/v4/secrets/A/B");
    assert_eq!(emu.count("GET", "/api/v4/secrets"), 1);
    assert_eq!(emu.count_prefix("GET", "/api/v4/secrets"), 2);
    assert_eq!(emu.count_prefix("*", "/api/"), 4);
    emu.reset_counters();
    assert_eq!(emu.requests().len(), 0);
    assert_eq!(emu.logins(), 0);
    assert_eq!(emu.renewals(), 0);
}

#[test]
fn shutdown_closes_the_port() {
    let emu = Emulator::start();
    let addr = emu.addr();
    assert_eq!(emu.url(), format!("http://{addr}"));
    assert_eq!(send(&emu, "GET", "/api/status", None, None).status, 200);
    emu.shutdown();
    assert!(std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err());
}

#[tokio::test]
async fn works_inside_a_tokio_runtime() {
    let emu = Emulator::start();
    let (p, t) = setup(&emu);
    let r = tokio::task::spawn_blocking(move || {
        let r = as_caller(&emu, &t).get(&list_target(&p));
        drop(emu);
        r
    })
    .await
    .unwrap();
    assert_eq!(r.status, 200);
    // Creating and dropping one on a runtime thread is fine too.
    let emu = Emulator::start();
    drop(emu);
}
