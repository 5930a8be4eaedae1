//! A machine identity's token: log in, renew while the max TTL allows, log in again, revoke.
//! Shared by every login method, universal auth included.

use crate::lifetime;
use crate::login::post_json;
use crate::methods::{LoginContext, LoginMethod};
use crate::{
    AccessToken, BoxFuture, Clock, LoginClient, Refresh, SystemClock, TokenCache, TokenLease,
    TokenSource,
};
use infisical_core::{CredentialsError, CredentialsErrorKind, Error, SecretString};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

const RENEW: &str = "POST /api/v1/auth/token/renew";
const REVOKE: &str = "POST /api/v1/auth/token/revoke";

/// Logs a machine identity in with a [`LoginMethod`] (Kubernetes, AWS IAM, GCP, Azure,
/// OIDC, JWT, LDAP, universal auth or one of your own), renews the token while its max TTL
/// allows, then logs in again with freshly gathered inputs (a rotated service-account
/// token, new AWS credentials, a new metadata-server token); revokes the token on
/// [`close`](TokenSource::close).
///
/// Behind a [`TokenCache`]: one login in flight however many requests wait, refresh ahead
/// of expiry, and failed logins back off (0.5 s doubling to 30 s) instead of hammering the
/// server. `Debug` never shows a secret or a token.
///
/// ```no_run
/// # async fn run(login_client: infisical_credentials::LoginClient) -> Result<(), infisical_core::Error> {
/// use infisical_credentials::{KubernetesAuth, MachineIdentityAuth, TokenSource};
///
/// let auth = MachineIdentityAuth::new(
///     "https://us.infisical.com",
///     KubernetesAuth::new("00000000-0000-0000-0000-000000000000"),
///     login_client,
/// )?;
/// let lease = auth.token().await?;
/// # drop(lease);
/// # Ok(()) }
/// ```
pub struct MachineIdentityAuth {
    cache: TokenCache<Session>,
    revoke_on_close: bool,
}

impl MachineIdentityAuth {
    /// Logs in with `method` against the server at `base_url` (such as
    /// `https://us.infisical.com`), through `client` (metadata servers included).
    pub fn new(
        base_url: &str,
        method: impl Into<LoginMethod>,
        client: LoginClient,
    ) -> Result<Self, Error> {
        Self::with_clock(base_url, method, client, Arc::new(SystemClock))
    }

    /// Like [`new`](MachineIdentityAuth::new), with an injected clock.
    pub fn with_clock(
        base_url: &str,
        method: impl Into<LoginMethod>,
        client: LoginClient,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, Error> {
        let method = method.into();
        method.check()?;
        let base = base_url.trim_end_matches('/').to_owned();
        http::Uri::try_from(base.as_str())
            .map_err(|e| Error::Config(format!("invalid base URL {base_url:?}: {e}")))?;
        let session = Session {
            cx: LoginContext::new(client, clock.clone()),
            base,
            method,
            organization: None,
            renewal: Mutex::new(Renewal::default()),
        };
        Ok(Self {
            cache: TokenCache::with_clock(session, clock),
            revoke_on_close: true,
        })
    }

    /// Whether [`close`](TokenSource::close) revokes the token on the server (default
    /// `true`). Turn it off when other processes share the identity's token.
    pub fn revoke_on_close(mut self, revoke: bool) -> Self {
        self.revoke_on_close = revoke;
        self
    }

    /// Logs in to this sub-organization (its slug): sent as `organizationSlug` (current
    /// servers) and `subOrganizationName` (older ones; each ignores the other's field).
    pub fn organization(mut self, slug: impl Into<String>) -> Self {
        self.cache.refresher_mut().organization = Some(slug.into());
        self
    }

    /// The login method.
    pub fn method(&self) -> &LoginMethod {
        &self.cache.refresher().method
    }
}

/// The login method, the server, and what renewing the current token can achieve.
pub(crate) struct Session {
    cx: LoginContext,
    base: String,
    method: LoginMethod,
    /// The sub-organization to log in to, if any.
    organization: Option<String>,
    renewal: Mutex<Renewal>,
}

/// What renewing the current token can achieve.
#[derive(Default, Clone, Copy)]
struct Renewal {
    /// The max-TTL deadline of the token's lineage: servers refuse a renewal past it.
    /// `None`: no max TTL.
    until: Option<SystemTime>,
    /// How long a renewal extends the token; `None` when the token has no TTL expiry
    /// (then renewing achieves nothing).
    lifetime: Option<Duration>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenBody<'a> {
    access_token: &'a SecretString,
}

/// A login or renew answer. The lifetimes are read by hand (see [`crate::lifetime`]):
/// servers send `0`, negative, huge and string values.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenAnswer {
    access_token: SecretString,
    #[serde(default)]
    expires_in: Option<serde_json::Value>,
    #[serde(rename = "accessTokenMaxTTL", default)]
    access_token_max_ttl: Option<serde_json::Value>,
}

/// The answer's lifetimes: (TTL, max TTL), `None` where there is no limit.
type Lifetimes = (Option<Duration>, Option<Duration>);

