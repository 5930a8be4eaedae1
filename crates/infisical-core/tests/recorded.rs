//! Core's decoders against answers recorded from real Infisical servers
//! (`shared/api/recorded/*/exchanges.jsonl`, see its README).
//!
//! Every recorded exchange of the SDK is matched to the operation whose route template fits
//! its method and path; the answer is read with that operation's own
//! [`Operation::parse_response`], the path the client takes. A 2xx must decode into the
//! operation's output; an error must decode into an `ApiError` carrying the recorded
//! `message` and `error` (a body core could not read falls back to a generic message, which
//! fails here). Exchanges nobody maps are listed in [`SKIPPED`] with a reason, so a new
//! route in the corpus is noticed.

use bytes::Bytes;
use infisical_core::dynamic_secrets::*;
use infisical_core::environments::*;
use infisical_core::folders::*;
use infisical_core::identities::*;
use infisical_core::kms::*;
use infisical_core::pki::*;
use infisical_core::projects::*;
use infisical_core::secret_imports::*;
use infisical_core::secrets::*;
use infisical_core::tags::*;
use infisical_core::{ApiGeneration, Error, Operation, RequestMeta};
use serde_json::Value;
use std::path::PathBuf;

/// Routes of the corpus that core has no operation for, with the reason.
const SKIPPED: &[(&str, &str)] = &[
    ("GET /api/status", "health check sent by curl"),
    (
        "POST /api/v1/auth/",
        "logins are decoded by infisical-credentials",
    ),
    (
        "PATCH /api/v1/auth/",
        "auth-method configuration sent by Python-urllib",
    ),
    (
        "POST /api/v3/auth/",
        "interactive CLI login (SRP), not an SDK route",
    ),
    ("GET /api/v2/users/me", "user endpoint checked by curl"),
];

/// One recorded exchange, as far as this test needs it.
struct Exchange {
    server: &'static str,
    method: String,
    path: String,
    user_agent: String,
    status: u16,
    body: Value,
}

fn corpus(server: &'static str) -> Vec<Exchange> {
    let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/api/recorded")
        .join(server)
        .join("exchanges.jsonl");
    let text = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let v: Value = serde_json::from_str(line).expect("a corpus line is JSON");
            let text = |p: &str| {
                v.pointer(p)
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_owned()
            };
            Exchange {
                server,
                method: text("/request/method"),
                path: text("/request/path"),
                user_agent: text("/request/headers/user-agent"),
                status: v
                    .pointer("/response/status")
                    .and_then(Value::as_u64)
                    .unwrap() as u16,
                body: v.pointer("/response/body").cloned().unwrap_or(Value::Null),
            }
        })
        .collect()
}

/// Decodes an answer with one operation; only success or failure matters here.
type Decoder = Box<dyn Fn(http::Response<Bytes>) -> Result<(), Error>>;

/// An operation's route templates (both generations) and its decoder.
struct Candidate {
    routes: Vec<&'static str>,
    decode: Decoder,
}

fn candidate<O: Operation + 'static>(op: O) -> Candidate {
    let routes = [ApiGeneration::Current, ApiGeneration::Legacy]
        .into_iter()
        .map(|g| {
            let request = op.to_http(g).expect("the sample operation is valid");
            request.extensions().get::<RequestMeta>().unwrap().route
        })
        .collect();
    Candidate {
        routes,
        decode: Box::new(move |response| op.parse_response(response).map(drop)),
    }
}

