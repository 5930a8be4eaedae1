//! Batch writes: `POST|PATCH|DELETE /api/v3/secrets/batch/raw` and `/api/v4/secrets/batch`.
//! After the routers and `createManySecret`, `updateManySecret`, `deleteManySecret` of the
//! server's `secret-v2-bridge` service. Each batch is all-or-nothing.

use std::collections::HashSet;

use serde_json::{json, Map, Value};

use crate::approval;
use crate::errors::ApiError;
use crate::secrets::{find_folder, folder_not_found, project};
use crate::state::{Secret, State};
use crate::util::{lookup_path, zod_path};
use crate::validate::{secret_value_transform, Check};
use crate::wire::{secret_json, write_shape, Api, Write};
use crate::writes::{check_tags, Target};
use crate::ServerMode;

/// Reads the common part of a batch body and resolves the project.
fn target(
    c: &mut Check,
    m: &Map<String, Value>,
    api: Api,
) -> (Option<String>, Option<String>, Target) {
    let (slug, id) = match api {
        Api::V3 => (
            c.string(m, &[], "projectSlug", false, true),
            c.string(m, &[], "workspaceId", false, true),
        ),
        Api::V4 => (None, c.string(m, &[], "projectId", true, true)),
    };
    let env = c
        .string(m, &[], "environment", true, true)
        .unwrap_or_default();
    let path = zod_path(c.string(m, &[], "secretPath", false, true).as_deref());
    (
        slug,
        id.clone(),
        Target {
            project_id: id.unwrap_or_default(),
            env,
            path,
        },
    )
}

/// The project id from `workspaceId` / `projectSlug` (v3 accepts either).
fn project_id(state: &State, slug: Option<String>, id: Option<String>) -> Result<String, ApiError> {
    match (id.filter(|i| !i.is_empty()), slug.filter(|s| !s.is_empty())) {
        (Some(id), _) => Ok(id),
        (None, Some(slug)) => state
            .project_by_slug(&slug)
            .map(|p| p.id.clone())
            .ok_or_else(|| match state.settings.mode {
                ServerMode::Legacy => ApiError::not_found("Project not found"),
                _ => ApiError::not_found(format!("Project with slug '{slug}' not found")),
            }),
        (None, None) => Err(ApiError::bad_request(
            "Must provide either project slug or projectId",
        )),
    }
}

fn render(state: &State, t: &Target, secrets: &[Secret], api: Api, write: Write) -> Value {
    let project = state.project(&t.project_id).expect("project checked");
    let shape = write_shape(api, write, state.settings.mode == ServerMode::Legacy);
    let list: Vec<Value> = secrets
        .iter()
        .map(|s| secret_json(project, &t.env, s, &s.value, &s.comment, &shape))
        .collect();
    json!({ "secrets": list })
}

/// Resolves project and folder; answers an approval request if the folder is protected.
fn prepare(
    state: &mut State,
    t: &mut Target,
    slug: Option<String>,
    id: Option<String>,
    folder_name: &str,
) -> Result<Result<String, Value>, ApiError> {
    t.project_id = project_id(state, slug, id)?;
    let project = project(state, &t.project_id)?;
    find_folder(project, &t.env, &t.path).ok_or_else(|| folder_not_found(folder_name))?;
    let folder_path = lookup_path(&t.path).unwrap_or_default();
    if let Some(a) = approval::request(state, &t.project_id, &t.env, &folder_path) {
        return Ok(Err(a));
    }
    Ok(Ok(folder_path))
}

