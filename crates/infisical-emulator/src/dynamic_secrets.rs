//! Dynamic secrets: `/api/v1/dynamic-secrets[/{name}]` (one generation; project and environment
//! named by slug). After `ee/routes/v1/dynamic-secret-router.ts` and
//! `ee/services/dynamic-secret/dynamic-secret-service.ts`. One provider is emulated,
//! `sql-database`, whose leases issue `{DB_USERNAME, DB_PASSWORD}` (see `leases.rs`); the emulator
//! answers as a server whose plan includes dynamic secrets.

use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::leases::{self, parse_ttl, Lease};
use crate::resources::{handler, Handler, Input};
use crate::state::{Folder, Project, State};
use crate::util::{lookup_path, now_iso, uuid, zod_path};
use crate::validate::Check;
use crate::ServerMode;

/// A dynamic secret of a folder, with its leases.
#[derive(Clone, Debug)]
pub(crate) struct DynamicSecret {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) version: u64,
    pub(crate) provider_type: String,
    pub(crate) inputs: Value,
    pub(crate) default_ttl: String,
    pub(crate) max_ttl: Option<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: String,
    pub(crate) leases: Vec<Lease>,
}

/// Every provider type of the server's discriminated union (only the first is emulated).
const PROVIDERS: &[&str] = &[
    "sql-database",
    "cassandra",
    "aws-iam",
    "redis",
    "aws-elasticache",
    "mongo-db-atlas",
    "elastic-search",
    "mongo-db",
    "rabbit-mq",
    "azure-entra-id",
    "ldap",
];

/// The inputs `sql-database` requires.
const SQL_INPUTS: &[&str] = &[
    "client",
    "host",
    "port",
    "database",
    "username",
    "password",
    "creationStatement",
    "revocationStatement",
];

pub(crate) fn route(method: &str, segs: &[&str]) -> Option<Handler> {
    let rest = match segs {
        ["api", "v1", "dynamic-secrets", rest @ ..] => rest,
        _ => return None,
    };
    if let Some(h) = leases::route(method, rest) {
        return Some(h);
    }
    let name = rest.first().map(|s| s.to_string()).unwrap_or_default();
    match (method, rest) {
        ("GET", [] | [""]) => handler(list),
        ("POST", [] | [""]) => handler(create),
        ("GET", [_]) => handler(move |st, i| get(st, &name, i)),
        ("PATCH", [_]) => handler(move |st, i| update(st, &name, i)),
        ("DELETE", [_]) => handler(move |st, i| delete(st, &name, i)),
        _ => None,
    }
}

/// `SanitizedDynamicSecretSchema`: no inputs.
pub(crate) fn dynamic_secret_json(folder: &Folder, ds: &DynamicSecret) -> Value {
    json!({
        "id": ds.id,
        "name": ds.name,
        "version": ds.version,
        "type": ds.provider_type,
        "defaultTTL": ds.default_ttl,
        "maxTTL": ds.max_ttl,
        "folderId": folder.id,
        "status": null,
        "statusDetails": null,
        "createdAt": ds.created_at,
        "updatedAt": ds.updated_at,
    })
}

/// `projectSlug`, `environmentSlug` and `path` of a request.
pub(crate) struct Place {
    project_slug: String,
    env: String,
    path: String,
}

/// Reads the place (`projectSlug` and `environmentSlug` are `z.string().min(1)`).
pub(crate) fn place(c: &mut Check, m: &Map<String, Value>) -> Place {
    let project_slug = c.non_empty_string(m, &[], "projectSlug");
    if project_slug.is_none() && m.get("projectSlug").is_none() {
        c.string(m, &[], "projectSlug", true, false);
    }
    let env = c.non_empty_string(m, &[], "environmentSlug");
    if env.is_none() && m.get("environmentSlug").is_none() {
        c.string(m, &[], "environmentSlug", true, false);
    }
    Place {
        project_slug: project_slug.unwrap_or_default(),
        env: env.unwrap_or_default(),
        path: zod_path(c.string(m, &[], "path", false, true).as_deref()),
    }
}

/// The project's id and the folder's canonical path, or the service's errors: a project slug
/// that `findProjectBySlug` misses is a 404 on modern servers and, wrapped in a
/// `DatabaseError`, a 500 on the October 2024 ones; then 404 "Folder not found".
pub(crate) fn locate(state: &State, p: &Place) -> Result<(String, String), ApiError> {
    let project = state.project_by_slug(&p.project_slug).ok_or_else(|| {
        if state.settings.mode == ServerMode::Legacy {
            ApiError::Handled {
                status: 500,
                name: "Find project by slug".into(),
                message: "Something went wrong".into(),
            }
        } else {
            ApiError::not_found("Project not found")
        }
    })?;
    let path = lookup_path(&p.path)
        .filter(|path| project.folder(&p.env, path).is_some())
        .ok_or_else(|| ApiError::not_found("Folder not found"))?;
    Ok((project.id.clone(), path))
}

/// The folder of a place, for changing it.
pub(crate) fn folder_mut<'a>(
    state: &'a mut State,
    p: &Place,
) -> Result<(&'a mut Folder, String), ApiError> {
    let (project_id, path) = locate(state, p)?;
    let project: &mut Project = state.project_mut(&project_id).ok_or(ApiError::Internal)?;
    let folder = project
        .folder_mut(&p.env, &path)
        .ok_or(ApiError::Internal)?;
    Ok((folder, project_id))
}

fn not_found() -> ApiError {
    ApiError::not_found("Dynamic secret not found")
}

fn already_exists() -> ApiError {
    ApiError::bad_request("Provided dynamic secret already exist under the folder")
}

