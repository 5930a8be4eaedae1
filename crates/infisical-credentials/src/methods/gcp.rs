//! GCP auth: an ID token from the metadata server (`gcp-id-token`), or a JWT signed by
//! IAM for a service-account key (`gcp-iam`). Both log in at
//! `POST /api/v1/auth/gcp-auth/login` with `{identityId, jwt}`.

use super::{invalid, join, metadata_get, FetchJwt, JwtLogin, LoginContext, LoginMethod};
use crate::login::decode_json;
use crate::BoxFuture;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use bytes::Bytes;
use infisical_core::{CredentialsError, SecretString};
use serde::Deserialize;
use std::path::PathBuf;
use std::time::UNIX_EPOCH;

const ROUTE: &str = "POST /api/v1/auth/gcp-auth/login";
/// The metadata server of Compute Engine, GKE, Cloud Run and Cloud Functions.
pub(crate) const METADATA: &str = "http://metadata.google.internal";
const IAM_CREDENTIALS: &str = "https://iamcredentials.googleapis.com";
const TOKEN_URI: &str = "https://oauth2.googleapis.com/token";
const SCOPE: &str = "https://www.googleapis.com/auth/cloud-platform";

/// GCP ID-token auth: on every login, an ID token whose audience is the identity id, from
/// the metadata server (`GET /computeMetadata/v1/instance/service-accounts/default/identity`
/// with `Metadata-Flavor: Google`).
#[derive(Debug, Clone)]
pub struct GcpIdTokenAuth {
    identity_id: String,
    metadata_url: String,
}

impl GcpIdTokenAuth {
    /// GCP ID-token auth for `identity_id`, from `http://metadata.google.internal`.
    pub fn new(identity_id: impl Into<String>) -> Self {
        Self {
            identity_id: identity_id.into(),
            metadata_url: METADATA.to_owned(),
        }
    }

    /// Another metadata server (such as a local fake in tests): scheme, host and port.
    pub fn metadata_url(mut self, url: impl Into<String>) -> Self {
        self.metadata_url = url.into();
        self
    }
}

#[derive(Debug, Clone)]
struct MetadataIdToken {
    base: String,
}

impl FetchJwt for MetadataIdToken {
    fn fetch<'a>(
        &'a self,
        provider: &'static str,
        identity_id: &'a str,
        cx: &'a LoginContext,
    ) -> BoxFuture<'a, Result<SecretString, CredentialsError>> {
        Box::pin(async move {
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("audience", identity_id)
                .append_pair("format", "full")
                .finish();
            let path = "/computeMetadata/v1/instance/service-accounts/default/identity?";
            let url = join(&self.base, path) + &query;
            let route = "GET gcp-metadata identity";
            let token = metadata_get(cx, provider, route, &url, ("Metadata-Flavor", "Google"));
            Ok(SecretString::new(token.await?.trim()))
        })
    }
}

impl From<GcpIdTokenAuth> for LoginMethod {
    fn from(m: GcpIdTokenAuth) -> Self {
        LoginMethod::new(JwtLogin {
            name: "gcp-id-token",
            route: ROUTE,
            identity_id: m.identity_id,
            jwt: MetadataIdToken {
                base: m.metadata_url,
            },
        })
    }
}

/// GCP IAM auth: on every login, reads the service-account key file, gets an OAuth token
/// for it (a JWT-bearer grant at the key's `token_uri`), and has IAM sign
/// `{"sub": <service account>, "aud": <identity id>, "exp": …}` with
/// `projects/-/serviceAccounts/<email>:signJwt`. The service account needs
/// `iam.serviceAccounts.signJwt` on itself and the IAM Credentials API enabled.
#[derive(Debug, Clone)]
pub struct GcpIamAuth {
    identity_id: String,
    key_file: PathBuf,
    iam_url: String,
}

impl GcpIamAuth {
    /// GCP IAM auth for `identity_id` with the JSON key file of a service account.
    pub fn new(identity_id: impl Into<String>, key_file: impl Into<PathBuf>) -> Self {
        Self {
            identity_id: identity_id.into(),
            key_file: key_file.into(),
            iam_url: IAM_CREDENTIALS.to_owned(),
        }
    }

    /// Another IAM Credentials endpoint than `https://iamcredentials.googleapis.com` (the
    /// OAuth token endpoint is the key file's `token_uri`).
    pub fn iam_credentials_url(mut self, url: impl Into<String>) -> Self {
        self.iam_url = url.into();
        self
    }
}

#[derive(Deserialize)]
struct ServiceAccountKey {
    client_email: String,
    private_key: SecretString,
    #[serde(default)]
    private_key_id: Option<String>,
    #[serde(default)]
    token_uri: Option<String>,
}