/// `POST .../batch`.
pub(crate) fn create(state: &mut State, api: Api, body: Option<&Value>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(body)?;
    let (slug, id, mut t) = target(&mut c, m, api);
    let mut items = Vec::new();
    for (i, item) in c.object_array(m, "secrets") {
        let p = [json!("secrets"), json!(i)];
        let key = c
            .string(item, &p, "secretKey", true, true)
            .unwrap_or_default();
        let value = c
            .string(item, &p, "secretValue", true, false)
            .unwrap_or_default();
        let comment = c
            .string(item, &p, "secretComment", false, true)
            .unwrap_or_default();
        let skip = c.boolean(item, &p, "skipMultilineEncoding", api == Api::V4);
        let tags = c.string_array(item, &p, "tagIds").unwrap_or_default();
        let metadata = if state.settings.mode == ServerMode::Legacy {
            None
        } else {
            crate::metadata::read(&mut c, item, &p)
        };
        let mut s = Secret::new(&key, &secret_value_transform(&value), &comment);
        s.skip_multiline = skip.unwrap_or(false);
        s.tags = tags;
        s.metadata = metadata.unwrap_or_default();
        s.history.clear();
        s.snapshot();
        items.push(s);
    }
    c.finish()?;
    let folder_path = match prepare(state, &mut t, slug, id, "Create secret")? {
        Ok(p) => p,
        Err(approval) => return Ok(approval),
    };
    let project = state.project(&t.project_id).ok_or(ApiError::Internal)?;
    let folder = project
        .folder(&t.env, &folder_path)
        .ok_or(ApiError::Internal)?;
    let mut seen = HashSet::new();
    let existing: Vec<&str> = items
        .iter()
        .filter(|s| folder.secret(&s.key).is_some() || !seen.insert(s.key.clone()))
        .map(|s| s.key.as_str())
        .collect();
    if !existing.is_empty() {
        return Err(ApiError::bad_request(format!(
            "Secret already exist: {}",
            existing.join(",")
        )));
    }
    let all_tags: Vec<String> = items.iter().flat_map(|s| s.tags.clone()).collect();
    check_tags(project, &all_tags)?;
    let folder = state
        .project_mut(&t.project_id)
        .and_then(|p| p.folder_mut(&t.env, &folder_path))
        .ok_or(ApiError::Internal)?;
    folder.secrets.extend(items.iter().cloned());
    crate::snapshots::take(state, &t.project_id, &t.env, &folder_path);
    Ok(render(state, &t, &items, api, Write::Create))
}

/// One item of a batch update.
struct UpdateItem {
    key: String,
    folder: String,
    value: Option<String>,
    comment: Option<String>,
    skip: Option<bool>,
    new_name: Option<String>,
    tags: Option<Vec<String>>,
    note: Option<Option<String>>,
    days: Option<Option<f64>>,
    metadata: Option<Vec<(String, String)>>,
}

