//! KMS keys: list (by page), get by id or name, create, update, delete.

use super::model::{KeyUsage, KmsKey, KmsKeyPage};
use crate::error::{require_field, InvalidRequest};
use crate::rest::{member, offset_limit, operation, whole, Routes};
use serde::Serialize;

/// The most keys one page may hold.
const MAX_LIMIT: u64 = 100;

/// Lists one page of the KMS keys of a project, by name. See
/// [`next_page`](ListKmsKeys::next_page) to go through every page.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListKmsKeys {
    project_id: String,
    offset: u64,
    limit: u64,
    search: Option<String>,
    descending: bool,
}

impl ListKmsKeys {
    /// The first page (up to 100 keys) of the project's keys, in name order.
    pub fn new(project_id: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
            offset: 0,
            limit: MAX_LIMIT,
            search: None,
            descending: false,
        }
    }

    /// Only keys whose name contains this.
    pub fn search(mut self, search: impl Into<String>) -> Self {
        self.search = Some(search.into());
        self
    }

    /// Names in descending order (default ascending).
    pub fn descending(mut self, descending: bool) -> Self {
        self.descending = descending;
        self
    }

    /// The request for the page after `page` (the answer to this request), or `None` when
    /// `page` was the last: empty, shorter than the limit (whatever `totalCount` claims),
    /// or reaching `totalCount`.
    pub fn next_page(&self, page: &KmsKeyPage) -> Option<ListKmsKeys> {
        let got = u64::try_from(page.keys.len()).unwrap_or(u64::MAX);
        let next = self.offset.checked_add(got)?;
        let full = got >= self.limit;
        (got > 0 && full && next < page.total_count).then(|| self.clone().offset(next))
    }
}

offset_limit!(ListKmsKeys, "keys", "1 to 100 (default 100)");

const LIST: Routes = Routes::stable("GET /api/v1/kms/keys");

operation! {
    ListKmsKeys => KmsKeyPage;
    family(Stable)
    validate(s) {
        require_field("project_id", &s.project_id)?;
        if !(1..=MAX_LIMIT).contains(&s.limit) {
            return Err(InvalidRequest::new("limit", "must be 1 to 100"));
        }
        Ok(())
    }
    request(s, generation) {
        let call = LIST
            .at(generation)
            .query("projectId", &s.project_id)
            .query("offset", &s.offset.to_string())
            .query("limit", &s.limit.to_string())
            .query("orderDirection", if s.descending { "desc" } else { "asc" });
        match &s.search {
            Some(search) => call.query("search", search),
            None => call,
        }
        .send()
    }
    answer(response) { whole(&LIST, response) }
}

/// Gets one key by id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetKmsKey {
    id: String,
}

impl GetKmsKey {
    /// Gets the key with this id.
    pub fn new(key_id: impl Into<String>) -> Self {
        Self { id: key_id.into() }
    }
}

const GET: Routes = Routes::stable("GET /api/v1/kms/keys/{keyId}");

operation! {
    GetKmsKey => KmsKey;
    family(Stable)
    validate(s) { require_field("key_id", &s.id) }
    request(s, generation) { GET.at(generation).arg(&s.id).send() }
    answer(response) { member(&GET, &["key"], response) }
}

/// Gets one key of a project by name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetKmsKeyByName {
    project_id: String,
    name: String,
}

impl GetKmsKeyByName {
    /// Gets the key `name` of the project.
    pub fn new(project_id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
            name: name.into(),
        }
    }
}

const GET_BY_NAME: Routes = Routes::stable("GET /api/v1/kms/keys/key-name/{keyName}");

operation! {
    GetKmsKeyByName => KmsKey;
    family(Stable)
    validate(s) {
        require_field("project_id", &s.project_id)?;
        require_field("name", &s.name)
    }
    request(s, generation) {
        GET_BY_NAME.at(generation).arg(&s.name).query("projectId", &s.project_id).send()
    }
    answer(response) { member(&GET_BY_NAME, &["key"], response) }
}

/// Creates a key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateKmsKey {
    project_id: String,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    key_usage: Option<KeyUsage>,
    /// Sent under both names: `algorithm` (current servers) and `encryptionAlgorithm`
    /// (every server; current ones prefer `algorithm`).
    #[serde(skip_serializing_if = "Option::is_none")]
    algorithm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    encryption_algorithm: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_exportable: Option<bool>,
}

