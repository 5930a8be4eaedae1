//! W5 for the baseline: a program holding only the minimal hand-written client.
//!
//! ```text
//! cold-start-baseline url=… project=… client_id=… client_secret=…
//! ```

// Only W5's part of the shared modules is used here.
#[allow(dead_code)]
#[path = "../baseline.rs"]
mod baseline;
#[path = "../cold_start.rs"]
mod cold_start;
#[allow(dead_code)]
#[path = "../harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "../proc.rs"]
mod proc;

fn main() -> std::process::ExitCode {
    cold_start::program("baseline", |target| async move {
        baseline::Minimal::new(&target, harness::SMALL_FOLDER, None)
    })
}
