//! A tiny stand-in for the zod schemas the server validates requests with: it collects issues in
//! zod's shape (`code`, `path`, `message`, ...) so validation failures look like the real ones.

use serde_json::{json, Map, Value};

use crate::errors::ApiError;

/// Collects issues while fields are read; [`Check::finish`] turns them into an error.
#[derive(Default)]
pub(crate) struct Check {
    issues: Vec<Value>,
}

/// zod's name for the type of a value (`getParsedType`).
fn parsed_type(v: Option<&Value>) -> &'static str {
    match v {
        None => "undefined",
        Some(Value::Null) => "null",
        Some(Value::Bool(_)) => "boolean",
        Some(Value::Number(_)) => "number",
        Some(Value::String(_)) => "string",
        Some(Value::Array(_)) => "array",
        Some(Value::Object(_)) => "object",
    }
}

fn path_of(prefix: &[Value], key: &str) -> Vec<Value> {
    let mut p = prefix.to_vec();
    p.push(Value::String(key.to_string()));
    p
}

/// The server trims secret values but keeps one trailing newline.
pub(crate) fn secret_value_transform(v: &str) -> String {
    if v.ends_with('\n') {
        format!("{}\n", v.trim())
    } else {
        v.trim().to_string()
    }
}

impl Check {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    fn invalid_type(&mut self, path: Vec<Value>, expected: &str, got: Option<&Value>) {
        let received = parsed_type(got);
        let message = if received == "undefined" {
            "Required".to_string()
        } else {
            format!("Expected {expected}, received {received}")
        };
        self.issues.push(json!({
            "code": "invalid_type",
            "expected": expected,
            "received": received,
            "path": path,
            "message": message,
        }));
    }

    /// The body itself must be an object.
    pub(crate) fn root<'a>(&mut self, body: Option<&'a Value>) -> Option<&'a Map<String, Value>> {
        match body {
            Some(Value::Object(m)) => Some(m),
            other => {
                self.invalid_type(Vec::new(), "object", other);
                None
            }
        }
    }

    /// Like [`Check::root`], but a body that is not an object fails right away.
    pub(crate) fn object<'a>(
        &mut self,
        body: Option<&'a Value>,
    ) -> Result<&'a Map<String, Value>, ApiError> {
        match self.root(body) {
            Some(m) => Ok(m),
            None => Err(ApiError::Validation(std::mem::take(&mut self.issues))),
        }
    }

    /// `z.string().min(1).optional()`.
    pub(crate) fn non_empty_string(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &[Value],
        key: &str,
    ) -> Option<String> {
        let s = self.string(obj, prefix, key, false, false)?;
        if s.is_empty() {
            self.issues.push(json!({
                "code": "too_small",
                "minimum": 1,
                "type": "string",
                "inclusive": true,
                "exact": false,
                "message": "String must contain at least 1 character(s)",
                "path": path_of(prefix, key),
            }));
            return None;
        }
        Some(s)
    }

    /// `z.string()` (optionally `.trim()`); missing is an issue only when `required`.
    pub(crate) fn string(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &[Value],
        key: &str,
        required: bool,
        trim: bool,
    ) -> Option<String> {
        match obj.get(key) {
            Some(Value::String(s)) => Some(if trim {
                s.trim().to_string()
            } else {
                s.clone()
            }),
            None if !required => None,
            other => {
                self.invalid_type(path_of(prefix, key), "string", other);
                None
            }
        }
    }

    /// `z.string().nullable().optional()`: `Some(None)` for an explicit null.
    pub(crate) fn nullable_string(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &[Value],
        key: &str,
    ) -> Option<Option<String>> {
        match obj.get(key) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::String(s)) => Some(Some(s.clone())),
            other => {
                self.invalid_type(path_of(prefix, key), "string", other);
                None
            }
        }
    }

    /// `z.number().nullable().optional()`.
    pub(crate) fn nullable_number(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &[Value],
        key: &str,
    ) -> Option<Option<f64>> {
        match obj.get(key) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(Value::Number(n)) => Some(n.as_f64()),
            other => {
                self.invalid_type(path_of(prefix, key), "number", other);
                None
            }
        }
    }

    /// `z.boolean().optional()` (`nullish` also accepts null, which reads as absent).
    pub(crate) fn boolean(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &[Value],
        key: &str,
        nullish: bool,
    ) -> Option<bool> {
        match obj.get(key) {
            None => None,
            Some(Value::Null) if nullish => None,
            Some(Value::Bool(b)) => Some(*b),
            other => {
                self.invalid_type(path_of(prefix, key), "boolean", other);
                None
            }
        }
    }

    /// `z.enum([...])` / `z.nativeEnum(...)` with a default.
    pub(crate) fn one_of(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &[Value],
        key: &str,
        options: &[&str],
        default: &str,
    ) -> String {
        match obj.get(key) {
            None => default.to_string(),
            Some(Value::String(s)) if options.contains(&s.as_str()) => s.clone(),
            Some(Value::String(s)) => {
                let expected = options
                    .iter()
                    .map(|o| format!("'{o}'"))
                    .collect::<Vec<_>>()
                    .join(" | ");
                self.issues.push(json!({
                    "received": s,
                    "code": "invalid_enum_value",
                    "options": options,
                    "path": path_of(prefix, key),
                    "message": format!("Invalid enum value. Expected {expected}, received '{s}'"),
                }));
                default.to_string()
            }
            other => {
                let expected = options
                    .iter()
                    .map(|o| format!("'{o}'"))
                    .collect::<Vec<_>>()
                    .join(" | ");
                self.invalid_type(path_of(prefix, key), &expected, other);
                default.to_string()
            }
        }
    }

    /// A query boolean: `z.enum(["true","false"]).default(..).transform(v => v === "true")`.
    pub(crate) fn query_bool(
        &mut self,
        obj: &Map<String, Value>,
        key: &str,
        default: bool,
    ) -> bool {
        self.one_of(
            obj,
            &[],
            key,
            &["true", "false"],
            if default { "true" } else { "false" },
        ) == "true"
    }

    /// `z.coerce.number().optional()` on a query string.
    pub(crate) fn coerce_number(&mut self, obj: &Map<String, Value>, key: &str) -> Option<f64> {
        let v = obj.get(key)?;
        let parsed = match v {
            Value::String(s) if s.trim().is_empty() => Some(0.0),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            Value::Number(n) => n.as_f64(),
            _ => None,
        };
        if parsed.is_none() {
            self.issues.push(json!({
                "code": "invalid_type",
                "expected": "number",
                "received": "nan",
                "path": [key],
                "message": "Expected number, received nan",
            }));
        }
        parsed
    }

    /// A required nested `z.object({...})`: the object, or an issue.
    pub(crate) fn nested<'a>(
        &mut self,
        obj: &'a Map<String, Value>,
        key: &str,
    ) -> Option<&'a Map<String, Value>> {
        match obj.get(key) {
            Some(Value::Object(m)) => Some(m),
            other => {
                self.invalid_type(path_of(&[], key), "object", other);
                None
            }
        }
    }

    /// `z.any().array()`, required: the items as they are.
    pub(crate) fn array(&mut self, obj: &Map<String, Value>, key: &str) -> Vec<Value> {
        match obj.get(key) {
            Some(Value::Array(items)) => items.clone(),
            other => {
                self.invalid_type(path_of(&[], key), "array", other);
                Vec::new()
            }
        }
    }

    /// `z.string().array().optional()`.
    pub(crate) fn string_array(
        &mut self,
        obj: &Map<String, Value>,
        prefix: &[Value],
        key: &str,
    ) -> Option<Vec<String>> {
        match obj.get(key) {
            None => None,
            Some(Value::Array(items)) => {
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) => out.push(s.clone()),
                        other => {
                            let mut p = path_of(prefix, key);
                            p.push(json!(i));
                            self.invalid_type(p, "string", Some(other));
                        }
                    }
                }
                Some(out)
            }
            other => {
                self.invalid_type(path_of(prefix, key), "array", other);
                None
            }
        }
    }

    /// `z.object({...}).array().min(1)`: the items that are objects, with their index.
    pub(crate) fn object_array<'a>(
        &mut self,
        obj: &'a Map<String, Value>,
        key: &str,
    ) -> Vec<(usize, &'a Map<String, Value>)> {
        match obj.get(key) {
            Some(Value::Array(items)) => {
                if items.is_empty() {
                    self.issues.push(json!({
                        "code": "too_small",
                        "minimum": 1,
                        "type": "array",
                        "inclusive": true,
                        "exact": false,
                        "message": "Array must contain at least 1 element(s)",
                        "path": [key],
                    }));
                }
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::Object(m) => out.push((i, m)),
                        other => {
                            self.invalid_type(vec![json!(key), json!(i)], "object", Some(other))
                        }
                    }
                }
                out
            }
            other => {
                self.invalid_type(vec![json!(key)], "array", other);
                Vec::new()
            }
        }
    }

    /// A failed `.refine(...)`: zod's `custom` issue with the refinement's message.
    pub(crate) fn custom(&mut self, path: &[&str], message: &str) {
        self.issues
            .push(json!({"code": "custom", "message": message, "path": path}));
    }

    /// `Err(ValidationFailure)` if any issue was collected.
    pub(crate) fn finish(self) -> Result<(), ApiError> {
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.issues))
        }
    }
}

