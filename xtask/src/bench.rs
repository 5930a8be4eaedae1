//! `cargo xtask bench`: builds `infisical-bench` (release, with line tables), starts one
//! emulator process, runs every workload for the SDK and the baseline in processes of
//! their own, several times, and prints the medians with their ratios and goals.
//!
//! Options: `--runs N` (default 5), `--only w1,w3,…`, `--callgrind` (adds instruction
//! counts per call, measured with valgrind), `--no-build`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::time::Instant;

const WORKLOADS: &[&str] = &["w1", "w2", "w3", "w4", "w5", "w6"];

/// Variables that would send the clients elsewhere or change their TLS set-up.
const SCRUBBED_ENV: &[&str] = &[
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
    "no_proxy",
    "SSL_CERT_FILE",
    "INFISICAL_CA_CERT",
    "RUST_LOG",
];

struct Options {
    runs: usize,
    only: Vec<String>,
    callgrind: bool,
    build: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Self, String> {
        let mut options = Options {
            runs: 5,
            only: WORKLOADS.iter().map(|w| (*w).to_owned()).collect(),
            callgrind: false,
            build: true,
        };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--runs" => {
                    options.runs = args
                        .next()
                        .and_then(|n| n.parse().ok())
                        .filter(|n| *n > 0)
                        .ok_or("--runs takes a positive number")?;
                }
                "--only" => {
                    let list = args.next().ok_or("--only takes a list such as w1,w3")?;
                    options.only = list.split(',').map(|w| w.trim().to_lowercase()).collect();
                    if let Some(bad) = options
                        .only
                        .iter()
                        .find(|w| !WORKLOADS.contains(&w.as_str()))
                    {
                        return Err(format!("unknown workload {bad:?} (w1 … w6)"));
                    }
                }
                "--callgrind" => options.callgrind = true,
                "--no-build" => options.build = false,
                other => return Err(format!("unknown option {other:?}")),
            }
        }
        Ok(options)
    }

    fn wants(&self, workload: &str) -> bool {
        self.only.iter().any(|w| w == workload)
    }
}

/// Runs the benchmarks and prints the table.
pub fn main(args: &[String]) -> ExitCode {
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("==> bench failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<(), String> {
    let options = Options::parse(args)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    if options.build {
        eprintln!("==> building: cargo build --profile profiling -p infisical-bench");
        let mut build = Command::new(&cargo);
        build.args(["build", "--profile", "profiling", "-p", "infisical-bench"]);
        // What `cargo run` set for this program would make build scripts (ring's) rerun.
        for (name, _) in std::env::vars_os() {
            let name = name.to_string_lossy();
            if [
                "CARGO_PKG_",
                "CARGO_MANIFEST_",
                "CARGO_CRATE_",
                "CARGO_BIN_",
            ]
            .iter()
            .any(|prefix| name.starts_with(prefix))
                || name == "CARGO_PRIMARY_PACKAGE"
            {
                build.env_remove(name.as_ref());
            }
        }
        let status = build
            .status()
            .map_err(|e| format!("cannot run cargo: {e}"))?;
        if !status.success() {
            return Err(format!("the build failed ({status})"));
        }
    }
    let binary = target_dir().join("profiling").join("infisical-bench");
    if !binary.exists() {
        return Err(format!("{} is missing (drop --no-build)", binary.display()));
    }
    let machine = machine_state();
    eprintln!("==> {machine}");
    let mut server = Server::start(&binary)?;
    let mut results = Results::default();
    for round in 0..options.runs {
        for workload in WORKLOADS.iter().copied().filter(|w| options.wants(w)) {
            let mut impls: Vec<&str> = match workload {
                // Two references that tell the cost of timing out from the rest.
                "w1" => vec!["sdk", "baseline", "sdk-untimed", "baseline-timeout"],
                "w4" => vec!["async", "blocking"],
                "w6" => vec!["sdk"],
                _ => vec!["sdk", "baseline"],
            };
            if round % 2 == 1 {
                impls.reverse();
            }
            for imp in impls {
                server.reset()?;
                let fields = run_one(&binary, workload, imp, &server.target)?;
                eprintln!(
                    "    run {}/{} {workload} {imp}: {}",
                    round + 1,
                    options.runs,
                    summary(&fields)
                );
                results.push(workload, imp, fields);
            }
        }
    }
    let instructions = if options.callgrind {
        Some(callgrind(&binary, &server.target, &options)?)
    } else {
        None
    };
    drop(server);
    println!();
    println!("{machine}; {} runs each, medians", options.runs);
    print_table(&results, &options);
    if let Some(rows) = instructions {
        println!();
        println!(
            "instructions per call (valgrind --tool=callgrind; deterministic, immune to noise):"
        );
        print_rows(&rows);
    }
    Ok(())
}

/// The workspace's target directory.
fn target_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map_or_else(|| PathBuf::from("target"), |root| root.join("target"))
}

