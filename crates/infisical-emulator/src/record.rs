//! The request log and the counters tests read.

use bytes::Bytes;
use http::{HeaderMap, HeaderValue};

/// One request the emulator received, recorded before any fault or handler ran.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The method, upper case (`"GET"`).
    pub method: String,
    /// The percent-decoded path without the query string (`"/api/v4/secrets"`).
    pub path: String,
    /// The decoded query parameters, in order.
    pub query: Vec<(String, String)>,
    /// The request headers.
    pub headers: HeaderMap,
    /// The raw request body.
    pub body: Bytes,
}

impl RecordedRequest {
    /// The first value of query parameter `name`, if present.
    pub fn query_param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of header `name` as text, if present and valid UTF-8.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body parsed as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// A copy of `headers` in allocations of its own: hyper's header values are slices of the
/// connection's read buffer (8 KiB or more), which a logged clone would keep alive for
/// every request the emulator ever received.
pub(crate) fn detached(headers: &HeaderMap) -> HeaderMap {
    let mut copy = HeaderMap::with_capacity(headers.len());
    for (name, value) in headers {
        let mut owned = HeaderValue::from_maybe_shared(Bytes::copy_from_slice(value.as_bytes()))
            .unwrap_or_else(|_| value.clone());
        owned.set_sensitive(value.is_sensitive());
        copy.append(name.clone(), owned);
    }
    copy
}

/// Everything observed so far.
#[derive(Default)]
pub(crate) struct Recorder {
    pub(crate) requests: Vec<RecordedRequest>,
    pub(crate) logins: usize,
    pub(crate) renewals: usize,
    /// TCP connections accepted (before any TLS handshake).
    pub(crate) connections: usize,
    /// `304 Not Modified` answers: requests whose `If-None-Match` named the current tag.
    pub(crate) not_modified: usize,
}

impl Recorder {
    pub(crate) fn count(&self, method: &str, path: &str) -> usize {
        self.requests
            .iter()
            .filter(|r| r.method.eq_ignore_ascii_case(method) && r.path == path)
            .count()
    }

    pub(crate) fn count_prefix(&self, method: &str, prefix: &str) -> usize {
        self.requests
            .iter()
            .filter(|r| {
                (method == "*" || r.method.eq_ignore_ascii_case(method))
                    && r.path.starts_with(prefix)
            })
            .count()
    }

    pub(crate) fn reset(&mut self) {
        *self = Self::default();
    }
}