/// A TTL field: `ms(value)` between a minute and ten years.
fn ttl(c: &mut Check, m: &Map<String, Value>, key: &str, required: bool) -> Option<String> {
    let value = c.string(m, &[], key, required, false)?;
    match parse_ttl(&value) {
        Some(ms) if ms < 60_000 => c.custom(&[key], "TTL must be a greater than 1min"),
        Some(ms) if ms > 10 * 365 * 86_400_000 => {
            c.custom(&[key], "TTL must be less than 10 years")
        }
        Some(_) => {}
        None => c.custom(&[key], "TTL must be a greater than 1min"),
    }
    Some(value)
}

/// `provider`: `{type: "sql-database", inputs: {...}}`.
fn provider(c: &mut Check, m: &Map<String, Value>) -> Option<(String, Value)> {
    let p = c.nested(m, "provider")?;
    let kind = p.get("type").and_then(Value::as_str).unwrap_or_default();
    if !PROVIDERS.contains(&kind) {
        c.custom(&["provider", "type"], "Invalid discriminator value");
        return None;
    }
    if kind != PROVIDERS[0] {
        c.custom(
            &["provider", "type"],
            "The emulator implements the sql-database provider only",
        );
        return None;
    }
    let prefix = [json!("provider")];
    let inputs = c.nested(p, "inputs")?;
    for key in SQL_INPUTS {
        if !inputs.contains_key(*key) {
            let mut path = prefix.to_vec();
            path.push(json!("inputs"));
            c.string(inputs, &path, key, true, false);
        }
    }
    Some((kind.to_string(), Value::Object(inputs.clone())))
}

fn list(state: &mut State, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let p = place(&mut c, input.query);
    c.finish()?;
    let (project_id, path) = locate(state, &p)?;
    let folder = state
        .project(&project_id)
        .and_then(|pr| pr.folder(&p.env, &path))
        .ok_or(ApiError::Internal)?;
    let all: Vec<Value> = folder
        .dynamic_secrets
        .iter()
        .map(|ds| dynamic_secret_json(folder, ds))
        .collect();
    Ok(json!({ "dynamicSecrets": all }))
}

fn get(state: &mut State, name: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let p = place(&mut c, input.query);
    c.finish()?;
    let (folder, _) = folder_mut(state, &p)?;
    let ds = folder
        .dynamic_secrets
        .iter()
        .find(|d| d.name == name)
        .ok_or_else(not_found)?;
    let mut v = dynamic_secret_json(folder, ds);
    v["inputs"] = ds.inputs.clone();
    Ok(json!({ "dynamicSecret": v }))
}

fn create(state: &mut State, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let p = place(&mut c, m);
    let name = c.non_empty_string(m, &[], "name");
    let provider = provider(&mut c, m);
    let default_ttl = ttl(&mut c, m, "defaultTTL", true);
    let max_ttl = ttl(&mut c, m, "maxTTL", false);
    c.finish()?;
    let (Some(name), Some((provider_type, inputs)), Some(default_ttl)) =
        (name, provider, default_ttl)
    else {
        return Err(ApiError::Internal);
    };
    let (folder, _) = folder_mut(state, &p)?;
    if folder.dynamic_secrets.iter().any(|d| d.name == name) {
        return Err(already_exists());
    }
    let now = now_iso();
    let ds = DynamicSecret {
        id: uuid(),
        name,
        version: 1,
        provider_type,
        inputs,
        default_ttl,
        max_ttl,
        created_at: now.clone(),
        updated_at: now,
        leases: Vec::new(),
    };
    let answer = dynamic_secret_json(folder, &ds);
    folder.dynamic_secrets.push(ds);
    Ok(json!({ "dynamicSecret": answer }))
}

fn update(state: &mut State, name: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let p = place(&mut c, m);
    let data = c.nested(m, "data");
    let (inputs, default_ttl, max_ttl, new_name) = match data {
        Some(d) => (
            d.get("inputs").and_then(Value::as_object).cloned(),
            ttl(&mut c, d, "defaultTTL", false),
            ttl(&mut c, d, "maxTTL", false),
            c.string(d, &[json!("data")], "newName", false, true),
        ),
        None => (None, None, None, None),
    };
    c.finish()?;
    let (folder, _) = folder_mut(state, &p)?;
    if let Some(n) = &new_name {
        if n != name && folder.dynamic_secrets.iter().any(|d| &d.name == n) {
            return Err(already_exists());
        }
    }
    let ds = folder
        .dynamic_secrets
        .iter_mut()
        .find(|d| d.name == name)
        .ok_or_else(not_found)?;
    if let (Some(new), Value::Object(stored)) = (inputs, &mut ds.inputs) {
        stored.extend(new);
    }
    if let Some(t) = default_ttl {
        ds.default_ttl = t;
    }
    if max_ttl.is_some() {
        ds.max_ttl = max_ttl;
    }
    if let Some(n) = new_name {
        ds.name = n;
    }
    ds.version += 1;
    ds.updated_at = now_iso();
    let ds = ds.clone();
    Ok(json!({ "dynamicSecret": dynamic_secret_json(folder, &ds) }))
}

/// Deleting revokes every lease; a missing dynamic secret is a 400 here (not a 404).
fn delete(state: &mut State, name: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(input.body)?;
    let p = place(&mut c, m);
    c.boolean(m, &[], "isForced", false);
    c.finish()?;
    let (folder, _) = folder_mut(state, &p)?;
    let at = folder
        .dynamic_secrets
        .iter()
        .position(|d| d.name == name)
        .ok_or_else(|| ApiError::bad_request("Dynamic secret not found"))?;
    let ds = folder.dynamic_secrets.remove(at);
    Ok(json!({ "dynamicSecret": dynamic_secret_json(folder, &ds) }))
}