#[derive(Deserialize)]
struct OAuthToken {
    access_token: SecretString,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SignedJwt {
    signed_jwt: SecretString,
}

#[derive(Debug, Clone)]
struct IamSignedJwt {
    key_file: PathBuf,
    iam_url: String,
}

impl IamSignedJwt {
    fn read_key(&self, provider: &'static str) -> Result<ServiceAccountKey, CredentialsError> {
        let shown = self.key_file.display();
        let text = std::fs::read(&self.key_file).map_err(|e| {
            invalid(
                provider,
                format!("cannot read the service-account key {shown}: {e}"),
            )
        })?;
        let key: ServiceAccountKey = serde_json::from_slice(&text).map_err(|e| {
            invalid(
                provider,
                format!(
                    "{shown} is not a service-account key (JSON {:?} error at line {})",
                    e.classify(),
                    e.line()
                ),
            )
        })?;
        if key.client_email.is_empty() || key.private_key.is_empty() {
            return Err(invalid(
                provider,
                format!("{shown} has no client_email or private_key"),
            ));
        }
        Ok(key)
    }

    /// The RS256 assertion of the JWT-bearer grant (RFC 7523), valid for an hour, signed
    /// with ring (RSASSA-PKCS1-v1_5 with SHA-256): no OpenSSL.
    fn assertion(
        &self,
        provider: &'static str,
        key: &ServiceAccountKey,
        token_uri: &str,
        cx: &LoginContext,
    ) -> Result<String, CredentialsError> {
        let fail = |what: &str| {
            invalid(
                provider,
                format!("cannot sign with the service-account key: {what}"),
            )
        };
        let pair = rsa_key_pair(key.private_key.expose()).map_err(fail)?;
        let header = match &key.private_key_id {
            Some(kid) => serde_json::json!({"alg": "RS256", "typ": "JWT", "kid": kid}),
            None => serde_json::json!({"alg": "RS256", "typ": "JWT"}),
        };
        let now = cx
            .now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let claims = serde_json::json!({
            "iss": key.client_email,
            "iat": now,
            "exp": now.saturating_add(3600),
            "aud": token_uri,
            "scope": SCOPE,
        });
        let signing_input = format!(
            "{}.{}",
            URL_SAFE_NO_PAD.encode(header.to_string()),
            URL_SAFE_NO_PAD.encode(claims.to_string())
        );
        let mut signature = vec![0; pair.public().modulus_len()];
        pair.sign(
            &ring::signature::RSA_PKCS1_SHA256,
            &ring::rand::SystemRandom::new(),
            signing_input.as_bytes(),
            &mut signature,
        )
        .map_err(|_| fail("signing failed"))?;
        Ok(format!(
            "{signing_input}.{}",
            URL_SAFE_NO_PAD.encode(signature)
        ))
    }
}

/// The RSA key of a PEM private key: PKCS#8 (`PRIVATE KEY`, what Google issues) or PKCS#1
/// (`RSA PRIVATE KEY`). Errors say what is wrong, never quote the key.
fn rsa_key_pair(pem: &str) -> Result<ring::signature::RsaKeyPair, &'static str> {
    let (label, body) = ["PRIVATE KEY", "RSA PRIVATE KEY"]
        .iter()
        .find_map(|label| {
            let begin = format!("-----BEGIN {label}-----");
            let end = format!("-----END {label}-----");
            let start = pem.find(&begin)?.checked_add(begin.len())?;
            let stop = pem.get(start..)?.find(&end)?.checked_add(start)?;
            Some((*label, pem.get(start..stop)?))
        })
        .ok_or("no PEM private key")?;
    let base64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = zeroize::Zeroizing::new(
        STANDARD
            .decode(base64.as_bytes())
            .map_err(|_| "the PEM is not valid base64")?,
    );
    let pair = if label == "PRIVATE KEY" {
        ring::signature::RsaKeyPair::from_pkcs8(&der)
    } else {
        ring::signature::RsaKeyPair::from_der(&der)
    };
    pair.map_err(|_| "not a usable RSA private key")
}

impl FetchJwt for IamSignedJwt {
    fn fetch<'a>(
        &'a self,
        provider: &'static str,
        identity_id: &'a str,
        cx: &'a LoginContext,
    ) -> BoxFuture<'a, Result<SecretString, CredentialsError>> {
        Box::pin(async move {
            let key = self.read_key(provider)?;
            let token_uri = key.token_uri.as_deref().unwrap_or(TOKEN_URI);
            let assertion = self.assertion(provider, &key, token_uri, cx)?;
            let form = form_urlencoded::Serializer::new(String::new())
                .append_pair("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer")
                .append_pair("assertion", &assertion)
                .finish();
            let request = http::Request::post(token_uri).header(
                http::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            );
            let route = "POST gcp-oauth token";
            let answer = cx.fetch(provider, route, false, request, Bytes::from(form));
            let token: OAuthToken = decode_json(provider, route, &answer.await?)?;

            let exp = cx
                .now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let exp = exp.saturating_add(900);
            let claims =
                serde_json::json!({"sub": key.client_email, "aud": identity_id, "exp": exp});
            let body = serde_json::json!({ "payload": claims.to_string() }).to_string();
            let email: String =
                form_urlencoded::byte_serialize(key.client_email.as_bytes()).collect();
            let path = format!("/v1/projects/-/serviceAccounts/{email}:signJwt");
            let request = http::Request::post(join(&self.iam_url, &path))
                .header(http::header::CONTENT_TYPE, "application/json")
                .header(
                    http::header::AUTHORIZATION,
                    format!("Bearer {}", token.access_token.expose()),
                );
            let route = "POST gcp-iam signJwt";
            let answer = cx.fetch(provider, route, false, request, Bytes::from(body));
            let signed: SignedJwt = decode_json(provider, route, &answer.await?)?;
            Ok(signed.signed_jwt)
        })
    }
}

