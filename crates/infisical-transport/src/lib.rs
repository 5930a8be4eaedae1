//! The tower stack of the Infisical SDK, over hyper-util's pooled client with rustls.
//!
//! From the outside in, a request passes through:
//!
//! 0. [`RetryLayer`]: retries per [`RetryPolicy`] within an overall deadline (logins too),
//!    which it keeps in scope (a task-local) for the layers below to enforce;
//! 1. [`AuthLayer`]: adds `Authorization: Bearer …` (marked sensitive) to requests for the
//!    configured host only (the header value is built once per token); on a token
//!    rejection it invalidates that token, fetches a new one, and resends once — never
//!    more. Waiting for a token counts against the deadline.
//! 2. [`TraceLayer`]: one `tracing` span per attempt with the method, route template and
//!    status; never a header or a body.
//! 3. [`BaseUrlLayer`]: turns `/api/…` into an absolute URI and sets `User-Agent`.
//! 4. the user's own layers, which see the request exactly as it goes on the wire;
//! 5. the per-attempt timeout, which also enforces the overall deadline, so that an
//!    attempt arms one timer, not two (with user layers, the retry layer keeps a timer of
//!    its own, since a user layer may wait);
//! 6. the hyper client (HTTP/1.1 and HTTP/2 by ALPN), which reads the whole answer into
//!    [`Bytes`]: the credentials crate's
//!    [`HyperService`](infisical_credentials::HyperService), so logins and API calls
//!    share one implementation.
//!
//! Every service speaks `http::Request<Bytes>` → `http::Response<Bytes>` with
//! [`BoxError`] errors: see [`HttpService`]. [`into_error`] turns those errors back into
//! the SDK's typed [`Error`](infisical_core::Error).
//!
//! Most users get this stack from the `infisical` facade. Built by hand:
//!
//! ```no_run
//! # async fn run() -> Result<(), infisical_core::Error> {
//! use infisical_core::secrets::ListSecrets;
//! use infisical_core::{ApiGeneration, Operation};
//! use infisical_credentials::StaticToken;
//! use infisical_transport::{into_error, BaseUrl, RetryPolicy, TransportBuilder};
//! use std::sync::Arc;
//! use tower::ServiceExt;
//!
//! let transport = TransportBuilder::new(BaseUrl::parse("https://us.infisical.com")?)
//!     .retry(RetryPolicy::new().max_attempts(2))
//!     .build()?;
//! let service = transport.authenticated(Arc::new(StaticToken::new("access-token")));
//! let list = ListSecrets::new("project-id", "dev");
//! let answer = service.oneshot(list.to_http(ApiGeneration::Current)?).await.map_err(into_error)?;
//! let secrets = list.parse_response(answer)?;
//! println!("{} secrets", secrets.len());
//! # Ok(()) }
//! ```

// No panic on a path that a server's answer or a file on disk can reach: every remaining
// exception is a narrow `#[allow]` with its reason (see docs/reliability.md).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::arithmetic_side_effects,
        clippy::indexing_slicing
    )
)]

mod auth;
mod base_url;
mod builder;
mod error;
mod retry;
mod spare_timer;
mod timeout;
mod tls;
mod trace;

pub use auth::{AuthLayer, AuthService};
pub use base_url::{BaseUrl, BaseUrlLayer, BaseUrlService, SharedBaseUrl};
pub use builder::{
    Transport, TransportBuilder, UserLayer, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE,
    DEFAULT_MAX_BODY, DEFAULT_TIMEOUT,
};
pub use error::into_error;
pub use retry::{RetryLayer, RetryPolicy, RetryService};
pub use tls::{RootStore, TlsOptions};
pub use trace::{TraceFuture, TraceLayer, TraceService};

use bytes::Bytes;
pub use infisical_core::BoxError;
use tower::util::BoxCloneSyncService;

/// The service type every layer of the stack speaks.
pub type HttpService = BoxCloneSyncService<http::Request<Bytes>, http::Response<Bytes>, BoxError>;

/// A copy of a request, to send it again (bodies are `Bytes`, so this is cheap).
pub(crate) fn copy_request(request: &http::Request<Bytes>) -> http::Request<Bytes> {
    let mut copy = http::Request::new(request.body().clone());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    *copy.extensions_mut() = request.extensions().clone();
    copy
}
