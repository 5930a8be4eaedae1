//! Errors answered by the server.

use http::StatusCode;
use serde::Deserialize;
use serde_json::Value;

/// The server answered with an error status.
///
/// Built from Infisical's error body `{reqId, statusCode, message, error, details}`, where
/// `message` is a string, or an array of issues for validation failures. A body that is not
/// JSON (a proxy's HTML page) still gives a typed error with the status.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .0)]
pub struct ApiError(Box<Inner>);

#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "{route} failed with {status}{}: {message}{}{}",
    name_suffix(.error),
    req_suffix(.request_id),
    attempts_suffix(*.attempts)
)]
struct Inner {
    attempts: u32,
    route: &'static str,
    status: StatusCode,
    message: String,
    error: Option<String>,
    request_id: Option<String>,
    issues: Vec<Value>,
    details: Option<Value>,
}

fn name_suffix(name: &Option<String>) -> String {
    name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default()
}

pub(crate) fn attempts_suffix(attempts: u32) -> String {
    if attempts > 1 {
        format!(" (after {attempts} attempts)")
    } else {
        String::new()
    }
}

fn req_suffix(id: &Option<String>) -> String {
    id.as_ref()
        .map(|id| format!(" [reqId {id}]"))
        .unwrap_or_default()
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ErrorBody {
    req_id: Option<String>,
    message: Option<Value>,
    error: Option<String>,
    details: Option<Value>,
}

impl ApiError {
    /// Reads an error answer. `content_type` is the answer's `Content-Type`, if any.
    pub fn from_response(
        route: &'static str,
        status: StatusCode,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Self {
        match serde_json::from_slice::<ErrorBody>(body) {
            Ok(parsed) => Self::from_body(route, status, parsed),
            Err(_) => Self(Box::new(Inner {
                attempts: 1,
                route,
                status,
                message: format!(
                    "the server answered with a non-JSON body ({}, {} bytes)",
                    content_type.unwrap_or("no content type"),
                    body.len()
                ),
                error: None,
                request_id: None,
                issues: Vec::new(),
                details: None,
            })),
        }
    }

    fn from_body(route: &'static str, status: StatusCode, body: ErrorBody) -> Self {
        let (message, issues) = match body.message {
            Some(Value::String(s)) => (s, Vec::new()),
            Some(Value::Array(items)) => (join_issues(&items), items),
            Some(other) => (other.to_string(), Vec::new()),
            None => (
                status.canonical_reason().unwrap_or("error").to_owned(),
                Vec::new(),
            ),
        };
        Self(Box::new(Inner {
            attempts: 1,
            route,
            status,
            message,
            error: body.error,
            request_id: body.req_id,
            issues,
            details: body.details,
        }))
    }

    /// The same error with every occurrence of each of `secrets` (the client's own: its
    /// access token, client secret, password, JWT) replaced by `[REDACTED]` in the message,
    /// the error name, the request id, the issues and the details: for servers and proxies
    /// that echo a request back in their error. Secrets shorter than 4 characters are
    /// left alone (replacing them would garble the message and hide nothing).
    pub fn redact(mut self, secrets: &[&str]) -> Self {
        let secrets: Vec<&str> = secrets.iter().copied().filter(|s| s.len() >= 4).collect();
        if secrets.is_empty() {
            return self;
        }
        let inner = &mut *self.0;
        redact_text(&mut inner.message, &secrets);
        for text in [&mut inner.error, &mut inner.request_id]
            .into_iter()
            .flatten()
        {
            redact_text(text, &secrets);
        }
        for value in inner.issues.iter_mut().chain(inner.details.as_mut()) {
            redact_value(value, &secrets);
        }
        self
    }

    /// Records how many attempts were made before this answer.
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.0.attempts = attempts.max(1);
        self
    }

    /// How many attempts were made (1 when the request was not retried).
    pub fn attempts(&self) -> u32 {
        self.0.attempts
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.0.status
    }

    /// The route template that failed, such as `GET /api/v4/secrets`.
    pub fn route(&self) -> &'static str {
        self.0.route
    }

    /// The server's message; validation issues are joined into one line.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The server's error name (`error`), such as `NotFound` or `TokenError`.
    pub fn error_name(&self) -> Option<&str> {
        self.0.error.as_deref()
    }

    /// The server's request id (`reqId`), when it sent one.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The validation issues of a `ValidationFailure`, as the server sent them.
    pub fn issues(&self) -> &[Value] {
        &self.0.issues
    }

    /// The server's `details`, when it sent some.
    pub fn details(&self) -> Option<&Value> {
        self.0.details.as_ref()
    }

    /// The server does not have this route at all (an older server): a 404 whose body says
    /// `Route … not found`, as opposed to a resource that does not exist.
    pub fn is_route_not_found(&self) -> bool {
        self.0.status == StatusCode::NOT_FOUND
            && self.0.error.as_deref() != Some("NotFound")
            && self.0.message.starts_with("Route ")
            && self.0.message.ends_with(" not found")
    }

    /// The resource does not exist.
    pub fn is_not_found(&self) -> bool {
        self.0.status == StatusCode::NOT_FOUND && !self.is_route_not_found()
    }

    /// A validation failure (422, or 401 on some server generations).
    pub fn is_validation(&self) -> bool {
        self.0.error.as_deref() == Some("ValidationFailure")
            || self.0.status == StatusCode::UNPROCESSABLE_ENTITY
    }

    /// The access token was refused and a fresh one may succeed: `TokenError` with 401 or
    /// 403, or a 401 that is not a validation failure.
    pub fn is_token_rejected(&self) -> bool {
        let token_error = self.0.error.as_deref() == Some("TokenError");
        match self.0.status {
            StatusCode::FORBIDDEN => token_error,
            StatusCode::UNAUTHORIZED => token_error || !self.is_validation(),
            _ => false,
        }
    }

    /// The route serves users' sessions only and refused the caller, a machine identity
    /// (or another token kind): the 403 of Infisical's `verifyAuth`, named
    /// `Forbidden access to …`. Approval requests and a secret's versions are such routes:
    /// call them with a user's credentials (the CLI's login, a user's access token).
    pub fn is_users_only(&self) -> bool {
        self.0.status == StatusCode::FORBIDDEN
            && self
                .0
                .error
                .as_deref()
                .is_some_and(|e| e.starts_with("Forbidden access to "))
    }

    /// 401 or 403 that is not a validation failure.
    pub fn is_auth(&self) -> bool {
        matches!(
            self.0.status,
            StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN
        ) && !self.is_validation()
    }

    /// Whether the status is worth trying again: see [`is_retryable_status`].
    pub fn is_retryable(&self) -> bool {
        is_retryable_status(self.0.status)
    }
}

