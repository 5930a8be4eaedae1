//! Writing one secret: `POST|PATCH|DELETE /api/v3/secrets/raw/{name}` and
//! `/api/v4/secrets/{name}`. After the v3/v4 secret routers and `createSecret`, `updateSecret`,
//! `deleteSecret` of `services/secret-v2-bridge/secret-v2-bridge-service.ts`.

use serde_json::{json, Map, Value};

use crate::approval;
use crate::errors::ApiError;
use crate::secrets::{find_folder, folder_not_found, project};
use crate::state::{Project, Secret, State};
use crate::util::{lookup_path, zod_path};
use crate::validate::{secret_value_transform, Check};
use crate::wire::{secret_json, write_shape, Api, Write};

/// Project, environment and folder of a write, as its body names them.
pub(crate) struct Target {
    pub(crate) project_id: String,
    pub(crate) env: String,
    pub(crate) path: String,
}

impl Target {
    /// Reads `workspaceId`/`projectId` (required), `environment` (required) and `secretPath`.
    pub(crate) fn read(c: &mut Check, m: &Map<String, Value>, api: Api) -> Target {
        let project_id = c.string(m, &[], api.project_param(), true, true);
        let env = c.string(m, &[], "environment", true, true);
        let path = zod_path(c.string(m, &[], "secretPath", false, true).as_deref());
        Target {
            project_id: project_id.unwrap_or_default(),
            env: env.unwrap_or_default(),
            path,
        }
    }

    /// The project and the canonical folder path, or the server's 404s (`name` is the error name
    /// the server gives a missing folder at this call site).
    pub(crate) fn locate<'a>(
        &self,
        state: &'a State,
        name: &str,
    ) -> Result<(&'a Project, String), ApiError> {
        let project = project(state, &self.project_id)?;
        find_folder(project, &self.env, &self.path).ok_or_else(|| folder_not_found(name))?;
        Ok((project, lookup_path(&self.path).unwrap_or_default()))
    }
}

/// Every id in `tag_ids` must be a tag of the project.
pub(crate) fn check_tags(project: &Project, tag_ids: &[String]) -> Result<(), ApiError> {
    if tag_ids.iter().all(|t| project.tag(t).is_some()) {
        Ok(())
    } else {
        Err(ApiError::not_found("Tag not found"))
    }
}

fn answer(
    state: &State,
    t: &Target,
    secret: &Secret,
    value: &str,
    comment: &str,
    api: Api,
    write: Write,
) -> Value {
    let project = state.project(&t.project_id).expect("project checked");
    let legacy = state.settings.mode == crate::ServerMode::Legacy;
    let shape = write_shape(api, write, legacy);
    json!({ "secret": secret_json(project, &t.env, secret, value, comment, &shape) })
}

/// Whether the server is a current one (its routes take `secretMetadata`).
fn modern(state: &State) -> bool {
    state.settings.mode != crate::ServerMode::Legacy
}

/// `POST .../{name}`.
pub(crate) fn create(
    state: &mut State,
    api: Api,
    name: &str,
    body: Option<&Value>,
) -> Result<Value, ApiError> {
    let name = name.trim();
    let mut c = Check::new();
    let m = c.object(body)?;
    let t = Target::read(&mut c, m, api);
    let value = c.string(m, &[], "secretValue", true, false);
    let comment = c
        .string(m, &[], "secretComment", false, true)
        .unwrap_or_default();
    let tag_ids = c.string_array(m, &[], "tagIds").unwrap_or_default();
    let skip = c.boolean(m, &[], "skipMultilineEncoding", api == Api::V4);
    let kind = c.one_of(m, &[], "type", &["shared", "personal"], "shared");
    let days = c.nullable_number(m, &[], "secretReminderRepeatDays");
    let note = c.nullable_string(m, &[], "secretReminderNote");
    let metadata = modern(state)
        .then(|| crate::metadata::read(&mut c, m, &[]))
        .flatten();
    c.finish()?;
    let value = secret_value_transform(&value.unwrap_or_default());

    let folder_path = t.locate(state, "Create secret")?.1;
    if kind == "shared" {
        if let Some(a) = approval::request(state, &t.project_id, &t.env, &folder_path) {
            return Ok(a);
        }
    } else {
        return Err(ApiError::bad_request(
            "Must be user to create personal secret",
        ));
    }
    let project = state.project(&t.project_id).ok_or(ApiError::Internal)?;
    if project
        .folder(&t.env, &folder_path)
        .and_then(|f| f.secret(name))
        .is_some()
    {
        return Err(ApiError::bad_request("Secret already exist"));
    }
    check_tags(project, &tag_ids)?;

    let mut secret = Secret::new(name, &value, &comment);
    secret.skip_multiline = skip.unwrap_or(false);
    secret.tags = tag_ids;
    secret.reminder_days = days.flatten();
    secret.reminder_note = note.flatten();
    secret.metadata = metadata.unwrap_or_default();
    secret.history.clear();
    secret.snapshot();
    let folder = state
        .project_mut(&t.project_id)
        .and_then(|p| p.folder_mut(&t.env, &folder_path))
        .ok_or(ApiError::Internal)?;
    folder.secrets.push(secret.clone());
    crate::snapshots::take(state, &t.project_id, &t.env, &folder_path);
    Ok(answer(
        state,
        &t,
        &secret,
        &secret.value,
        &secret.comment,
        api,
        Write::Create,
    ))
}