/// The query string as a JSON object: a repeated key becomes an array, as fastify's parser does.
pub(crate) fn query_object(query: &[(String, String)]) -> Map<String, Value> {
    let mut m = Map::new();
    for (k, v) in query {
        match m.get_mut(k) {
            None => {
                m.insert(k.clone(), Value::String(v.clone()));
            }
            Some(Value::Array(a)) => a.push(Value::String(v.clone())),
            Some(existing) => {
                let first = existing.take();
                *existing = Value::Array(vec![first, Value::String(v.clone())]);
            }
        }
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_issue_shape() {
        let q = query_object(&[("recursive".into(), "yes".into())]);
        let mut c = Check::new();
        assert!(!c.query_bool(&q, "recursive", false));
        let Err(ApiError::Validation(issues)) = c.finish() else {
            panic!("expected a validation failure")
        };
        assert_eq!(issues[0]["code"], "invalid_enum_value");
        assert_eq!(issues[0]["path"], json!(["recursive"]));
        assert_eq!(
            issues[0]["message"],
            "Invalid enum value. Expected 'true' | 'false', received 'yes'"
        );
    }

    #[test]
    fn missing_field_is_required() {
        let body = json!({"clientId": 5});
        let mut c = Check::new();
        let m = c.root(Some(&body)).unwrap();
        assert_eq!(c.string(m, &[], "clientId", true, true), None);
        assert_eq!(c.string(m, &[], "clientSecret", true, true), None);
        let Err(ApiError::Validation(issues)) = c.finish() else {
            panic!("expected a validation failure")
        };
        assert_eq!(issues[0]["message"], "Expected string, received number");
        assert_eq!(issues[1]["message"], "Required");
        assert_eq!(issues[1]["received"], "undefined");
    }

    #[test]
    fn secret_values_are_trimmed_like_the_server() {
        assert_eq!(secret_value_transform("  a b  "), "a b");
        assert_eq!(secret_value_transform(" x \n"), "x\n");
    }
}
