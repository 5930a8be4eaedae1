//! The Infisical CLI's own login (`infisical login`), read exactly as the CLI stores it.
//!
//! The CLI keeps its state in two places:
//!
//! - `~/.infisical/infisical-config.json`: who is logged in (`loggedInUserEmail`, or the
//!   active one of the current CLI's `profiles`), against which server (`LoggedInUserDomain`
//!   or the profile's `domain`), and where the session is kept (`vaultBackendType`,
//!   `vaultBackendPassphrase`); see `config`.
//! - the session (`{"email","privateKey","JTWToken","RefreshToken"}`) under a key, the
//!   e-mail or the profile's name:
//!   - with the default `auto` vault, in the OS keyring; on Linux and the BSDs the Secret
//!     Service, read over D-Bus (`secret_service`, with the small client in `crate::dbus`);
//!   - with the `file` vault, `~/infisical-keyring/<escaped key>`, a compact JWE
//!     (`PBES2-HS256+A128KW` / `A256GCM`) encrypted with the vault passphrase; see `vault`,
//!     `jwe` and `session`.
//!
//! The steps and their order follow the CLI (`packages/util/credentials.go`
//! `GetCurrentLoggedInUserDetails`, `packages/util/keyringwrapper.go`, and
//! `Infisical/go-keyring` v1.0.2); the fixtures in `shared/fixtures/cli-keyring` were written
//! by the CLI's own libraries.

mod config;
mod file;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
mod jwe;
#[cfg(all(unix, not(target_os = "macos")))]
mod secret_service;
mod session;
mod vault;

use config::Vault;
use session::Session;

