//! The practical limit: a bare hyper-util client sending the SDK's requests byte for byte
//! and decoding the answers into the SDK's structs, with nothing else — no retries, no
//! timeouts (unless asked for one), no body limit, no tracing, no token refresh.

use crate::BoxError;
use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{HeaderValue, Method, Request, Response, Uri};
use http_body_util::{BodyExt, Full};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use infisical::secrets::{ListSecrets, SecretList};
use infisical::Operation;
use serde::Deserialize;
use std::sync::Arc;
use std::time::Duration;

/// The same connector as the SDK's (rustls with Mozilla's roots, HTTP/1.1 and HTTP/2 by
/// ALPN, plain HTTP allowed), pooled the same way.
pub struct Baseline {
    client: Client<HttpsConnector<HttpConnector>, Full<Bytes>>,
    base: String,
    user_agent: HeaderValue,
    authorization: Option<HeaderValue>,
    timeout: Option<Duration>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginAnswer {
    access_token: String,
}

impl Baseline {
    /// A client for the server at `base` (such as `http://127.0.0.1:8080`); with `timeout`,
    /// each exchange runs under a tokio timeout of that length.
    pub fn new(base: &str, timeout: Option<Duration>) -> Result<Self, BoxError> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let roots = rustls::RootCertStore {
            roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
        };
        let tls = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth();
        let mut http = HttpConnector::new();
        http.enforce_http(false);
        http.set_connect_timeout(Some(Duration::from_secs(10)));
        http.set_nodelay(true);
        let https = HttpsConnectorBuilder::new()
            .with_tls_config(tls)
            .https_or_http()
            .enable_http1()
            .enable_http2()
            .wrap_connector(http);
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .build(https);
        Ok(Self {
            client,
            base: base.trim_end_matches('/').to_owned(),
            user_agent: HeaderValue::from_static(infisical_core::USER_AGENT),
            authorization: None,
            timeout,
        })
    }

    /// Logs in with universal auth, as the SDK does, and keeps the access token.
    pub async fn login(&mut self, client_id: &str, client_secret: &str) -> Result<(), BoxError> {
        let body = serde_json::to_vec(&serde_json::json!({
            "clientId": client_id,
            "clientSecret": client_secret,
        }))?;
        let request = Request::builder()
            .method(Method::POST)
            .uri(format!("{}/api/v1/auth/universal-auth/login", self.base))
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/json")
            .header(USER_AGENT, self.user_agent.clone())
            .body(Full::new(Bytes::from(body)))?;
        let answer: LoginAnswer = self.exchange(request).await?;
        let mut bearer = HeaderValue::try_from(format!("Bearer {}", answer.access_token))?;
        bearer.set_sensitive(true);
        self.authorization = Some(bearer);
        Ok(())
    }

    /// The URI of the SDK's `ListSecrets::new(project, "dev").path(path)`.
    pub fn list_uri(&self, project: &str, path: &str) -> Result<Uri, BoxError> {
        Ok(format!("{}{}", self.base, list_path_and_query(project, path)).parse()?)
    }

    /// Lists a folder: one GET, the whole body, one `serde_json::from_slice` into the SDK's
    /// `SecretList`.
    ///
    /// The decoding is `decode`'s: `ListSecrets::parse_response`, which checks the status
    /// and calls `serde_json::from_slice::<SecretList>`. Calling `from_slice` here instead
    /// would compile a second copy of the same generic code, and two copies of it differ
    /// by up to 2 % in instructions by the compiler's whims alone (seen: 779k and 765k
    /// instructions per call for this unchanged function in two builds), which would
    /// drown what the comparison is about.
    pub async fn list(&self, uri: &Uri, decode: &ListSecrets) -> Result<SecretList, BoxError> {
        let mut request = Request::new(Full::new(Bytes::new()));
        *request.uri_mut() = uri.clone();
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, self.user_agent.clone());
        if let Some(bearer) = &self.authorization {
            headers.insert(AUTHORIZATION, bearer.clone());
        }
        let response = self.send(request).await?;
        Ok(decode.parse_response(response)?)
    }

    async fn exchange<T: serde::de::DeserializeOwned>(
        &self,
        request: Request<Full<Bytes>>,
    ) -> Result<T, BoxError> {
        let response = self.send(request).await?;
        if !response.status().is_success() {
            let body = String::from_utf8_lossy(response.body());
            return Err(format!("HTTP {}: {body}", response.status()).into());
        }
        Ok(serde_json::from_slice(response.body())?)
    }

    /// Sends `request` and reads the whole answer.
    async fn send(&self, request: Request<Full<Bytes>>) -> Result<Response<Bytes>, BoxError> {
        let response = match self.timeout {
            Some(timeout) => tokio::time::timeout(timeout, self.client.request(request)).await??,
            None => self.client.request(request).await?,
        };
        let (parts, body) = response.into_parts();
        let body = body.collect().await?.to_bytes();
        Ok(Response::from_parts(parts, body))
    }
}

/// `/api/v4/secrets?…` exactly as the SDK builds it for the environment `dev`.
fn list_path_and_query(project: &str, path: &str) -> String {
    let query = [
        ("projectId", project),
        ("environment", "dev"),
        ("secretPath", path),
        ("expandSecretReferences", "true"),
    ];
    let mut encoded = String::new();
    for (i, (key, value)) in query.iter().enumerate() {
        if i > 0 {
            encoded.push('&');
        }
        encoded.push_str(key);
        encoded.push('=');
        encoded.push_str(&form_encode(value));
    }
    format!("/api/v4/secrets?{encoded}")
}

/// `application/x-www-form-urlencoded`, as the SDK's query builder writes it.
fn form_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use infisical::ApiGeneration;

    /// The baseline must send what the SDK sends, or the comparison means nothing.
    #[test]
    fn the_baseline_sends_the_sdks_request() {
        for path in ["/", "/large", "/a b/ü"] {
            let sdk = ListSecrets::new("5f2c-project", "dev")
                .path(path)
                .to_http(ApiGeneration::Current)
                .unwrap();
            assert_eq!(
                sdk.uri().to_string(),
                list_path_and_query("5f2c-project", path)
            );
            assert_eq!(sdk.method(), Method::GET);
            assert_eq!(sdk.headers()[ACCEPT], "application/json");
        }
    }
}
