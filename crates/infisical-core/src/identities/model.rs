//! What the identity routes answer (after `db/schemas/identities.ts`,
//! `identity-universal-auths.ts`, `identity-ua-client-secrets.ts` and the routers' response
//! schemas in `server/routes/v1/identity-router.ts` and `identity-universal-auth-router.ts`).
//! Fields the server may omit are optional or default; fields it adds later are ignored.

use crate::SecretString;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A machine identity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct Identity {
    /// The identity's id.
    pub id: String,
    /// Its name.
    #[serde(default)]
    pub name: String,
    /// Its login method on servers of 2024 (one per identity): `universal-auth`, ...
    #[serde(default)]
    pub auth_method: Option<String>,
    /// Its login methods on current servers (several per identity).
    #[serde(default)]
    pub auth_methods: Vec<String>,
    /// When it was created (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
    /// When it last changed (RFC 3339).
    #[serde(default)]
    pub updated_at: Option<String>,
}

impl Identity {
    /// Whether it logs in with universal auth, on either generation of server.
    pub fn has_universal_auth(&self) -> bool {
        self.auth_method.as_deref() == Some("universal-auth")
            || self.auth_methods.iter().any(|m| m == "universal-auth")
    }
}

/// An identity as a member of its organization: its role there, and the identity.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrgIdentity {
    /// The membership's id (not the identity's: see [`identity_id`](Self::identity_id)).
    pub id: String,
    /// The identity's id.
    pub identity_id: String,
    /// The organization role's slug (`custom` for a custom role).
    #[serde(default)]
    pub role: String,
    /// The custom role's id, for `custom`.
    #[serde(default)]
    pub role_id: Option<String>,
    /// The organization's id, when the server says.
    #[serde(default)]
    pub org_id: Option<String>,
    /// The identity.
    pub identity: Identity,
}

/// One page of an organization's identities.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct OrgIdentityPage {
    /// The identities of this page.
    #[serde(rename = "identityMemberships")]
    pub identities: Vec<OrgIdentity>,
    /// How many there are in all.
    #[serde(default)]
    pub total_count: u64,
}

/// An IP address or CIDR range allowed to use a credential.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TrustedIp {
    /// The address, such as `10.0.0.0` (the server splits a CIDR into address and prefix).
    pub ip_address: String,
    /// `ipv4` or `ipv6`, as the server classified it.
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    /// The CIDR prefix length; none for a single address.
    #[serde(default)]
    pub prefix: Option<u8>,
}

/// Universal auth on an identity: how its client secrets and access tokens behave.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct UniversalAuthConfig {
    /// The configuration's id.
    pub id: String,
    /// The client id that logs in (`clientId` of the universal-auth login).
    pub client_id: String,
    /// The identity's id.
    pub identity_id: String,
    /// Seconds an access token lives, renewal by renewal.
    #[serde(rename = "accessTokenTTL", default)]
    pub access_token_ttl: u64,
    /// Seconds an access token may live at most, renewals included (0: no limit).
    #[serde(rename = "accessTokenMaxTTL", default)]
    pub access_token_max_ttl: u64,
    /// How many requests an access token may make (0: no limit).
    #[serde(default)]
    pub access_token_num_uses_limit: u64,
    /// Where client secrets may be used from.
    #[serde(default)]
    pub client_secret_trusted_ips: Vec<TrustedIp>,
    /// Where access tokens may be used from.
    #[serde(default)]
    pub access_token_trusted_ips: Vec<TrustedIp>,
    /// When it was created (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
    /// When it last changed (RFC 3339).
    #[serde(default)]
    pub updated_at: Option<String>,
}

/// What the server tells about a client secret: never the secret itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ClientSecretInfo {
    /// The client secret's id.
    pub id: String,
    /// Its description.
    #[serde(default)]
    pub description: String,
    /// Its first four characters, to recognise it.
    #[serde(default)]
    pub client_secret_prefix: String,
    /// How many logins used it.
    #[serde(default)]
    pub client_secret_num_uses: u64,
    /// How many logins may use it (0: no limit).
    #[serde(default)]
    pub client_secret_num_uses_limit: u64,
    /// Seconds it is valid after its creation (0: no expiry).
    #[serde(rename = "clientSecretTTL", default)]
    pub client_secret_ttl: u64,
    /// Whether it was revoked.
    #[serde(default)]
    pub is_client_secret_revoked: bool,
    /// When it was created (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
}

/// A new client secret: shown once, by this answer only. `Debug` and `Display` never show it;
/// read it with [`ClientSecret::secret`].
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ClientSecret {
    /// The secret, for the universal-auth login.
    client_secret: SecretString,
    /// What the server keeps about it.
    #[serde(rename = "clientSecretData")]
    pub info: ClientSecretInfo,
}

impl ClientSecret {
    /// The secret. The server shows it once: keep it where secrets go.
    pub fn secret(&self) -> &SecretString {
        &self.client_secret
    }
}

impl fmt::Debug for ClientSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientSecret")
            .field("client_secret", &"[redacted]")
            .field("info", &self.info)
            .finish()
    }
}
