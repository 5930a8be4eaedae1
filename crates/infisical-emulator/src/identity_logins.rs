//! The machine-identity login methods besides universal auth: Kubernetes, AWS IAM, GCP,
//! Azure, OIDC, JWT and LDAP (`POST /api/v1/auth/<method>/login`).
//!
//! The bodies are validated as the server's routers do (`identity-*-auth-router.ts`: zod
//! schemas, 422 on modern servers), then the identity's configuration decides:
//! - JWT-based methods (Kubernetes, GCP, Azure, OIDC, JWT) accept the JWTs registered for the
//!   identity (the server would ask the token-review API, Google's or Azure's keys, the
//!   OIDC/JWKS issuer); any other is 401.
//! - AWS: the base64 JSON headers and body are decoded as the server does, the region is taken
//!   from the `Authorization` credential scope (400 "Invalid AWS region" otherwise), and the
//!   emulator plays STS: a `POST` of `Action=GetCallerIdentity&Version=2011-06-15` to
//!   `sts.<region>.amazonaws.com`, signed (SigV4 shape) by a registered access key id. The
//!   signature itself is not recomputed.
//! - LDAP: the registered username and password (401 "LDAP authentication failed").
//!
//! A success issues a token like universal auth (renewable, revocable) and counts as a login.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use crate::auth::issue_login;
use crate::errors::ApiError;
use crate::state::State;
use crate::validate::Check;

/// The methods, by the path segment of their login route.
pub(crate) const METHODS: [&str; 7] = [
    "kubernetes-auth",
    "aws-auth",
    "gcp-auth",
    "azure-auth",
    "oidc-auth",
    "jwt-auth",
    "ldap-auth",
];

const JWT_METHODS: [&str; 5] = [
    "kubernetes-auth",
    "gcp-auth",
    "azure-auth",
    "oidc-auth",
    "jwt-auth",
];

/// How an identity logs in with one method.
enum Config {
    Jwts(HashSet<String>),
    Aws(HashSet<String>),
    Ldap { username: String, password: String },
}

/// Identities' login configurations and the logins per method.
#[derive(Default)]
pub(crate) struct IdentityLogins {
    configs: HashMap<(&'static str, String), Config>,
    counts: HashMap<&'static str, usize>,
}

/// The method of `segment` (`kubernetes-auth`, ...), if it is one.
pub(crate) fn method(segment: &str) -> Option<&'static str> {
    METHODS.iter().copied().find(|m| *m == segment)
}

impl IdentityLogins {
    /// Accepts `jwt` for `identity_id` with a JWT-based `method` (added to earlier ones).
    pub(crate) fn accept_jwt(&mut self, method: &str, identity_id: &str, jwt: &str) {
        let Some(method) = JWT_METHODS.iter().copied().find(|m| *m == method) else {
            panic!("infisical-emulator: {method:?} is not one of {JWT_METHODS:?}");
        };
        let entry = self
            .configs
            .entry((method, identity_id.to_string()))
            .or_insert_with(|| Config::Jwts(HashSet::new()));
        if let Config::Jwts(jwts) = entry {
            jwts.insert(jwt.to_string());
        }
    }

    /// Lets `identity_id` log in with AWS IAM when signed by `access_key_id`.
    pub(crate) fn accept_aws(&mut self, identity_id: &str, access_key_id: &str) {
        let entry = self
            .configs
            .entry(("aws-auth", identity_id.to_string()))
            .or_insert_with(|| Config::Aws(HashSet::new()));
        if let Config::Aws(keys) = entry {
            keys.insert(access_key_id.to_string());
        }
    }

    /// Lets `identity_id` log in with LDAP as `username` / `password`.
    pub(crate) fn accept_ldap(&mut self, identity_id: &str, username: &str, password: &str) {
        self.configs.insert(
            ("ldap-auth", identity_id.to_string()),
            Config::Ldap {
                username: username.to_string(),
                password: password.to_string(),
            },
        );
    }

    /// Successful logins with `method`.
    pub(crate) fn count(&self, method: &str) -> usize {
        self.counts.get(method).copied().unwrap_or(0)
    }

    pub(crate) fn reset_counts(&mut self) {
        self.counts.clear();
    }
}

/// The server's name of a method in "… auth method not found" messages.
fn label(method: &str) -> &'static str {
    match method {
        "kubernetes-auth" => "Kubernetes",
        "aws-auth" => "AWS",
        "gcp-auth" => "GCP",
        "azure-auth" => "Azure",
        "oidc-auth" => "OIDC",
        "jwt-auth" => "JWT",
        _ => "LDAP",
    }
}

