//! Credentials for Infisical: find credentials, and turn them into a bearer token.
//!
//! - [`CredentialsChain`]: providers tried in order — by default [`EnvironmentProvider`]
//!   (`INFISICAL_CLIENT_ID` + `INFISICAL_CLIENT_SECRET`, else `INFISICAL_TOKEN`) then
//!   [`CliLogin`] (the Infisical CLI's own login, decrypted as the CLI stores it). Add your
//!   own [`ProvideCredentials`], or an async closure through [`provider_fn`].
//! - [`TokenSource`]: the interface the transport's auth layer uses: "give me a token",
//!   "this token was rejected". Implement it to plug in any source of tokens.
//! - [`StaticToken`]: a fixed access token (Infisical "token auth").
//! - [`MachineIdentityAuth`]: a machine identity's login, renewal and revocation, behind a
//!   [`TokenCache`] that refreshes ahead of expiry with one refresh in flight, for every
//!   way a machine identity logs in, a [`LoginMethod`]: [`UniversalAuth`],
//!   [`KubernetesAuth`], [`AwsIamAuth`], [`GcpIdTokenAuth`], [`GcpIamAuth`], [`AzureAuth`],
//!   [`OidcAuth`], [`JwtAuth`], [`LdapAuth`], or your own [`IdentityLogin`]. Each login
//!   gathers its inputs afresh.
//! - [`Identity`]: who is calling, once credentials are found.
//!
//! This crate does not need the transport crate: give [`MachineIdentityAuth`] any
//! [`LoginClient`] (a tower service sending `http::Request<Bytes>`), or the built-in
//! hyper-rustls one from `default_login_client()` (feature `default-client`, on by
//! default), and use the token in your own HTTP stack.
//!
//! ```no_run
//! # async fn run(login_client: infisical_credentials::LoginClient) -> Result<(), infisical_core::Error> {
//! use infisical_credentials::{MachineIdentityAuth, TokenSource, UniversalAuth};
//!
//! let auth = MachineIdentityAuth::new(
//!     "https://us.infisical.com",
//!     UniversalAuth::new("client-id", "client-secret"),
//!     login_client,
//! )?;
//! let lease = auth.token().await?;
//! let header_value = format!("Bearer {}", lease.token().expose());
//! # drop(header_value);
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

mod cache;
mod chain;
#[cfg(feature = "cli-login")]
mod cli;
mod clock;
#[cfg(feature = "default-client")]
mod connect_timeout;
#[cfg(feature = "default-client")]
mod connection;
#[cfg(all(feature = "cli-login", unix, not(target_os = "macos")))]
mod dbus;
mod env;
mod environment;
mod explicit;
#[cfg(feature = "default-client")]
mod http_client;
mod identity;
pub mod jwt;
#[cfg(feature = "default-client")]
mod lazy_tls;
mod lifetime;
mod login;
mod methods;
mod provider;
#[cfg(feature = "default-client")]
mod proxy;
mod resolve;
mod session;
mod source;
mod static_token;
mod token;
mod universal_auth;
mod utc;

pub use cache::{Refresh, TokenCache};
pub use chain::CredentialsChain;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub use cli::fuzzing;
#[cfg(feature = "cli-login")]
pub use cli::CliLogin;
pub use clock::{Clock, ManualClock, SystemClock};
pub use env::{Env, ProcessEnv, StaticEnv};
pub use environment::EnvironmentProvider;
pub use explicit::ExplicitProvider;
#[cfg(feature = "default-client")]
pub use http_client::{default_login_client, HyperService};
pub use identity::Identity;
pub use login::LoginClient;
pub use methods::{
    AwsCredentials, AwsIamAuth, AzureAuth, GcpIamAuth, GcpIdTokenAuth, IdentityLogin, JwtAuth,
    JwtSource, KubernetesAuth, LdapAuth, LoginBody, LoginContext, LoginMethod, OidcAuth,
    ProvideAwsCredentials,
};
pub use provider::{
    provider_fn, Credentials, FnProvider, Lookup, ProvideCredentials, ProvidedCredentials,
};
#[cfg(feature = "default-client")]
pub use proxy::ProxyConfig;
pub use resolve::{BaseUrlDecision, ResolvingSource, SourceOptions};
#[cfg(feature = "default-client")]
pub use rustls;
pub use session::MachineIdentityAuth;
pub use source::{BoxFuture, TokenSource};
pub use static_token::StaticToken;
pub use token::{AccessToken, TokenLease};
pub use universal_auth::UniversalAuth;

pub use infisical_core::{CredentialsError, CredentialsErrorKind, ProviderAttempt, SecretString};