/// One sample of every operation core has; parameters only need to be valid.
fn candidates() -> Vec<Candidate> {
    let (p, e) = ("p", "dev");
    vec![
        candidate(ListProjects::new()),
        candidate(GetProject::new(p)),
        candidate(GetProjectBySlug::new("slug")),
        candidate(ListFolders::new(p, e)),
        candidate(GetFolder::new("f")),
        candidate(CreateFolder::new(p, e, "n")),
        candidate(UpdateFolder::new(p, e, "f", "n")),
        candidate(DeleteFolder::new(p, e, "f")),
        candidate(GetCertificate::new("01")),
        candidate(GetCertificateBody::new("01")),
        candidate(GetCertificateBundle::new("01")),
        candidate(GetCertificatePrivateKey::new("01")),
        candidate(IssueCertificate::new("ca", "cn", "1h")),
        candidate(RevokeCertificate::new("01", RevocationReason::Unspecified)),
        candidate(DeleteCertificate::new("01")),
        candidate(ListDynamicSecrets::new(p, e)),
        candidate(CreateDynamicSecret::new(
            p,
            e,
            "n",
            DynamicSecretProvider::new("sql-database", serde_json::json!({})),
            "1h",
        )),
        candidate(Encrypt::new("k", b"x".to_vec())),
        candidate(Decrypt::new("k", b"x".to_vec())),
        candidate(Sign::new(
            "k",
            b"x".to_vec(),
            SigningAlgorithm::RsassaPssSha256,
        )),
        candidate(ListKmsKeys::new(p)),
        candidate(GetKmsKey::new("k")),
        candidate(CreateKmsKey::new(p, "n")),
        candidate(DeleteKmsKey::new("k")),
        candidate(ListSecretImports::new(p, e)),
        candidate(ListImportedSecrets::new(p, e)),
        candidate(CreateSecretImport::new(p, e, "staging", "/")),
        candidate(DeleteSecretImport::new(p, e, "i")),
        candidate(ListSecrets::new(p, e)),
        candidate(GetSecret::new(p, e, "N")),
        candidate(CreateSecret::new(p, e, "N", "v")),
        candidate(UpdateSecret::new(p, e, "N").value("v")),
        candidate(DeleteSecret::new(p, e, "N")),
        candidate(BatchCreateSecrets::new(p, e, [NewSecret::new("N", "v")])),
        candidate(BatchUpdateSecrets::new(
            p,
            e,
            [SecretUpdate::new("N").value("v")],
        )),
        candidate(BatchDeleteSecrets::new(p, e, ["N"])),
        candidate(GetEnvironment::new(p, "env")),
        candidate(CreateEnvironment::new(p, "Name", "slug")),
        candidate(UpdateEnvironment::new(p, "env").name("n")),
        candidate(DeleteEnvironment::new(p, "env")),
        candidate(ListTags::new(p)),
        candidate(GetTag::new(p, "t")),
        candidate(GetTagBySlug::new(p, "s")),
        candidate(CreateTag::new(p, "s")),
        candidate(DeleteTag::new(p, "t")),
        candidate(ListIdentities::new("org")),
        candidate(GetIdentity::new("i")),
        candidate(CreateIdentity::new("org", "n")),
        candidate(UpdateIdentity::new("i").name("n")),
        candidate(DeleteIdentity::new("i")),
        candidate(AttachUniversalAuth::new("i")),
        candidate(GetUniversalAuth::new("i")),
        candidate(UpdateUniversalAuth::new("i")),
        candidate(RevokeUniversalAuth::new("i")),
        candidate(CreateClientSecret::new("i")),
        candidate(ListClientSecrets::new("i")),
        candidate(RevokeClientSecret::new("i", "s")),
        candidate(ListProjectIdentities::new(p)),
        candidate(GetProjectIdentity::new(p, "i")),
        candidate(AddIdentityToProject::new(
            p,
            "i",
            [RoleAssignment::permanent("viewer")],
        )),
        candidate(RemoveIdentityFromProject::new(p, "i")),
    ]
}

/// How well `path` (query excluded) fits `template` (`METHOD /a/{x}/b`): `None` when it
/// does not, else the number of literal segments, since a server prefers the route with
/// literals (`/secrets/batch` over `/secrets/{secretName}`).
fn fit(template: &str, method: &str, path: &str) -> Option<usize> {
    let (t_method, t_path) = template.split_once(' ').unwrap();
    let path = path.split('?').next().unwrap();
    let (ts, ps): (Vec<_>, Vec<_>) = (t_path.split('/').collect(), path.split('/').collect());
    let fits = t_method == method
        && ts.len() == ps.len()
        && ts
            .iter()
            .zip(&ps)
            .all(|(t, p)| t == p || (t.starts_with('{') && !p.is_empty()));
    fits.then(|| ts.iter().filter(|t| !t.starts_with('{')).count())
}

fn fits(template: &str, method: &str, path: &str) -> bool {
    fit(template, method, path).is_some()
}

fn skip_reason(ex: &Exchange) -> Option<&'static str> {
    if !ex.user_agent.starts_with("infisical-rs/") {
        return Some("not sent by the SDK");
    }
    SKIPPED.iter().find_map(|(route, reason)| {
        let (method, prefix) = route.split_once(' ').unwrap();
        let hit = method == ex.method
            && (ex.path.starts_with(prefix) || fits(route, &ex.method, &ex.path));
        hit.then_some(*reason)
    })
}

