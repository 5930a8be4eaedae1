//! Every way a machine identity logs in: one [`IdentityLogin`] per method, each gathering
//! its inputs afresh at every login (a rotated service-account token, new AWS credentials,
//! a new metadata-server token), all going through the same token cache.

mod aws;
mod azure;
pub(crate) mod env;
mod gcp;
mod jwt;
mod kubernetes;
mod ldap;
mod sigv4;

pub use aws::{AwsCredentials, AwsIamAuth, ProvideAwsCredentials};
pub use azure::AzureAuth;
pub use gcp::{GcpIamAuth, GcpIdTokenAuth};
pub use jwt::{JwtAuth, JwtSource, OidcAuth};
pub use kubernetes::KubernetesAuth;
pub use ldap::LdapAuth;

use crate::{BoxFuture, Clock, LoginClient};
use bytes::Bytes;
use infisical_core::{CredentialsError, CredentialsErrorKind, InvalidRequest, SecretString};
use serde::ser::{Serialize, SerializeMap, Serializer};
use std::fmt;
use std::sync::Arc;
use std::time::SystemTime;

/// One way of logging a machine identity in: a login route and the body to send there,
/// gathered afresh at every login.
///
/// The built-in methods are [`UniversalAuth`](crate::UniversalAuth), [`KubernetesAuth`],
/// [`AwsIamAuth`], [`GcpIdTokenAuth`], [`GcpIamAuth`], [`AzureAuth`], [`OidcAuth`],
/// [`JwtAuth`] and [`LdapAuth`]; implement
/// this for another (say OCI) and wrap it with [`LoginMethod::new`]. The answer must be
/// Infisical's `{accessToken, expiresIn, accessTokenMaxTTL}`; renewal and revocation are
/// the same for every method.
pub trait IdentityLogin: Send + Sync + fmt::Debug {
    /// A short name for errors and logs, such as `kubernetes-auth`.
    fn name(&self) -> &'static str;

    /// The login route, `POST` and the path: `POST /api/v1/auth/kubernetes-auth/login`.
    fn route(&self) -> &'static str;

    /// Who logs in: the machine identity's id (a client id for universal auth).
    fn identity(&self) -> &str;

    /// The first required input that is missing (an empty identity id by default), checked
    /// when a client or token source is built, before anything is sent.
    fn missing_field(&self) -> Option<&'static str> {
        self.identity().trim().is_empty().then_some("identity_id")
    }

    /// The login body. Called at every login, so read files, variables and metadata
    /// servers here, not when the method is built.
    fn body<'a>(
        &'a self,
        cx: &'a LoginContext,
    ) -> BoxFuture<'a, Result<LoginBody, CredentialsError>>;
}

/// A login method, ready to be used: [`Credentials::IdentityLogin`](crate::Credentials),
/// [`MachineIdentityAuth::new`](crate::MachineIdentityAuth::new) and the client builder's
/// `credentials` take one. Every built-in method converts into it with `into()`.
#[derive(Clone)]
pub struct LoginMethod(Arc<dyn IdentityLogin>);

impl LoginMethod {
    /// Wraps a method of your own.
    pub fn new(method: impl IdentityLogin + 'static) -> Self {
        Self(Arc::new(method))
    }

    /// The method's name, such as `kubernetes-auth`.
    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The identity that logs in.
    pub fn identity(&self) -> &str {
        self.0.identity()
    }

    /// Refuses a method missing a required input, naming it.
    pub fn check(&self) -> Result<(), InvalidRequest> {
        match self.0.missing_field() {
            Some(field) => Err(InvalidRequest::missing(field)),
            None => Ok(()),
        }
    }

    pub(crate) fn inner(&self) -> &dyn IdentityLogin {
        &*self.0
    }
}

impl fmt::Debug for LoginMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A login body: a JSON object whose secret fields are redacted in `Debug` and zeroized
/// when dropped.
#[derive(Clone, Default)]
pub struct LoginBody(Vec<(&'static str, Field)>);

#[derive(Clone)]
enum Field {
    Plain(String),
    Secret(SecretString),
}

impl LoginBody {
    /// An empty object.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a field that is not secret (an identity id, a username).
    pub fn field(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.0.push((name, Field::Plain(value.into())));
        self
    }

    /// Adds a secret field (a password, a JWT, signed headers).
    pub fn secret(mut self, name: &'static str, value: SecretString) -> Self {
        self.0.push((name, Field::Secret(value)));
        self
    }
}

impl Serialize for LoginBody {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in &self.0 {
            match value {
                Field::Plain(v) => map.serialize_entry(name, v)?,
                Field::Secret(v) => map.serialize_entry(name, v)?,
            }
        }
        map.end()
    }
}

impl fmt::Debug for LoginBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in &self.0 {
            match value {
                Field::Plain(v) => map.entry(name, v),
                Field::Secret(v) => map.entry(name, v),
            };
        }
        map.finish()
    }
}

/// What a method may use while it builds its body: the HTTP client (for metadata
/// servers and cloud APIs) and the clock (for signatures).
#[derive(Debug, Clone)]
pub struct LoginContext {
    client: LoginClient,
    clock: Arc<dyn Clock>,
}

