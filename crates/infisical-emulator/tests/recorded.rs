//! Conformance with real servers: every SDK request recorded from a real Infisical server
//! (`shared/api/recorded/*/exchanges.jsonl`, see its README) is replayed, in recorded order,
//! against the emulator in the matching [`ServerMode`], seeded like the recording's project.
//! The emulator must answer the same status and a body of the same shape (the same keys and
//! JSON types at every level, `null` where the server has `null`; arrays by element shape);
//! error answers must also carry the same `error` and `message`.
//!
//! Ids differ between the recording and the emulator: the replay learns them from the answers
//! (an `id`, `…Id`, `serialNumber` or `ciphertext` in a recorded answer and the same member of
//! the emulator's answer) and rewrites later requests with them. Exchanges that cannot be
//! replayed are counted per reason in [`skip_reason`].

mod common;

use common::{as_caller, send};
use infisical_emulator::{Emulator, ServerMode};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

/// One recorded exchange, as far as the replay needs it.
struct Exchange {
    line: usize,
    method: String,
    path: String,
    user_agent: String,
    body: Option<Value>,
    status: u16,
    answer: Value,
}

fn corpus(server: &str) -> Vec<Exchange> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/api/recorded")
        .join(server)
        .join("exchanges.jsonl");
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let v: Value = serde_json::from_str(line).expect("a corpus line is JSON");
            let text = |p: &str| {
                v.pointer(p)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned()
            };
            Exchange {
                line: i + 1,
                method: text("/request/method"),
                path: text("/request/path"),
                user_agent: text("/request/headers/user-agent"),
                body: v.pointer("/request/body").filter(|b| !b.is_null()).cloned(),
                status: v
                    .pointer("/response/status")
                    .and_then(Value::as_u64)
                    .unwrap() as u16,
                answer: v.pointer("/response/body").cloned().unwrap_or(Value::Null),
            }
        })
        .collect()
}

/// Routes the recorded June 2025 server lacked (404 `Route … not found`) but the emulator's
/// `Modern` mode serves, because it follows later servers that added them.
const NEWER_THAN_RECORDING: &[&str] = &[
    "/api/v1/projects",
    "/api/v2/folders",
    "/api/v2/secret-imports",
];

/// Where the emulator knowingly differs from a recording: (corpus, method, path fragment,
/// problem fragment, reason). Anything else that differs fails the test.
const KNOWN: &[(&str, &str, &str, &str, &str)] = &[
    (
        "infisical-current",
        "GET",
        "/api/v1/workspace",
        "workspaces[].kmsCertificateKeyId: the server has null",
        "no per-identity membership: the list shows the CA's project, which the identity was not in",
    ),
    (
        "*",
        "POST",
        "/api/v1/dynamic-secrets",
        "status 200, the server's 400",
        "the emulator acts as a licensed server, so dynamic secrets can be tested",
    ),
    (
        "*",
        "GET",
        "?workspaceId=",
        "the server's Some(\"Identity is not a member",
        "no per-identity membership; an unknown project is answered by the secret route",
    ),
    (
        "*",
        "GET",
        "?projectId=",
        "the server's Some(\"Identity is not a member",
        "no per-identity membership; an unknown project is answered by the secret route",
    ),
    (
        "infisical-current",
        "",
        "/api/v1/kms/keys",
        "status 200, the server's 400",
        "projects have no type in the emulator: KMS works in every project",
    ),
    (
        "infisical-2024-10",
        "GET",
        "version=1",
        "status 404, the server's 200",
        "the October 2024 server answered the current version for a renamed secret's version 1",
    ),
    (
        "infisical-current",
        "",
        "/api/v1/folders",
        "lastSecretModified: the server has",
        "lastSecretModified is derived from the secrets the folder holds now",
    ),
];

fn known(server: &str, ex: &Exchange, problem: &str) -> Option<&'static str> {
    KNOWN
        .iter()
        .find_map(|(corpus, method, fragment, diff, reason)| {
            let hit = (*corpus == "*" || *corpus == server)
                && (method.is_empty() || *method == ex.method)
                && ex.path.contains(fragment)
                && problem.contains(diff);
            hit.then_some(*reason)
        })
}

