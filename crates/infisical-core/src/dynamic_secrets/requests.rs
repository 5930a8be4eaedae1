//! List, get, create, update and delete dynamic secrets.

use super::model::DynamicSecret;
use super::provider::{DynamicSecretProvider, ProviderInputs};
use super::{targeted, Target};
use crate::error::{require_field, InvalidRequest};
use crate::location::{Location, WireLocation};
use crate::rest::{member, operation, Routes};
use serde::Serialize;

/// Both generations answer `{dynamicSecret}`.
const ONE: &[&str] = &["dynamicSecret"];

/// Lists the dynamic secrets of a folder.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListDynamicSecrets {
    location: Location,
}

impl ListDynamicSecrets {
    /// Lists the dynamic secrets of the root folder of an environment, both named by slug.
    pub fn new(project_slug: impl Into<String>, environment_slug: impl Into<String>) -> Self {
        Self {
            location: Location::by_slug(project_slug, environment_slug),
        }
    }

    /// The folder (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.location.set_path(path);
        self
    }
}

const LIST: Routes = Routes::stable("GET /api/v1/dynamic-secrets");

operation! {
    ListDynamicSecrets => Vec<DynamicSecret>;
    family(Stable)
    validate(s) { s.location.validate() }
    request(s, generation) { s.location.query(LIST.at(generation), generation).send() }
    answer(response) { member(&LIST, &["dynamicSecrets"], response) }
}

/// Gets one dynamic secret by name, with its provider's inputs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetDynamicSecret {
    target: Target,
}

targeted!(
    GetDynamicSecret,
    name,
    "Gets the dynamic secret `name` of the root folder of an environment."
);

const GET: Routes = Routes::stable("GET /api/v1/dynamic-secrets/{name}");

operation! {
    GetDynamicSecret => DynamicSecret;
    family(Stable)
    validate(s) { s.target.validate("name") }
    request(s, generation) {
        let call = GET.at(generation).arg(&s.target.key);
        s.target.location.query(call, generation).send()
    }
    answer(response) { member(&GET, ONE, response) }
}

/// `{projectSlug, environmentSlug, path, name, provider, defaultTTL, maxTTL?}`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CreateBody<'a> {
    #[serde(flatten)]
    location: WireLocation<'a>,
    name: &'a str,
    provider: &'a DynamicSecretProvider,
    #[serde(rename = "defaultTTL")]
    default_ttl: &'a str,
    #[serde(rename = "maxTTL", skip_serializing_if = "Option::is_none")]
    max_ttl: Option<&'a str>,
}

/// Creates a dynamic secret.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CreateDynamicSecret {
    target: Target,
    provider: DynamicSecretProvider,
    default_ttl: String,
    max_ttl: Option<String>,
}

impl CreateDynamicSecret {
    /// Creates the dynamic secret `name` in the root folder of an environment, issuing leases
    /// from `provider` that live `default_ttl` (such as `1h`) unless they ask otherwise.
    pub fn new(
        project_slug: impl Into<String>,
        environment_slug: impl Into<String>,
        name: impl Into<String>,
        provider: DynamicSecretProvider,
        default_ttl: impl Into<String>,
    ) -> Self {
        Self {
            target: Target::new(project_slug.into(), environment_slug.into(), name.into()),
            provider,
            default_ttl: default_ttl.into(),
            max_ttl: None,
        }
    }

    /// The folder (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.target.location.set_path(path);
        self
    }

    /// The longest a lease may live, counting renewals (default: no limit).
    pub fn max_ttl(mut self, max_ttl: impl Into<String>) -> Self {
        self.max_ttl = Some(max_ttl.into());
        self
    }
}

const CREATE: Routes = Routes::stable("POST /api/v1/dynamic-secrets");

operation! {
    CreateDynamicSecret => DynamicSecret;
    family(Stable)
    validate(s) {
        s.target.validate("name")?;
        require_field("provider", s.provider.provider_type())?;
        require_field("default_ttl", &s.default_ttl)
    }
    request(s, generation) {
        let body = CreateBody {
            location: s.target.location.wire(generation),
            name: &s.target.key,
            provider: &s.provider,
            default_ttl: &s.default_ttl,
            max_ttl: s.max_ttl.as_deref(),
        };
        CREATE.at(generation).send_json(&body)
    }
    answer(response) { member(&CREATE, ONE, response) }
}

/// The changes of an update (`data` on the wire); only what is set is sent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
struct Changes {
    #[serde(skip_serializing_if = "Option::is_none")]
    inputs: Option<ProviderInputs>,
    #[serde(rename = "defaultTTL", skip_serializing_if = "Option::is_none")]
    default_ttl: Option<String>,
    #[serde(rename = "maxTTL", skip_serializing_if = "Option::is_none")]
    max_ttl: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    new_name: Option<String>,
}

/// `{projectSlug, environmentSlug, path, data}`.
#[derive(Serialize)]
struct UpdateBody<'a> {
    #[serde(flatten)]
    location: WireLocation<'a>,
    data: &'a Changes,
}

