//! PKI certificates: `/api/v1/pki/certificates/...` (get, `/certificate`, `/revoke`, delete,
//! `issue-certificate`, `sign-certificate`; modern servers add `/bundle` and `/private-key`,
//! whose answer is the PEM as plain text). After `server/routes/v1/certificate-router.ts`,
//! `services/certificate/certificate-service.ts` and
//! `services/certificate-authority/certificate-authority-service.ts`. The PEMs are fakes with the
//! real armour: base64 of a description, not DER.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::leases::parse_ttl;
use crate::resources::{handler, member_project, text_handler, Handler, Input};
use crate::state::State;
use crate::util::{iso_at, now_iso, now_millis, random_hex, uuid};
use crate::validate::Check;
use crate::ServerMode;

/// Certificate authorities and the certificates they issued.
#[derive(Default)]
pub(crate) struct Pki {
    cas: Vec<Ca>,
    certs: Vec<Cert>,
}

struct Ca {
    id: String,
    cert_id: String,
    project_id: String,
    pem: String,
}

struct Cert {
    id: String,
    ca_id: String,
    ca_cert_id: String,
    serial: String,
    common_name: String,
    friendly_name: String,
    alt_names: String,
    not_before: u64,
    not_after: u64,
    revoked: Option<(String, u32)>,
    key_usages: Vec<String>,
    extended_key_usages: Vec<String>,
    pem: String,
    chain: String,
    private_key: Option<String>,
    created_at: String,
    updated_at: String,
}

/// CRL reasons and their codes (RFC 5280).
const REASONS: &[(&str, u32)] = &[
    ("UNSPECIFIED", 0),
    ("KEY_COMPROMISE", 1),
    ("CA_COMPROMISE", 2),
    ("AFFILIATION_CHANGED", 3),
    ("SUPERSEDED", 4),
    ("CESSATION_OF_OPERATION", 5),
    ("CERTIFICATE_HOLD", 6),
    ("PRIVILEGE_WITHDRAWN", 9),
    ("A_A_COMPROMISE", 10),
];

/// PEM armour around base64 of `payload`, 64 characters a line.
pub(crate) fn pem(label: &str, payload: &str) -> String {
    let b64 = STANDARD.encode(payload);
    let lines: Vec<&str> = b64
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap_or_default())
        .collect();
    format!(
        "-----BEGIN {label}-----\n{}\n-----END {label}-----",
        lines.join("\n")
    )
}

impl Pki {
    /// Whether the project has a certificate authority.
    pub(crate) fn has_ca(&self, project_id: &str) -> bool {
        self.cas.iter().any(|c| c.project_id == project_id)
    }

    /// Seeding: a CA of the project; returns its id.
    pub(crate) fn create_ca(&mut self, project_id: &str, common_name: &str) -> String {
        let id = uuid();
        let pem = pem("CERTIFICATE", &format!("emulator CA {common_name} {id}"));
        self.cas.push(Ca {
            id: id.clone(),
            cert_id: uuid(),
            project_id: project_id.to_string(),
            pem,
        });
        id
    }
}

pub(crate) fn route(method: &str, segs: &[&str], modern: bool) -> Option<Handler> {
    let rest = match segs {
        ["api", "v1", "pki", "certificates", rest @ ..] => rest,
        _ => return None,
    };
    let serial = rest.first().map(|s| s.to_string()).unwrap_or_default();
    match (method, rest) {
        ("POST", ["issue-certificate"]) => handler(|st, i| issue(st, i, false)),
        ("POST", ["sign-certificate"]) => handler(|st, i| issue(st, i, true)),
        ("GET", [_]) => handler(move |st, _| get(st, &serial)),
        ("DELETE", [_]) => handler(move |st, _| delete(st, &serial)),
        ("GET", [_, "certificate"]) => handler(move |st, _| body(st, &serial, false)),
        ("GET", [_, "bundle"]) if modern => handler(move |st, _| body(st, &serial, true)),
        ("GET", [_, "private-key"]) if modern => {
            text_handler(move |st, _| private_key(st, &serial))
        }
        ("POST", [_, "revoke"]) => handler(move |st, i| revoke(st, &serial, i)),
        _ => None,
    }
}

