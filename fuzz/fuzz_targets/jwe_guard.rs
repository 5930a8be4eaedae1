//! The CLI vault's JWE: the guard and the pure-Rust decryption must never panic.
//! The passphrase is the fixtures' (`Fx7kQ2pLm9`), so mutations of a real item reach the
//! decryption itself.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(item) = std::str::from_utf8(data) {
        infisical_credentials::fuzzing::jwe_guard(item, b"Fx7kQ2pLm9");
    }
});
