//! A folder's secrets as your own `serde` struct.
//!
//! Values are strings; each is parsed into the field's type (`bool`, integers up to 128
//! bits, floats, `char`, strings, `Option`, unit enums by name, and sequences written as
//! comma-separated lists). A failure names **every** missing and every unparsable key at
//! once as `KEY: expected TYPE`, and never prints a value (serde's own messages, which
//! quote it, are dropped).
//!
//! ```no_run
//! # async fn run(client: infisical::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use infisical::secrets::ListSecrets;
//!
//! #[derive(serde::Deserialize)]
//! struct Settings {
//!     #[serde(rename = "DATABASE_URL")]
//!     database_url: String,
//!     #[serde(rename = "PORT")]
//!     port: u16,
//!     #[serde(rename = "DEBUG", default)]
//!     debug: bool,
//! }
//!
//! let list = client.secrets().list(ListSecrets::new("project-id", "prod")).await?;
//! let settings: Settings = infisical::typed::from_secrets(&list)?;
//! # let _ = (settings.database_url, settings.port, settings.debug); Ok(()) }
//! ```

mod de;
mod live;
#[cfg(test)]
mod tests;

pub use live::{Live, LiveError};

use crate::secrets::SecretList;
use serde::de::DeserializeOwned;
use std::collections::BTreeMap;
use std::fmt;

/// Why secrets did not fit a struct: every missing key, every unparsable key with the type
/// it should have had, and any other problem. Values are never included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConfigError {
    /// Required keys the folder does not have.
    pub missing: Vec<String>,
    /// Keys whose value could not be read as the field's type, with that type.
    pub invalid: Vec<(String, String)>,
    /// Required keys whose value the server withheld (the caller may read names only).
    pub hidden: Vec<String>,
    /// Anything else serde reported (a custom validation, say).
    pub other: Option<String>,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the secrets do not fit the configuration")?;
        if !self.missing.is_empty() {
            write!(f, "; missing: {}", self.missing.join(", "))?;
        }
        for (key, expected) in &self.invalid {
            write!(f, "; {key}: expected {expected}")?;
        }
        if !self.hidden.is_empty() {
            write!(
                f,
                "; values withheld by the server: {}",
                self.hidden.join(", ")
            )?;
        }
        if let Some(other) = &self.other {
            write!(f, "; {other}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// Reads the secrets the folder sees (its own winning over imports) into `T`. A key whose
/// value the server withheld is never read as a value: a field that needs it is reported
/// in [`ConfigError::hidden`].
pub fn from_secrets<T: DeserializeOwned>(list: &SecretList) -> Result<T, ConfigError> {
    let mut values = BTreeMap::new();
    let mut hidden = Vec::new();
    for (key, secret) in list.merged() {
        match secret.value() {
            Ok(value) => {
                values.insert(key.to_owned(), value.to_owned());
            }
            Err(_) => hidden.push(key.to_owned()),
        }
    }
    from_map(&values).map_err(|mut err| {
        let (withheld, missing) = err.missing.drain(..).partition(|key| hidden.contains(key));
        err.missing = missing;
        err.hidden = withheld;
        err
    })
}

/// Reads string values by key into `T` (the engine of [`from_secrets`]).
pub fn from_map<T: DeserializeOwned>(values: &BTreeMap<String, String>) -> Result<T, ConfigError> {
    de::deserialize(values)
}
