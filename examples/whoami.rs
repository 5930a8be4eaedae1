//! Who would the SDK be? Resolves credentials through the default chain (environment,
//! then the Infisical CLI's login) and prints which provider answered, for whom, on which
//! server, and until when the token is valid. Never the token.
//!
//! ```text
//! cargo run --example whoami
//! HOME=../shared/fixtures/cli-keyring/valid/home cargo run --example whoami
//! ```
//!
//! Universal-auth credentials are logged in to learn the token's expiry, and the token is
//! revoked before it exits; a token (from the environment or the CLI) is read without any
//! request. On failure it prints the chain's error and exits with status 1.

use infisical::Client;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

#[tokio::main]
async fn main() -> ExitCode {
    let client = match Client::builder().build() {
        Ok(client) => client,
        Err(error) => return fail(&error),
    };
    let me = match client.identity().await {
        Ok(me) => me,
        Err(error) => return fail(&error),
    };
    println!("provider:   {}", me.provider);
    println!(
        "identity:   {}",
        me.identity.as_deref().unwrap_or("(unknown)")
    );
    println!("server:     {}", me.base_url);
    match me.expires_at {
        Some(at) => println!("expires:    {}", describe(at)),
        None => println!("expires:    (not known: an opaque token)"),
    }
    // A token this run logged in for is revoked; a token it was given (the environment's,
    // the CLI's) is left alone.
    match client.close().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

fn fail(error: &infisical::Error) -> ExitCode {
    eprintln!("no usable credentials: {error}");
    ExitCode::FAILURE
}

/// `2100-01-01T00:00:00Z (in 26694 days)` or `… (expired 3 days ago)`.
fn describe(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let relative = if secs >= now {
        format!("in {}", span(secs - now))
    } else {
        format!("expired {} ago", span(now - secs))
    };
    format!("{} ({relative})", rfc3339(secs))
}

fn span(secs: u64) -> String {
    match secs {
        s if s >= 86_400 => format!("{} days", s / 86_400),
        s if s >= 3_600 => format!("{} hours", s / 3_600),
        s if s >= 60 => format!("{} minutes", s / 60),
        s => format!("{s} seconds"),
    }
}

/// Unix seconds as an RFC 3339 UTC time (days to civil date after H. Hinnant).
fn rfc3339(secs: u64) -> String {
    let days = (secs / 86_400) as i64;
    let (h, m, s) = (secs % 86_400 / 3_600, secs % 3_600 / 60, secs % 60);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}Z")
}
