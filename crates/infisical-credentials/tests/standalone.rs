//! The credentials crate on its own: a bearer token for someone else's HTTP stack.

use infisical_credentials::{
    default_login_client, MachineIdentityAuth, TokenSource, UniversalAuth,
};
use infisical_emulator::Emulator;

#[tokio::test]
async fn universal_auth_with_the_default_client_logs_in_renews_nothing_and_revokes() {
    let emulator = Emulator::start();
    let (id, secret) = emulator.create_universal_auth_identity();
    let auth = MachineIdentityAuth::new(
        &emulator.url(),
        UniversalAuth::new(id, secret),
        default_login_client().unwrap(),
    )
    .unwrap();
    let first = auth.token().await.unwrap();
    let again = auth.token().await.unwrap();
    assert_eq!(first.generation(), again.generation(), "cached");
    assert!(first.token().expires_at().is_some());
    assert_eq!(emulator.logins(), 1);
    let login = &emulator.requests()[0];
    assert_eq!(login.path, "/api/v1/auth/universal-auth/login");
    assert_eq!(login.json().unwrap()["clientId"], auth.method().identity());
    auth.close().await.unwrap();
    assert_eq!(emulator.count("POST", "/api/v1/auth/token/revoke"), 1);
    let revoke = emulator.requests().pop().unwrap();
    assert_eq!(
        revoke.json().unwrap()["accessToken"],
        first.token().expose()
    );
}

#[tokio::test]
async fn a_refused_login_is_typed() {
    let emulator = Emulator::start();
    let (id, _) = emulator.create_universal_auth_identity();
    let auth = MachineIdentityAuth::new(
        &emulator.url(),
        UniversalAuth::new(id, "wrong"),
        default_login_client().unwrap(),
    )
    .unwrap();
    let err = auth.token().await.unwrap_err();
    assert_eq!(
        err.kind(),
        infisical_credentials::CredentialsErrorKind::LoginRejected
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
}
