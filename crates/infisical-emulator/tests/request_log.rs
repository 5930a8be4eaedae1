//! The request log keeps what it records, not the buffers requests were read from: a test
//! suite or a benchmark sending hundreds of thousands of requests to one emulator must not
//! grow by a read buffer per request. Its own test binary, so that the process's memory is
//! this test's alone.

mod common;

use common::send;
use infisical_emulator::Emulator;

/// The process's resident memory in bytes (Linux; `None` elsewhere).
fn resident() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

#[test]
fn a_recorded_request_keeps_no_buffer_it_was_read_from() {
    let emu = Emulator::start();
    let target = "/api/v4/secrets?projectId=p&environment=dev&secretPath=%2F";
    let body = serde_json::json!({"note": "a small body"});
    let post = || send(&emu, "POST", target, Some("not-a-token"), Some(&body));
    (0..100).for_each(|_| drop(post()));
    let Some(before) = resident() else {
        return;
    };
    let requests = 2000;
    (0..requests).for_each(|_| drop(post()));
    let kept = resident().unwrap_or(before).saturating_sub(before) / requests;
    let log = emu.requests();
    assert_eq!(log.len(), 2100);
    let last = log.last().expect("logged");
    assert_eq!(last.header("authorization"), Some("Bearer not-a-token"));
    assert_eq!(last.json(), Some(body.clone()));
    // A request's method, path, query, headers and body take a few hundred bytes; the
    // connection's read buffer, 8 KiB.
    assert!(kept < 3000, "{kept} bytes kept per request");
}
