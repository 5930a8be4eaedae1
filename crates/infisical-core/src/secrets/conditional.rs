//! Listing a folder only if it changed: `If-None-Match` with the last answer's `ETag`.
//!
//! Infisical's server (fastify's etag plugin) sends a strong `ETag` on every JSON answer and
//! answers a `GET` whose `If-None-Match` names it with `304` and no body, on both
//! generations of the secrets routes. An unchanged folder then costs no body and no decode.

use super::model::SecretList;
use super::read::ListSecrets;
use crate::{ApiGeneration, Error, InvalidRequest, Operation, RouteFamily};
use bytes::Bytes;
use http::header::{ETAG, IF_NONE_MATCH};
use http::{HeaderValue, StatusCode};

/// Lists a folder's secrets unless they are unchanged since the answer that carried `etag`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListSecretsIfChanged {
    list: ListSecrets,
    etag: Option<String>,
}

/// The answer of a conditional read.
#[derive(Debug, Clone, PartialEq)]
pub enum Conditional<T> {
    /// The server sent the resource: it changed, or there was nothing to compare with.
    Modified {
        /// The resource.
        value: T,
        /// Its entity tag, to send next time (absent when the server sent none, or one
        /// that is not visible ASCII).
        etag: Option<String>,
    },
    /// `304`: unchanged since the entity tag that was sent; nothing was decoded.
    NotModified,
}

impl ListSecretsIfChanged {
    /// `list`, unconditionally the first time.
    pub fn new(list: ListSecrets) -> Self {
        Self { list, etag: None }
    }

    /// Only if the folder changed since the answer that carried `etag`.
    pub fn if_none_match(mut self, etag: impl Into<String>) -> Self {
        self.etag = Some(etag.into());
        self
    }

    /// The list request.
    pub fn list(&self) -> &ListSecrets {
        &self.list
    }
}

impl Operation for ListSecretsIfChanged {
    type Output = Conditional<SecretList>;

    fn family(&self) -> RouteFamily {
        self.list.family()
    }

    fn validate(&self) -> Result<(), InvalidRequest> {
        self.list.validate()
    }

    fn to_http(&self, generation: ApiGeneration) -> Result<http::Request<Bytes>, Error> {
        let mut request = self.list.to_http(generation)?;
        // A tag the server sent that cannot be a header value again is simply not sent:
        // the folder is listed in full.
        if let Some(tag) = self
            .etag
            .as_deref()
            .and_then(|t| HeaderValue::from_str(t).ok())
        {
            request.headers_mut().insert(IF_NONE_MATCH, tag);
        }
        Ok(request)
    }

    fn parse_response(&self, response: http::Response<Bytes>) -> Result<Self::Output, Error> {
        // A 304 is an answer to our tag only; without one, it is read (and refused) as any
        // other unexpected status.
        if response.status() == StatusCode::NOT_MODIFIED && self.etag.is_some() {
            return Ok(Conditional::NotModified);
        }
        let etag = response
            .headers()
            .get(ETAG)
            .and_then(|v| v.to_str().ok())
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        let value = self.list.parse_response(response)?;
        Ok(Conditional::Modified { value, etag })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(status: u16, etag: Option<&str>, body: &str) -> http::Response<Bytes> {
        let mut builder = http::Response::builder().status(status);
        if let Some(tag) = etag {
            builder = builder.header(ETAG, tag);
        }
        builder.body(Bytes::from(body.to_owned())).unwrap()
    }

    #[test]
    fn the_tag_goes_out_as_if_none_match_and_a_304_is_not_modified() {
        let first = ListSecretsIfChanged::new(ListSecrets::new("p", "dev"));
        let request = first.to_http(ApiGeneration::Current).unwrap();
        assert!(request.headers().get(IF_NONE_MATCH).is_none());
        let body = r#"{"secrets":[],"imports":[]}"#;
        let Conditional::Modified { etag, .. } = first
            .parse_response(answer(200, Some("\"abc=\""), body))
            .unwrap()
        else {
            panic!("modified")
        };
        let again = first.clone().if_none_match(etag.unwrap());
        let request = again.to_http(ApiGeneration::Legacy).unwrap();
        assert_eq!(request.headers()[IF_NONE_MATCH], "\"abc=\"");
        assert_eq!(
            again
                .parse_response(answer(304, Some("\"abc=\""), ""))
                .unwrap(),
            Conditional::NotModified
        );
    }

    #[test]
    fn hostile_tags_and_statuses_are_typed() {
        // A tag that cannot be a header value is not sent.
        let odd = ListSecretsIfChanged::new(ListSecrets::new("p", "dev")).if_none_match("a\nb");
        let request = odd.to_http(ApiGeneration::Current).unwrap();
        assert!(request.headers().get(IF_NONE_MATCH).is_none());
        // A 304 to a request without a tag is an error, not "unchanged".
        let untagged = ListSecretsIfChanged::new(ListSecrets::new("p", "dev"));
        assert!(untagged.parse_response(answer(304, None, "")).is_err());
        // No tag, or an empty one: modified, with nothing to send next time.
        let body = r#"{"secrets":[]}"#;
        for tag in [None, Some("")] {
            let got = untagged.parse_response(answer(200, tag, body)).unwrap();
            assert!(matches!(got, Conditional::Modified { etag: None, .. }));
        }
    }
}
