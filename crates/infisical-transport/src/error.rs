//! From the stack's boxed errors back to the SDK's typed errors.

use crate::BoxError;
use infisical_core::{ApiError, CredentialsError, Error, TransportError, TransportErrorKind};

/// Recovers the typed [`Error`] from an error that travelled through the tower stack.
///
/// Errors of user layers that are not the SDK's become [`TransportError`]s of kind
/// `Request` (or `Timeout` for `tower::timeout`'s).
pub fn into_error(error: BoxError) -> Error {
    let error = match error.downcast::<TransportError>() {
        Ok(e) => return Error::Transport(*e),
        Err(e) => e,
    };
    let error = match error.downcast::<CredentialsError>() {
        Ok(e) => return Error::Credentials(*e),
        Err(e) => e,
    };
    let error = match error.downcast::<ApiError>() {
        Ok(e) => return Error::Api(*e),
        Err(e) => e,
    };
    let error = match error.downcast::<Error>() {
        Ok(e) => return *e,
        Err(e) => e,
    };
    let kind = if error.is::<tower::timeout::error::Elapsed>() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Request
    };
    TransportError::new(kind, error.to_string(), Some(error)).into()
}
