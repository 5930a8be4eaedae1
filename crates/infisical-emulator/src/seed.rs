//! Seeding: projects, environments, folders, identities, secrets, imports, tags, policies.

use crate::server::lock;
use crate::state::Import;
use crate::util::canonical_path;
use crate::{auth, state, util, Emulator};

impl Emulator {
    /// Creates a project with environments `dev`, `staging` and `prod`; returns its id
    /// (UUID-looking).
    pub fn create_project(&self, name: &str) -> String {
        lock(&self.state).create_project(name)
    }

    /// The slug of a project (derived from its name), for `workspaceSlug` / `projectSlug`.
    ///
    /// # Panics
    ///
    /// If the project does not exist.
    pub fn project_slug(&self, project_id: &str) -> String {
        lock(&self.state).seed_project(project_id).slug.clone()
    }

    /// Adds an environment (with its root folder) to a project.
    pub fn add_environment(&self, project_id: &str, slug: &str) {
        lock(&self.state).add_environment(project_id, slug);
    }

    /// Creates a folder (and its parents). The API only writes into existing folders.
    pub fn create_folder(&self, project_id: &str, environment: &str, path: &str) {
        lock(&self.state)
            .seed_env(project_id, environment)
            .ensure_folder(path);
    }

    /// Creates a certificate authority in a project (with a fake PEM certificate); returns its
    /// id, for issuing and signing certificates.
    ///
    /// # Panics
    ///
    /// If the project does not exist.
    pub fn create_certificate_authority(&self, project_id: &str, common_name: &str) -> String {
        self.seed_certificate_authority(project_id, common_name)
    }

    /// Creates a cert-manager certificate profile `slug` issuing from the CA `ca_id` (from
    /// [`Emulator::create_certificate_authority`]); returns its id. With `issue_after`,
    /// the CA acts as an external one: issuing answers a `pending` request, which is issued
    /// once that long has passed (when it is next read).
    pub fn create_certificate_profile(
        &self,
        project_id: &str,
        slug: &str,
        ca_id: &str,
        issue_after: Option<std::time::Duration>,
    ) -> String {
        lock(&self.state)
            .cert_manager
            .add_profile(project_id, slug, ca_id, issue_after)
    }

    fn seed_certificate_authority(&self, project_id: &str, common_name: &str) -> String {
        let mut st = lock(&self.state);
        st.seed_project(project_id);
        st.pki.create_ca(project_id, common_name)
    }

    /// The id of the emulator's one organization (`orgId` of its projects), for
    /// `GET /api/v2/organizations/{organizationId}/workspaces`.
    pub fn organization_id(&self) -> String {
        lock(&self.state).org_id.clone()
    }

    /// The ids of every project, in creation order.
    pub fn project_ids(&self) -> Vec<String> {
        lock(&self.state)
            .projects
            .iter()
            .map(|p| p.id.clone())
            .collect()
    }

    /// The slugs of a project's environments, in position order.
    ///
    /// # Panics
    ///
    /// If the project does not exist.
    pub fn environment_slugs(&self, project_id: &str) -> Vec<String> {
        let mut st = lock(&self.state);
        let mut envs: Vec<_> = st
            .seed_project(project_id)
            .environments
            .iter()
            .map(|e| (e.position, e.slug.clone()))
            .collect();
        envs.sort();
        envs.into_iter().map(|(_, slug)| slug).collect()
    }

    /// The id of an environment, by slug.
    pub fn environment_id(&self, project_id: &str, slug: &str) -> Option<String> {
        let st = lock(&self.state);
        st.project(project_id)?.env(slug).map(|e| e.id.clone())
    }

    /// The paths of an environment's folders (`/` first), in path order.
    ///
    /// # Panics
    ///
    /// If the project or environment does not exist.
    pub fn folder_paths(&self, project_id: &str, environment: &str) -> Vec<String> {
        lock(&self.state)
            .seed_env(project_id, environment)
            .folders
            .keys()
            .cloned()
            .collect()
    }

    /// Creates a universal-auth identity with random credentials; returns
    /// `(client_id, client_secret)`.
    pub fn create_universal_auth_identity(&self) -> (String, String) {
        let (id, secret) = auth::new_credentials();
        self.add_universal_auth_identity(&id, &secret);
        (id, secret)
    }

    /// Registers a universal-auth identity with these credentials.
    pub fn add_universal_auth_identity(&self, client_id: &str, client_secret: &str) {
        lock(&self.state).identities.insert(
            client_id.to_string(),
            state::Identity {
                id: util::uuid(),
                client_secret: client_secret.to_string(),
            },
        );
    }

    /// Lets `identity_id` log in with a JWT-based method — `method` is the route segment:
    /// `kubernetes-auth`, `gcp-auth`, `azure-auth`, `oidc-auth` or `jwt-auth` — presenting
    /// `jwt` (a service-account token, an ID token, ...). Call it again to accept more JWTs
    /// (a rotated token); any other JWT is 401.
    ///
    /// # Panics
    /// If `method` is not one of those.
    pub fn add_jwt_login_identity(&self, method: &str, identity_id: &str, jwt: &str) {
        lock(&self.state)
            .identity_logins
            .accept_jwt(method, identity_id, jwt);
    }

