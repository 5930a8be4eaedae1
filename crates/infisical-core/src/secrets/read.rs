//! Reading secrets: list a folder, get one secret.

use super::model::{Secret, SecretList, SecretType};
use super::scope::Scope;
use crate::error::{require_field, InvalidRequest};
use crate::location::current_only;
use crate::rest::{operation, Call, Routes};
use crate::wire::{decode_json, decode_json_with};
use crate::ApiGeneration;
use bytes::Bytes;
use serde::Deserialize;

/// Lists the secrets of a folder.
///
/// By default: the root folder `/`, not recursive, references expanded, imports not
/// included, no tag filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ListSecrets {
    pub(super) scope: Scope,
    recursive: bool,
    expand_references: bool,
    include_imports: bool,
    tag_slugs: Vec<String>,
    view_value: Option<bool>,
    metadata_filter: Vec<(String, String)>,
}

impl ListSecrets {
    /// Lists the root folder of `environment` (a slug such as `dev`) in the project.
    pub fn new(project_id: impl Into<String>, environment: impl Into<String>) -> Self {
        Self {
            scope: Scope::new(project_id, environment),
            recursive: false,
            expand_references: true,
            include_imports: false,
            tag_slugs: Vec::new(),
            view_value: None,
            metadata_filter: Vec::new(),
        }
    }

    /// Only secrets with these metadata pairs (at most 10; servers with `/api/v4/secrets`,
    /// older ones refuse it before anything is sent). Keys and values cannot hold `,`, `=`
    /// or `|`, which the server's filter syntax (`key=K,value=V|…`) reserves.
    pub fn metadata_filter<I, K, V>(mut self, pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        self.metadata_filter = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        self
    }

    /// `false`: ask for names only, the values withheld (`viewSecretValue=false`; current
    /// servers; [`Secret::value`] then answers [`HiddenValue`](crate::HiddenValue)). Default:
    /// the server's (values shown to callers allowed to read them).
    pub fn view_secret_value(mut self, view: bool) -> Self {
        self.view_value = Some(view);
        self
    }

    /// The folder to list, such as `/app/db` (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.scope.set_path(path);
        self
    }

    /// Also list every subfolder (default `false`).
    pub fn recursive(mut self, recursive: bool) -> Self {
        self.recursive = recursive;
        self
    }

    /// Replace `${KEY}` and `${env.path.KEY}` references with their values (default `true`).
    pub fn expand_references(mut self, expand: bool) -> Self {
        self.expand_references = expand;
        self
    }

    /// Also return the secrets the folder sees through its imports (default `false`).
    pub fn include_imports(mut self, include: bool) -> Self {
        self.include_imports = include;
        self
    }

    /// Only secrets carrying one of these tags (slugs).
    pub fn tag_slugs<I, S>(mut self, slugs: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.tag_slugs = slugs.into_iter().map(Into::into).collect();
        self
    }

    /// The project id.
    pub fn project_id(&self) -> &str {
        &self.scope.project_id
    }

    /// The environment slug.
    pub fn environment(&self) -> &str {
        &self.scope.environment
    }

    /// The normalized folder path.
    pub fn folder(&self) -> &str {
        &self.scope.path
    }
}

impl GetSecret {
    /// The project id.
    pub fn project_id(&self) -> &str {
        &self.scope.project_id
    }
}

const LIST: Routes = Routes::pair("GET /api/v4/secrets", "GET /api/v3/secrets/raw");

operation! {
    ListSecrets => SecretList;
    family(Secrets)
    validate(this) {
        this.scope.validate()?;
        if this.tag_slugs.iter().any(|t| t.trim().is_empty()) {
            return Err(InvalidRequest::new(
                "tag_slugs",
                "must not hold an empty slug",
            ));
        }
        check_metadata_filter(&this.metadata_filter)
    }
    request(this, generation) {
        let filtering = !this.metadata_filter.is_empty();
        current_only(generation, "metadata_filter", filtering, "/api/v4/secrets")?;
        let tags = (!this.tag_slugs.is_empty()).then(|| this.tag_slugs.join(","));
        let metadata = filtering.then(|| {
            let pairs: Vec<String> = this
                .metadata_filter
                .iter()
                .map(|(k, v)| format!("key={k},value={v}"))
                .collect();
            pairs.join("|")
        });
        let call = this
            .scope
            .query(LIST.at(generation), generation)
            .flag("expandSecretReferences", this.expand_references)
            .flag_if("recursive", this.recursive)
            .flag_if("include_imports", this.include_imports)
            .query_opt("tagSlugs", tags.as_deref())
            .query_opt("metadataFilter", metadata.as_deref());
        view_secret_value(call, this.view_value, generation).send()
    }
    answer(response) {
        let route = response_route(&response, LIST.current());
        decode_json_with(route, response, super::list_wire::decode)
    }
}

/// Gets one secret by name.
///
/// By default: the shared secret, its latest version, references expanded, imports not
/// searched.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GetSecret {
    pub(super) scope: Scope,
    name: String,
    version: Option<u64>,
    secret_type: SecretType,
    expand_references: bool,
    include_imports: bool,
    view_value: Option<bool>,
}

impl GetSecret {
    /// Gets the secret `name` from the root folder of `environment` in the project.
    pub fn new(
        project_id: impl Into<String>,
        environment: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        Self {
            scope: Scope::new(project_id, environment),
            name: name.into(),
            version: None,
            secret_type: SecretType::Shared,
            expand_references: true,
            include_imports: false,
            view_value: None,
        }
    }

