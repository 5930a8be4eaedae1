//! Calendar dates of `SystemTime`s, in UTC, without a date library: for AWS's `X-Amz-Date`
//! and for telling users when a login expired.

use std::time::{SystemTime, UNIX_EPOCH};

/// A time's UTC calendar fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Utc {
    pub(crate) year: u64,
    pub(crate) month: u64,
    pub(crate) day: u64,
    pub(crate) hour: u64,
    pub(crate) minute: u64,
    pub(crate) second: u64,
}

impl Utc {
    /// 1970-01-01T00:00:00Z.
    pub(crate) const EPOCH: Utc = Utc {
        year: 1970,
        month: 1,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
    };

    /// The fields of `time`; `None` before 1970.
    pub(crate) fn of(time: SystemTime) -> Option<Utc> {
        let secs = time.duration_since(UNIX_EPOCH).ok()?.as_secs();
        let (days, rest) = (secs / 86_400, secs % 86_400);
        let (year, month, day) = civil_from_days(days);
        Some(Utc {
            year,
            month,
            day,
            hour: rest / 3600,
            minute: rest % 3600 / 60,
            second: rest % 60,
        })
    }
}

/// Howard Hinnant's days-to-civil algorithm: (year, month, day) of a day since 1970-01-01.
// Arithmetic cannot overflow: `days` ≤ u64::MAX / 86400 < 2.2e14, and no intermediate
// exceeds 5 × (days + 719468) < 1.1e15.
#[allow(clippy::arithmetic_side_effects)]
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn known_dates() {
        let at = |secs| Utc::of(UNIX_EPOCH + Duration::from_secs(secs)).unwrap();
        let epoch = at(0);
        assert_eq!((epoch.year, epoch.month, epoch.day), (1970, 1, 1));
        let leap = at(951_782_400); // 2000-02-29
        assert_eq!((leap.year, leap.month, leap.day), (2000, 2, 29));
        let last = at(4_107_542_399); // 2100-02-28T23:59:59
        assert_eq!(
            (
                last.year,
                last.month,
                last.day,
                last.hour,
                last.minute,
                last.second
            ),
            (2100, 2, 28, 23, 59, 59)
        );
        assert_eq!(Utc::of(UNIX_EPOCH - Duration::from_secs(1)), None);
    }
}
