//! Universal auth on an identity (attach, get, update, revoke) and its client secrets
//! (create, list, revoke), after `server/routes/v1/identity-universal-auth-router.ts`.

use super::model::{ClientSecret, ClientSecretInfo, UniversalAuthConfig};
use crate::error::require_field;
use crate::rest::{answer_route, member, operation, Routes};
use crate::wire::decode_json;
use crate::InvalidRequest;
use serde::Serialize;
use std::time::Duration;

/// The longest lifetime the server accepts for tokens and client secrets: ten years.
const MAX_SECONDS: u64 = 315_360_000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct IpAddress {
    ip_address: String,
}

/// The settings of universal auth; unset ones are the server's (on attach: 30-day tokens,
/// any IP, unlimited uses) or unchanged (on update).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct UniversalAuthBody {
    #[serde(rename = "accessTokenTTL", skip_serializing_if = "Option::is_none")]
    access_token_ttl: Option<u64>,
    #[serde(rename = "accessTokenMaxTTL", skip_serializing_if = "Option::is_none")]
    access_token_max_ttl: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_token_num_uses_limit: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    client_secret_trusted_ips: Option<Vec<IpAddress>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    access_token_trusted_ips: Option<Vec<IpAddress>>,
}

impl UniversalAuthBody {
    fn validate(&self) -> Result<(), InvalidRequest> {
        for (field, value) in [
            ("access_token_ttl", self.access_token_ttl),
            ("access_token_max_ttl", self.access_token_max_ttl),
        ] {
            if value.is_some_and(|v| v > MAX_SECONDS) {
                return Err(InvalidRequest::new(field, "must be at most ten years"));
            }
        }
        if let (Some(ttl), Some(max)) = (self.access_token_ttl, self.access_token_max_ttl) {
            if max != 0 && ttl > max {
                return Err(InvalidRequest::new(
                    "access_token_ttl",
                    "cannot be longer than access_token_max_ttl",
                ));
            }
        }
        for (field, ips) in [
            ("client_secret_trusted_ips", &self.client_secret_trusted_ips),
            ("access_token_trusted_ips", &self.access_token_trusted_ips),
        ] {
            if let Some(ips) = ips {
                if ips.is_empty() {
                    return Err(InvalidRequest::new(
                        field,
                        "needs at least one address or range",
                    ));
                }
                for ip in ips {
                    require_field(field, &ip.ip_address)?;
                }
            }
        }
        Ok(())
    }
}

/// Setters shared by [`AttachUniversalAuth`] and [`UpdateUniversalAuth`].
macro_rules! universal_auth_settings {
    ($ty:ty) => {
        impl $ty {
            /// How long an access token lives, renewal by renewal (whole seconds).
            pub fn access_token_ttl(mut self, ttl: Duration) -> Self {
                self.body.access_token_ttl = Some(ttl.as_secs());
                self
            }

            /// How long an access token may live at most, renewals included (zero: no limit).
            pub fn access_token_max_ttl(mut self, max_ttl: Duration) -> Self {
                self.body.access_token_max_ttl = Some(max_ttl.as_secs());
                self
            }

            /// How many requests an access token may make (0: no limit).
            pub fn access_token_num_uses_limit(mut self, uses: u64) -> Self {
                self.body.access_token_num_uses_limit = Some(uses);
                self
            }

            /// Where client secrets may be used from: addresses or CIDR ranges
            /// (`10.0.0.0/8`, `::/0`).
            pub fn client_secret_trusted_ips<I: Into<String>>(
                mut self,
                ips: impl IntoIterator<Item = I>,
            ) -> Self {
                self.body.client_secret_trusted_ips = Some(addresses(ips));
                self
            }

            /// Where access tokens may be used from: addresses or CIDR ranges.
            pub fn access_token_trusted_ips<I: Into<String>>(
                mut self,
                ips: impl IntoIterator<Item = I>,
            ) -> Self {
                self.body.access_token_trusted_ips = Some(addresses(ips));
                self
            }
        }
    };
}

