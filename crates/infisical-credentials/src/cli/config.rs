//! The CLI config, `~/.infisical/infisical-config.json` (`models.ConfigFile` in the CLI's
//! `packages/models/cli.go`, read by `GetConfigFile` in `packages/util/config.go`).

use super::{file, invalid, json_problem};
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use infisical_core::{CredentialsError, SecretString};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use zeroize::Zeroizing;

/// Go's `base64.StdEncoding`: standard alphabet, padding required, and (unlike the `base64`
/// crate's default) non-zero trailing bits accepted.
const GO_STD_ENCODING: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

/// `<home>/.infisical/infisical-config.json`; no variable overrides it in the CLI.
pub(super) fn path(home: &Path) -> PathBuf {
    home.join(".infisical").join("infisical-config.json")
}

/// The fields of the CLI config this provider uses; the others (`loggedInUsers`, `domains`,
/// `directoryProfiles`, ...) are ignored. Key names are exactly as the CLI writes them (note
/// the capital `L` of `LoggedInUserDomain`). `Debug` is safe: the passphrase is a
/// [`SecretString`].
///
/// Two layouts: the released CLI's (v0.43, one user: `loggedInUserEmail` and
/// `LoggedInUserDomain`, vault items named by e-mail) and the profile-aware one of the CLI's
/// current source (`packages/models/cli.go`, `packages/util/profile.go`): `profiles`, each
/// with its own `name` (the vault item's key), `email` and `domain`, and `activeProfile`,
/// selected unless `INFISICAL_PROFILE` names another. The profile-aware CLI keeps writing the
/// legacy fields for a profile named after its e-mail.
#[derive(Debug, Default, Deserialize)]
pub(super) struct CliConfig {
    #[serde(rename = "loggedInUserEmail", default)]
    logged_in_user_email: Option<String>,
    #[serde(rename = "LoggedInUserDomain", default)]
    logged_in_user_domain: Option<String>,
    #[serde(rename = "activeProfile", default)]
    active_profile: Option<String>,
    #[serde(default)]
    profiles: Option<Vec<Profile>>,
    #[serde(rename = "vaultBackendType", default)]
    vault_backend_type: Option<String>,
    #[serde(rename = "vaultBackendPassphrase", default)]
    vault_backend_passphrase: Option<SecretString>,
}

/// One login profile of the profile-aware CLI (`models.Profile`; the organization fields
/// are not needed here).
#[derive(Debug, Default, Deserialize)]
struct Profile {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    email: Option<String>,
    #[serde(default)]
    domain: Option<String>,
}

/// The login the CLI would act as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Login {
    /// The vault item's key: the profile's name, which is the e-mail in the legacy layout.
    pub(super) key: String,
    /// The user's e-mail, which the session must hold.
    pub(super) email: String,
    /// The server the CLI logged into (`https://…`, without `/api`), if the config says.
    pub(super) server: Option<String>,
}

/// Where the CLI keeps its sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Vault {
    /// The file vault, `~/infisical-keyring/`.
    File,
    /// The OS keyring (the CLI's `auto`), with how the config says so.
    OsKeyring(String),
}

/// The server of a login domain (normally `https://…/api`): without a trailing `/` and then
/// without a trailing `/api`; `None` if empty.
fn server_of(domain: &str) -> Option<String> {
    let domain = domain.trim();
    let domain = domain.strip_suffix('/').unwrap_or(domain);
    let domain = domain.strip_suffix("/api").unwrap_or(domain);
    (!domain.is_empty()).then(|| domain.to_owned())
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

/// Reads the config at `path`; `None` if there is none (the CLI: not logged in).
pub(super) fn load(path: &Path) -> Result<Option<CliConfig>, CredentialsError> {
    let Some(bytes) = file::read(path, "Infisical CLI config")? else {
        return Ok(None);
    };
    parse(&bytes, path).map(Some)
}

/// Parses the config's bytes; errors name `path`.
pub(super) fn parse(bytes: &[u8], path: &Path) -> Result<CliConfig, CredentialsError> {
    // serde would also read a struct from a JSON array; Go (and so the CLI) would not.
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(invalid(
            "the Infisical CLI config is not a JSON object",
            path,
        ));
    }
    serde_json::from_slice(bytes).map_err(|err| {
        invalid(
            format!("the Infisical CLI config {}", json_problem(&err)),
            path,
        )
    })
}

