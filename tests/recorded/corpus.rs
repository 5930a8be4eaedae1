//! The exchanges recorded from real Infisical servers (`../shared/api/recorded/`), read as
//! plain JSON: the tests' ground truth, independent of the SDK's and the emulator's types.

use serde_json::Value;
use std::path::PathBuf;

/// The two recorded servers.
pub const SERVERS: [&str; 2] = ["infisical-2024-10", "infisical-current"];

/// One recorded request and its answer.
#[derive(Debug, Clone)]
pub struct Exchange {
    /// `server:line`, to name the exchange in failures.
    pub at: String,
    pub method: String,
    /// The path as sent, percent-encoding included, without the query.
    pub path: String,
    pub user_agent: String,
    pub status: u16,
    pub content_type: Option<String>,
    /// The answer's body: parsed JSON, text, or `null` for none.
    pub body: Value,
}

impl Exchange {
    /// Sent by the SDK (not by the CLI, curl or the set-up scripts).
    pub fn sent_by_sdk(&self) -> bool {
        self.user_agent.starts_with("infisical-rs/")
    }

    /// The answer's body as bytes, as the server sent it.
    pub fn body_bytes(&self) -> Vec<u8> {
        match &self.body {
            Value::Null => Vec::new(),
            Value::String(text) if !self.is_json() => text.clone().into_bytes(),
            json => serde_json::to_vec(json).expect("JSON re-encodes"),
        }
    }

    fn is_json(&self) -> bool {
        self.content_type
            .as_deref()
            .is_some_and(|c| c.starts_with("application/json"))
    }
}

/// `../shared/api/recorded/<server>/exchanges.jsonl`.
pub fn file(server: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/api/recorded")
        .join(server)
        .join("exchanges.jsonl")
}

/// Every exchange recorded from `server`, in order.
pub fn load(server: &str) -> Vec<Exchange> {
    let path = file(server);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            let v: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{server}:{}: not JSON: {e}", n + 1));
            let request = &v["request"];
            let response = &v["response"];
            let full = request["path"].as_str().unwrap_or_default();
            let path = full.split_once('?').map_or(full, |(path, _)| path);
            Exchange {
                at: format!("{server}:{}", n + 1),
                method: request["method"].as_str().unwrap_or_default().to_owned(),
                path: path.to_owned(),
                user_agent: request["headers"]["user-agent"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                status: response["status"].as_u64().unwrap_or_default() as u16,
                content_type: response["headers"]["content-type"]
                    .as_str()
                    .map(str::to_owned),
                body: response["body"].clone(),
            }
        })
        .collect()
}