/// Why an exchange is not replayed, if it is not.
fn skip_reason(server: &str, ex: &Exchange) -> Option<&'static str> {
    if server == "infisical-current" && NEWER_THAN_RECORDING.iter().any(|r| ex.path.starts_with(r))
    {
        return Some("route the emulator's Modern mode serves (later servers have it)");
    }
    if !ex.user_agent.starts_with("infisical-rs/") {
        return Some("not sent by the SDK (CLI, curl, Python-urllib set-up calls)");
    }
    (jwt_login_method(ex).is_some() && ex.status != 200)
        .then_some("rejected OIDC / Kubernetes login: the reasons need the recording's issuer")
}

/// The method segment of an OIDC / Kubernetes login (`oidc-auth`, `kubernetes-auth`).
fn jwt_login_method(ex: &Exchange) -> Option<&str> {
    let method = ex
        .path
        .strip_prefix("/api/v1/auth/")?
        .strip_suffix("/login")?;
    (method != "universal-auth").then_some(method)
}

/// The emulator under test, seeded like the recording's project, and the replay's state.
struct Replay {
    emu: Emulator,
    /// Recorded string (id, slug, ciphertext) -> the emulator's.
    ids: HashMap<String, String>,
    /// The first recorded client id is the member identity; any other is an outsider.
    member_client_id: Option<String>,
    credentials: (String, String),
    token: String,
    /// Set while the outsider identity is logged in: its requests go to a project it is not
    /// a member of (the emulator has no per-identity membership; an unknown project is the
    /// same 403).
    outsider: bool,
    recorded_project: String,
}

const OUTSIDE_PROJECT: &str = "00000000-0000-4000-a000-000000000000";

impl Replay {
    fn start(mode: ServerMode, exchanges: &[Exchange]) -> Self {
        let emu = Emulator::builder().mode(mode).start();
        let project = emu.create_project("SDK Test Project");
        let set = |env: &str, path: &str, key: &str, value: &str| {
            emu.set_secret(&project, env, path, key, value)
        };
        set("dev", "/", "API_KEY", "abc123");
        set("dev", "/", "DB_HOST", "db.internal");
        set("dev", "/", "DB_USER", "app");
        set("dev", "/", "DATABASE_URL", "postgres://app@${DB_HOST}/db");
        set("dev", "/api", "SERVICE_URL", "https://api.internal");
        set("dev", "/api", "TIMEOUT_MS", "2500");
        set("dev", "/api/v2", "FLAG", "on");
        for n in 0..60 {
            set(
                "dev",
                "/bulk",
                &format!("BULK_{n:02}"),
                &format!("bulk-value-{n:02}"),
            );
        }
        set("staging", "/", "SHARED_TOKEN", "from-staging");
        set("prod", "/", "PROD_ONLY", "1");
        emu.add_import(&project, "dev", "/", "staging", "/");
        // The newer recording's CA lives in a project of its own (see the corpus README).
        let ca_project = match mode {
            ServerMode::Legacy => project.clone(),
            _ => emu.create_project("SDK Test PKI"),
        };
        let ca = emu.create_certificate_authority(&ca_project, "SDK Test CA");
        let credentials = emu.create_universal_auth_identity();
        let token = login(&emu, &credentials);
        // Tagged through the API: the recording's tag has a color.
        let r = as_caller(&emu, &token).post(
            &format!("/api/v1/workspace/{project}/tags"),
            json!({"slug": "backend", "color": "#0000ff"}),
        );
        let backend = r.json()["workspaceTag"]["id"].as_str().unwrap().to_owned();
        for (key, value) in [("API_KEY", "abc123"), ("DB_HOST", "db.internal")] {
            let r = as_caller(&emu, &token).patch(
                &format!("/api/v3/secrets/raw/{key}"),
                json!({"workspaceId": project, "environment": "dev",
                             "secretPath": "/", "secretValue": value, "tagIds": [backend]}),
            );
            assert_eq!(r.status, 200, "tagging {key}: {}", r.body);
        }

        let recorded_project = recorded_value(exchanges, "workspaceId", "projectId");
        let mut ids = HashMap::new();
        ids.insert(recorded_project.clone(), project.clone());
        ids.insert("sdk-test-project".to_owned(), emu.project_slug(&project));
        ids.insert(recorded_value(exchanges, "caId", "caId"), ca);
        Replay {
            emu,
            ids,
            member_client_id: None,
            credentials,
            token,
            outsider: false,
            recorded_project,
        }
    }

    /// `text` with every recorded id replaced by the emulator's.
    fn rewrite(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for (recorded, ours) in &self.ids {
            if self.outsider && *recorded == self.recorded_project {
                out = out.replace(recorded.as_str(), OUTSIDE_PROJECT);
            } else {
                out = out.replace(recorded.as_str(), ours);
            }
        }
        out
    }

