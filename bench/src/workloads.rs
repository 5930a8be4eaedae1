//! The workloads, each for the SDK and for the baseline.

use crate::baseline::Baseline;
use crate::proc::{peak_rss_kib, CpuTime};
use crate::{
    BoxError, ENVIRONMENT, LARGE_COUNT, LARGE_FOLDER, LARGE_VALUE_LEN, SMALL_COUNT, SMALL_FOLDER,
};
use http::Uri;
use infisical::credentials::UniversalAuth;
use infisical::secrets::{ListSecrets, SecretList};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::runtime::Runtime;

/// W2's calls in flight.
const IN_FLIGHT: usize = 64;
/// W4's concurrent calls.
const STORM: usize = 200;

/// The server and identity the clients use (from `infisical-bench serve`).
struct Target {
    url: String,
    project: String,
    client_id: String,
    client_secret: String,
}

impl Target {
    fn from_options(options: &HashMap<String, String>) -> Result<Self, BoxError> {
        let get = |key: &str| {
            options
                .get(key)
                .cloned()
                .ok_or_else(|| BoxError::from(format!("missing {key}=…")))
        };
        Ok(Self {
            url: get("url")?,
            project: get("project")?,
            client_id: get("client_id")?,
            client_secret: get("client_secret")?,
        })
    }

    fn sdk(&self) -> Result<infisical::Client, BoxError> {
        Ok(infisical::Client::builder()
            .base_url(&self.url)
            .credentials(UniversalAuth::new(
                &self.client_id,
                self.client_secret.as_str(),
            ))
            .build()?)
    }

    /// The SDK with neither a per-attempt timeout nor a deadline: no timer at all, to tell
    /// the cost of timing out from the rest.
    fn untimed_sdk(&self) -> Result<infisical::Client, BoxError> {
        Ok(infisical::Client::builder()
            .base_url(&self.url)
            .credentials(UniversalAuth::new(
                &self.client_id,
                self.client_secret.as_str(),
            ))
            .timeout(Duration::MAX)
            .deadline(None)
            .build()?)
    }

    fn blocking_sdk(&self) -> Result<infisical::blocking::Client, BoxError> {
        Ok(infisical::blocking::Client::builder()
            .base_url(&self.url)
            .credentials(UniversalAuth::new(
                &self.client_id,
                self.client_secret.as_str(),
            ))
            .build()?)
    }
}

/// One implementation, listing one folder.
enum Lister {
    Sdk {
        client: infisical::Client,
        project: String,
        folder: &'static str,
    },
    Baseline {
        client: Box<Baseline>,
        uri: Uri,
        /// Only to decode the answers (see [`Baseline::list`]).
        decode: ListSecrets,
    },
}

impl Lister {
    /// Builds the client and logs in (the baseline logs in here; the SDK on first use).
    async fn new(imp: &str, target: &Target, folder: &'static str) -> Result<Self, BoxError> {
        match imp {
            "sdk" | "sdk-untimed" => Ok(Lister::Sdk {
                client: if imp == "sdk" {
                    target.sdk()?
                } else {
                    target.untimed_sdk()?
                },
                project: target.project.clone(),
                folder,
            }),
            "baseline" | "baseline-timeout" => {
                // `baseline-timeout`: the same with a 30 s tokio timeout around each
                // exchange, the limit for a client that has a timeout at all.
                let timeout = (imp == "baseline-timeout").then_some(Duration::from_secs(30));
                let mut client = Baseline::new(&target.url, timeout)?;
                client
                    .login(&target.client_id, &target.client_secret)
                    .await?;
                let uri = client.list_uri(&target.project, folder)?;
                Ok(Lister::Baseline {
                    client: Box::new(client),
                    uri,
                    decode: ListSecrets::new(target.project.as_str(), ENVIRONMENT).path(folder),
                })
            }
            other => Err(format!(
                "unknown implementation {other:?}: sdk, sdk-untimed, baseline or baseline-timeout"
            )
            .into()),
        }
    }

