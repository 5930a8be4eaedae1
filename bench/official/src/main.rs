//! The official Infisical Rust SDK (0.0.4) running the benchmark workloads, so that it
//! meets the same server in the same run as this SDK and the baseline.
//!
//! ```text
//! infisical-bench-official run <w1|w2|w3> official url=… project=… client_id=… client_secret=… [calls=N]
//! infisical-bench-official run w4 official
//! ```
//!
//! The official client logs in once, explicitly (`client.login`), and never again: it has no
//! token refresh. Its list is `GET /api/v3/secrets/raw` (what it sends, not our choice).

#[path = "../../src/harness.rs"]
mod harness;
mod official;
#[path = "../../src/proc.rs"]
mod proc;
#[path = "../../src/storm.rs"]
mod storm;

use harness::{BoxError, Lister, Target, SMALL_FOLDER, STORM};
use official::Official;
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [run, workload, imp, rest @ ..] if run == "run" && imp == "official" => {
            let options = harness::options(rest.iter().cloned());
            run_workload(workload, &options)
        }
        _ => Err("usage: infisical-bench-official run <w1|w2|w3|w4> official [key=value…]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("infisical-bench-official: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run_workload(workload: &str, options: &HashMap<String, String>) -> Result<(), BoxError> {
    let runtime = harness::runtime()?;
    if workload == "w4" {
        return runtime.block_on(refresh_storm());
    }
    let target = Target::from_options(options)?;
    let calls = harness::calls(options)?;
    runtime.block_on(async {
        let lister = Official::new(&target, harness::folder_of(workload)).await?;
        harness::run(workload, "official", lister, calls).await
    })
}

/// W4: `STORM` calls at once right after the server expired the token.
async fn refresh_storm() -> Result<(), BoxError> {
    let (emulator, target) = storm::storm_server();
    let lister = Arc::new(Official::new(&target, SMALL_FOLDER).await?);
    lister.list().await?;
    emulator.expire_access_tokens();
    emulator.reset_counters();
    let start = Arc::new(tokio::sync::Barrier::new(STORM));
    let tasks: Vec<_> = (0..STORM)
        .map(|_| {
            let (lister, start) = (lister.clone(), start.clone());
            tokio::spawn(async move {
                start.wait().await;
                lister.list().await
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for task in tasks {
        outcomes.push(task.await?.map(|l| l.len()).map_err(|e| e.to_string()));
    }
    harness::print_storm(
        "official",
        &outcomes,
        emulator.logins(),
        emulator.renewals(),
    );
    Ok(())
}
