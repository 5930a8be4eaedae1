//! Secret reference expansion, after `expandSecretReferencesFactory` in the server's
//! `secret-v2-bridge` service:
//! - `${KEY}` is KEY in the same environment and folder; `${env.a.b.KEY}` is KEY in environment
//!   `env`, folder `/a/b` (`${env.KEY}` is the root folder);
//! - the referenced (raw) values replace every occurrence of the reference text in the value,
//!   and references inside them are followed, up to depth 10; modern servers also stop at a
//!   secret already visited on the way (cycles), older ones only at the depth limit;
//! - a reference that resolves to nothing (missing or empty secret, missing folder) is left in
//!   the value as written;
//! - a secret with `skipMultilineEncoding` whose expanded value has newlines is answered as
//!   `"line1\nline2"` (quoted, newlines escaped).

use std::collections::HashSet;

use crate::state::Project;
use crate::util::{canonical_path, lookup_path};

const MAX_DEPTH: usize = 10;

/// The reference texts (`${...}`) in `value`, in order. Modern servers only match
/// `[a-zA-Z0-9-_.]` inside the braces (a JavaScript character class in which `9-_` is a range),
/// the October 2024 generation anything but `}`.
pub(crate) fn find_refs(value: &str, legacy: bool) -> Vec<String> {
    let allowed = |c: char| {
        if legacy {
            c != '}'
        } else {
            c.is_ascii_lowercase() || ('0'..='_').contains(&c) || c == '.'
        }
    };
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(pos) = value[i..].find("${") {
        let start = i + pos;
        let inner_start = start + 2;
        let mut end = None;
        for (off, c) in value[inner_start..].char_indices() {
            if c == '}' {
                end = Some(inner_start + off);
                break;
            }
            if !allowed(c) {
                break;
            }
        }
        match end {
            Some(e) if e > inner_start => {
                out.push(value[start..=e].to_string());
                i = e + 1;
            }
            _ => i = start + 1,
        }
    }
    out
}

/// Expands references against one project's stored secrets.
pub(crate) struct Expander<'a> {
    pub(crate) project: &'a Project,
    pub(crate) legacy: bool,
}

impl Expander<'_> {
    /// The raw value of `key` in `env` + `path`, or "" (the server's `fetchSecret`).
    fn fetch(&self, env: &str, path: &str, key: &str) -> String {
        lookup_path(path)
            .and_then(|p| self.project.folder(env, &p))
            .and_then(|f| f.secret(key))
            .map(|s| s.value.clone())
            .unwrap_or_default()
    }

    /// The expanded value of secret `key` (raw value `value`) stored in `env` + `path`.
    pub(crate) fn expand(
        &self,
        env: &str,
        path: &str,
        key: &str,
        value: &str,
        skip_multiline: bool,
    ) -> String {
        if value.is_empty() || find_refs(value, self.legacy).is_empty() {
            return value.to_string();
        }
        let mut expanded = value.to_string();
        let root_id = (env.to_string(), canonical_path(path), key.to_string());
        let mut stack = vec![(
            value.to_string(),
            env.to_string(),
            path.to_string(),
            0usize,
            HashSet::from([root_id]),
        )];
        while let Some((val, env, path, depth, visited)) = stack.pop() {
            if depth > MAX_DEPTH {
                continue;
            }
            for reference in find_refs(&val, self.legacy) {
                let inner = reference[2..reference.len() - 1].trim();
                let entities: Vec<&str> = inner.split('.').collect();
                let (ref_env, ref_path, ref_key) = if entities.len() == 1 {
                    (env.clone(), path.clone(), entities[0].to_string())
                } else {
                    (
                        entities[0].to_string(),
                        canonical_path(&entities[1..entities.len() - 1].join("/")),
                        entities[entities.len() - 1].to_string(),
                    )
                };
                let referenced = self.fetch(&ref_env, &ref_path, &ref_key);
                let id = (ref_env.clone(), canonical_path(&ref_path), ref_key.clone());
                let circular = !self.legacy && visited.contains(&id);
                if !circular && !find_refs(&referenced, self.legacy).is_empty() {
                    let mut next = visited.clone();
                    next.insert(id);
                    stack.push((referenced.clone(), ref_env, ref_path, depth + 1, next));
                }
                if !referenced.is_empty() {
                    expanded = expanded.replace(&reference, &referenced);
                }
            }
        }
        if skip_multiline && expanded.contains('\n') {
            format!("\"{}\"", expanded.replace('\n', "\\n"))
        } else {
            expanded
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_syntax() {
        assert_eq!(
            find_refs("a ${X} b ${prod.app.Y}", false),
            vec!["${X}", "${prod.app.Y}"]
        );
        // `-` is outside the modern character class; spaces only match on older servers.
        assert!(find_refs("${my-key}", false).is_empty());
        assert_eq!(find_refs("${ X }", true), vec!["${ X }"]);
        assert!(find_refs("${}", true).is_empty());
        assert!(find_refs("${unterminated", false).is_empty());
        assert_eq!(find_refs("$${A}", false), vec!["${A}"]);
    }
}
