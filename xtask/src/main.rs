//! Project tasks: `cargo xtask ci` runs exactly what `.ci/run` checks; `cargo xtask bench`
//! runs the benchmarks (see `docs/performance.md`).

mod bench;
mod scratch;

use std::process::{Command, ExitCode};

/// One check: a name and the cargo arguments that run it.
struct Step {
    name: &'static str,
    args: &'static [&'static str],
    env: &'static [(&'static str, &'static str)],
}

/// What CI checks, in order: cheap and likely failures first.
const CI: &[Step] = &[
    Step {
        name: "format",
        args: &["fmt", "--all", "--", "--check"],
        env: &[],
    },
    Step {
        name: "clippy",
        args: &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ],
        env: &[],
    },
    Step {
        name: "tests (and examples)",
        args: &["test", "--workspace"],
        env: &[],
    },
    Step {
        name: "tests of the build without OpenSSL (no `cli-login` feature)",
        args: &[
            "test",
            "-p",
            "infisical",
            "-p",
            "infisical-credentials",
            "--no-default-features",
            "--features",
            "infisical-credentials/default-client",
        ],
        env: &[],
    },
    Step {
        name: "docs",
        args: &["doc", "--workspace", "--no-deps"],
        env: &[("RUSTDOCFLAGS", "-D warnings")],
    },
    Step {
        name: "the main job (the README's first command, on the embedded emulator)",
        args: &[
            "run",
            "--quiet",
            "-p",
            "infisical-e2e",
            "--example",
            "quickstart",
        ],
        env: &[],
    },
    Step {
        name: "whoami on the CLI login of the shared fixtures",
        args: &[
            "run",
            "--quiet",
            "-p",
            "infisical-e2e",
            "--example",
            "whoami",
        ],
        env: &[("HOME", "../shared/fixtures/cli-keyring/valid/home")],
    },
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("ci") => run_all(CI),
        Some("bench") => bench::main(&args[1..]),
        _ => {
            eprintln!("usage: cargo xtask ci    # fmt, clippy, tests, docs, the main job: what .ci/run checks");
            eprintln!(
                "       cargo xtask bench [--runs N] [--only w1,w3,…] [--callgrind] [--no-build]"
            );
            eprintln!("                         # the SDK against a bare hyper client: docs/performance.md");
            ExitCode::FAILURE
        }
    }
}

fn run_all(steps: &[Step]) -> ExitCode {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let scratch = match scratch::Scratch::new() {
        Ok(scratch) => scratch,
        Err(e) => {
            eprintln!("==> no temporary folder for the checks: {e}");
            return ExitCode::FAILURE;
        }
    };
    for step in steps {
        eprintln!("==> {}: cargo {}", step.name, step.args.join(" "));
        let mut command = Command::new(&cargo);
        command.env("TMPDIR", scratch.path());
        // Hermetic: no INFISICAL_* variable of the machine reaches the checks.
        for (name, _) in std::env::vars_os() {
            if name.to_string_lossy().starts_with("INFISICAL_") {
                command.env_remove(name);
            }
        }
        let status = command
            .args(step.args)
            .envs(step.env.iter().copied())
            .status();
        match status {
            Ok(s) if s.success() => {}
            Ok(s) => {
                eprintln!("==> {} failed ({s})", step.name);
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("==> {} could not start: {e}", step.name);
                return ExitCode::FAILURE;
            }
        }
    }
    match scratch.leftovers() {
        Ok(left) if left.is_empty() => {}
        Ok(left) => {
            eprintln!(
                "==> the checks left files in their temporary folder (a test that does not clean up after itself): {}",
                left.join(", ")
            );
            return ExitCode::FAILURE;
        }
        Err(e) => {
            eprintln!("==> could not read the checks' temporary folder: {e}");
            return ExitCode::FAILURE;
        }
    }
    if !links_no_openssl(&cargo) {
        return ExitCode::FAILURE;
    }
    eprintln!("==> all checks passed");
    ExitCode::SUCCESS
}

/// `infisical` must not depend on OpenSSL, with or without default features (and with
/// every feature): `cargo tree -i openssl-sys` finds no such package in those graphs.
fn links_no_openssl(cargo: &str) -> bool {
    [
        "--no-default-features",
        "--features=cli-login",
        "--all-features",
    ]
    .into_iter()
    .all(|features| graph_has_no_openssl(cargo, features))
}

fn graph_has_no_openssl(cargo: &str, features: &str) -> bool {
    let args = [
        "tree",
        "-p",
        "infisical",
        features,
        "-e",
        "normal",
        "-i",
        "openssl-sys",
    ];
    eprintln!("==> the SDK links no OpenSSL: cargo {}", args.join(" "));
    match Command::new(cargo).args(args).output() {
        Ok(out) => {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let absent = !out.status.success() && stderr.contains("did not match any packages");
            if !absent {
                eprintln!(
                    "==> openssl-sys is in the graph:\n{}",
                    String::from_utf8_lossy(&out.stdout)
                );
            }
            absent
        }
        Err(e) => {
            eprintln!("==> cargo tree could not start: {e}");
            false
        }
    }
}
