//! The official Infisical Rust SDK (0.0.4) running the benchmark workloads, so that it
//! meets the same server in the same run as this SDK and the baseline.
//!
//! ```text
//! infisical-bench-official run <w1|w2|w3|w5> official url=… project=… client_id=… client_secret=… [calls=N]
//! infisical-bench-official run w4 official
//! ```
//!
//! The official client logs in once, explicitly (`client.login`), and never again: it has no
//! token refresh. Its list is `GET /api/v3/secrets/raw` (what it sends, not our choice).

#[path = "../../src/harness.rs"]
mod harness;
#[path = "../../src/proc.rs"]
mod proc;

use harness::{BoxError, Lister, Listing, Target, ENVIRONMENT, SMALL_COUNT, SMALL_FOLDER, STORM};
use infisical::secrets::{ListSecretsRequest, Secret};
use infisical::{AuthMethod, Client};
use std::collections::HashMap;
use std::process::ExitCode;
use std::sync::Arc;

struct Official {
    client: Client,
    project: String,
    folder: &'static str,
}

impl Official {
    async fn new(target: &Target, folder: &'static str) -> Result<Self, BoxError> {
        let mut client = Client::builder().base_url(&target.url).build().await?;
        client
            .login(AuthMethod::new_universal_auth(
                &target.client_id,
                &target.client_secret,
            ))
            .await?;
        Ok(Self {
            client,
            project: target.project.clone(),
            folder,
        })
    }
}

impl Lister for Official {
    type List = Vec<Secret>;
    async fn list(&self) -> Result<Vec<Secret>, BoxError> {
        let request = ListSecretsRequest::builder(self.project.as_str(), ENVIRONMENT)
            .path(self.folder)
            .build();
        Ok(self.client.secrets().list(request).await?)
    }
}

impl Listing for Vec<Secret> {
    fn len(&self) -> usize {
        Vec::len(self)
    }
    fn first_value(&self) -> Option<&str> {
        Some(self.first()?.secret_value.as_str())
    }
    fn values_have_len(&self, len: usize) -> bool {
        self.iter().all(|s| s.secret_value.len() == len)
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [run, workload, imp, rest @ ..] if run == "run" && imp == "official" => {
            let options: HashMap<String, String> = rest
                .iter()
                .filter_map(|a| a.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            run_workload(workload, &options)
        }
        _ => Err("usage: infisical-bench-official run <w1|w2|w3|w4|w5> official [key=value…]".into()),
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
    let emulator = infisical_emulator::Emulator::start();
    let project = emulator.create_project("storm");
    for i in 0..SMALL_COUNT {
        emulator.set_secret(&project, ENVIRONMENT, SMALL_FOLDER, &format!("S{i}"), "value");
    }
    let (client_id, client_secret) = emulator.create_universal_auth_identity();
    let target = Target {
        url: emulator.url(),
        project,
        client_id,
        client_secret,
    };
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
    harness::print_storm("official", &outcomes, emulator.logins(), emulator.renewals());
    Ok(())
}
