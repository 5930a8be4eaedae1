//! The decrypted vault item: the CLI's `models.UserCredentials`
//! (`{"email","privateKey","JTWToken","RefreshToken"}`, `JTWToken` sic), JSON-encoded and
//! then encoded again as a JSON string (go-keyring stores a string).

use super::{invalid, json_problem, PROVIDER};
use crate::jwt::unverified_expiry;
use infisical_core::{CredentialsError, CredentialsErrorKind, SecretString};
use serde::Deserialize;
use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use zeroize::Zeroizing;

/// The CLI's `IsJWTExpired` treats a token as expired this long before its `exp`.
const EXPIRY_LEEWAY: Duration = Duration::from_secs(30);

/// A user session. `Debug` is safe: the token is a [`SecretString`].
#[derive(Debug, Deserialize)]
pub(super) struct Session {
    // Missing keys read as "", as Go's json.Unmarshal leaves them; `privateKey` and
    // `RefreshToken` are not used (current CLIs store "" in both).
    #[serde(default)]
    email: String,
    #[serde(rename = "JTWToken", default)]
    token: SecretString,
}

impl Session {
    /// Decodes the JWE plaintext of the file-vault item at `path`: a JSON string, then JSON
    /// in it.
    pub(super) fn parse(plaintext: &[u8], path: &Path) -> Result<Self, CredentialsError> {
        let inner: Zeroizing<String> = serde_json::from_slice(plaintext)
            .map(Zeroizing::new)
            .map_err(|err| malformed("decrypted item (a JSON string)", &err, path))?;
        serde_json::from_str(&inner).map_err(|err| malformed("decrypted credentials", &err, path))
    }

    /// Decodes an OS-keyring item's value: the credentials JSON itself (go-keyring's OS
    /// backends store the string's bytes; only the file vault encodes it again).
    pub(super) fn parse_unwrapped(value: &[u8], at: &Path) -> Result<Self, CredentialsError> {
        serde_json::from_slice(value).map_err(|err| malformed("credentials", &err, at))
    }

    /// Fails unless the session belongs to `email`, the user the CLI config names.
    pub(super) fn require_user(&self, email: &str, path: &Path) -> Result<(), CredentialsError> {
        if self.email == email {
            return Ok(());
        }
        Err(invalid(
            format!(
                "the Infisical CLI session in this file is for {:?}, not for the logged-in user {email}",
                self.email
            ),
            path,
        ))
    }

    /// The token's expiry, failing as the CLI's `IsJWTExpired` would: a token without a
    /// readable `exp`, or one that expires within 30 seconds of `now`, is expired.
    pub(super) fn require_unexpired(
        &self,
        now: SystemTime,
        path: &Path,
    ) -> Result<SystemTime, CredentialsError> {
        let expires_at = unverified_expiry(self.token.expose());
        if let Some(expires_at) = expires_at {
            if now
                .checked_add(EXPIRY_LEEWAY)
                .is_some_and(|soon| expires_at >= soon)
            {
                return Ok(expires_at);
            }
        }
        let when = match expires_at {
            Some(at) => format!("expired at {}", describe_time(at)),
            None => "has no readable expiry, so the CLI treats it as expired".to_owned(),
        };
        Err(CredentialsError::new(
            CredentialsErrorKind::Expired,
            PROVIDER,
            format!(
                "the Infisical CLI login of {} {when}; run `infisical login` again",
                self.email
            ),
        )
        .with_path(path))
    }

    /// The access token.
    pub(super) fn into_token(self) -> SecretString {
        self.token
    }
}

fn malformed(layer: &str, err: &serde_json::Error, at: &Path) -> CredentialsError {
    invalid(
        format!(
            "malformed Infisical CLI session: the {layer} {}",
            json_problem(err)
        ),
        at,
    )
}

/// `time` as RFC 3339 in UTC (`2023-11-14T22:13:20Z`), or as Unix seconds when out of the
/// four-digit-year range.
fn describe_time(time: SystemTime) -> String {
    match crate::utc::Utc::of(time) {
        None => "a time before 1970".to_owned(),
        Some(t) if t.year > 9999 => {
            let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
            format!("Unix time {secs}")
        }
        Some(t) => format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year, t.month, t.day, t.hour, t.minute, t.second
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plaintext(credentials: &str) -> Vec<u8> {
        serde_json::to_vec(credentials).unwrap()
    }

    #[test]
    fn the_payload_is_decoded_twice() {
        let p =
            plaintext(r#"{"email":"a@b","privateKey":"","JTWToken":"t.o.k","RefreshToken":""}"#);
        let session = Session::parse(&p, Path::new("/i")).unwrap();
        assert_eq!(session.email, "a@b");
        assert_eq!(session.into_token().expose(), "t.o.k");
    }

    #[test]
    fn other_shapes_are_malformed_and_not_quoted() {
        let path = Path::new("/i");
        for p in [
            br#"{"email":"a@b","JTWToken":"secret-token"}"#.to_vec(),
            plaintext(r#""secret-token""#),
            plaintext("secret-token"),
            b"secret-token".to_vec(),
        ] {
            let err = Session::parse(&p, path).unwrap_err();
            assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
            assert!(
                !format!("{err} {err:?}").contains("secret-token"),
                "{err:?}"
            );
        }
    }

    #[test]
    fn expiry_has_thirty_seconds_of_leeway() {
        // exp 1700000000 (2023-11-14T22:13:20Z), from the expired-token fixture.
        let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJleHAiOjE3MDAwMDAwMDB9.x";
        let session = Session {
            email: "a@b".into(),
            token: token.into(),
        };
        let exp = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let path = Path::new("/i");
        assert_eq!(
            session
                .require_unexpired(exp - Duration::from_secs(30), path)
                .unwrap(),
            exp
        );
        let err = session
            .require_unexpired(exp - Duration::from_secs(29), path)
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Expired);
        assert!(err.message().contains("2023-11-14T22:13:20Z"), "{err}");
        assert!(err.message().contains("infisical login"), "{err}");
        assert!(!err.to_string().contains(token));
    }

    #[test]
    fn tokens_without_exp_are_expired() {
        let session = Session {
            email: "a@b".into(),
            token: "opaque".into(),
        };
        let err = session
            .require_unexpired(UNIX_EPOCH, Path::new("/i"))
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Expired);
    }

    #[test]
    fn times_are_rfc_3339() {
        let at = |secs| describe_time(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "1970-01-01T00:00:00Z");
        assert_eq!(at(4_102_444_800), "2100-01-01T00:00:00Z");
        assert_eq!(at(1_709_164_800 + 3661), "2024-02-29T01:01:01Z");
        assert_eq!(at(400_000_000_000), "Unix time 400000000000");
    }
}
