//! The examples a user runs first, run as built (`cargo test --workspace` builds the
//! examples) against the emulator: the README's main job, `cargo run --example quickstart`,
//! whose remote path takes whatever credentials the default chain finds, and `whoami`.

// The real Secret Service of the e2e tests; this file uses only part of it.
#[allow(dead_code)]
#[path = "e2e/secret_service.rs"]
mod secret_service;

use infisical_emulator::Emulator;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// `target/<profile>/examples/<name>`, beside this test's own executable.
fn example(name: &str) -> PathBuf {
    let me = std::env::current_exe().expect("the test's own path");
    let profile_dir = me
        .parent()
        .and_then(Path::parent)
        .expect("tests run from target/<profile>/deps");
    let exe = profile_dir
        .join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        exe.exists(),
        "{} is missing: `cargo test --workspace` builds the examples",
        exe.display()
    );
    exe
}

/// An emulator with a project holding one secret.
fn server() -> (Emulator, String) {
    let emulator = Emulator::start();
    let project = emulator.create_project("quickstart");
    emulator.set_secret(&project, "dev", "/", "FROM_THE_CHAIN", "value");
    (emulator, project)
}

/// Runs the quickstart with only these variables (and PATH), HOME at an empty folder unless
/// given.
fn run(vars: &[(&str, String)]) -> Output {
    run_example("quickstart", vars)
}

fn run_example(name: &str, vars: &[(&str, String)]) -> Output {
    // A fresh one for each run, removed after it: nothing one run leaves there is found by
    // the next.
    let home = temp_dir("infisical-rs-example-home-");
    let mut command = Command::new(example(name));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home.path());
    for (name, value) in vars {
        command.env(name, value);
    }
    command.output().expect("the quickstart runs")
}

fn assert_listed(output: &Output, provider: &str) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "stdout: {stdout}\nstderr: {stderr}"
    );
    assert!(
        stdout.contains("FROM_THE_CHAIN = [hidden, 5 chars]"),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!("(credentials from {provider})")),
        "{stdout}"
    );
}

fn scope(project: &str) -> Vec<(&'static str, String)> {
    vec![
        ("INFISICAL_PROJECT_ID", project.to_owned()),
        ("INFISICAL_ENVIRONMENT", "dev".to_owned()),
    ]
}

#[test]
fn universal_auth_from_the_environment() {
    let (emulator, project) = server();
    let (id, secret) = emulator.create_universal_auth_identity();
    let mut vars = scope(&project);
    vars.extend([
        ("INFISICAL_URL", emulator.url()),
        ("INFISICAL_CLIENT_ID", id),
        ("INFISICAL_CLIENT_SECRET", secret),
    ]);
    assert_listed(&run(&vars), "environment");
}

