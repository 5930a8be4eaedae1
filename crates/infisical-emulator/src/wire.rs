//! The emulator's own description of the wire format: secret objects as the server's response
//! schemas (`secretRawSchema` in `server/routes/sanitizedSchemas.ts`, extended per route) let
//! them through. Deliberately independent of the SDK's model types.

use serde_json::{json, Map, Value};

use crate::state::{Project, Secret};

/// The value the server puts in place of a secret value the caller may not see
/// (`viewSecretValue=false` on v4).
pub(crate) const HIDDEN_VALUE: &str = "<hidden-by-infisical>";

/// Which API generation a route belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Api {
    /// `/api/v3/secrets/raw...`, `workspaceId`.
    V3,
    /// `/api/v4/secrets...`, `projectId`.
    V4,
}

impl Api {
    /// The name of the project parameter.
    pub(crate) fn project_param(self) -> &'static str {
        match self {
            Api::V3 => "workspaceId",
            Api::V4 => "projectId",
        }
    }
}

/// Which optional parts of a secret object a route's response schema keeps.
#[derive(Clone, Debug, Default)]
pub(crate) struct Shape {
    /// `secretPath` (list items, v4 get).
    pub(crate) secret_path: Option<String>,
    /// `tags` (list items, get).
    pub(crate) tags: bool,
    /// Only these tag ids are shown (the list's `tagSlugs` filter joins on tags).
    pub(crate) tag_filter: Option<Vec<String>>,
    /// `createdAt` / `updatedAt` (absent on imported secrets).
    pub(crate) timestamps: bool,
    /// `secretReminderNote` / `secretReminderRepeatDays` (absent on imported secrets).
    pub(crate) reminders: bool,
    /// `secretValueHidden` (v4 lists, get, update, delete).
    pub(crate) value_hidden: Option<bool>,
    /// `secretMetadata: []` (v4 lists and get).
    pub(crate) metadata: bool,
    /// `workspace` value (imported secrets carry `""`).
    pub(crate) workspace: Option<String>,
    /// `metadata: null`: every secret object of an October 2024 server.
    pub(crate) null_metadata: bool,
    /// `isRotatedSecret: false` / `rotationId: null`: newer servers, on lists, imported
    /// secrets, create and update (not on a plain get or a delete).
    pub(crate) rotation: bool,
}

/// Which write a secret object answers; the routes' response schemas differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Write {
    /// Create: no `secretValueHidden`.
    Create,
    /// Update: everything.
    Update,
    /// Delete: no rotation fields.
    Delete,
}

/// A secret object. `value` / `comment` are what the answer says (after expansion, or the
/// update route's echo of its input).
pub(crate) fn secret_json(
    project: &Project,
    environment: &str,
    secret: &Secret,
    value: &str,
    comment: &str,
    shape: &Shape,
) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(secret.id));
    m.insert("_id".into(), json!(secret.id));
    m.insert(
        "workspace".into(),
        json!(shape
            .workspace
            .clone()
            .unwrap_or_else(|| project.id.clone())),
    );
    m.insert("environment".into(), json!(environment));
    m.insert("version".into(), json!(secret.version));
    m.insert("type".into(), json!("shared"));
    m.insert("secretKey".into(), json!(secret.key));
    let hidden = shape.value_hidden == Some(true);
    m.insert(
        "secretValue".into(),
        json!(if hidden { HIDDEN_VALUE } else { value }),
    );
    m.insert("secretComment".into(), json!(comment));
    if shape.reminders {
        m.insert("secretReminderNote".into(), json!(secret.reminder_note));
        m.insert(
            "secretReminderRepeatDays".into(),
            json!(secret.reminder_days),
        );
    }
    m.insert("skipMultilineEncoding".into(), json!(secret.skip_multiline));
    if shape.timestamps {
        m.insert("createdAt".into(), json!(secret.created_at));
        m.insert("updatedAt".into(), json!(secret.updated_at));
    }
    if let Some(p) = &shape.secret_path {
        m.insert("secretPath".into(), json!(p));
    }
    if let Some(h) = shape.value_hidden {
        m.insert("secretValueHidden".into(), json!(h));
    }
    if shape.tags {
        let tags: Vec<Value> = secret
            .tags
            .iter()
            .filter(|id| shape.tag_filter.as_ref().is_none_or(|f| f.contains(id)))
            .filter_map(|id| project.tag(id))
            .map(|t| json!({"id": t.id, "slug": t.slug, "name": t.slug, "color": t.color}))
            .collect();
        m.insert("tags".into(), Value::Array(tags));
    }
    if shape.metadata {
        m.insert("secretMetadata".into(), crate::metadata::render(secret));
    }
    if shape.null_metadata {
        m.insert("metadata".into(), Value::Null);
    }
    if shape.rotation {
        m.insert("isRotatedSecret".into(), json!(false));
        m.insert("rotationId".into(), Value::Null);
    }
    Value::Object(m)
}

/// The shape of a plain `secretRawSchema` object (write answers); `legacy`: an October 2024
/// server.
pub(crate) fn write_shape(api: Api, write: Write, legacy: bool) -> Shape {
    Shape {
        timestamps: true,
        reminders: true,
        value_hidden: (api == Api::V4 && write != Write::Create).then_some(false),
        null_metadata: legacy,
        rotation: !legacy && write != Write::Delete,
        ..Shape::default()
    }
}
