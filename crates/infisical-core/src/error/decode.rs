//! Answers that could not be understood.

use http::StatusCode;

/// The server answered, but the body is not what the route promises (truncated or malformed
/// JSON, a missing essential field). Names the route and status; never quotes the body,
/// which may hold secret values.
#[derive(Debug, thiserror::Error)]
#[error("could not decode the answer of {route} (status {status}): {detail}")]
pub struct DecodeError {
    route: &'static str,
    status: StatusCode,
    detail: String,
}

impl DecodeError {
    /// Builds the error from a JSON failure, scrubbing quoted text from its message.
    pub fn from_json(route: &'static str, status: StatusCode, err: &serde_json::Error) -> Self {
        Self {
            route,
            status,
            detail: scrub_quoted(&err.to_string()),
        }
    }

    /// Builds the error from a description.
    pub fn new(route: &'static str, status: StatusCode, detail: impl Into<String>) -> Self {
        Self {
            route,
            status,
            detail: detail.into(),
        }
    }

    /// The route template, such as `GET /api/v4/secrets`.
    pub fn route(&self) -> &'static str {
        self.route
    }

    /// The status of the answer that could not be decoded.
    pub fn status(&self) -> StatusCode {
        self.status
    }
}

/// serde_json quotes offending values (`invalid type: string "…"`); those can be secrets.
fn scrub_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut quoted = false;
    for c in message.chars() {
        if c == '"' {
            if !quoted {
                out.push_str("\"…\"");
            }
            quoted = !quoted;
        } else if !quoted {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_scrubbed() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Wants {
            n: u32,
        }
        let err = serde_json::from_str::<Wants>(r#"{"n":"hunter2"}"#).unwrap_err();
        let decoded = DecodeError::from_json("GET /x", StatusCode::OK, &err);
        let text = decoded.to_string();
        assert!(!text.contains("hunter2"), "{text}");
        assert!(text.contains("GET /x") && text.contains("200"), "{text}");
    }

    #[test]
    fn missing_field_names_survive() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Wants {
            n: u32,
        }
        let err = serde_json::from_str::<Wants>("{}").unwrap_err();
        let text = DecodeError::from_json("GET /x", StatusCode::OK, &err).to_string();
        assert!(text.contains("missing field `n`"), "{text}");
    }
}