/// Cores, load and any fuzzer running: the noise the figures were taken in.
fn machine_state() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned());
    let fuzzing = Command::new("pgrep")
        .args(["-f", "cargo-fuzz|fuzz/target"])
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    format!(
        "{cores} cores, load average {load}, {}",
        if fuzzing {
            "a fuzzer running"
        } else {
            "no fuzzer running"
        }
    )
}

/// `infisical-bench serve`: the emulator every client process talks to.
struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    /// `url=… project=… client_id=… client_secret=…`, passed on to the clients.
    target: Vec<String>,
}

impl Server {
    fn start(binary: &Path) -> Result<Self, String> {
        let mut child = Command::new(binary)
            .arg("serve")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start the emulator: {e}"))?;
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the emulator's address: {e}"))?;
        let target: Vec<String> = line
            .strip_prefix("ready ")
            .ok_or_else(|| format!("the emulator did not start: {line:?}"))?
            .split_whitespace()
            .map(str::to_owned)
            .collect();
        Ok(Self {
            child,
            stdin,
            target,
        })
    }

    /// Clears the server's request log, so that every run finds the server in one state.
    fn reset(&mut self) -> Result<(), String> {
        let stdin = self.stdin.as_mut().ok_or("the emulator is gone")?;
        writeln!(stdin, "reset").map_err(|e| format!("the emulator is gone: {e}"))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // Closing its standard input stops it.
        self.stdin.take();
        let _ = self.child.wait();
    }
}

type Fields = BTreeMap<String, f64>;

fn client_command(binary: &Path, workload: &str, imp: &str, target: &[String]) -> Command {
    let mut command = Command::new(binary);
    command.args(["run", workload, imp]).args(target);
    scrub(&mut command);
    command
}

fn scrub(command: &mut Command) {
    for name in SCRUBBED_ENV {
        command.env_remove(name);
    }
}

/// Runs one workload in its own process; W5 is timed here, from spawn to the first value.
fn run_one(binary: &Path, workload: &str, imp: &str, target: &[String]) -> Result<Fields, String> {
    let started = Instant::now();
    let mut child = client_command(binary, workload, imp, target)
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {workload} {imp}: {e}"))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut fields = Fields::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| format!("{workload} {imp}: {e}"))?;
        if line.starts_with("value=") && !fields.contains_key("first_value_ns") {
            fields.insert(
                "first_value_ns".to_owned(),
                started.elapsed().as_nanos() as f64,
            );
        } else if let Some(rest) = line.strip_prefix("result ") {
            for (key, value) in rest.split_whitespace().filter_map(|kv| kv.split_once('=')) {
                if let Ok(number) = value.parse::<f64>() {
                    fields.insert(key.to_owned(), number);
                }
            }
        }
    }
    let status = child.wait().map_err(|e| format!("{workload} {imp}: {e}"))?;
    if !status.success() || !fields.contains_key("calls") {
        return Err(format!("{workload} {imp} failed ({status})"));
    }
    Ok(fields)
}

