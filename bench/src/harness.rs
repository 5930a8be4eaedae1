//! What every client's benchmark program shares: the server it is pointed at, the timed
//! workloads over any [`Lister`], and the `result key=value …` line. Used by
//! `infisical-bench` and, through `#[path]`, by the official SDK's program in
//! `bench/official` (so it depends on no type of this SDK).

use crate::proc::{peak_rss_kib, CpuTime};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The error type of the benchmark programs.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// The environment the benchmarks read.
pub const ENVIRONMENT: &str = "dev";
/// The folder of W1, W2, W5 and W6: 50 secrets.
pub const SMALL_FOLDER: &str = "/";
/// How many secrets [`SMALL_FOLDER`] holds.
pub const SMALL_COUNT: usize = 50;
/// The folder of W3: 10,000 secrets with 100-byte values.
pub const LARGE_FOLDER: &str = "/large";
/// How many secrets [`LARGE_FOLDER`] holds.
pub const LARGE_COUNT: usize = 10_000;
/// The length of each value in [`LARGE_FOLDER`].
pub const LARGE_VALUE_LEN: usize = 100;
/// W2's calls in flight.
pub const IN_FLIGHT: usize = 64;
/// W4's concurrent calls.
pub const STORM: usize = 200;

/// The server and identity the clients use (from `infisical-bench serve`).
pub struct Target {
    /// The server's base URL.
    pub url: String,
    /// The project holding the folders.
    pub project: String,
    /// A universal-auth client id.
    pub client_id: String,
    /// Its client secret.
    pub client_secret: String,
}

impl Target {
    /// Reads `url=… project=… client_id=… client_secret=…`.
    pub fn from_options(options: &HashMap<String, String>) -> Result<Self, BoxError> {
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
}

/// What a list answered, as each implementation holds it.
pub trait Listing {
    /// How many secrets.
    fn len(&self) -> usize;
    /// The first secret's value (W5's, in the `cold-start-*` programs only).
    #[allow(dead_code)]
    fn first_value(&self) -> Option<&str>;
    /// Whether every value has `len` bytes.
    fn values_have_len(&self, len: usize) -> bool;
}

/// One implementation, listing one folder (logged in on first use or when built).
pub trait Lister: Send + Sync + 'static {
    /// Its answer.
    type List: Listing + Send;
    /// Lists the folder once.
    fn list(&self) -> impl Future<Output = Result<Self::List, BoxError>> + Send;
}

/// Runs the timed workload `w1`, `w2` or `w3` with `lister` and prints its result.
pub async fn run<L: Lister>(
    workload: &str,
    imp: &str,
    lister: L,
    calls: Option<usize>,
) -> Result<(), BoxError> {
    match workload {
        "w1" => sequential(imp, lister, calls.unwrap_or(2_000)).await,
        "w2" => concurrent(imp, Arc::new(lister), calls.unwrap_or(10_000)).await,
        "w3" => large(imp, lister, calls.unwrap_or(20)).await,
        other => Err(format!("unknown workload {other:?}").into()),
    }
}

/// The folder a workload lists.
pub fn folder_of(workload: &str) -> &'static str {
    if workload == "w3" {
        LARGE_FOLDER
    } else {
        SMALL_FOLDER
    }
}

/// The `calls=N` option.
pub fn calls(options: &HashMap<String, String>) -> Result<Option<usize>, BoxError> {
    options.get("calls").map(|n| Ok(n.parse()?)).transpose()
}

async fn list_times<L: Lister>(lister: &L, n: usize, expected: usize) -> Result<(), BoxError> {
    for _ in 0..n {
        expect_len(&lister.list().await?, expected)?;
    }
    Ok(())
}

/// W1: one client, calls one after the other.
async fn sequential<L: Lister>(imp: &str, lister: L, calls: usize) -> Result<(), BoxError> {
    list_times(&lister, 20, SMALL_COUNT).await?;
    let watch = Stopwatch::start();
    list_times(&lister, calls, SMALL_COUNT).await?;
    watch.stop(Measured::new("w1", imp, calls), calls).print();
    Ok(())
}

/// W2: `IN_FLIGHT` tasks share one client and take calls from a common counter.
async fn concurrent<L: Lister>(imp: &str, lister: Arc<L>, calls: usize) -> Result<(), BoxError> {
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
async fn large<L: Lister>(imp: &str, lister: L, calls: usize) -> Result<(), BoxError> {
    let list = lister.list().await?;
    expect_len(&list, LARGE_COUNT)?;
    if !list.values_have_len(LARGE_VALUE_LEN) {
        return Err("a large value has the wrong length".into());
    }
    drop(list);
    let watch = Stopwatch::start();
    list_times(&lister, calls, LARGE_COUNT).await?;
    watch.stop(Measured::new("w3", imp, calls), calls).print();
    Ok(())
}

/// The `key=value` arguments of a run.
pub fn options(args: impl IntoIterator<Item = String>) -> HashMap<String, String> {
    args.into_iter()
        .filter_map(|a| a.split_once('=').map(|(k, v)| (k.to_owned(), v.to_owned())))
        .collect()
}

/// CPU and wall time from [`start`](Stopwatch::start) to [`stop`](Stopwatch::stop).
pub struct Stopwatch {
    cpu: CpuTime,
    wall: Instant,
}

impl Stopwatch {
    /// Starts both clocks.
    pub fn start() -> Self {
        Self {
            cpu: CpuTime::now(),
            wall: Instant::now(),
        }
    }

    /// `measured` with the time per call over `calls` calls, and the peak memory so far.
    pub fn stop(self, measured: Measured, calls: usize) -> Measured {
        let wall = self.wall.elapsed();
        measured.timed(calls, CpuTime::now().since(self.cpu), wall)
    }
}

/// What `#[tokio::main]` builds: a worker thread per core.
pub fn runtime() -> Result<tokio::runtime::Runtime, BoxError> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// Fails unless `list` holds `expected` secrets.
pub fn expect_len(list: &impl Listing, expected: usize) -> Result<(), BoxError> {
    if list.len() == expected {
        Ok(())
    } else {
        Err(format!("expected {expected} secrets, got {}", list.len()).into())
    }
}

/// What one run measured, printed as `result key=value …`.
pub struct Measured {
    fields: Vec<(&'static str, String)>,
}

impl Measured {
    /// A result of `workload` by `imp` over `calls` calls.
    pub fn new(workload: &str, imp: &str, calls: usize) -> Self {
        Self {
            fields: vec![
                ("workload", workload.to_owned()),
                ("impl", imp.to_owned()),
                ("calls", calls.to_string()),
            ],
        }
    }

    /// Adds a figure.
    pub fn add(mut self, key: &'static str, value: impl ToString) -> Self {
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

    /// Prints the `result` line.
    pub fn print(self) {
        let mut line = String::from("result");
        for (key, value) in self.fields {
            let _ = write!(line, " {key}={value}");
        }
        println!("{line}");
    }
}

/// W4's result: `STORM` calls right after the server expired the token, `logins` seen by
/// the server, the calls that did not list `SMALL_COUNT` secrets.
pub fn print_storm(imp: &str, outcomes: &[Result<usize, String>], logins: usize, renewals: usize) {
    let failures = outcomes.iter().filter(|o| *o != &Ok(SMALL_COUNT)).count();
    if let Some(Err(first)) = outcomes.iter().find(|o| o.is_err()) {
        eprintln!("w4 {imp}: first failure: {first}");
    }
    Measured::new("w4", imp, STORM)
        .add("logins", logins)
        .add("renewals", renewals)
        .add("failures", failures)
        .print();
}