/// `PATCH .../{name}`. The answer echoes the request's `secretValue` / `secretComment` (or ""
/// when absent), as the server does, rather than the stored values.
pub(crate) fn update(
    state: &mut State,
    api: Api,
    name: &str,
    body: Option<&Value>,
) -> Result<Value, ApiError> {
    let name = name.trim();
    let mut c = Check::new();
    let m = c.object(body)?;
    let t = Target::read(&mut c, m, api);
    // The October 2024 v3 route requires secretValue; newer routes make it optional.
    let required = api == Api::V3 && state.settings.mode == crate::ServerMode::Legacy;
    let value = c
        .string(m, &[], "secretValue", required, false)
        .map(|v| secret_value_transform(&v));
    let skip = c.boolean(m, &[], "skipMultilineEncoding", false);
    let kind = c.one_of(m, &[], "type", &["shared", "personal"], "shared");
    let tag_ids = c.string_array(m, &[], "tagIds");
    let note = c.nullable_string(m, &[], "secretReminderNote");
    let days = c.nullable_number(m, &[], "secretReminderRepeatDays");
    let metadata = modern(state)
        .then(|| crate::metadata::read(&mut c, m, &[]))
        .flatten();
    let new_name = c.non_empty_string(m, &[], "newSecretName");
    let comment = c.string(m, &[], "secretComment", false, false);
    c.finish()?;

    let folder_path = t.locate(state, "UpdateSecret")?.1;
    if kind == "shared" {
        if let Some(a) = approval::request(state, &t.project_id, &t.env, &folder_path) {
            return Ok(a);
        }
    } else {
        return Err(ApiError::bad_request(
            "Must be user to create personal secret",
        ));
    }
    let project = state.project(&t.project_id).ok_or(ApiError::Internal)?;
    let folder = project
        .folder(&t.env, &folder_path)
        .ok_or(ApiError::Internal)?;
    if folder.secret(name).is_none() {
        return Err(ApiError::not_found("Secret not found"));
    }
    if let Some(n) = &new_name {
        if folder.secret(n).is_some() {
            return Err(ApiError::bad_request(
                "Secret with the new name already exist",
            ));
        }
    }
    check_tags(project, tag_ids.as_deref().unwrap_or_default())?;

    let folder = state
        .project_mut(&t.project_id)
        .and_then(|p| p.folder_mut(&t.env, &folder_path))
        .ok_or(ApiError::Internal)?;
    let secret = folder.secret_mut(name).ok_or(ApiError::Internal)?;
    if let Some(v) = &value {
        secret.value = v.clone();
    }
    if let Some(cm) = &comment {
        secret.comment = cm.clone();
    }
    if let Some(s) = skip {
        secret.skip_multiline = s;
    }
    if let Some(n) = &new_name {
        secret.key = n.clone();
    }
    if let Some(tags) = tag_ids {
        secret.tags = tags;
    }
    if let Some(n) = note {
        secret.reminder_note = n;
    }
    if let Some(d) = days {
        secret.reminder_days = d;
    }
    if let Some(pairs) = metadata {
        secret.metadata = pairs;
    }
    secret.bump();
    let secret = secret.clone();
    crate::snapshots::take(state, &t.project_id, &t.env, &folder_path);
    Ok(answer(
        state,
        &t,
        &secret,
        value.as_deref().unwrap_or(""),
        comment.as_deref().unwrap_or(""),
        api,
        Write::Update,
    ))
}

/// `DELETE .../{name}`.
pub(crate) fn delete(
    state: &mut State,
    api: Api,
    name: &str,
    body: Option<&Value>,
) -> Result<Value, ApiError> {
    let name = name.trim();
    let mut c = Check::new();
    let m = c.object(body)?;
    let t = Target::read(&mut c, m, api);
    let kind = c.one_of(m, &[], "type", &["shared", "personal"], "shared");
    c.finish()?;

    let folder_path = t.locate(state, "Delete secret")?.1;
    if kind == "shared" {
        if let Some(a) = approval::request(state, &t.project_id, &t.env, &folder_path) {
            return Ok(a);
        }
    } else {
        return Err(ApiError::bad_request(
            "Must be user to delete personal secret",
        ));
    }
    let project = state.project(&t.project_id).ok_or(ApiError::Internal)?;
    if project
        .folder(&t.env, &folder_path)
        .and_then(|f| f.secret(name))
        .is_none()
    {
        return Err(ApiError::not_found("Secret not found"));
    }
    let folder = state
        .project_mut(&t.project_id)
        .and_then(|p| p.folder_mut(&t.env, &folder_path))
        .ok_or(ApiError::Internal)?;
    let i = folder
        .secrets
        .iter()
        .position(|s| s.key == name)
        .ok_or(ApiError::Internal)?;
    let secret = folder.secrets.remove(i);
    crate::snapshots::take(state, &t.project_id, &t.env, &folder_path);
    Ok(answer(
        state,
        &t,
        &secret,
        &secret.value,
        &secret.comment,
        api,
        Write::Delete,
    ))
}
