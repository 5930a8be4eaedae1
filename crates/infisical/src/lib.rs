//! Rust SDK for [Infisical](https://infisical.com), the open-source secrets manager.
//!
//! - [`Client`]: async, cheap to clone, `Send + Sync`;
//!   [`blocking::Client`]: the same methods for code without a runtime, from one
//!   implementation.
//! - Credentials from a chain: given in code, else `INFISICAL_*` environment variables,
//!   else the Infisical CLI's own login. Universal auth is logged in and renewed ahead of
//!   expiry with one refresh in flight; any [`TokenSource`] can be plugged in.
//! - Every call checks its required parameters before sending, and fails with a typed
//!   [`Error`] that carries the server's status, message and request id.
//! - Servers without `/api/v4/secrets` are detected on the first call and served through
//!   `/api/v3/secrets/raw` from then on.
//! - No secret ever shows in `Debug` output or in logs.
//!
//! # Quick start
//!
//! ```no_run
//! use infisical::secrets::{CreateSecret, ListSecrets};
//! use infisical::Client;
//!
//! # async fn run() -> Result<(), infisical::Error> {
//! let client = Client::builder()
//!     .base_url("https://us.infisical.com")
//!     .universal_auth("client-id", "client-secret")
//!     .build()?; // no network I/O until the first call
//!
//! let list = client.secrets().list(ListSecrets::new("project-id", "dev").path("/app")).await?;
//! for secret in &list {
//!     println!("{} is set", secret.key);
//! }
//!
//! client
//!     .secrets()
//!     .create(CreateSecret::new("project-id", "dev", "API_KEY", "s3cr3t"))
//!     .await?
//!     .into_applied()?; // or a pending-approval request
//! client.close().await?;
//! # Ok(()) }
//! ```
//!
//! # Adding tower layers
//!
//! [`ClientBuilder::layer`] takes any `tower::Layer` over [`HttpService`]; the layer sees
//! each request as it goes on the wire.

pub mod blocking;
mod builder;
mod client;
mod secrets_resource;

pub use builder::{Async, ClientBuilder, DEFAULT_BASE_URL};
pub use client::{Client, Identity};
pub use secrets_resource::Secrets;

pub use infisical_core::{
    ApiError, ApiGeneration, CredentialsError, CredentialsErrorKind, DecodeError, Error,
    InvalidRequest, Operation, RouteFamily, SecretString, TransportError, TransportErrorKind,
};
pub use infisical_credentials::{AccessToken, StaticToken, TokenLease, TokenSource, UniversalAuth};
pub use infisical_transport::{
    HttpService, RetryPolicy, RootStore, TlsOptions, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE,
    DEFAULT_MAX_BODY, DEFAULT_TIMEOUT,
};

/// Credentials: providers, the chain, token sources. See [`ClientBuilder::credentials_chain`].
pub mod credentials {
    pub use infisical_credentials::{
        jwt, provider_fn, BoxFuture, CliLogin, Credentials, CredentialsChain, Env,
        EnvironmentProvider, ExplicitProvider, FnProvider, Lookup, ProcessEnv, ProvideCredentials,
        ProvidedCredentials, ProviderAttempt, StaticEnv,
    };
}

/// Secrets: models and request types. See [`Client::secrets`].
pub mod secrets {
    pub use infisical_core::secrets::*;
}

/// Re-exported crates whose types appear in this crate's API.
pub mod reexports {
    pub use bytes;
    pub use http;
    pub use tower;
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
