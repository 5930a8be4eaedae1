//! A string holding a secret: redacted in `Debug`, no `Display`, zeroized on drop.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use zeroize::Zeroize;

/// A string that holds a secret: a secret's value, a client secret, an access token.
///
/// `Debug` prints `[redacted]`, there is no `Display`, and the memory is zeroized when the
/// value is dropped. Read it with [`SecretString::expose`], which makes every place that
/// handles the raw value easy to find.
///
/// It serializes to the plain string because it must travel on the wire; serializing is an
/// explicit act, like `expose`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretString(String);

impl Drop for SecretString {
    fn drop(&mut self) {
        // An empty string without an allocation (a default, overwritten while decoding)
        // holds nothing to wipe: skipping it spares a call per secret of a list.
        if self.0.capacity() > 0 {
            self.0.zeroize();
        }
    }
}

impl SecretString {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The raw value. Do not log it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whether the value is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl Serialize for SecretString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose())
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = SecretString::new("hunter2");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(s.expose(), "hunter2");
    }

    #[test]
    fn round_trips_through_json() {
        let s: SecretString = serde_json::from_str("\"v\"").unwrap();
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"v\"");
    }
}
