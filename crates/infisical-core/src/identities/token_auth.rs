//! Token auth on an identity (attach, get, remove) and the access tokens made with it
//! (create, list, revoke), after `server/routes/v1/identity-token-auth-router.ts`.

use super::model::TrustedIp;
use crate::error::require_field;
use crate::rest::{answer_route, member, operation, Routes};
use crate::wire::decode_json;
use crate::{InvalidRequest, SecretString};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::time::Duration;

/// Token auth on an identity: how its tokens behave.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TokenAuthConfig {
    /// The configuration's id.
    pub id: String,
    /// The identity's id.
    pub identity_id: String,
    /// Seconds a token lives, renewal by renewal.
    #[serde(rename = "accessTokenTTL", default)]
    pub access_token_ttl: u64,
    /// Seconds a token may live at most, renewals included (0: no limit).
    #[serde(rename = "accessTokenMaxTTL", default)]
    pub access_token_max_ttl: u64,
    /// How many requests a token may make (0: no limit).
    #[serde(default)]
    pub access_token_num_uses_limit: u64,
    /// Where tokens may be used from.
    #[serde(default)]
    pub access_token_trusted_ips: Vec<TrustedIp>,
}

/// A new access token of an identity. `Debug` never shows it; read it with
/// [`IdentityToken::token`] (and give it to `ClientCredentials::access_token`).
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct IdentityToken {
    access_token: SecretString,
    /// Seconds until it expires, unless renewed.
    #[serde(default)]
    pub expires_in: u64,
    /// Seconds it may live at most, renewals included.
    #[serde(rename = "accessTokenMaxTTL", default)]
    pub access_token_max_ttl: u64,
}

impl IdentityToken {
    /// The token.
    pub fn token(&self) -> &SecretString {
        &self.access_token
    }
}

impl fmt::Debug for IdentityToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IdentityToken")
            .field("access_token", &"[redacted]")
            .field("expires_in", &self.expires_in)
            .field("access_token_max_ttl", &self.access_token_max_ttl)
            .finish()
    }
}

/// What the server tells about a token of an identity: never the token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct IdentityTokenInfo {
    /// The token's id (for [`RevokeIdentityToken`]).
    pub id: String,
    /// Its name, if it was given one.
    #[serde(default)]
    pub name: Option<String>,
    /// Seconds it lives, renewal by renewal.
    #[serde(rename = "accessTokenTTL", default)]
    pub access_token_ttl: u64,
    /// How many requests it made.
    #[serde(default)]
    pub access_token_num_uses: u64,
    /// Whether it was revoked.
    #[serde(default)]
    pub is_access_token_revoked: bool,
    /// When it was made (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
struct TokenAuthBody {
    #[serde(rename = "accessTokenTTL", skip_serializing_if = "Option::is_none")]
    access_token_ttl: Option<u64>,
    #[serde(rename = "accessTokenMaxTTL", skip_serializing_if = "Option::is_none")]
    access_token_max_ttl: Option<u64>,
}

/// Gives an identity token auth: tokens are then made for it directly, with no login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachTokenAuth {
    identity_id: String,
    body: TokenAuthBody,
}

impl AttachTokenAuth {
    /// Attaches token auth to the identity `identity_id` (30-day tokens unless set).
    pub fn new(identity_id: impl Into<String>) -> Self {
        Self {
            identity_id: identity_id.into(),
            body: TokenAuthBody::default(),
        }
    }

    /// How long a token lives, renewal by renewal (whole seconds).
    pub fn access_token_ttl(mut self, ttl: Duration) -> Self {
        self.body.access_token_ttl = Some(ttl.as_secs());
        self
    }

    /// How long a token may live at most, renewals included.
    pub fn access_token_max_ttl(mut self, max_ttl: Duration) -> Self {
        self.body.access_token_max_ttl = Some(max_ttl.as_secs());
        self
    }
}

of_identity!(
    /// Gets an identity's token-auth settings.
    GetTokenAuth,
    "The token-auth settings of the identity `identity_id`."
);

of_identity!(
    /// Removes token auth from an identity.
    RevokeTokenAuth,
    "Removes token auth from the identity `identity_id`."
);

const CONFIG: &[&str] = &["identityTokenAuth"];
const ATTACH: Routes = Routes::stable("POST /api/v1/auth/token-auth/identities/{identityId}");
const GET: Routes = Routes::stable("GET /api/v1/auth/token-auth/identities/{identityId}");
const REMOVE: Routes = Routes::stable("DELETE /api/v1/auth/token-auth/identities/{identityId}");

operation! {
    AttachTokenAuth => TokenAuthConfig;
    family(Stable)
    validate(s) {
        require_field("identity_id", &s.identity_id)?;
        if let (Some(ttl), Some(max)) = (s.body.access_token_ttl, s.body.access_token_max_ttl) {
            if max != 0 && ttl > max {
                return Err(InvalidRequest::new(
                    "access_token_ttl",
                    "cannot be longer than access_token_max_ttl",
                ));
            }
        }
        Ok(())
    }
    request(s, generation) { ATTACH.at(generation).arg(&s.identity_id).send_json(&s.body) }
    answer(response) { member(&ATTACH, CONFIG, response) }
}