    /// `false`: ask for the name only, the value withheld (`viewSecretValue=false`; current
    /// servers).
    pub fn view_secret_value(mut self, view: bool) -> Self {
        self.view_value = Some(view);
        self
    }

    /// The folder holding the secret (default `/`).
    pub fn path(mut self, path: &str) -> Self {
        self.scope.set_path(path);
        self
    }

    /// A past version instead of the latest.
    pub fn version(mut self, version: u64) -> Self {
        self.version = Some(version);
        self
    }

    /// Shared (default) or personal.
    pub fn secret_type(mut self, secret_type: SecretType) -> Self {
        self.secret_type = secret_type;
        self
    }

    /// Replace references with their values (default `true`).
    pub fn expand_references(mut self, expand: bool) -> Self {
        self.expand_references = expand;
        self
    }

    /// Also look through the folder's imports (default `false`).
    pub fn include_imports(mut self, include: bool) -> Self {
        self.include_imports = include;
        self
    }
}

const GET: Routes = Routes::pair(
    "GET /api/v4/secrets/{secretName}",
    "GET /api/v3/secrets/raw/{secretName}",
);

/// `{secret}`: the answer of a read of one secret.
#[derive(Deserialize)]
pub(super) struct SecretAnswer {
    pub(super) secret: Secret,
}

operation! {
    GetSecret => Secret;
    family(Secrets)
    validate(this) {
        this.scope.validate()?;
        require_field("name", &this.name)?;
        if this.version == Some(0) {
            return Err(InvalidRequest::new("version", "starts at 1"));
        }
        Ok(())
    }
    request(this, generation) {
        let version = this.version.map(|v| v.to_string());
        let call = GET.at(generation).arg_as("name", &this.name);
        let call = this
            .scope
            .query(call, generation)
            .query("type", this.secret_type.as_str())
            .flag("expandSecretReferences", this.expand_references)
            .flag_if("include_imports", this.include_imports)
            .query_opt("version", version.as_deref());
        view_secret_value(call, this.view_value, generation).send()
    }
    answer(this, response) {
        let route = response_route(&response, GET.current());
        let status = response.status();
        let secret = decode_json::<SecretAnswer>(route, response)?.secret;
        // Servers of October 2024 ignore `version` and answer the secret as it is now
        // (recorded: version 1 asked, version 3 answered): never hand that on as the version
        // asked for.
        match this.version {
            Some(asked) if asked != secret.version => Err(crate::DecodeError::new(
                route,
                status,
                format!(
                    "asked for version {asked}, the server answered version {} (servers of \
                     2024 ignore `version`)",
                    secret.version
                ),
            )
            .into()),
            _ => Ok(secret),
        }
    }
}

/// At most 10 pairs (the server's limit), none empty, none holding the filter syntax's
/// separators.
fn check_metadata_filter(pairs: &[(String, String)]) -> Result<(), InvalidRequest> {
    if pairs.len() > 10 {
        return Err(InvalidRequest::new(
            "metadata_filter",
            "holds more than 10 pairs",
        ));
    }
    let unusable = |s: &str| s.trim().is_empty() || s.contains([',', '=', '|']);
    if pairs.iter().any(|(k, v)| unusable(k) || unusable(v)) {
        return Err(InvalidRequest::new(
            "metadata_filter",
            "holds an empty key or value, or one with `,`, `=` or `|`",
        ));
    }
    Ok(())
}

/// The route template the transport recorded on the answer, or `fallback`.
/// `viewSecretValue`, on the routes that take it (current servers' v4).
fn view_secret_value(call: Call, view: Option<bool>, generation: ApiGeneration) -> Call {
    match (view, generation) {
        (Some(view), ApiGeneration::Current) => call.flag("viewSecretValue", view),
        _ => call,
    }
}

pub(crate) fn response_route(
    response: &http::Response<Bytes>,
    fallback: &'static str,
) -> &'static str {
    response
        .extensions()
        .get::<crate::RequestMeta>()
        .map_or(fallback, |m| m.route)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};

    #[test]
    fn list_builds_v4_and_v3_queries() {
        let list = ListSecrets::new("p1", "dev")
            .path("/app/")
            .recursive(true)
            .include_imports(true)
            .tag_slugs(["a", "b"]);
        let v4 = list.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(
            v4.uri().to_string(),
            "/api/v4/secrets?projectId=p1&environment=dev&secretPath=%2Fapp&expandSecretReferences=true&recursive=true&include_imports=true&tagSlugs=a%2Cb"
        );
        let v3 = list.to_http(ApiGeneration::Legacy).unwrap();
        assert!(v3
            .uri()
            .to_string()
            .starts_with("/api/v3/secrets/raw?workspaceId=p1&"));
        let meta = v3.extensions().get::<crate::RequestMeta>().unwrap();
        assert!(meta.deprecated && meta.idempotent);
        assert_eq!(meta.route, "GET /api/v3/secrets/raw");
    }

    #[test]
    fn get_escapes_the_name_and_checks_required_fields() {
        let get = GetSecret::new("p1", "dev", "A B").version(3);
        let req = get.to_http(ApiGeneration::Current).unwrap();
        assert!(req.uri().path().ends_with("/secrets/A%20B"));
        assert!(req.uri().query().unwrap().contains("version=3"));
        let err = GetSecret::new("p1", "dev", " ").validate().unwrap_err();
        assert_eq!(err.field(), "name");
        let err = GetSecret::new("p1", "", "A").validate().unwrap_err();
        assert_eq!(err.field(), "environment");
    }
}
