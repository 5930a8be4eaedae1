//! Infisical as a source of the `config` crate (feature `config`).

use crate::blocking;
use crate::secrets::ListSecrets;
use config::{ConfigError, Map, Source, Value};

/// A folder's secrets as one layer of a [`config::Config`]: the keys the folder sees (its own
/// winning over imports), each with its value as a string.
///
/// `config` reads sources synchronously, so this holds a [`blocking::Client`]: build the
/// configuration outside an async runtime (or in `spawn_blocking`), as for any blocking call.
///
/// ```no_run
/// use infisical::config_source::InfisicalSource;
/// use infisical::secrets::ListSecrets;
///
/// let client = infisical::blocking::Client::builder().build()?;
/// let settings = config::Config::builder()
///     .set_default("PORT", 8080)?
///     .add_source(InfisicalSource::new(client, ListSecrets::new("project-id", "prod")))
///     .build()?;
/// let port: u16 = settings.get("PORT")?;
/// # let _ = port; Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct InfisicalSource {
    client: blocking::Client,
    request: ListSecrets,
}

impl InfisicalSource {
    /// The secrets `request` lists, read through `client` each time the configuration is
    /// built.
    pub fn new(client: blocking::Client, request: ListSecrets) -> Self {
        Self { client, request }
    }
}

impl Source for InfisicalSource {
    fn clone_into_box(&self) -> Box<dyn Source + Send + Sync> {
        Box::new(self.clone())
    }

    fn collect(&self) -> Result<Map<String, Value>, ConfigError> {
        let list = self
            .client
            .secrets()
            .list(self.request.clone())
            .map_err(|e| ConfigError::Foreign(Box::new(e)))?;
        let origin = format!(
            "infisical {}:{}",
            self.request.environment(),
            self.request.folder()
        );
        // A value the server withheld is refused, naming the key: never its placeholder.
        list.merged()
            .into_iter()
            .map(|(key, secret)| {
                let value = secret
                    .value()
                    .map_err(|hidden| ConfigError::Foreign(Box::new(crate::Error::from(hidden))))?;
                Ok((key.to_owned(), Value::new(Some(&origin), value)))
            })
            .collect()
    }
}
