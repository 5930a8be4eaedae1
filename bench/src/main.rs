//! The SDK's benchmarks: one workload, one implementation, one process — so that CPU time,
//! peak memory and start-up are each process's own. `cargo xtask bench` runs them all,
//! several times, and prints the table; see `docs/performance.md`.
//!
//! ```text
//! infisical-bench serve
//!     starts an emulator seeded with the benchmark data (in this process, so the clients'
//!     processes measure only themselves) and prints one line:
//!     `ready url=… project=… client_id=… client_secret=…`; then reads commands from
//!     standard input (`reset`: clear the request log) and exits when it closes.
//! infisical-bench run <w1|w2|w3|w6> <sdk|baseline> url=… project=… client_id=… client_secret=… [calls=N]
//!     runs one workload against that server and prints `result key=value …`
//!     (w6 is the blocking client; W5, a cold start, is the `cold-start-*` programs').
//!     Two more implementations isolate the cost of timing out: `sdk-untimed` (the SDK
//!     with no per-attempt timeout and no deadline) and `baseline-timeout` (the baseline
//!     with a 30 s tokio timeout around each exchange).
//! infisical-bench run w4 <async|blocking>
//!     the refresh storm, against an emulator of its own.
//! ```

mod baseline;
mod harness;
mod proc;
mod sdk;
mod storm;
mod workloads;

use harness::{
    BoxError, ENVIRONMENT, LARGE_COUNT, LARGE_FOLDER, LARGE_VALUE_LEN, SMALL_COUNT, SMALL_FOLDER,
};
use std::io::BufRead;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve(),
        Some("run") if args.len() >= 3 => {
            let options = harness::options(args[3..].iter().cloned());
            workloads::run(&args[1], &args[2], &options)
        }
        _ => Err("usage: infisical-bench serve | infisical-bench run <workload> <impl> [key=value…] (see the module docs)".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("infisical-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Seeds `emulator` with the benchmark data; returns the project id and universal-auth
/// credentials.
pub fn seed(emulator: &infisical_emulator::Emulator) -> (String, String, String) {
    let project = emulator.create_project("bench");
    for i in 0..SMALL_COUNT {
        let value = format!("value-{i:02}-{}", "s".repeat(22));
        emulator.set_secret(
            &project,
            ENVIRONMENT,
            SMALL_FOLDER,
            &format!("SECRET_{i:02}"),
            &value,
        );
    }
    for i in 0..LARGE_COUNT {
        let value = format!("{i:05}{}", "v".repeat(LARGE_VALUE_LEN - 5));
        emulator.set_secret(
            &project,
            ENVIRONMENT,
            LARGE_FOLDER,
            &format!("LARGE_{i:05}"),
            &value,
        );
    }
    let (client_id, client_secret) = emulator.create_universal_auth_identity();
    (project, client_id, client_secret)
}

fn serve() -> Result<(), BoxError> {
    let emulator = infisical_emulator::Emulator::start();
    let (project, client_id, client_secret) = seed(&emulator);
    println!(
        "ready url={} project={project} client_id={client_id} client_secret={client_secret}",
        emulator.url()
    );
    for line in std::io::stdin().lock().lines() {
        match line?.trim() {
            "reset" => emulator.reset_counters(),
            "" => {}
            other => eprintln!("infisical-bench serve: unknown command {other:?}"),
        }
    }
    Ok(())
}
