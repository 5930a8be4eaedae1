//! Sans-IO core of the Infisical SDK.
//!
//! This crate knows Infisical's wire format and nothing about sockets or runtimes:
//!
//! - [`secrets`]: the secret models and the request types of every secrets operation;
//! - [`Operation`]: how a request becomes an [`http::Request`] for a given
//!   [`ApiGeneration`] and how the answer becomes a typed value;
//! - [`Error`]: one error type with predicates (`status()`, `is_not_found()`,
//!   `is_auth()`, `is_retryable()`) for every layer of the SDK;
//! - [`SecretString`]: a string that never shows itself in `Debug` and is zeroized on drop.
//!
//! Most users depend on the `infisical` facade crate instead, which re-exports what is needed.
//!
//! ```
//! use infisical_core::secrets::ListSecrets;
//! use infisical_core::{ApiGeneration, Operation};
//!
//! let list = ListSecrets::new("my-project-id", "dev").path("/app").recursive(true);
//! let request = list.to_http(ApiGeneration::Current)?;
//! assert_eq!(request.uri().path(), "/api/v4/secrets");
//!
//! // A missing required parameter is caught before anything is sent.
//! let err = ListSecrets::new("", "dev").to_http(ApiGeneration::Current).unwrap_err();
//! assert!(err.to_string().contains("project_id"));
//! # Ok::<(), infisical_core::Error>(())
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

pub mod approvals;
pub mod dynamic_secrets;
pub mod environments;
mod error;
pub mod folders;
pub mod identities;
pub mod kms;
mod location;
mod open_enum;
mod operation;
pub mod pki;
pub mod projects;
mod rest;
pub mod secret_imports;
mod secret_string;
pub mod secrets;
mod shared_text;
pub mod snapshots;
pub mod tags;
mod timestamp;
mod wire;

pub use error::{
    is_retryable_status, ApiError, CredentialsError, CredentialsErrorKind, DecodeError, Error,
    HiddenValue, InvalidRequest, OfflineCopyError, OfflineCopyErrorKind, ProviderAttempt,
    TransportError, TransportErrorKind,
};
pub use operation::{ApiGeneration, Attempts, Operation, RequestMeta, RouteFamily};
pub use secret_string::SecretString;
pub use shared_text::SharedText;
pub use timestamp::Timestamp;

/// A boxed error, as used at the boundaries of tower services.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The value of the `User-Agent` header this SDK sends.
pub const USER_AGENT: &str = concat!("infisical-rs/", env!("CARGO_PKG_VERSION"));
