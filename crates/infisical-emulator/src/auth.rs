//! Machine-identity auth: universal-auth login, token renew/revoke, and bearer validation.
//!
//! Mirrors `identity-ua-service.ts`, `identity-access-token-service.ts`, `inject-identity.ts` and
//! `verify-auth.ts` of the server:
//! - an access token is a JWT whose `exp` is the TTL (modern servers, re-signed on renewal) or the
//!   max TTL (October 2024 servers, same token returned by renew); a token past its `exp` is a
//!   `jsonwebtoken` error: 403 `TokenError` "Your token has expired. Please re-authenticate.";
//! - a revoked token is 401 `UnauthorizedError` "No identity access token found";
//! - a token whose TTL lapsed without renewal is 401 "Failed to renew MI access token due to TTL
//!   expiration";
//! - renewing past the max TTL is 401 "Failed to renew MI access token past its Max TTL
//!   expiration" (or "... due to Max TTL expiration" once it has passed).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::state::{Identity, State};
use crate::util::{base64url, random_bytes, random_hex, unix_now, uuid};
use crate::validate::Check;
use crate::ServerMode;

/// The server-side record of an issued access token.
struct TokenRecord {
    identity_id: String,
    created: Instant,
    last_renewed: Option<Instant>,
    ttl: Duration,
    max_ttl: Duration,
    revoked: bool,
}

/// A token string handed out (several strings can share one record after modern renewals).
struct TokenString {
    record: String,
    exp: Option<Instant>,
    forced_expired: bool,
}

/// Issued tokens.
#[derive(Default)]
pub(crate) struct TokenStore {
    records: HashMap<String, TokenRecord>,
    strings: HashMap<String, TokenString>,
}

/// The prefix of the actor id of a user's session (`AuthMode.JWT`), as opposed to a machine
/// identity's token.
pub(crate) const USER_ACTOR: &str = "user-";

/// Refuses a machine identity on a route only a user's session may call (`verifyAuth([JWT])`
/// in `server/plugins/auth/verify-auth.ts`: `ForbiddenRequestError` named after the URL).
pub(crate) fn require_user(actor: Option<&str>, url: &str) -> Result<(), ApiError> {
    if actor.is_some_and(|a| a.starts_with(USER_ACTOR)) {
        return Ok(());
    }
    Err(ApiError::Handled {
        status: 403,
        name: format!("Forbidden access to {url}"),
        message: "You are not allowed to access this resource".into(),
    })
}

