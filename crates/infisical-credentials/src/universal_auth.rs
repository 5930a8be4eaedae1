//! Universal auth: a machine identity's client id and secret.

use crate::login::post_json;
use crate::{
    AccessToken, BoxFuture, Clock, LoginClient, Refresh, SystemClock, TokenCache, TokenLease,
    TokenSource,
};
use infisical_core::{CredentialsError, CredentialsErrorKind, Error, SecretString};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

const PROVIDER: &str = "universal-auth";
const LOGIN: &str = "POST /api/v1/auth/universal-auth/login";
const RENEW: &str = "POST /api/v1/auth/token/renew";
const REVOKE: &str = "POST /api/v1/auth/token/revoke";

/// Logs in with a client id and secret, renews the token while its max TTL allows, then
/// logs in again; revokes the token on [`close`](TokenSource::close).
///
/// `Debug` shows the client id, never the secret or a token.
pub struct UniversalAuth {
    cache: TokenCache<Login>,
    revoke_on_close: bool,
}

struct Login {
    client: LoginClient,
    base: String,
    client_id: String,
    client_secret: SecretString,
    clock: Arc<dyn Clock>,
    renewal: Mutex<Renewal>,
}

/// What renewing the current token can achieve.
#[derive(Default, Clone, Copy)]
struct Renewal {
    /// The max-TTL deadline of the token's lineage: servers refuse a renewal past it.
    until: Option<SystemTime>,
    /// How long a renewal extends the token.
    lifetime: Duration,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LoginBody<'a> {
    client_id: &'a str,
    client_secret: &'a SecretString,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct TokenBody<'a> {
    access_token: &'a SecretString,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TokenAnswer {
    access_token: SecretString,
    expires_in: f64,
    #[serde(rename = "accessTokenMaxTTL", default)]
    access_token_max_ttl: Option<f64>,
}

#[derive(Deserialize)]
struct Ignored {}

impl UniversalAuth {
    /// Universal auth against the server at `base_url` (such as `https://us.infisical.com`),
    /// with logins sent through `client`.
    pub fn new(
        base_url: &str,
        client_id: impl Into<String>,
        client_secret: SecretString,
        client: LoginClient,
    ) -> Result<Self, Error> {
        Self::with_clock(
            base_url,
            client_id,
            client_secret,
            client,
            Arc::new(SystemClock),
        )
    }

    /// Like [`new`](UniversalAuth::new), with an injected clock.
    pub fn with_clock(
        base_url: &str,
        client_id: impl Into<String>,
        client_secret: SecretString,
        client: LoginClient,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, Error> {
        let client_id = client_id.into();
        if client_id.trim().is_empty() {
            return Err(infisical_core::InvalidRequest::missing("client_id").into());
        }
        if client_secret.is_empty() {
            return Err(infisical_core::InvalidRequest::missing("client_secret").into());
        }
        let base = base_url.trim_end_matches('/').to_owned();
        http::Uri::try_from(base.as_str())
            .map_err(|e| Error::Config(format!("invalid base URL {base_url:?}: {e}")))?;
        let login = Login {
            client,
            base,
            client_id,
            client_secret,
            clock: clock.clone(),
            renewal: Mutex::new(Renewal::default()),
        };
        Ok(Self {
            cache: TokenCache::with_clock(login, clock),
            revoke_on_close: true,
        })
    }

    /// Whether [`close`](TokenSource::close) revokes the token on the server (default
    /// `true`). Turn it off when other processes share the identity's token.
    pub fn revoke_on_close(mut self, revoke: bool) -> Self {
        self.revoke_on_close = revoke;
        self
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.cache.refresher().client_id
    }
}

impl Login {
    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    fn renewal(&self) -> std::sync::MutexGuard<'_, Renewal> {
        self.renewal.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn accept(&self, answer: TokenAnswer, fresh_login: bool) -> AccessToken {
        let now = self.clock.now();
        let lifetime = secs(answer.expires_in);
        let mut renewal = self.renewal();
        renewal.lifetime = lifetime;
        if fresh_login {
            // A max TTL of 0 means no limit.
            renewal.until = answer
                .access_token_max_ttl
                .filter(|t| *t > 0.0)
                .map(|t| now + secs(t));
        }
        AccessToken::new(answer.access_token, Some(now + lifetime))
    }

    /// Renew only when the renewed token would stay within the max TTL; otherwise the
    /// server refuses, and a fresh login is the only way.
    fn may_renew(&self) -> bool {
        let renewal = *self.renewal();
        renewal
            .until
            .is_none_or(|until| self.clock.now() + renewal.lifetime <= until)
    }

    async fn login(&self) -> Result<AccessToken, CredentialsError> {
        let body = LoginBody {
            client_id: &self.client_id,
            client_secret: &self.client_secret,
        };
        let url = self.url("/api/v1/auth/universal-auth/login");
        let answer: TokenAnswer = post_json(&self.client, PROVIDER, &url, LOGIN, &body).await?;
        Ok(self.accept(answer, true))
    }

    async fn renew(&self, current: &AccessToken) -> Result<AccessToken, CredentialsError> {
        let body = TokenBody {
            access_token: current.secret(),
        };
        let url = self.url("/api/v1/auth/token/renew");
        let answer: TokenAnswer = post_json(&self.client, PROVIDER, &url, RENEW, &body).await?;
        Ok(self.accept(answer, false))
    }
}

fn secs(value: f64) -> Duration {
    Duration::try_from_secs_f64(value.max(0.0)).unwrap_or(Duration::MAX / 4)
}

impl Refresh for Login {
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
            post_json::<_, Ignored>(&self.client, PROVIDER, &url, REVOKE, &body).await?;
            Ok(())
        })
    }

    fn name(&self) -> &'static str {
        PROVIDER
    }
}

impl TokenSource for UniversalAuth {
    fn token(&self) -> BoxFuture<'_, Result<TokenLease, CredentialsError>> {
        self.cache.token()
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
        PROVIDER
    }
}

impl fmt::Debug for Login {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UniversalAuth")
            .field("base", &self.base)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for UniversalAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.cache.fmt(f)
    }
}