impl CliConfig {
    /// The login the CLI acts as; `None` when nobody is logged in. `profile` is the
    /// `INFISICAL_PROFILE` variable, which selects a profile by name; an unknown name is an
    /// error, as in the CLI.
    pub(super) fn login(
        &self,
        profile: Option<&str>,
        path: &Path,
    ) -> Result<Option<Login>, CredentialsError> {
        let legacy = non_empty(&self.logged_in_user_email);
        let named = |name: &str| {
            self.profiles
                .iter()
                .flatten()
                .find(|p| p.name.as_deref() == Some(name))
        };
        if let Some(wanted) = profile {
            return match named(wanted) {
                Some(found) => Ok(Some(self.profile_login(found, wanted))),
                None if legacy == Some(wanted) => Ok(Some(self.legacy(wanted))),
                None => Err(invalid(
                    format!(
                        "INFISICAL_PROFILE names the profile {wanted:?}, which the Infisical \
                         CLI config does not have"
                    ),
                    path,
                )),
            };
        }
        let active = non_empty(&self.active_profile).and_then(|name| Some((name, named(name)?)));
        Ok(match (legacy, active) {
            // The profile-aware CLI writes both for a profile named after its e-mail; an older
            // CLI that logged in since moves only the legacy pointer, which then wins.
            (Some(email), Some((name, found))) if name == email => {
                Some(self.profile_login(found, name))
            }
            (Some(email), _) => Some(self.legacy(email)),
            (None, Some((name, found))) => Some(self.profile_login(found, name)),
            (None, None) => None,
        })
    }

    fn legacy(&self, email: &str) -> Login {
        Login {
            key: email.to_owned(),
            email: email.to_owned(),
            server: non_empty(&self.logged_in_user_domain).and_then(server_of),
        }
    }

    fn profile_login(&self, profile: &Profile, name: &str) -> Login {
        Login {
            key: name.to_owned(),
            email: non_empty(&profile.email).unwrap_or(name).to_owned(),
            server: non_empty(&profile.domain)
                .or_else(|| non_empty(&self.logged_in_user_domain))
                .and_then(server_of),
        }
    }

    /// Where the CLI keeps sessions. Like the CLI's `GetCurrentVaultBackend`, anything but
    /// `"file"` (missing, empty, unknown) means `"auto"`: the OS keyring.
    pub(super) fn vault(&self) -> Vault {
        match self.vault_backend_type.as_deref().unwrap_or_default() {
            "file" => Vault::File,
            "" => Vault::OsKeyring("no vaultBackendType, i.e. \"auto\"".to_owned()),
            "auto" => Vault::OsKeyring("vaultBackendType \"auto\"".to_owned()),
            other => Vault::OsKeyring(format!(
                "vaultBackendType {other:?}, which the CLI treats as \"auto\""
            )),
        }
    }

