//! `cargo xtask bench`: builds `infisical-bench` (release, with line tables) and the
//! official Rust SDK's `infisical-bench-official` (`bench/official`, outside the workspace),
//! starts one emulator process, runs every workload for the SDK, the baseline and the
//! official SDK in processes of their own, several times, and prints the medians with their
//! ratios, the ratios' 95 % confidence intervals (from six runs on; `interval.rs`) and
//! goals. A goal inside its ratio's interval is marked "in noise": met or missed, the runs
//! cannot tell.
//!
//! The clients run in the machine's environment as it is (`SSL_CERT_FILE`, proxies and all,
//! as on most CI images and containers); W5 is also run with those variables removed.
//! W5, a cold start, runs each implementation's own program (`cold-start-sdk`,
//! `cold-start-baseline`, `cold-start-official`), which holds only its client, as a user's
//! program would: the benchmark programs also hold the emulator and the other clients,
//! which spread a client's first call over more pages of code.
//!
//! Options: `--runs N` (default 5), `--only w1,w3,…`, `--callgrind` (adds instruction
//! counts per call, measured with valgrind), `--no-build`.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, ExitCode, Stdio};
use std::time::Instant;

mod interval;
mod order;
mod table;

use order::in_round_order;
use table::*;

const WORKLOADS: &[&str] = &["w1", "w2", "w3", "w4", "w5", "w6"];

