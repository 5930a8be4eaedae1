//! The simplest thing a user could write instead of an SDK, which every figure is measured
//! against: hyper-util's legacy client over a plain `HttpConnector` for an `http://` server
//! (TLS set up only for `https://`), the SDK's list request, and serde_json decoding only the
//! 8 fields the official Rust SDK decodes, into a struct of its own. A universal-auth login,
//! renewed by one single-flight login at 90 % of `expiresIn`. Nothing else: no retries, no
//! timeouts (unless asked for one), no body limit, no tracing. It shares no type with the SDK.

use crate::harness::{BoxError, Lister, Listing, Target};
use bytes::Bytes;
use http::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT};
use http::{HeaderValue, Method, Request, Response, Uri};
use http_body_util::{BodyExt, Full};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde::Deserialize;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// A secret as a minimal client decodes it: the official Rust SDK's fields. All are decoded
/// (that is the cost measured); the workloads read only the value.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct BaselineSecret {
    /// The secret's id.
    #[serde(rename = "_id")]
    pub id: String,
    /// The project's id.
    pub workspace: String,
    /// The version.
    pub version: u64,
    /// `shared` or `personal`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The environment's slug.
    pub environment: String,
    /// The name.
    #[serde(rename = "secretKey")]
    pub key: String,
    /// The value.
    #[serde(rename = "secretValue")]
    pub value: String,
    /// The comment.
    #[serde(rename = "secretComment")]
    pub comment: String,
}

#[derive(Deserialize)]
struct ListAnswer {
    secrets: Vec<BaselineSecret>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LoginAnswer {
    access_token: String,
    expires_in: u64,
}

/// Plain HTTP for `http://`, rustls for `https://`: what a user writes for the one server
/// they talk to.
enum Connection {
    Plain(Client<HttpConnector, Full<Bytes>>),
    Tls(Client<HttpsConnector<HttpConnector>, Full<Bytes>>),
}

/// The bearer header and when to log in again.
struct Token {
    bearer: HeaderValue,
    renew_at: Instant,
}

/// A minimal Infisical client.
pub struct Baseline {
    connection: Connection,
    base: String,
    client_id: String,
    client_secret: String,
    token: RwLock<Option<Arc<Token>>>,
    /// One login at a time; the others wait for it and take its token.
    login: tokio::sync::Mutex<()>,
    timeout: Option<Duration>,
}

impl Baseline {
    /// A client for the server at `base` (such as `http://127.0.0.1:8080`) with a universal
    /// auth identity; with `timeout`, each exchange runs under a tokio timeout of that length.
    pub fn new(
        base: &str,
        client_id: &str,
        client_secret: &str,
        timeout: Option<Duration>,
    ) -> Result<Self, BoxError> {
        let mut http = HttpConnector::new();
        http.set_nodelay(true);
        let builder = Client::builder(TokioExecutor::new());
        let connection = if base.starts_with("https://") {
            http.enforce_http(false);
            let roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            let tls = rustls::ClientConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_no_client_auth();
            let https = HttpsConnectorBuilder::new()
                .with_tls_config(tls)
                .https_only()
                .enable_http1()
                .enable_http2()
                .wrap_connector(http);
            Connection::Tls(builder.build(https))
        } else {
            Connection::Plain(builder.build(http))
        };
        Ok(Self {
            connection,
            base: base.trim_end_matches('/').to_owned(),
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            token: RwLock::new(None),
            login: tokio::sync::Mutex::new(()),
            timeout,
        })
    }

    /// The URI of a list of `path` in the environment `dev`, as the SDK sends it.
    pub fn list_uri(&self, project: &str, path: &str) -> Result<Uri, BoxError> {
        Ok(format!("{}{}", self.base, list_path_and_query(project, path)).parse()?)
    }

    /// Lists a folder: one GET, the whole body, one `serde_json::from_slice`.
    pub async fn list(&self, uri: &Uri) -> Result<Vec<BaselineSecret>, BoxError> {
        let answer: ListAnswer = self.list_with(uri, |r| decode(&r)).await?;
        Ok(answer.secrets)
    }

