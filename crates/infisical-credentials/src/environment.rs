//! Credentials from `INFISICAL_*` environment variables.

use crate::{
    BoxFuture, Credentials, Env, ExplicitProvider, Lookup, ProvideCredentials, ProvidedCredentials,
};
use infisical_core::{CredentialsError, CredentialsErrorKind};
use std::sync::Arc;

const PROVIDER: &str = "environment";

/// Reads `INFISICAL_CLIENT_ID` + `INFISICAL_CLIENT_SECRET` (universal auth), else
/// `INFISICAL_TOKEN` (an access token); the server from `INFISICAL_URL`.
///
/// `INFISICAL_AUTH_METHOD` selects a login method explicitly, with the official Infisical
/// CLI's variables: `universal-auth` (`INFISICAL_UNIVERSAL_AUTH_CLIENT_ID` /
/// `_CLIENT_SECRET`), and with `INFISICAL_MACHINE_IDENTITY_ID`: `kubernetes`
/// (`INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH`), `aws-iam` (`AWS_*`),
/// `gcp-id-token`, `gcp-iam` (`INFISICAL_GCP_IAM_SERVICE_ACCOUNT_KEY_FILE_PATH`), `azure`,
/// `oidc-auth` and `jwt-auth` (`INFISICAL_JWT`), `ldap-auth` (`INFISICAL_LDAP_USERNAME`,
/// `INFISICAL_LDAP_PASSWORD`). A method whose variables are missing is an error.
///
/// Universal auth wins when both are set. Only one of the pair set is an error, not
/// "nothing here": half a configuration is a mistake to report.
#[derive(Debug, Clone)]
pub struct EnvironmentProvider {
    env: Arc<dyn Env>,
}

impl EnvironmentProvider {
    /// Reads `env`.
    pub fn new(env: Arc<dyn Env>) -> Self {
        Self { env }
    }

    fn lookup(&self) -> Result<Lookup, CredentialsError> {
        if let Some(selected) = crate::methods::env::from_env(&self.env, PROVIDER)? {
            return Ok(Lookup::Found(self.found(selected)));
        }
        let id = self.env.non_empty("INFISICAL_CLIENT_ID");
        let secret = self.env.non_empty("INFISICAL_CLIENT_SECRET");
        let credentials = match (id, secret) {
            (Some(client_id), Some(client_secret)) => {
                Credentials::universal_auth(client_id, client_secret)
            }
            (Some(_), None) | (None, Some(_)) => {
                return Err(CredentialsError::new(
                    CredentialsErrorKind::Invalid,
                    PROVIDER,
                    "INFISICAL_CLIENT_ID and INFISICAL_CLIENT_SECRET go together; only one is set",
                ))
            }
            (None, None) => match self.env.non_empty("INFISICAL_TOKEN") {
                Some(token) => Credentials::AccessToken(token.into()),
                None => {
                    return Ok(Lookup::NotHere(
                        "neither INFISICAL_CLIENT_ID + INFISICAL_CLIENT_SECRET nor INFISICAL_TOKEN is set"
                            .into(),
                    ))
                }
            },
        };
        Ok(Lookup::Found(self.found(credentials)))
    }

    fn found(&self, credentials: Credentials) -> ProvidedCredentials {
        let mut found = ExplicitProvider::identify(PROVIDER, credentials);
        found.base_url = self.env.non_empty("INFISICAL_URL");
        found
    }
}

impl ProvideCredentials for EnvironmentProvider {
    fn name(&self) -> &str {
        PROVIDER
    }

    fn provide(&self) -> BoxFuture<'_, Result<Lookup, CredentialsError>> {
        let result = self.lookup();
        Box::pin(async move { result })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StaticEnv;

    async fn provide(vars: StaticEnv) -> Result<Lookup, CredentialsError> {
        EnvironmentProvider::new(Arc::new(vars)).provide().await
    }

    #[tokio::test]
    async fn universal_auth_wins_over_a_token() {
        let env = StaticEnv::from([
            ("INFISICAL_CLIENT_ID", "id"),
            ("INFISICAL_CLIENT_SECRET", "secret"),
            ("INFISICAL_TOKEN", "token"),
            ("INFISICAL_URL", "https://eu.infisical.com"),
        ]);
        let Lookup::Found(found) = provide(env).await.unwrap() else {
            panic!()
        };
        assert!(
            matches!(found.credentials, Credentials::IdentityLogin(ref m) if m.name() == "universal-auth" && m.identity() == "id")
        );
        assert_eq!(found.base_url.as_deref(), Some("https://eu.infisical.com"));
        assert_eq!(found.identity.as_deref(), Some("id"));
    }

    #[tokio::test]
    async fn a_token_alone() {
        let Lookup::Found(found) = provide(StaticEnv::from([("INFISICAL_TOKEN", "t")]))
            .await
            .unwrap()
        else {
            panic!()
        };
        assert!(matches!(found.credentials, Credentials::AccessToken(ref t) if t.expose() == "t"));
        assert_eq!(found.base_url, None);
    }

    #[tokio::test]
    async fn nothing_and_half_a_pair() {
        assert!(matches!(
            provide(StaticEnv::new()).await.unwrap(),
            Lookup::NotHere(_)
        ));
        let blank = StaticEnv::from([("INFISICAL_TOKEN", "  ")]);
        assert!(matches!(provide(blank).await.unwrap(), Lookup::NotHere(_)));
        let half = StaticEnv::from([("INFISICAL_CLIENT_ID", "id")]);
        let err = provide(half).await.unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
    }
}