fn addresses<I: Into<String>>(ips: impl IntoIterator<Item = I>) -> Vec<IpAddress> {
    ips.into_iter()
        .map(|ip| IpAddress {
            ip_address: ip.into(),
        })
        .collect()
}

/// Gives an identity universal auth (a client id, and client secrets to create).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachUniversalAuth {
    identity_id: String,
    body: UniversalAuthBody,
}

impl AttachUniversalAuth {
    /// Attaches universal auth to the identity `identity_id`, with the server's defaults
    /// for what is not set.
    pub fn new(identity_id: impl Into<String>) -> Self {
        Self {
            identity_id: identity_id.into(),
            body: UniversalAuthBody::default(),
        }
    }
}
universal_auth_settings!(AttachUniversalAuth);

/// Changes the universal-auth settings of an identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateUniversalAuth {
    identity_id: String,
    body: UniversalAuthBody,
}

impl UpdateUniversalAuth {
    /// Changes the settings of the identity `identity_id`: set what changes.
    pub fn new(identity_id: impl Into<String>) -> Self {
        Self {
            identity_id: identity_id.into(),
            body: UniversalAuthBody::default(),
        }
    }
}
universal_auth_settings!(UpdateUniversalAuth);

of_identity!(
    /// Gets the universal-auth settings of an identity.
    GetUniversalAuth,
    "The universal auth of the identity `identity_id`."
);

of_identity!(
    /// Removes universal auth from an identity (its client secrets stop working).
    RevokeUniversalAuth,
    "Removes universal auth from the identity `identity_id`."
);

const CONFIG: &[&str] = &["identityUniversalAuth"];
const ATTACH: Routes = Routes::stable("POST /api/v1/auth/universal-auth/identities/{identityId}");
const GET: Routes = Routes::stable("GET /api/v1/auth/universal-auth/identities/{identityId}");
const UPDATE: Routes = Routes::stable("PATCH /api/v1/auth/universal-auth/identities/{identityId}");
const REVOKE: Routes = Routes::stable("DELETE /api/v1/auth/universal-auth/identities/{identityId}");

operation! {
    AttachUniversalAuth => UniversalAuthConfig;
    family(Stable)
    validate(s) { require_field("identity_id", &s.identity_id)?; s.body.validate() }
    request(s, generation) { ATTACH.at(generation).arg(&s.identity_id).send_json(&s.body) }
    answer(response) { member(&ATTACH, CONFIG, response) }
}

identity_call!(GetUniversalAuth => UniversalAuthConfig, GET, CONFIG);

operation! {
    UpdateUniversalAuth => UniversalAuthConfig;
    family(Stable)
    validate(s) { require_field("identity_id", &s.identity_id)?; s.body.validate() }
    request(s, generation) { UPDATE.at(generation).arg(&s.identity_id).send_json(&s.body) }
    answer(response) { member(&UPDATE, CONFIG, response) }
}

identity_call!(RevokeUniversalAuth => UniversalAuthConfig, REVOKE, CONFIG);

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
struct ClientSecretBody {
    description: String,
    num_uses_limit: u64,
    ttl: u64,
}

/// Creates a client secret for an identity's universal auth. The answer holds the secret,
/// which the server shows this once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateClientSecret {
    identity_id: String,
    body: ClientSecretBody,
}

impl CreateClientSecret {
    /// A client secret for the identity `identity_id`: no expiry, unlimited uses, unless set.
    pub fn new(identity_id: impl Into<String>) -> Self {
        Self {
            identity_id: identity_id.into(),
            body: ClientSecretBody::default(),
        }
    }

    /// A description, to recognise it later.
    pub fn description(mut self, description: impl Into<String>) -> Self {
        self.body.description = description.into();
        self
    }

    /// How many logins may use it (0: no limit).
    pub fn num_uses_limit(mut self, uses: u64) -> Self {
        self.body.num_uses_limit = uses;
        self
    }

    /// How long after its creation it works (whole seconds; zero: no expiry).
    pub fn ttl(mut self, ttl: Duration) -> Self {
        self.body.ttl = ttl.as_secs();
        self
    }
}

const SECRETS: Routes =
    Routes::stable("POST /api/v1/auth/universal-auth/identities/{identityId}/client-secrets");

