//! Run a command with a folder's secrets in its environment only, like `infisical run`.
//!
//! ```text
//! cargo run --example run_with_secrets -- sh -c 'echo "$GREETING from a child process"'
//! ```

use infisical::credentials::UniversalAuth;
use infisical::secrets::ListSecrets;
use infisical_emulator::Emulator;
use std::process::{Command, ExitCode};

#[tokio::main]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (program, rest): (String, Vec<String>) = match args.next() {
        Some(program) => (program, args.collect()),
        None => (
            "sh".into(),
            vec![
                "-c".into(),
                "echo \"$GREETING from a child process\"".into(),
            ],
        ),
    };
    let emulator = Emulator::start();
    let project = emulator.create_project("demo");
    emulator.set_secret(&project, "dev", "/", "GREETING", "hello");
    let (id, secret) = emulator.create_universal_auth_identity();
    let client = match infisical::Client::builder()
        .base_url(emulator.url())
        .credentials(UniversalAuth::new(id, secret))
        .build()
    {
        Ok(client) => client,
        Err(e) => return fail(&e),
    };
    let list = match client
        .secrets()
        .list(ListSecrets::new(&project, "dev").include_imports(true))
        .await
    {
        Ok(list) => list,
        Err(e) => return fail(&e),
    };
    let mut command = Command::new(program);
    command.args(rest);
    match infisical::env_vars::command_with_secrets(&mut command, &list).status() {
        Ok(status) if status.success() => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => fail(&e),
    }
}

fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::FAILURE
}
