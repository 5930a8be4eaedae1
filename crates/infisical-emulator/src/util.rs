//! Small helpers: random identifiers, timestamps, path normalisation, URL decoding.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A non-cryptographic random `u64` (splitmix64 over a per-process random seed and a counter).
pub(crate) fn random_u64() -> u64 {
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    let seed = *SEED.get_or_init(|| {
        let mut h = RandomState::new().build_hasher();
        h.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos())
                .unwrap_or_default(),
        );
        h.finish()
    });
    let mut z = seed.wrapping_add(
        COUNTER
            .fetch_add(1, Ordering::Relaxed)
            .wrapping_mul(0x9E37_79B9_7F4A_7C15),
    );
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// `n` random bytes.
pub(crate) fn random_bytes(n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 8);
    while out.len() < n {
        out.extend_from_slice(&random_u64().to_le_bytes());
    }
    out.truncate(n);
    out
}

/// A random lowercase hex string of `n` characters.
pub(crate) fn random_hex(n: usize) -> String {
    random_bytes(n.div_ceil(2))
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>()[..n]
        .to_string()
}

/// A random alphanumeric string of `n` characters (like nanoid's alphanumeric alphabet).
pub(crate) fn random_alnum(n: usize) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    random_bytes(n)
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect()
}

/// A random version-4-looking UUID.
pub(crate) fn uuid() -> String {
    let h = random_hex(32);
    format!(
        "{}-{}-4{}-a{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[17..20],
        &h[20..32]
    )
}

/// A fastify-style request id (`req-` and 14 alphanumerics), as Infisical generates them.
pub(crate) fn req_id() -> String {
    format!("req-{}", random_alnum(14))
}

/// Base64url without padding.
pub(crate) fn base64url(data: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(data.len() * 4 / 3 + 3);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Seconds since the Unix epoch.
pub(crate) fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// The current time as an ISO-8601 UTC string with milliseconds (`2024-10-10T12:00:00.000Z`),
/// the way a JavaScript `Date` serialises.
pub(crate) fn now_iso() -> String {
    iso_at(now_millis())
}

/// Milliseconds since the Unix epoch.
pub(crate) fn now_millis() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
        .unwrap_or_default()
}

/// The ISO-8601 UTC string of a time in milliseconds since the Unix epoch.
pub(crate) fn iso_at(unix_millis: u64) -> String {
    let secs = unix_millis / 1000;
    let millis = unix_millis % 1000;
    let days = i64::try_from(secs / 86_400).unwrap_or_default();
    let rem = secs % 86_400;
    let (y, m, day) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        (rem % 3600) / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// What the server's zod schemas do to `secretPath`: trim, default `/`, drop one trailing slash
/// (`removeTrailingSlash`). The result is echoed back in answers.
pub(crate) fn zod_path(raw: Option<&str>) -> String {
    let p = raw.unwrap_or("/").trim();
    if p.is_empty() {
        // zod's default only applies to a missing value; an empty string stays empty.
        return String::new();
    }
    if p == "/" {
        return "/".to_string();
    }
    p.strip_suffix('/').unwrap_or(p).to_string()
}

/// The canonical folder path used for lookups: `/a/b` (leading slash, no empty segments).
pub(crate) fn canonical_path(p: &str) -> String {
    let segs: Vec<&str> = p.split('/').filter(|s| !s.is_empty()).collect();
    if segs.is_empty() {
        "/".to_string()
    } else {
        format!("/{}", segs.join("/"))
    }
}

/// The folder path to look up, if `p` is in the exact form the server's folder query matches
/// (`/` or `/a/b`: leading slash, no empty segments). The server compares the stored folder path
/// with the requested one literally, so `app/db` or `/app//db` find no folder.
pub(crate) fn lookup_path(p: &str) -> Option<String> {
    let c = canonical_path(p);
    (c == p).then_some(c)
}

/// Moves `items[from]` to the 1-based `position` (clamped to the end), shifting the items in
/// between, as the server's position updates do; returns its new index.
pub(crate) fn move_to<T>(items: &mut Vec<T>, from: usize, position: u64) -> usize {
    let item = items.remove(from);
    let at = usize::try_from(position.saturating_sub(1))
        .unwrap_or(usize::MAX)
        .min(items.len());
    items.insert(at, item);
    at
}

/// Percent-decode a URL path or query component (`+` is decoded to a space when `plus` is set).
pub(crate) fn decode(s: &str, plus: bool) -> String {
    let s = if plus {
        s.replace('+', " ")
    } else {
        s.to_string()
    };
    percent_encoding::percent_decode_str(&s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Parse a query string into decoded `(key, value)` pairs, in order.
pub(crate) fn parse_query(q: Option<&str>) -> Vec<(String, String)> {
    let Some(q) = q else { return Vec::new() };
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => (decode(k, true), decode(v, true)),
            None => (decode(pair, true), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_known_vectors() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(b"foob"), "Zm9vYg");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_006), (2024, 10, 10));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn paths() {
        assert_eq!(zod_path(None), "/");
        assert_eq!(zod_path(Some(" /app/ ")), "/app");
        assert_eq!(zod_path(Some("/")), "/");
        assert_eq!(canonical_path("app//db/"), "/app/db");
        assert_eq!(canonical_path(""), "/");
        assert_eq!(lookup_path("/app/db").as_deref(), Some("/app/db"));
        assert_eq!(lookup_path("app/db"), None);
        assert_eq!(lookup_path(""), None);
    }

    #[test]
    fn ids_look_right() {
        let u = uuid();
        assert_eq!(u.len(), 36);
        assert_eq!(&u[14..15], "4");
        assert_ne!(uuid(), uuid());
        assert!(req_id().starts_with("req-"));
        assert_eq!(req_id().len(), 18);
    }
}