use crate::{
    BoxFuture, Clock, Credentials, Env, Lookup, ProvideCredentials, ProvidedCredentials,
    SystemClock,
};
use infisical_core::{CredentialsError, CredentialsErrorKind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use zeroize::Zeroizing;

/// The provider's name, in errors and in [`ProvidedCredentials::provider`].
const PROVIDER: &str = "infisical-cli";

/// The variable that selects one of the CLI's login profiles by name.
const PROFILE_VAR: &str = "INFISICAL_PROFILE";

/// The variable the CLI's file vault reads its passphrase from.
const PASSPHRASE_VAR: &str = "INFISICAL_VAULT_FILE_PASSPHRASE";

/// Reads the user session of the Infisical CLI (`infisical login`): the login named by
/// `~/.infisical/infisical-config.json` (its active profile, or `INFISICAL_PROFILE`), from
/// the OS keyring (the CLI's default `auto` vault; the Secret Service on Linux and the BSDs)
/// or from the CLI's file vault (`~/infisical-keyring/`).
///
/// Answers [`Lookup::NotHere`] when there is no CLI config, nobody is logged in, or the
/// vault has no session for the login; and an error when the login is there but cannot be
/// used: undecryptable or malformed ([`CredentialsErrorKind::Invalid`]), expired
/// ([`CredentialsErrorKind::Expired`]), in a locked keyring ([`CredentialsErrorKind::Locked`]:
/// it is never unlocked, which would prompt), in a keyring that cannot be reached within
/// 3 seconds ([`CredentialsErrorKind::Unavailable`]), or in the OS keyring of macOS or
/// Windows, not read yet ([`CredentialsErrorKind::Unsupported`]). Errors name the file or the
/// keyring item at fault and never contain the passphrase or the token.
///
/// The vault passphrase is the config's `vaultBackendPassphrase` (base64) if set, else the
/// environment variable `INFISICAL_VAULT_FILE_PASSPHRASE`, as in the CLI. The keyring is
/// found through `DBUS_SESSION_BUS_ADDRESS` (else `$XDG_RUNTIME_DIR/bus`), read from the
/// environment given.
///
/// `Debug` shows the home directory, the environment (whose `Debug` should show names only,
/// as [`StaticEnv`](crate::StaticEnv)'s does) and the clock; this type holds no secret.
#[derive(Debug, Clone)]
pub struct CliLogin {
    home: Option<PathBuf>,
    env: Arc<dyn Env>,
    clock: Arc<dyn Clock>,
}

impl CliLogin {
    /// Reads from `home` (the user's home directory), with `env` for
    /// `INFISICAL_VAULT_FILE_PASSPHRASE`.
    pub fn new(home: impl Into<PathBuf>, env: Arc<dyn Env>) -> Self {
        Self {
            home: Some(home.into()),
            env,
            clock: Arc::new(SystemClock),
        }
    }

    /// Reads from the home directory named by `env` (`HOME`, or `USERPROFILE` on Windows).
    pub fn from_env(env: Arc<dyn Env>) -> Self {
        let home = env
            .non_empty("HOME")
            .or_else(|| env.non_empty("USERPROFILE"))
            .map(PathBuf::from);
        Self {
            home,
            env,
            clock: Arc::new(SystemClock),
        }
    }

    /// Uses `clock` to decide whether the session has expired (the system clock by default).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The whole lookup. Synchronous: it reads two small files with `std::fs`, which is
    /// cheap enough to do inside the async [`ProvideCredentials::provide`].
    fn lookup(&self) -> Result<Lookup, CredentialsError> {
        let Some(home) = &self.home else {
            return Ok(Lookup::NotHere(
                "no home directory (neither HOME nor USERPROFILE is set)".into(),
            ));
        };

        let config_path = config::path(home);
        let Some(config) = config::load(&config_path)? else {
            return Ok(Lookup::NotHere(format!(
                "no Infisical CLI config at {}",
                config_path.display()
            )));
        };

        let profile = self.env.non_empty(PROFILE_VAR);
        let Some(login) = config.login(profile.as_deref(), &config_path)? else {
            return Ok(Lookup::NotHere(format!(
                "the Infisical CLI has nobody logged in ({})",
                config_path.display()
            )));
        };

        let stored = match config.vault() {
            Vault::File => self.read_file_vault(home, &login.key, &config, &config_path)?,
            Vault::OsKeyring(configured) => {
                self.read_os_keyring(&login.key, &configured, &config_path)?
            }
        };
        let (session, item_path) = match stored {
            Stored::Session(session, at) => (session, at),
            Stored::NotLoggedIn(reason) => return Ok(Lookup::NotHere(reason)),
        };
        session.require_user(&login.email, &item_path)?;
        let expires_at = session.require_unexpired(self.clock.now(), &item_path)?;

        let email = login.email;
        let mut found =
            ProvidedCredentials::new(PROVIDER, Credentials::AccessToken(session.into_token()))
                .with_identity(&email);
        // The session was issued by that server: its token goes nowhere else.
        if let Some(base_url) = login.server {
            if let Some(wanted) = self.env.non_empty("INFISICAL_URL") {
                if !crate::resolve::same_server(&wanted, &base_url) {
                    return Err(invalid(
                        format!(
                            "the CLI logged {email} into {base_url}, but INFISICAL_URL names \
                             {wanted}: a CLI login is never sent to another server"
                        ),
                        &config_path,
                    ));
                }
            }
            found = found.bound_to(base_url);
        }
        found.expires_at = Some(expires_at);
        Ok(Lookup::Found(found))
    }

    /// The session in the file vault (`~/infisical-keyring/<email>`, a JWE) and its path;
    /// `None` when the vault has no item for `email`.
    fn read_file_vault(
        &self,
        home: &Path,
        email: &str,
        config: &config::CliConfig,
        config_path: &Path,
    ) -> Result<Stored, CredentialsError> {
        let config_passphrase = config.passphrase(config_path)?;
        // As go-keyring does: a missing item means "not logged in", before any passphrase
        // is needed.
        let item_path = vault::item_path(home, email);
        let Some(item) = vault::read_item(&item_path)? else {
            return Ok(Stored::NotLoggedIn(format!(
                "the Infisical CLI login of {email} is not in {} (the CLI calls this \"not logged in\")",
                item_path.display()
            )));
        };
        let passphrase = match config_passphrase {
            Some(passphrase) => passphrase,
            None => self.env_passphrase().ok_or_else(|| {
                invalid(
                    format!(
                        "no vault passphrase: the CLI config has no vaultBackendPassphrase; \
                         set {PASSPHRASE_VAR} to the file vault's passphrase"
                    ),
                    config_path,
                )
            })?,
        };
        let plaintext = jwe::decrypt(&item, &passphrase, &item_path)?;
        Ok(Stored::Session(
            Session::parse(&plaintext, &item_path)?,
            item_path,
        ))
    }

    /// The session in the OS keyring (the CLI's `auto` vault) and the item's D-Bus path;
    /// `None` when the keyring has no item for `email`.
    #[cfg(all(unix, not(target_os = "macos")))]
    fn read_os_keyring(
        &self,
        email: &str,
        _configured: &str,
        _config_path: &Path,
    ) -> Result<Stored, CredentialsError> {
        let Some(item) = secret_service::read(&*self.env, email)? else {
            return Ok(Stored::NotLoggedIn(format!(
                "the Infisical CLI login of {email} is not in the OS keyring (Secret Service, \
                 service {:?}; the CLI calls this \"not logged in\")",
                secret_service::SERVICE
            )));
        };
        let at = PathBuf::from(item.path);
        Ok(Stored::Session(
            Session::parse_unwrapped(&item.value, &at)?,
            at,
        ))
    }

    /// The OS keyring of this platform is not read yet.
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    fn read_os_keyring(
        &self,
        email: &str,
        configured: &str,
        config_path: &Path,
    ) -> Result<Stored, CredentialsError> {
        Err(CredentialsError::new(
            CredentialsErrorKind::Unsupported,
            PROVIDER,
            format!(
                "the Infisical CLI keeps the login of {email} in the OS keyring ({configured}), \
                 which this SDK reads on Linux and the BSDs only (the Secret Service); run \
                 `infisical vault set file` and then `infisical login` again to use the CLI's \
                 file vault, or use machine-identity credentials"
            ),
        )
        .with_path(config_path))
    }

    /// `INFISICAL_VAULT_FILE_PASSPHRASE`, if set and not empty (the CLI prompts otherwise).
    fn env_passphrase(&self) -> Option<Zeroizing<Vec<u8>>> {
        let value = Zeroizing::new(self.env.get(PASSPHRASE_VAR)?);
        (!value.is_empty()).then(|| Zeroizing::new(value.as_bytes().to_vec()))
    }
}

impl ProvideCredentials for CliLogin {
    fn name(&self) -> &str {
        PROVIDER
    }

    fn provide(&self) -> BoxFuture<'_, Result<Lookup, CredentialsError>> {
        Box::pin(async move { self.lookup() })
    }
}