/// `PATCH .../batch`, with `mode` (`failOnNotFound` | `upsert` | `ignore`) on modern servers.
pub(crate) fn update(state: &mut State, api: Api, body: Option<&Value>) -> Result<Value, ApiError> {
    let legacy = state.settings.mode == ServerMode::Legacy;
    let mut c = Check::new();
    let m = c.object(body)?;
    let (slug, id, mut t) = target(&mut c, m, api);
    let mode = if legacy {
        "failOnNotFound".to_string()
    } else {
        c.one_of(
            m,
            &[],
            "mode",
            &["failOnNotFound", "upsert", "ignore"],
            "failOnNotFound",
        )
    };
    let mut raw_items = Vec::new();
    for (i, item) in c.object_array(m, "secrets") {
        let p = [json!("secrets"), json!(i)];
        raw_items.push(UpdateItem {
            key: c
                .string(item, &p, "secretKey", true, true)
                .unwrap_or_default(),
            value: c
                .string(item, &p, "secretValue", legacy, false)
                .map(|v| secret_value_transform(&v)),
            folder: if legacy {
                String::new()
            } else {
                c.string(item, &p, "secretPath", false, true)
                    .map(|s| zod_path(Some(&s)))
                    .unwrap_or_default()
            },
            comment: c.string(item, &p, "secretComment", false, true),
            skip: c.boolean(item, &p, "skipMultilineEncoding", false),
            new_name: c.non_empty_string(item, &p, "newSecretName"),
            tags: c.string_array(item, &p, "tagIds"),
            note: c.nullable_string(item, &p, "secretReminderNote"),
            days: c.nullable_number(item, &p, "secretReminderRepeatDays"),
            metadata: if legacy {
                None
            } else {
                crate::metadata::read(&mut c, item, &p)
            },
        });
    }
    c.finish()?;
    let body_folder = match prepare(state, &mut t, slug, id, "Update secret")? {
        Ok(p) => p,
        Err(approval) => return Ok(approval),
    };
    let project = state.project(&t.project_id).ok_or(ApiError::Internal)?;
    let mut items = raw_items;
    for item in &mut items {
        if item.folder.is_empty() {
            item.folder.clone_from(&body_folder);
        } else {
            find_folder(project, &t.env, &item.folder)
                .ok_or_else(|| folder_not_found("Update secret"))?;
            item.folder = lookup_path(&item.folder).unwrap_or_default();
        }
    }
    let exists = |item: &UpdateItem| {
        project
            .folder(&t.env, &item.folder)
            .and_then(|f| f.secret(&item.key))
            .is_some()
    };
    if mode == "failOnNotFound" {
        let missing: Vec<&UpdateItem> = items.iter().filter(|i| !exists(i)).collect();
        if let Some(first) = missing.first() {
            let message = if legacy {
                // The October 2024 server lists the keys it *did* find.
                let found: Vec<&str> = items
                    .iter()
                    .filter(|i| exists(i))
                    .map(|i| i.key.as_str())
                    .collect();
                format!("Secret does not exist: {}", found.join(","))
            } else {
                let keys: Vec<&str> = missing.iter().map(|i| i.key.as_str()).collect();
                format!(
                    "Secret does not exist: {} in path {}",
                    keys.join(", "),
                    first.folder
                )
            };
            return Err(ApiError::not_found(message));
        }
    }
    let renamed: Vec<&UpdateItem> = items.iter().filter(|i| i.new_name.is_some()).collect();
    if renamed.iter().any(|i| {
        project
            .folder(&t.env, &i.folder)
            .and_then(|f| f.secret(i.new_name.as_deref().unwrap_or_default()))
            .is_some()
    }) {
        let names: Vec<&str> = renamed
            .iter()
            .filter_map(|i| i.new_name.as_deref())
            .collect();
        return Err(ApiError::bad_request(format!(
            "Secret with new name already exists: {}",
            names.join(",")
        )));
    }
    let all_tags: Vec<String> = items
        .iter()
        .flat_map(|i| i.tags.clone().unwrap_or_default())
        .collect();
    check_tags(project, &all_tags)?;

    let env = t.env.clone();
    let project = state.project_mut(&t.project_id).ok_or(ApiError::Internal)?;
    let mut out = Vec::new();
    for item in items {
        let folder = project
            .folder_mut(&env, &item.folder)
            .ok_or(ApiError::Internal)?;
        let secret = match folder.secret_mut(&item.key) {
            Some(s) => s,
            None if mode == "upsert" => {
                folder.secrets.push(Secret::new(&item.key, "", ""));
                let s = folder.secrets.last_mut().ok_or(ApiError::Internal)?;
                s.history.clear();
                s.version = 0;
                s
            }
            None => continue,
        };
        if let Some(v) = item.value {
            secret.value = v;
        }
        if let Some(cm) = item.comment {
            secret.comment = cm;
        }
        if let Some(s) = item.skip {
            secret.skip_multiline = s;
        }
        if let Some(n) = item.new_name {
            secret.key = n;
        }
        if let Some(tags) = item.tags {
            secret.tags = tags;
        }
        if let Some(n) = item.note {
            secret.reminder_note = n;
        }
        if let Some(d) = item.days {
            secret.reminder_days = d;
        }
        if let Some(pairs) = item.metadata {
            secret.metadata = pairs;
        }
        secret.bump();
        out.push(secret.clone());
    }
    crate::snapshots::take(state, &t.project_id, &t.env, &body_folder);
    Ok(render(state, &t, &out, api, Write::Update))
}

/// `DELETE .../batch`.
pub(crate) fn delete(state: &mut State, api: Api, body: Option<&Value>) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let m = c.object(body)?;
    let (slug, id, mut t) = target(&mut c, m, api);
    let mut keys = Vec::new();
    for (i, item) in c.object_array(m, "secrets") {
        let p = [json!("secrets"), json!(i)];
        keys.push(
            c.string(item, &p, "secretKey", true, api == Api::V3)
                .unwrap_or_default(),
        );
        c.one_of(item, &p, "type", &["shared", "personal"], "shared");
    }
    c.finish()?;
    let folder_path = match prepare(state, &mut t, slug, id, "Create secret")? {
        Ok(p) => p,
        Err(approval) => return Ok(approval),
    };
    let project = state.project(&t.project_id).ok_or(ApiError::Internal)?;
    let folder = project
        .folder(&t.env, &folder_path)
        .ok_or(ApiError::Internal)?;
    let found: Vec<&str> = keys
        .iter()
        .filter(|k| folder.secret(k).is_some())
        .map(String::as_str)
        .collect();
    if found.len() != keys.len() {
        return Err(ApiError::not_found(format!(
            "One or more secrets does not exist: {}",
            found.join(",")
        )));
    }
    let folder = state
        .project_mut(&t.project_id)
        .and_then(|p| p.folder_mut(&t.env, &folder_path))
        .ok_or(ApiError::Internal)?;
    let mut deleted = Vec::new();
    for k in &keys {
        if let Some(i) = folder.secrets.iter().position(|s| &s.key == k) {
            deleted.push(folder.secrets.remove(i));
        }
    }
    crate::snapshots::take(state, &t.project_id, &t.env, &folder_path);
    Ok(render(state, &t, &deleted, api, Write::Delete))
}
