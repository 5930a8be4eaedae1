//! W5 for the official SDK: a program holding only its client, as a user's would.
//!
//! ```text
//! cold-start-official url=… project=… client_id=… client_secret=…
//! ```

// Only W5's part of the shared modules is used here.
#[path = "../../../src/cold_start.rs"]
mod cold_start;
#[allow(dead_code)]
#[path = "../../../src/harness.rs"]
mod harness;
#[path = "../official.rs"]
mod official;
#[allow(dead_code)]
#[path = "../../../src/proc.rs"]
mod proc;

fn main() -> std::process::ExitCode {
    cold_start::program("official", |target| async move {
        official::Official::new(&target, harness::SMALL_FOLDER).await
    })
}
