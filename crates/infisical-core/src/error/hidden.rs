//! A secret value the server withheld.

/// The server withheld this secret's value: the caller may read the secret's name but not
/// its value (`secretValueHidden`, answered to `viewSecretValue=false` or to a caller whose
/// role hides values). The placeholder the server sends instead is never handed on as a
/// value. Names the key, never a value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the server withheld the value of secret `{key}`: the caller may read its name, not its value"
)]
pub struct HiddenValue {
    key: String,
}

impl HiddenValue {
    /// The value of secret `key` was withheld.
    pub fn new(key: impl Into<String>) -> Self {
        Self { key: key.into() }
    }

    /// The secret's name.
    pub fn key(&self) -> &str {
        &self.key
    }
}

/// `value`, unless the server withheld it (`secretValueHidden: true`): then [`HiddenValue`]
/// naming `key`. The one gate every model with a secret value reads through.
pub(crate) fn unless_withheld<'a>(
    hidden: Option<bool>,
    key: &str,
    value: &'a crate::SecretString,
) -> Result<&'a str, HiddenValue> {
    if hidden == Some(true) {
        Err(HiddenValue::new(key))
    } else {
        Ok(value.expose())
    }
}
