//! W4's server: an emulator of the storm's own, in the client's process, so that the
//! storm can expire the token at the moment it chooses and count the logins.

use crate::harness::{Target, ENVIRONMENT, SMALL_COUNT, SMALL_FOLDER};
use infisical_emulator::Emulator;

/// An emulator seeded with `SMALL_FOLDER`'s 50 secrets and a universal-auth identity, and
/// the target pointing at it.
pub fn storm_server() -> (Emulator, Target) {
    let emulator = Emulator::start();
    let project = emulator.create_project("storm");
    for i in 0..SMALL_COUNT {
        emulator.set_secret(
            &project,
            ENVIRONMENT,
            SMALL_FOLDER,
            &format!("S{i}"),
            "value",
        );
    }
    let (client_id, client_secret) = emulator.create_universal_auth_identity();
    let target = Target {
        url: emulator.url(),
        project,
        client_id,
        client_secret,
    };
    (emulator, target)
}
