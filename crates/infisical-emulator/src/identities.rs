//! Machine identities created through the API, their universal auth and its client secrets,
//! after `server/routes/v1/identity-router.ts`, `v2/identity-org-router.ts`,
//! `v1/identity-universal-auth-router.ts` and `services/identity-ua/identity-ua-service.ts`
//! (the fork of October 2024; current servers answer `authMethods` instead of `authMethod`).
//!
//! Identities seeded with [`crate::Emulator::create_universal_auth_identity`] stay apart:
//! they are the callers of tests, not resources.

use serde_json::{json, Map, Value};
use std::time::{Duration, Instant};

use crate::auth::issue_login_for;
use crate::errors::ApiError;
use crate::resources::{handler, Handler, Input};
use crate::state::State;
use crate::util::{now_iso, random_hex, uuid};
use crate::validate::Check;

/// The longest lifetime the server accepts: ten years, in seconds.
const MAX_SECONDS: f64 = 315_360_000.0;
/// The default token lifetimes of a new universal auth: 30 days.
const DEFAULT_TTL: f64 = 2_592_000.0;

/// Every identity created through the API.
#[derive(Debug, Default)]
pub(crate) struct Managed(Vec<ManagedIdentity>);

#[derive(Debug, Clone)]
struct ManagedIdentity {
    id: String,
    membership_id: String,
    name: String,
    role: String,
    created_at: String,
    updated_at: String,
    universal_auth: Option<UniversalAuth>,
}

#[derive(Debug, Clone)]
struct UniversalAuth {
    id: String,
    client_id: String,
    ttl: u64,
    max_ttl: u64,
    uses_limit: u64,
    client_secret_ips: Value,
    access_token_ips: Value,
    created_at: String,
    updated_at: String,
    secrets: Vec<ClientSecret>,
}

#[derive(Debug, Clone)]
struct ClientSecret {
    id: String,
    secret: String,
    description: String,
    uses: u64,
    uses_limit: u64,
    ttl: u64,
    created: Instant,
    created_at: String,
    revoked: bool,
}

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    let owned = |s: &str| s.to_string();
    match (method, segs) {
        ("POST", ["api", "v1", "identities"]) => handler(move |st, i| create(st, i, modern)),
        ("GET", ["api", "v1", "identities", id]) => {
            let id = owned(id);
            handler(move |st, _| get(st, &id, modern))
        }
        ("PATCH", ["api", "v1", "identities", id]) => {
            let id = owned(id);
            handler(move |st, i| update(st, &id, i, modern))
        }
        ("DELETE", ["api", "v1", "identities", id]) => {
            let id = owned(id);
            handler(move |st, _| delete(st, &id, modern))
        }
        ("GET", ["api", "v2", "organizations", org, "identity-memberships"]) => {
            let org = owned(org);
            handler(move |st, i| list(st, &org, i, modern))
        }
        (_, ["api", "v1", "auth", "universal-auth", "identities", id, rest @ ..]) => {
            let id = owned(id);
            universal_auth_route(method, id, rest, modern)
        }
        _ => None,
    }
}

fn universal_auth_route(method: &str, id: String, rest: &[&str], modern: bool) -> Option<Handler> {
    match (method, rest) {
        ("POST", []) => handler(move |st, i| attach(st, &id, i, modern)),
        ("GET", []) => handler(move |st, _| config_answer(st, &id)),
        ("PATCH", []) => handler(move |st, i| update_config(st, &id, i)),
        ("DELETE", []) => handler(move |st, _| revoke_config(st, &id)),
        ("POST", ["client-secrets"]) => handler(move |st, i| create_secret(st, &id, i)),
        ("GET", ["client-secrets"]) => handler(move |st, _| list_secrets(st, &id)),
        ("POST", ["client-secrets", secret, "revoke"]) => {
            let secret = secret.to_string();
            handler(move |st, _| revoke_secret(st, &id, &secret))
        }
        _ => None,
    }
}

fn identity_not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("Failed to find identity with id {id}"))
}

fn find<'a>(state: &'a mut State, id: &str) -> Result<&'a mut ManagedIdentity, ApiError> {
    state
        .managed
        .0
        .iter_mut()
        .find(|i| i.id == id)
        .ok_or_else(|| identity_not_found(id))
}

