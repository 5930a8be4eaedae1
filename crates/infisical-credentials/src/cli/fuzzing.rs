//! Entry points for the fuzz targets in `fuzz/` (feature `fuzzing`; not a public API).

use super::{config, jwe, session};
use std::path::Path;

const PATH: &str = "fuzz-input";

/// Parses a CLI config and reads everything the provider reads from it.
pub fn cli_config(bytes: &[u8]) {
    let path = Path::new(PATH);
    if let Ok(config) = config::parse(bytes, path) {
        let _ = config.login(None, path);
        let _ = config.login(Some("profile"), path);
        let _ = config.vault();
        let _ = config.passphrase(path);
    }
}

/// The JWE guard and decryption, with no `catch_unwind` anywhere: an item that panics is
/// a finding. Then the session inside, if it decrypts.
pub fn jwe_guard(item: &str, passphrase: &[u8]) {
    if let Ok(plaintext) = jwe::decrypt(item, passphrase, Path::new(PATH)) {
        cli_session(&plaintext);
    }
}

/// Decodes a decrypted session (a JSON string holding JSON) and checks it.
pub fn cli_session(plaintext: &[u8]) {
    let path = Path::new(PATH);
    if let Ok(session) = session::Session::parse(plaintext, path) {
        let _ = session.require_user("alice@example.com", path);
    }
}

/// A D-Bus message from the session bus, and the Secret Service answers read from it.
#[cfg(all(unix, not(target_os = "macos")))]
pub fn dbus_message(data: &[u8]) {
    crate::dbus::fuzz_decode(data);
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    fn files(dir: &Path) -> Vec<PathBuf> {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_file())
            .collect()
    }

    fn root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    /// Every input a fuzzer ever crashed on (kept in `fuzz/regressions/`), plus the real
    /// fixtures, goes through the fuzz entry points without a panic.
    #[test]
    fn fuzz_regressions_and_fixtures_do_not_panic() {
        let fixtures = root().join("../shared/fixtures/cli-keyring");
        let mut configs = files(&root().join("fuzz/regressions/cli_config"));
        let mut items = files(&root().join("fuzz/regressions/jwe_guard"));
        for scenario in std::fs::read_dir(&fixtures).unwrap().filter_map(|e| e.ok()) {
            configs.extend(files(&scenario.path().join("home/.infisical")));
            items.extend(files(&scenario.path().join("home/infisical-keyring")));
        }
        assert!(
            configs.len() >= 12 && items.len() >= 10,
            "the fixtures were found"
        );
        for path in configs {
            super::cli_config(&std::fs::read(&path).unwrap());
        }
        for path in items {
            let bytes = std::fs::read(&path).unwrap();
            super::jwe_guard(&String::from_utf8_lossy(&bytes), b"Fx7kQ2pLm9");
        }
    }

    /// Every D-Bus message a fuzzer crashed on (`fuzz/regressions/dbus_message/`), and every
    /// cut of a real method return, decode without a panic.
    #[cfg(all(unix, not(target_os = "macos")))]
    #[test]
    fn dbus_regressions_and_cuts_do_not_panic() {
        let mut inputs: Vec<Vec<u8>> = files(&root().join("fuzz/regressions/dbus_message"))
            .iter()
            .map(|p| std::fs::read(p).unwrap())
            .collect();
        let answer = crate::dbus::sample_secret_answer();
        for cut in 0..=answer.len() {
            inputs.push(answer[..cut].to_vec());
        }
        for input in inputs {
            super::dbus_message(&input);
        }
    }
}