    /// Lists a folder and reads the answer with `read` (the "baseline's transport, SDK's
    /// decoding" row, which splits the SDK's cost between its transport and its decoding).
    pub async fn list_with<T>(
        &self,
        uri: &Uri,
        read: impl FnOnce(Response<Bytes>) -> Result<T, BoxError>,
    ) -> Result<T, BoxError> {
        let mut request = Request::new(Full::new(Bytes::new()));
        *request.uri_mut() = uri.clone();
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, HeaderValue::from_static("baseline"));
        headers.insert(AUTHORIZATION, self.bearer().await?);
        read(self.send(request).await?)
    }

    /// The current bearer header, logging in first when there is none or it is due.
    async fn bearer(&self) -> Result<HeaderValue, BoxError> {
        if let Some(token) = self.current() {
            return Ok(token.bearer.clone());
        }
        let _one_login = self.login.lock().await;
        if let Some(token) = self.current() {
            return Ok(token.bearer.clone());
        }
        let token = self.log_in().await?;
        let bearer = token.bearer.clone();
        *self.token.write().map_err(|_| "poisoned")? = Some(Arc::new(token));
        Ok(bearer)
    }

    fn current(&self) -> Option<Arc<Token>> {
        let token = self.token.read().ok()?.clone()?;
        (Instant::now() < token.renew_at).then_some(token)
    }

    async fn log_in(&self) -> Result<Token, BoxError> {
        let body = serde_json::to_vec(&serde_json::json!({
            "clientId": self.client_id,
            "clientSecret": self.client_secret,
        }))?;
        let request = Request::builder()
            .method(Method::POST)
            .uri(format!("{}/api/v1/auth/universal-auth/login", self.base))
            .header(ACCEPT, "application/json")
            .header(CONTENT_TYPE, "application/json")
            .header(USER_AGENT, "baseline")
            .body(Full::new(Bytes::from(body)))?;
        let answer: LoginAnswer = decode(&self.send(request).await?)?;
        let mut bearer = HeaderValue::try_from(format!("Bearer {}", answer.access_token))?;
        bearer.set_sensitive(true);
        let lifetime = Duration::from_secs(answer.expires_in.min(u64::from(u32::MAX)));
        Ok(Token {
            bearer,
            renew_at: Instant::now() + lifetime.mul_f64(0.9),
        })
    }

    /// Sends `request` and reads the whole answer.
    async fn send(&self, request: Request<Full<Bytes>>) -> Result<Response<Bytes>, BoxError> {
        let exchange = async {
            let response = match &self.connection {
                Connection::Plain(client) => client.request(request).await?,
                Connection::Tls(client) => client.request(request).await?,
            };
            let (parts, body) = response.into_parts();
            let body = body.collect().await?.to_bytes();
            Ok::<_, BoxError>(Response::from_parts(parts, body))
        };
        match self.timeout {
            Some(timeout) => tokio::time::timeout(timeout, exchange).await?,
            None => exchange.await,
        }
    }
}

fn decode<T: serde::de::DeserializeOwned>(response: &Response<Bytes>) -> Result<T, BoxError> {
    if !response.status().is_success() {
        return Err(format!("HTTP {}", response.status()).into());
    }
    Ok(serde_json::from_slice(response.body())?)
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

/// The baseline, listing one folder.
pub struct Minimal {
    client: Baseline,
    uri: Uri,
}

impl Minimal {
    /// A client of `target` listing `folder`, with a tokio timeout around each exchange
    /// when `timeout` is given.
    pub fn new(target: &Target, folder: &str, timeout: Option<Duration>) -> Result<Self, BoxError> {
        let client = Baseline::new(
            &target.url,
            &target.client_id,
            &target.client_secret,
            timeout,
        )?;
        let uri = client.list_uri(&target.project, folder)?;
        Ok(Self { client, uri })
    }

    /// Lists the folder, reading the answer with `read` (see [`Baseline::list_with`]).
    pub async fn list_with<T>(
        &self,
        read: impl FnOnce(Response<Bytes>) -> Result<T, BoxError>,
    ) -> Result<T, BoxError> {
        self.client.list_with(&self.uri, read).await
    }
}

impl Lister for Minimal {
    type List = Vec<BaselineSecret>;
    async fn list(&self) -> Result<Vec<BaselineSecret>, BoxError> {
        self.client.list(&self.uri).await
    }
}

impl Listing for Vec<BaselineSecret> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn first_value(&self) -> Option<&str> {
        Some(self.first()?.value.as_str())
    }
    fn values_have_len(&self, len: usize) -> bool {
        self.iter().all(|s| s.value.len() == len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use infisical::secrets::ListSecrets;
    use infisical::{ApiGeneration, Operation};

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
