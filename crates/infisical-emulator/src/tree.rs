//! The folder tree of an environment: children, renames and deletes over the path-keyed map,
//! and the folder object of `SecretFoldersSchema` (`db/schemas/secret-folders.ts`).

use serde_json::{json, Value};

use crate::state::{Environment, Folder};
use crate::util::now_iso;

/// The name of a folder at `path` (the server names root folders `root`).
pub(crate) fn name_of(path: &str) -> &str {
    match path.rsplit_once('/') {
        Some((_, name)) if !name.is_empty() => name,
        _ => "root",
    }
}

/// The path of the parent of `path` (`None` for the root).
pub(crate) fn parent_of(path: &str) -> Option<&str> {
    if path == "/" {
        return None;
    }
    Some(match path.rsplit_once('/') {
        Some(("", _)) | None => "/",
        Some((parent, _)) => parent,
    })
}

/// `child` joined under `parent`.
pub(crate) fn join(parent: &str, child: &str) -> String {
    if parent == "/" {
        format!("/{child}")
    } else {
        format!("{parent}/{child}")
    }
}

/// Whether `path` is `ancestor` or below it.
pub(crate) fn is_within(path: &str, ancestor: &str) -> bool {
    ancestor == "/" || path == ancestor || path.starts_with(&format!("{ancestor}/"))
}

/// The paths of the folders directly inside `parent`.
pub(crate) fn children(env: &Environment, parent: &str) -> Vec<String> {
    env.folders
        .keys()
        .filter(|p| parent_of(p) == Some(parent))
        .cloned()
        .collect()
}

/// The path of the folder with this id.
pub(crate) fn path_of_id(env: &Environment, id: &str) -> Option<String> {
    env.folders
        .iter()
        .find(|(_, f)| f.id == id)
        .map(|(p, _)| p.clone())
}

/// The child of `parent` named by `id_or_name`: by id, else by name (the server accepts both
/// for the CLI's sake).
pub(crate) fn child(env: &Environment, parent: &str, id_or_name: &str) -> Option<String> {
    let kids = children(env, parent);
    kids.iter()
        .find(|p| env.folders[*p].id == id_or_name)
        .or_else(|| kids.iter().find(|p| name_of(p) == id_or_name))
        .cloned()
}

/// Renames the folder at `path` (and moves everything below it); returns the new path.
pub(crate) fn rename(env: &mut Environment, path: &str, name: &str) -> String {
    let parent = parent_of(path).unwrap_or("/").to_string();
    let new_path = join(&parent, name);
    let moved: Vec<String> = env
        .folders
        .keys()
        .filter(|p| is_within(p, path))
        .cloned()
        .collect();
    for old in moved {
        if let Some(folder) = env.folders.remove(&old) {
            let rest = &old[path.len()..];
            env.folders.insert(format!("{new_path}{rest}"), folder);
        }
    }
    if let Some(folder) = env.folders.get_mut(&new_path) {
        folder.version += 1;
        folder.updated_at = now_iso();
    }
    new_path
}

/// Removes the folder at `path` and everything below it; returns the folder.
pub(crate) fn remove(env: &mut Environment, path: &str) -> Option<Folder> {
    let doomed: Vec<String> = env
        .folders
        .keys()
        .filter(|p| is_within(p, path))
        .cloned()
        .collect();
    let mut removed = None;
    for p in doomed {
        let folder = env.folders.remove(&p);
        if p == path {
            removed = folder;
        }
    }
    removed
}

/// The folder object: `SecretFoldersSchema`, whose October 2024 version lacks `description`
/// and `lastSecretModified` (`null` until a secret is written in the folder; the emulator
/// takes the newest `updatedAt` of the secrets the folder holds now).
pub(crate) fn folder_json(env: &Environment, path: &str, folder: &Folder, modern: bool) -> Value {
    let parent_id = parent_of(path)
        .and_then(|p| env.folders.get(p))
        .map(|f| f.id.clone());
    let mut v = json!({
        "id": folder.id,
        "name": name_of(path),
        "version": folder.version,
        "createdAt": folder.created_at,
        "updatedAt": folder.updated_at,
        "envId": env.id,
        "parentId": parent_id,
        "isReserved": false,
    });
    if modern {
        v["description"] = json!(folder.description);
        v["lastSecretModified"] = json!(folder.secrets.iter().map(|s| &s.updated_at).max());
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_arithmetic() {
        assert_eq!(name_of("/"), "root");
        assert_eq!(name_of("/a/b"), "b");
        assert_eq!(parent_of("/a"), Some("/"));
        assert_eq!(parent_of("/a/b"), Some("/a"));
        assert_eq!(parent_of("/"), None);
        assert_eq!(join("/", "a"), "/a");
        assert!(is_within("/a/b", "/a") && !is_within("/ab", "/a"));
    }

    #[test]
    fn renames_move_descendants() {
        let mut env = Environment::new("Dev", "dev", 1);
        env.ensure_folder("/a/b/c");
        env.ensure_folder("/ab");
        assert_eq!(rename(&mut env, "/a", "z"), "/z");
        let paths: Vec<&str> = env.folders.keys().map(String::as_str).collect();
        assert_eq!(paths, ["/", "/ab", "/z", "/z/b", "/z/b/c"]);
        assert!(remove(&mut env, "/z").is_some());
        assert_eq!(env.folders.len(), 2);
    }
}
