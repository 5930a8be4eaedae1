//! Building the requests of the resource APIs from route templates, and reading their answers.
//!
//! A route template reads `METHOD /api/...{param}...`; [`Call`] fills its `{param}`s in order
//! (escaped), adds a query or a JSON body, and builds the request with its [`RequestMeta`].
//! [`Routes`] holds the templates of one operation in both generations.

use crate::wire::{decode_json, empty_request, json_request, push_segment, Query};
use crate::{ApiGeneration, DecodeError, Error, RequestMeta};
use bytes::Bytes;
use http::{Method, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

/// The route templates of one operation: the current generation's and the older one's.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Routes {
    current: &'static str,
    legacy: &'static str,
}

impl Routes {
    /// An operation whose route changed between generations. Used in `const` items only,
    /// so a malformed template fails the build.
    pub(crate) const fn pair(current: &'static str, legacy: &'static str) -> Self {
        Self {
            current: checked(current),
            legacy: checked(legacy),
        }
    }

    /// An operation served by one route on every server.
    pub(crate) const fn stable(route: &'static str) -> Self {
        Self {
            current: checked(route),
            legacy: checked(route),
        }
    }

    /// The current template, named in errors about answers.
    pub(crate) fn current(&self) -> &'static str {
        self.current
    }

    /// A call to the route of `generation`; older routes are marked deprecated.
    pub(crate) fn at(&self, generation: ApiGeneration) -> Call {
        match generation {
            ApiGeneration::Current => Call::new(self.current, false),
            ApiGeneration::Legacy => Call::new(self.legacy, self.legacy != self.current),
        }
    }
}

