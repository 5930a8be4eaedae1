//! A stateful, in-process fake of Infisical's HTTP API, for testing code that talks to Infisical.
//!
//! [`Emulator::start`] binds `127.0.0.1` on a free port and serves the API on its own thread with
//! its own tokio runtime, so it works from plain `#[test]`s, from `#[tokio::test]`s and behind
//! blocking clients alike. Tests seed it synchronously (projects, environments, secrets, imports,
//! tags, identities, tokens), script misbehaviour with [`Emulator::inject`], and observe what the
//! client sent with [`Emulator::requests`] and the counters.
//!
//! The emulator describes the wire format on its own (it shares no types with any SDK), and it
//! follows the real server, read from its source: field names, status codes, error bodies
//! (`{"reqId","statusCode","message","error"}`, validation failures with an array `message`,
//! fastify's `Route GET:/... not found`), token lifetimes, reference expansion and imports. Two
//! generations are mimicked, see [`ServerMode`].
//!
//! Served routes (everything else is fastify's 404):
//! - `POST /api/v1/auth/universal-auth/login`, `POST /api/v1/auth/token/renew`,
//!   `POST /api/v1/auth/token/revoke`, `GET /api/status`;
//! - `POST /api/v1/auth/{kubernetes,aws,gcp,azure,oidc,jwt,ldap}-auth/login` (see
//!   [`Emulator::add_jwt_login_identity`], [`Emulator::add_aws_identity`],
//!   [`Emulator::add_ldap_identity`]);
//! - `GET /api/v3/secrets/raw`, `GET|POST|PATCH|DELETE /api/v3/secrets/raw/{secretName}`,
//!   `POST|PATCH|DELETE /api/v3/secrets/batch/raw`;
//! - modern mode only: `GET /api/v4/secrets`, `GET|POST|PATCH|DELETE /api/v4/secrets/{secretName}`,
//!   `POST|PATCH|DELETE /api/v4/secrets/batch`;
//! - folders `/api/v1/folders` (modern mode also `/api/v2/folders`), environments
//!   `/api/v1/workspace/{id}/environments` (also `/api/v1/projects/{id}/environments`), projects
//!   `/api/v1/workspace`, `POST /api/v2/workspace`, `GET /api/v2/workspace/{slug}` (also
//!   `/api/v1/projects`), tags `/api/v1/workspace/{id}/tags` (also `/api/v1/projects/{id}/tags`),
//!   secret imports `/api/v1/secret-imports` (also `/api/v2/secret-imports`);
//! - dynamic secrets and leases `/api/v1/dynamic-secrets` (one provider: `sql-database`);
//! - KMS `/api/v1/kms/keys` (modern mode adds get by id or name, sign, verify, public key,
//!   signing algorithms); PKI `/api/v1/pki/certificates` (modern mode adds the bundle and the
//!   plain-text private key; CAs come from [`Emulator::create_certificate_authority`]).
//! - `GET /api/v2/organizations/{organizationId}/workspaces` (both modes; the October 2024 mode
//!   refuses `GET /api/v1/workspace` to machine identities, as that server does).
//!
//! # Ground truth
//!
//! `tests/recorded.rs` replays the exchanges recorded from real servers
//! (`shared/api/recorded/`) against both modes and compares status and body shape; the
//! emulator's known deviations from them are listed there (`KNOWN`) and in
//! `docs/api-coverage.md`. Changed to agree with the recordings: `metadata: null` on every
//! October 2024 secret object; `isRotatedSecret` / `rotationId` on newer servers' lists,
//! imported secrets, creates and updates; a newer v4 list always has `imports`; a secret got
//! through an import has no `tags` on October 2024 servers; newer servers' not-found messages
//! name the secret / folder id / environment id; a deleted certificate is a 500 on both
//! generations; `pkiSubscriberId`, `secretSharing`, `showSnapshotsLegacy` and (by slug)
//! `kmsSecretManagerKeyId` on newer servers; a folder's `lastSecretModified` is `null` until it
//! holds secrets; `GET /api/v1/workspace` is 403 for identities on October 2024 servers; a
//! tag's `createdBy` is the creating identity; a project has a `kmsCertificateKeyId` once it
//! has a CA.
//!
//! ```
//! use infisical_emulator::{Emulator, Fault, Route};
//!
//! let emu = Emulator::start();
//! let project = emu.create_project("demo");
//! emu.set_secret(&project, "dev", "/app", "DB_HOST", "db.internal");
//! let (client_id, client_secret) = emu.create_universal_auth_identity();
//! assert!(emu.url().starts_with("http://127.0.0.1:"));
//!
//! // ... point the client under test at `emu.url()` and log in with the credentials ...
//! # let _ = (client_id, client_secret);
//!
//! // The next list request fails once with a 503 in the server's error shape.
//! emu.inject(Route::new("GET", "/api/v4/secrets"), Fault::status(503));
//! assert_eq!(emu.count("GET", "/api/v4/secrets"), 0);
//! assert_eq!(emu.secret_value(&project, "dev", "/app", "DB_HOST").as_deref(), Some("db.internal"));
//! ```

