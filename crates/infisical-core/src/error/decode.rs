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

/// serde quotes the offending value: `invalid type: string "…"`, ``invalid type: integer
/// `4111…` ``, ``unknown variant `…` ``; those can be secrets. Keep serde's words up to the
/// first quote and what it expected (the text after the last `, expected`, which is ours,
/// with the line and column); drop the rest. The names in `missing field` and `duplicate
/// field` are our own fields' and stay.
fn scrub_quoted(message: &str) -> String {
    if message.starts_with("missing field") || message.starts_with("duplicate field") {
        return message.to_owned();
    }
    let (head, expected) = match message.rfind(", expected") {
        Some(at) => message.split_at(at),
        None => (message, ""),
    };
    match head.find(['"', '`']) {
        Some(quote) => format!("{}…{expected}", &head[..quote]),
        None => message.to_owned(),
    }
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
    fn no_value_survives_in_any_form() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        enum Kind {
            Shared,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Wants {
            s: Option<String>,
            n: Option<u32>,
            f: Option<u8>,
            k: Option<Kind>,
            c: Option<char>,
            b: Option<bool>,
        }
        for body in [
            r#"{"s": 4111111111111111}"#,
            r#"{"s": -4111111111111111}"#,
            r#"{"s": 4111111111111111.5}"#,
            r#"{"n": 4111111111111111}"#,
            r#"{"f": 4111111111111111}"#,
            r#"{"k": "4111111111111111"}"#,
            r#"{"k": "a`4111111111111111, expected x`"}"#,
            r#"{"n": "4111111111111111\" , expected"}"#,
            r#"{"c": "4111111111111111"}"#,
            r#"{"b": "4111111111111111"}"#,
            r#"{"s": [4111111111111111]}"#,
            r#"{"s": true, "n": 1, "4111111111111111": 1}"#,
        ] {
            let err = serde_json::from_str::<Wants>(body).unwrap_err();
            let decoded = DecodeError::from_json("GET /x", StatusCode::OK, &err);
            let shown = format!("{decoded} {decoded:?}");
            assert!(!shown.contains("4111"), "{body}: {shown}");
        }
    }

    #[test]
    fn what_was_expected_survives() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Wants {
            n: u32,
        }
        let err = serde_json::from_str::<Wants>(r#"{"n": "x"}"#).unwrap_err();
        let text = DecodeError::from_json("GET /x", StatusCode::OK, &err).to_string();
        assert!(
            text.contains("invalid type: string …, expected u32 at line 1"),
            "{text}"
        );
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
