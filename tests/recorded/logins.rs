//! Every login answer a real Infisical server gave the SDK (`../shared/api/recorded/`) is
//! read by the real login code: replayed by the emulator on the login route, a 200 must give
//! a token, an error a `CredentialsError` carrying the server's `ApiError`. (Every other
//! recorded answer is decoded by `infisical-core`'s `tests/recorded.rs`.)

#[path = "corpus.rs"]
mod corpus;

use corpus::{Exchange, SERVERS};
use infisical::credentials::UniversalAuth;
use infisical::Error;

/// Login routes (every method answers with the same body shape).
fn is_login(e: &Exchange) -> bool {
    e.method == "POST" && e.path.starts_with("/api/v1/auth/") && e.path.ends_with("/login")
}

#[tokio::test]
async fn logins_and_revocations_decode() {
    use infisical_emulator::{Emulator, Fault, Route};
    let emulator = Emulator::start();
    let mut checked = 0;
    for server in SERVERS {
        for e in corpus::load(server)
            .iter()
            .filter(|e| e.sent_by_sdk() && is_login(e))
        {
            // Every method answers with the same body shape; replay each through the
            // universal-auth login route, which the real login code reads.
            let content_type = e.content_type.clone().unwrap_or_default();
            emulator.inject(
                Route::new("POST", "/api/v1/auth/universal-auth/login"),
                Fault::Status {
                    status: e.status,
                    body: String::from_utf8(e.body_bytes()).unwrap(),
                    content_type,
                },
            );
            let client = infisical::Client::builder()
                .base_url(emulator.url())
                .credentials(UniversalAuth::new("id", "secret"))
                .no_retries()
                .revoke_on_close(false)
                .build()
                .unwrap();
            let outcome = client.identity().await;
            checked += 1;
            match (&outcome, e.status) {
                (Ok(me), 200) => assert!(me.expires_at.is_some(), "{}", e.at),
                (Err(Error::Credentials(c)), status) if status >= 400 => {
                    let api = c.api_error().unwrap_or_else(|| panic!("{}: {c}", e.at));
                    assert_eq!(api.status().as_u16(), status, "{}", e.at);
                }
                _ => panic!("{}: login answered {} gave {outcome:?}", e.at, e.status),
            }
        }
    }
    assert!(checked >= 25, "only {checked} logins checked");
}
