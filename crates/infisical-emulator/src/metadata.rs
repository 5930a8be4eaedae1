//! Secret metadata as current servers take it: `secretMetadata`, an array of
//! `{key (trimmed, at least 1 character), value (trimmed, default ""), isEncrypted?}`
//! (upstream `services/resource-metadata/resource-metadata-schema.ts`), on single and batch
//! writes; and the list filter `metadataFilter=key=K,value=V|…` (upstream
//! `v4/secret-router.ts`: pairs split on `|`, parts on `,` or `=`, a pair kept only with both
//! a key and a value, at most 10). The October 2024 server has none of it (its zod objects
//! strip the unknown field).

use serde_json::{json, Map, Value};

use crate::state::Secret;
use crate::validate::Check;

/// The `secretMetadata` of a write body at `path`, if given: `(key, value)` pairs.
pub(crate) fn read(
    check: &mut Check,
    obj: &Map<String, Value>,
    path: &[Value],
) -> Option<Vec<(String, String)>> {
    let items = obj.get("secretMetadata")?.as_array();
    let Some(items) = items else {
        let at: Vec<&str> = path.iter().filter_map(Value::as_str).collect();
        check.custom(
            &[at.as_slice(), &["secretMetadata"]].concat(),
            "Expected array",
        );
        return None;
    };
    let mut pairs = Vec::new();
    for item in items {
        let key = item.get("key").and_then(Value::as_str).map(str::trim);
        let value = item
            .get("value")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim();
        match key {
            Some(key) if !key.is_empty() => pairs.push((key.to_owned(), value.to_owned())),
            _ => check.custom(
                &["secretMetadata", "key"],
                "String must contain at least 1 character(s)",
            ),
        }
    }
    Some(pairs)
}

/// The `secretMetadata` of a secret in an answer.
pub(crate) fn render(secret: &Secret) -> Value {
    Value::Array(
        secret
            .metadata
            .iter()
            .map(|(key, value)| json!({"key": key, "value": value, "isEncrypted": false}))
            .collect(),
    )
}

/// The pairs of a `metadataFilter` query value.
pub(crate) fn parse_filter(check: &mut Check, text: &str) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for pair in text.split('|') {
        let parts: Vec<&str> = pair.split([',', '=']).map(str::trim).collect();
        let (mut key, mut value) = (None, None);
        for window in parts.chunks(2) {
            if let [name, v] = window {
                if name.eq_ignore_ascii_case("key") {
                    key = Some(v.to_string());
                } else if name.eq_ignore_ascii_case("value") {
                    value = Some(v.to_string());
                }
            }
        }
        if let (Some(k), Some(v)) = (key, value) {
            pairs.push((k, v));
        }
    }
    if pairs.len() > 10 {
        check.custom(
            &["metadataFilter"],
            "You can only filter by up to 10 metadata fields",
        );
    }
    pairs
}

/// Whether `secret` has every pair.
pub(crate) fn matches(secret: &Secret, filter: &[(String, String)]) -> bool {
    filter
        .iter()
        .all(|(k, v)| secret.metadata.iter().any(|(mk, mv)| mk == k && mv == v))
}