    async fn list(&self) -> Result<SecretList, BoxError> {
        match self {
            Lister::Sdk {
                client,
                project,
                folder,
            } => Ok(client
                .secrets()
                .list(ListSecrets::new(project.as_str(), ENVIRONMENT).path(folder))
                .await?),
            Lister::Baseline {
                client,
                uri,
                decode,
            } => client.list(uri, decode).await,
        }
    }
}

impl Lister {
    /// Lists `n` times, checking each answer holds `expected` secrets.
    async fn list_times(&self, n: usize, expected: usize) -> Result<(), BoxError> {
        for _ in 0..n {
            expect_len(&self.list().await?, expected)?;
        }
        Ok(())
    }
}

/// CPU and wall time from [`start`](Stopwatch::start) to [`stop`](Stopwatch::stop).
struct Stopwatch {
    cpu: CpuTime,
    wall: Instant,
}

impl Stopwatch {
    fn start() -> Self {
        Self {
            cpu: CpuTime::now(),
            wall: Instant::now(),
        }
    }

    /// `measured` with the time per call over `calls` calls, and the peak memory so far.
    fn stop(self, measured: Measured, calls: usize) -> Measured {
        let wall = self.wall.elapsed();
        measured.timed(calls, CpuTime::now().since(self.cpu), wall)
    }
}

