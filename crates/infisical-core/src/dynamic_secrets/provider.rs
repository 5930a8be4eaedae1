//! A provider's configuration: its type and its inputs, which hold credentials.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::fmt;

/// A provider's inputs (host, port, admin credentials, statements, ...), as the provider type
/// defines them. `Debug` never shows them: they hold credentials.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ProviderInputs(Value);

impl ProviderInputs {
    /// Wraps the inputs, such as `json!({"client": "postgres", "host": "db", ...})`.
    pub fn new(inputs: Value) -> Self {
        Self(inputs)
    }

    /// The inputs. Do not log them.
    pub fn expose(&self) -> &Value {
        &self.0
    }
}

impl fmt::Debug for ProviderInputs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ProviderInputs([redacted])")
    }
}

impl std::hash::Hash for ProviderInputs {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.to_string().hash(state);
    }
}

/// The provider of a new dynamic secret: `{type, inputs}` on the wire.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct DynamicSecretProvider {
    #[serde(rename = "type")]
    provider_type: String,
    inputs: ProviderInputs,
}

impl DynamicSecretProvider {
    /// A provider of type `provider_type` (such as `sql-database`, `aws-iam`, `redis`) with
    /// its inputs.
    pub fn new(provider_type: impl Into<String>, inputs: Value) -> Self {
        Self {
            provider_type: provider_type.into(),
            inputs: ProviderInputs(inputs),
        }
    }

    /// The provider type.
    pub fn provider_type(&self) -> &str {
        &self.provider_type
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_never_show_in_debug() {
        let provider = DynamicSecretProvider::new(
            "sql-database",
            serde_json::json!({"username": "admin", "password": "hunter2"}),
        );
        let debug = format!("{provider:?}");
        assert!(
            !debug.contains("hunter2") && debug.contains("sql-database"),
            "{debug}"
        );
        let wire = serde_json::to_value(&provider).unwrap();
        assert_eq!(wire["inputs"]["password"], "hunter2");
    }
}
