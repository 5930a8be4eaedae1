//! This SDK's async client as a [`Lister`], built as a user would build it.

use crate::harness::{BoxError, Lister, Listing, Target, ENVIRONMENT};
use infisical::credentials::UniversalAuth;
use infisical::secrets::{ListSecrets, SecretList};
use std::time::Duration;

/// `builder` for the server and universal-auth identity of `target`.
pub fn builder<M>(
    target: &Target,
    builder: infisical::ClientBuilder<M>,
) -> infisical::ClientBuilder<M> {
    builder
        .base_url(&target.url)
        .credentials(UniversalAuth::new(
            &target.client_id,
            target.client_secret.as_str(),
        ))
}

/// The SDK's async client, listing one folder.
pub struct Sdk {
    client: infisical::Client,
    request: ListSecrets,
}

impl Sdk {
    /// A client of `target` listing `folder`; `untimed`, with neither a per-attempt timeout
    /// nor a deadline (no timer at all, to tell the cost of timing out from the rest).
    pub fn new(target: &Target, folder: &str, untimed: bool) -> Result<Self, BoxError> {
        let mut client = builder(target, infisical::Client::builder());
        if untimed {
            client = client.timeout(Duration::MAX).deadline(None);
        }
        Ok(Self {
            client: client.build()?,
            request: ListSecrets::new(target.project.as_str(), ENVIRONMENT).path(folder),
        })
    }
}

impl Lister for Sdk {
    type List = SecretList;
    async fn list(&self) -> Result<SecretList, BoxError> {
        Ok(self.client.secrets().list(self.request.clone()).await?)
    }
}

impl Listing for SecretList {
    fn len(&self) -> usize {
        SecretList::len(self)
    }
    fn first_value(&self) -> Option<&str> {
        self.secrets.first()?.value().ok()
    }
    fn values_have_len(&self, len: usize) -> bool {
        self.secrets
            .iter()
            .all(|s| s.value().is_ok_and(|v| v.len() == len))
    }
}
