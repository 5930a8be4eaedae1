//! `ClientBuilder::credentials`: one setter for every kind of credentials, the last call
//! wins, and missing parts are refused when building, whatever the kind.

use crate::support::World;
use infisical::credentials::{
    provider_fn, ClientCredentials, Credentials, CredentialsChain, KubernetesAuth, Lookup,
    ProvidedCredentials, StaticEnv, UniversalAuth,
};
use infisical::{Error, StaticToken};
use std::sync::Arc;

const TOKEN: &str = "st.setter-token";

/// Every kind of credentials for `world`'s identity (six), with the provider
/// `identity()` reports and the number of logins a first call makes.
fn every_kind(world: &World) -> Vec<(&'static str, ClientCredentials, &'static str, usize)> {
    let (id, secret) = (world.client_id.clone(), world.client_secret.clone());
    let env = StaticEnv::from([
        ("INFISICAL_CLIENT_ID", id.clone()),
        ("INFISICAL_CLIENT_SECRET", secret.clone()),
    ]);
    let provider = provider_fn("my-vault", || async {
        Ok(Lookup::Found(ProvidedCredentials::new(
            "my-vault",
            Credentials::access_token(TOKEN),
        )))
    });
    vec![
        (
            "a login method",
            UniversalAuth::new(id.clone(), secret.clone()).into(),
            "explicit",
            1,
        ),
        (
            "credentials",
            Credentials::universal_auth(id, secret).into(),
            "explicit",
            1,
        ),
        (
            "a token",
            ClientCredentials::access_token(TOKEN),
            "explicit",
            0,
        ),
        (
            "a chain",
            CredentialsChain::default_with_env(Arc::new(env)).into(),
            "environment",
            1,
        ),
        (
            "a provider",
            ClientCredentials::provider(provider),
            "my-vault",
            0,
        ),
        ("a token source", StaticToken::new(TOKEN).into(), "token", 0),
    ]
}

#[tokio::test]
async fn every_kind_of_credentials_goes_through_the_one_setter() {
    for case in 0..6 {
        let world = World::modern();
        world.emulator.add_static_token(TOKEN);
        let (kind, credentials, provider, logins) = every_kind(&world).swap_remove(case);
        let client = infisical::Client::builder()
            .base_url(world.emulator.url())
            .credentials(credentials)
            .build()
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        world
            .list(&client)
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(
            client.identity().await.unwrap().provider,
            provider,
            "{kind}"
        );
        assert_eq!(world.emulator.logins(), logins, "{kind}");
    }
}

#[tokio::test]
async fn a_second_call_replaces_the_first() {
    let world = World::modern();
    world.emulator.add_static_token(TOKEN);
    let wrong_then_right = world
        .builder()
        .credentials(ClientCredentials::access_token("st.not-known"))
        .credentials(UniversalAuth::new(
            world.client_id.clone(),
            world.client_secret.clone(),
        ))
        .build()
        .unwrap();
    world.list(&wrong_then_right).await.unwrap();
    let right_then_wrong = world
        .builder()
        .credentials(ClientCredentials::access_token("st.not-known"))
        .no_retries()
        .build()
        .unwrap();
    let err = world.list(&right_then_wrong).await.unwrap_err();
    assert!(err.is_auth(), "{err}");
}

#[test]
fn missing_parts_are_refused_when_building_whatever_the_kind() {
    let cases: Vec<(ClientCredentials, &str)> = vec![
        (UniversalAuth::new(" ", "secret").into(), "client_id"),
        (UniversalAuth::new("id", "").into(), "client_secret"),
        (Credentials::universal_auth("", "s").into(), "client_id"),
        (ClientCredentials::access_token(""), "access_token"),
        (KubernetesAuth::new("").into(), "identity_id"),
    ];
    for (credentials, field) in cases {
        let err = infisical::Client::builder()
            .credentials(credentials)
            .build()
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidRequest(ref e) if e.field() == field),
            "{field}: {err}"
        );
    }
}