/// What a vault holds for the logged-in user.
enum Stored {
    /// The session, and where it was read (a file, or an OS-keyring item's D-Bus path).
    Session(Session, PathBuf),
    /// No session: the reason, for [`Lookup::NotHere`].
    NotLoggedIn(String),
}

/// An [`CredentialsErrorKind::Invalid`] error naming `path`.
fn invalid(message: impl Into<String>, path: &Path) -> CredentialsError {
    CredentialsError::new(CredentialsErrorKind::Invalid, PROVIDER, message).with_path(path)
}

/// Describes a JSON error without quoting the input: `serde_json`'s data errors can quote
/// values (`invalid type: string "…"`), and the input may hold a passphrase or a token.
fn json_problem(error: &serde_json::Error) -> String {
    use serde_json::error::Category;
    let what = match error.classify() {
        Category::Io => "cannot be read",
        Category::Syntax => "is not valid JSON",
        Category::Eof => "is truncated JSON",
        Category::Data => "does not have the expected structure",
    };
    format!(
        "{what} (at line {} column {})",
        error.line(),
        error.column()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StaticEnv;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/cli-keyring")
    }

    const BOB_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhY2Nlc3NWZXJzaW9uIjoxLCJhdXRoTWV0aG9kIjoiZW1haWwiLCJhdXRoVG9rZW5UeXBlIjoiYWNjZXNzVG9rZW4iLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTc2NzIyNTYwMCwiaXNNZmFWZXJpZmllZCI6ZmFsc2UsIm9yZ2FuaXphdGlvbklkIjoiMGIwZTdkMWEtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMGIyIiwidG9rZW5WZXJzaW9uSWQiOiI1ZTVlNWU1ZS0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDBiMGIiLCJ1c2VySWQiOiI2ZjFkMmMzYi0wMDAwLTQwMDAtODAwMC0wMDAwMDAwMDBiMGIifQ.C9M_bq5FNDCZtaiwIPm8cpAFwAbAuUUf7x1KFe7yq38";

    #[test]
    fn bobs_item_in_the_valid_home_decrypts() {
        let home = fixtures().join("valid/home");
        let path = vault::item_path(&home, "bob@example.com");
        let item = vault::read_item(&path).unwrap().expect("bob's item exists");
        let plaintext = jwe::decrypt(&item, b"Fx7kQ2pLm9", &path).unwrap();
        let session = session::Session::parse(&plaintext, &path).unwrap();
        session.require_user("bob@example.com", &path).unwrap();
        assert!(session.require_user("alice@example.com", &path).is_err());
        assert_eq!(session.into_token().expose(), BOB_TOKEN);
    }

    #[test]
    fn json_problems_do_not_quote_the_input() {
        let err = serde_json::from_str::<u32>("\"Fx7kQ2pLm9\"").unwrap_err();
        let text = json_problem(&err);
        assert!(!text.contains("Fx7kQ2pLm9"), "{text}");
        assert!(text.contains("expected structure"), "{text}");
    }

    #[test]
    fn no_home_is_not_here() {
        let login = CliLogin::from_env(Arc::new(StaticEnv::new()));
        assert!(matches!(login.lookup(), Ok(Lookup::NotHere(_))));
    }

    #[test]
    fn debug_shows_no_values() {
        let env = StaticEnv::new().set(PASSPHRASE_VAR, "hunter2-secret");
        let login = CliLogin::new("/home/u", Arc::new(env));
        let text = format!("{login:?}");
        assert!(!text.contains("hunter2-secret"), "{text}");
        assert!(text.contains("/home/u"), "{text}");
    }
}
