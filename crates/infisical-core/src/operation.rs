//! How one API call is described: built into an HTTP request, read back from the answer.

use crate::{Error, InvalidRequest};
use bytes::Bytes;

/// Which generation of a route to use.
///
/// Newer servers serve [`Current`](ApiGeneration::Current) routes (for secrets,
/// `/api/v4/secrets`); servers of 2024 only have the [`Legacy`](ApiGeneration::Legacy)
/// ones (`/api/v3/secrets/raw`). The client starts with `Current` and falls back, once
/// per client and [`RouteFamily`], when the server says it lacks the route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiGeneration {
    /// The newest routes.
    Current,
    /// The routes of older servers.
    Legacy,
}

/// A group of routes that a server either has in its current generation or does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RouteFamily {
    /// Routes that do not change between generations (authentication).
    Stable,
    /// `/api/v4/secrets` versus `/api/v3/secrets/raw`.
    Secrets,
    /// `/api/v2/folders` versus `/api/v1/folders`.
    Folders,
    /// `/api/v1/projects/{projectId}/environments` versus `/api/v1/workspace/{workspaceId}/environments`.
    Environments,
    /// `/api/v1/projects` versus `/api/v1/workspace` (and `/api/v2/workspace`).
    Projects,
    /// `/api/v1/projects/{projectId}/tags` versus `/api/v1/workspace/{projectId}/tags`.
    Tags,
    /// `/api/v2/secret-imports` versus `/api/v1/secret-imports`.
    SecretImports,
}

impl RouteFamily {
    /// A small distinct index per family, to keep fallback state in a bit set.
    pub fn index(self) -> u32 {
        match self {
            RouteFamily::Stable => 0,
            RouteFamily::Secrets => 1,
            RouteFamily::Folders => 2,
            RouteFamily::Environments => 3,
            RouteFamily::Projects => 4,
            RouteFamily::Tags => 5,
            RouteFamily::SecretImports => 6,
        }
    }
}

/// Facts about a request that the transport layers read from its extensions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestMeta {
    /// The route template, such as `GET /api/v4/secrets/{secretName}`; used in traces and
    /// errors instead of the concrete path.
    pub route: &'static str,
    /// Whether sending the request twice has the same effect as sending it once.
    pub idempotent: bool,
    /// Set when the route is deprecated upstream: the client logs a warning on each call.
    pub deprecated: bool,
}

/// How many attempts a request took, set by the transport's retry layer on the answer's
/// extensions (absent: one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempts(pub u32);

/// One API call: validated, built into an [`http::Request`], and read back from the answer.
///
/// Requests carry a relative URI (`/api/...`); the transport adds the base URL. The
/// request's extensions hold its [`RequestMeta`].
pub trait Operation {
    /// What a successful call returns.
    type Output;

    /// Which family of routes the call belongs to (for the fallback to older routes).
    fn family(&self) -> RouteFamily;

    /// Checks the parameters; nothing is sent when this fails.
    fn validate(&self) -> Result<(), InvalidRequest>;

    /// Builds the HTTP request for `generation`, after [`validate`](Operation::validate).
    fn to_http(&self, generation: ApiGeneration) -> Result<http::Request<Bytes>, Error>;

    /// Reads the answer to a request built by [`to_http`](Operation::to_http).
    fn parse_response(&self, response: http::Response<Bytes>) -> Result<Self::Output, Error>;
}
