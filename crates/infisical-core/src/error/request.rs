//! Requests refused before anything is sent.

use std::borrow::Cow;

/// A request that was not sent because one of its parameters is missing or invalid.
///
/// [`field`](InvalidRequest::field) names the parameter as the Rust API spells it
/// (for example `project_id`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid request: `{field}` {reason}")]
pub struct InvalidRequest {
    field: Cow<'static, str>,
    reason: Cow<'static, str>,
}

impl InvalidRequest {
    /// A required parameter is missing or empty.
    pub fn missing(field: impl Into<Cow<'static, str>>) -> Self {
        Self::new(field, "is required and was not given")
    }

    /// A parameter was given but cannot be used; `reason` says why.
    pub fn new(field: impl Into<Cow<'static, str>>, reason: impl Into<Cow<'static, str>>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The parameter at fault.
    pub fn field(&self) -> &str {
        &self.field
    }

    /// Why it was refused.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

/// Fails with [`InvalidRequest::missing`] when `value` is empty or only white space.
pub(crate) fn require_field(field: &'static str, value: &str) -> Result<(), InvalidRequest> {
    if value.trim().is_empty() {
        Err(InvalidRequest::missing(field))
    } else {
        Ok(())
    }
}