/// `template`, if it reads `METHOD /path` with an upper-case method and `{param}`s that are
/// closed, not nested and not empty. Evaluated at compile time (every `Routes` is a
/// `const`): a malformed template is a build error, never a run-time failure.
#[allow(
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic,
    reason = "compile-time only: a panic in const evaluation fails the build"
)]
const fn checked(template: &'static str) -> &'static str {
    let bytes = template.as_bytes();
    let mut i = 0;
    while i < bytes.len() && bytes[i].is_ascii_uppercase() {
        i += 1;
    }
    if i < 3 || i + 1 >= bytes.len() || bytes[i] != b' ' || bytes[i + 1] != b'/' {
        panic!("a route template reads `METHOD /path`");
    }
    let mut open = false;
    i += 1;
    while i < bytes.len() {
        match bytes[i] {
            b'{' if open => panic!("a route template nests `{{`"),
            b'{' if i + 1 < bytes.len() && bytes[i + 1] == b'}' => {
                panic!("a route template has an empty `{{}}`")
            }
            b'{' => open = true,
            b'}' if !open => panic!("a route template closes `}}` it did not open"),
            b'}' => open = false,
            b' ' | b'?' | b'#' => panic!("a route template is a path only"),
            _ => {}
        }
        i += 1;
    }
    if open {
        panic!("a route template leaves `{{` open");
    }
    template
}

/// A request under construction from a route template.
pub(crate) struct Call {
    method: Method,
    template: &'static str,
    path: String,
    rest: &'static str,
    query: Query,
    deprecated: bool,
    idempotent: bool,
    /// The first argument that cannot be a path segment: the request is refused.
    refused: Option<crate::InvalidRequest>,
}

impl Call {
    // Templates come from `Routes`, checked at compile time (`checked`): `METHOD /path`
    // with an upper-case method, which `Method::from_bytes` always accepts.
    #[allow(clippy::expect_used)]
    fn new(template: &'static str, deprecated: bool) -> Self {
        let (method, path) = template
            .split_once(' ')
            .expect("route templates read `METHOD /path`");
        let method = Method::from_bytes(method.as_bytes()).expect("route templates name a method");
        let idempotent = method == Method::GET;
        let mut call = Self {
            method,
            template,
            path: String::new(),
            rest: path,
            query: Query::new(),
            deprecated,
            idempotent,
            refused: None,
        };
        call.copy_literal();
        call
    }

    /// Copies the template up to its next `{param}`.
    fn copy_literal(&mut self) {
        let end = self.rest.find('{').unwrap_or(self.rest.len());
        self.path.push_str(&self.rest[..end]);
        self.rest = &self.rest[end..];
    }

    /// Fills the next `{param}` of the template with `value`, escaped as a path segment;
    /// `.` and `..` make the request refused, naming the parameter (`folderIdOrName` as
    /// `folder_id_or_name`).
    pub(crate) fn arg(self, value: &str) -> Self {
        self.fill(None, value)
    }

    /// Like [`arg`](Call::arg), naming the parameter `field` in a refusal.
    pub(crate) fn arg_as(self, field: &'static str, value: &str) -> Self {
        self.fill(Some(field), value)
    }

    // Only a template of ours with fewer `{param}`s than `arg` calls could fail here, and
    // every operation is built by a test.
    #[allow(clippy::expect_used)]
    fn fill(mut self, field: Option<&'static str>, value: &str) -> Self {
        let close = self
            .rest
            .find('}')
            .expect("an argument for a template without `{param}`");
        let param: &'static str = self.rest.get(1..close).unwrap_or("parameter");
        // `push_segment` adds the `/` the template already has before the parameter.
        self.path.pop();
        if push_segment(&mut self.path, "", value).is_err() {
            self.refused.get_or_insert(crate::InvalidRequest::new(
                match field {
                    Some(field) => std::borrow::Cow::Borrowed(field),
                    None => std::borrow::Cow::Owned(snake_case(param)),
                },
                "cannot be `.` or `..`: proxies resolve those as path steps",
            ));
        }
        self.rest = self.rest.get(close.saturating_add(1)..).unwrap_or_default();
        self.copy_literal();
        self
    }

    /// Adds `key=value` to the query string.
    pub(crate) fn query(mut self, key: &str, value: &str) -> Self {
        self.query.add(key, value);
        self
    }

    /// Adds `key=true` or `key=false`.
    pub(crate) fn flag(mut self, key: &str, value: bool) -> Self {
        self.query.flag(key, value);
        self
    }

    /// Adds `key=true` only when `value` is set.
    pub(crate) fn flag_if(mut self, key: &str, value: bool) -> Self {
        self.query.flag_if(key, value);
        self
    }

    /// Adds `key=value` when there is a value.
    pub(crate) fn query_opt(self, key: &str, value: Option<&str>) -> Self {
        match value {
            Some(value) => self.query(key, value),
            None => self,
        }
    }

    /// Marks a request that changes nothing on the server (a computation sent by POST), so it
    /// is safe to send again.
    pub(crate) fn idempotent(mut self) -> Self {
        self.idempotent = true;
        self
    }

    fn finish(self) -> Result<(Method, String, RequestMeta), Error> {
        if let Some(refused) = self.refused {
            return Err(refused.into());
        }
        debug_assert!(
            self.rest.is_empty(),
            "unfilled parameters in {}",
            self.template
        );
        let meta = RequestMeta {
            route: self.template,
            idempotent: self.idempotent,
            deprecated: self.deprecated,
        };
        Ok((self.method, self.query.finish(&self.path), meta))
    }

    /// The request, without a body.
    pub(crate) fn send(self) -> Result<http::Request<Bytes>, Error> {
        let (method, uri, meta) = self.finish()?;
        empty_request(method, uri, meta)
    }

    /// The request, with `body` as JSON.
    pub(crate) fn send_json<B: Serialize>(self, body: &B) -> Result<http::Request<Bytes>, Error> {
        let (method, uri, meta) = self.finish()?;
        json_request(method, uri, meta, body)
    }
}

/// `folderIdOrName` → `folder_id_or_name`: a template parameter named as the Rust API
/// names its fields.
fn snake_case(camel: &str) -> String {
    let mut out = String::with_capacity(camel.len().saturating_add(4));
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Implements [`Operation`](crate::Operation) for a request type from what differs between
/// operations: the family, the checks (run again before building, so nothing invalid is ever
/// built), how the request is built for a generation, and how the answer is read.
///
/// ```text
/// operation! {
///     GetThing => Thing;
///     family(Stable)
///     validate(s) { require_field("thing_id", &s.id) }
///     request(s, generation) { GET.at(generation).arg(&s.id).send() }
///     answer(response) { member(&GET, &["thing"], response) }
/// }
/// ```
///
/// `answer(s, response)` also binds the request, for answers checked against it.
macro_rules! operation {
    (
        $ty:ty => $output:ty;
        family($family:ident)
        validate($v:ident) $validate:block
        request($r:ident, $generation:ident) $request:block
        answer($response:ident) $answer:block
    ) => {
        operation! {
            $ty => $output;
            family($family)
            validate($v) $validate
            request($r, $generation) $request
            answer(_this, $response) $answer
        }
    };
    (
        $ty:ty => $output:ty;
        family($family:ident)
        validate($v:ident) $validate:block
        request($r:ident, $generation:ident) $request:block
        answer($a:ident, $response:ident) $answer:block
    ) => {
        impl $crate::Operation for $ty {
            type Output = $output;

            fn family(&self) -> $crate::RouteFamily {
                $crate::RouteFamily::$family
            }

            fn validate(&self) -> Result<(), $crate::InvalidRequest> {
                let $v = self;
                $validate
            }

            fn to_http(
                &self,
                $generation: $crate::ApiGeneration,
            ) -> Result<http::Request<bytes::Bytes>, $crate::Error> {
                $crate::Operation::validate(self)?;
                let $r = self;
                $request
            }

            fn parse_response(
                &self,
                $response: http::Response<bytes::Bytes>,
            ) -> Result<$output, $crate::Error> {
                let $a = self;
                $answer
            }
        }
    };
}
pub(crate) use operation;

/// `offset` and `limit` setters of a list request with `offset: u64` and `limit: u64`
/// fields; `$limits` completes the limit's doc ("at least 1", "1 to 100 (default 100)").
macro_rules! offset_limit {
    ($ty:ty, $things:literal, $limits:literal) => {
        impl $ty {
            #[doc = concat!("Skips this many ", $things, ".")]
            pub fn offset(mut self, offset: u64) -> Self {
                self.offset = offset;
                self
            }

            #[doc = concat!("At most this many ", $things, " per page: ", $limits, ".")]
            pub fn limit(mut self, limit: u64) -> Self {
                self.limit = limit;
                self
            }
        }
    };
}
pub(crate) use offset_limit;

/// The route named in errors about an answer: the one the transport recorded, or `fallback`.
pub(crate) fn answer_route(response: &Response<Bytes>, fallback: &'static str) -> &'static str {
    response
        .extensions()
        .get::<RequestMeta>()
        .map_or(fallback, |m| m.route)
}

/// Reads a whole JSON answer.
pub(crate) fn whole<T: DeserializeOwned>(
    routes: &Routes,
    response: Response<Bytes>,
) -> Result<T, Error> {
    decode_json(answer_route(&response, routes.current()), response)
}

/// Reads the member of a JSON answer found under the first of `names` it has (generations
/// name some members differently, such as `tag` and `workspaceTag`).
pub(crate) fn member<T: DeserializeOwned>(
    routes: &Routes,
    names: &[&str],
    response: Response<Bytes>,
) -> Result<T, Error> {
    let (route, status, value) = member_value(routes, names, response)?;
    serde_json::from_value(value).map_err(|e| DecodeError::from_json(route, status, &e).into())
}

/// The non-generic part of [`member`] (compiled once): the member's JSON.
fn member_value(
    routes: &Routes,
    names: &[&str],
    response: Response<Bytes>,
) -> Result<(&'static str, http::StatusCode, Value), Error> {
    let route = answer_route(&response, routes.current());
    let status = response.status();
    let mut object: Map<String, Value> = decode_json(route, response)?;
    let value = names
        .iter()
        .find_map(|name| object.remove(*name))
        .ok_or_else(|| {
            DecodeError::new(
                route,
                status,
                format!("missing field `{}`", names.join("` or `")),
            )
        })?;
    Ok((route, status, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_templates_are_refused_by_the_const_check() {
        // In a `const` item these fail the build; called at run time, they panic.
        for bad in [
            "/api/v1/no-method",
            "get /api/v1/lower-case",
            "GET api/v1/no-slash",
            "GET /api/{open",
            "GET /api/{a{b}}",
            "GET /api/{}",
            "GET /api/closed}",
            "GET /api/x?query=1",
        ] {
            assert!(std::panic::catch_unwind(|| checked(bad)).is_err(), "{bad}");
        }
        assert_eq!(
            checked("DELETE /api/v1/{a}/b/{c}"),
            "DELETE /api/v1/{a}/b/{c}"
        );
    }

    const ROUTES: Routes = Routes::pair(
        "PATCH /api/v1/projects/{projectId}/tags/{tagId}",
        "PATCH /api/v1/workspace/{projectId}/tags/{tagId}",
    );

    #[test]
    fn parameters_are_filled_in_order_and_escaped() {
        let request = ROUTES
            .at(ApiGeneration::Current)
            .arg("p 1")
            .arg("a/b")
            .query("x", "1")
            .send()
            .unwrap();
        assert_eq!(request.method(), Method::PATCH);
        assert_eq!(
            request.uri().to_string(),
            "/api/v1/projects/p%201/tags/a%2Fb?x=1"
        );
        let meta = request.extensions().get::<RequestMeta>().unwrap();
        assert!(!meta.idempotent && !meta.deprecated);
        assert_eq!(
            meta.route,
            "PATCH /api/v1/projects/{projectId}/tags/{tagId}"
        );
    }

    #[test]
    fn legacy_routes_are_marked_deprecated() {
        let request = ROUTES
            .at(ApiGeneration::Legacy)
            .arg("p")
            .arg("t")
            .send()
            .unwrap();
        assert_eq!(request.uri().path(), "/api/v1/workspace/p/tags/t");
        assert!(
            request
                .extensions()
                .get::<RequestMeta>()
                .unwrap()
                .deprecated
        );
        let stable = Routes::stable("GET /api/v1/kms/keys/{keyId}");
        let get = stable.at(ApiGeneration::Legacy).arg("k").send().unwrap();
        let meta = get.extensions().get::<RequestMeta>().unwrap();
        assert!(meta.idempotent && !meta.deprecated);
    }

    #[test]
    fn members_are_found_under_either_name() {
        let answer = |body: &str| {
            Response::builder()
                .status(200)
                .body(Bytes::from(body.to_owned()))
                .unwrap()
        };
        let tag: String = member(
            &ROUTES,
            &["tag", "workspaceTag"],
            answer(r#"{"workspaceTag":"x"}"#),
        )
        .unwrap();
        assert_eq!(tag, "x");
        let err = member::<String>(&ROUTES, &["tag"], answer("{}")).unwrap_err();
        assert!(err.to_string().contains("missing field `tag`"), "{err}");
    }
}