mod access_policies;
mod access_requests;
mod approval;
mod approval_policies;
mod approval_requests;
mod auth;
mod batch;
mod body;
mod cert_manager;
mod dynamic_secrets;
mod environments;
mod errors;
mod etag;
mod expand;
mod faults;
mod folders;
mod h2;
mod history;
mod identities;
mod identity_logins;
mod identity_memberships;
mod imports;
mod kms;
mod kms_crypto;
mod leases;
mod metadata;
mod observe;
mod pki;
mod projects;
mod record;
mod relocate;
mod resources;
mod router;
mod secret_imports;
mod secrets;
mod seed;
mod server;
mod silent;
mod snapshots;
mod state;
mod tags;
mod tls;
mod token_auth;
mod tree;
mod users;
mod util;
mod validate;
mod wire;
mod writes;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub use faults::{Fault, Route};
pub use record::RecordedRequest;
pub use silent::SilentListener;

use server::{lock, ServerHandle};
use state::{Settings, State};

/// Which generation of Infisical server to mimic.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerMode {
    /// A current server: v4 and v3 secrets routes; validation failures are 422 and every error
    /// body carries a `reqId`; access tokens are JWTs that expire after their TTL and are
    /// re-issued (a new string) by renewal; batch update takes `mode`.
    #[default]
    Modern,
    /// The October 2024 generation (the one `infisical-openapi.json` describes): only the v3
    /// secrets routes (v4 is fastify's route-not-found 404); validation failures are answered
    /// with 401 `ValidationFailure`; error bodies have no `reqId`; an access token is a JWT that
    /// expires at its max TTL and renewal returns the same string.
    Legacy,
}

/// Configures and starts an [`Emulator`].
#[derive(Clone, Debug)]
pub struct EmulatorBuilder {
    mode: ServerMode,
    ttl: Duration,
    max_ttl: Duration,
    tls: Option<Arc<tls::ServerConfig>>,
    goaway_every: Option<usize>,
}

impl Default for EmulatorBuilder {
    fn default() -> Self {
        EmulatorBuilder {
            mode: ServerMode::Modern,
            ttl: Duration::from_secs(7200),
            max_ttl: Duration::from_secs(2_592_000),
            tls: None,
            goaway_every: None,
        }
    }
}

impl EmulatorBuilder {
    /// Which server generation to mimic (default [`ServerMode::Modern`]).
    pub fn mode(mut self, mode: ServerMode) -> Self {
        self.mode = mode;
        self
    }

    /// The access-token TTL issued by logins (default 7200 s): `expiresIn` in login and renew
    /// answers, and how long a token works without renewal. Sub-second values are allowed (the
    /// answer then carries fractional seconds).
    pub fn access_token_ttl(mut self, ttl: Duration) -> Self {
        self.ttl = ttl;
        self
    }

