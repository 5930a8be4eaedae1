//! Machine identities, for platform teams bootstrapping services: identities of an
//! organization (create with a role, get, list, update, delete), universal auth on an
//! identity (attach with token lifetimes and trusted IPs, get, update, revoke) and its
//! client secrets (create — the secret is shown once, typed as a secret —, list, revoke);
//! identities in projects (add with roles, list, get, change roles, remove); token auth
//! (attach, get, remove) and the identity's tokens (create, list, revoke). The routes are
//! the same on servers of 2024 and current ones.

/// A request about one identity, built with `new(identity_id)`.
macro_rules! of_identity {
    ($(#[$doc:meta])* $name:ident, $new_doc:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            identity_id: String,
        }

        impl $name {
            #[doc = $new_doc]
            pub fn new(identity_id: impl Into<String>) -> Self {
                Self {
                    identity_id: identity_id.into(),
                }
            }
        }
    };
}

/// The operation of a request made by [`of_identity!`] that sends nothing but the
/// identity's id: `route` with the id, the answer read under `member`.
macro_rules! identity_call {
    ($ty:ident => $out:ty, $route:expr, $member:expr) => {
        crate::rest::operation! {
            $ty => $out;
            family(Stable)
            validate(s) { crate::error::require_field("identity_id", &s.identity_id) }
            request(s, generation) { $route.at(generation).arg(&s.identity_id).send() }
            answer(response) { crate::rest::member(&$route, $member, response) }
        }
    };
}

mod memberships;
mod model;
mod page;
mod requests;
mod token_auth;
mod universal_auth;

pub use memberships::{
    AddIdentityToProject, GetProjectIdentity, IdentityMembership, ListProjectIdentities,
    ProjectIdentity, ProjectIdentityPage, ProjectRef, ProjectRole, RemoveIdentityFromProject,
    RoleAssignment, UpdateProjectIdentityRoles,
};
pub use model::{
    ClientSecret, ClientSecretInfo, Identity, OrgIdentity, OrgIdentityPage, TrustedIp,
    UniversalAuthConfig,
};
pub use requests::{CreateIdentity, DeleteIdentity, GetIdentity, ListIdentities, UpdateIdentity};
pub use token_auth::{
    AttachTokenAuth, CreateIdentityToken, GetTokenAuth, IdentityToken, IdentityTokenInfo,
    ListIdentityTokens, RevokeIdentityToken, RevokeTokenAuth, TokenAuthConfig,
};
pub use universal_auth::{
    AttachUniversalAuth, CreateClientSecret, GetUniversalAuth, ListClientSecrets,
    RevokeClientSecret, RevokeUniversalAuth, UpdateUniversalAuth,
};