/// The URL fastify names in errors (`request.url`): `path` and the query.
pub(crate) fn url_of(path: &str, query: &serde_json::Map<String, Value>) -> String {
    let query: Vec<String> = query
        .iter()
        .map(|(k, v)| {
            format!(
                "{k}={}",
                v.as_str().map_or_else(|| v.to_string(), str::to_owned)
            )
        })
        .collect();
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// The user id of an actor that is a user's session.
pub(crate) fn user_of(actor: Option<&str>) -> Option<&str> {
    actor.and_then(|a| a.strip_prefix(USER_ACTOR))
}

/// Who a request is authenticated as.
#[derive(Clone, Debug)]
pub(crate) struct Actor {
    pub(crate) identity_id: String,
}

fn seconds(d: Duration) -> Value {
    if d.subsec_nanos() == 0 {
        json!(d.as_secs())
    } else {
        json!(d.as_secs_f64())
    }
}

impl TokenStore {
    /// Signs a JWT-looking token for `record_id` valid until `exp`.
    fn issue_string(&mut self, record_id: &str, identity_id: &str, valid_for: Duration) -> String {
        let now = unix_now();
        let mut payload = json!({
            "identityId": identity_id,
            "identityAccessTokenId": record_id,
            "authTokenType": "identityAccessToken",
            "iat": now,
        });
        if !valid_for.is_zero() {
            payload["exp"] = json!(now + valid_for.as_secs().max(1));
        }
        let token = format!(
            "{}.{}.{}",
            base64url(br#"{"alg":"HS256","typ":"JWT"}"#),
            base64url(payload.to_string().as_bytes()),
            base64url(&random_bytes(32))
        );
        self.strings.insert(
            token.clone(),
            TokenString {
                record: record_id.to_string(),
                exp: (!valid_for.is_zero()).then(|| Instant::now() + valid_for),
                forced_expired: false,
            },
        );
        token
    }

    /// `jwt.verify`: the record behind a token string, or the `TokenError` the server answers.
    fn verify(&self, token: &str) -> Result<&str, ApiError> {
        if token.is_empty() {
            return Err(ApiError::token("jwt must be provided"));
        }
        let Some(s) = self.strings.get(token) else {
            return Err(if token.split('.').count() == 3 {
                ApiError::token("invalid token")
            } else {
                ApiError::token(
                    "The provided access token is malformed. Please use a valid token or generate a new one and try again.",
                )
            });
        };
        if s.forced_expired || s.exp.is_some_and(|e| Instant::now() >= e) {
            return Err(ApiError::token(
                "Your token has expired. Please re-authenticate.",
            ));
        }
        Ok(&s.record)
    }

    /// `validateAccessTokenExp` + the revocation lookup.
    fn check_record(&mut self, record_id: &str) -> Result<(), ApiError> {
        let Some(r) = self.records.get(record_id).filter(|r| !r.revoked) else {
            return Err(ApiError::unauthorized("No identity access token found"));
        };
        if !r.ttl.is_zero() {
            let base = r.last_renewed.unwrap_or(r.created);
            if Instant::now() > base + r.ttl {
                self.records.remove(record_id);
                return Err(ApiError::unauthorized(
                    "Failed to renew MI access token due to TTL expiration",
                ));
            }
        }
        Ok(())
    }

    /// Every issued token string is now past its `exp`.
    pub(crate) fn expire_all(&mut self) {
        for s in self.strings.values_mut() {
            s.forced_expired = true;
        }
    }

    /// The token record `record_id` is revoked; `false` if there is none.
    pub(crate) fn revoke_record(&mut self, record_id: &str) -> bool {
        self.records
            .get_mut(record_id)
            .map(|r| r.revoked = true)
            .is_some()
    }

    /// Whether the token record `record_id` was revoked (or is gone).
    pub(crate) fn is_revoked(&self, record_id: &str) -> bool {
        self.records.get(record_id).is_none_or(|r| r.revoked)
    }

    /// Every token of this identity is revoked (the identity was deleted).
    pub(crate) fn revoke_identity(&mut self, identity_id: &str) {
        for r in self.records.values_mut() {
            if r.identity_id == identity_id {
                r.revoked = true;
            }
        }
    }

    /// Every issued token is revoked server-side.
    pub(crate) fn revoke_all(&mut self) {
        for r in self.records.values_mut() {
            r.revoked = true;
        }
    }
}

/// A login or renew answer; the lifetimes are the token's own unless a test told the
/// emulator to announce others.
fn token_answer(state: &State, token: String, ttl: Duration, max_ttl: Duration) -> Value {
    let (expires_in, max) = state
        .announced_lifetimes
        .clone()
        .unwrap_or_else(|| (seconds(ttl), seconds(max_ttl)));
    json!({
        "accessToken": token,
        "expiresIn": expires_in,
        "accessTokenMaxTTL": max,
        "tokenType": "Bearer",
    })
}

/// The `accessToken` field of a renew/revoke body.
fn access_token_field(body: Option<&Value>) -> Result<String, ApiError> {
    let mut c = Check::new();
    let token = match c.root(body) {
        Some(m) => c.string(m, &[], "accessToken", true, true),
        None => None,
    };
    c.finish()?;
    Ok(token.unwrap_or_default())
}

/// `POST /api/v1/auth/universal-auth/login`.
pub(crate) fn login(state: &mut State, body: Option<&Value>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let (client_id, client_secret) = match c.root(body) {
        Some(m) => (
            c.string(m, &[], "clientId", true, true),
            c.string(m, &[], "clientSecret", true, true),
        ),
        None => (None, None),
    };
    c.finish()?;
    let (client_id, client_secret) = (
        client_id.unwrap_or_default(),
        client_secret.unwrap_or_default(),
    );
    let Some(Identity {
        id,
        client_secret: expected,
    }) = state.identities.get(&client_id).cloned()
    else {
        if let Some(answer) = crate::identities::login(state, &client_id, &client_secret) {
            return answer;
        }
        return Err(ApiError::not_found(
            "No identity with specified client ID was found",
        ));
    };
    if expected != client_secret {
        return Err(ApiError::unauthorized("Invalid credentials"));
    }
    Ok(issue_login(state, &id))
}

/// A successful login of `id` (any method): a new token record and its answer.
pub(crate) fn issue_login(state: &mut State, id: &str) -> Value {
    let (ttl, max_ttl) = (state.settings.ttl, state.settings.max_ttl);
    issue_login_for(state, id, ttl, max_ttl)
}

/// A successful login of `id` whose tokens live `ttl` (renewable up to `max_ttl`).
pub(crate) fn issue_login_for(
    state: &mut State,
    id: &str,
    ttl: Duration,
    max_ttl: Duration,
) -> Value {
    issue_token(state, id, ttl, max_ttl).1
}

/// [`issue_login_for`], with the new token record's id (token auth lists and revokes them).
pub(crate) fn issue_token(
    state: &mut State,
    id: &str,
    ttl: Duration,
    max_ttl: Duration,
) -> (String, Value) {
    let record_id = uuid();
    state.tokens.records.insert(
        record_id.clone(),
        TokenRecord {
            identity_id: id.to_string(),
            created: Instant::now(),
            last_renewed: None,
            ttl,
            max_ttl,
            revoked: false,
        },
    );
    let valid_for = match state.settings.mode {
        ServerMode::Legacy => max_ttl,
        _ => ttl,
    };
    let token = state.tokens.issue_string(&record_id, id, valid_for);
    state.recorder.logins += 1;
    let answer = token_answer(state, token, ttl, max_ttl);
    (record_id, answer)
}

/// `POST /api/v1/auth/token/renew`.
pub(crate) fn renew(state: &mut State, body: Option<&Value>) -> Result<Value, ApiError> {
    let token = access_token_field(body)?;
    let (ttl, max_ttl) = (state.settings.ttl, state.settings.max_ttl);
    if state.static_tokens.contains(&token) {
        state.recorder.renewals += 1;
        return Ok(token_answer(state, token, ttl, max_ttl));
    }
    let record_id = state.tokens.verify(&token)?.to_string();
    state.tokens.check_record(&record_id)?;
    let now = Instant::now();
    let record = state
        .tokens
        .records
        .get_mut(&record_id)
        .ok_or(ApiError::Internal)?;
    if !record.max_ttl.is_zero() {
        let hard_end = record.created + record.max_ttl;
        if now > hard_end {
            state.tokens.records.remove(&record_id);
            return Err(ApiError::unauthorized(
                "Failed to renew MI access token due to Max TTL expiration",
            ));
        }
        if now + record.ttl > hard_end {
            state.tokens.records.remove(&record_id);
            return Err(ApiError::unauthorized(
                "Failed to renew MI access token past its Max TTL expiration",
            ));
        }
    }
    record.last_renewed = Some(now);
    let (record_ttl, record_max, identity) =
        (record.ttl, record.max_ttl, record.identity_id.clone());
    let answer_token = match state.settings.mode {
        ServerMode::Legacy => token,
        _ => state.tokens.issue_string(&record_id, &identity, record_ttl),
    };
    state.recorder.renewals += 1;
    Ok(token_answer(state, answer_token, record_ttl, record_max))
}

/// `POST /api/v1/auth/token/revoke`.
pub(crate) fn revoke(state: &mut State, body: Option<&Value>) -> Result<Value, ApiError> {
    let token = access_token_field(body)?;
    if state.static_tokens.remove(&token) {
        return Ok(json!({"message": "Successfully revoked access token"}));
    }
    let record_id = state.tokens.verify(&token)?.to_string();
    match state.tokens.records.get_mut(&record_id) {
        Some(r) if !r.revoked => r.revoked = true,
        _ => return Err(ApiError::unauthorized("No identity access token found")),
    }
    Ok(json!({"message": "Successfully revoked access token"}))
}

/// `injectIdentity`: the actor behind an `Authorization` header (`Ok(None)` without one).
pub(crate) fn authenticate(
    state: &mut State,
    header: Option<&str>,
) -> Result<Option<Actor>, ApiError> {
    let Some(header) = header else {
        return Ok(None);
    };
    // The server slices the first 7 characters ("Bearer ") off without looking at them.
    let token = header.get(7..).unwrap_or("");
    if state.static_tokens.contains(token) {
        return Ok(Some(Actor {
            identity_id: format!("token-auth-{}", &random_hex(8)),
        }));
    }
    if let Some(user) = state.users.by_session(token) {
        return Ok(Some(Actor {
            identity_id: format!("{USER_ACTOR}{user}"),
        }));
    }
    let record_id = state.tokens.verify(token)?.to_string();
    state.tokens.check_record(&record_id)?;
    let identity_id = state
        .tokens
        .records
        .get(&record_id)
        .map(|r| r.identity_id.clone())
        .unwrap_or_default();
    Ok(Some(Actor { identity_id }))
}

/// `verifyAuth`: routes that need an actor answer 401 "Token missing" without one.
pub(crate) fn require(actor: Option<Actor>) -> Result<Actor, ApiError> {
    actor.ok_or_else(|| ApiError::unauthorized("Token missing"))
}

/// A fresh universal-auth identity's credentials.
pub(crate) fn new_credentials() -> (String, String) {
    (uuid(), random_hex(64))
}