    /// The access-token max TTL (default 2592000 s, `accessTokenMaxTTL`): renewals that would
    /// carry a token past its creation plus this are refused. Zero means no limit.
    pub fn access_token_max_ttl(mut self, ttl: Duration) -> Self {
        self.max_ttl = ttl;
        self
    }

    /// Over HTTPS (see [`tls`](EmulatorBuilder::tls)), offer HTTP/2 by ALPN (`h2`, then
    /// `http/1.1`) and rotate each HTTP/2 connection after `requests` requests, the way nginx
    /// (`keepalive_requests`) and CDN edges do: the streams it accepted are answered, every
    /// later stream is refused with `RST_STREAM(REFUSED_STREAM)` (not processed), and the
    /// connection goes away with `GOAWAY`.
    pub fn http2_goaway_every(mut self, requests: usize) -> Self {
        self.goaway_every = Some(requests.max(1));
        self
    }

    /// Serve HTTPS with this certificate chain and private key (PEM), for example a leaf
    /// signed by a private CA made in the test; [`Emulator::url`] then starts with
    /// `https://127.0.0.1`, so the certificate must name that IP address.
    ///
    /// # Panics
    /// If the PEM holds no certificate or no usable private key (test set-up).
    pub fn tls(mut self, cert_chain_pem: &str, private_key_pem: &str) -> Self {
        self.tls = Some(tls::server_config(cert_chain_pem, private_key_pem));
        self
    }

    /// Binds `127.0.0.1:0` and starts serving on a new thread with its own tokio runtime.
    ///
    /// # Panics
    ///
    /// If no local port can be bound (or the server thread cannot be spawned).
    pub fn start(self) -> Emulator {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("infisical-emulator: cannot bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("infisical-emulator: cannot make the listener non-blocking");
        let addr = listener
            .local_addr()
            .expect("infisical-emulator: listener has no local address");
        let state = Arc::new(Mutex::new(State::new(Settings {
            mode: self.mode,
            ttl: self.ttl,
            max_ttl: self.max_ttl,
        })));
        let https = self.tls.is_some();
        let tls = match (self.tls, self.goaway_every) {
            (Some(config), Some(_)) => Some(tls::with_http2(&config)),
            (config, _) => config,
        };
        let server = server::spawn(listener, Arc::clone(&state), tls, self.goaway_every);
        Emulator {
            https,
            addr,
            state,
            server: Some(server),
        }
    }
}

/// A running fake Infisical server. Dropping it (or [`Emulator::shutdown`]) stops the server and
/// joins its thread.
///
/// Seeding methods panic on a project id or environment that does not exist (they are test
/// set-up, so a typo should fail loudly).
pub struct Emulator {
    https: bool,
    addr: SocketAddr,
    state: Arc<Mutex<State>>,
    server: Option<ServerHandle>,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("addr", &self.addr)
            .finish()
    }
}

impl Emulator {
    /// Starts an emulator with the default settings (`Emulator::builder().start()`).
    ///
    /// # Panics
    ///
    /// If no local port can be bound.
    pub fn start() -> Emulator {
        Emulator::builder().start()
    }

    /// A builder for non-default settings.
    pub fn builder() -> EmulatorBuilder {
        EmulatorBuilder::default()
    }

    /// The base URL, `http://127.0.0.1:PORT` (no trailing slash, no `/api`).
    pub fn url(&self) -> String {
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The mode this emulator mimics.
    pub fn mode(&self) -> ServerMode {
        lock(&self.state).settings.mode
    }

    /// Stops accepting, closes open connections and joins the server thread (same as dropping).
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(mut s) = self.server.take() {
            s.stop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn emulator_is_send_and_sync() {
        assert_send_sync::<Emulator>();
    }
}