/// `POST /api/v1/auth/<method>/login`.
pub(crate) fn login(
    state: &mut State,
    method: &'static str,
    body: Option<&Value>,
) -> Result<Value, ApiError> {
    let mut c = Check::new();
    let obj = c.object(body)?;
    let identity_id = c.string(obj, &[], "identityId", true, true);
    let check = match method {
        "aws-auth" => aws_fields(&mut c, obj),
        "ldap-auth" => ldap_fields(&mut c, obj, identity_id.as_deref()),
        _ => Presented::Jwt(c.string(obj, &[], "jwt", true, true).unwrap_or_default()),
    };
    c.finish()?;
    let identity_id = identity_id.unwrap_or_default();
    let Some(config) = state
        .identity_logins
        .configs
        .get(&(method, identity_id.clone()))
    else {
        let label = label(method);
        return Err(ApiError::not_found(format!(
            "{label} auth method not found for identity, did you configure {label} auth?"
        )));
    };
    match (config, check) {
        (Config::Jwts(accepted), Presented::Jwt(jwt)) if accepted.contains(&jwt) => {}
        (Config::Jwts(_), _) => {
            return Err(ApiError::unauthorized(format!(
                "Access denied: the {} token was not accepted",
                label(method)
            )))
        }
        (Config::Aws(keys), Presented::Aws(request)) => sts_get_caller_identity(keys, &request)?,
        (Config::Ldap { username, password }, Presented::Ldap(u, p))
            if *username == u && *password == p => {}
        _ => return Err(ApiError::unauthorized("LDAP authentication failed")),
    }
    *state.identity_logins.counts.entry(method).or_default() += 1;
    Ok(issue_login(state, &identity_id))
}

/// What the body presented.
enum Presented {
    Jwt(String),
    Aws(AwsRequest),
    Ldap(String, String),
}

struct AwsRequest {
    method: String,
    body: String,
    headers: String,
}

fn aws_fields(c: &mut Check, obj: &Map<String, Value>) -> Presented {
    let method = c.string(obj, &[], "iamHttpRequestMethod", false, false);
    let body = c.string(obj, &[], "iamRequestBody", true, false);
    let headers = c.string(obj, &[], "iamRequestHeaders", true, false);
    Presented::Aws(AwsRequest {
        method: method.unwrap_or_else(|| "POST".to_string()),
        body: body.unwrap_or_default(),
        headers: headers.unwrap_or_default(),
    })
}

fn ldap_fields(c: &mut Check, obj: &Map<String, Value>, identity_id: Option<&str>) -> Presented {
    if identity_id.is_some_and(|id| !is_uuid(id)) {
        c.custom(&["identityId"], "Identity ID must be a valid UUID");
    }
    let mut nonempty = |key: &str, message: &str| {
        let value = c.string(obj, &[], key, true, true);
        if value.as_deref() == Some("") {
            c.custom(&[key], message);
        }
        value.unwrap_or_default()
    };
    let username = nonempty("username", "Username is required");
    let password = nonempty("password", "Password is required");
    Presented::Ldap(username, password)
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups
            .iter()
            .all(|g| g.chars().all(|ch| ch.is_ascii_hexdigit()))
}

/// The server's decoding, then the emulator's STS.
fn sts_get_caller_identity(keys: &HashSet<String>, request: &AwsRequest) -> Result<(), ApiError> {
    let headers = base64_decode(&request.headers)
        .and_then(|bytes| serde_json::from_slice::<Map<String, Value>>(&bytes).ok())
        .ok_or(ApiError::Internal)?;
    let header = |name: &str| {
        headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .and_then(|(_, v)| v.as_str())
            .unwrap_or("")
    };
    let authorization = header("Authorization");
    // "AWS4-HMAC-SHA256 Credential=<key id>/<date>/<region>/<service>/aws4_request, ..."
    let scope: Vec<&str> = authorization
        .split(' ')
        .find_map(|f| f.strip_prefix("Credential="))
        .unwrap_or("")
        .trim_end_matches(',')
        .split('/')
        .collect();
    let region = scope.get(2).copied().unwrap_or("");
    let valid_region = !region.is_empty()
        && region.len() <= 20
        && region
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-');
    if !valid_region {
        return Err(ApiError::bad_request("Invalid AWS region"));
    }
    let body = base64_decode(&request.body).unwrap_or_default();
    let signed = authorization
        .split(' ')
        .find_map(|f| f.strip_prefix("SignedHeaders="))
        .unwrap_or("");
    let signed: Vec<&str> = signed.trim_end_matches(',').split(';').collect();
    let sts_accepts = request.method == "POST"
        && body == b"Action=GetCallerIdentity&Version=2011-06-15"
        && authorization.starts_with("AWS4-HMAC-SHA256 ")
        && authorization.contains(", Signature=")
        && scope.len() == 5
        && scope[3] == "sts"
        && scope[4] == "aws4_request"
        && keys.contains(scope[0])
        && header("Host") == format!("sts.{region}.amazonaws.com")
        && !header("X-Amz-Date").is_empty()
        && signed.contains(&"host")
        && signed.contains(&"x-amz-date");
    if sts_accepts {
        Ok(())
    } else {
        Err(ApiError::unauthorized(
            "Access denied: STS did not accept the signed GetCallerIdentity request",
        ))
    }
}