impl TokenAnswer {
    fn lifetimes(&self, provider: &'static str) -> Result<Lifetimes, CredentialsError> {
        let read = |field: &'static str, value: Option<&serde_json::Value>| {
            lifetime::seconds_field(value)
                .map(|s| s.and_then(lifetime::from_seconds))
                .map_err(|kind| {
                    CredentialsError::new(
                        CredentialsErrorKind::Unavailable,
                        provider,
                        format!("the server's token answer has {kind} as {field}"),
                    )
                })
        };
        Ok((
            read("expiresIn", self.expires_in.as_ref())?,
            read("accessTokenMaxTTL", self.access_token_max_ttl.as_ref())?,
        ))
    }
}

#[derive(Deserialize)]
struct Ignored {}

impl Session {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn renewal(&self) -> std::sync::MutexGuard<'_, Renewal> {
        self.renewal.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The token of a login or renewal answer. It expires when its TTL passes or its
    /// lineage's max TTL does, whichever comes first; with neither, only when the server
    /// rejects it.
    fn accept(
        &self,
        answer: TokenAnswer,
        fresh_login: bool,
    ) -> Result<AccessToken, CredentialsError> {
        let (ttl, max_ttl) = answer.lifetimes(self.name())?;
        let now = self.cx.now();
        let mut renewal = self.renewal();
        renewal.lifetime = ttl;
        if fresh_login {
            renewal.until = max_ttl.and_then(|t| lifetime::after(now, t));
        }
        let expires_at =
            lifetime::earliest(ttl.and_then(|t| lifetime::after(now, t)), renewal.until);
        Ok(AccessToken::new(answer.access_token, expires_at))
    }

    /// Renew only when the token has a TTL to extend and the renewed token would stay
    /// within the max TTL; otherwise the server refuses, and a fresh login is the only way.
    fn may_renew(&self) -> bool {
        let renewal = *self.renewal();
        let Some(extension) = renewal.lifetime else {
            return false;
        };
        match (renewal.until, lifetime::after(self.cx.now(), extension)) {
            (None, _) => true,
            (Some(until), Some(renewed)) => renewed <= until,
            (Some(_), None) => false,
        }
    }

    /// A fresh login: the method gathers its inputs anew (files, environment, metadata
    /// servers, signatures), then the login route is called.
    async fn login(&self) -> Result<AccessToken, CredentialsError> {
        let method = self.method.inner();
        let mut body = method.body(&self.cx).await?;
        if let Some(slug) = &self.organization {
            body = body
                .field("organizationSlug", slug.clone())
                .field("subOrganizationName", slug.clone());
        }
        let route = method.route();
        let url = self.url(route.strip_prefix("POST ").unwrap_or(route));
        let answer: TokenAnswer =
            post_json(self.cx.client(), method.name(), &url, route, &body).await?;
        self.accept(answer, true)
    }

    async fn renew(&self, current: &AccessToken) -> Result<AccessToken, CredentialsError> {
        let body = TokenBody {
            access_token: current.secret(),
        };
        let url = self.url("/api/v1/auth/token/renew");
        let answer: TokenAnswer =
            post_json(self.cx.client(), self.name(), &url, RENEW, &body).await?;
        self.accept(answer, false)
    }
}

impl Refresh for Session {
    fn refresh<'a>(
        &'a self,
        previous: Option<&'a AccessToken>,
    ) -> BoxFuture<'a, Result<AccessToken, CredentialsError>> {
        Box::pin(async move {
            if let Some(current) = previous.filter(|_| self.may_renew()) {
                match self.renew(current).await {
                    Ok(token) => return Ok(token),
                    Err(e) if e.kind() == CredentialsErrorKind::LoginRejected => {
                        tracing::debug!(error = %e, "token renewal refused; logging in again");
                    }
                    Err(e) => return Err(e),
                }
            }
            self.login().await
        })
    }

    fn revoke<'a>(&'a self, token: &'a AccessToken) -> BoxFuture<'a, Result<(), CredentialsError>> {
        Box::pin(async move {
            let body = TokenBody {
                access_token: token.secret(),
            };
            let url = self.url("/api/v1/auth/token/revoke");
            post_json::<_, Ignored>(self.cx.client(), self.name(), &url, REVOKE, &body).await?;
            Ok(())
        })
    }

    fn name(&self) -> &'static str {
        self.method.inner().name()
    }
}

impl TokenSource for MachineIdentityAuth {
    fn token(&self) -> BoxFuture<'_, Result<TokenLease, CredentialsError>> {
        self.cache.token()
    }

    fn ready(&self) -> Option<TokenLease> {
        self.cache.ready()
    }

    fn invalidate(&self, generation: u64) {
        self.cache.invalidate(generation);
    }

    fn close(&self) -> BoxFuture<'_, Result<(), CredentialsError>> {
        if self.revoke_on_close {
            self.cache.close()
        } else {
            Box::pin(async { Ok(()) })
        }
    }

    fn name(&self) -> &'static str {
        self.cache.refresher().name()
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MachineIdentityAuth")
            .field("base", &self.base)
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for MachineIdentityAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cache.fmt(f)
    }
}