/// `IdentitiesSchema` (fork: `authMethod`; current: `authMethods`); `token_auth`: whether
/// the identity also has token auth.
fn identity_json(identity: &ManagedIdentity, modern: bool, token_auth: bool) -> Value {
    let methods: Vec<&str> = [
        identity.universal_auth.as_ref().map(|_| "universal-auth"),
        token_auth.then_some("token-auth"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut v = json!({
        "id": identity.id,
        "name": identity.name,
        "createdAt": identity.created_at,
        "updatedAt": identity.updated_at,
    });
    if modern {
        v["authMethods"] = json!(methods);
        v["hasDeleteProtection"] = json!(false);
    } else {
        v["authMethod"] = json!(methods.first());
    }
    v
}

/// An identity as a member of the organization (`identity-memberships` items, get by id).
fn membership_json(state: &State, identity: &ManagedIdentity, modern: bool) -> Value {
    let token_auth = crate::token_auth::has(state, &identity.id);
    let mut nested = identity_json(identity, modern, token_auth);
    if let Some(m) = nested.as_object_mut() {
        m.remove("createdAt");
        m.remove("updatedAt");
    }
    json!({
        "id": identity.membership_id,
        "role": identity.role,
        "roleId": null,
        "orgId": state.org_id,
        "createdAt": identity.created_at,
        "updatedAt": identity.updated_at,
        "identityId": identity.id,
        "identity": nested,
    })
}

/// Whether the identity `id` (created through the API) has universal auth.
pub(crate) fn has_universal_auth(state: &State, id: &str) -> bool {
    state
        .managed
        .0
        .iter()
        .any(|i| i.id == id && i.universal_auth.is_some())
}

/// Whether `id` is an identity created through the API (not a seeded caller).
pub(crate) fn is_managed(state: &State, id: &str) -> bool {
    state.managed.0.iter().any(|i| i.id == id)
}

/// `{name, id, authMethod(s)}` of an identity created through the API, as memberships nest it.
pub(crate) fn summary(state: &State, id: &str, modern: bool) -> Result<Value, ApiError> {
    let identity = state
        .managed
        .0
        .iter()
        .find(|i| i.id == id)
        .ok_or_else(|| identity_not_found(id))?;
    let mut v = identity_json(identity, modern, crate::token_auth::has(state, id));
    if let Some(m) = v.as_object_mut() {
        for gone in ["createdAt", "updatedAt", "hasDeleteProtection"] {
            m.remove(gone);
        }
    }
    Ok(v)
}

fn create(state: &mut State, input: &Input<'_>, modern: bool) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m: &Map<String, Value> = c.object(input.body)?;
    let name = c.string(m, &[], "name", true, true);
    let org = c.string(m, &[], "organizationId", true, false);
    let role = c.string(m, &[], "role", false, false);
    c.finish()?;
    let org = org.unwrap_or_default();
    if org != state.org_id {
        return Err(ApiError::forbidden(
            "PermissionDenied",
            "You are not allowed to create on identity",
        ));
    }
    let now = now_iso();
    let identity = ManagedIdentity {
        id: uuid(),
        membership_id: uuid(),
        name: name.unwrap_or_default(),
        role: role
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "no-access".to_owned()),
        created_at: now.clone(),
        updated_at: now,
        universal_auth: None,
    };
    let answer = identity_json(&identity, modern, false);
    state.managed.0.push(identity);
    Ok(json!({ "identity": answer }))
}

fn get(state: &mut State, id: &str, modern: bool) -> Result<Value, ApiError> {
    let identity = find(state, id)?.clone();
    Ok(json!({ "identity": membership_json(state, &identity, modern) }))
}

/// `offset` (≥ 0, default 0) and `limit` (1 to 20000, default 100) of the identity lists.
pub(crate) fn page(input: &Input<'_>) -> Result<(usize, usize), ApiError> {
    let mut c = Check::new();
    let offset = c.coerce_number(input.query, "offset").unwrap_or(0.0);
    let limit = c.coerce_number(input.query, "limit").unwrap_or(100.0);
    if !(1.0..=20_000.0).contains(&limit) {
        c.custom(&["limit"], "Number must be between 1 and 20000");
    }
    if offset < 0.0 {
        c.custom(&["offset"], "Number must be greater than or equal to 0");
    }
    c.finish()?;
    Ok((offset as usize, limit as usize))
}

fn list(state: &mut State, org: &str, input: &Input<'_>, modern: bool) -> Result<Value, ApiError> {
    let (offset, limit) = page(input)?;
    if org != state.org_id {
        return Err(ApiError::forbidden(
            "PermissionDenied",
            "You are not allowed to read on identity",
        ));
    }
    let search = input
        .query
        .get("search")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_lowercase();
    let mut found: Vec<ManagedIdentity> = state
        .managed
        .0
        .iter()
        .filter(|i| i.name.to_lowercase().contains(&search))
        .cloned()
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    let total = found.len();
    let page: Vec<Value> = found
        .iter()
        .skip(offset)
        .take(limit)
        .map(|i| membership_json(state, i, modern))
        .collect();
    Ok(json!({ "identityMemberships": page, "totalCount": total }))
}

fn update(state: &mut State, id: &str, input: &Input<'_>, modern: bool) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m: &Map<String, Value> = c.object(input.body)?;
    let name = c.string(m, &[], "name", false, true);
    let role = c.non_empty_string(m, &[], "role");
    c.finish()?;
    let token_auth = crate::token_auth::has(state, id);
    let identity = find(state, id)?;
    if let Some(name) = name {
        identity.name = name;
    }
    if let Some(role) = role {
        identity.role = role;
    }
    identity.updated_at = now_iso();
    Ok(json!({ "identity": identity_json(identity, modern, token_auth) }))
}

fn delete(state: &mut State, id: &str, modern: bool) -> Result<Value, ApiError> {
    let at = state
        .managed
        .0
        .iter()
        .position(|i| i.id == id)
        .ok_or_else(|| identity_not_found(id))?;
    let token_auth = crate::token_auth::has(state, id);
    let identity = state.managed.0.remove(at);
    state.tokens.revoke_identity(id);
    crate::identity_memberships::forget(state, id);
    crate::token_auth::forget(state, id);
    Ok(json!({ "identity": identity_json(&identity, modern, token_auth) }))
}

/// `{accessTokenTTL, accessTokenMaxTTL, accessTokenNumUsesLimit, *TrustedIps}` as zod reads
/// them; `defaults` for attach, none for update.
struct Settings {
    ttl: Option<u64>,
    max_ttl: Option<u64>,
    uses_limit: Option<u64>,
    client_secret_ips: Option<Value>,
    access_token_ips: Option<Value>,
}

/// `min_ttl`: the fork requires at least 1 s on attach; current servers and updates, 0.
fn settings(input: &Input<'_>, min_ttl: f64) -> Result<Settings, ApiError> {
    let mut c = Check::new();
    let m: &Map<String, Value> = c.object(input.body)?;
    let number = |c: &mut Check, key: &str, min: f64| -> Option<u64> {
        let n = c.nullable_number(m, &[], key).flatten()?;
        if n.fract() != 0.0 || n < min || n > MAX_SECONDS {
            c.custom(
                &[key],
                "Number must be a whole number of seconds within ten years",
            );
            return None;
        }
        Some(n as u64)
    };
    let ttl = number(&mut c, "accessTokenTTL", min_ttl);
    let max_ttl = number(&mut c, "accessTokenMaxTTL", 0.0);
    let uses_limit = number(&mut c, "accessTokenNumUsesLimit", 0.0);
    if max_ttl == Some(0) {
        c.custom(
            &["accessTokenMaxTTL"],
            "accessTokenMaxTTL must have a non zero number",
        );
    }
    let ips = |c: &mut Check, key: &str| -> Option<Value> {
        m.get(key)?;
        let parsed: Vec<Value> = c
            .object_array(m, key)
            .iter()
            .filter_map(|(_, item)| item.get("ipAddress").and_then(Value::as_str))
            .map(trusted_ip)
            .collect();
        Some(json!(parsed))
    };
    let client_secret_ips = ips(&mut c, "clientSecretTrustedIps");
    let access_token_ips = ips(&mut c, "accessTokenTrustedIps");
    c.finish()?;
    if let (Some(ttl), Some(max)) = (ttl, max_ttl) {
        if ttl > max {
            return Err(ApiError::bad_request(
                "Access token TTL cannot be greater than max TTL",
            ));
        }
    }
    Ok(Settings {
        ttl,
        max_ttl,
        uses_limit,
        client_secret_ips,
        access_token_ips,
    })
}

/// `lib/ip`: `10.0.0.0/8` → `{ipAddress: "10.0.0.0", type: "ipv4", prefix: 8}`.
fn trusted_ip(text: &str) -> Value {
    let (address, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, p.parse::<u8>().ok()),
        None => (text, None),
    };
    let kind = if address.contains(':') {
        "ipv6"
    } else {
        "ipv4"
    };
    let mut v = json!({ "ipAddress": address, "type": kind });
    if let Some(prefix) = prefix {
        v["prefix"] = json!(prefix);
    }
    v
}

