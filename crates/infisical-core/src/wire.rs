//! Helpers shared by the request types: building URIs and bodies, reading answers.

use crate::{ApiError, Attempts, DecodeError, Error, InvalidRequest, RequestMeta};
use bytes::Bytes;
use http::{header, HeaderValue, Method, Response};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Characters escaped in a path segment (RFC 3986 `pchar` complement).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'[')
    .add(b']')
    .add(b'\\')
    .add(b'^')
    .add(b'|');

/// Appends `/segment`, percent-escaped, to `path`.
///
/// `.` and `..` are refused (as `field`): escaping cannot protect them, since `%2E` is `.`
/// to an RFC 3986 normaliser, and any proxy that normalises would send the request to
/// another route (`/api/v4/secrets/..` is `/api/v4`).
pub(crate) fn push_segment(
    path: &mut String,
    field: &'static str,
    segment: &str,
) -> Result<(), InvalidRequest> {
    if matches!(segment, "." | "..") {
        return Err(InvalidRequest::new(
            field,
            "cannot be `.` or `..`: proxies resolve those as path steps",
        ));
    }
    path.push('/');
    path.extend(utf8_percent_encode(segment, SEGMENT));
    Ok(())
}

/// A query string under construction.
pub(crate) struct Query(form_urlencoded::Serializer<'static, String>);

impl Query {
    pub(crate) fn new() -> Self {
        // Room for a list's query (project, environment, path and three flags: ~120
        // bytes), so that it is not grown three times on the way.
        Self(form_urlencoded::Serializer::new(String::with_capacity(128)))
    }

    pub(crate) fn add(&mut self, key: &str, value: &str) -> &mut Self {
        self.0.append_pair(key, value);
        self
    }

    pub(crate) fn flag(&mut self, key: &str, value: bool) -> &mut Self {
        self.add(key, if value { "true" } else { "false" })
    }

    /// Adds `key=true` only when `value` is set.
    pub(crate) fn flag_if(&mut self, key: &str, value: bool) -> &mut Self {
        if value {
            self.flag(key, true);
        }
        self
    }

    pub(crate) fn finish(mut self, path: &str) -> String {
        let query = self.0.finish();
        if query.is_empty() {
            return path.to_owned();
        }
        let mut uri =
            String::with_capacity(path.len().saturating_add(query.len()).saturating_add(1));
        uri.push_str(path);
        uri.push('?');
        uri.push_str(&query);
        uri
    }
}

/// Builds a request with no body.
pub(crate) fn empty_request(
    method: Method,
    uri: String,
    meta: RequestMeta,
) -> Result<http::Request<Bytes>, Error> {
    build(method, uri, meta, Bytes::new(), false)
}

/// Builds a request with a JSON body.
pub(crate) fn json_request<B: Serialize>(
    method: Method,
    uri: String,
    meta: RequestMeta,
    body: &B,
) -> Result<http::Request<Bytes>, Error> {
    let body = serde_json::to_vec(body)
        .map_err(|e| InvalidRequest::new("body", format!("cannot be encoded as JSON: {e}")))?;
    build(method, uri, meta, Bytes::from(body), true)
}

/// `application/json`, as a header value made once (text is checked and copied at each use).
const JSON: HeaderValue = HeaderValue::from_static("application/json");

fn build(
    method: Method,
    uri: String,
    meta: RequestMeta,
    body: Bytes,
    json: bool,
) -> Result<http::Request<Bytes>, Error> {
    // Set in place: `http::request::Builder` carries a `Result` through a closure per
    // part, more code on every call for nothing a request of ours can fail but its URI.
    let uri = http::Uri::try_from(uri)
        .map_err(|e| InvalidRequest::new("uri", format!("cannot form a request: {e}")))?;
    let mut request = http::Request::new(body);
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    let headers = request.headers_mut();
    headers.insert(header::ACCEPT, JSON);
    if json {
        headers.insert(header::CONTENT_TYPE, JSON);
    }
    request.extensions_mut().insert(meta);
    Ok(request)
}

/// Reads a JSON answer, or the error the server sent instead.
pub(crate) fn decode_json<T: DeserializeOwned>(
    route: &'static str,
    response: Response<Bytes>,
) -> Result<T, Error> {
    decode_json_with(route, response, |body| serde_json::from_slice(body))
}

/// [`decode_json`] with a decoder of one's own for a successful answer's body.
pub(crate) fn decode_json_with<T>(
    route: &'static str,
    response: Response<Bytes>,
    decode: impl FnOnce(&[u8]) -> serde_json::Result<T>,
) -> Result<T, Error> {
    let status = response.status();
    if !status.is_success() {
        return Err(api_error(route, &response).into());
    }
    decode(response.body()).map_err(|e| DecodeError::from_json(route, status, &e).into())
}

/// The error carried by a non-success answer.
pub(crate) fn api_error(route: &'static str, response: &Response<Bytes>) -> ApiError {
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok());
    let attempts = response.extensions().get::<Attempts>().map_or(1, |a| a.0);
    ApiError::from_response(route, response.status(), content_type, response.body())
        .with_attempts(attempts)
}

/// Normalizes a folder path as the server does: trimmed, leading `/`, no trailing `/`.
pub(crate) fn normalize_path(path: &str) -> String {
    let trimmed = path.trim().trim_end_matches('/');
    if trimmed.is_empty() {
        "/".to_owned()
    } else if trimmed.starts_with('/') {
        trimmed.to_owned()
    } else {
        format!("/{trimmed}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_escaped() {
        let mut p = String::from("/api/v4/secrets");
        push_segment(&mut p, "name", "A B/C?%").unwrap();
        assert_eq!(p, "/api/v4/secrets/A%20B%2FC%3F%25");
    }

    #[test]
    fn paths_are_normalized() {
        assert_eq!(normalize_path(""), "/");
        assert_eq!(normalize_path(" /app/ "), "/app");
        assert_eq!(normalize_path("app/db"), "/app/db");
        assert_eq!(normalize_path("/"), "/");
    }
}