/// Standard base64, as `Buffer.from(s, "base64")` reads it (padding optional).
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    engine.decode(s.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::Settings;
    use crate::ServerMode;
    use serde_json::json;
    use std::time::Duration;

    const ID: &str = "5d2a5c9e-7c1b-4f0e-9a57-3b8f1d6c2e40";

    fn state() -> State {
        State::new(Settings {
            mode: ServerMode::Modern,
            ttl: Duration::from_secs(60),
            max_ttl: Duration::from_secs(600),
        })
    }

    fn status(result: Result<Value, ApiError>) -> (u16, Value) {
        match result {
            Ok(v) => (200, v),
            Err(e) => e.render(ServerMode::Modern),
        }
    }

    fn b64(s: &str) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(s)
    }

    #[test]
    fn jwt_methods_validate_then_check_the_identity_and_the_jwt() {
        let mut st = state();
        st.identity_logins.accept_jwt("kubernetes-auth", ID, "good");
        let (code, body) = status(login(
            &mut st,
            "kubernetes-auth",
            Some(&json!({"identityId": ID})),
        ));
        assert_eq!(
            (code, body["message"][0]["path"][0].as_str()),
            (422, Some("jwt"))
        );
        let (code, body) = status(login(
            &mut st,
            "gcp-auth",
            Some(&json!({"identityId": ID, "jwt": "good"})),
        ));
        assert_eq!(code, 404);
        assert_eq!(
            body["message"],
            "GCP auth method not found for identity, did you configure GCP auth?"
        );
        let bad = json!({"identityId": ID, "jwt": "bad"});
        assert_eq!(status(login(&mut st, "kubernetes-auth", Some(&bad))).0, 401);
        let good = json!({"identityId": ID, "jwt": " good "});
        let (code, body) = status(login(&mut st, "kubernetes-auth", Some(&good)));
        assert_eq!((code, body["tokenType"].as_str()), (200, Some("Bearer")));
        assert_eq!(
            (
                st.identity_logins.count("kubernetes-auth"),
                st.recorder.logins
            ),
            (1, 1)
        );
    }

    #[test]
    fn aws_decodes_the_request_and_plays_sts() {
        let mut st = state();
        st.identity_logins.accept_aws(ID, "AKID");
        let headers = |auth: &str, host: &str| {
            b64(
                &json!({"Authorization": auth, "Host": host, "X-Amz-Date": "20240101T000000Z"})
                    .to_string(),
            )
        };
        let signed = "AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=abc";
        let body = |headers: String| {
            json!({
                "identityId": ID,
                "iamRequestBody": b64("Action=GetCallerIdentity&Version=2011-06-15"),
                "iamRequestHeaders": headers,
            })
        };
        let ok = body(headers(signed, "sts.eu-west-1.amazonaws.com"));
        assert_eq!(status(login(&mut st, "aws-auth", Some(&ok))).0, 200);
        let wrong_host = body(headers(signed, "sts.us-east-1.amazonaws.com"));
        assert_eq!(status(login(&mut st, "aws-auth", Some(&wrong_host))).0, 401);
        let no_region = body(headers("AWS4-HMAC-SHA256 Credential=AKID", "x"));
        let (code, answer) = status(login(&mut st, "aws-auth", Some(&no_region)));
        assert_eq!(
            (code, answer["message"].as_str()),
            (400, Some("Invalid AWS region"))
        );
        let other_key = body(headers(
            &signed.replace("AKID/", "OTHER/"),
            "sts.eu-west-1.amazonaws.com",
        ));
        assert_eq!(status(login(&mut st, "aws-auth", Some(&other_key))).0, 401);
        let missing = json!({"identityId": ID, "iamRequestBody": "x"});
        assert_eq!(status(login(&mut st, "aws-auth", Some(&missing))).0, 422);
        assert_eq!(st.identity_logins.count("aws-auth"), 1);
    }

    #[test]
    fn ldap_wants_a_uuid_and_the_right_password() {
        let mut st = state();
        st.identity_logins.accept_ldap(ID, "alice", "pw");
        let not_uuid = json!({"identityId": "x", "username": "alice", "password": "pw"});
        let (code, body) = status(login(&mut st, "ldap-auth", Some(&not_uuid)));
        assert_eq!(
            (code, body["message"][0]["message"].as_str()),
            (422, Some("Identity ID must be a valid UUID"))
        );
        let blank = json!({"identityId": ID, "username": " ", "password": "pw"});
        assert_eq!(status(login(&mut st, "ldap-auth", Some(&blank))).0, 422);
        let wrong = json!({"identityId": ID, "username": "alice", "password": "nope"});
        let (code, body) = status(login(&mut st, "ldap-auth", Some(&wrong)));
        assert_eq!(
            (code, body["message"].as_str()),
            (401, Some("LDAP authentication failed"))
        );
        let right = json!({"identityId": ID, "username": "alice", "password": "pw"});
        assert_eq!(status(login(&mut st, "ldap-auth", Some(&right))).0, 200);
    }
}
