//! Scripted misbehaviour: [`Route`] selects requests, [`Fault`] says what happens to them.

use std::time::Duration;

use serde_json::json;

use crate::errors::canned;
use crate::util::req_id;

/// Which requests a fault applies to: a method (or `*`) and a path prefix.
///
/// The path is compared with the percent-decoded request path, without the query string.
#[derive(Clone, Debug)]
pub struct Route {
    method: String,
    path_prefix: String,
}

impl Route {
    /// Every request.
    pub fn any() -> Route {
        Route::new("*", "")
    }

    /// Requests with this method (`"GET"`, ..., or `"*"` for any) whose path starts with
    /// `path_prefix` (e.g. `"/api/v4/secrets"` or `"/api/v1/auth/"`).
    pub fn new(method: &str, path_prefix: &str) -> Route {
        Route {
            method: method.to_ascii_uppercase(),
            path_prefix: path_prefix.to_string(),
        }
    }

    /// Whether a request with `method` and decoded `path` is selected.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        (self.method == "*" || self.method.eq_ignore_ascii_case(method))
            && path.starts_with(&self.path_prefix)
    }
}

/// A scripted misbehaviour, consumed by one matching request (see [`crate::Emulator::inject`]).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Fault {
    /// Answer with exactly this status, body and `content-type` instead of handling the request.
    Status {
        /// The HTTP status code.
        status: u16,
        /// The body, sent as is.
        body: String,
        /// The `content-type` header value.
        content_type: String,
    },
    /// Wait this long, then handle the request normally.
    Delay(Duration),
    /// Close the TCP connection without answering.
    DropConnection,
    /// Answer 200 with `content-type: application/json` and a truncated JSON body
    /// (`{"secrets":[{"id":`).
    MalformedBody,
    /// Send the headers of the normal answer at once, then wait this long before its body.
    SlowBody(Duration),
    /// Send the headers and half of the normal answer's body, then break the connection.
    DropMidBody,
    /// Answer 429 the way Infisical's rate limiter does: a JSON body whose message names the
    /// seconds to wait, a `retry-after` header and `x-ratelimit-*` headers.
    RateLimited {
        /// The seconds announced in `retry-after` and in the message.
        retry_after_secs: u64,
    },
    /// Answer 200 with a head over any client's limits (300 extra headers of 2 KiB each),
    /// like a misconfigured proxy: the same request gets the same answer.
    OversizedHead,
    /// Answer `status` with an error body whose `message` and `details` repeat the request's
    /// `Authorization` header and body verbatim, as some proxies and debugging servers do:
    /// a client must not copy its own secrets out of it.
    EchoRequest {
        /// The HTTP status code.
        status: u16,
    },
}

impl Fault {
    /// A JSON error body in the server's shape for `status`
    /// (`{"reqId","statusCode","message","error"}`, e.g. 404 `NotFound`, 500
    /// `InternalServerError` "Something went wrong").
    pub fn status(status: u16) -> Fault {
        let (name, message) = canned(status);
        Fault::json(
            status,
            json!({"reqId": req_id(), "statusCode": status, "message": message, "error": name}),
        )
    }

    /// A `text/html` body, like the error page of a reverse proxy in front of the server.
    pub fn html(status: u16, html: &str) -> Fault {
        Fault::Status {
            status,
            body: html.to_string(),
            content_type: "text/html; charset=utf-8".to_string(),
        }
    }

    /// This JSON body with `content-type: application/json; charset=utf-8`.
    pub fn json(status: u16, body: serde_json::Value) -> Fault {
        Fault::Status {
            status,
            body: body.to_string(),
            content_type: "application/json; charset=utf-8".to_string(),
        }
    }
}

/// The queue of injected faults, in injection order.
#[derive(Default)]
pub(crate) struct FaultQueue {
    entries: Vec<(Route, Fault)>,
}

impl FaultQueue {
    pub(crate) fn push(&mut self, route: Route, fault: Fault) {
        self.entries.push((route, fault));
    }

    pub(crate) fn clear(&mut self) {
        self.entries.clear();
    }

    /// Removes and returns the oldest fault whose route selects this request.
    pub(crate) fn take(&mut self, method: &str, path: &str) -> Option<Fault> {
        let i = self
            .entries
            .iter()
            .position(|(r, _)| r.matches(method, path))?;
        Some(self.entries.remove(i).1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faults_are_fifo_per_matching_route() {
        let mut q = FaultQueue::default();
        q.push(Route::new("GET", "/api/v4"), Fault::status(500));
        q.push(Route::any(), Fault::DropConnection);
        q.push(Route::new("GET", "/api/v4"), Fault::MalformedBody);
        assert!(matches!(
            q.take("POST", "/api/v1/auth/token/renew"),
            Some(Fault::DropConnection)
        ));
        assert!(matches!(
            q.take("get", "/api/v4/secrets"),
            Some(Fault::Status { status: 500, .. })
        ));
        assert!(matches!(
            q.take("GET", "/api/v4/secrets"),
            Some(Fault::MalformedBody)
        ));
        assert!(q.take("GET", "/api/v4/secrets").is_none());
    }
}
