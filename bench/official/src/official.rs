//! The official SDK's client as a [`Lister`]: built, then logged in once, explicitly.

use crate::harness::{BoxError, Lister, Listing, Target, ENVIRONMENT};
use infisical::secrets::{ListSecretsRequest, Secret};
use infisical::{AuthMethod, Client};

/// The official client, listing one folder.
pub struct Official {
    client: Client,
    project: String,
    folder: &'static str,
}

impl Official {
    /// A client of `target`, logged in, listing `folder`.
    pub async fn new(target: &Target, folder: &'static str) -> Result<Self, BoxError> {
        let mut client = Client::builder().base_url(&target.url).build().await?;
        client
            .login(AuthMethod::new_universal_auth(
                &target.client_id,
                &target.client_secret,
            ))
            .await?;
        Ok(Self {
            client,
            project: target.project.clone(),
            folder,
        })
    }
}

impl Lister for Official {
    type List = Vec<Secret>;
    async fn list(&self) -> Result<Vec<Secret>, BoxError> {
        let request = ListSecretsRequest::builder(self.project.as_str(), ENVIRONMENT)
            .path(self.folder)
            .build();
        Ok(self.client.secrets().list(request).await?)
    }
}

impl Listing for Vec<Secret> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn first_value(&self) -> Option<&str> {
        Some(self.first()?.secret_value.as_str())
    }
    fn values_have_len(&self, len: usize) -> bool {
        self.iter().all(|s| s.secret_value.len() == len)
    }
}
