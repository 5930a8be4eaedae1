//! [`Timestamp`]: an RFC 3339 time as servers send it, kept without an allocation.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A point in time a server sent as RFC 3339 text (`createdAt`, `updatedAt`).
///
/// The text is kept as sent — the 24 bytes of the form Infisical sends,
/// `2024-10-01T12:34:56.789Z`, in place, without an allocation — and read as a time only
/// when asked: [`unix_millis`](Self::unix_millis), [`to_system_time`](Self::to_system_time).
/// [`Display`](fmt::Display) gives the text back exactly.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Timestamp(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    /// Text of exactly [`INLINE`] bytes (`YYYY-MM-DDTHH:MM:SS.mmmZ`), in place.
    Inline([u8; INLINE]),
    /// Any other text.
    Text(Box<str>),
}

/// The length of the form servers send.
const INLINE: usize = 24;

impl Timestamp {
    /// Reads `text`: never fails (text that is not a time is kept as it is).
    pub fn parse(text: &str) -> Self {
        match <[u8; INLINE]>::try_from(text.as_bytes()) {
            Ok(bytes) => Timestamp(Repr::Inline(bytes)),
            Err(_) => Timestamp(Repr::Text(text.into())),
        }
    }

    /// The text, as sent.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            // The bytes were a whole `str`: always UTF-8.
            Repr::Inline(bytes) => std::str::from_utf8(bytes).unwrap_or_default(),
            Repr::Text(text) => text,
        }
    }

    /// Milliseconds since the Unix epoch, if the text is an RFC 3339 time (with `Z` or an
    /// offset, with or without fractional seconds).
    pub fn unix_millis(&self) -> Option<i64> {
        rfc3339_millis(self.as_str())
    }

    /// The time, if the text is an RFC 3339 time.
    pub fn to_system_time(&self) -> Option<SystemTime> {
        let ms = self.unix_millis()?;
        let magnitude = Duration::from_millis(ms.unsigned_abs());
        if ms >= 0 {
            UNIX_EPOCH.checked_add(magnitude)
        } else {
            UNIX_EPOCH.checked_sub(magnitude)
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl From<&str> for Timestamp {
    fn from(text: &str) -> Self {
        Timestamp::parse(text)
    }
}

impl PartialEq<str> for Timestamp {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Timestamp {
    fn eq(&self, other: &&str) -> bool {
        self == *other
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 time as a string")
            }
            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Timestamp, E> {
                Ok(Timestamp::parse(text))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

/// The value of the ASCII digits `bytes`, if they all are digits.
fn digits(bytes: &[u8]) -> Option<i64> {
    bytes.iter().try_fold(0i64, |n, b| {
        b.is_ascii_digit()
            .then(|| {
                n.checked_mul(10)?
                    .checked_add(i64::from(b.wrapping_sub(b'0')))
            })
            .flatten()
    })
}

/// The days of month `m` (1 to 12) of year `y`.
fn days_in_month(y: i64, m: i64) -> i64 {
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    match m {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Milliseconds of `YYYY-MM-DDTHH:MM:SS` at the start of `b`, as UTC.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "bounded: checked ranges above"
)]
fn date_time_millis(b: &[u8]) -> Option<i64> {
    let seps = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if !seps.iter().all(|(i, c)| b.get(*i) == Some(c)) {
        return None;
    }
    let num = |from: usize, to: usize| digits(b.get(from..to)?);
    let (y, m, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
    let (hh, mm, ss) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
    if !(1..=12).contains(&m) || !(1..=days_in_month(y, m)).contains(&d) {
        return None;
    }
    if hh > 23 || mm > 59 || ss > 59 {
        return None;
    }
    let seconds = days_from_civil(y, m, d)?
        .checked_mul(86_400)?
        .checked_add(hh * 3600 + mm * 60 + ss)?;
    seconds.checked_mul(1000)
}

/// Any RFC 3339 time: fractional seconds of any length (read to the millisecond), `Z` or
/// an offset `±HH:MM`.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "bounded: two-digit hours and minutes"
)]
fn rfc3339_millis(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let mut ms = date_time_millis(b)?;
    let mut rest = b.get(19..)?;
    if let Some((b'.', fraction)) = rest.split_first() {
        let len = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        let (digits_part, after) = fraction.split_at(len);
        if digits_part.is_empty() {
            return None;
        }
        let millis: Vec<u8> = digits_part.iter().chain(b"000").take(3).copied().collect();
        ms = ms.checked_add(digits(&millis)?)?;
        rest = after;
    }
    match rest {
        [b'Z' | b'z'] => Some(ms),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let offset = (digits(&[*h1, *h2])? * 60 + digits(&[*m1, *m2])?) * 60_000;
            if *sign == b'+' {
                ms.checked_sub(offset)
            } else {
                ms.checked_add(offset)
            }
        }
        _ => None,
    }
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar (after Howard
/// Hinnant's `days_from_civil`); `y` has at most four digits, so nothing overflows.
#[allow(
    clippy::arithmetic_side_effects,
    reason = "bounded: y < 10000, m ≤ 12, d ≤ 31"
)]
fn days_from_civil(y: i64, m: i64, d: i64) -> Option<i64> {
    if !(0..10_000).contains(&y) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_servers_form_is_kept_in_place_and_read_as_a_time() {
        for text in [
            "2024-10-01T12:34:56.789Z",
            "1970-01-01T00:00:00.000Z",
            "2000-02-29T23:59:59.999Z",
            "1969-12-31T23:59:59.999Z",
            "9999-12-31T23:59:59.999Z",
            "0000-03-01T00:00:00.000Z",
        ] {
            let t = Timestamp::parse(text);
            assert!(matches!(t.0, Repr::Inline(_)), "{text}");
            assert_eq!(t.to_string(), text);
            assert_eq!(t, text);
            assert!(t.unix_millis().is_some(), "{text}");
        }
        assert_eq!(
            Timestamp::parse("1970-01-01T00:00:01.500Z").unix_millis(),
            Some(1500)
        );
        assert_eq!(
            Timestamp::parse("2024-10-01T12:34:56.789Z").to_system_time(),
            Some(UNIX_EPOCH + Duration::from_millis(1_727_786_096_789))
        );
        assert_eq!(
            Timestamp::parse("1969-12-31T23:59:59.000Z").to_system_time(),
            Some(UNIX_EPOCH - Duration::from_secs(1))
        );
    }

    #[test]
    fn other_forms_are_kept_as_sent_and_read_when_they_are_times() {
        for (text, ms) in [
            ("2024-10-01T12:34:56Z", Some(1_727_786_096_000)),
            ("2024-10-01T12:34:56.789123Z", Some(1_727_786_096_789)),
            ("2024-10-01T14:34:56.7+02:00", Some(1_727_786_096_700)),
            ("2024-10-01T10:34:56-02:00", Some(1_727_786_096_000)),
            ("", None),
            ("yesterday", None),
            ("2024-13-01T00:00:00.000Z", None),
            ("2024-10-01T24:00:00.000Z", None),
            ("2024-10-01T12:34:56.Z", None),
            ("２０２４-10-01T12:34:56.789Z", None),
            ("-024-10-01T12:34:56.789Z", None),
            ("2024-10-01T12:34:56.789+99", None),
            ("2023-02-29T00:00:00.000Z", None),
            ("2016-12-31T23:59:60.000Z", None),
        ] {
            let t = Timestamp::parse(text);
            assert_eq!(t.to_string(), text, "kept as sent");
            assert_eq!(t.unix_millis(), ms, "{text}");
        }
        let huge = "9".repeat(100_000);
        assert_eq!(Timestamp::parse(&huge).unix_millis(), None);
    }

    #[test]
    fn serde_reads_and_writes_the_text() {
        let t: Timestamp = serde_json::from_str(r#""2024-10-01T12:34:56.789Z""#).unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            r#""2024-10-01T12:34:56.789Z""#
        );
        let odd: Timestamp = serde_json::from_str(r#""2024-10-01 12:34""#).unwrap();
        assert_eq!(
            serde_json::to_string(&odd).unwrap(),
            r#""2024-10-01 12:34""#
        );
        assert!(serde_json::from_str::<Timestamp>("17").is_err());
        assert_eq!(format!("{t:?}"), "Timestamp(2024-10-01T12:34:56.789Z)");
    }
}