impl LoginContext {
    /// A context over `client` and `clock`.
    pub fn new(client: LoginClient, clock: Arc<dyn Clock>) -> Self {
        Self { client, clock }
    }

    /// The HTTP client logins go through.
    pub fn client(&self) -> &LoginClient {
        &self.client
    }

    /// Now, by the injected clock.
    pub fn now(&self) -> SystemTime {
        self.clock.now()
    }

    /// Sends `request` (named `route` in errors and traces, retried when `idempotent`) and
    /// answers the body of a 2xx answer; other answers are errors of `provider`.
    pub async fn fetch(
        &self,
        provider: &'static str,
        route: &'static str,
        idempotent: bool,
        request: http::request::Builder,
        body: Bytes,
    ) -> Result<Bytes, CredentialsError> {
        crate::login::send(
            &self.client,
            provider,
            route,
            idempotent,
            request.body(body),
        )
        .await
    }
}

/// Where a JWT-bearing method gets its token from, at each login.
pub(crate) trait FetchJwt: Send + Sync + fmt::Debug + 'static {
    /// The JWT for `identity_id`.
    fn fetch<'a>(
        &'a self,
        provider: &'static str,
        identity_id: &'a str,
        cx: &'a LoginContext,
    ) -> BoxFuture<'a, Result<SecretString, CredentialsError>>;
}

/// The `{identityId, jwt}` login shared by Kubernetes, GCP, Azure, OIDC and JWT auth.
#[derive(Debug)]
pub(crate) struct JwtLogin<F> {
    pub(crate) name: &'static str,
    pub(crate) route: &'static str,
    pub(crate) identity_id: String,
    pub(crate) jwt: F,
}

impl<F: FetchJwt> IdentityLogin for JwtLogin<F> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn route(&self) -> &'static str {
        self.route
    }

    fn identity(&self) -> &str {
        &self.identity_id
    }

    fn body<'a>(
        &'a self,
        cx: &'a LoginContext,
    ) -> BoxFuture<'a, Result<LoginBody, CredentialsError>> {
        Box::pin(async move {
            let jwt = self.jwt.fetch(self.name, &self.identity_id, cx).await?;
            Ok(LoginBody::new()
                .field("identityId", &self.identity_id)
                .secret("jwt", jwt))
        })
    }
}

/// A `GET` to a metadata server, tagged as `route`, answering the body as text.
pub(crate) async fn metadata_get(
    cx: &LoginContext,
    provider: &'static str,
    route: &'static str,
    url: &str,
    header: (&'static str, &'static str),
) -> Result<String, CredentialsError> {
    let request = http::Request::get(url).header(header.0, header.1);
    let body = cx
        .fetch(provider, route, true, request, Bytes::new())
        .await?;
    String::from_utf8(body.to_vec()).map_err(|_| {
        CredentialsError::new(
            CredentialsErrorKind::Unavailable,
            provider,
            format!("{route} answered something that is not text"),
        )
    })
}

/// An `Invalid` error of `provider`.
pub(crate) fn invalid(provider: &'static str, message: impl Into<String>) -> CredentialsError {
    CredentialsError::new(CredentialsErrorKind::Invalid, provider, message)
}

/// Joins a base URL (without a trailing `/`) and a path.
pub(crate) fn join(base: &str, path: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), path)
}

#[cfg(test)]
pub(crate) mod testing {
    //! A fake HTTP client that records requests and answers from a closure.

    use super::*;
    use crate::ManualClock;
    use std::sync::Mutex;
    use std::time::{Duration, UNIX_EPOCH};

    /// Requests seen by [`fake`], with their bodies.
    pub(crate) type Seen = Arc<Mutex<Vec<http::Request<Bytes>>>>;

    /// A context whose client answers `answer(request)` and records every request; the
    /// clock shows 2015-08-30T12:36:00Z.
    pub(crate) fn fake(
        answer: impl Fn(&http::Request<Bytes>) -> (u16, String) + Send + Sync + 'static,
    ) -> (LoginContext, Seen) {
        let seen: Seen = Arc::default();
        let log = seen.clone();
        let answer = Arc::new(answer);
        let service = tower::service_fn(move |request: http::Request<Bytes>| {
            let (status, body) = answer(&request);
            log.lock().unwrap().push(request);
            async move {
                Ok::<_, infisical_core::BoxError>(
                    http::Response::builder()
                        .status(status)
                        .body(Bytes::from(body))
                        .unwrap(),
                )
            }
        });
        let clock = Arc::new(ManualClock::new(
            UNIX_EPOCH + Duration::from_secs(1_440_938_160),
        ));
        (LoginContext::new(LoginClient::new(service), clock), seen)
    }

    /// The JSON of a method's body.
    pub(crate) async fn body_of(method: &LoginMethod, cx: &LoginContext) -> serde_json::Value {
        let body = method.inner().body(cx).await.unwrap();
        serde_json::to_value(&body).unwrap()
    }
}
