//! A secret's versions: `GET /api/v1/secret/{secretId}/secret-versions?offset&limit` (both
//! modes). After `ee/routes/v1/secret-version-router.ts` (fork `leachtucker/infisical`
//! 09d28156 and upstream): users only (`verifyAuth([JWT])`: a machine identity gets 403),
//! `offset` and `limit` required numbers, the answer `{secretVersions}` with the fields of the
//! October 2024 OpenAPI document, `id` the version row's own id, newest first.

use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::resources::{handler, Handler, Input};
use crate::state::{Project, Secret, State};
use crate::validate::Check;

pub(crate) fn route(method: &str, segs: &[&str]) -> Option<Handler> {
    match (method, segs) {
        ("GET", ["api", "v1", "secret", id, "secret-versions"]) => {
            let id = id.to_string();
            handler(move |st, i| versions(st, &id, i))
        }
        _ => None,
    }
}

/// The project, environment slug and secret with this id.
pub(crate) fn find<'a>(state: &'a State, id: &str) -> Option<(&'a Project, &'a str, &'a Secret)> {
    state.projects.iter().find_map(|project| {
        project.environments.iter().find_map(|env| {
            env.folders
                .values()
                .flat_map(|folder| folder.secrets.iter())
                .find(|s| s.id == id)
                .map(|s| (project, env.slug.as_str(), s))
        })
    })
}

fn versions(state: &mut State, id: &str, input: &Input<'_>) -> Result<Value, ApiError> {
    // Users only: `verifyAuth([AuthMode.JWT])`, checked before the query.
    let url = crate::auth::url_of(&format!("/api/v1/secret/{id}/secret-versions"), input.query);
    crate::auth::require_user(input.actor, &url)?;
    // `z.coerce.number()`, required: a missing value coerces to NaN and is refused.
    let mut check = Check::new();
    let mut number = |key: &str| match check.coerce_number(input.query, key) {
        Some(n) if n.is_finite() && n >= 0.0 => n as usize,
        Some(_) => 0,
        None => {
            if !input.query.contains_key(key) {
                check.custom(&[key], "Expected number, received nan");
            }
            0
        }
    };
    let (offset, limit) = (number("offset"), number("limit"));
    check.finish()?;
    let (project, env, secret) = find(state, id)
        .ok_or_else(|| ApiError::not_found(format!("Secret with ID '{id}' not found")))?;
    let page: Vec<Value> = secret
        .history
        .iter()
        .rev()
        .skip(offset)
        .take(limit)
        .map(|v| {
            json!({
                // The version row's own id (`reshapeBridgeSecret`); no `secretId`.
                "id": format!("{}-v{}", secret.id, v.version),
                "_id": format!("{}-v{}", secret.id, v.version),
                "workspace": project.id,
                "environment": env,
                "version": v.version,
                "type": "shared",
                "secretKey": v.key,
                "secretValue": v.value,
                "secretComment": v.comment,
                "secretReminderNote": null,
                "secretReminderRepeatDays": null,
                "skipMultilineEncoding": v.skip_multiline,
                "metadata": null,
                "createdAt": v.updated_at,
                "updatedAt": v.updated_at,
            })
        })
        .collect();
    Ok(json!({ "secretVersions": page }))
}
