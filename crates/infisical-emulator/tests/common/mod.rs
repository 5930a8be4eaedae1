//! A tiny blocking HTTP/1.1 client over `std::net::TcpStream` (`Connection: close`), so the
//! emulator is exercised on the wire without sharing any client code with the SDK.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use infisical_emulator::Emulator;
use serde_json::Value;

/// A raw answer.
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Sends one request; `Err` when the connection closes without an answer.
pub fn try_send(
    emu: &Emulator,
    method: &str,
    target: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> std::io::Result<Resp> {
    try_send_with(emu, method, target, token, body, &[])
}

/// [`try_send`] with more request headers.
pub fn try_send_with(
    emu: &Emulator,
    method: &str,
    target: &str,
    token: Option<&str>,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> std::io::Result<Resp> {
    let mut stream = TcpStream::connect(emu.addr())?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let body_text = body.map(Value::to_string).unwrap_or_default();
    let mut req = format!(
        "{method} {target} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n",
        emu.addr()
    );
    if let Some(t) = token {
        req.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    if body.is_some() {
        req.push_str("Content-Type: application/json\r\n");
    }
    for (name, value) in headers {
        req.push_str(&format!("{name}: {value}\r\n"));
    }
    req.push_str(&format!(
        "Content-Length: {}\r\n\r\n{body_text}",
        body_text.len()
    ));
    stream.write_all(req.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    if raw.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::UnexpectedEof,
            "connection closed without an answer",
        ));
    }
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Ok(Resp {
        status,
        headers,
        body: body.to_string(),
    })
}

/// Sends one request and expects an answer.
pub fn send(
    emu: &Emulator,
    method: &str,
    target: &str,
    token: Option<&str>,
    body: Option<&Value>,
) -> Resp {
    try_send(emu, method, target, token, body).expect("an answer")
}

/// Requests of one caller, with its bearer token: `as_caller(&emu, &t).post(path, body)`
/// instead of `send(&emu, "POST", path, Some(&t), Some(&body))`.
pub struct Caller<'a> {
    emu: &'a Emulator,
    token: &'a str,
}

/// The caller with bearer `token`.
pub fn as_caller<'a>(emu: &'a Emulator, token: &'a str) -> Caller<'a> {
    Caller { emu, token }
}

impl Caller<'_> {
    /// A request without a body.
    pub fn bare(&self, method: &str, target: &str) -> Resp {
        send(self.emu, method, target, Some(self.token), None)
    }

    /// `GET target`.
    pub fn get(&self, target: &str) -> Resp {
        self.bare("GET", target)
    }

    /// A request with a JSON body.
    pub fn with(&self, method: &str, target: &str, body: Value) -> Resp {
        send(self.emu, method, target, Some(self.token), Some(&body))
    }

    /// `POST target` with a JSON body.
    pub fn post(&self, target: &str, body: Value) -> Resp {
        self.with("POST", target, body)
    }

    /// `PATCH target` with a JSON body.
    pub fn patch(&self, target: &str, body: Value) -> Resp {
        self.with("PATCH", target, body)
    }

    /// `DELETE target` with a JSON body.
    pub fn delete(&self, target: &str, body: Value) -> Resp {
        self.with("DELETE", target, body)
    }
}

/// A well-formed id that names nothing.
pub const NIL_UUID: &str = "00000000-0000-4000-a000-000000000000";

/// The keys of a JSON object, sorted.
pub fn sorted_keys(v: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = v
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

/// Logs in with fresh universal-auth credentials; returns the access token.
pub fn login(emu: &Emulator) -> String {
    let (id, secret) = emu.create_universal_auth_identity();
    let r = send(
        emu,
        "POST",
        "/api/v1/auth/universal-auth/login",
        None,
        Some(&serde_json::json!({"clientId": id, "clientSecret": secret})),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["accessToken"]
        .as_str()
        .expect("accessToken")
        .to_string()
}

/// A project with a static token ready to use.
pub fn setup(emu: &Emulator) -> (String, String) {
    let project = emu.create_project("Test Project");
    emu.add_static_token("static-token");
    (project, "static-token".to_string())
}
