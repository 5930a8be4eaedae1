//! Universal auth: a machine identity's client id and secret.

use crate::methods::{IdentityLogin, LoginBody, LoginContext, LoginMethod};
use crate::{
    BoxFuture, Clock, LoginClient, MachineIdentityAuth, SystemClock, TokenLease, TokenSource,
};
use infisical_core::{CredentialsError, Error, SecretString};
use std::fmt;
use std::sync::Arc;

/// Logs in with a client id and secret, renews the token while its max TTL allows, then
/// logs in again; revokes the token on [`close`](TokenSource::close).
///
/// `Debug` shows the client id, never the secret or a token.
pub struct UniversalAuth {
    inner: MachineIdentityAuth,
    client_id: String,
}

/// The universal-auth login: `{clientId, clientSecret}`.
#[derive(Clone)]
pub(crate) struct UniversalAuthLogin {
    client_id: String,
    client_secret: SecretString,
}

impl UniversalAuthLogin {
    /// Checks that neither part is empty.
    pub(crate) fn new(client_id: String, client_secret: SecretString) -> Result<Self, Error> {
        if client_id.trim().is_empty() {
            return Err(infisical_core::InvalidRequest::missing("client_id").into());
        }
        if client_secret.is_empty() {
            return Err(infisical_core::InvalidRequest::missing("client_secret").into());
        }
        Ok(Self {
            client_id,
            client_secret,
        })
    }
}

impl IdentityLogin for UniversalAuthLogin {
    fn name(&self) -> &'static str {
        "universal-auth"
    }

    fn route(&self) -> &'static str {
        "POST /api/v1/auth/universal-auth/login"
    }

    fn identity(&self) -> &str {
        &self.client_id
    }

    fn body<'a>(
        &'a self,
        _cx: &'a LoginContext,
    ) -> BoxFuture<'a, Result<LoginBody, CredentialsError>> {
        let body = LoginBody::new()
            .field("clientId", &self.client_id)
            .secret("clientSecret", self.client_secret.clone());
        Box::pin(async move { Ok(body) })
    }
}

impl fmt::Debug for UniversalAuthLogin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UniversalAuthLogin")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .finish()
    }
}

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
        let login = UniversalAuthLogin::new(client_id.into(), client_secret)?;
        let client_id = login.client_id.clone();
        let inner =
            MachineIdentityAuth::with_clock(base_url, LoginMethod::new(login), client, clock)?;
        Ok(Self { inner, client_id })
    }

    /// Whether [`close`](TokenSource::close) revokes the token on the server (default
    /// `true`). Turn it off when other processes share the identity's token.
    pub fn revoke_on_close(mut self, revoke: bool) -> Self {
        self.inner = self.inner.revoke_on_close(revoke);
        self
    }

    /// Logs in to this sub-organization (its slug); see
    /// [`MachineIdentityAuth::organization`].
    pub fn organization(mut self, slug: impl Into<String>) -> Self {
        self.inner = self.inner.organization(slug);
        self
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
}

impl TokenSource for UniversalAuth {
    fn token(&self) -> BoxFuture<'_, Result<TokenLease, CredentialsError>> {
        self.inner.token()
    }

    fn invalidate(&self, generation: u64) {
        self.inner.invalidate(generation);
    }

    fn close(&self) -> BoxFuture<'_, Result<(), CredentialsError>> {
        self.inner.close()
    }

    fn name(&self) -> &'static str {
        self.inner.name()
    }
}

impl fmt::Debug for UniversalAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}
