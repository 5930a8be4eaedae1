//! This SDK's and the baseline's implementations of the workloads (the workloads themselves
//! are in `harness`), W6 (the blocking client) and W4 (the refresh storm).

use crate::baseline::Minimal;
use crate::harness::{
    self, expect_len, print_storm, runtime, BoxError, Lister, Measured, Stopwatch, Target,
    ENVIRONMENT, SMALL_COUNT, SMALL_FOLDER, STORM,
};
use crate::sdk::{builder, Sdk};
use crate::storm;
use infisical::secrets::{ListSecrets, SecretList};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

/// The baseline's transport with the SDK's decoding: what the SDK would cost without its
/// stack (retries, timeouts, auth, tracing).
struct BaselineWithSdkDecoding {
    baseline: Minimal,
    request: ListSecrets,
}

impl Lister for BaselineWithSdkDecoding {
    type List = SecretList;
    async fn list(&self) -> Result<SecretList, BoxError> {
        use infisical::Operation;
        let read = |answer| self.request.parse_response(answer).map_err(BoxError::from);
        self.baseline.list_with(read).await
    }
}

/// Runs `workload` with `imp` and prints its `result` line.
pub fn run(workload: &str, imp: &str, options: &HashMap<String, String>) -> Result<(), BoxError> {
    if workload == "w4" {
        return refresh_storm(imp);
    }
    let target = Target::from_options(options)?;
    let calls = harness::calls(options)?;
    let folder = harness::folder_of(workload);
    if workload == "w6" {
        return match imp {
            "sdk" => blocking_sequential(&target, calls.unwrap_or(2_000)),
            _ => Err("w6 is the SDK's blocking client: `run w6 sdk`".into()),
        };
    }
    let runtime = runtime()?;
    let _context = runtime.enter();
    match imp {
        "sdk" | "sdk-untimed" => {
            let lister = Sdk::new(&target, folder, imp == "sdk-untimed")?;
            runtime.block_on(harness::run(workload, imp, lister, calls))
        }
        "baseline" | "baseline-timeout" => {
            // `baseline-timeout`: the same with a 30 s tokio timeout around each exchange,
            // the limit for a client that has a timeout at all.
            let timeout = (imp == "baseline-timeout").then_some(Duration::from_secs(30));
            let lister = Minimal::new(&target, folder, timeout)?;
            runtime.block_on(harness::run(workload, imp, lister, calls))
        }
        "baseline-sdk-decoding" => {
            let lister = BaselineWithSdkDecoding {
                baseline: Minimal::new(&target, folder, None)?,
                request: ListSecrets::new(target.project.as_str(), ENVIRONMENT).path(folder),
            };
            runtime.block_on(harness::run(workload, imp, lister, calls))
        }
        other => Err(format!(
            "unknown implementation {other:?}: sdk, sdk-untimed, baseline, baseline-timeout or \
             baseline-sdk-decoding"
        )
        .into()),
    }
}

/// W6: W1 through the blocking client.
fn blocking_sequential(target: &Target, calls: usize) -> Result<(), BoxError> {
    let client = builder(target, infisical::blocking::Client::builder()).build()?;
    let list = || {
        client
            .secrets()
            .list(ListSecrets::new(target.project.as_str(), ENVIRONMENT).path(SMALL_FOLDER))
    };
    let list_times = |n: usize| (0..n).try_for_each(|_| expect_len(&list()?, SMALL_COUNT));
    list_times(20)?;
    let watch = Stopwatch::start();
    list_times(calls)?;
    watch.stop(Measured::new("w6", "sdk", calls), calls).print();
    Ok(())
}

/// W4: `STORM` calls at once right after the server expired the token; the server counts
/// logins. `imp` is `async` or `blocking`.
fn refresh_storm(imp: &str) -> Result<(), BoxError> {
    let (emulator, target) = storm::storm_server();
    let request = || ListSecrets::new(target.project.as_str(), ENVIRONMENT);
    let outcomes: Vec<Result<usize, String>> = match imp {
        "async" => runtime()?.block_on(async {
            let client = builder(&target, infisical::Client::builder()).build()?;
            client.secrets().list(request()).await?;
            emulator.expire_access_tokens();
            emulator.reset_counters();
            let start = Arc::new(tokio::sync::Barrier::new(STORM));
            let tasks: Vec<_> = (0..STORM)
                .map(|_| {
                    let (client, start, request) = (client.clone(), start.clone(), request());
                    tokio::spawn(async move {
                        start.wait().await;
                        client.secrets().list(request).await
                    })
                })
                .collect();
            let mut outcomes = Vec::new();
            for task in tasks {
                outcomes.push(task.await?.map(|l| l.len()).map_err(|e| e.to_string()));
            }
            Ok::<_, BoxError>(outcomes)
        })?,
        "blocking" => {
            let client = builder(&target, infisical::blocking::Client::builder()).build()?;
            client.secrets().list(request())?;
            emulator.expire_access_tokens();
            emulator.reset_counters();
            let start = std::sync::Barrier::new(STORM);
            std::thread::scope(|scope| {
                let threads: Vec<_> = (0..STORM)
                    .map(|_| {
                        scope.spawn(|| {
                            start.wait();
                            client.secrets().list(request())
                        })
                    })
                    .collect();
                threads
                    .into_iter()
                    .map(|t| match t.join() {
                        Ok(result) => result.map(|l| l.len()).map_err(|e| e.to_string()),
                        Err(_) => Err("the thread panicked".to_owned()),
                    })
                    .collect()
            })
        }
        other => return Err(format!("unknown client {other:?}: async or blocking").into()),
    };
    print_storm(imp, &outcomes, emulator.logins(), emulator.renewals());
    Ok(())
}
