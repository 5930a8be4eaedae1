//! Token auth on identities created through the API: its settings
//! (`/api/v1/auth/token-auth/identities/{identityId}`) and the access tokens made with it
//! (`…/tokens`, `/api/v1/auth/token-auth/tokens/{tokenId}/revoke`), after
//! `server/routes/v1/identity-token-auth-router.ts`. Servers of 2024 allow one login method
//! per identity; current ones several.

use serde_json::{json, Map, Value};
use std::time::Duration;

use crate::auth::issue_token;
use crate::errors::ApiError;
use crate::resources::{handler, Handler, Input};
use crate::state::State;
use crate::util::{now_iso, uuid};
use crate::validate::Check;

/// Token-auth settings and tokens of every identity that has them.
#[derive(Debug, Default)]
pub(crate) struct TokenAuths {
    configs: Vec<Config>,
    tokens: Vec<Token>,
}

#[derive(Debug, Clone)]
struct Config {
    id: String,
    identity_id: String,
    ttl: u64,
    max_ttl: u64,
    created_at: String,
    updated_at: String,
}

#[derive(Debug, Clone)]
struct Token {
    /// The token record's id (see `auth.rs`).
    id: String,
    identity_id: String,
    name: Option<String>,
    ttl: u64,
    max_ttl: u64,
    created_at: String,
}

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    match (method, segs) {
        ("POST", ["api", "v1", "auth", "token-auth", "tokens", token, "revoke"]) => {
            let token = token.to_string();
            handler(move |st, _| revoke_token(st, &token))
        }
        (_, ["api", "v1", "auth", "token-auth", "identities", id, rest @ ..]) => {
            let id = id.to_string();
            match (method, rest) {
                ("POST", []) => handler(move |st, i| attach(st, &id, i, modern)),
                ("GET", []) => handler(move |st, _| get(st, &id)),
                ("DELETE", []) => handler(move |st, _| detach(st, &id)),
                ("POST", ["tokens"]) => handler(move |st, i| create_token(st, &id, i)),
                ("GET", ["tokens"]) => handler(move |st, i| list_tokens(st, &id, i)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether `identity_id` has token auth.
pub(crate) fn has(state: &State, identity_id: &str) -> bool {
    state
        .token_auths
        .configs
        .iter()
        .any(|c| c.identity_id == identity_id)
}

/// Forgets the token auth of a deleted identity.
pub(crate) fn forget(state: &mut State, identity_id: &str) {
    state
        .token_auths
        .configs
        .retain(|c| c.identity_id != identity_id);
    state
        .token_auths
        .tokens
        .retain(|t| t.identity_id != identity_id);
}

fn config_json(c: &Config) -> Value {
    json!({
        "id": c.id,
        "accessTokenTTL": c.ttl,
        "accessTokenMaxTTL": c.max_ttl,
        "accessTokenNumUsesLimit": 0,
        "accessTokenTrustedIps": [
            {"ipAddress": "0.0.0.0", "type": "ipv4", "prefix": 0},
            {"ipAddress": "::", "type": "ipv6", "prefix": 0},
        ],
        "createdAt": c.created_at,
        "updatedAt": c.updated_at,
        "identityId": c.identity_id,
    })
}

fn config(state: &State, identity_id: &str) -> Result<Config, ApiError> {
    state
        .token_auths
        .configs
        .iter()
        .find(|c| c.identity_id == identity_id)
        .cloned()
        .ok_or_else(|| ApiError::bad_request("The identity does not have Token Auth"))
}

fn attach(
    state: &mut State,
    identity_id: &str,
    input: &Input<'_>,
    modern: bool,
) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m: &Map<String, Value> = c.object(input.body)?;
    let mut seconds = |key: &str, default: u64| match c.nullable_number(m, &[], key).flatten() {
        Some(n) if n.fract() == 0.0 && (0.0..=315_360_000.0).contains(&n) => n as u64,
        Some(_) => {
            c.custom(&[key], "Number must be between 0 and 315360000");
            default
        }
        None => default,
    };
    let ttl = seconds("accessTokenTTL", 2_592_000);
    let max_ttl = seconds("accessTokenMaxTTL", 2_592_000);
    c.finish()?;
    crate::identities::summary(state, identity_id, modern)?;
    let configured = has(state, identity_id);
    let other_method = !modern && crate::identities::has_universal_auth(state, identity_id);
    if configured || other_method {
        return Err(ApiError::bad_request(
            "Failed to add Token Auth to already configured identity",
        ));
    }
    if ttl > max_ttl {
        return Err(ApiError::bad_request(
            "Access token TTL cannot be greater than max TTL",
        ));
    }
    let now = now_iso();
    let config = Config {
        id: uuid(),
        identity_id: identity_id.to_owned(),
        ttl,
        max_ttl,
        created_at: now.clone(),
        updated_at: now,
    };
    let answer = config_json(&config);
    state.token_auths.configs.push(config);
    Ok(json!({ "identityTokenAuth": answer }))
}

fn get(state: &mut State, identity_id: &str) -> Result<Value, ApiError> {
    Ok(json!({ "identityTokenAuth": config_json(&config(state, identity_id)?) }))
}

fn detach(state: &mut State, identity_id: &str) -> Result<Value, ApiError> {
    let removed = config(state, identity_id)?;
    state
        .token_auths
        .configs
        .retain(|c| c.identity_id != identity_id);
    Ok(json!({ "identityTokenAuth": config_json(&removed) }))
}

fn create_token(
    state: &mut State,
    identity_id: &str,
    input: &Input<'_>,
) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m: &Map<String, Value> = c.object(input.body)?;
    let name = c.string(m, &[], "name", false, true);
    c.finish()?;
    let config = config(state, identity_id)?;
    let (record, answer) = issue_token(
        state,
        identity_id,
        Duration::from_secs(config.ttl),
        Duration::from_secs(config.max_ttl),
    );
    state.token_auths.tokens.push(Token {
        id: record,
        identity_id: identity_id.to_owned(),
        name,
        ttl: config.ttl,
        max_ttl: config.max_ttl,
        created_at: now_iso(),
    });
    Ok(answer)
}

fn list_tokens(state: &mut State, identity_id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let offset = c.coerce_number(input.query, "offset").unwrap_or(0.0);
    let limit = c.coerce_number(input.query, "limit").unwrap_or(20.0);
    if !(0.0..=100.0).contains(&offset) {
        c.custom(&["offset"], "Number must be between 0 and 100");
    }
    if !(1.0..=100.0).contains(&limit) {
        c.custom(&["limit"], "Number must be between 1 and 100");
    }
    c.finish()?;
    config(state, identity_id)?;
    let tokens: Vec<Value> = state
        .token_auths
        .tokens
        .iter()
        .filter(|t| t.identity_id == identity_id)
        .skip(offset as usize)
        .take(limit as usize)
        .map(|t| {
            json!({
                "id": t.id,
                "accessTokenTTL": t.ttl,
                "accessTokenMaxTTL": t.max_ttl,
                "accessTokenNumUses": 0,
                "accessTokenNumUsesLimit": 0,
                "accessTokenLastUsedAt": null,
                "accessTokenLastRenewedAt": null,
                "isAccessTokenRevoked": state.tokens.is_revoked(&t.id),
                "identityUAClientSecretId": null,
                "identityId": t.identity_id,
                "createdAt": t.created_at,
                "updatedAt": t.created_at,
                "name": t.name,
            })
        })
        .collect();
    Ok(json!({ "tokens": tokens }))
}

fn revoke_token(state: &mut State, token_id: &str) -> Result<Value, ApiError> {
    let known = state.token_auths.tokens.iter().any(|t| t.id == token_id);
    if !known || !state.tokens.revoke_record(token_id) {
        return Err(ApiError::not_found(format!(
            "Token with ID {token_id} not found"
        )));
    }
    Ok(json!({ "message": "Successfully revoked access token" }))
}
