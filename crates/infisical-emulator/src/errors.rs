//! Error answers in the shapes Infisical's fastify error handler produces
//! (`backend/src/server/plugins/error-handler.ts`).

use serde_json::{json, Value};

use crate::util::req_id;
use crate::ServerMode;

/// An error a handler answers with. Rendered by [`ApiError::render`].
#[derive(Debug, Clone)]
pub(crate) enum ApiError {
    /// One of the server's error classes: `BadRequestError` (400, `BadRequest`),
    /// `NotFoundError` (404, `NotFound`), `UnauthorizedError` (401, `UnauthorizedError`),
    /// `ForbiddenRequestError` (403), a `jsonwebtoken` error (403, `TokenError`).
    /// `name` is the error's `name`, which some call sites override.
    Handled {
        status: u16,
        name: String,
        message: String,
    },
    /// A `ZodError`: 422 on modern servers, 401 on the October 2024 generation;
    /// `message` is the array of issues.
    Validation(Vec<Value>),
    /// Anything else: 500 `InternalServerError` "Something went wrong".
    Internal,
}

impl ApiError {
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Self::Handled {
            status: 400,
            name: "BadRequest".into(),
            message: message.into(),
        }
    }

    pub(crate) fn not_found(message: impl Into<String>) -> Self {
        Self::Handled {
            status: 404,
            name: "NotFound".into(),
            message: message.into(),
        }
    }

    /// A `NotFoundError` whose `name` was overridden at the throw site (the server does this for
    /// missing folders, e.g. `name: "Create secret"`).
    pub(crate) fn not_found_named(name: &str, message: impl Into<String>) -> Self {
        Self::Handled {
            status: 404,
            name: name.into(),
            message: message.into(),
        }
    }

    /// A `ForbiddenRequestError`: 403, `name` defaults to `ForbiddenError` on the server but
    /// the permission service names its own (e.g. "Identity is not a member of the specified
    /// project").
    pub(crate) fn forbidden(name: &str, message: impl Into<String>) -> Self {
        Self::Handled {
            status: 403,
            name: name.into(),
            message: message.into(),
        }
    }

    pub(crate) fn unauthorized(message: impl Into<String>) -> Self {
        Self::Handled {
            status: 401,
            name: "UnauthorizedError".into(),
            message: message.into(),
        }
    }

    pub(crate) fn token(message: impl Into<String>) -> Self {
        Self::Handled {
            status: 403,
            name: "TokenError".into(),
            message: message.into(),
        }
    }

    /// The status code and JSON body for this error in `mode`.
    pub(crate) fn render(&self, mode: ServerMode) -> (u16, Value) {
        let legacy = mode == ServerMode::Legacy;
        let (status, mut body) = match self {
            Self::Handled {
                status,
                name,
                message,
            } => (
                *status,
                json!({"statusCode": status, "message": message, "error": name}),
            ),
            Self::Validation(issues) => {
                let status = if legacy { 401 } else { 422 };
                (
                    status,
                    json!({"statusCode": status, "message": issues, "error": "ValidationFailure"}),
                )
            }
            Self::Internal => (
                500,
                json!({"statusCode": 500, "message": "Something went wrong", "error": "InternalServerError"}),
            ),
        };
        // The October 2024 handler sends no `reqId`; later ones put it first in every body.
        if !legacy {
            body["reqId"] = Value::String(req_id());
        }
        (status, body)
    }
}

/// Fastify's own not-found answer: no `reqId`, `error` is `"Not Found"` (with a space), and the
/// message carries the method and the raw URL including its query string.
pub(crate) fn route_not_found(method: &str, raw_url: &str) -> Value {
    json!({
        "message": format!("Route {method}:{raw_url} not found"),
        "error": "Not Found",
        "statusCode": 404,
    })
}

/// The error name and default message the server would use for a bare status code; used by
/// [`crate::Fault::status`].
pub(crate) fn canned(status: u16) -> (&'static str, &'static str) {
    match status {
        400 => ("BadRequest", "The request is invalid"),
        401 => (
            "UnauthorizedError",
            "You are not allowed to access this resource",
        ),
        403 => (
            "ForbiddenError",
            "You are not allowed to access this resource",
        ),
        404 => ("NotFound", "The requested entity is not found"),
        410 => ("Gone", "The requested entity is gone"),
        422 => ("ValidationFailure", "The request is invalid"),
        429 => (
            "RateLimitExceeded",
            "Rate limit exceeded. Please try again in 60 seconds",
        ),
        500 => ("InternalServerError", "Something went wrong"),
        502 => ("BadGateway", "Bad Gateway"),
        503 => ("ServiceUnavailable", "Service Unavailable"),
        504 => ("GatewayTimeoutError", "Timeout error"),
        _ => ("Error", "Something went wrong"),
    }
}