    /// Sends the exchange's request as the emulator should see it; returns status and body.
    fn send(&mut self, ex: &Exchange) -> (u16, Value) {
        let path = self.rewrite(&ex.path);
        let mut body = ex
            .body
            .as_ref()
            .map(|b| serde_json::from_str::<Value>(&self.rewrite(&b.to_string())).unwrap());
        let mut token = Some(self.token.clone());
        if path == "/api/v1/auth/universal-auth/login" {
            let client_id = ex.body.as_ref().unwrap()["clientId"].as_str().unwrap();
            let member = self.member_client_id.get_or_insert(client_id.to_owned());
            let (id, secret) = if member == client_id {
                self.credentials.clone()
            } else {
                self.emu.create_universal_auth_identity()
            };
            let secret = if ex.status == 200 {
                secret
            } else {
                "wrong-secret".into()
            };
            body = Some(json!({"clientId": id, "clientSecret": secret}));
            token = None;
            if ex.status == 200 {
                self.outsider = member != client_id;
            }
        } else if let Some(method) = jwt_login_method(ex) {
            // A login the server accepted: the emulator accepts the (redacted) JWT too.
            let identity = ex.body.as_ref().unwrap()["identityId"].as_str().unwrap();
            self.emu
                .add_jwt_login_identity(method, identity, "<redacted-jwt>");
            token = None;
        } else if path == "/api/v1/auth/token/revoke" {
            body = Some(json!({"accessToken": login(&self.emu, &self.credentials)}));
        } else if ex.answer["error"] == "TokenError" {
            token = Some("not-a-jwt".into());
        } else if ex.answer["message"] == "No identity access token found" {
            let revoked = login(&self.emu, &self.credentials);
            let r = send(
                &self.emu,
                "POST",
                "/api/v1/auth/token/revoke",
                None,
                Some(&json!({"accessToken": revoked})),
            );
            assert_eq!(r.status, 200, "{}", r.body);
            token = Some(revoked);
        }
        let r = send(
            &self.emu,
            &ex.method,
            &path,
            token.as_deref(),
            body.as_ref(),
        );
        let answer = serde_json::from_str(&r.body).unwrap_or(Value::String(r.body.clone()));
        if path.starts_with("/api/v1/auth/") && path.ends_with("/login") && r.status == 200 {
            self.token = answer["accessToken"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
        }
        (r.status, answer)
    }

    /// Learns the emulator's ids from an answer, member by member.
    fn learn(&mut self, recorded: &Value, ours: &Value) {
        match (recorded, ours) {
            (Value::Object(a), Value::Object(b)) => {
                for (key, x) in a {
                    let Some(y) = b.get(key) else { continue };
                    let id_like = key == "id"
                        || key.ends_with("Id")
                        || key == "serialNumber"
                        || key == "ciphertext";
                    match (x, y) {
                        (Value::String(x), Value::String(y)) if id_like && x.len() >= 8 => {
                            self.ids.entry(x.clone()).or_insert_with(|| y.clone());
                        }
                        _ => self.learn(x, y),
                    }
                }
            }
            (Value::Array(a), Value::Array(b)) => {
                for (i, x) in a.iter().enumerate() {
                    let same = |y: &&Value| {
                        ["secretKey", "name", "slug"]
                            .iter()
                            .any(|k| x.get(k).is_some() && x.get(k) == y.get(k))
                    };
                    let paired = b.iter().find(same).or((a.len() == b.len()).then(|| &b[i]));
                    if let Some(y) = paired {
                        self.learn(x, y);
                    }
                }
            }
            _ => {}
        }
    }
}

fn login(emu: &Emulator, (id, secret): &(String, String)) -> String {
    let r = send(
        emu,
        "POST",
        "/api/v1/auth/universal-auth/login",
        None,
        Some(&json!({"clientId": id, "clientSecret": secret})),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()["accessToken"].as_str().unwrap().to_owned()
}

/// The first value of member `a` or `b` in a recorded request body or query.
fn recorded_value(exchanges: &[Exchange], a: &str, b: &str) -> String {
    exchanges
        .iter()
        .find_map(|ex| {
            let from_body = ex.body.as_ref().and_then(|body| {
                [a, b]
                    .iter()
                    .find_map(|k| body[*k].as_str().map(str::to_owned))
            });
            from_body.or_else(|| {
                let query = ex.path.split_once('?')?.1;
                form_pairs(query)
                    .find(|(k, _)| k == a || k == b)
                    .map(|(_, v)| v)
            })
        })
        .unwrap_or_else(|| panic!("no `{a}` in the corpus"))
}

fn form_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    query.split('&').filter_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        Some((k.to_owned(), v.to_owned()))
    })
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Where the shape of `ours` differs from the recorded one, if it does.
fn shape_diff(recorded: &Value, ours: &Value, at: &str) -> Option<String> {
    match (recorded, ours) {
        (Value::Object(a), Value::Object(b)) => {
            let missing: Vec<_> = a.keys().filter(|k| !b.contains_key(*k)).collect();
            let extra: Vec<_> = b.keys().filter(|k| !a.contains_key(*k)).collect();
            if !missing.is_empty() || !extra.is_empty() {
                return Some(format!(
                    "{at}: missing keys {missing:?}, extra keys {extra:?}"
                ));
            }
            a.iter()
                .find_map(|(k, x)| shape_diff(x, &b[k], &format!("{at}.{k}")))
        }
        (Value::Array(a), Value::Array(b)) => {
            // Every element of each side has the shape of some element of the other.
            let unmatched = |xs: &[Value], ys: &[Value], ours_first: bool| {
                xs.iter().find_map(|x| {
                    let diffs: Vec<_> = ys
                        .iter()
                        .map(|y| {
                            let (r, o) = if ours_first { (y, x) } else { (x, y) };
                            shape_diff(r, o, &format!("{at}[]"))
                        })
                        .collect();
                    if diffs.iter().any(Option::is_none) {
                        None
                    } else {
                        diffs.into_iter().flatten().next()
                    }
                })
            };
            unmatched(a, b, false).or_else(|| unmatched(b, a, true))
        }
        _ if type_name(recorded) == type_name(ours) => None,
        _ => Some(format!(
            "{at}: the server has {}, the emulator {}",
            type_name(recorded),
            type_name(ours)
        )),
    }
}