impl From<GcpIamAuth> for LoginMethod {
    fn from(m: GcpIamAuth) -> Self {
        LoginMethod::new(JwtLogin {
            name: "gcp-iam",
            route: ROUTE,
            identity_id: m.identity_id,
            jwt: IamSignedJwt {
                key_file: m.key_file,
                iam_url: m.iam_url,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::testing::{body_of, fake};
    use serde_json::json;

    #[tokio::test]
    async fn the_id_token_comes_from_the_metadata_server() {
        let (cx, seen) = fake(|_| (200, "id.token.jwt\n".to_owned()));
        let method: LoginMethod = GcpIdTokenAuth::new("gcp id")
            .metadata_url("http://meta:8080")
            .into();
        assert_eq!(
            body_of(&method, &cx).await,
            json!({"identityId": "gcp id", "jwt": "id.token.jwt"})
        );
        let seen = seen.lock().unwrap();
        assert_eq!(
            seen[0].uri().to_string(),
            "http://meta:8080/computeMetadata/v1/instance/service-accounts/default/identity?audience=gcp+id&format=full"
        );
        assert_eq!(seen[0].headers()["metadata-flavor"], "Google");
    }

    #[tokio::test]
    async fn iam_signs_a_jwt_for_the_key_file() {
        let pair = josekit::jws::RS256.generate_key_pair(2048).unwrap();
        let pem = String::from_utf8(pair.to_pem_private_key()).unwrap();
        let key = json!({
            "type": "service_account",
            "client_email": "sa@proj.iam.gserviceaccount.com",
            "private_key": pem,
            "private_key_id": "kid-1",
            "token_uri": "http://oauth.test/token",
        });
        let path = std::env::temp_dir().join(format!("infisical-gcp-{}.json", std::process::id()));
        std::fs::write(&path, key.to_string()).unwrap();
        let (cx, seen) = fake(|r| match r.uri().path() {
            "/token" => (
                200,
                r#"{"access_token":"ya29.t","expires_in":3599}"#.to_owned(),
            ),
            _ => (
                200,
                r#"{"keyId":"k","signedJwt":"signed.by.iam"}"#.to_owned(),
            ),
        });
        let method: LoginMethod = GcpIamAuth::new("gcp-id", &path)
            .iam_credentials_url("http://iam.test")
            .into();
        assert_eq!(method.name(), "gcp-iam");
        assert_eq!(
            body_of(&method, &cx).await,
            json!({"identityId": "gcp-id", "jwt": "signed.by.iam"})
        );
        std::fs::remove_file(&path).unwrap();
        let seen = seen.lock().unwrap();
        let form: Vec<(String, String)> = form_urlencoded::parse(seen[0].body())
            .into_owned()
            .collect();
        assert_eq!(form[0].1, "urn:ietf:params:oauth:grant-type:jwt-bearer");
        let verifier = josekit::jws::RS256
            .verifier_from_pem(pair.to_pem_public_key())
            .unwrap();
        let (claims, header) = josekit::jwt::decode_with_verifier(&form[1].1, &verifier).unwrap();
        assert_eq!(header.key_id(), Some("kid-1"));
        assert_eq!(claims.issuer(), Some("sa@proj.iam.gserviceaccount.com"));
        assert_eq!(claims.claim("aud"), Some(&json!("http://oauth.test/token")));
        assert_eq!(
            seen[1].uri().to_string(),
            "http://iam.test/v1/projects/-/serviceAccounts/sa%40proj.iam.gserviceaccount.com:signJwt"
        );
        assert_eq!(seen[1].headers()["authorization"], "Bearer ya29.t");
        let body: serde_json::Value = serde_json::from_slice(seen[1].body()).unwrap();
        let payload: serde_json::Value =
            serde_json::from_str(body["payload"].as_str().unwrap()).unwrap();
        assert_eq!(
            payload,
            json!({"sub": "sa@proj.iam.gserviceaccount.com", "aud": "gcp-id", "exp": 1_440_938_160 + 900})
        );
    }
}