fn summary(fields: &Fields) -> String {
    let shown = [
        ("cpu_ns_per_call", "CPU µs/call", 1e-3),
        ("calls_per_sec", "calls/s", 1.0),
        ("wall_ns_per_call", "wall µs/call", 1e-3),
        ("peak_rss_kib", "peak MiB", 1.0 / 1024.0),
        ("first_value_ns", "first value ms", 1e-6),
        ("logins", "logins", 1.0),
        ("failures", "failed", 1.0),
    ];
    shown
        .iter()
        .filter_map(|(key, label, scale)| {
            fields
                .get(*key)
                .map(|v| format!("{label} {}", fmt(v * scale)))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Every run's fields, by workload and implementation, in run order.
#[derive(Default)]
struct Results(BTreeMap<(String, String), Vec<Fields>>);

impl Results {
    fn push(&mut self, workload: &str, imp: &str, fields: Fields) {
        self.0
            .entry((workload.to_owned(), imp.to_owned()))
            .or_default()
            .push(fields);
    }

    fn values(&self, workload: &str, imp: &str, key: &str) -> Vec<f64> {
        self.0
            .get(&(workload.to_owned(), imp.to_owned()))
            .map(|runs| runs.iter().filter_map(|f| f.get(key).copied()).collect())
            .unwrap_or_default()
    }
}

fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let mid = sorted.len() / 2;
    Some(if sorted.len() % 2 == 0 {
        (sorted[mid - 1] + sorted[mid]) / 2.0
    } else {
        sorted[mid]
    })
}

/// (max − min) / median, as a percentage: how noisy a figure was.
fn spread(values: &[f64]) -> Option<f64> {
    let med = median(values)?;
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    let min = values.iter().copied().fold(f64::MAX, f64::min);
    (med > 0.0).then(|| (max - min) / med * 100.0)
}

/// Which way a figure should go relative to its reference.
#[derive(Clone, Copy)]
enum Goal {
    AtMost(f64),
    AtLeast(f64),
    None,
}

/// One line of a table.
struct Row {
    name: String,
    metric: String,
    ours: String,
    reference: String,
    ratio: String,
    goal: String,
    met: String,
}

/// A figure of one implementation against the same figure of a reference. Runs are paired
/// by order: the ratio is the median of the per-run ratios, which cancels drift in the
/// machine's load.
fn compare(results: &Results, figure: &Figure) -> Row {
    let (name, metric, key, scale, (workload, imp), (ref_workload, ref_imp), goal) = *figure;
    let ours = results.values(workload, imp, key);
    let theirs = results.values(ref_workload, ref_imp, key);
    let ratios: Vec<f64> = ours
        .iter()
        .zip(&theirs)
        .filter(|(_, t)| **t > 0.0)
        .map(|(o, t)| o / t)
        .collect();
    let ratio = median(&ratios);
    let with_spread = |values: &[f64]| match (median(values), spread(values)) {
        (Some(m), Some(s)) => format!("{} ±{:.0}%", fmt(m * scale), s / 2.0),
        (Some(m), None) => fmt(m * scale),
        _ => "—".to_owned(),
    };
    let (goal, met) = match goal {
        Goal::AtMost(limit) => (
            format!("≤ {limit:.2}×"),
            ratio.map_or("—".to_owned(), |r| yes_no(r <= limit)),
        ),
        Goal::AtLeast(limit) => (
            format!("≥ {limit:.2}×"),
            ratio.map_or("—".to_owned(), |r| yes_no(r >= limit)),
        ),
        Goal::None => ("(report)".to_owned(), "—".to_owned()),
    };
    Row {
        name: name.to_owned(),
        metric: metric.to_owned(),
        ours: with_spread(&ours),
        reference: with_spread(&theirs),
        ratio: ratio.map_or_else(|| "—".to_owned(), |r| format!("{r:.3}×")),
        goal,
        met,
    }
}

fn yes_no(ok: bool) -> String {
    if ok { "yes" } else { "NO" }.to_owned()
}

fn fmt(value: f64) -> String {
    if value >= 1000.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// One compared figure of the table: name, metric, result key, scale for display, the
/// measured (workload, implementation), its reference, and the goal for the ratio.
type Figure = (
    &'static str,
    &'static str,
    &'static str,
    f64,
    (&'static str, &'static str),
    (&'static str, &'static str),
    Goal,
);

const US: f64 = 1e-3;
const MS: f64 = 1e-6;
const W1: (&str, &str) = ("w1", "sdk");
const W1_BASE: (&str, &str) = ("w1", "baseline");

/// The table's comparisons, in order (W4 has rows of its own).
#[rustfmt::skip]
const FIGURES: &[Figure] = &[
    ("W1 sequential, 2000 × list(50)", "CPU µs/call", "cpu_ns_per_call", US, W1, W1_BASE, Goal::AtMost(1.05)),
    ("", "wall µs/call", "wall_ns_per_call", US, W1, W1_BASE, Goal::None),
    ("  SDK without timeout or deadline", "CPU µs/call", "cpu_ns_per_call", US, ("w1", "sdk-untimed"), W1_BASE, Goal::None),
    ("  baseline with a 30 s timeout", "CPU µs/call", "cpu_ns_per_call", US, ("w1", "baseline-timeout"), W1_BASE, Goal::None),
    ("W2 concurrent, 64 in flight, 10000", "calls/s", "calls_per_sec", 1.0, ("w2", "sdk"), ("w2", "baseline"), Goal::AtLeast(0.95)),
    ("", "CPU µs/call", "cpu_ns_per_call", US, ("w2", "sdk"), ("w2", "baseline"), Goal::None),
    ("W3 large, 20 × list(10000 × 100 B)", "ms/call", "wall_ns_per_call", MS, ("w3", "sdk"), ("w3", "baseline"), Goal::AtMost(1.05)),
    ("", "peak RSS MiB", "peak_rss_kib", 1.0 / 1024.0, ("w3", "sdk"), ("w3", "baseline"), Goal::AtMost(1.05)),
    ("", "CPU ms/call", "cpu_ns_per_call", MS, ("w3", "sdk"), ("w3", "baseline"), Goal::None),
    ("W5 cold start", "ms to first value", "first_value_ns", MS, ("w5", "sdk"), ("w5", "baseline"), Goal::AtMost(1.2)),
    ("W6 blocking W1 (ref: async SDK)", "CPU µs/call", "cpu_ns_per_call", US, ("w6", "sdk"), W1, Goal::None),
    ("", "wall µs/call", "wall_ns_per_call", US, ("w6", "sdk"), W1, Goal::None),
];

fn print_table(results: &Results, options: &Options) {
    let mut rows = Vec::new();
    for figure in FIGURES {
        let (ours, reference) = (figure.4, figure.5);
        if !options.wants(ours.0) || !options.wants(reference.0) {
            continue;
        }
        if ours.0 == "w5" && options.wants("w4") {
            for imp in ["async", "blocking"] {
                rows.push(storm_row(results, imp));
            }
        }
        let mut row = compare(results, figure);
        if ours.0 != reference.0 {
            row.ratio.push_str(" of async");
        }
        rows.push(row);
    }
    if options.wants("w4") && !options.wants("w5") {
        for imp in ["async", "blocking"] {
            rows.push(storm_row(results, imp));
        }
    }
    print_rows(&rows);
}

/// W4: every run must see exactly one login and no failed call.
fn storm_row(results: &Results, imp: &str) -> Row {
    let logins = results.values("w4", imp, "logins");
    let failures = results.values("w4", imp, "failures");
    let runs = logins.len();
    let good = logins
        .iter()
        .zip(&failures)
        .filter(|(l, f)| **l == 1.0 && **f == 0.0)
        .count();
    let range = |v: &[f64]| {
        let max = v.iter().copied().fold(0.0, f64::max);
        let min = v.iter().copied().fold(f64::MAX, f64::min);
        if runs == 0 {
            "—".to_owned()
        } else if min == max {
            format!("{max}")
        } else {
            format!("{min}–{max}")
        }
    };
    Row {
        name: format!("W4 refresh storm, 200 calls ({imp})"),
        metric: "logins / failed calls".to_owned(),
        ours: format!("{} / {}", range(&logins), range(&failures)),
        reference: "—".to_owned(),
        ratio: format!("{good} of {runs} runs"),
        goal: "1 / 0 every run".to_owned(),
        met: yes_no(runs > 0 && good == runs),
    }
}

fn print_rows(rows: &[Row]) {
    let header = Row {
        name: "workload".to_owned(),
        metric: "figure".to_owned(),
        ours: "SDK".to_owned(),
        reference: "baseline".to_owned(),
        ratio: "ratio".to_owned(),
        goal: "goal".to_owned(),
        met: "met".to_owned(),
    };
    let cells = |r: &Row| {
        [
            r.name.clone(),
            r.metric.clone(),
            r.ours.clone(),
            r.reference.clone(),
            r.ratio.clone(),
            r.goal.clone(),
            r.met.clone(),
        ]
    };
    let all: Vec<[String; 7]> = std::iter::once(&header).chain(rows).map(cells).collect();
    let widths: Vec<usize> = (0..7)
        .map(|i| all.iter().map(|c| c[i].chars().count()).max().unwrap_or(0))
        .collect();
    for (n, row) in all.iter().enumerate() {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        println!("| {} |", line.join(" | "));
        if n == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            println!("|-{}-|", rule.join("-|-"));
        }
    }
}

/// Instructions per call, from two callgrind runs with different call counts (the
/// difference cancels start-up, login and warm-up).
fn callgrind(binary: &Path, target: &[String], options: &Options) -> Result<Vec<Row>, String> {
    let available = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !available {
        return Err("--callgrind needs valgrind (apt-get install valgrind)".to_owned());
    }
    let out_dir = target_dir().join("bench");
    std::fs::create_dir_all(&out_dir).map_err(|e| e.to_string())?;
    let per_call = |workload: &str, imp: &str, (low, high): (u64, u64)| {
        let mut counts = Vec::new();
        for calls in [low, high] {
            let out = out_dir.join(format!("callgrind.{workload}.{imp}.{calls}.out"));
            eprintln!(
                "    callgrind {workload} {imp} calls={calls} → {}",
                out.display()
            );
            let mut command = Command::new("valgrind");
            command
                .args(["--tool=callgrind", "--fair-sched=yes"])
                .arg(format!("--callgrind-out-file={}", out.display()))
                .arg(binary)
                .args(["run", workload, imp])
                .args(target)
                .arg(format!("calls={calls}"));
            scrub(&mut command);
            let output = command
                .output()
                .map_err(|e| format!("cannot run valgrind: {e}"))?;
            let stderr = String::from_utf8_lossy(&output.stderr);
            let collected = stderr
                .lines()
                .find_map(|l| l.split("Collected :").nth(1))
                .and_then(|n| n.trim().parse::<u64>().ok())
                .ok_or_else(|| format!("callgrind {workload} {imp} failed: {stderr}"))?;
            counts.push(collected);
        }
        Ok::<f64, String>((counts[1] as f64 - counts[0] as f64) / (high - low) as f64)
    };
    let mut rows = Vec::new();
    let mut pair = |name: &str, workload: &str, reference: (&str, &str), calls: (u64, u64)| {
        let ours = per_call(workload, "sdk", calls)?;
        let theirs = per_call(reference.0, reference.1, calls)?;
        rows.push(Row {
            name: name.to_owned(),
            metric: "instructions/call".to_owned(),
            ours: fmt(ours),
            reference: fmt(theirs),
            ratio: format!("{:.3}×", ours / theirs),
            goal: "—".to_owned(),
            met: "—".to_owned(),
        });
        Ok::<(), String>(())
    };
    if options.wants("w1") {
        pair(
            "W1 sequential, list(50)",
            "w1",
            ("w1", "baseline"),
            (100, 600),
        )?;
    }
    if options.wants("w3") {
        pair(
            "W3 large, list(10000 × 100 B)",
            "w3",
            ("w3", "baseline"),
            (1, 4),
        )?;
    }
    if options.wants("w6") {
        pair(
            "W6 blocking (ref: async SDK)",
            "w6",
            ("w1", "sdk"),
            (100, 600),
        )?;
    }
    Ok(rows)
}