/// Variables that would send the clients elsewhere or change their TLS set-up: removed only
/// for the "environment scrubbed" W5 runs (and for callgrind's deterministic counts).
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
        build(
            &cargo,
            &["build", "--profile", "profiling", "-p", "infisical-bench"],
        )?;
        let manifest = official_dir().join("Cargo.toml");
        build(
            &cargo,
            &[
                "build",
                "--release",
                "--manifest-path",
                &manifest.display().to_string(),
            ],
        )?;
    }
    let ours = target_dir().join("profiling");
    let theirs = official_dir().join("target/release");
    let binary = ours.join("infisical-bench");
    let binaries = Binaries {
        ours: binary.clone(),
        official: theirs.join("infisical-bench-official"),
        cold_sdk: ours.join("cold-start-sdk"),
        cold_baseline: ours.join("cold-start-baseline"),
        cold_official: theirs.join("cold-start-official"),
    };
    for program in binaries.all() {
        if !program.exists() {
            return Err(format!(
                "{} is missing (drop --no-build)",
                program.display()
            ));
        }
    }
    let machine = machine_state();
    eprintln!("==> {machine}");
    let mut server = Server::start(&binary)?;
    let mut results = Results::default();
    for round in 0..options.runs {
        for workload in WORKLOADS.iter().copied().filter(|w| options.wants(w)) {
            let impls: Vec<Run> = match workload {
                // References that tell the cost of timing out, and of the stack against
                // decoding, from the rest.
                "w1" => Run::each(&[
                    "sdk",
                    "baseline",
                    "official",
                    "sdk-untimed",
                    "baseline-timeout",
                    "baseline-sdk-decoding",
                ]),
                "w2" => Run::each(&["sdk", "baseline", "official", "baseline-sdk-decoding"]),
                "w4" => Run::each(&["async", "blocking", "official"]),
                "w5" => {
                    let mut runs = Run::each(&["sdk", "baseline", "official"]);
                    runs.extend(["sdk", "baseline"].map(Run::scrubbed));
                    runs
                }
                "w6" => Run::each(&["sdk"]),
                _ => Run::each(&["sdk", "baseline", "official"]),
            };
            for run in in_round_order(impls, round) {
                server.reset()?;
                let fields = run_one(&binaries, workload, &run, &server.target)?;
                eprintln!(
                    "    run {}/{} {workload} {}: {}",
                    round + 1,
                    options.runs,
                    run.label(),
                    summary(&fields)
                );
                results.push(workload, &run.label(), fields);
            }
        }
    }
    let instructions = if options.callgrind {
        Some(callgrind(&binaries.ours, &server.target, &options)?)
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

/// The two benchmark programs.
struct Binaries {
    ours: PathBuf,
    official: PathBuf,
    /// W5's programs, one per implementation, each holding only its client.
    cold_sdk: PathBuf,
    cold_baseline: PathBuf,
    cold_official: PathBuf,
}

impl Binaries {
    fn all(&self) -> [&PathBuf; 5] {
        [
            &self.ours,
            &self.official,
            &self.cold_sdk,
            &self.cold_baseline,
            &self.cold_official,
        ]
    }

    /// The program running `workload` for `imp`: W5's own, or a benchmark program, which
    /// takes `run <workload> <imp>` first.
    fn program(&self, workload: &str, imp: &str) -> &PathBuf {
        match (workload, imp) {
            ("w5", "official") => &self.cold_official,
            ("w5", "baseline") => &self.cold_baseline,
            ("w5", _) => &self.cold_sdk,
            (_, "official") => &self.official,
            _ => &self.ours,
        }
    }
}

/// One implementation's run: which, and in which environment.
struct Run {
    imp: &'static str,
    scrubbed: bool,
}

impl Run {
    fn each(imps: &[&'static str]) -> Vec<Run> {
        imps.iter()
            .map(|imp| Run {
                imp,
                scrubbed: false,
            })
            .collect()
    }

    fn scrubbed(imp: &'static str) -> Run {
        Run {
            imp,
            scrubbed: true,
        }
    }

    /// Its name in the results: the implementation, `… scrubbed` without the variables.
    fn label(&self) -> String {
        if self.scrubbed {
            format!("{} scrubbed", self.imp)
        } else {
            self.imp.to_owned()
        }
    }
}

fn client_command(binaries: &Binaries, workload: &str, run: &Run, target: &[String]) -> Command {
    let mut command = Command::new(binaries.program(workload, run.imp));
    if workload != "w5" {
        command.args(["run", workload, run.imp]);
    }
    if workload != "w4" {
        command.args(target);
    }
    if run.scrubbed {
        scrub(&mut command);
    }
    command
}

/// `bench/official`: the official SDK's benchmark program, outside the workspace.
fn official_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(
        || PathBuf::from("bench/official"),
        |root| root.join("bench/official"),
    )
}

/// Runs `cargo args…` as a build, without what `cargo run` set for this program (which
/// would make build scripts, ring's, run again).
fn build(cargo: &str, args: &[&str]) -> Result<(), String> {
    eprintln!("==> building: cargo {}", args.join(" "));
    let mut build = Command::new(cargo);
    build.args(args);
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
    if status.success() {
        Ok(())
    } else {
        Err(format!("the build failed ({status})"))
    }
}

fn scrub(command: &mut Command) {
    for name in SCRUBBED_ENV {
        command.env_remove(name);
    }
}

/// Runs one workload in its own process; W5 is timed here, from spawn to the first value.
fn run_one(
    binaries: &Binaries,
    workload: &str,
    run: &Run,
    target: &[String],
) -> Result<Fields, String> {
    let imp = run.label();
    let started = Instant::now();
    let mut child = client_command(binaries, workload, run, target)
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
            official: "—".to_owned(),
            vs_official: "—".to_owned(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn w5_runs_each_implementation_in_a_program_holding_only_its_client() {
        let path = PathBuf::from;
        let binaries = Binaries {
            ours: path("infisical-bench"),
            official: path("infisical-bench-official"),
            cold_sdk: path("cold-start-sdk"),
            cold_baseline: path("cold-start-baseline"),
            cold_official: path("cold-start-official"),
        };
        let program = |workload, imp| binaries.program(workload, imp).clone();
        assert_eq!(program("w5", "sdk"), path("cold-start-sdk"));
        assert_eq!(program("w5", "baseline"), path("cold-start-baseline"));
        assert_eq!(program("w5", "official"), path("cold-start-official"));
        assert_eq!(program("w1", "sdk"), path("infisical-bench"));
        assert_eq!(program("w2", "baseline"), path("infisical-bench"));
        assert_eq!(program("w3", "official"), path("infisical-bench-official"));
        let args = |workload| {
            let command = client_command(
                &binaries,
                workload,
                &Run::each(&["sdk"]).remove(0),
                &["url=u".to_owned()],
            );
            command
                .get_args()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(args("w5"), ["url=u"]);
        assert_eq!(args("w1"), ["run", "w1", "sdk", "url=u"]);
    }
}
