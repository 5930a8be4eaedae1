//! Decoding the server's answers, successful or not: any status and body, no panic.
#![no_main]

use bytes::Bytes;
use infisical_core::secrets::{CreateSecret, GetSecret, ListSecrets};
use infisical_core::{ApiError, Operation};
use libfuzzer_sys::fuzz_target;

fn answer(status: u16, content_type: &str, body: &[u8]) -> http::Response<Bytes> {
    let mut response = http::Response::new(Bytes::copy_from_slice(body));
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::OK);
    if let Ok(value) = http::HeaderValue::from_str(content_type) {
        response.headers_mut().insert(http::header::CONTENT_TYPE, value);
    }
    response
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else { return };
    let status = [200, 201, 400, 401, 403, 404, 422, 429, 500, 502][usize::from(selector % 10)];
    let content_type = if selector & 0x80 == 0 { "application/json" } else { "text/html" };
    let _ = ListSecrets::new("p", "dev").parse_response(answer(status, content_type, body));
    let _ = GetSecret::new("p", "dev", "K").parse_response(answer(status, content_type, body));
    let _ = CreateSecret::new("p", "dev", "K", "v").parse_response(answer(status, content_type, body));
    let error = ApiError::from_response("GET /fuzz", answer(status, content_type, body).status(), Some(content_type), body);
    let _ = (error.to_string(), error.is_route_not_found(), error.is_token_rejected());
});
