//! core decodes every answer a real Infisical server gave the SDK: every 2xx into its
//! operation's output, every error into an `ApiError` (never a decode error). Login answers
//! go through the real login code, replayed by the emulator.

#[path = "corpus.rs"]
mod corpus;

use bytes::Bytes;
use corpus::{Exchange, SERVERS};
use http::Response;
use infisical::Error;
use infisical::Operation;

type Decoder = fn(Response<Bytes>) -> Result<(), Error>;

/// Reads an answer with `$op`'s own `parse_response`, as the client does.
macro_rules! op {
    ($op:expr) => {
        (|response: Response<Bytes>| $op.parse_response(response).map(drop)) as Decoder
    };
}

/// The operation whose answer a recorded exchange is, by method and path.
fn decoder(e: &Exchange) -> Option<Decoder> {
    use infisical::dynamic_secrets::*;
    use infisical::environments::*;
    use infisical::folders::*;
    use infisical::kms::*;
    use infisical::pki::*;
    use infisical::projects::*;
    use infisical::secret_imports::*;
    use infisical::secrets::*;
    use infisical::tags::*;
    let table: &[(&[&str], Decoder)] = &[
        // The batch routes first: `secrets/*` would match `secrets/batch` too.
        (
            &[
                "POST /api/v4/secrets/batch",
                "POST /api/v3/secrets/batch/raw",
            ],
            op!(BatchCreateSecrets::new(
                "p",
                "dev",
                [NewSecret::new("N", "v")]
            )),
        ),
        (
            &[
                "PATCH /api/v4/secrets/batch",
                "PATCH /api/v3/secrets/batch/raw",
            ],
            op!(BatchUpdateSecrets::new(
                "p",
                "dev",
                [SecretUpdate::new("N")]
            )),
        ),
        (
            &[
                "DELETE /api/v4/secrets/batch",
                "DELETE /api/v3/secrets/batch/raw",
            ],
            op!(BatchDeleteSecrets::new("p", "dev", ["N"])),
        ),
        (
            &["GET /api/v4/secrets", "GET /api/v3/secrets/raw"],
            op!(ListSecrets::new("p", "dev")),
        ),
        (
            &["GET /api/v4/secrets/*", "GET /api/v3/secrets/raw/*"],
            op!(GetSecret::new("p", "dev", "N")),
        ),
        (
            &["POST /api/v4/secrets/*", "POST /api/v3/secrets/raw/*"],
            op!(CreateSecret::new("p", "dev", "N", "v")),
        ),
        (
            &["PATCH /api/v4/secrets/*", "PATCH /api/v3/secrets/raw/*"],
            op!(UpdateSecret::new("p", "dev", "N")),
        ),
        (
            &["DELETE /api/v4/secrets/*", "DELETE /api/v3/secrets/raw/*"],
            op!(DeleteSecret::new("p", "dev", "N")),
        ),
        (
            &["GET /api/v2/folders", "GET /api/v1/folders"],
            op!(ListFolders::new("p", "dev")),
        ),
        (
            &["GET /api/v2/folders/*", "GET /api/v1/folders/*"],
            op!(GetFolder::new("f")),
        ),
        (
            &["POST /api/v2/folders", "POST /api/v1/folders"],
            op!(CreateFolder::new("p", "dev", "f")),
        ),
        (
            &["PATCH /api/v2/folders/*", "PATCH /api/v1/folders/*"],
            op!(UpdateFolder::new("p", "dev", "f", "n")),
        ),
        (
            &["DELETE /api/v2/folders/*", "DELETE /api/v1/folders/*"],
            op!(DeleteFolder::new("p", "dev", "f")),
        ),
        (
            &[
                "GET /api/v1/projects/*/environments/*",
                "GET /api/v1/workspace/*/environments/*",
            ],
            op!(GetEnvironment::new("p", "e")),
        ),
        (
            &[
                "POST /api/v1/projects/*/environments",
                "POST /api/v1/workspace/*/environments",
            ],
            op!(CreateEnvironment::new("p", "n", "s")),
        ),
        (
            &[
                "PATCH /api/v1/projects/*/environments/*",
                "PATCH /api/v1/workspace/*/environments/*",
            ],
            op!(UpdateEnvironment::new("p", "e")),
        ),
        (
            &[
                "DELETE /api/v1/projects/*/environments/*",
                "DELETE /api/v1/workspace/*/environments/*",
            ],
            op!(DeleteEnvironment::new("p", "e")),
        ),
        (
            &["GET /api/v1/projects", "GET /api/v1/workspace"],
            op!(ListProjects::new()),
        ),
        (
            &["GET /api/v1/projects/*", "GET /api/v1/workspace/*"],
            op!(GetProject::new("p")),
        ),
        (
            &["GET /api/v1/projects/slug/*", "GET /api/v2/workspace/*"],
            op!(GetProjectBySlug::new("s")),
        ),
        (
            &[
                "GET /api/v1/projects/*/tags",
                "GET /api/v1/workspace/*/tags",
            ],
            op!(ListTags::new("p")),
        ),
        (
            &[
                "GET /api/v1/projects/*/tags/*",
                "GET /api/v1/workspace/*/tags/*",
            ],
            op!(GetTag::new("p", "t")),
        ),
        (
            &[
                "GET /api/v1/projects/*/tags/slug/*",
                "GET /api/v1/workspace/*/tags/slug/*",
            ],
            op!(GetTagBySlug::new("p", "s")),
        ),
        (
            &[
                "POST /api/v1/projects/*/tags",
                "POST /api/v1/workspace/*/tags",
            ],
            op!(CreateTag::new("p", "s")),
        ),
        (
            &[
                "DELETE /api/v1/projects/*/tags/*",
                "DELETE /api/v1/workspace/*/tags/*",
            ],
            op!(DeleteTag::new("p", "t")),
        ),
        (
            &["GET /api/v2/secret-imports", "GET /api/v1/secret-imports"],
            op!(ListSecretImports::new("p", "dev")),
        ),
        (
            &["POST /api/v2/secret-imports", "POST /api/v1/secret-imports"],
            op!(CreateSecretImport::new("p", "dev", "staging", "/")),
        ),
        (
            &[
                "DELETE /api/v2/secret-imports/*",
                "DELETE /api/v1/secret-imports/*",
            ],
            op!(DeleteSecretImport::new("p", "dev", "i")),
        ),
        (
            &[
                "GET /api/v2/secret-imports/secrets",
                "GET /api/v1/secret-imports/secrets/raw",
            ],
            op!(ListImportedSecrets::new("p", "dev")),
        ),
        (&["GET /api/v1/kms/keys"], op!(ListKmsKeys::new("p"))),
        (&["GET /api/v1/kms/keys/*"], op!(GetKmsKey::new("k"))),
        (&["POST /api/v1/kms/keys"], op!(CreateKmsKey::new("p", "n"))),
        (&["DELETE /api/v1/kms/keys/*"], op!(DeleteKmsKey::new("k"))),
        (
            &["POST /api/v1/kms/keys/*/encrypt"],
            op!(Encrypt::new("k", b"x".to_vec())),
        ),
        (
            &["POST /api/v1/kms/keys/*/decrypt"],
            op!(Decrypt::new("k", b"x".to_vec())),
        ),
        (
            &["POST /api/v1/kms/keys/*/sign"],
            op!(Sign::new("k", b"x".to_vec(), SigningAlgorithm::EcdsaSha256)),
        ),
        (
            &["POST /api/v1/pki/certificates/issue-certificate"],
            op!(IssueCertificate::new("ca", "cn", "1d")),
        ),
        (
            &["GET /api/v1/pki/certificates/*"],
            op!(GetCertificate::new("s")),
        ),
        (
            &["GET /api/v1/pki/certificates/*/certificate"],
            op!(GetCertificateBody::new("s")),
        ),
        (
            &["GET /api/v1/pki/certificates/*/bundle"],
            op!(GetCertificateBundle::new("s")),
        ),
        (
            &["GET /api/v1/pki/certificates/*/private-key"],
            op!(GetCertificatePrivateKey::new("s")),
        ),
        (
            &["POST /api/v1/pki/certificates/*/revoke"],
            op!(RevokeCertificate::new("s", RevocationReason::Superseded)),
        ),
        (
            &["DELETE /api/v1/pki/certificates/*"],
            op!(DeleteCertificate::new("s")),
        ),
        (
            &["GET /api/v1/dynamic-secrets"],
            op!(ListDynamicSecrets::new("p", "dev")),
        ),
        (
            &["POST /api/v1/dynamic-secrets"],
            op!(CreateDynamicSecret::new(
                "p",
                "dev",
                "n",
                DynamicSecretProvider::new("sql-database", serde_json::json!({})),
                "1h"
            )),
        ),
    ];
    table
        .iter()
        .find(|(patterns, _)| patterns.iter().any(|p| e.is(p)))
        .map(|(_, decode)| *decode)
}