impl CreateKmsKey {
    /// Creates the key `name` (a slug) in the project: an `aes-256-gcm` encrypt/decrypt key
    /// unless told otherwise.
    pub fn new(project_id: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            project_id: project_id.into(),
            name: name.into(),
            description: None,
            key_usage: None,
            algorithm: None,
            encryption_algorithm: None,
            is_exportable: None,
        }
    }

    /// A description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.description = Some(description.into());
        self
    }

    /// What the key is for (sign/verify and MACs need a current server; a usage the SDK
    /// does not name goes as `KeyUsage::Other("…")`, and the server says if it takes it).
    pub fn key_usage(mut self, usage: KeyUsage) -> Self {
        self.key_usage = Some(usage);
        self
    }

    /// The algorithm: `aes-256-gcm` (default) or `aes-128-gcm` to encrypt; `RSA_4096`,
    /// `ECC_NIST_P256`, `ECC_NIST_P384`, … to sign; `HMAC_SHA_256`, … for MACs. Passed on
    /// as given: the server says which it takes.
    pub fn algorithm(mut self, algorithm: impl Into<String>) -> Self {
        let algorithm = algorithm.into();
        self.encryption_algorithm = Some(algorithm.clone());
        self.algorithm = Some(algorithm);
        self
    }

    /// The algorithm; see [`algorithm`](CreateKmsKey::algorithm).
    #[deprecated(
        since = "0.2.0",
        note = "use `algorithm`, the name current servers use"
    )]
    pub fn encryption_algorithm(self, algorithm: impl Into<String>) -> Self {
        self.algorithm(algorithm)
    }

    /// Whether the key's material may be exported later (current servers; their default is
    /// `true`).
    pub fn exportable(mut self, exportable: bool) -> Self {
        self.is_exportable = Some(exportable);
        self
    }
}

const CREATE: Routes = Routes::stable("POST /api/v1/kms/keys");

operation! {
    CreateKmsKey => KmsKey;
    family(Stable)
    validate(s) {
        require_field("project_id", &s.project_id)?;
        require_field("name", &s.name)?;
        if let Some(KeyUsage::Other(name)) = &s.key_usage {
            require_field("key_usage", name)?;
        }
        Ok(())
    }
    request(s, generation) { CREATE.at(generation).send_json(s) }
    answer(response) { member(&CREATE, &["key"], response) }
}

/// The changes of an update; only what is set is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
struct KeyChanges {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    is_disabled: Option<bool>,
}

/// Renames, describes, disables or enables a key. Only what is set is changed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UpdateKmsKey {
    id: String,
    changes: KeyChanges,
}

impl UpdateKmsKey {
    /// Updates the key with this id.
    pub fn new(key_id: impl Into<String>) -> Self {
        Self {
            id: key_id.into(),
            changes: KeyChanges::default(),
        }
    }

    /// A new name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.changes.name = Some(name.into());
        self
    }

    /// A new description.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.changes.description = Some(description.into());
        self
    }

    /// Disable (every operation is refused) or enable the key.
    pub fn disabled(mut self, disabled: bool) -> Self {
        self.changes.is_disabled = Some(disabled);
        self
    }
}

/// Rotates an encrypt/decrypt key: new key material, the version one higher; what the
/// older material encrypted still decrypts (current servers: upstream
/// `server/routes/v1/cmek-router.ts`, `POST /api/v1/kms/keys/{keyId}/rotate`, no body,
/// answering `{key}`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RotateKmsKey {
    id: String,
}

impl RotateKmsKey {
    /// Rotates the key `key_id`.
    pub fn new(key_id: impl Into<String>) -> Self {
        Self { id: key_id.into() }
    }
}

const ROTATE: Routes = Routes::stable("POST /api/v1/kms/keys/{keyId}/rotate");

operation! {
    RotateKmsKey => KmsKey;
    family(Stable)
    validate(s) { require_field("key_id", &s.id) }
    request(s, generation) { ROTATE.at(generation).arg(&s.id).send() }
    answer(response) { member(&ROTATE, &["key"], response) }
}

const UPDATE: Routes = Routes::stable("PATCH /api/v1/kms/keys/{keyId}");

