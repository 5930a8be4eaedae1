//! The CLI's file vault (`Infisical/go-keyring` v1.0.2, `keyring_encrypted_file.go`): one
//! file per user, `~/infisical-keyring/<escaped email>`, holding a compact JWE.

use super::{file, invalid};
use infisical_core::CredentialsError;
use std::path::{Path, PathBuf};

/// The vault's directory, directly in the home directory (`~/infisical-keyring`).
const DIR: &str = "infisical-keyring";

/// The file holding `email`'s session. The vault ignores the service name.
pub(super) fn item_path(home: &Path, email: &str) -> PathBuf {
    home.join(DIR).join(escape(email))
}

/// The file name of a key, as mtibben/percent `Encode(key, "/")`: only `%` and `/` are
/// escaped, as `%25` and `%2F`; everything else (`@`, `+`, `.`, non-ASCII) is kept.
pub(super) fn escape(key: &str) -> String {
    let mut escaped = String::with_capacity(key.len());
    for c in key.chars() {
        match c {
            '%' => escaped.push_str("%25"),
            '/' => escaped.push_str("%2F"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// The item at `path`, or `None` if there is none (go-keyring's `ErrNotFound`, which the
/// CLI reports as "not logged in").
pub(super) fn read_item(path: &Path) -> Result<Option<String>, CredentialsError> {
    let Some(bytes) = file::read(path, "Infisical CLI vault item")? else {
        return Ok(None);
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        invalid(
            "malformed Infisical CLI vault item: not text, so not a compact JWE",
            path,
        )
    })?;
    Ok(Some(text.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_only_percent_and_slash() {
        assert_eq!(
            escape("ops/ci%team@example.com"),
            "ops%2Fci%25team@example.com"
        );
        assert_eq!(escape("a+b@x.io"), "a+b@x.io");
        assert_eq!(escape("%2F"), "%252F");
        assert_eq!(escape("ü é\\:*?"), "ü é\\:*?");
        assert_eq!(escape(""), "");
    }

    #[test]
    fn the_item_is_in_the_home_directory() {
        let path = item_path(Path::new("/home/u"), "a/b@c");
        assert_eq!(path, Path::new("/home/u/infisical-keyring/a%2Fb@c"));
    }

    #[test]
    fn a_missing_item_is_none() {
        let path = item_path(Path::new("/nonexistent-home-for-tests"), "x@y");
        assert!(read_item(&path).unwrap().is_none());
    }
}