identity_call!(GetTokenAuth => TokenAuthConfig, GET, CONFIG);

identity_call!(RevokeTokenAuth => TokenAuthConfig, REMOVE, CONFIG);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
struct TokenBody {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
}

/// Makes an access token for an identity with token auth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateIdentityToken {
    identity_id: String,
    body: TokenBody,
}

impl CreateIdentityToken {
    /// A token for the identity `identity_id`.
    pub fn new(identity_id: impl Into<String>) -> Self {
        Self {
            identity_id: identity_id.into(),
            body: TokenBody::default(),
        }
    }

    /// A name, to recognise it in lists.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.body.name = Some(name.into());
        self
    }
}

const TOKENS: Routes =
    Routes::stable("POST /api/v1/auth/token-auth/identities/{identityId}/tokens");

operation! {
    CreateIdentityToken => IdentityToken;
    family(Stable)
    validate(s) { require_field("identity_id", &s.identity_id) }
    request(s, generation) { TOKENS.at(generation).arg(&s.identity_id).send_json(&s.body) }
    answer(response) { decode_json(answer_route(&response, TOKENS.current()), response) }
}

/// Lists the tokens made for an identity, a page at a time (never the tokens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListIdentityTokens {
    identity_id: String,
    offset: u32,
    limit: u32,
}

impl ListIdentityTokens {
    /// The first 20 tokens of the identity `identity_id`.
    pub fn new(identity_id: impl Into<String>) -> Self {
        Self {
            identity_id: identity_id.into(),
            offset: 0,
            limit: 20,
        }
    }

    /// Skips this many (at most 100).
    pub fn offset(mut self, offset: u32) -> Self {
        self.offset = offset;
        self
    }

    /// At most this many (1 to 100).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit;
        self
    }
}

const LIST_TOKENS: Routes =
    Routes::stable("GET /api/v1/auth/token-auth/identities/{identityId}/tokens");

operation! {
    ListIdentityTokens => Vec<IdentityTokenInfo>;
    family(Stable)
    validate(s) {
        require_field("identity_id", &s.identity_id)?;
        if s.offset > 100 {
            return Err(InvalidRequest::new("offset", "must be at most 100"));
        }
        if s.limit == 0 || s.limit > 100 {
            return Err(InvalidRequest::new("limit", "must be 1 to 100"));
        }
        Ok(())
    }
    request(s, generation) {
        LIST_TOKENS.at(generation)
            .arg(&s.identity_id)
            .query("offset", &s.offset.to_string())
            .query("limit", &s.limit.to_string())
            .send()
    }
    answer(response) { member(&LIST_TOKENS, &["tokens"], response) }
}

/// Revokes a token made with token auth: requests with it fail from now on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokeIdentityToken {
    token_id: String,
}

impl RevokeIdentityToken {
    /// Revokes the token `token_id` (an [`IdentityTokenInfo::id`]).
    pub fn new(token_id: impl Into<String>) -> Self {
        Self {
            token_id: token_id.into(),
        }
    }
}

const REVOKE_TOKEN: Routes = Routes::stable("POST /api/v1/auth/token-auth/tokens/{tokenId}/revoke");

operation! {
    RevokeIdentityToken => ();
    family(Stable)
    validate(s) { require_field("token_id", &s.token_id) }
    request(s, generation) { REVOKE_TOKEN.at(generation).arg(&s.token_id).send_json(&serde_json::json!({})) }
    answer(response) {
        decode_json::<serde::de::IgnoredAny>(answer_route(&response, REVOKE_TOKEN.current()), response)
            .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};

    #[test]
    fn routes_bodies_and_checks() {
        let attach = AttachTokenAuth::new("i").access_token_ttl(Duration::from_secs(600));
        let request = attach.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(request.uri().path(), "/api/v1/auth/token-auth/identities/i");
        assert_eq!(request.body().as_ref(), br#"{"accessTokenTTL":600}"#);
        let token = CreateIdentityToken::new("i")
            .name("ci")
            .to_http(ApiGeneration::Current)
            .unwrap();
        assert_eq!(token.body().as_ref(), br#"{"name":"ci"}"#);
        let revoke = RevokeIdentityToken::new("t")
            .to_http(ApiGeneration::Current)
            .unwrap();
        assert_eq!(
            revoke.uri().path(),
            "/api/v1/auth/token-auth/tokens/t/revoke"
        );
        assert_eq!(
            GetTokenAuth::new("i")
                .to_http(ApiGeneration::Current)
                .unwrap()
                .uri()
                .path(),
            "/api/v1/auth/token-auth/identities/i"
        );
        assert_eq!(
            ListIdentityTokens::new("i")
                .limit(101)
                .validate()
                .unwrap_err()
                .field(),
            "limit"
        );
        assert_eq!(
            ListIdentityTokens::new("i")
                .offset(101)
                .validate()
                .unwrap_err()
                .field(),
            "offset"
        );
        let decoded: IdentityToken = serde_json::from_str(
            r#"{"accessToken":"tok-secret","expiresIn":600,"accessTokenMaxTTL":600,"tokenType":"Bearer"}"#,
        )
        .unwrap();
        assert_eq!(decoded.token().expose(), "tok-secret");
        assert!(!format!("{decoded:?}").contains("tok-secret"));
    }
}