/// Login routes: their answers are read by the credentials' login code, replayed below.
fn is_login(e: &Exchange) -> bool {
    e.method == "POST" && e.path.starts_with("/api/v1/auth/") && e.path.ends_with("/login")
}

#[test]
fn every_recorded_answer_decodes() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for server in SERVERS {
        for e in corpus::load(server).iter().filter(|e| e.sent_by_sdk()) {
            if is_login(e) || e.is("POST /api/v1/auth/token/revoke") {
                continue; // `logins_and_revocations_decode` below
            }
            let Some(decode) = decoder(e) else {
                failures.push(format!("{}: no decoder for {} {}", e.at, e.method, e.path));
                continue;
            };
            let mut response = Response::builder().status(e.status);
            if let Some(content_type) = &e.content_type {
                response = response.header(http::header::CONTENT_TYPE, content_type);
            }
            let response = response.body(Bytes::from(e.body_bytes())).unwrap();
            checked += 1;
            match (e.status < 300, decode(response)) {
                (true, Ok(())) | (false, Err(Error::Api(_))) => {}
                (_, outcome) => failures.push(format!(
                    "{}: {} {} {} decoded as {outcome:?}",
                    e.at, e.method, e.path, e.status
                )),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 150, "only {checked} answers checked");
}

#[tokio::test]
async fn logins_and_revocations_decode() {
    use infisical_emulator::{Emulator, Fault, Route};
    let emulator = Emulator::start();
    let mut checked = 0;
    for server in SERVERS {
        for e in corpus::load(server)
            .iter()
            .filter(|e| e.sent_by_sdk() && is_login(e))
        {
            // Every method answers with the same body shape; replay each through the
            // universal-auth login route, which the real login code reads.
            let content_type = e.content_type.clone().unwrap_or_default();
            emulator.inject(
                Route::new("POST", "/api/v1/auth/universal-auth/login"),
                Fault::Status {
                    status: e.status,
                    body: String::from_utf8(e.body_bytes()).unwrap(),
                    content_type,
                },
            );
            let client = infisical::Client::builder()
                .base_url(emulator.url())
                .universal_auth("id", "secret")
                .no_retries()
                .revoke_on_close(false)
                .build()
                .unwrap();
            let outcome = client.identity().await;
            checked += 1;
            match (&outcome, e.status) {
                (Ok(me), 200) => assert!(me.expires_at.is_some(), "{}", e.at),
                (Err(Error::Credentials(c)), status) if status >= 400 => {
                    let api = c.api_error().unwrap_or_else(|| panic!("{}: {c}", e.at));
                    assert_eq!(api.status().as_u16(), status, "{}", e.at);
                }
                _ => panic!("{}: login answered {} gave {outcome:?}", e.at, e.status),
            }
        }
    }
    assert!(checked >= 25, "only {checked} logins checked");
}