    /// The vault passphrase from `vaultBackendPassphrase` (standard base64 of the passphrase
    /// bytes), if set. Like Go's decoder, line breaks in the value are ignored.
    pub(super) fn passphrase(
        &self,
        path: &Path,
    ) -> Result<Option<Zeroizing<Vec<u8>>>, CredentialsError> {
        let Some(encoded) = &self.vault_backend_passphrase else {
            return Ok(None);
        };
        if encoded.is_empty() {
            return Ok(None);
        }
        let cleaned: Zeroizing<String> = Zeroizing::new(
            encoded
                .expose()
                .chars()
                .filter(|c| !matches!(c, '\r' | '\n'))
                .collect(),
        );
        let mut decoded = Zeroizing::new(Vec::with_capacity(base64::decoded_len_estimate(
            cleaned.len(),
        )));
        match GO_STD_ENCODING.decode_vec(cleaned.as_bytes(), &mut decoded) {
            // Only line breaks: the CLI sets an empty variable, i.e. no passphrase.
            Ok(()) if decoded.is_empty() => Ok(None),
            Ok(()) => Ok(Some(decoded)),
            Err(_) => Err(invalid(
                "the vaultBackendPassphrase in the Infisical CLI config is not valid base64",
                path,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use infisical_core::CredentialsErrorKind;

    fn config(json: &str) -> CliConfig {
        serde_json::from_str(json).unwrap()
    }

    fn login(json: &str, profile: Option<&str>) -> Option<Login> {
        config(json).login(profile, Path::new("/c.json")).unwrap()
    }

    #[test]
    fn the_server_drops_the_api_suffix() {
        assert_eq!(
            server_of("https://app.infisical.com/api").as_deref(),
            Some("https://app.infisical.com")
        );
        assert_eq!(
            server_of("https://eu.infisical.com/api/").as_deref(),
            Some("https://eu.infisical.com")
        );
        assert_eq!(
            server_of("https://h.example/").as_deref(),
            Some("https://h.example")
        );
        assert_eq!(
            server_of("https://h.example").as_deref(),
            Some("https://h.example")
        );
        assert_eq!(server_of(" "), None);
        let legacy = r#"{"loggedInUserEmail":"a@b","LoggedInUserDomain":"https://h.example/api"}"#;
        assert_eq!(
            login(legacy, None).unwrap().server.as_deref(),
            Some("https://h.example")
        );
        assert_eq!(
            login(r#"{"loggedInUserEmail":"a@b"}"#, None)
                .unwrap()
                .server,
            None
        );
    }

    #[test]
    fn unknown_fields_and_nulls_are_tolerated() {
        let json = r#"{"loggedInUserEmail":null,"loggedInUsers":[{"email":"a","domain":"b"}],"x":1,
            "profiles":[{"name":null,"orgSessions":[]}],"activeProfile":null}"#;
        assert_eq!(login(json, None), None);
    }

    const PROFILES: &str = r#"{
        "loggedInUserEmail": "",
        "activeProfile": "alice--acme",
        "profiles": [
            {"name": "alice@example.com", "email": "alice@example.com", "domain": "https://a.example/api"},
            {"name": "alice--acme", "email": "alice@example.com", "domain": "https://acme.example/api",
             "organizationId": "o1", "orgSessions": [{"orgId": "o1"}]}
        ],
        "directoryProfiles": {"/srv": "alice@example.com"}
    }"#;

    #[test]
    fn the_active_profile_names_the_vault_item_and_the_server() {
        let found = login(PROFILES, None).unwrap();
        assert_eq!(found.key, "alice--acme");
        assert_eq!(found.email, "alice@example.com");
        assert_eq!(found.server.as_deref(), Some("https://acme.example"));
    }

    #[test]
    fn infisical_profile_selects_another_and_an_unknown_one_is_an_error() {
        let found = login(PROFILES, Some("alice@example.com")).unwrap();
        assert_eq!(found.key, "alice@example.com");
        assert_eq!(found.server.as_deref(), Some("https://a.example"));
        let err = config(PROFILES)
            .login(Some("nobody"), Path::new("/c.json"))
            .unwrap_err();
        assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
        assert!(err.message().contains("\"nobody\""), "{err}");
    }

    #[test]
    fn a_legacy_pointer_that_disagrees_with_the_active_profile_wins() {
        // An older CLI logged bob in after the profile-aware one made alice's profile active.
        let json = PROFILES.replace(
            r#""loggedInUserEmail": """#,
            r#""loggedInUserEmail": "bob@example.com", "LoggedInUserDomain": "https://b.example/api""#,
        );
        let found = login(&json, None).unwrap();
        assert_eq!(
            (found.key.as_str(), found.email.as_str()),
            ("bob@example.com", "bob@example.com")
        );
        assert_eq!(found.server.as_deref(), Some("https://b.example"));
        // Both pointers agree: the profile, with its own domain.
        let json = PROFILES
            .replace(
                r#""loggedInUserEmail": """#,
                r#""loggedInUserEmail": "alice@example.com""#,
            )
            .replace(
                r#""activeProfile": "alice--acme""#,
                r#""activeProfile": "alice@example.com""#,
            );
        assert_eq!(
            login(&json, None).unwrap().server.as_deref(),
            Some("https://a.example")
        );
    }

    #[test]
    fn passphrase_is_standard_base64() {
        let p = Path::new("/c.json");
        let pass =
            |v: &str| config(&format!(r#"{{"vaultBackendPassphrase":{v:?}}}"#)).passphrase(p);
        assert_eq!(
            pass("Rng3a1EycExtOQ==").unwrap().unwrap().as_slice(),
            b"Fx7kQ2pLm9"
        );
        assert_eq!(pass("/w==").unwrap().unwrap().as_slice(), &[0xff]);
        assert_eq!(
            pass("/x==").unwrap().unwrap().as_slice(),
            &[0xff],
            "trailing bits, as Go"
        );
        assert!(pass("").unwrap().is_none());
        for bad in ["not base64!", "Rng3a1EycExtOQ", "_w==", "===="] {
            let err = pass(bad).unwrap_err();
            assert_eq!(err.kind(), CredentialsErrorKind::Invalid);
            assert!(!err.to_string().contains(bad), "{err}");
        }
    }

    #[test]
    fn only_file_is_a_file_vault() {
        assert_eq!(
            config(r#"{"vaultBackendType":"file"}"#).vault(),
            Vault::File
        );
        for json in [
            "{}",
            r#"{"vaultBackendType":""}"#,
            r#"{"vaultBackendType":"auto"}"#,
            r#"{"vaultBackendType":"File"}"#,
        ] {
            assert!(
                matches!(config(json).vault(), Vault::OsKeyring(_)),
                "{json}"
            );
        }
    }

    #[test]
    fn debug_redacts_the_passphrase() {
        let c = config(r#"{"vaultBackendPassphrase":"Rng3a1EycExtOQ=="}"#);
        assert!(!format!("{c:?}").contains("Rng3a1EycExtOQ=="));
    }
}
