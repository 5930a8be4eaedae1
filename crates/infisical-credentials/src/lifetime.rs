//! Token lifetimes as servers announce them (`expiresIn`, `accessTokenMaxTTL`, a JWT's
//! `exp`): numbers from outside, believed only after checking.
//!
//! - Zero, negative or not a finite number: no limit. Infisical answers `expiresIn: 0` for
//!   an identity whose access-token TTL is 0, and such a token then never expires by TTL.
//! - Longer than [`MAX_LIFETIME`]: capped, so that adding it to a clock cannot overflow.
//! - Not a number at all: a typed error naming the field, never quoting the value.

use serde_json::Value;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The longest lifetime believed: ten years. A token announced to live longer is treated
/// as living this long (and is still replaced at once if the server rejects it).
pub(crate) const MAX_LIFETIME: Duration = Duration::from_secs(10 * 365 * 24 * 60 * 60);

/// A lifetime in seconds: `None` when it sets no limit (zero, negative, NaN, infinite
/// negative), capped at [`MAX_LIFETIME`].
pub(crate) fn from_seconds(seconds: f64) -> Option<Duration> {
    if seconds.is_nan() || seconds <= 0.0 {
        return None;
    }
    Some(Duration::try_from_secs_f64(seconds).map_or(MAX_LIFETIME, |d| d.min(MAX_LIFETIME)))
}

/// The seconds a JSON field holds: a number, or a string holding one (some proxies and
/// older servers send `"3600"`); `Ok(None)` when absent or `null`; `Err` naming nothing
/// but the kind when it is anything else.
pub(crate) fn seconds_field(value: Option<&Value>) -> Result<Option<f64>, &'static str> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(n.as_f64()),
        Some(Value::String(s)) => s
            .trim()
            .parse::<f64>()
            .map(Some)
            .map_err(|_| "a string that is not a number"),
        Some(Value::Bool(_)) => Err("a boolean"),
        Some(Value::Array(_)) => Err("an array"),
        Some(Value::Object(_)) => Err("an object"),
    }
}

/// `now + lifetime`, or `None` when the clock cannot represent it (no expiry then).
pub(crate) fn after(now: SystemTime, lifetime: Duration) -> Option<SystemTime> {
    now.checked_add(lifetime)
}

/// A Unix time in seconds (a JWT's `exp`) as a `SystemTime`: `None` when it is negative,
/// not finite, or beyond what the clock can represent.
pub(crate) fn unix_time(seconds: f64) -> Option<SystemTime> {
    if seconds.is_nan() || seconds < 0.0 {
        return None;
    }
    UNIX_EPOCH.checked_add(Duration::try_from_secs_f64(seconds).ok()?)
}

/// The earlier of two optional deadlines (`None` is "never").
pub(crate) fn earliest(a: Option<SystemTime>, b: Option<SystemTime>) -> Option<SystemTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn zero_negative_and_nan_set_no_limit() {
        for s in [0.0, -0.0, -5.0, -1e300, f64::NAN, f64::NEG_INFINITY] {
            assert_eq!(from_seconds(s), None, "{s}");
        }
    }

    #[test]
    fn huge_lifetimes_are_capped() {
        for s in [1e19, 1e300, f64::INFINITY, u64::MAX as f64] {
            assert_eq!(from_seconds(s), Some(MAX_LIFETIME), "{s}");
        }
        assert_eq!(from_seconds(3600.0), Some(Duration::from_secs(3600)));
        assert_eq!(from_seconds(0.5), Some(Duration::from_millis(500)));
    }

    #[test]
    fn a_capped_lifetime_fits_any_clock_of_this_century() {
        let far = UNIX_EPOCH + Duration::from_secs(4_102_444_800); // 2100
        assert!(after(far, MAX_LIFETIME).is_some());
    }

    #[test]
    fn fields_of_every_json_type() {
        assert_eq!(seconds_field(None), Ok(None));
        assert_eq!(seconds_field(Some(&json!(null))), Ok(None));
        assert_eq!(seconds_field(Some(&json!(7200))), Ok(Some(7200.0)));
        assert_eq!(seconds_field(Some(&json!(-5))), Ok(Some(-5.0)));
        assert_eq!(seconds_field(Some(&json!(" 60 "))), Ok(Some(60.0)));
        assert!(seconds_field(Some(&json!("soon"))).is_err());
        assert!(seconds_field(Some(&json!(true))).is_err());
        assert!(seconds_field(Some(&json!([1]))).is_err());
        assert!(seconds_field(Some(&json!({"s": 1}))).is_err());
    }

    #[test]
    fn unix_times_out_of_range_are_none() {
        assert_eq!(unix_time(-1.0), None);
        assert_eq!(unix_time(f64::NAN), None);
        assert_eq!(unix_time(1e300), None);
        assert!(unix_time(1e19).is_none_or(|t| t > UNIX_EPOCH));
        assert_eq!(
            unix_time(1_700_000_000.0),
            Some(UNIX_EPOCH + Duration::from_secs(1_700_000_000))
        );
    }

    #[test]
    fn earliest_treats_none_as_never() {
        let t = UNIX_EPOCH + Duration::from_secs(5);
        let u = UNIX_EPOCH + Duration::from_secs(9);
        assert_eq!(earliest(Some(t), Some(u)), Some(t));
        assert_eq!(earliest(None, Some(u)), Some(u));
        assert_eq!(earliest(Some(t), None), Some(t));
        assert_eq!(earliest(None, None), None);
    }
}