/// `CertificatesSchema`.
fn cert_json(state: &State, cert: &Cert) -> Value {
    let mut v = json!({
        "id": cert.id,
        "createdAt": cert.created_at,
        "updatedAt": cert.updated_at,
        "caId": cert.ca_id,
        "status": if cert.revoked.is_some() { "revoked" } else { "active" },
        "serialNumber": cert.serial,
        "friendlyName": cert.friendly_name,
        "commonName": cert.common_name,
        "notBefore": iso_at(cert.not_before),
        "notAfter": iso_at(cert.not_after),
        "revokedAt": cert.revoked.as_ref().map(|(at, _)| at),
        "revocationReason": cert.revoked.as_ref().map(|(_, code)| code),
        "altNames": cert.alt_names,
        "caCertId": cert.ca_cert_id,
        "certificateTemplateId": null,
        "keyUsages": cert.key_usages,
        "extendedKeyUsages": cert.extended_key_usages,
    });
    if state.settings.mode != ServerMode::Legacy {
        let project = state
            .pki
            .cas
            .iter()
            .find(|c| c.id == cert.ca_id)
            .map(|c| &c.project_id);
        v["projectId"] = json!(project);
        v["pkiSubscriberId"] = Value::Null;
    }
    v
}

/// The certificate with this serial number. October 2024 servers read a missing one's fields
/// and fail with a `TypeError`: the generic 500.
fn find<'a>(state: &'a State, serial: &str) -> Result<&'a Cert, ApiError> {
    let cert = state.pki.certs.iter().find(|c| c.serial == serial);
    match cert {
        Some(cert) => {
            let ca = state
                .pki
                .cas
                .iter()
                .find(|c| c.id == cert.ca_id)
                .ok_or(ApiError::Internal)?;
            member_project(state, &ca.project_id)?;
            Ok(cert)
        }
        // Both generations answer a 500 (recorded), not a 404.
        None => Err(ApiError::Internal),
    }
}

pub(crate) fn get(state: &mut State, serial: &str) -> Result<Value, ApiError> {
    let cert = find(state, serial)?;
    Ok(json!({ "certificate": cert_json(state, cert) }))
}

pub(crate) fn delete(state: &mut State, serial: &str) -> Result<Value, ApiError> {
    let answer = cert_json(state, find(state, serial)?);
    state.pki.certs.retain(|c| c.serial != serial);
    Ok(json!({ "certificate": answer }))
}

/// `/certificate` and (`bundle`) `/bundle`.
pub(crate) fn body(state: &mut State, serial: &str, bundle: bool) -> Result<Value, ApiError> {
    let cert = find(state, serial)?;
    let mut v = json!({
        "certificate": cert.pem,
        "certificateChain": cert.chain,
        "serialNumber": cert.serial,
    });
    if bundle {
        v["privateKey"] = json!(cert.private_key);
    }
    Ok(v)
}

/// The PEM as the body (the handler is a text handler).
pub(crate) fn private_key(state: &mut State, serial: &str) -> Result<Value, ApiError> {
    let cert = find(state, serial)?;
    let key = cert
        .private_key
        .clone()
        .ok_or_else(|| ApiError::not_found("Certificate private key not found"))?;
    Ok(Value::String(key))
}

fn string_list(c: &mut Check, m: &Map<String, Value>, key: &str) -> Vec<String> {
    c.string_array(m, &[], key).unwrap_or_default()
}

/// `issue-certificate` and (`csr`) `sign-certificate`.
fn issue(state: &mut State, input: &Input<'_>, csr: bool) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let ca_id = c.string(m, &[], "caId", false, true);
    let template = c.string(m, &[], "certificateTemplateId", false, true);
    if ca_id.is_some() == template.is_some() {
        c.custom(
            &["caId", "certificateTemplateId"],
            "Either CA ID or Certificate Template ID must be present, but not both",
        );
    }
    let request = csr.then(|| c.non_empty_string(m, &[], "csr")).flatten();
    if csr && request.is_none() && m.get("csr").is_none() {
        c.string(m, &[], "csr", true, false);
    }
    let common_name = if csr {
        c.non_empty_string(m, &[], "commonName")
    } else {
        let cn = c.non_empty_string(m, &[], "commonName");
        if cn.is_none() && m.get("commonName").is_none() {
            c.string(m, &[], "commonName", true, false);
        }
        cn
    };
    let ttl = c.string(m, &[], "ttl", true, false);
    if ttl
        .as_deref()
        .is_some_and(|t| parse_ttl(t).unwrap_or(0) == 0)
    {
        c.custom(&["ttl"], "TTL must be a positive number");
    }
    let friendly_name = c.string(m, &[], "friendlyName", false, true);
    let alt_names = c
        .string(m, &[], "altNames", false, true)
        .unwrap_or_default();
    let key_usages = string_list(&mut c, m, "keyUsages");
    let extended_key_usages = string_list(&mut c, m, "extendedKeyUsages");
    c.finish()?;
    if template.is_some() {
        return Err(ApiError::not_found("Certificate template not found"));
    }
    if request
        .as_deref()
        .is_some_and(|r| !r.contains("BEGIN CERTIFICATE REQUEST"))
    {
        return Err(ApiError::bad_request("Invalid CSR"));
    }
    let ca_id = ca_id.unwrap_or_default();
    let project = state
        .pki
        .ca_project(&ca_id)
        .ok_or_else(|| ApiError::not_found("CA not found"))?
        .to_string();
    member_project(state, &project)?;
    let minted = state
        .pki
        .mint(
            &ca_id,
            Spec {
                common_name: common_name.unwrap_or_else(|| "csr-subject".to_string()),
                friendly_name,
                alt_names,
                ttl_millis: parse_ttl(ttl.as_deref().unwrap_or_default()).unwrap_or_default(),
                key_usages,
                extended_key_usages,
                with_key: !csr,
            },
        )
        .ok_or(ApiError::Internal)?;
    let mut answer = json!({
        "certificate": minted.pem,
        "issuingCaCertificate": minted.ca_pem,
        "certificateChain": minted.chain,
        "serialNumber": minted.serial,
    });
    if let Some(key) = &minted.private_key {
        answer["privateKey"] = json!(key);
    }
    Ok(answer)
}