/// Changes a dynamic secret's inputs, lease lifetimes or name. Only what is set is changed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UpdateDynamicSecret {
    target: Target,
    changes: Changes,
}

targeted!(
    UpdateDynamicSecret,
    name,
    "Updates the dynamic secret `name` of the root folder of an environment.",
    changes: Changes::default()
);

impl UpdateDynamicSecret {
    /// New provider inputs; the server merges them into the stored ones.
    pub fn inputs(mut self, inputs: serde_json::Value) -> Self {
        self.changes.inputs = Some(ProviderInputs::new(inputs));
        self
    }

    /// A new default lease lifetime.
    pub fn default_ttl(mut self, ttl: impl Into<String>) -> Self {
        self.changes.default_ttl = Some(ttl.into());
        self
    }

    /// A new maximum lease lifetime.
    pub fn max_ttl(mut self, ttl: impl Into<String>) -> Self {
        self.changes.max_ttl = Some(ttl.into());
        self
    }

    /// Renames the dynamic secret.
    pub fn rename(mut self, new_name: impl Into<String>) -> Self {
        self.changes.new_name = Some(new_name.into());
        self
    }
}

const UPDATE: Routes = Routes::stable("PATCH /api/v1/dynamic-secrets/{name}");

operation! {
    UpdateDynamicSecret => DynamicSecret;
    family(Stable)
    validate(s) {
        s.target.validate("name")?;
        if s.changes == Changes::default() {
            return Err(InvalidRequest::new(
                "inputs",
                "nothing to update: set inputs, a TTL or a new name",
            ));
        }
        if let Some(name) = &s.changes.new_name {
            require_field("new_name", name)?;
        }
        Ok(())
    }
    request(s, generation) {
        let body = UpdateBody {
            location: s.target.location.wire(generation),
            data: &s.changes,
        };
        UPDATE.at(generation).arg(&s.target.key).send_json(&body)
    }
    answer(response) { member(&UPDATE, ONE, response) }
}

/// `{projectSlug, environmentSlug, path, isForced}`: the body of deletes and revocations.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct ForcedBody<'a> {
    #[serde(flatten)]
    pub(super) location: WireLocation<'a>,
    pub(super) is_forced: bool,
}

/// Deletes a dynamic secret (revoking its leases first).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeleteDynamicSecret {
    target: Target,
    force: bool,
}

targeted!(
    DeleteDynamicSecret,
    name,
    "Deletes the dynamic secret `name` of the root folder of an environment.",
    force: false
);

impl DeleteDynamicSecret {
    /// Delete it from Infisical even when the provider refuses to revoke its leases.
    pub fn force(mut self, force: bool) -> Self {
        self.force = force;
        self
    }
}

const DELETE: Routes = Routes::stable("DELETE /api/v1/dynamic-secrets/{name}");

operation! {
    DeleteDynamicSecret => DynamicSecret;
    family(Stable)
    validate(s) { s.target.validate("name") }
    request(s, generation) {
        let body = ForcedBody {
            location: s.target.location.wire(generation),
            is_forced: s.force,
        };
        DELETE.at(generation).arg(&s.target.key).send_json(&body)
    }
    answer(response) { member(&DELETE, ONE, response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};
    use serde_json::{json, Value};

    fn body(request: &http::Request<bytes::Bytes>) -> Value {
        serde_json::from_slice(request.body()).unwrap()
    }

    #[test]
    fn create_body_and_redaction() {
        let provider = DynamicSecretProvider::new("sql-database", json!({"password": "hunter2"}));
        let create = CreateDynamicSecret::new("demo", "dev", "db", provider, "1h").max_ttl("1d");
        assert!(!format!("{create:?}").contains("hunter2"));
        let request = create.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(
            body(&request),
            json!({"projectSlug": "demo", "environmentSlug": "dev", "path": "/", "name": "db",
                "provider": {"type": "sql-database", "inputs": {"password": "hunter2"}},
                "defaultTTL": "1h", "maxTTL": "1d"})
        );
    }

    #[test]
    fn get_and_update_name_the_secret_in_the_path() {
        let get = GetDynamicSecret::new("demo", "dev", "db").path("/app");
        let request = get.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(
            request.uri().to_string(),
            "/api/v1/dynamic-secrets/db?projectSlug=demo&environmentSlug=dev&path=%2Fapp"
        );
        let update = UpdateDynamicSecret::new("demo", "dev", "db").default_ttl("2h");
        let request = update.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(body(&request)["data"], json!({"defaultTTL": "2h"}));
        let err = UpdateDynamicSecret::new("demo", "dev", "db")
            .validate()
            .unwrap_err();
        assert_eq!(err.field(), "inputs");
        let err = ListDynamicSecrets::new("", "dev").validate().unwrap_err();
        assert_eq!(err.field(), "project_slug");
    }
}
