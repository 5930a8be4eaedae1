//! Sending login requests over an injected HTTP client.

use bytes::Bytes;
use infisical_core::{ApiError, BoxError, CredentialsError, CredentialsErrorKind, RequestMeta};
use serde::de::DeserializeOwned;
use serde::Serialize;
use tower::util::BoxCloneSyncService;
use tower::ServiceExt;

/// The HTTP client logins go through: any tower service from `http::Request<Bytes>` to
/// `http::Response<Bytes>`. Requests carry absolute URIs.
///
/// The `infisical` facade passes its own connection pool here; a standalone user wraps
/// their HTTP stack of choice with [`tower::service_fn`] and
/// [`BoxCloneSyncService::new`].
pub type LoginClient = BoxCloneSyncService<http::Request<Bytes>, http::Response<Bytes>, BoxError>;

/// Posts `body` as JSON to `url` and reads the JSON answer.
pub(crate) async fn post_json<B: Serialize, T: DeserializeOwned>(
    client: &LoginClient,
    provider: &'static str,
    url: &str,
    route: &'static str,
    body: &B,
) -> Result<T, CredentialsError> {
    let body = serde_json::to_vec(body).map_err(|e| {
        CredentialsError::new(
            CredentialsErrorKind::Invalid,
            provider,
            format!("cannot encode the login: {e}"),
        )
    })?;
    let request = http::Request::post(url)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::ACCEPT, "application/json")
        .body(Bytes::from(body));
    let answer = send(client, provider, route, false, request).await?;
    decode_json(provider, route, &answer)
}

/// Reads a JSON answer of `route`.
pub(crate) fn decode_json<T: DeserializeOwned>(
    provider: &'static str,
    route: &'static str,
    body: &[u8],
) -> Result<T, CredentialsError> {
    serde_json::from_slice(body).map_err(|e| {
        let err = infisical_core::DecodeError::from_json(route, http::StatusCode::OK, &e);
        CredentialsError::new(CredentialsErrorKind::Unavailable, provider, err.to_string())
            .with_source(err)
    })
}

/// Sends `request` (tagged as `route`) and answers the body of a 2xx answer. An answer
/// that retrying cannot change (4xx, 3xx, 501) is `LoginRejected`; anything else that fails
/// is `Unavailable`.
pub(crate) async fn send(
    client: &LoginClient,
    provider: &'static str,
    route: &'static str,
    idempotent: bool,
    request: Result<http::Request<Bytes>, http::Error>,
) -> Result<Bytes, CredentialsError> {
    let fail = |kind, message: String| CredentialsError::new(kind, provider, message);
    let mut request = request.map_err(|e| {
        fail(
            CredentialsErrorKind::Invalid,
            format!("bad URL for {route}: {e}"),
        )
    })?;
    let secrets = secrets_in(request.body());
    request.extensions_mut().insert(RequestMeta {
        route,
        idempotent,
        deprecated: false,
    });
    let response = client.clone().oneshot(request).await.map_err(|e| {
        fail(
            CredentialsErrorKind::Unavailable,
            format!("{route} did not complete: {e}"),
        )
        .with_source(e)
    })?;
    let status = response.status();
    if !status.is_success() {
        let content_type = response
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok());
        let secrets: Vec<&str> = secrets.iter().map(|s| s.as_str()).collect();
        let api =
            ApiError::from_response(route, status, content_type, response.body()).redact(&secrets);
        // 408, 429 and 5xx may heal; a refusal or a redirect (a wrong base URL) will not.
        let kind = if api.is_retryable() {
            CredentialsErrorKind::Unavailable
        } else {
            CredentialsErrorKind::LoginRejected
        };
        return Err(fail(kind, api.to_string()).with_source(api));
    }
    Ok(response.into_body())
}

/// Keys of login bodies that name who logs in rather than prove it: kept in error messages.
const PUBLIC_KEYS: &[&str] = &[
    "identityId",
    "clientId",
    "username",
    "organizationSlug",
    "subOrganizationName",
    "iamHttpRequestMethod",
];

/// Every string a login body proves identity with (client secret, password, JWT, signed
/// AWS request, the token being renewed or revoked): what an echoing server must not get
/// into our errors. Zeroed when dropped.
fn secrets_in(body: &[u8]) -> Vec<zeroize::Zeroizing<String>> {
    fn collect(value: &serde_json::Value, out: &mut Vec<zeroize::Zeroizing<String>>) {
        match value {
            serde_json::Value::String(s) => out.push(zeroize::Zeroizing::new(s.clone())),
            serde_json::Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
            serde_json::Value::Object(map) => map
                .iter()
                .filter(|(k, _)| !PUBLIC_KEYS.contains(&k.as_str()))
                .for_each(|(_, v)| collect(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    if let Ok(value) = serde_json::from_slice::<serde_json::Value>(body) {
        collect(&value, &mut out);
    }
    out
}
