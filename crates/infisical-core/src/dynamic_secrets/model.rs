//! Dynamic secrets and leases as the server returns them.

use super::provider::ProviderInputs;
use crate::SecretString;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A dynamic secret: a provider's configuration that leases issue credentials from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct DynamicSecret {
    /// The dynamic secret's id.
    pub id: String,
    /// Its name, unique in its folder.
    pub name: String,
    /// Its version, bumped on each change.
    pub version: Option<u64>,
    /// The provider type, such as `sql-database`.
    #[serde(rename = "type")]
    pub provider_type: String,
    /// The lease lifetime used when a lease asks for none, such as `1h`.
    #[serde(rename = "defaultTTL")]
    pub default_ttl: String,
    /// The longest a lease may live, counting renewals.
    #[serde(rename = "maxTTL")]
    pub max_ttl: Option<String>,
    /// The folder holding it.
    pub folder_id: Option<String>,
    /// A status such as a failed deletion, if any.
    pub status: Option<String>,
    /// Details of the status.
    pub status_details: Option<String>,
    /// The provider's inputs (answers of get only; they hold credentials).
    pub inputs: Option<ProviderInputs>,
    /// When it was created (RFC 3339).
    pub created_at: Option<String>,
    /// When it last changed (RFC 3339).
    pub updated_at: Option<String>,
}

/// A lease: credentials issued from a dynamic secret until `expire_at`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct Lease {
    /// The lease's id.
    pub id: String,
    /// Its version.
    pub version: Option<u64>,
    /// The provider's name for what the lease created (for SQL: the database user).
    pub external_entity_id: String,
    /// When the credentials stop working (RFC 3339).
    pub expire_at: String,
    /// A status such as a failed revocation, if any.
    pub status: Option<String>,
    /// Details of the status.
    pub status_details: Option<String>,
    /// The dynamic secret's id.
    pub dynamic_secret_id: String,
    /// The dynamic secret (answers of get only).
    pub dynamic_secret: Option<DynamicSecret>,
    /// When the lease was created (RFC 3339).
    pub created_at: Option<String>,
    /// When the lease last changed (RFC 3339).
    pub updated_at: Option<String>,
}

/// The answer of a new lease: the lease, its dynamic secret, and the credentials it issued.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
#[non_exhaustive]
pub struct IssuedLease {
    /// The lease.
    pub lease: Lease,
    /// The dynamic secret it was issued from.
    pub dynamic_secret: DynamicSecret,
    /// The issued credentials (`data` on the wire).
    #[serde(rename = "data")]
    pub credentials: LeaseCredentials,
}

/// Issued credentials by name, such as `DB_USERNAME` and `DB_PASSWORD` for SQL databases.
///
/// Every value is a [`SecretString`] (values that are not strings are kept as JSON text), so
/// `Debug` shows the names only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LeaseCredentials(BTreeMap<String, SecretString>);

impl LeaseCredentials {
    /// The credential `name`. Do not log it.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(SecretString::expose)
    }

    /// The credentials' names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// How many credentials were issued.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether none were issued.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'de> Deserialize<'de> for LeaseCredentials {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Credentials;

        impl<'de> Visitor<'de> for Credentials {
            type Value = LeaseCredentials;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object of credentials")
            }

            fn visit_unit<E>(self) -> Result<LeaseCredentials, E> {
                Ok(LeaseCredentials::default())
            }

            fn visit_map<A: MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<LeaseCredentials, A::Error> {
                let mut out = BTreeMap::new();
                while let Some((name, value)) = map.next_entry::<String, serde_json::Value>()? {
                    let text = match value {
                        serde_json::Value::String(s) => s,
                        other => other.to_string(),
                    };
                    out.insert(name, SecretString::from(text));
                }
                Ok(LeaseCredentials(out))
            }
        }

        deserializer.deserialize_any(Credentials)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_credentials_are_read_and_redacted() {
        let json = r#"{"lease": {"id": "l1", "expireAt": "2030-01-01T00:00:00.000Z"},
            "dynamicSecret": {"name": "db", "type": "sql-database", "defaultTTL": "1h"},
            "data": {"DB_USERNAME": "u1", "DB_PASSWORD": "hunter2", "PORT": 5432},
            "brandNew": true}"#;
        let issued: IssuedLease = serde_json::from_str(json).unwrap();
        assert_eq!(issued.credentials.get("DB_PASSWORD"), Some("hunter2"));
        assert_eq!(issued.credentials.get("PORT"), Some("5432"));
        assert_eq!(issued.dynamic_secret.default_ttl, "1h");
        assert!(!format!("{issued:?}").contains("hunter2"));
    }
}
