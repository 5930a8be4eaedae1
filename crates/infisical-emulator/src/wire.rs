//! The emulator's own description of the wire format: secret objects as the server's response
//! schemas (`secretRawSchema` in `server/routes/sanitizedSchemas.ts`, extended per route) let
//! them through. Deliberately independent of the SDK's model types.

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{json, Value};
use std::borrow::Cow;

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
    let object = SecretObject {
        project,
        environment,
        secret,
        value: Cow::Borrowed(value),
        comment,
        shape,
    };
    serde_json::to_value(object).unwrap_or(Value::Null)
}

/// A secret object as a route's response schema lets it through, written as JSON without
/// building a [`Value`] first (a list of 10,000 would build 200,000), its keys in the order
/// both recorded servers send them.
pub(crate) struct SecretObject<'a> {
    pub(crate) project: &'a Project,
    pub(crate) environment: &'a str,
    pub(crate) secret: &'a Secret,
    pub(crate) value: Cow<'a, str>,
    pub(crate) comment: &'a str,
    pub(crate) shape: &'a Shape,
}

impl Serialize for SecretObject<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (secret, shape) = (self.secret, self.shape);
        let mut m = serializer.serialize_map(None)?;
        m.serialize_entry("id", &secret.id)?;
        m.serialize_entry("_id", &secret.id)?;
        m.serialize_entry(
            "workspace",
            shape.workspace.as_deref().unwrap_or(&self.project.id),
        )?;
        m.serialize_entry("environment", self.environment)?;
        m.serialize_entry("version", &secret.version)?;
        m.serialize_entry("type", "shared")?;
        m.serialize_entry("secretKey", &secret.key)?;
        let hidden = shape.value_hidden == Some(true);
        m.serialize_entry(
            "secretValue",
            if hidden { HIDDEN_VALUE } else { &self.value },
        )?;
        m.serialize_entry("secretComment", self.comment)?;
        if shape.reminders {
            m.serialize_entry("secretReminderNote", &secret.reminder_note)?;
            m.serialize_entry("secretReminderRepeatDays", &secret.reminder_days)?;
        }
        m.serialize_entry("skipMultilineEncoding", &secret.skip_multiline)?;
        if shape.null_metadata {
            m.serialize_entry("metadata", &())?;
        }
        if shape.timestamps {
            m.serialize_entry("createdAt", &secret.created_at)?;
            m.serialize_entry("updatedAt", &secret.updated_at)?;
        }
        if shape.rotation {
            m.serialize_entry("isRotatedSecret", &false)?;
            m.serialize_entry("rotationId", &())?;
        }
        if let Some(p) = &shape.secret_path {
            m.serialize_entry("secretPath", p)?;
        }
        if let Some(h) = shape.value_hidden {
            m.serialize_entry("secretValueHidden", &h)?;
        }
        if shape.metadata {
            m.serialize_entry("secretMetadata", &crate::metadata::render(secret))?;
        }
        if shape.tags {
            m.serialize_entry("tags", &Tags(self))?;
        }
        m.end()
    }
}

/// A secret object's `tags`: those the filter keeps, as `{id, slug, name, color}`.
struct Tags<'o, 'a>(&'o SecretObject<'a>);

impl Serialize for Tags<'_, '_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let SecretObject {
            project,
            secret,
            shape,
            ..
        } = self.0;
        let filter = shape.tag_filter.as_ref();
        let tags = secret
            .tags
            .iter()
            .filter(|id| filter.is_none_or(|f| f.contains(id)))
            .filter_map(|id| project.tag(id));
        serializer.collect_seq(
            tags.map(|t| json!({"id": t.id, "slug": t.slug, "name": t.slug, "color": t.color})),
        )
    }
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
