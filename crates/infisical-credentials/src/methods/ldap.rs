//! LDAP auth: a username and password checked by the identity's LDAP server.

use super::{IdentityLogin, LoginBody, LoginContext, LoginMethod};
use crate::BoxFuture;
use infisical_core::{CredentialsError, SecretString};

/// LDAP auth (`POST /api/v1/auth/ldap-auth/login`): `{identityId, username, password}`.
/// `Debug` never shows the password.
#[derive(Debug, Clone)]
pub struct LdapAuth {
    identity_id: String,
    username: String,
    password: SecretString,
}

impl LdapAuth {
    /// LDAP auth for `identity_id` as `username`.
    pub fn new(
        identity_id: impl Into<String>,
        username: impl Into<String>,
        password: impl Into<SecretString>,
    ) -> Self {
        Self {
            identity_id: identity_id.into(),
            username: username.into(),
            password: password.into(),
        }
    }
}

impl IdentityLogin for LdapAuth {
    fn name(&self) -> &'static str {
        "ldap-auth"
    }

    fn route(&self) -> &'static str {
        "POST /api/v1/auth/ldap-auth/login"
    }

    fn identity(&self) -> &str {
        &self.identity_id
    }

    fn body<'a>(
        &'a self,
        _cx: &'a LoginContext,
    ) -> BoxFuture<'a, Result<LoginBody, CredentialsError>> {
        let body = LoginBody::new()
            .field("identityId", &self.identity_id)
            .field("username", &self.username)
            .secret("password", self.password.clone());
        Box::pin(async move { Ok(body) })
    }
}

impl From<LdapAuth> for LoginMethod {
    fn from(m: LdapAuth) -> Self {
        LoginMethod::new(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::testing::{body_of, fake};
    use serde_json::json;

    #[tokio::test]
    async fn the_body_and_a_redacted_debug() {
        let method: LoginMethod = LdapAuth::new("ldap-id", "alice", "hunter2").into();
        let (cx, _) = fake(|_| (500, String::new()));
        assert_eq!(
            body_of(&method, &cx).await,
            json!({"identityId": "ldap-id", "username": "alice", "password": "hunter2"})
        );
        assert!(!format!("{method:?}").contains("hunter2"));
    }
}
