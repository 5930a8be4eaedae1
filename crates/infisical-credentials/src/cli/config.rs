//! The CLI config, `~/.infisical/infisical-config.json` (`models.ConfigFile` in the CLI's
//! `packages/models/cli.go`, read by `GetConfigFile` in `packages/util/config.go`).

use super::{file, invalid, json_problem, PROVIDER};
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;
use infisical_core::{CredentialsError, CredentialsErrorKind, SecretString};
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
/// ...) are ignored. Key names are exactly as the CLI writes them (note the capital `L` of
/// `LoggedInUserDomain`). `Debug` is safe: the passphrase is a [`SecretString`].
#[derive(Debug, Default, Deserialize)]
pub(super) struct CliConfig {
    #[serde(rename = "loggedInUserEmail", default)]
    logged_in_user_email: Option<String>,
    #[serde(rename = "LoggedInUserDomain", default)]
    logged_in_user_domain: Option<String>,
    #[serde(rename = "vaultBackendType", default)]
    vault_backend_type: Option<String>,
    #[serde(rename = "vaultBackendPassphrase", default)]
    vault_backend_passphrase: Option<SecretString>,
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
    /// `loggedInUserEmail`: the user the CLI acts as; empty when nobody is logged in.
    pub(super) fn logged_in_user_email(&self) -> &str {
        self.logged_in_user_email.as_deref().unwrap_or_default()
    }

    /// The server of the login: `LoggedInUserDomain` (normally `https://…/api`) without a
    /// trailing `/` and then without a trailing `/api`; `None` if empty.
    pub(super) fn base_url(&self) -> Option<String> {
        let domain = self.logged_in_user_domain.as_deref()?.trim();
        let domain = domain.strip_suffix('/').unwrap_or(domain);
        let domain = domain.strip_suffix("/api").unwrap_or(domain);
        (!domain.is_empty()).then(|| domain.to_owned())
    }

    /// Fails unless the CLI keeps sessions in its file vault. Like the CLI's
    /// `GetCurrentVaultBackend`, anything but `"file"` (missing, empty, unknown) means `"auto"`:
    /// the OS keyring.
    pub(super) fn require_file_vault(
        &self,
        email: &str,
        path: &Path,
    ) -> Result<(), CredentialsError> {
        let backend = self.vault_backend_type.as_deref().unwrap_or_default();
        if backend == "file" {
            return Ok(());
        }
        let configured = match backend {
            "" => "no vaultBackendType, i.e. \"auto\"".to_owned(),
            "auto" => "vaultBackendType \"auto\"".to_owned(),
            other => format!("vaultBackendType {other:?}, which the CLI treats as \"auto\""),
        };
        Err(CredentialsError::new(
            CredentialsErrorKind::Unsupported,
            PROVIDER,
            format!(
                "the Infisical CLI keeps the login of {email} in the OS keyring ({configured}), \
                 which this SDK cannot read; run `infisical vault set file` and then \
                 `infisical login` again to use the CLI's file vault, or use machine-identity \
                 credentials"
            ),
        )
        .with_path(path))
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

    fn config(json: &str) -> CliConfig {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn base_url_drops_the_api_suffix() {
        let url =
            |domain: &str| config(&format!(r#"{{"LoggedInUserDomain":{domain:?}}}"#)).base_url();
        assert_eq!(
            url("https://app.infisical.com/api").as_deref(),
            Some("https://app.infisical.com")
        );
        assert_eq!(
            url("https://eu.infisical.com/api/").as_deref(),
            Some("https://eu.infisical.com")
        );
        assert_eq!(
            url("https://h.example/").as_deref(),
            Some("https://h.example")
        );
        assert_eq!(
            url("https://h.example").as_deref(),
            Some("https://h.example")
        );
        assert_eq!(url(""), None);
        assert_eq!(config("{}").base_url(), None);
    }

    #[test]
    fn unknown_fields_and_nulls_are_tolerated() {
        let c = config(
            r#"{"loggedInUserEmail":null,"loggedInUsers":[{"email":"a","domain":"b"}],"x":1}"#,
        );
        assert_eq!(c.logged_in_user_email(), "");
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
        let p = Path::new("/c.json");
        assert!(config(r#"{"vaultBackendType":"file"}"#)
            .require_file_vault("a@b", p)
            .is_ok());
        for json in [
            "{}",
            r#"{"vaultBackendType":""}"#,
            r#"{"vaultBackendType":"auto"}"#,
            r#"{"vaultBackendType":"File"}"#,
        ] {
            let err = config(json).require_file_vault("a@b", p).unwrap_err();
            assert_eq!(err.kind(), CredentialsErrorKind::Unsupported);
            assert!(err.message().contains("infisical vault set file"), "{err}");
        }
    }

    #[test]
    fn debug_redacts_the_passphrase() {
        let c = config(r#"{"vaultBackendPassphrase":"Rng3a1EycExtOQ=="}"#);
        assert!(!format!("{c:?}").contains("Rng3a1EycExtOQ=="));
    }
}