fn any_ip() -> Value {
    json!([trusted_ip("0.0.0.0/0"), trusted_ip("::/0")])
}

fn config_json(identity: &ManagedIdentity, ua: &UniversalAuth) -> Value {
    json!({
        "id": ua.id,
        "clientId": ua.client_id,
        "accessTokenTTL": ua.ttl,
        "accessTokenMaxTTL": ua.max_ttl,
        "accessTokenNumUsesLimit": ua.uses_limit,
        "clientSecretTrustedIps": ua.client_secret_ips,
        "accessTokenTrustedIps": ua.access_token_ips,
        "createdAt": ua.created_at,
        "updatedAt": ua.updated_at,
        "identityId": identity.id,
    })
}

fn without_universal_auth() -> ApiError {
    ApiError::bad_request("The identity does not have universal auth")
}

fn attach(state: &mut State, id: &str, input: &Input<'_>, modern: bool) -> Result<Value, ApiError> {
    let s = settings(input, if modern { 0.0 } else { 1.0 })?;
    let other_method = !modern && crate::token_auth::has(state, id);
    let identity = find(state, id)?;
    if identity.universal_auth.is_some() || other_method {
        return Err(ApiError::bad_request(
            "Failed to add universal auth to already configured identity",
        ));
    }
    let now = now_iso();
    let ua = UniversalAuth {
        id: uuid(),
        client_id: uuid(),
        ttl: s.ttl.unwrap_or(DEFAULT_TTL as u64),
        max_ttl: s.max_ttl.unwrap_or(DEFAULT_TTL as u64),
        uses_limit: s.uses_limit.unwrap_or(0),
        client_secret_ips: s.client_secret_ips.unwrap_or_else(any_ip),
        access_token_ips: s.access_token_ips.unwrap_or_else(any_ip),
        created_at: now.clone(),
        updated_at: now,
        secrets: Vec::new(),
    };
    let answer = config_json(identity, &ua);
    identity.universal_auth = Some(ua);
    Ok(json!({ "identityUniversalAuth": answer }))
}