/// What a certificate is issued with.
pub(crate) struct Spec {
    pub(crate) common_name: String,
    pub(crate) friendly_name: Option<String>,
    pub(crate) alt_names: String,
    pub(crate) ttl_millis: u64,
    pub(crate) key_usages: Vec<String>,
    pub(crate) extended_key_usages: Vec<String>,
    /// Whether the server makes the key pair (not for a CSR).
    pub(crate) with_key: bool,
}

/// A certificate just issued.
pub(crate) struct Minted {
    pub(crate) id: String,
    pub(crate) serial: String,
    pub(crate) pem: String,
    pub(crate) chain: String,
    pub(crate) ca_pem: String,
    pub(crate) private_key: Option<String>,
}

impl Pki {
    /// The project of the CA `ca_id`.
    pub(crate) fn ca_project(&self, ca_id: &str) -> Option<&str> {
        self.cas
            .iter()
            .find(|c| c.id == ca_id)
            .map(|c| c.project_id.as_str())
    }

    /// The serial number of the certificate with the id `id`.
    pub(crate) fn serial_of(&self, id: &str) -> Option<String> {
        self.certs
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.serial.clone())
    }

    /// Issues a certificate from the CA `ca_id` and keeps it.
    pub(crate) fn mint(&mut self, ca_id: &str, spec: Spec) -> Option<Minted> {
        let ca = self.cas.iter().find(|ca| ca.id == ca_id)?;
        let serial = random_hex(32);
        let now = now_millis();
        let common_name = spec.common_name;
        let cert = Cert {
            id: uuid(),
            ca_id: ca.id.clone(),
            ca_cert_id: ca.cert_id.clone(),
            serial: serial.clone(),
            friendly_name: spec.friendly_name.unwrap_or_else(|| common_name.clone()),
            pem: pem(
                "CERTIFICATE",
                &format!("emulator certificate {common_name} {serial}"),
            ),
            common_name,
            alt_names: spec.alt_names,
            not_before: now,
            not_after: now.saturating_add(spec.ttl_millis),
            revoked: None,
            key_usages: if spec.key_usages.is_empty() {
                vec!["digitalSignature".into(), "keyEncipherment".into()]
            } else {
                spec.key_usages
            },
            extended_key_usages: spec.extended_key_usages,
            chain: ca.pem.clone(),
            private_key: spec
                .with_key
                .then(|| pem("PRIVATE KEY", &format!("emulator key {serial}"))),
            created_at: now_iso(),
            updated_at: now_iso(),
        };
        let minted = Minted {
            id: cert.id.clone(),
            serial,
            pem: cert.pem.clone(),
            chain: cert.chain.clone(),
            ca_pem: ca.pem.clone(),
            private_key: cert.private_key.clone(),
        };
        self.certs.push(cert);
        Some(minted)
    }
}

/// Revoking twice throws a plain `Error` on the server: the generic 500.
pub(crate) fn revoke(
    state: &mut State,
    serial: &str,
    input: &Input<'_>,
) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let names: Vec<&str> = REASONS.iter().map(|(n, _)| *n).collect();
    let reason = c.one_of(m, &[], "revocationReason", &names, "");
    if m.get("revocationReason").is_none() {
        c.string(m, &[], "revocationReason", true, false);
    }
    c.finish()?;
    if find(state, serial)?.revoked.is_some() {
        return Err(ApiError::Internal);
    }
    let code = REASONS
        .iter()
        .find(|(n, _)| *n == reason)
        .map_or(0, |(_, c)| *c);
    let at = now_iso();
    let cert = state
        .pki
        .certs
        .iter_mut()
        .find(|c| c.serial == serial)
        .ok_or(ApiError::Internal)?;
    cert.revoked = Some((at.clone(), code));
    cert.updated_at = at.clone();
    Ok(
        json!({"message": "Successfully revoked certificate", "serialNumber": serial, "revokedAt": at}),
    )
}
