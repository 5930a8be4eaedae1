//! Routing, in fastify's order: the global identity hook (a bad `Authorization` header fails
//! every route, even unknown ones), then the route table (fastify's 404 for anything else), then
//! the route's auth requirement, body parsing, validation and the handler.

use bytes::Bytes;
use serde_json::{json, Map, Value};

use crate::approval::{Change, PendingWrite};
use crate::auth::{self, Actor};
use crate::errors::{route_not_found, ApiError};
use crate::resources::{self, BodyKind, Handler, Input};
use crate::state::State;
use crate::util::{decode, now_iso, parse_query};
use crate::validate::query_object;
use crate::wire::Api;
use crate::{batch, identity_logins, secrets, writes, ServerMode};

/// A request as the router sees it.
#[derive(Clone)]
pub(crate) struct Incoming {
    pub(crate) method: String,
    /// The raw (still percent-encoded) path.
    pub(crate) raw_path: String,
    /// The raw path and query string, as fastify's `request.url`.
    pub(crate) raw_url: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) authorization: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) body: Bytes,
}

/// The routes the emulator serves.
enum Endpoint {
    Login,
    /// Another machine-identity login method (see `identity_logins.rs`).
    IdentityLogin(&'static str),
    Renew,
    Revoke,
    Status,
    List(Api),
    Get(Api, String),
    Create(Api, String),
    Update(Api, String),
    Delete(Api, String),
    BatchCreate(Api),
    BatchUpdate(Api),
    BatchDelete(Api),
    /// A route of the other resources (see `resources.rs`).
    Resource(Handler),
}

impl Endpoint {
    fn needs_auth(&self) -> bool {
        !matches!(
            self,
            Endpoint::Login
                | Endpoint::IdentityLogin(_)
                | Endpoint::Renew
                | Endpoint::Revoke
                | Endpoint::Status
        )
    }
}

fn match_route(method: &str, segs: &[String], mode: ServerMode) -> Option<Endpoint> {
    let s: Vec<&str> = segs.iter().map(String::as_str).collect();
    let modern = mode != ServerMode::Legacy;
    let one = |api: Api, name: &str| -> Option<Endpoint> {
        let name = name.to_string();
        match method {
            "GET" => Some(Endpoint::Get(api, name)),
            "POST" => Some(Endpoint::Create(api, name)),
            "PATCH" => Some(Endpoint::Update(api, name)),
            "DELETE" => Some(Endpoint::Delete(api, name)),
            _ => None,
        }
    };
    let batch = |api: Api| -> Option<Endpoint> {
        match method {
            "POST" => Some(Endpoint::BatchCreate(api)),
            "PATCH" => Some(Endpoint::BatchUpdate(api)),
            "DELETE" => Some(Endpoint::BatchDelete(api)),
            _ => None,
        }
    };
    match (method, s.as_slice()) {
        ("POST", ["api", "v1", "auth", "universal-auth", "login"]) => Some(Endpoint::Login),
        ("POST", ["api", "v1", "auth", m, "login"]) if identity_logins::method(m).is_some() => {
            identity_logins::method(m).map(Endpoint::IdentityLogin)
        }
        ("POST", ["api", "v1", "auth", "token", "renew"]) => Some(Endpoint::Renew),
        ("POST", ["api", "v1", "auth", "token", "revoke"]) => Some(Endpoint::Revoke),
        ("GET", ["api", "status"]) => Some(Endpoint::Status),
        // Static routes before fastify's parametric `/:secretName`.
        (_, ["api", "v3" | "v4", "secrets", "move"] | ["api", "v4", "secrets", "id", _])
        | (_, ["api", "v3", "secrets", "raw", "id", _]) => {
            crate::relocate::route(method, &s, modern).map(Endpoint::Resource)
        }
        ("GET", ["api", "v3", "secrets", "raw"]) => Some(Endpoint::List(Api::V3)),
        (_, ["api", "v3", "secrets", "raw", name]) if !name.is_empty() => one(Api::V3, name),
        (_, ["api", "v3", "secrets", "batch", "raw"]) => batch(Api::V3),
        ("GET", ["api", "v4", "secrets"] | ["api", "v4", "secrets", ""]) if modern => {
            Some(Endpoint::List(Api::V4))
        }
        (_, ["api", "v4", "secrets", "batch"]) if modern && method != "GET" => batch(Api::V4),
        (_, ["api", "v4", "secrets", name]) if modern && !name.is_empty() => one(Api::V4, name),
        _ => resources::route(method, &s, mode).map(Endpoint::Resource),
    }
}

/// fastify's body parsing: JSON, or a url-encoded form; anything else it cannot parse ends in
/// the error handler's generic 500.
fn parse_body(req: &Incoming) -> Result<Option<Value>, ApiError> {
    if req.method == "GET" || req.method == "HEAD" || req.body.is_empty() {
        return Ok(None);
    }
    let ct = req
        .content_type
        .as_deref()
        .unwrap_or("")
        .to_ascii_lowercase();
    if ct.starts_with("application/json") {
        serde_json::from_slice(&req.body)
            .map(Some)
            .map_err(|_| ApiError::Internal)
    } else if ct.starts_with("application/x-www-form-urlencoded") {
        let text = String::from_utf8_lossy(&req.body);
        let m: Map<String, Value> = query_object(&parse_query(Some(&text)));
        Ok(Some(Value::Object(m)))
    } else {
        Err(ApiError::Internal)
    }
}

fn status_answer() -> Value {
    json!({
        "date": now_iso(),
        "message": "Ok",
        "emailConfigured": false,
        "inviteOnlySignup": false,
        "redisConfigured": false,
        "secretScanningConfigured": false,
        "samlDefaultOrgSlug": null,
        "auditLogStorageDisabled": false,
    })
}

/// The changes a secret write asks for, if `endpoint` is one.
fn changes(endpoint: &Endpoint, body: Option<&Value>) -> Option<Vec<Change>> {
    let (op, name) = match endpoint {
        Endpoint::Create(_, name) => ("create", Some(name.as_str())),
        Endpoint::Update(_, name) => ("update", Some(name.as_str())),
        Endpoint::Delete(_, name) => ("delete", Some(name.as_str())),
        Endpoint::BatchCreate(_) => ("create", None),
        Endpoint::BatchUpdate(_) => ("update", None),
        Endpoint::BatchDelete(_) => ("delete", None),
        _ => return None,
    };
    Some(Change::read(op, name, body))
}

/// Runs `endpoint`. A user's secret write is offered to approval policies (`capture`),
/// except when an approved request replays it.
fn dispatch(
    state: &mut State,
    endpoint: Endpoint,
    actor: Option<Actor>,
    req: &Incoming,
    capture: bool,
) -> Result<Value, ApiError> {
    let identity = actor.as_ref().map(|a| a.identity_id.clone());
    if endpoint.needs_auth() {
        auth::require(actor)?;
    }
    let body = parse_body(req)?;
    let body = body.as_ref();
    let q = query_object(&req.query);
    if let (Some(id), Some(project)) = (&identity, project_of(req, &q, body)) {
        crate::identity_memberships::require(state, id, &project)?;
    }
    state.pending_write = match (auth::user_of(identity.as_deref()), changes(&endpoint, body)) {
        (Some(user), Some(changes)) if capture => Some(PendingWrite {
            user_id: user.to_string(),
            request: req.clone(),
            changes,
        }),
        _ => None,
    };
    let answer = run(state, endpoint, identity.as_deref(), body, &q);
    state.pending_write = None;
    answer
}

fn run(
    state: &mut State,
    endpoint: Endpoint,
    identity: Option<&str>,
    body: Option<&Value>,
    q: &Map<String, Value>,
) -> Result<Value, ApiError> {
    match endpoint {
        Endpoint::Login => auth::login(state, body),
        Endpoint::IdentityLogin(method) => identity_logins::login(state, method, body),
        Endpoint::Renew => auth::renew(state, body),
        Endpoint::Revoke => auth::revoke(state, body),
        Endpoint::Status => Ok(status_answer()),
        Endpoint::List(api) => secrets::list(state, api, q).map(Value::String),
        Endpoint::Get(api, name) => secrets::get(state, api, &name, q),
        Endpoint::Create(api, name) => writes::create(state, api, &name, body),
        Endpoint::Update(api, name) => writes::update(state, api, &name, body),
        Endpoint::Delete(api, name) => writes::delete(state, api, &name, body),
        Endpoint::BatchCreate(api) => batch::create(state, api, body),
        Endpoint::BatchUpdate(api) => batch::update(state, api, body),
        Endpoint::BatchDelete(api) => batch::delete(state, api, body),
        Endpoint::Resource(handler) => (handler.run)(
            state,
            &Input {
                query: q,
                body,
                actor: identity,
            },
        ),
    }
}

/// The project a request acts in, wherever it names it: the query or the body
/// (`projectId`, `workspaceId`), or the path (`/workspace/{id}/…`, `/projects/{id}/…`).
fn project_of(req: &Incoming, q: &Map<String, Value>, body: Option<&Value>) -> Option<String> {
    let named = |m: &Map<String, Value>| {
        ["projectId", "workspaceId"]
            .iter()
            .find_map(|k| m.get(*k).and_then(Value::as_str).map(str::to_owned))
    };
    if let Some(p) = named(q).or_else(|| body.and_then(Value::as_object).and_then(named)) {
        return Some(p);
    }
    let segs: Vec<&str> = req.raw_path.trim_start_matches('/').split('/').collect();
    segs.windows(2)
        .take(4)
        .find(|w| matches!(w[0], "workspace" | "projects"))
        .map(|w| decode(w[1], false))
        .filter(|p| !p.is_empty())
}

/// The body of an answer: JSON (a value, or text already written), plain text (the PKI
/// private-key route) or bytes. [`Reply::into_bytes`] gives the body;
/// [`Reply::content_type`] its `content-type`.
#[derive(Debug)]
pub(crate) enum Reply {
    Json(Value),
    /// JSON already written.
    JsonText(String),
    Text(String),
    Binary(Vec<u8>),
}

impl Reply {
    /// The `content-type` of the body.
    pub(crate) fn content_type(&self) -> &'static str {
        match self {
            Reply::Json(_) | Reply::JsonText(_) => "application/json; charset=utf-8",
            Reply::Text(_) => "text/plain; charset=utf-8",
            Reply::Binary(_) => "application/octet-stream",
        }
    }