/// The statuses worth trying again, the one list the SDK uses (the transport's retries, the
/// cache's stale-if-error, [`ApiError::is_retryable`]): 408, 429, 500, 502, 503, 504. A 429
/// was not processed, so the transport retries it for writes too; the others, for reads
/// only.
pub fn is_retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 500 | 502 | 503 | 504)
}

const REDACTED: &str = "[REDACTED]";

fn redact_text(text: &mut String, secrets: &[&str]) {
    for secret in secrets {
        if text.contains(secret) {
            *text = text.replace(secret, REDACTED);
        }
    }
}

fn redact_value(value: &mut Value, secrets: &[&str]) {
    match value {
        Value::String(text) => redact_text(text, secrets),
        Value::Array(items) => items.iter_mut().for_each(|v| redact_value(v, secrets)),
        Value::Object(map) => map.values_mut().for_each(|v| redact_value(v, secrets)),
        _ => {}
    }
}

fn join_issues(items: &[Value]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|item| {
            let message = item
                .get("message")
                .and_then(Value::as_str)
                .unwrap_or("invalid");
            let path = item
                .get("path")
                .and_then(Value::as_array)
                .map(|p| {
                    p.iter()
                        .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join(".")
                })
                .unwrap_or_default();
            if path.is_empty() {
                message.to_owned()
            } else {
                format!("{path}: {message}")
            }
        })
        .collect();
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redact_removes_the_clients_secrets_everywhere() {
        let body = serde_json::json!({
            "reqId": "req-s3cr3t-token",
            "statusCode": 400,
            "message": [{"message": "bad s3cr3t-token", "path": ["s3cr3t-token"]}],
            "error": "Echo s3cr3t-token",
            "details": {"headers": {"authorization": "Bearer s3cr3t-token"}, "n": [1, "pw-hunter2"]},
        });
        let e = ApiError::from_response(
            "POST /x",
            StatusCode::BAD_REQUEST,
            None,
            body.to_string().as_bytes(),
        )
        .redact(&["s3cr3t-token", "pw-hunter2", "", "ab"]);
        let shown = format!("{e} {e:?}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("hunter2"),
            "{shown}"
        );
        assert!(shown.contains("[REDACTED]"), "{shown}");
        assert!(shown.contains("POST /x"), "{shown}");
    }

    fn parse(status: u16, body: &str) -> ApiError {
        ApiError::from_response(
            "GET /api/v4/secrets",
            StatusCode::from_u16(status).unwrap(),
            Some("application/json"),
            body.as_bytes(),
        )
    }

    #[test]
    fn route_not_found_is_told_from_resource_not_found() {
        let route = parse(
            404,
            r#"{"message":"Route GET:/api/v4/secrets?projectId=x not found","error":"Not Found","statusCode":404}"#,
        );
        assert!(route.is_route_not_found());
        assert!(!route.is_not_found());
        let resource = parse(
            404,
            r#"{"statusCode":404,"message":"Secret not found","error":"NotFound"}"#,
        );
        assert!(!resource.is_route_not_found());
        assert!(resource.is_not_found());
    }

    #[test]
    fn validation_401_is_not_a_token_rejection() {
        let e = parse(
            401,
            r#"{"statusCode":401,"message":[{"code":"invalid_enum_value","path":["recursive"],"message":"Invalid enum value"}],"error":"ValidationFailure"}"#,
        );
        assert!(!e.is_token_rejected());
        assert!(e.is_validation());
        assert_eq!(e.message(), "recursive: Invalid enum value");
        assert_eq!(e.issues().len(), 1);
    }

    #[test]
    fn token_errors_are_rejections() {
        assert!(parse(
            403,
            r#"{"statusCode":403,"message":"invalid token","error":"TokenError"}"#
        )
        .is_token_rejected());
        assert!(parse(
            401,
            r#"{"statusCode":401,"message":"x","error":"UnauthorizedError"}"#
        )
        .is_token_rejected());
        assert!(!parse(
            403,
            r#"{"statusCode":403,"message":"no","error":"PermissionDenied"}"#
        )
        .is_token_rejected());
    }

    #[test]
    fn users_only_routes_are_told_apart_from_other_refusals() {
        let refused = parse(
            403,
            r#"{"reqId":"r","statusCode":403,"message":"You are not allowed to access this resource","error":"Forbidden access to /api/v1/secret-approval-requests?workspaceId=p"}"#,
        );
        assert!(refused.is_users_only());
        assert!(refused.is_auth());
        assert!(!refused.is_token_rejected());
        for (status, body) in [
            (
                403,
                r#"{"statusCode":403,"message":"no","error":"PermissionDenied"}"#,
            ),
            (
                403,
                r#"{"statusCode":403,"message":"x","error":"TokenError"}"#,
            ),
            (
                401,
                r#"{"statusCode":401,"message":"x","error":"Forbidden access to /x"}"#,
            ),
            (403, r#"{"statusCode":403,"message":"x"}"#),
        ] {
            assert!(!parse(status, body).is_users_only(), "{body}");
        }
    }

    #[test]
    fn request_id_and_name_are_kept() {
        let e = parse(
            500,
            r#"{"reqId":"req-1","statusCode":500,"message":"boom","error":"InternalServerError"}"#,
        );
        assert_eq!(e.request_id(), Some("req-1"));
        assert_eq!(e.error_name(), Some("InternalServerError"));
        assert!(e.is_retryable());
        assert!(e.to_string().contains("req-1"));
    }

    #[test]
    fn html_body_gives_a_typed_error() {
        let e = ApiError::from_response(
            "GET /api/v4/secrets",
            StatusCode::BAD_GATEWAY,
            Some("text/html"),
            b"<html><body>502 Bad Gateway</body></html>",
        );
        assert_eq!(e.status(), StatusCode::BAD_GATEWAY);
        assert!(e.message().contains("non-JSON"));
        assert!(e.is_retryable());
    }
}