    /// Lets `identity_id` log in with AWS IAM auth with requests signed by `access_key_id`:
    /// the emulator decodes the base64 headers and body as the server does and checks, as
    /// STS would, a SigV4-shaped `POST` of `GetCallerIdentity` to `sts.<region>.amazonaws.com`
    /// (the signature itself is not recomputed).
    pub fn add_aws_identity(&self, identity_id: &str, access_key_id: &str) {
        lock(&self.state)
            .identity_logins
            .accept_aws(identity_id, access_key_id);
    }

    /// Lets `identity_id` (a UUID, as the server requires) log in with LDAP auth as
    /// `username` / `password`.
    pub fn add_ldap_identity(&self, identity_id: &str, username: &str, password: &str) {
        lock(&self.state)
            .identity_logins
            .accept_ldap(identity_id, username, password);
    }

    /// "Token auth": this bearer string is accepted on every route and never expires (it is not
    /// affected by [`Emulator::expire_access_tokens`] / [`Emulator::revoke_access_tokens`];
    /// revoking it through the API removes it).
    pub fn add_static_token(&self, token: &str) {
        lock(&self.state).static_tokens.insert(token.to_string());
    }

    /// A user's session (what `infisical login` stores): this bearer string is accepted on
    /// every route, including those Infisical serves to users only (`verifyAuth([JWT])`, such
    /// as a secret's versions), which refuse machine identities with 403.
    /// The user is an admin of every project; [`Emulator::add_user`] adds one who is not.
    pub fn add_user_token(&self, token: &str) {
        let email = format!(
            "user-{}@example.com",
            crate::util::random_alnum(8).to_lowercase()
        );
        lock(&self.state).users.add(&email, token, true);
    }

    /// A user with the email `email`, holding the session `token`, a member (not an admin)
    /// of every project; answers the user's id, for
    /// [`Emulator::require_approvals`]. Approval policies route this user's writes to
    /// approval requests, which only their author, the policy's approvers and admins may
    /// see, review, close or merge.
    pub fn add_user(&self, email: &str, token: &str) -> String {
        lock(&self.state).users.add(email, token, false)
    }

    /// Sets a shared secret's value, creating the folders on the way; an existing secret gets a
    /// new version.
    pub fn set_secret(
        &self,
        project_id: &str,
        environment: &str,
        path: &str,
        key: &str,
        value: &str,
    ) {
        lock(&self.state).set_secret(project_id, environment, path, key, value);
    }

    /// The stored (raw, unexpanded) value of a shared secret.
    pub fn secret_value(
        &self,
        project_id: &str,
        environment: &str,
        path: &str,
        key: &str,
    ) -> Option<String> {
        let st = lock(&self.state);
        st.project(project_id)?
            .folder(environment, &canonical_path(path))?
            .secret(key)
            .map(|s| s.value.clone())
    }

    /// The stored version number of a shared secret.
    pub fn secret_version(
        &self,
        project_id: &str,
        environment: &str,
        path: &str,
        key: &str,
    ) -> Option<u64> {
        let st = lock(&self.state);
        st.project(project_id)?
            .folder(environment, &canonical_path(path))?
            .secret(key)
            .map(|s| s.version)
    }

    /// Makes folder `environment` + `path` import the secrets of `from_environment` +
    /// `from_path` (after its earlier imports). The importing folder is created if missing.
    pub fn add_import(
        &self,
        project_id: &str,
        environment: &str,
        path: &str,
        from_environment: &str,
        from_path: &str,
    ) {
        lock(&self.state)
            .seed_env(project_id, environment)
            .ensure_folder(path)
            .imports
            .push(Import::new(from_environment, from_path));
    }

    /// Creates a tag (slug, and name = slug) in a project; returns its id, for `tagIds`.
    pub fn create_tag(&self, project_id: &str, slug: &str) -> String {
        lock(&self.state).create_tag(project_id, slug)
    }

    /// Attaches an approval policy naming no approvers to `environment` + `path`: from now
    /// on users' writes there (single and batch, v3 and v4) answer `{"approval": {...}}` and
    /// change nothing, until the author (or an admin) merges the request. As on real
    /// servers, machine identities' writes pass.
    pub fn require_approval(&self, project_id: &str, environment: &str, path: &str) {
        lock(&self.state).require_approval(project_id, environment, path, &[], 0);
    }

    /// Attaches an approval policy to `environment` + `path` (replacing one there): users'
    /// writes there become approval requests, which merge once `approvals` of the users
    /// `approvers` (ids from [`Emulator::add_user`]) have approved them.
    pub fn require_approvals(
        &self,
        project_id: &str,
        environment: &str,
        path: &str,
        approvers: &[&str],
        approvals: usize,
    ) {
        lock(&self.state).require_approval(project_id, environment, path, approvers, approvals);
    }

    /// Attaches an access policy to `environment` + `path`: users may ask for access there
    /// (`/api/v1/access-approvals/requests`), granted once `approvals` of `approvers` (user
    /// ids from [`Emulator::add_user`]) approve.
    pub fn require_access_approvals(
        &self,
        project_id: &str,
        environment: &str,
        path: &str,
        approvers: &[&str],
        approvals: usize,
    ) {
        let mut st = lock(&self.state);
        st.seed_env(project_id, environment);
        st.access_approvals
            .add_policy(project_id, environment, path, approvers, approvals);
    }

    /// The approval requests created so far (the `approval` records, as they are now).
    pub fn approvals(&self) -> Vec<serde_json::Value> {
        lock(&self.state)
            .approvals
            .iter()
            .map(|r| r.record.clone())
            .collect()
    }
}
