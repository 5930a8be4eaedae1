//! Secrets as environment variables: of this process, or of a child only.

use crate::secrets::SecretList;
use std::process::Command;

/// What [`load_into_process`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Loaded {
    /// Variables set from secrets.
    pub set: Vec<String>,
    /// Variables already set, left as they were.
    pub kept: Vec<String>,
}

/// Sets each secret the folder sees (its own, then its imports', the folder's own winning, as
/// `infisical run` does) as an environment variable of this process. A variable already set
/// is kept unless `overwrite`. Returns the names, never the values.
///
/// Call it early, before other threads read or write the environment: changing the
/// environment of a running multi-threaded program is a data race on some platforms. To
/// give secrets to another program only, prefer [`command_with_secrets`].
pub fn load_into_process(list: &SecretList, overwrite: bool) -> Loaded {
    let mut loaded = Loaded::default();
    for (key, secret) in list.merged() {
        if !overwrite && std::env::var_os(key).is_some() {
            loaded.kept.push(key.to_owned());
        } else {
            std::env::set_var(key, secret.value());
            loaded.set.push(key.to_owned());
        }
    }
    loaded
}

/// Adds each secret the folder sees to `command`'s environment (the child's only; this
/// process is untouched), the folder's own keys winning over imports. Variables the command
/// already sets explicitly are replaced.
///
/// ```no_run
/// # async fn run(client: infisical::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use infisical::secrets::ListSecrets;
/// use std::process::Command;
///
/// let list = client.secrets().list(ListSecrets::new("project-id", "prod").include_imports(true)).await?;
/// let status = infisical::environment::command_with_secrets(&mut Command::new("./server"), &list).status()?;
/// # let _ = status; Ok(()) }
/// ```
pub fn command_with_secrets<'a>(command: &'a mut Command, list: &SecretList) -> &'a mut Command {
    command.envs(
        list.merged()
            .into_iter()
            .map(|(key, secret)| (key, secret.value())),
    )
}
