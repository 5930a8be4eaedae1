//! Certificates through cert-manager (current servers only; servers of 2024 answer 404
//! `Route … not found`): certificate profiles (list, by slug), issuing from a profile
//! (`POST /api/v1/cert-manager/certificates`), certificate requests, importing, and PKCS#12
//! export (users only). After upstream `server/routes/v1/certificate-router.ts`,
//! `certificate-profile-router.ts` and `services/certificate-v3/certificate-v3-service.ts`:
//! a profile on an internal CA issues in the request (`status: "issued"`); one on an
//! external CA answers `certificate: null` with a `pending` request, issued later by a
//! queue — here, once the profile's delay has passed, when the request is next read.

use std::time::{Duration, Instant};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::pki::{pem, Minted, Spec};
use crate::resources::{binary_handler, handler, member_project, text_handler, Handler, Input};
use crate::state::State;
use crate::util::{now_iso, random_hex, uuid};
use crate::validate::Check;

/// Profiles, requests and imported certificates.
#[derive(Default)]
pub(crate) struct CertManager {
    profiles: Vec<Profile>,
    requests: Vec<Request>,
}

struct Profile {
    id: String,
    project_id: String,
    ca_id: String,
    slug: String,
    /// An external CA: requests stay `pending` this long.
    issue_after: Option<Duration>,
    created_at: String,
}

struct Request {
    id: String,
    profile_id: String,
    common_name: String,
    ttl_millis: u64,
    ready_at: Instant,
    minted: Option<Minted>,
    /// Why it failed (cancelled).
    failed: Option<String>,
    created_at: String,
}

impl Request {
    /// `issued`, `failed` or `pending`.
    fn status(&self) -> &'static str {
        match (&self.minted, &self.failed) {
            (Some(_), _) => "issued",
            (None, Some(_)) => "failed",
            (None, None) => "pending",
        }
    }
}

impl CertManager {
    /// Seeding: a profile issuing from `ca_id`; `issue_after` makes its CA external.
    pub(crate) fn add_profile(
        &mut self,
        project_id: &str,
        slug: &str,
        ca_id: &str,
        issue_after: Option<Duration>,
    ) -> String {
        let id = uuid();
        self.profiles.push(Profile {
            id: id.clone(),
            project_id: project_id.to_string(),
            ca_id: ca_id.to_string(),
            slug: slug.to_string(),
            issue_after,
            created_at: now_iso(),
        });
        id
    }
}

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    if !modern {
        return None;
    }
    match (method, segs) {
        ("POST", ["api", "v1", "cert-manager", "certificates"]) => handler(issue),
        ("GET", ["api", "v1", "cert-manager", "certificates", "certificate-requests", id]) => {
            let id = id.to_string();
            handler(move |st, _| get_request(st, &id))
        }
        (
            "POST",
            ["api", "v1", "cert-manager", "certificates", "certificate-requests", id, "cancel"],
        ) => {
            let id = id.to_string();
            handler(move |st, i| cancel_request(st, i, &id))
        }
        ("POST", ["api", "v1", "cert-manager", "certificates", "import-certificate"]) => {
            handler(import)
        }
        ("POST", ["api", "v1", "cert-manager", "certificates", id, "pkcs12"]) => {
            let id = id.to_string();
            binary_handler(move |st, i| pkcs12(st, i, &id))
        }
        (
            "GET" | "DELETE" | "POST",
            ["api", "v1", "cert-manager", "certificates", id, rest @ ..],
        ) => by_id(method, id, rest),
        ("GET", ["api", "v1", "cert-manager", "certificate-profiles"]) => handler(list_profiles),
        ("GET", ["api", "v1", "cert-manager", "certificate-profiles", "slug", slug]) => {
            let slug = slug.to_string();
            handler(move |st, i| profile_by_slug(st, i, &slug))
        }
        _ => None,
    }
}

/// The routes naming a certificate by id: the `/pki` ones by serial number, found by id
/// (`GET /{id}`, `/certificate`, `/bundle`, `/private-key`, `POST /revoke`, `DELETE`).
fn by_id(method: &str, id: &str, rest: &[&str]) -> Option<Handler> {
    let id = id.to_string();
    let serial = move |st: &State| {
        st.pki
            .serial_of(&id)
            .ok_or_else(|| ApiError::not_found(format!("Certificate with ID '{id}' not found")))
    };
    match (method, rest) {
        ("GET", []) => handler(move |st, _| crate::pki::get(st, &serial(st)?)),
        ("DELETE", []) => handler(move |st, _| crate::pki::delete(st, &serial(st)?)),
        ("GET", ["certificate"]) => handler(move |st, _| crate::pki::body(st, &serial(st)?, false)),
        ("GET", ["bundle"]) => handler(move |st, _| crate::pki::body(st, &serial(st)?, true)),
        ("GET", ["private-key"]) => {
            text_handler(move |st, _| crate::pki::private_key(st, &serial(st)?))
        }
        ("POST", ["revoke"]) => handler(move |st, i| crate::pki::revoke(st, &serial(st)?, i)),
        _ => None,
    }
}

