//! W5, a cold start: each implementation's W5 is a program of its own (`cold-start-sdk`,
//! `cold-start-baseline`, `cold-start-official`) holding only its client, as a user's
//! program would. In a program that also held the emulator and the other clients, a
//! client's first call would touch code spread over more pages of memory, which its peak
//! RSS counts.

use crate::harness::{options, runtime, BoxError, Lister, Listing, Measured, Target};
use crate::proc::peak_rss_kib;
use std::future::Future;
use std::process::ExitCode;

/// The whole of a W5 program: reads `url=… project=… client_id=… client_secret=…` from the
/// command line, makes a lister of `SMALL_FOLDER` with `make` in a runtime as
/// `#[tokio::main]` builds it, and runs W5 with it.
pub fn program<L, F, Fut>(imp: &str, make: F) -> ExitCode
where
    L: Lister,
    F: FnOnce(Target) -> Fut,
    Fut: Future<Output = Result<L, BoxError>>,
{
    let run = || -> Result<(), BoxError> {
        let target = Target::from_options(&options(std::env::args().skip(1)))?;
        runtime()?.block_on(async {
            let lister = make(target).await?;
            cold_start(imp, lister).await
        })
    };
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cold start of {imp}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// W5: from nothing to the first secret's value on standard output (the parent times it).
async fn cold_start<L: Lister>(imp: &str, lister: L) -> Result<(), BoxError> {
    let list = lister.list().await?;
    println!("value={}", list.first_value().ok_or("the folder is empty")?);
    Measured::new("w5", imp, 1)
        .add("peak_rss_kib", peak_rss_kib())
        .print();
    Ok(())
}
