//! Emulators and clients for the tests.

use infisical::credentials::UniversalAuth;
use infisical::secrets::{ListSecrets, SecretList};
use infisical::Client;
use infisical_emulator::{Emulator, Fault, Route, ServerMode};

/// The route of a folder's secret list on current servers.
pub const LIST: &str = "/api/v4/secrets";
use std::time::Duration;

/// An emulator with a project and a universal-auth identity.
pub struct World {
    pub emulator: Emulator,
    pub project: String,
    pub client_id: String,
    pub client_secret: String,
}

impl World {
    pub fn new(mode: ServerMode) -> Self {
        Self::from_emulator(Emulator::builder().mode(mode).start())
    }

    /// A current server whose access tokens live `ttl`, renewable up to `max_ttl`.
    pub fn with_token_ttl(ttl: Duration, max_ttl: Duration) -> Self {
        Self::from_emulator(
            Emulator::builder()
                .access_token_ttl(ttl)
                .access_token_max_ttl(max_ttl)
                .start(),
        )
    }

    pub fn from_emulator(emulator: Emulator) -> Self {
        let project = emulator.create_project("e2e");
        let (client_id, client_secret) = emulator.create_universal_auth_identity();
        Self {
            emulator,
            project,
            client_id,
            client_secret,
        }
    }

    pub fn modern() -> Self {
        Self::new(ServerMode::Modern)
    }

    pub fn builder(&self) -> infisical::ClientBuilder {
        infisical::Client::builder()
            .base_url(self.emulator.url())
            .credentials(UniversalAuth::new(
                self.client_id.clone(),
                self.client_secret.clone(),
            ))
    }

    pub fn client(&self) -> Client {
        self.builder().build().expect("client builds")
    }

    /// A client that tries every request once, to see each failure as it is.
    pub fn client_without_retries(&self) -> Client {
        self.builder().no_retries().build().expect("client builds")
    }

    /// The blocking builder with this world's server and identity.
    pub fn blocking_builder(&self) -> infisical::blocking::ClientBuilder {
        infisical::blocking::Client::builder()
            .base_url(self.emulator.url())
            .credentials(UniversalAuth::new(
                self.client_id.clone(),
                self.client_secret.clone(),
            ))
    }

    pub fn blocking_client(&self) -> infisical::blocking::Client {
        self.blocking_builder()
            .build()
            .expect("blocking client builds")
    }

    /// Lists the root folder of `dev` through `client`: the call most tests make.
    pub async fn list(&self, client: &Client) -> Result<SecretList, infisical::Error> {
        client
            .secrets()
            .list(ListSecrets::new(&self.project, "dev"))
            .await
    }

    /// How many secret lists the server was asked for (current routes).
    pub fn lists(&self) -> usize {
        self.emulator.count("GET", LIST)
    }

    /// The next secret list the server is asked for gets `fault`.
    pub fn fail_next_list(&self, fault: Fault) {
        self.emulator.inject(Route::new("GET", LIST), fault);
    }

    /// Requests of any method whose path starts with `prefix`.
    pub fn count_any(&self, prefix: &str) -> usize {
        ["GET", "POST", "PATCH", "DELETE"]
            .iter()
            .map(|m| self.emulator.count_prefix(m, prefix))
            .sum()
    }
}

/// A client of the kind of the one given (async or blocking), with the user session `token`
/// (see `Emulator::add_user`), for the routes Infisical serves to users only.
pub trait UserClient: Sized {
    fn of(like: &Self, world: &World, token: &str) -> Self;
}

fn user_builder<M>(world: &World, token: &str) -> infisical::ClientBuilder<M> {
    infisical::ClientBuilder::<M>::new()
        .base_url(world.emulator.url())
        .credentials(infisical::credentials::ClientCredentials::access_token(
            token,
        ))
}

impl UserClient for infisical::Client {
    fn of(_like: &Self, world: &World, token: &str) -> Self {
        user_builder::<infisical::Async>(world, token)
            .build()
            .unwrap()
    }
}

impl UserClient for infisical::blocking::Client {
    fn of(_like: &Self, world: &World, token: &str) -> Self {
        user_builder::<infisical::blocking::Blocking>(world, token)
            .build()
            .unwrap()
    }
}

/// A new folder under the system's temporary one, named from `prefix`, removed when
/// dropped (CI fails on anything a test leaves there).
pub fn temp_dir(prefix: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(prefix).tempdir().unwrap()
}