fn profile_json(state: &State, p: &Profile) -> Value {
    json!({
        "id": p.id,
        "projectId": p.project_id,
        "caId": p.ca_id,
        "certificatePolicyId": null,
        "slug": p.slug,
        "description": null,
        "enrollmentType": "api",
        "issuerType": "ca",
        "defaultTtlDays": null,
        "createdAt": p.created_at,
        "updatedAt": p.created_at,
        "certificateAuthority": {
            "id": p.ca_id,
            "status": "active",
            "name": state.pki.ca_project(&p.ca_id).map(|_| p.ca_id.clone()),
            "isExternal": p.issue_after.is_some(),
        },
    })
}

fn list_profiles(state: &mut State, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let project = c.string(input.query, &[], "projectId", false, true);
    let offset = c.coerce_number(input.query, "offset").unwrap_or(0.0);
    let limit = c.coerce_number(input.query, "limit").unwrap_or(20.0);
    if !(1.0..=100.0).contains(&limit) {
        c.custom(&["limit"], "Number must be between 1 and 100");
    }
    c.finish()?;
    let matching: Vec<&Profile> = state
        .cert_manager
        .profiles
        .iter()
        .filter(|p| project.as_ref().is_none_or(|id| &p.project_id == id))
        .collect();
    let page: Vec<Value> = matching
        .iter()
        .skip(offset.max(0.0) as usize)
        .take(limit as usize)
        .map(|p| profile_json(state, p))
        .collect();
    Ok(json!({ "certificateProfiles": page, "totalCount": matching.len() }))
}

fn profile_by_slug(state: &mut State, input: &Input<'_>, slug: &str) -> Result<Value, ApiError> {
    let project = input.query.get("projectId").and_then(Value::as_str);
    let profile = state
        .cert_manager
        .profiles
        .iter()
        .find(|p| p.slug == slug && project.is_none_or(|id| p.project_id == id))
        .ok_or_else(|| ApiError::not_found("Certificate profile not found"))?;
    Ok(json!({ "certificateProfile": profile_json(state, profile) }))
}

fn issue(state: &mut State, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let profile_id = c
        .string(m, &[], "profileId", true, true)
        .unwrap_or_default();
    let csr = c.string(m, &[], "csr", false, true);
    let empty = serde_json::Map::new();
    let attributes = match m.get("attributes") {
        Some(Value::Object(a)) => a,
        _ => &empty,
    };
    let at = [json!("attributes")];
    let common_name = c
        .string(attributes, &at, "commonName", false, true)
        .unwrap_or_else(|| "csr-subject".into());
    let ttl = c.string(attributes, &at, "ttl", false, true);
    let ttl_millis = match ttl.as_deref() {
        Some(t) => match crate::leases::parse_ttl(t) {
            Some(ms) if ms > 0 => ms,
            _ => {
                c.custom(&["attributes", "ttl"], "TTL must be a positive duration");
                0
            }
        },
        None => 90 * 86_400_000,
    };
    c.finish()?;
    if csr
        .as_deref()
        .is_some_and(|r| !r.contains("BEGIN CERTIFICATE REQUEST"))
    {
        return Err(ApiError::bad_request("Invalid CSR"));
    }
    let profile = state
        .cert_manager
        .profiles
        .iter()
        .find(|p| p.id == profile_id)
        .ok_or_else(|| ApiError::not_found("Certificate profile not found"))?;
    member_project(state, &profile.project_id)?;
    let (ca_id, issue_after) = (profile.ca_id.clone(), profile.issue_after);
    let mut request = Request {
        id: uuid(),
        profile_id,
        common_name,
        ttl_millis,
        ready_at: Instant::now() + issue_after.unwrap_or_default(),
        minted: None,
        failed: None,
        created_at: now_iso(),
    };
    let id = request.id.clone();
    if issue_after.is_some() {
        state.cert_manager.requests.push(request);
        return Ok(json!({
            "certificate": null,
            "certificateRequestId": id,
            "status": "pending",
            "message": "Certificate request submitted; issuance is in progress",
        }));
    }
    let minted = mint(
        state,
        &ca_id,
        request.common_name.clone(),
        ttl_millis,
        csr.is_none(),
    )?;
    let answer = json!({
        "certificate": {
            "certificate": minted.pem,
            "issuingCaCertificate": minted.ca_pem,
            "certificateChain": minted.chain,
            "privateKey": minted.private_key,
            "serialNumber": minted.serial,
            "certificateId": minted.id,
        },
        "certificateRequestId": id,
        "status": "issued",
    });
    request.minted = Some(minted);
    state.cert_manager.requests.push(request);
    Ok(answer)
}