fn runtime() -> Result<Runtime, BoxError> {
    // What `#[tokio::main]` builds: a worker thread per core.
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn expect_len(list: &SecretList, expected: usize) -> Result<(), BoxError> {
    if list.len() == expected {
        Ok(())
    } else {
        Err(format!("expected {expected} secrets, got {}", list.len()).into())
    }
}

/// What one run measured, printed as `result key=value …`.
struct Measured {
    fields: Vec<(&'static str, String)>,
}

impl Measured {
    fn new(workload: &str, imp: &str, calls: usize) -> Self {
        Self {
            fields: vec![
                ("workload", workload.to_owned()),
                ("impl", imp.to_owned()),
                ("calls", calls.to_string()),
            ],
        }
    }

    fn add(mut self, key: &'static str, value: impl ToString) -> Self {
        self.fields.push((key, value.to_string()));
        self
    }

    /// CPU and wall time per call over `calls` calls, and the peak memory so far.
    fn timed(self, calls: usize, cpu: u64, wall: Duration) -> Self {
        let calls = calls.max(1) as u64;
        self.add("cpu_ns_per_call", cpu / calls)
            .add("wall_ns_per_call", wall.as_nanos() as u64 / calls)
            .add("peak_rss_kib", peak_rss_kib())
    }

    fn print(self) {
        let mut line = String::from("result");
        for (key, value) in self.fields {
            let _ = write!(line, " {key}={value}");
        }
        println!("{line}");
    }
}

/// Runs `workload` with `imp` and prints its `result` line.
pub fn run(workload: &str, imp: &str, options: &HashMap<String, String>) -> Result<(), BoxError> {
    let calls = |default: usize| -> Result<usize, BoxError> {
        match options.get("calls") {
            Some(n) => Ok(n.parse()?),
            None => Ok(default),
        }
    };
    if workload == "w4" {
        return refresh_storm(imp);
    }
    let target = Target::from_options(options)?;
    match workload {
        "w1" => runtime()?.block_on(sequential(workload, imp, &target, calls(2_000)?)),
        "w2" => runtime()?.block_on(concurrent(imp, &target, calls(10_000)?)),
        "w3" => runtime()?.block_on(large(imp, &target, calls(20)?)),
        "w5" => runtime()?.block_on(cold_start(imp, &target)),
        "w6" if imp == "sdk" => blocking_sequential(&target, calls(2_000)?),
        "w6" => Err("w6 is the SDK's blocking client: `run w6 sdk`".into()),
        other => Err(format!("unknown workload {other:?}").into()),
    }
}

/// W1: one client, calls one after the other.
async fn sequential(
    workload: &str,
    imp: &str,
    target: &Target,
    calls: usize,
) -> Result<(), BoxError> {
    let lister = Lister::new(imp, target, SMALL_FOLDER).await?;
    lister.list_times(20, SMALL_COUNT).await?;
    let watch = Stopwatch::start();
    lister.list_times(calls, SMALL_COUNT).await?;
    watch
        .stop(Measured::new(workload, imp, calls), calls)
        .print();
    Ok(())
}

/// W2: `IN_FLIGHT` tasks share one client and take calls from a common counter.
async fn concurrent(imp: &str, target: &Target, calls: usize) -> Result<(), BoxError> {
    let lister = Arc::new(Lister::new(imp, target, SMALL_FOLDER).await?);
    // Warm up: log in and open the connections.
    let warm: Vec<_> = (0..IN_FLIGHT)
        .map(|_| {
            let lister = lister.clone();
            tokio::spawn(async move { lister.list().await.map(|l| l.len()) })
        })
        .collect();
    for task in warm {
        task.await??;
    }
    let next = Arc::new(AtomicUsize::new(0));
    let watch = Stopwatch::start();
    let workers: Vec<_> = (0..IN_FLIGHT)
        .map(|_| {
            let lister = lister.clone();
            let next = next.clone();
            tokio::spawn(async move {
                while next.fetch_add(1, Ordering::Relaxed) < calls {
                    expect_len(&lister.list().await?, SMALL_COUNT)?;
                }
                Ok::<_, BoxError>(())
            })
        })
        .collect();
    for worker in workers {
        worker.await??;
    }
    let wall = watch.wall.elapsed();
    let measured = Measured::new("w2", imp, calls)
        .add("calls_per_sec", (calls as f64 / wall.as_secs_f64()) as u64);
    watch.stop(measured, calls).print();
    Ok(())
}

/// W3: one folder of `LARGE_COUNT` secrets, listed `calls` times.
async fn large(imp: &str, target: &Target, calls: usize) -> Result<(), BoxError> {
    let lister = Lister::new(imp, target, LARGE_FOLDER).await?;
    let list = lister.list().await?;
    expect_len(&list, LARGE_COUNT)?;
    if list
        .secrets
        .iter()
        .any(|s| s.value().map_or(true, |v| v.len() != LARGE_VALUE_LEN))
    {
        return Err("a large value has the wrong length".into());
    }
    drop(list);
    let watch = Stopwatch::start();
    lister.list_times(calls, LARGE_COUNT).await?;
    watch.stop(Measured::new("w3", imp, calls), calls).print();
    Ok(())
}

/// W5: from nothing to the first secret's value on standard output (the parent times it).
async fn cold_start(imp: &str, target: &Target) -> Result<(), BoxError> {
    let lister = Lister::new(imp, target, SMALL_FOLDER).await?;
    let list = lister.list().await?;
    let first = list.secrets.first().ok_or("the folder is empty")?;
    println!("value={}", first.value()?);
    Measured::new("w5", imp, 1)
        .add("peak_rss_kib", peak_rss_kib())
        .print();
    Ok(())
}

/// W6: W1 through the blocking client.
fn blocking_sequential(target: &Target, calls: usize) -> Result<(), BoxError> {
    let client = target.blocking_sdk()?;
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
    let emulator = infisical_emulator::Emulator::start();
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
    let request = || ListSecrets::new(target.project.as_str(), ENVIRONMENT);
    let outcomes: Vec<Result<usize, String>> = match imp {
        "async" => runtime()?.block_on(async {
            let client = target.sdk()?;
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
            let client = target.blocking_sdk()?;
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
    let failures = outcomes.iter().filter(|o| *o != &Ok(SMALL_COUNT)).count();
    if let Some(Err(first)) = outcomes.iter().find(|o| o.is_err()) {
        eprintln!("w4 {imp}: first failure: {first}");
    }
    Measured::new("w4", imp, STORM)
        .add("logins", emulator.logins())
        .add("renewals", emulator.renewals())
        .add("failures", failures)
        .print();
    Ok(())
}
