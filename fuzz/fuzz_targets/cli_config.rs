//! The Infisical CLI's config file and a decrypted session: any bytes, no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    infisical_credentials::fuzzing::cli_config(data);
    infisical_credentials::fuzzing::cli_session(data);
});