fn mint(
    state: &mut State,
    ca_id: &str,
    common_name: String,
    ttl_millis: u64,
    with_key: bool,
) -> Result<Minted, ApiError> {
    state
        .pki
        .mint(
            ca_id,
            Spec {
                common_name,
                friendly_name: None,
                alt_names: String::new(),
                ttl_millis,
                key_usages: Vec::new(),
                extended_key_usages: Vec::new(),
                with_key,
            },
        )
        .ok_or(ApiError::Internal)
}

fn get_request(state: &mut State, id: &str) -> Result<Value, ApiError> {
    let index = state
        .cert_manager
        .requests
        .iter()
        .position(|r| r.id == id)
        .ok_or_else(|| {
            ApiError::not_found(format!("Certificate request with ID '{id}' not found"))
        })?;
    let r = &state.cert_manager.requests[index];
    if r.minted.is_none() && r.failed.is_none() && Instant::now() >= r.ready_at {
        let ca_id = state
            .cert_manager
            .profiles
            .iter()
            .find(|p| p.id == r.profile_id)
            .map(|p| p.ca_id.clone())
            .unwrap_or_default();
        let (common_name, ttl) = (r.common_name.clone(), r.ttl_millis);
        let minted = mint(state, &ca_id, common_name, ttl, true)?;
        state.cert_manager.requests[index].minted = Some(minted);
    }
    let r = &state.cert_manager.requests[index];
    let m = r.minted.as_ref();
    let status = r.status();
    Ok(json!({
        "status": status,
        "certificate": m.map(|m| m.pem.clone()),
        "certificateId": m.map(|m| m.id.clone()),
        "privateKey": m.and_then(|m| m.private_key.clone()),
        "serialNumber": m.map(|m| m.serial.clone()),
        "errorMessage": r.failed,
        "pendingMessage": if status == "pending" { json!("Waiting for the CA") } else { Value::Null },
        "commonName": r.common_name,
        "createdAt": r.created_at,
        "updatedAt": now_iso(),
    }))
}

/// `POST .../certificate-requests/{id}/cancel`: a pending request fails, "Cancelled by"
/// the caller; any other answers `cancelled: false` as it stands (the answer's shape is
/// upstream's router's; what it does with a request past pending was not found there).
fn cancel_request(state: &mut State, input: &Input<'_>, id: &str) -> Result<Value, ApiError> {
    let who = input.actor.unwrap_or("unknown").to_string();
    let r = state
        .cert_manager
        .requests
        .iter_mut()
        .find(|r| r.id == id)
        .ok_or_else(|| {
            ApiError::not_found(format!("Certificate request with ID '{id}' not found"))
        })?;
    let pending = r.minted.is_none() && r.failed.is_none();
    if pending {
        r.failed = Some(format!("Cancelled by {who}"));
    }
    Ok(json!({ "status": r.status(), "cancelled": pending, "errorMessage": r.failed }))
}

fn import(_state: &mut State, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let certificate = c
        .string(m, &[], "certificatePem", true, true)
        .unwrap_or_default();
    let key = c.string(m, &[], "privateKeyPem", false, true);
    let chain = c.string(m, &[], "chainPem", false, true);
    c.finish()?;
    if !certificate.contains("BEGIN CERTIFICATE") {
        return Err(ApiError::bad_request("Failed to parse certificate"));
    }
    Ok(json!({
        "certificateId": uuid(),
        "certificate": certificate,
        "certificateChain": chain,
        "privateKey": key,
        "serialNumber": random_hex(32),
    }))
}

/// Users only (`verifyAuth([AuthMode.JWT])`): a PKCS#12 file of the certificate and its
/// key, as base64 for the binary handler. The emulator's is a fake with the right
/// framing: its bytes name the alias and the serial, never the password.
fn pkcs12(state: &mut State, input: &Input<'_>, id: &str) -> Result<Value, ApiError> {
    let path = format!("/api/v1/cert-manager/certificates/{id}/pkcs12");
    crate::auth::require_user(input.actor, &path)?;
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let password = c
        .string(m, &[], "password", true, false)
        .unwrap_or_default();
    if m.contains_key("password") && password.chars().count() < 6 {
        c.custom(&["password"], "String must contain at least 6 character(s)");
    }
    let alias = c.non_empty_string(m, &[], "alias");
    if !m.contains_key("alias") {
        c.string(m, &[], "alias", true, false);
    }
    c.finish()?;
    let serial = state
        .pki
        .serial_of(id)
        .ok_or_else(|| ApiError::not_found("Certificate not found"))?;
    let body = format!(
        "emulator PKCS#12 alias={} serial={serial}\n{}",
        alias.unwrap_or_default(),
        pem("ENCRYPTED PRIVATE KEY", &serial)
    );
    // A PKCS#12 file is DER: a SEQUENCE; the emulator's carries its text in one.
    let mut der = vec![0x30, 0x82];
    der.extend_from_slice(&u16::try_from(body.len()).unwrap_or(u16::MAX).to_be_bytes());
    der.extend_from_slice(body.as_bytes());
    Ok(Value::String(STANDARD.encode(der)))
}
