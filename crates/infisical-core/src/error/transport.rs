//! Requests that did not complete.

use crate::BoxError;

/// What kind of transport failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The connection could not be established (refused, DNS, TLS handshake); the request
    /// never reached the server.
    Connect,
    /// The connect or request timeout elapsed.
    Timeout,
    /// The connection failed while the request or answer was in flight.
    Io,
    /// The answer (its head or its body) was larger than the client's limit; the same
    /// request would get the same answer, so it is not retried.
    BodyTooLarge,
    /// The request could not be built or was refused by the client itself.
    Request,
    /// The server refused the request before processing any of it: an HTTP/2 stream reset
    /// with `REFUSED_STREAM`, or a stream above the last one a `GOAWAY` kept (the way
    /// proxies rotate connections). Safe to send again on a new connection, whatever the
    /// method (RFC 9113 §8.7).
    Refused,
    /// The TLS handshake failed for a reason no retry changes: the server's certificate was
    /// refused (unknown issuer, another name, expired) or client and server share no
    /// protocol version. Nothing was sent.
    Tls,
}

/// A request that did not complete. The request may or may not have reached the server,
/// except for [`TransportErrorKind::Connect`], where it provably did not.
#[derive(Debug, thiserror::Error)]
#[error("{message}{}", crate::error::api::attempts_suffix(*.attempts))]
pub struct TransportError {
    attempts: u32,
    kind: TransportErrorKind,
    message: String,
    #[source]
    source: Option<BoxError>,
}

impl TransportError {
    /// Builds an error of `kind` with a message and an optional cause.
    pub fn new(
        kind: TransportErrorKind,
        message: impl Into<String>,
        source: Option<BoxError>,
    ) -> Self {
        Self {
            attempts: 1,
            kind,
            message: message.into(),
            source,
        }
    }

    /// Records how many attempts were made before giving up.
    pub fn with_attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// How many attempts were made (1 when the request was not retried).
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The kind of failure.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Connection failures and timeouts may succeed on another try; a refused
    /// certificate, an oversized answer or a refused request will not.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self.kind,
            TransportErrorKind::Connect
                | TransportErrorKind::Refused
                | TransportErrorKind::Timeout
                | TransportErrorKind::Io
        )
    }
}