fn response(ex: &Exchange) -> http::Response<Bytes> {
    let body = serde_json::to_vec(&ex.body).unwrap();
    http::Response::builder()
        .status(ex.status)
        .header("content-type", "application/json; charset=utf-8")
        .body(Bytes::from(body))
        .unwrap()
}

/// Checks one exchange; `Err` describes what went wrong.
fn check(ex: &Exchange, candidates: &[Candidate]) -> Result<(), String> {
    let score = |c: &Candidate| {
        c.routes
            .iter()
            .filter_map(|r| fit(r, &ex.method, &ex.path))
            .max()
    };
    let best = candidates.iter().filter_map(score).max();
    let matching: Vec<_> = candidates
        .iter()
        .filter(|c| best.is_some() && score(c) == best)
        .collect();
    if matching.is_empty() {
        return Err("no operation of core has this route (add it to SKIPPED?)".into());
    }
    for c in matching {
        let outcome = (c.decode)(response(ex));
        match (ex.status < 300, outcome) {
            (true, Ok(())) => {}
            (true, Err(e)) => return Err(format!("2xx not decoded: {e}")),
            (false, Ok(())) => return Err("an error answer decoded as success".into()),
            (false, Err(Error::Api(api))) => {
                let want_message = ex.body["message"].as_str();
                let want_error = ex.body["error"].as_str();
                if Some(api.message()) != want_message || api.error_name() != want_error {
                    return Err(format!(
                        "error body read as message {:?} / error {:?}",
                        api.message(),
                        api.error_name()
                    ));
                }
            }
            (false, Err(other)) => return Err(format!("error answer not an ApiError: {other}")),
        }
    }
    Ok(())
}

#[test]
fn every_recorded_answer_decodes_with_cores_types() {
    let candidates = candidates();
    let (mut decoded, mut skipped, mut failures) = (0, 0, Vec::new());
    for server in ["infisical-2024-10", "infisical-current"] {
        let exchanges = corpus(server);
        assert!(exchanges.len() > 100, "{server}: corpus too small");
        for ex in &exchanges {
            if skip_reason(ex).is_some() {
                skipped += 1;
                continue;
            }
            match check(ex, &candidates) {
                Ok(()) => decoded += 1,
                Err(why) => failures.push(format!(
                    "{} {} {} ({}): {why}",
                    ex.server, ex.method, ex.path, ex.status
                )),
            }
        }
    }
    eprintln!("decoded {decoded}, skipped {skipped}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(decoded > 150, "only {decoded} exchanges decoded");
}

/// The organization's identity list was recorded from a set-up script (not the SDK), so the
/// replay above skips it; `ListIdentities` must still read it, `kubernetes-auth` and
/// `oidc-auth` identities included.
#[test]
fn the_recorded_identity_list_decodes() {
    let ex = corpus("infisical-2024-10")
        .into_iter()
        .find(|ex| {
            ex.method == "GET"
                && ex.path.contains("/identity-memberships")
                && ex.path.starts_with("/api/v2/organizations/")
        })
        .expect("the recording has the organization's identity list");
    let page = ListIdentities::new("org")
        .parse_response(response(&ex))
        .expect("decoded");
    assert!(page.identities.len() >= 3, "{page:?}");
    assert_eq!(page.total_count as usize, page.identities.len());
    let k8s = page
        .identities
        .iter()
        .find(|i| i.identity.name == "k8s-test")
        .expect("the Kubernetes identity");
    assert_eq!(k8s.identity.auth_method.as_deref(), Some("kubernetes-auth"));
    assert_eq!(k8s.role, "member");
    assert!(page
        .identities
        .iter()
        .any(|i| i.identity.has_universal_auth()));
}

/// The same for a project's identity list (recorded once, by the set-up script).
#[test]
fn the_recorded_project_identity_list_decodes() {
    let ex = corpus("infisical-2024-10")
        .into_iter()
        .find(|ex| {
            ex.method == "GET"
                && ex.path.starts_with("/api/v2/workspace/")
                && ex.path.contains("/identity-memberships")
        })
        .expect("the recording has a project's identity list");
    let page = ListProjectIdentities::new("p")
        .parse_response(response(&ex))
        .expect("decoded");
    assert!(!page.identities.is_empty(), "{page:?}");
    let first = &page.identities[0];
    assert!(!first.roles.is_empty());
    assert!(first.project.is_some());
}
