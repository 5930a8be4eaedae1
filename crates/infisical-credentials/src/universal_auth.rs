//! Universal auth: a machine identity's client id and secret — one login method among the
//! others, renewed, refreshed and revoked like every one of them.

use crate::methods::{IdentityLogin, LoginBody, LoginContext, LoginMethod};
use crate::BoxFuture;
use infisical_core::{CredentialsError, SecretString};
use std::fmt;

/// Universal auth (`POST /api/v1/auth/universal-auth/login`): a machine identity's client
/// id and secret.
///
/// A login method like [`KubernetesAuth`](crate::KubernetesAuth) and the others: give it to
/// the client builder's `credentials`, or to [`MachineIdentityAuth::new`](crate::MachineIdentityAuth::new)
/// for a token source of your own. `Debug` shows the client id, never the secret.
///
/// ```no_run
/// # async fn run(login_client: infisical_credentials::LoginClient) -> Result<(), infisical_core::Error> {
/// use infisical_credentials::{MachineIdentityAuth, TokenSource, UniversalAuth};
///
/// let auth = MachineIdentityAuth::new(
///     "https://us.infisical.com",
///     UniversalAuth::new("client-id", "client-secret"),
///     login_client,
/// )?;
/// let lease = auth.token().await?;
/// # drop(lease);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct UniversalAuth {
    client_id: String,
    client_secret: SecretString,
}

impl UniversalAuth {
    /// Universal auth with this client id and secret. Empty parts are refused when the
    /// client (or the token source) is built, as [`InvalidRequest`](infisical_core::InvalidRequest).
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<SecretString>) -> Self {
        Self {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
        }
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }
}

impl IdentityLogin for UniversalAuth {
    fn name(&self) -> &'static str {
        "universal-auth"
    }

    fn route(&self) -> &'static str {
        "POST /api/v1/auth/universal-auth/login"
    }

    fn identity(&self) -> &str {
        &self.client_id
    }

    fn missing_field(&self) -> Option<&'static str> {
        if self.client_id.trim().is_empty() {
            Some("client_id")
        } else if self.client_secret.is_empty() {
            Some("client_secret")
        } else {
            None
        }
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

impl From<UniversalAuth> for LoginMethod {
    fn from(method: UniversalAuth) -> Self {
        LoginMethod::new(method)
    }
}

impl fmt::Debug for UniversalAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UniversalAuth")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .finish()
    }
}