fn with_config<T>(
    state: &mut State,
    id: &str,
    f: impl FnOnce(&ManagedIdentity, &mut UniversalAuth) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let identity = find(state, id)?;
    let mut ua = identity
        .universal_auth
        .take()
        .ok_or_else(without_universal_auth)?;
    let result = f(identity, &mut ua);
    identity.universal_auth = Some(ua);
    result
}

fn config_answer(state: &mut State, id: &str) -> Result<Value, ApiError> {
    with_config(state, id, |identity, ua| {
        Ok(json!({ "identityUniversalAuth": config_json(identity, ua) }))
    })
}

fn update_config(state: &mut State, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let s = settings(input, 0.0)?;
    with_config(state, id, |identity, ua| {
        let (ttl, max_ttl) = (s.ttl.unwrap_or(ua.ttl), s.max_ttl.unwrap_or(ua.max_ttl));
        if ttl > max_ttl {
            return Err(ApiError::bad_request(
                "Access token TTL cannot be greater than max TTL",
            ));
        }
        (ua.ttl, ua.max_ttl) = (ttl, max_ttl);
        ua.uses_limit = s.uses_limit.unwrap_or(ua.uses_limit);
        if let Some(ips) = s.client_secret_ips {
            ua.client_secret_ips = ips;
        }
        if let Some(ips) = s.access_token_ips {
            ua.access_token_ips = ips;
        }
        ua.updated_at = now_iso();
        Ok(json!({ "identityUniversalAuth": config_json(identity, ua) }))
    })
}

fn revoke_config(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let identity = find(state, id)?;
    let ua = identity
        .universal_auth
        .take()
        .ok_or_else(without_universal_auth)?;
    Ok(json!({ "identityUniversalAuth": config_json(identity, &ua) }))
}

