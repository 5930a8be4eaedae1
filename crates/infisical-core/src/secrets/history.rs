//! A secret's history: its versions, page by page.
//!
//! Route: `GET /api/v1/secret/{secretId}/secret-versions?offset&limit` on both generations
//! (Infisical's `backend/src/server/routes/v1/secret-version-router.ts`; its answer
//! `{secretVersions: [...]}` as in the October 2024 OpenAPI document).

use super::{GetSecret, Secret, UpdateSecret};
use crate::error::{require_field, HiddenValue, InvalidRequest};
use crate::rest::{member, offset_limit, operation, Routes};
use crate::SecretString;
use serde::Deserialize;

/// One version of a secret, as the server kept it.
///
/// The value is a [`SecretString`]: `Debug` never shows it; read it with
/// [`SecretVersion::value`], which refuses a value the server withheld.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct SecretVersion {
    /// The version record's id.
    #[serde(default)]
    pub id: String,
    /// The secret's id, when the server says.
    #[serde(default)]
    pub secret_id: Option<String>,
    /// The version number, starting at 1.
    #[serde(default)]
    pub version: u64,
    /// The secret's name in that version.
    #[serde(rename = "secretKey", default)]
    pub key: String,
    #[serde(rename = "secretValue", default)]
    value: SecretString,
    /// The comment in that version.
    #[serde(rename = "secretComment", default)]
    pub comment: String,
    /// The server withheld the value (the caller may not read values).
    #[serde(default)]
    pub secret_value_hidden: Option<bool>,
    /// When the version was made (RFC 3339), if the server says.
    #[serde(default)]
    pub created_at: Option<String>,
}

impl SecretVersion {
    /// The value in that version, or [`HiddenValue`] when the server withheld it. Do not
    /// log it.
    pub fn value(&self) -> Result<&str, HiddenValue> {
        crate::error::unless_withheld(self.secret_value_hidden, &self.key, &self.value)
    }
}

/// Lists a secret's versions, a page at a time (the secret's id is
/// [`Secret::id`](super::Secret::id)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListSecretVersions {
    secret_id: String,
    offset: u64,
    limit: u64,
}

impl ListSecretVersions {
    /// The first 20 versions of the secret with this id.
    pub fn new(secret_id: impl Into<String>) -> Self {
        Self {
            secret_id: secret_id.into(),
            offset: 0,
            limit: 20,
        }
    }

    /// The request for the page after `page`, if `page` was full.
    pub fn next_page(&self, page: &[SecretVersion]) -> Option<Self> {
        let full = u64::try_from(page.len()).is_ok_and(|n| n >= self.limit);
        let offset = self.offset.checked_add(self.limit)?;
        full.then(|| self.clone().offset(offset))
    }
}

/// Rolls a secret back to one of its versions: its value and comment become that version's,
/// as a new version. Infisical has no route for this on one secret (its dashboard does the
/// same), so the client reads the version ([`read`](RollBackSecret::read)) and writes it back
/// ([`write`](RollBackSecret::write)): a write like any other, held by an approval policy
/// like any other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollBackSecret {
    project_id: String,
    environment: String,
    name: String,
    path: String,
    version: u64,
}

impl RollBackSecret {
    /// Rolls `name`, in the root folder of `environment` in the project, back to `version`.
    pub fn new(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        name: impl Into<String>,
        version: u64,
    ) -> Self {
        Self {
            project_id: project_id.into(),
            environment: environment.into(),
            name: name.into(),
            path: "/".to_owned(),
            version,
        }
    }

    /// The folder holding the secret (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        path.clone_into(&mut self.path);
        self
    }

    /// The read: the secret at that version, its references as written (not expanded).
    pub fn read(&self) -> GetSecret {
        GetSecret::new(&self.project_id, &self.environment, &self.name)
            .path(&self.path)
            .version(self.version)
            .expand_references(false)
    }

    /// The write: the secret's value and comment set to `old`'s. A value the server withheld
    /// cannot be written back: [`HiddenValue`].
    pub fn write(&self, old: &Secret) -> Result<UpdateSecret, HiddenValue> {
        Ok(
            UpdateSecret::new(&self.project_id, &self.environment, &self.name)
                .path(&self.path)
                .value(old.value()?)
                .comment(old.comment.clone()),
        )
    }
}

offset_limit!(ListSecretVersions, "versions", "at least 1 (default 20)");

const VERSIONS: Routes = Routes::stable("GET /api/v1/secret/{secretId}/secret-versions");

operation! {
    ListSecretVersions => Vec<SecretVersion>;
    family(Stable)
    validate(s) {
        require_field("secret_id", &s.secret_id)?;
        if s.limit == 0 {
            return Err(InvalidRequest::new("limit", "must be at least 1"));
        }
        Ok(())
    }
    request(s, generation) {
        VERSIONS
            .at(generation)
            .arg(&s.secret_id)
            .query("offset", &s.offset.to_string())
            .query("limit", &s.limit.to_string())
            .send()
    }
    answer(response) { member(&VERSIONS, &["secretVersions"], response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};

    #[test]
    fn pages_are_asked_for_and_followed() {
        let first = ListSecretVersions::new("s-1").limit(2);
        let request = first.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(
            request.uri().to_string(),
            "/api/v1/secret/s-1/secret-versions?offset=0&limit=2"
        );
        let two = vec![SecretVersion::default(), SecretVersion::default()];
        let next = first.next_page(&two).unwrap();
        assert_eq!(next, ListSecretVersions::new("s-1").limit(2).offset(2));
        assert!(
            next.next_page(&two[..1]).is_none(),
            "a short page is the last"
        );
        let huge = ListSecretVersions::new("s").offset(u64::MAX).limit(1);
        assert!(huge.next_page(&two).is_none(), "no overflow");
        assert!(ListSecretVersions::new("s").limit(0).validate().is_err());
        assert!(ListSecretVersions::new(" ").validate().is_err());
    }

    #[test]
    fn versions_decode_and_withheld_values_stay_withheld() {
        let body = r#"{"secretVersions":[
            {"id":"v1","secretId":"s","version":1,"secretKey":"K","secretValue":"a","secretComment":"","createdAt":"2024-10-01T00:00:00Z"},
            {"id":"v2","version":2,"secretKey":"K","secretValue":"<hidden-by-infisical>","secretValueHidden":true}
        ]}"#;
        let response = http::Response::builder()
            .status(200)
            .body(bytes::Bytes::from(body))
            .unwrap();
        let versions = ListSecretVersions::new("s")
            .parse_response(response)
            .unwrap();
        assert_eq!(versions[0].value().unwrap(), "a");
        assert!(versions[1].value().is_err());
        assert!(!format!("{versions:?}").contains("\"a\""));
    }
}
