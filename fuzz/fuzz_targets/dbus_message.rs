//! A message from the D-Bus session bus (the OS keyring's transport): any bytes, no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    infisical_credentials::fuzzing::dbus_message(data);
});
