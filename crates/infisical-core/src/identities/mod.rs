//! Machine identities, for platform teams bootstrapping services: identities of an
//! organization (create with a role, get, list, update, delete), universal auth on an
//! identity (attach with token lifetimes and trusted IPs, get, update, revoke) and its
//! client secrets (create — the secret is shown once, typed as a secret —, list, revoke);
//! identities in projects (add with roles, list, get, change roles, remove). The routes are
//! the same on servers of 2024 and current ones.

mod memberships;
mod model;
mod page;
mod requests;
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
pub use universal_auth::{
    AttachUniversalAuth, CreateClientSecret, GetUniversalAuth, ListClientSecrets,
    RevokeClientSecret, RevokeUniversalAuth, UpdateUniversalAuth,
};
