//! `client.identities()`.

use crate::identities::{
    AddIdentityToProject, AttachTokenAuth, AttachUniversalAuth, CreateIdentityToken,
    GetTokenAuth, IdentityToken, IdentityTokenInfo, ListIdentityTokens, RevokeIdentityToken,
    RevokeTokenAuth, TokenAuthConfig, ClientSecret, ClientSecretInfo,
    CreateClientSecret, CreateIdentity, DeleteIdentity, GetIdentity, GetProjectIdentity,
    GetUniversalAuth, Identity, IdentityMembership, ListClientSecrets, ListIdentities,
    ListProjectIdentities, OrgIdentity, OrgIdentityPage, ProjectIdentity, ProjectIdentityPage,
    ProjectRole, RemoveIdentityFromProject, RevokeClientSecret, RevokeUniversalAuth,
    UniversalAuthConfig, UpdateIdentity, UpdateProjectIdentityRoles, UpdateUniversalAuth,
};

super::resource! {
    /// Machine identities, their universal auth and its client secrets, and their project
    /// memberships.
    Identities, identities;
    /// Creates an identity in an organization, with an organization role.
    fn create(CreateIdentity) -> Identity;
    /// Gets an identity and its organization role.
    fn get(GetIdentity) -> OrgIdentity;
    /// Lists an organization's identities, a page at a time.
    fn list(ListIdentities) -> OrgIdentityPage;
    /// Renames an identity or changes its organization role.
    fn update(UpdateIdentity) -> Identity;
    /// Deletes an identity; answers the deleted identity.
    fn delete(DeleteIdentity) -> Identity;
    /// Gives an identity universal auth; answers its client id and settings.
    fn attach_universal_auth(AttachUniversalAuth) -> UniversalAuthConfig;
    /// Gets an identity's universal-auth settings.
    fn get_universal_auth(GetUniversalAuth) -> UniversalAuthConfig;
    /// Changes an identity's universal-auth settings.
    fn update_universal_auth(UpdateUniversalAuth) -> UniversalAuthConfig;
    /// Removes universal auth from an identity.
    fn revoke_universal_auth(RevokeUniversalAuth) -> UniversalAuthConfig;
    /// Creates a client secret: the answer holds it, shown this once.
    fn create_client_secret(CreateClientSecret) -> ClientSecret;
    /// Lists an identity's client secrets that are not revoked (never the secrets).
    fn list_client_secrets(ListClientSecrets) -> Vec<ClientSecretInfo>;
    /// Revokes a client secret.
    fn revoke_client_secret(RevokeClientSecret) -> ClientSecretInfo;
    /// Adds an identity to a project with roles.
    fn add_to_project(AddIdentityToProject) -> IdentityMembership;
    /// Lists a project's identities, a page at a time.
    fn list_in_project(ListProjectIdentities) -> ProjectIdentityPage;
    /// Gets an identity's membership of a project, with its roles.
    fn get_in_project(GetProjectIdentity) -> ProjectIdentity;
    /// Replaces an identity's roles in a project.
    fn update_project_roles(UpdateProjectIdentityRoles) -> Vec<ProjectRole>;
    /// Removes an identity from a project.
    fn remove_from_project(RemoveIdentityFromProject) -> IdentityMembership;
    /// Gives an identity token auth: tokens made for it directly, with no login.
    fn attach_token_auth(AttachTokenAuth) -> TokenAuthConfig;
    /// Gets an identity's token-auth settings.
    fn get_token_auth(GetTokenAuth) -> TokenAuthConfig;
    /// Removes token auth from an identity.
    fn revoke_token_auth(RevokeTokenAuth) -> TokenAuthConfig;
    /// Makes an access token for an identity with token auth (shown this once).
    fn create_token(CreateIdentityToken) -> IdentityToken;
    /// Lists the tokens made for an identity (never the tokens).
    fn list_tokens(ListIdentityTokens) -> Vec<IdentityTokenInfo>;
    /// Revokes a token made with token auth.
    fn revoke_token(RevokeIdentityToken) -> ();
}
