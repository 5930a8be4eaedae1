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
//! - Scoped handles: [`client.project(id).environment("dev")`](Client::project) binds the
//!   project, environment and folder for [`scope::ScopedSecrets`] and the other
//!   [`scope`] handles.
//! - Every resource: [`secrets`](Client::secrets), [`folders`](Client::folders),
//!   [`environments`](Client::environments), [`projects`](Client::projects),
//!   [`tags`](Client::tags), [`secret_imports`](Client::secret_imports),
//!   [`dynamic_secrets`](Client::dynamic_secrets) and their leases, [`kms`](Client::kms),
//!   [`certificates`](Client::certificates), [`snapshots`](Client::snapshots); a secret's
//!   history, by id, moves, metadata and reminders.
//! - Retries with backoff and a budget, timeouts and an overall deadline, TLS options and
//!   proxies ([`ClientBuilder::retry`], [`ClientBuilder::tls`], [`ClientBuilder::proxy`]).
//! - An opt-in secret cache with stale-if-error ([`CacheConfig`]), an encrypted offline
//!   copy for start-ups while Infisical is down (feature `offline`), live secrets
//!   ([`watch`], [`typed::Live`]), secrets into environment variables ([`env_vars`]), and
//!   typed settings ([`typed`]).
//! - No secret ever shows in `Debug` output or in logs.
//!
//! # Quick start
//!
//! ```no_run
//! use infisical::credentials::UniversalAuth;
//! use infisical::secrets::ListSecrets;
//! use infisical::Client;
//!
//! # async fn run() -> Result<(), infisical::Error> {
//! let client = Client::builder()
//!     .base_url("https://us.infisical.com")
//!     .credentials(UniversalAuth::new("client-id", "client-secret"))
//!     .build()?; // no network I/O until the first call
//!
//! // Scoped handles: the project, environment and folder are said once.
//! let app = client.project("project-id").environment("dev").folder("/app");
//! for secret in &app.secrets().list().await? {
//!     println!("{} is set", secret.key);
//! }
//! app.secrets()
//!     .create("API_KEY", "s3cr3t")
//!     .await?
//!     .into_applied()?; // or a pending-approval request
//!
//! // Request types: every option, for full control.
//! let everything = client
//!     .secrets()
//!     .list(ListSecrets::new("project-id", "dev").recursive(true))
//!     .await?;
//! # drop(everything);
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
mod cache;
mod client;
mod client_credentials;
#[cfg(feature = "config")]
pub mod config_source;
pub mod env_vars;
/// The former name of [`env_vars`] (beside [`environments`], the resource, it was easy to
/// mistake).
#[deprecated(since = "0.2.0", note = "renamed `env_vars`")]
pub mod environment {
    pub use crate::env_vars::*;
}
#[cfg(feature = "offline")]
pub mod offline;
mod resources;
pub mod scope;
pub mod typed;
pub mod watch;

pub use builder::{Async, ClientBuilder, DEFAULT_BASE_URL};
pub use cache::CacheConfig;
pub use client::Client;
pub use infisical_credentials::Identity;
pub use resources::handles::*;

pub use infisical_core::{
    ApiError, ApiGeneration, CredentialsError, CredentialsErrorKind, DecodeError, Error,
    InvalidRequest, OfflineCopyError, OfflineCopyErrorKind, Operation, RouteFamily, SecretString,
    TransportError, TransportErrorKind,
};
pub use infisical_credentials::{AccessToken, StaticToken, TokenLease, TokenSource};
pub use infisical_transport::{
    HttpService, RetryPolicy, RootStore, TlsOptions, DEFAULT_CONNECT_TIMEOUT, DEFAULT_DEADLINE,
    DEFAULT_MAX_BODY, DEFAULT_TIMEOUT,
};

/// Credentials: login methods, providers, the chain, token sources. Give any of them to
/// [`ClientBuilder::credentials`].
pub mod credentials {
    pub use crate::client_credentials::ClientCredentials;
    /// The Infisical CLI's login (feature `cli-login`, on by default).
    #[cfg(feature = "cli-login")]
    pub use infisical_credentials::CliLogin;
    pub use infisical_credentials::{
        jwt, provider_fn, BoxFuture, Credentials, CredentialsChain, Env, EnvironmentProvider,
        ExplicitProvider, FnProvider, Lookup, ProcessEnv, ProvideCredentials, ProvidedCredentials,
        ProviderAttempt, StaticEnv,
    };
    /// The ways a machine identity logs in; give one to
    /// [`ClientBuilder::credentials`](crate::ClientBuilder::credentials).
    pub use infisical_credentials::{
        AwsCredentials, AwsIamAuth, AzureAuth, GcpIamAuth, GcpIdTokenAuth, IdentityLogin, JwtAuth,
        JwtSource, KubernetesAuth, LdapAuth, LoginBody, LoginContext, LoginMethod,
        MachineIdentityAuth, OidcAuth, ProvideAwsCredentials, UniversalAuth,
    };
}

/// Secrets: models and request types. See [`Client::secrets`].
pub mod secrets {
    pub use infisical_core::secrets::*;
}

/// Dynamic secrets and leases: models and request types. See [`Client::dynamic_secrets`] and
/// [`Client::dynamic_secret_leases`].
pub mod dynamic_secrets {
    pub use infisical_core::dynamic_secrets::*;
}

/// Environments: model and request types. See [`Client::environments`].
pub mod environments {
    pub use infisical_core::environments::*;
}

/// Folders: model and request types. See [`Client::folders`].
pub mod folders {
    pub use infisical_core::folders::*;
}

/// KMS: models and request types. See [`Client::kms`].
pub mod kms {
    pub use infisical_core::kms::*;
}

/// PKI certificates: models and request types. See [`Client::certificates`].
pub mod pki {
    pub use infisical_core::pki::*;
}

/// Projects: model and request types. See [`Client::projects`].
pub mod projects {
    pub use infisical_core::projects::*;
}

/// Secret imports: model and request types. See [`Client::secret_imports`].
pub mod secret_imports {
    pub use infisical_core::secret_imports::*;
}

/// Point-in-time snapshots of folders: models and request types. See [`Client::snapshots`].
pub mod snapshots {
    pub use infisical_core::snapshots::*;
}

/// Machine identities of an organization, universal auth on them and their client
/// secrets: the request types of [`Client::identities`](crate::Client::identities).
pub mod identities {
    pub use infisical_core::identities::*;
}

/// Secret approval requests: what a write caught by an approval policy opens, and how to
/// review, close and merge it. See [`Client::approvals`].
pub mod approvals {
    pub use infisical_core::approvals::*;
}

/// Secret tags: model and request types. See [`Client::tags`].
pub mod tags {
    pub use infisical_core::tags::*;
}

/// Re-exported crates whose types appear in this crate's API.
pub mod reexports {
    pub use bytes;
    pub use futures_util;
    pub use http;
    pub use tower;
}

/// `Result` with this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
