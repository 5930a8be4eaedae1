//! Reading a JWT's expiry without verifying it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use std::time::SystemTime;

/// The `exp` claim of `token` if it is a JWT that has one; `None` for an opaque token.
///
/// The signature is not checked: this only tells when the server will stop accepting the
/// token, to report expiry before sending it.
pub fn unverified_expiry(token: &str) -> Option<SystemTime> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    crate::lifetime::unix_time(claims.get("exp")?.as_f64()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn with_exp(exp: &str) -> String {
        let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"exp":{exp}}}"#));
        format!("eyJhbGciOiJIUzI1NiJ9.{payload}.sig")
    }

    #[test]
    fn an_exp_beyond_any_clock_is_no_expiry_not_a_panic() {
        for exp in ["1e19", "1e300", "18446744073709551615", "-1", "-1e300"] {
            assert_eq!(unverified_expiry(&with_exp(exp)), None, "exp {exp}");
        }
    }

    // From ../shared/fixtures/cli-keyring (expired-token scenario): exp 1700000000.
    const EXPIRED: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhY2Nlc3NWZXJzaW9uIjoxLCJhdXRoTWV0aG9kIjoiZW1haWwiLCJhdXRoVG9rZW5UeXBlIjoiYWNjZXNzVG9rZW4iLCJleHAiOjE3MDAwMDAwMDAsImlhdCI6MTY5OTkxMzYwMCwiaXNNZmFWZXJpZmllZCI6ZmFsc2UsIm9yZ2FuaXphdGlvbklkIjoiMGIwZTdkMWEtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMGExIiwidG9rZW5WZXJzaW9uSWQiOiI1ZTVlNWU1ZS0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMGExMWMiLCJ1c2VySWQiOiI2ZjFkMmMzYi0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMGExMWMifQ.cf8UUABvRTNsib4nY1d0zh0UtCX3alTaOrKPCKyELqw";

    #[test]
    fn reads_exp() {
        let exp = unverified_expiry(EXPIRED).unwrap();
        assert_eq!(exp, UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    }

    #[test]
    fn opaque_tokens_have_no_expiry() {
        assert_eq!(unverified_expiry("st.abc.def.ghi"), None);
        assert_eq!(unverified_expiry("opaque-token"), None);
        assert_eq!(unverified_expiry("a.b.c"), None);
        assert_eq!(unverified_expiry(""), None);
    }
}