operation! {
    CreateClientSecret => ClientSecret;
    family(Stable)
    validate(s) {
        require_field("identity_id", &s.identity_id)?;
        if s.body.ttl > MAX_SECONDS {
            return Err(InvalidRequest::new("ttl", "must be at most ten years"));
        }
        Ok(())
    }
    request(s, generation) { SECRETS.at(generation).arg(&s.identity_id).send_json(&s.body) }
    answer(response) { decode_json(answer_route(&response, SECRETS.current()), response) }
}

of_identity!(
    /// Lists the client secrets of an identity that are not revoked (never the secrets).
    ListClientSecrets,
    "The client secrets of the identity `identity_id`."
);

const LIST_SECRETS: Routes =
    Routes::stable("GET /api/v1/auth/universal-auth/identities/{identityId}/client-secrets");

identity_call!(ListClientSecrets => Vec<ClientSecretInfo>, LIST_SECRETS, &["clientSecretData"]);

/// Revokes a client secret: logins with it fail from now on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokeClientSecret {
    identity_id: String,
    client_secret_id: String,
}

impl RevokeClientSecret {
    /// Revokes the client secret `client_secret_id` of the identity `identity_id`.
    pub fn new(identity_id: impl Into<String>, client_secret_id: impl Into<String>) -> Self {
        Self {
            identity_id: identity_id.into(),
            client_secret_id: client_secret_id.into(),
        }
    }
}

const REVOKE_SECRET: Routes = Routes::stable(
    "POST /api/v1/auth/universal-auth/identities/{identityId}/client-secrets/{clientSecretId}/revoke",
);

operation! {
    RevokeClientSecret => ClientSecretInfo;
    family(Stable)
    validate(s) {
        require_field("identity_id", &s.identity_id)?;
        require_field("client_secret_id", &s.client_secret_id)
    }
    request(s, generation) {
        REVOKE_SECRET.at(generation).arg(&s.identity_id).arg(&s.client_secret_id).send()
    }
    answer(response) { member(&REVOKE_SECRET, &["clientSecretData"], response) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ApiGeneration, Operation};

    #[test]
    fn routes_bodies_and_checks() {
        let attach = AttachUniversalAuth::new("i")
            .access_token_ttl(Duration::from_secs(3600))
            .access_token_max_ttl(Duration::from_secs(86_400))
            .client_secret_trusted_ips(["10.0.0.0/8"]);
        let request = attach.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(
            request.uri().path(),
            "/api/v1/auth/universal-auth/identities/i"
        );
        assert_eq!(
            request.body().as_ref(),
            br#"{"accessTokenTTL":3600,"accessTokenMaxTTL":86400,"clientSecretTrustedIps":[{"ipAddress":"10.0.0.0/8"}]}"#
        );
        let secret = CreateClientSecret::new("i")
            .description("ci")
            .ttl(Duration::from_secs(60));
        let request = secret.to_http(ApiGeneration::Current).unwrap();
        assert_eq!(
            request.body().as_ref(),
            br#"{"description":"ci","numUsesLimit":0,"ttl":60}"#
        );
        let revoke = RevokeClientSecret::new("i", "s")
            .to_http(ApiGeneration::Current)
            .unwrap();
        assert_eq!(
            revoke.uri().path(),
            "/api/v1/auth/universal-auth/identities/i/client-secrets/s/revoke"
        );
        let too_long = UpdateUniversalAuth::new("i")
            .access_token_ttl(Duration::from_secs(7200))
            .access_token_max_ttl(Duration::from_secs(3600));
        assert_eq!(too_long.validate().unwrap_err().field(), "access_token_ttl");
        let no_ips = AttachUniversalAuth::new("i").access_token_trusted_ips(Vec::<String>::new());
        assert_eq!(
            no_ips.validate().unwrap_err().field(),
            "access_token_trusted_ips"
        );
        let decade = CreateClientSecret::new("i").ttl(Duration::from_secs(MAX_SECONDS + 1));
        assert_eq!(decade.validate().unwrap_err().field(), "ttl");
    }
}
