//! W5 for this SDK: a program holding only this SDK's async client, as a user's would.
//!
//! ```text
//! cold-start-sdk url=… project=… client_id=… client_secret=…
//! ```

// Only W5's part of the shared modules is used here.
#[path = "../cold_start.rs"]
mod cold_start;
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "../proc.rs"]
mod proc;
#[path = "../sdk.rs"]
mod sdk;

fn main() -> std::process::ExitCode {
    cold_start::program("sdk", |target| async move {
        sdk::Sdk::new(&target, harness::SMALL_FOLDER, false)
    })
}
