//! Inputs the response-decoding fuzzer kept (`fuzz/regressions/response_decoding/`) and its
//! seeds, replayed on every test run: no status and body makes decoding panic.

use bytes::Bytes;
use infisical_core::secrets::{CreateSecret, GetSecret, ListSecrets};
use infisical_core::{ApiError, Operation};
use std::path::Path;

/// As in the fuzz target: the first byte picks the status, the rest is the body.
#[test]
fn decoding_regressions_do_not_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut inputs = Vec::new();
    for dir in ["regressions/response_decoding", "seeds/response_decoding"] {
        if let Ok(entries) = std::fs::read_dir(root.join(dir)) {
            inputs.extend(entries.filter_map(|e| std::fs::read(e.ok()?.path()).ok()));
        }
    }
    assert!(inputs.len() >= 5, "the seeds were found");
    for input in inputs {
        let Some((&selector, body)) = input.split_first() else {
            continue;
        };
        let status = [200, 201, 400, 401, 403, 404, 422, 429, 500, 502][usize::from(selector % 10)];
        let answer = || {
            let mut response = http::Response::new(Bytes::copy_from_slice(body));
            *response.status_mut() = http::StatusCode::from_u16(status).unwrap();
            response
        };
        let _ = ListSecrets::new("p", "dev").parse_response(answer());
        let _ = GetSecret::new("p", "dev", "K").parse_response(answer());
        let _ = CreateSecret::new("p", "dev", "K", "v").parse_response(answer());
        let _ = ApiError::from_response("GET /fuzz", answer().status(), None, body).to_string();
    }
}
