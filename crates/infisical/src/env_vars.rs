//! Secrets as environment variables: of this process, or of a child only.
//!
//! Infisical accepts any secret name; an environment variable cannot be empty or hold `=`
//! or NUL in its name, nor NUL in its value. Such secrets are skipped and reported by name
//! (never by value): setting them would panic or corrupt the environment (`BAD=NAME` would
//! become a variable `BAD` holding `NAME=<value>`), and so are secrets whose value the
//! server withheld (never their placeholder). Other unusual names (spaces, dots,
//! dashes, non-ASCII) are passed through as they are, as the Infisical CLI does.

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
    /// Secrets that cannot be environment variables (an empty name, `=` or NUL in the name,
    /// NUL in the value) or whose value the server withheld, by name: not set.
    pub skipped: Vec<String>,
}

/// Whether a secret can be an environment variable: a name that is not empty and holds
/// neither `=` nor NUL, and a value without NUL.
pub fn is_usable(name: &str, value: &str) -> bool {
    !name.is_empty() && !name.contains(['=', '\0']) && !value.contains('\0')
}

/// The secrets the folder sees (its own winning over imports) that can be environment
/// variables, as (name, value); the names of the others (unusable, or whose value the
/// server withheld) are returned apart and logged as a warning.
fn usable(list: &SecretList) -> (Vec<(&str, &str)>, Vec<String>) {
    let mut usable = Vec::new();
    let mut skipped = Vec::new();
    for (key, secret) in list.merged() {
        match secret.value() {
            Ok(value) if is_usable(key, value) => usable.push((key, value)),
            _ => skipped.push(key.escape_debug().to_string()),
        }
    }
    if !skipped.is_empty() {
        tracing::warn!(
            skipped = ?skipped,
            "secrets that cannot be environment variables were skipped"
        );
    }
    (usable, skipped)
}

/// Sets each secret the folder sees (its own, then its imports', the folder's own winning, as
/// `infisical run` does) as an environment variable of this process. A variable already set
/// is kept unless `overwrite`; a secret that cannot be a variable is skipped (see the
/// [module](self) docs). Returns the names, never the values.
///
/// Call it early, before other threads read or write the environment: changing the
/// environment of a running multi-threaded program is a data race on some platforms. To
/// give secrets to another program only, prefer [`command_with_secrets`].
pub fn load_into_process(list: &SecretList, overwrite: bool) -> Loaded {
    let (usable, skipped) = usable(list);
    let mut loaded = Loaded {
        skipped,
        ..Loaded::default()
    };
    for (key, value) in usable {
        if !overwrite && std::env::var_os(key).is_some() {
            loaded.kept.push(key.to_owned());
        } else {
            std::env::set_var(key, value);
            loaded.set.push(key.to_owned());
        }
    }
    loaded
}

/// Adds each secret the folder sees to `command`'s environment (the child's only; this
/// process is untouched), the folder's own keys winning over imports. Variables the command
/// already sets explicitly are replaced. A secret that cannot be a variable is skipped and
/// its name logged (see the [module](self) docs, and [`is_usable`] to check beforehand).
///
/// ```no_run
/// # async fn run(client: infisical::Client) -> Result<(), Box<dyn std::error::Error>> {
/// use infisical::secrets::ListSecrets;
/// use std::process::Command;
///
/// let list = client.secrets().list(ListSecrets::new("project-id", "prod").include_imports(true)).await?;
/// let status = infisical::env_vars::command_with_secrets(&mut Command::new("./server"), &list).status()?;
/// # let _ = status; Ok(()) }
/// ```
pub fn command_with_secrets<'a>(command: &'a mut Command, list: &SecretList) -> &'a mut Command {
    let (usable, _) = usable(list);
    command.envs(usable)
}

#[cfg(test)]
mod tests {
    #[test]
    #[allow(deprecated)]
    fn the_former_path_still_works() {
        assert!(crate::environment::is_usable("NAME", "value"));
        assert!(!crate::env_vars::is_usable("BAD=NAME", "value"));
        assert!(!crate::env_vars::is_usable("", "value"));
        assert!(!crate::env_vars::is_usable("NAME", "nul\0"));
    }
}