operation! {
    UpdateKmsKey => KmsKey;
    family(Stable)
    validate(s) {
        require_field("key_id", &s.id)?;
        if s.changes == KeyChanges::default() {
            return Err(InvalidRequest::new(
                "name",
                "nothing to update: set a name, a description or the disabled flag",
            ));
        }
        if let Some(name) = &s.changes.name {
            require_field("name", name)?;
        }
        Ok(())
    }
    request(s, generation) { UPDATE.at(generation).arg(&s.id).send_json(&s.changes) }
    answer(response) { member(&UPDATE, &["key"], response) }
}

/// Deletes a key; what it encrypted can no longer be decrypted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeleteKmsKey {
    id: String,
}

impl DeleteKmsKey {
    /// Deletes the key with this id.
    pub fn new(key_id: impl Into<String>) -> Self {
        Self { id: key_id.into() }
    }
}

const DELETE: Routes = Routes::stable("DELETE /api/v1/kms/keys/{keyId}");

operation! {
    DeleteKmsKey => KmsKey;
    family(Stable)
    validate(s) { require_field("key_id", &s.id) }
    request(s, generation) { DELETE.at(generation).arg(&s.id).send() }
    answer(response) { member(&DELETE, &["key"], response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};

    #[test]
    fn pages_follow_one_another() {
        let first = ListKmsKeys::new("p").limit(2);
        let request = first.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(
            request.uri().to_string(),
            "/api/v1/kms/keys?projectId=p&offset=0&limit=2&orderDirection=asc"
        );
        let page = |n: usize, total: u64| KmsKeyPage {
            keys: vec![KmsKey::default(); n],
            total_count: total,
        };
        let second = first.next_page(&page(2, 5)).unwrap();
        assert_eq!(second, first.clone().offset(2));
        let third = second.next_page(&page(2, 5)).unwrap();
        assert!(third.next_page(&page(1, 5)).is_none());
        assert!(
            first.next_page(&page(0, 5)).is_none(),
            "an empty page ends the list"
        );
        assert!(
            first.next_page(&page(1, u64::MAX)).is_none(),
            "a short page ends the list, whatever totalCount claims"
        );
        let at_the_end = ListKmsKeys::new("p").limit(2).offset(u64::MAX - 1);
        assert!(
            at_the_end.next_page(&page(2, u64::MAX)).is_none(),
            "no overflow"
        );
        assert_eq!(
            ListKmsKeys::new("p")
                .limit(101)
                .validate()
                .unwrap_err()
                .field(),
            "limit"
        );
    }

    #[test]
    fn key_routes() {
        let by_name = GetKmsKeyByName::new("p", "my key");
        let request = by_name.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(
            request.uri().to_string(),
            "/api/v1/kms/keys/key-name/my%20key?projectId=p"
        );
        let create = CreateKmsKey::new("p", "k")
            .key_usage(KeyUsage::SignVerify)
            .algorithm("RSA_4096");
        let body: serde_json::Value =
            serde_json::from_slice(create.to_http(ApiGeneration::Current).unwrap().body()).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"projectId": "p", "name": "k", "keyUsage": "sign-verify", "algorithm": "RSA_4096", "encryptionAlgorithm": "RSA_4096"})
        );
        assert_eq!(
            UpdateKmsKey::new("k").validate().unwrap_err().field(),
            "name"
        );
    }

    #[test]
    fn key_usages_are_an_open_set() {
        for name in [
            "encrypt-decrypt",
            "sign-verify",
            "generate-verify-mac",
            "quantum-sign",
        ] {
            let usage: KeyUsage = serde_json::from_value(serde_json::json!(name)).unwrap();
            assert_eq!(usage.as_str(), name);
            assert_eq!(
                serde_json::to_value(&usage).unwrap(),
                serde_json::json!(name)
            );
        }
        let future = CreateKmsKey::new("p", "k").key_usage(KeyUsage::Other("quantum-sign".into()));
        let body: serde_json::Value =
            serde_json::from_slice(future.to_http(ApiGeneration::Current).unwrap().body()).unwrap();
        assert_eq!(body["keyUsage"], "quantum-sign", "passed on, not refused");
        let empty = CreateKmsKey::new("p", "k").key_usage(KeyUsage::Other(String::new()));
        assert_eq!(empty.validate().unwrap_err().field(), "key_usage");
    }
}