#[test]
fn whoami_revokes_the_token_it_logged_in_for() {
    let (emulator, _) = server();
    let (id, secret) = emulator.create_universal_auth_identity();
    let output = run_example(
        "whoami",
        &[
            ("INFISICAL_URL", emulator.url()),
            ("INFISICAL_CLIENT_ID", id.clone()),
            ("INFISICAL_CLIENT_SECRET", secret),
        ],
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{stdout}");
    assert!(stdout.contains(&id), "{stdout}");
    assert_eq!(emulator.logins(), 1);
    assert_eq!(emulator.count("POST", "/api/v1/auth/token/revoke"), 1);
}

#[test]
fn an_access_token_from_the_environment() {
    let (emulator, project) = server();
    emulator.add_static_token("st.quickstart.token");
    let mut vars = scope(&project);
    vars.extend([
        ("INFISICAL_URL", emulator.url()),
        ("INFISICAL_TOKEN", "st.quickstart.token".to_owned()),
    ]);
    assert_listed(&run(&vars), "environment");
}

#[test]
fn a_login_method_from_infisical_auth_method() {
    let (emulator, project) = server();
    emulator.add_jwt_login_identity("jwt-auth", "identity-1", "header.payload.signature");
    let mut vars = scope(&project);
    vars.extend([
        ("INFISICAL_URL", emulator.url()),
        ("INFISICAL_AUTH_METHOD", "jwt-auth".to_owned()),
        ("INFISICAL_MACHINE_IDENTITY_ID", "identity-1".to_owned()),
        ("INFISICAL_JWT", "header.payload.signature".to_owned()),
    ]);
    assert_listed(&run(&vars), "environment");
    assert_eq!(emulator.logins_for("jwt-auth"), 1);
}

#[test]
fn the_cli_login_on_the_server_it_logged_into() {
    let (emulator, project) = server();
    // The `valid` fixture, its config pointed at the emulator; the emulator accepts its token.
    let fixtures =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/cli-keyring");
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixtures.join("expected.json")).unwrap()).unwrap();
    let token = expected["scenarios"]["valid"]["selected_user"]["JTWToken"]
        .as_str()
        .unwrap();
    emulator.add_static_token(token);
    let home = temp_dir("infisical-rs-cli-home-");
    copy_dir(&fixtures.join("valid/home"), home.path());
    let config_path = home.path().join(".infisical/infisical-config.json");
    let mut config: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&config_path).unwrap()).unwrap();
    config["LoggedInUserDomain"] = format!("{}/api", emulator.url()).into();
    std::fs::write(&config_path, serde_json::to_vec(&config).unwrap()).unwrap();

    let mut vars = scope(&project);
    vars.push(("HOME", home.path().display().to_string()));
    assert_listed(&run(&vars), "infisical-cli");

    // The same login, with INFISICAL_URL naming another server: refused, nothing sent.
    let other = Emulator::start();
    vars.push(("INFISICAL_URL", other.url()));
    let output = run(&vars);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(stderr.contains("never sent to another server"), "{stderr}");
    assert!(
        other.requests().is_empty(),
        "nothing reached the other server"
    );
}

#[test]
fn the_cli_login_from_the_os_keyring() {
    let Some(keyring) = secret_service::SecretService::start() else {
        return;
    };
    let (emulator, project) = server();
    // A user session JWT (exp 2100-01-01), kept where the CLI's default `auto` vault keeps it.
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2ln";
    emulator.add_static_token(token);
    let home = keyring.home();
    std::fs::create_dir_all(home.join(".infisical")).unwrap();
    let config = serde_json::json!({
        "loggedInUserEmail": "dev@example.com",
        "LoggedInUserDomain": format!("{}/api", emulator.url()),
    });
    std::fs::write(
        home.join(".infisical/infisical-config.json"),
        config.to_string(),
    )
    .unwrap();
    let session = serde_json::json!({
        "email": "dev@example.com", "privateKey": "", "JTWToken": token, "RefreshToken": "",
    });
    keyring.store(
        "Password for 'dev@example.com' on 'infisical-cli'",
        &[
            ("service", "infisical-cli"),
            ("username", "dev@example.com"),
        ],
        session.to_string().as_bytes(),
    );

    let mut vars = scope(&project);
    vars.push(("HOME", home.display().to_string()));
    vars.push(("DBUS_SESSION_BUS_ADDRESS", keyring.address().to_owned()));
    assert_listed(&run(&vars), "infisical-cli");
}

/// A new folder under the system's temporary one, removed when dropped.
fn temp_dir(prefix: &str) -> tempfile::TempDir {
    tempfile::Builder::new().prefix(prefix).tempdir().unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn live_config_follows_changes_and_keeps_the_last_good_settings() {
    let output = run_example("live_config", &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for line in [
        "started with rate limit 100, features [search]",
        "settings now rate limit 250, features [search]",
        "settings now rate limit 250, features [search, billing]",
        "kept rate limit 250, features [search, billing]: the settings no longer fit",
        "settings now rate limit 300, features [search, billing]",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in:\n{stdout}");
    }
    assert!(
        !stdout.contains("lots"),
        "never a secret's value in an error"
    );
}

#[test]
fn bootstrap_identity_runs_the_whole_flow_against_the_emulator() {
    let output = run_example("bootstrap_identity", &[]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for step in [
        "created identity bootstrap-example-",
        "universal auth attached",
        "added to project",
        "the new identity logged in and listed 1 secrets",
        "deleted identity",
    ] {
        assert!(stdout.contains(step), "{step}: {stdout}");
    }
}
