//! Azure auth: a managed identity's token from the instance metadata service (IMDS).

use super::{join, metadata_get, FetchJwt, JwtLogin, LoginContext, LoginMethod};
use crate::login::decode_json;
use crate::BoxFuture;
use infisical_core::{CredentialsError, SecretString};
use serde::Deserialize;

/// The instance metadata service of Azure VMs, scale sets, AKS nodes and container groups.
pub(crate) const IMDS: &str = "http://169.254.169.254";
const RESOURCE: &str = "https://management.azure.com/";

/// Azure auth (`POST /api/v1/auth/azure-auth/login`): on every login, a managed-identity
/// token for `https://management.azure.com/` from IMDS
/// (`GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=…` with
/// `Metadata: true`).
#[derive(Debug, Clone)]
pub struct AzureAuth {
    identity_id: String,
    imds: Imds,
}

#[derive(Debug, Clone)]
struct Imds {
    base: String,
    resource: String,
    client_id: Option<String>,
}

impl AzureAuth {
    /// Azure auth for `identity_id` with the system-assigned managed identity.
    pub fn new(identity_id: impl Into<String>) -> Self {
        Self {
            identity_id: identity_id.into(),
            imds: Imds {
                base: IMDS.to_owned(),
                resource: RESOURCE.to_owned(),
                client_id: None,
            },
        }
    }

    /// The resource (audience) the token is for, when the identity expects another than
    /// `https://management.azure.com/`.
    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.imds.resource = resource.into();
        self
    }

    /// A user-assigned managed identity, by its client id.
    pub fn client_id(mut self, client_id: impl Into<String>) -> Self {
        self.imds.client_id = Some(client_id.into());
        self
    }

    /// Another metadata service than `http://169.254.169.254` (such as a local fake in
    /// tests): scheme, host and port.
    pub fn imds_url(mut self, url: impl Into<String>) -> Self {
        self.imds.base = url.into();
        self
    }
}

#[derive(Deserialize)]
struct ImdsToken {
    access_token: SecretString,
}

impl FetchJwt for Imds {
    fn fetch<'a>(
        &'a self,
        provider: &'static str,
        _identity_id: &'a str,
        cx: &'a LoginContext,
    ) -> BoxFuture<'a, Result<SecretString, CredentialsError>> {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("api-version", "2018-02-01")
            .append_pair("resource", &self.resource);
        if let Some(client_id) = &self.client_id {
            query.append_pair("client_id", client_id);
        }
        let url = join(&self.base, "/metadata/identity/oauth2/token?") + &query.finish();
        Box::pin(async move {
            let route = "GET azure-imds token";
            let answer = metadata_get(cx, provider, route, &url, ("Metadata", "true")).await?;
            let token: ImdsToken = decode_json(provider, route, answer.as_bytes())?;
            Ok(token.access_token)
        })
    }
}

impl From<AzureAuth> for LoginMethod {
    fn from(m: AzureAuth) -> Self {
        LoginMethod::new(JwtLogin {
            name: "azure-auth",
            route: "POST /api/v1/auth/azure-auth/login",
            identity_id: m.identity_id,
            jwt: m.imds,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::testing::{body_of, fake};
    use serde_json::json;

    #[tokio::test]
    async fn the_token_comes_from_imds() {
        let (cx, seen) = fake(|_| {
            (
                200,
                r#"{"access_token":"az.jwt.token","expires_in":"3599"}"#.to_owned(),
            )
        });
        let method: LoginMethod = AzureAuth::new("az-id")
            .client_id("uami")
            .imds_url("http://imds.test")
            .into();
        assert_eq!(
            body_of(&method, &cx).await,
            json!({"identityId": "az-id", "jwt": "az.jwt.token"})
        );
        let seen = seen.lock().unwrap();
        assert_eq!(
            seen[0].uri().to_string(),
            "http://imds.test/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F&client_id=uami"
        );
        assert_eq!(seen[0].headers()["metadata"], "true");
    }
}
