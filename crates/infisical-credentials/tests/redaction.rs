//! No credentials type shows a secret in `Debug`.

use infisical_credentials::{
    default_login_client, AccessToken, Credentials, CredentialsChain, EnvironmentProvider,
    ExplicitProvider, Lookup, MachineIdentityAuth, ProvideCredentials, ProvidedCredentials,
    ResolvingSource, SourceOptions, StaticEnv, StaticToken, TokenSource, UniversalAuth,
};
use std::sync::Arc;

const SECRET: &str = "client-secret-value-4f9a";
const TOKEN: &str = "access-token-value-7c21";

fn env() -> StaticEnv {
    StaticEnv::from([
        ("INFISICAL_CLIENT_ID", "client-id"),
        ("INFISICAL_CLIENT_SECRET", SECRET),
        ("INFISICAL_TOKEN", TOKEN),
        ("INFISICAL_VAULT_FILE_PASSPHRASE", "vault-passphrase-value"),
    ])
}

fn assert_clean(what: &str, debug: String) {
    for secret in [SECRET, TOKEN, "vault-passphrase-value"] {
        assert!(!debug.contains(secret), "{what} shows a secret: {debug}");
    }
}

#[tokio::test]
async fn debug_of_every_credentials_type_is_redacted() {
    let ua = Credentials::universal_auth("client-id", SECRET);
    let token = Credentials::AccessToken(TOKEN.into());
    assert_clean(
        "UniversalAuth",
        format!("{:?}", UniversalAuth::new("id", SECRET)),
    );
    assert_clean("Credentials::universal_auth", format!("{ua:?}"));
    assert_clean("Credentials::AccessToken", format!("{token:?}"));
    assert_clean(
        "AccessToken",
        format!("{:?}", AccessToken::new(TOKEN.into(), None)),
    );
    let static_token = StaticToken::new(TOKEN);
    assert_clean("StaticToken", format!("{static_token:?}"));
    assert_clean(
        "TokenLease",
        format!("{:?}", static_token.token().await.unwrap()),
    );
    assert_clean("StaticEnv", format!("{:?}", env()));

    let env: Arc<StaticEnv> = Arc::new(env());
    let found = match EnvironmentProvider::new(env.clone())
        .provide()
        .await
        .unwrap()
    {
        Lookup::Found(found) => found,
        Lookup::NotHere(why) => panic!("{why}"),
    };
    assert_clean("ProvidedCredentials", format!("{found:?}"));
    assert_clean("Lookup", format!("{:?}", Lookup::Found(found.clone())));
    assert_clean(
        "EnvironmentProvider",
        format!("{:?}", EnvironmentProvider::new(env.clone())),
    );
    assert_clean(
        "ExplicitProvider",
        format!("{:?}", ExplicitProvider::new(ua.clone())),
    );
    assert_clean(
        "CredentialsChain",
        format!("{:?}", CredentialsChain::default_with_env(env.clone())),
    );

    let client = default_login_client().unwrap();
    let ua_source = MachineIdentityAuth::new(
        "https://example.com",
        UniversalAuth::new("client-id", SECRET),
        client.clone(),
    )
    .unwrap();
    assert_clean("MachineIdentityAuth", format!("{ua_source:?}"));
    let resolving = ResolvingSource::new(
        Arc::new(ExplicitProvider::new(token)),
        client,
        Arc::new(|_| Ok("https://example.com".to_owned())),
        SourceOptions::default(),
    );
    resolving.token().await.unwrap();
    assert_clean("ResolvingSource", format!("{resolving:?}"));
    let _: ProvidedCredentials = found;
}