/// Replays a whole corpus; returns (compared, skipped per reason, failures).
fn replay(server: &str, mode: ServerMode) -> (usize, BTreeMap<&'static str, usize>, Vec<String>) {
    let exchanges = corpus(server);
    let mut replay = Replay::start(mode, &exchanges);
    let (mut compared, mut skipped, mut failures) = (0, BTreeMap::new(), Vec::new());
    let mut deviations = BTreeMap::new();
    for ex in &exchanges {
        if let Some(reason) = skip_reason(server, ex) {
            *skipped.entry(reason).or_insert(0) += 1;
            continue;
        }
        compared += 1;
        let (status, answer) = replay.send(ex);
        let mut problems = Vec::new();
        if status != ex.status {
            problems.push(format!("status {status}, the server's {}", ex.status));
        }
        if let Some(diff) = shape_diff(&ex.answer, &answer, "body") {
            problems.push(diff);
        }
        if ex.status >= 400 {
            for key in ["error", "message"] {
                let want = ex.answer[key].as_str().map(|s| replay.rewrite(s));
                if answer[key].as_str() != want.as_deref() {
                    problems.push(format!("{key} {:?}, the server's {want:?}", answer[key]));
                }
            }
        }
        if status == ex.status {
            replay.learn(&ex.answer, &answer);
        }
        let problem = problems.join("; ");
        if let Some(reason) = known(server, ex, &problem) {
            *deviations.entry(reason).or_insert(0) += 1;
        } else if !problems.is_empty() {
            failures.push(format!(
                "{server}:{} {} {}: {}",
                ex.line, ex.method, ex.path, problem
            ));
        }
    }
    eprintln!("{server}: known deviations {deviations:?}");
    (compared, skipped, failures)
}

fn check(server: &str, mode: ServerMode) {
    let (compared, skipped, failures) = replay(server, mode);
    eprintln!("{server}: compared {compared}, skipped {skipped:?}");
    assert!(
        failures.is_empty(),
        "{} of {compared} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        compared >= 80,
        "{server}: only {compared} exchanges compared"
    );
}

#[test]
fn emulator_answers_like_the_october_2024_server() {
    check("infisical-2024-10", ServerMode::Legacy);
}

#[test]
fn emulator_answers_like_the_current_server() {
    check("infisical-current", ServerMode::Modern);
}