/// `IdentityUaClientSecretsSchema` without the hash.
fn secret_json(ua: &UniversalAuth, secret: &ClientSecret) -> Value {
    json!({
        "id": secret.id,
        "createdAt": secret.created_at,
        "updatedAt": secret.created_at,
        "description": secret.description,
        "clientSecretPrefix": secret.secret.get(..4).unwrap_or_default(),
        "clientSecretNumUses": secret.uses,
        "clientSecretNumUsesLimit": secret.uses_limit,
        "clientSecretTTL": secret.ttl,
        "identityUAId": ua.id,
        "isClientSecretRevoked": secret.revoked,
    })
}

fn create_secret(state: &mut State, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m: &Map<String, Value> = c.object(input.body)?;
    let description = c.string(m, &[], "description", false, true);
    let number = |c: &mut Check, key: &str| -> u64 {
        match c.nullable_number(m, &[], key).flatten() {
            Some(n) if n.fract() == 0.0 && (0.0..=MAX_SECONDS).contains(&n) => n as u64,
            Some(_) => {
                c.custom(&[key], "Number must be between 0 and 315360000");
                0
            }
            None => 0,
        }
    };
    let uses_limit = number(&mut c, "numUsesLimit");
    let ttl = number(&mut c, "ttl");
    c.finish()?;
    with_config(state, id, |_, ua| {
        let secret = ClientSecret {
            id: uuid(),
            secret: random_hex(64),
            description: description.unwrap_or_default(),
            uses: 0,
            uses_limit,
            ttl,
            created: Instant::now(),
            created_at: now_iso(),
            revoked: false,
        };
        let answer = json!({
            "clientSecret": secret.secret,
            "clientSecretData": secret_json(ua, &secret),
        });
        ua.secrets.push(secret);
        Ok(answer)
    })
}

fn list_secrets(state: &mut State, id: &str) -> Result<Value, ApiError> {
    with_config(state, id, |_, ua| {
        let live: Vec<Value> = ua
            .secrets
            .iter()
            .filter(|s| !s.revoked)
            .map(|s| secret_json(ua, s))
            .collect();
        Ok(json!({ "clientSecretData": live }))
    })
}

fn revoke_secret(state: &mut State, id: &str, secret_id: &str) -> Result<Value, ApiError> {
    with_config(state, id, |_, ua| {
        let at = ua
            .secrets
            .iter()
            .position(|s| s.id == secret_id)
            .ok_or_else(|| ApiError::not_found("Client secret not found"))?;
        let secret = ua
            .secrets
            .get_mut(at)
            .ok_or_else(|| ApiError::not_found("Client secret not found"))?;
        secret.revoked = true;
        let secret = secret.clone();
        Ok(json!({ "clientSecretData": secret_json(ua, &secret) }))
    })
}

/// The universal-auth login of an identity created through the API: `None` if no such
/// client id; otherwise the login's answer or its refusal, checked as
/// `identity-ua-service.ts` does: a live secret that matches, then its expiry, then its
/// uses (a secret past either is revoked on the spot).
pub(crate) fn login(
    state: &mut State,
    client_id: &str,
    client_secret: &str,
) -> Option<Result<Value, ApiError>> {
    let identity = state.managed.0.iter_mut().find(|i| {
        i.universal_auth
            .as_ref()
            .is_some_and(|ua| ua.client_id == client_id)
    })?;
    let identity_id = identity.id.clone();
    let ua = identity.universal_auth.as_mut()?;
    let (ttl, max_ttl) = (ua.ttl, ua.max_ttl);
    let Some(secret) = ua
        .secrets
        .iter_mut()
        .find(|s| !s.revoked && s.secret == client_secret)
    else {
        return Some(Err(ApiError::unauthorized("Invalid credentials")));
    };
    if secret.ttl > 0 && secret.created.elapsed() >= Duration::from_secs(secret.ttl) {
        secret.revoked = true;
        return Some(Err(ApiError::unauthorized(
            "Access denied due to expired client secret",
        )));
    }
    if secret.uses_limit > 0 && secret.uses >= secret.uses_limit {
        secret.revoked = true;
        return Some(Err(ApiError::unauthorized(
            "Access denied due to client secret usage limit reached",
        )));
    }
    secret.uses += 1;
    Some(Ok(issue_login_for(
        state,
        &identity_id,
        Duration::from_secs(ttl),
        Duration::from_secs(max_ttl),
    )))
}
