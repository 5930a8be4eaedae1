//! Secret imports, after `fnSecretsV2FromImports` (`services/secret-import/secret-import-fns.ts`):
//! imports are followed level by level up to depth 10, a folder already imported is skipped
//! (cycles), an imported folder that does not exist contributes nothing, and each import entry
//! carries its folder's secrets followed by those of the first import of that folder, unique by
//! key (first wins).

use std::collections::HashSet;

use serde_json::{json, Value};

use crate::expand::Expander;
use crate::state::{Import, Project, Secret};
use crate::util::lookup_path;
use crate::wire::{secret_json, Api, Shape};

const LEVEL_BREAK: usize = 10;

/// One imported secret: where it lives, the secret, and its (possibly expanded) value.
#[derive(Clone)]
pub(crate) struct ImportedSecret {
    pub(crate) environment: String,
    pub(crate) secret: Secret,
    pub(crate) value: String,
}

/// One entry of the `imports` array.
pub(crate) struct ImportEntry {
    pub(crate) environment: String,
    pub(crate) path: String,
    pub(crate) folder_id: String,
    /// The folder that declared this import.
    declared_in: String,
    pub(crate) secrets: Vec<ImportedSecret>,
}

/// The imports declared by folders `declared` (folder id, import), resolved.
pub(crate) fn resolve(
    project: &Project,
    declared: &[(String, Import)],
    expander: Option<&Expander<'_>>,
) -> Vec<ImportEntry> {
    let mut visited = HashSet::new();
    level(project, declared, expander, 0, &mut visited)
}

fn level(
    project: &Project,
    declared: &[(String, Import)],
    expander: Option<&Expander<'_>>,
    depth: usize,
    visited: &mut HashSet<(String, String)>,
) -> Vec<ImportEntry> {
    if depth >= LEVEL_BREAK {
        return Vec::new();
    }
    let allowed: Vec<&(String, Import)> = declared
        .iter()
        .filter(|(_, i)| !visited.contains(&(i.environment.clone(), i.path.clone())))
        .collect();
    for (_, i) in &allowed {
        visited.insert((i.environment.clone(), i.path.clone()));
    }
    let found: Vec<(&String, &Import, &crate::state::Folder)> = allowed
        .iter()
        .filter_map(|(declared_in, i)| {
            let folder = lookup_path(&i.path).and_then(|p| project.folder(&i.environment, &p))?;
            Some((declared_in, i, folder))
        })
        .collect();
    if found.is_empty() {
        return Vec::new();
    }
    let deeper_declared: Vec<(String, Import)> = found
        .iter()
        .flat_map(|(_, _, f)| f.imports.iter().map(|i| (f.id.clone(), i.clone())))
        .collect();
    let deeper = if deeper_declared.is_empty() {
        Vec::new()
    } else {
        level(project, &deeper_declared, expander, depth + 1, visited)
    };
    found
        .into_iter()
        .map(|(declared_in, import, folder)| {
            let mut secrets: Vec<ImportedSecret> = folder
                .secrets
                .iter()
                .map(|s| ImportedSecret {
                    environment: import.environment.clone(),
                    secret: s.clone(),
                    value: s.value.clone(),
                })
                .collect();
            if let Some(first) = deeper.iter().find(|e| e.declared_in == folder.id) {
                secrets.extend(first.secrets.iter().cloned());
            }
            let mut seen = HashSet::new();
            secrets.retain(|s| seen.insert(s.secret.key.clone()));
            if let Some(x) = expander {
                for s in &mut secrets {
                    s.value = x.expand(
                        &import.environment,
                        &import.path,
                        &s.secret.key,
                        &s.secret.value,
                        s.secret.skip_multiline,
                    );
                }
            }
            ImportEntry {
                environment: import.environment.clone(),
                path: import.path.clone(),
                folder_id: folder.id.clone(),
                declared_in: declared_in.clone(),
                secrets,
            }
        })
        .collect()
}

/// The shape of an imported secret in a list answer (`legacy`: an October 2024 server):
/// `workspace: ""` and no timestamps or reminder fields.
pub(crate) fn imported_shape(api: Api, legacy: bool) -> Shape {
    Shape {
        workspace: Some(String::new()),
        value_hidden: (api == Api::V4).then_some(false),
        metadata: api == Api::V4,
        null_metadata: legacy,
        rotation: !legacy,
        ..Shape::default()
    }
}

/// The `imports` array of a list answer.
pub(crate) fn entries_json(project: &Project, entries: &[ImportEntry], shape: &Shape) -> Value {
    Value::Array(
        entries
            .iter()
            .map(|e| {
                let secrets: Vec<Value> = e
                    .secrets
                    .iter()
                    .map(|s| {
                        secret_json(
                            project,
                            &s.environment,
                            &s.secret,
                            &s.value,
                            &s.secret.comment,
                            shape,
                        )
                    })
                    .collect();
                json!({
                    "secretPath": e.path,
                    "environment": e.environment,
                    "folderId": e.folder_id,
                    "secrets": secrets,
                })
            })
            .collect(),
    )
}