    /// The body's bytes.
    pub(crate) fn into_bytes(self) -> bytes::Bytes {
        match self {
            Reply::Binary(b) => bytes::Bytes::from(b),
            // Straight into bytes, not through the formatting machinery.
            Reply::Json(v) => bytes::Bytes::from(serde_json::to_vec(&v).unwrap_or_default()),
            Reply::Text(t) | Reply::JsonText(t) => bytes::Bytes::from(t),
        }
    }
}

fn json_reply((status, body): (u16, Value)) -> (u16, Reply) {
    (status, Reply::Json(body))
}

/// The decoded segments of the request's path.
fn segments(req: &Incoming) -> Vec<String> {
    req.raw_path
        .trim_start_matches('/')
        .split('/')
        .map(|s| decode(s, false))
        .collect()
}

/// Handles one request against the state: `(status, JSON body)`.
pub(crate) fn handle(state: &mut State, req: &Incoming) -> (u16, Reply) {
    let mode = state.settings.mode;
    // injectIdentity skips nothing the emulator serves (only `/api/v3/auth/` URLs).
    let actor = if req.raw_url.contains("/api/v3/auth/") {
        Ok(None)
    } else {
        auth::authenticate(state, req.authorization.as_deref())
    };
    let actor = match actor {
        Ok(a) => a,
        Err(e) => return json_reply(e.render(mode)),
    };
    let segs = segments(req);
    let Some(endpoint) = match_route(&req.method, &segs, mode) else {
        return (404, Reply::Json(route_not_found(&req.method, &req.raw_url)));
    };
    let kind = match &endpoint {
        Endpoint::Resource(h) => h.body,
        Endpoint::List(_) => BodyKind::JsonText,
        _ => BodyKind::Json,
    };
    match dispatch(state, endpoint, actor, req, true) {
        Ok(Value::String(body)) if kind == BodyKind::Text => (200, Reply::Text(body)),
        Ok(Value::String(json)) if kind == BodyKind::JsonText => (200, Reply::JsonText(json)),
        Ok(Value::String(b64)) if kind == BodyKind::Binary => {
            use base64::Engine;
            match base64::engine::general_purpose::STANDARD.decode(b64) {
                Ok(bytes) => (200, Reply::Binary(bytes)),
                Err(_) => json_reply(ApiError::Internal.render(mode)),
            }
        }
        Ok(v) => (200, Reply::Json(v)),
        Err(e) => json_reply(e.render(mode)),
    }
}

/// Replays `req`, a write an approval request held, as the user `user_id` who made it, past
/// the approval policy.
pub(crate) fn replay(state: &mut State, req: &Incoming, user_id: &str) -> Result<Value, ApiError> {
    let segs = segments(req);
    let endpoint =
        match_route(&req.method, &segs, state.settings.mode).ok_or(ApiError::Internal)?;
    let actor = Actor {
        identity_id: format!("{}{user_id}", auth::USER_ACTOR),
    };
    dispatch(state, endpoint, Some(actor), req, false)
}
