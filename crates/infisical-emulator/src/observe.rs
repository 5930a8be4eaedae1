//! Tokens under the test's control, what the server saw, and the faults it will play.

use crate::server::lock;
use crate::{Emulator, Fault, RecordedRequest, Route};

impl Emulator {
    // --- tokens ---

    /// Every access token issued so far is now past its expiry: using it answers 403
    /// `TokenError` ("Your token has expired. Please re-authenticate."), and so does renewing it.
    pub fn expire_access_tokens(&self) {
        lock(&self.state).tokens.expire_all();
    }

    /// Every access token issued so far is revoked server-side: using or renewing it answers
    /// 401 `UnauthorizedError` "No identity access token found", as the server does.
    pub fn revoke_access_tokens(&self) {
        lock(&self.state).tokens.revoke_all();
    }

    /// From now on, login and renew answers claim `expires_in` as `expiresIn` and
    /// `max_ttl` as `accessTokenMaxTTL` (any JSON: `0`, `-5`, `1e19`, `"3600"`, `null`),
    /// while the tokens keep the lifetimes the builder gave them: for testing a client
    /// against hostile numbers.
    pub fn announce_token_lifetimes(
        &self,
        expires_in: impl Into<serde_json::Value>,
        max_ttl: impl Into<serde_json::Value>,
    ) {
        lock(&self.state).announced_lifetimes = Some((expires_in.into(), max_ttl.into()));
    }

    // --- observation ---

    /// Every request received so far, in order (including faulted and rejected ones).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.state).recorder.requests.clone()
    }

    /// How many requests had this method and exactly this path (decoded, without query).
    pub fn count(&self, method: &str, path: &str) -> usize {
        lock(&self.state).recorder.count(method, path)
    }

    /// How many requests had this method (or `"*"` for any) and a path starting with
    /// `path_prefix`.
    pub fn count_prefix(&self, method: &str, path_prefix: &str) -> usize {
        lock(&self.state).recorder.count_prefix(method, path_prefix)
    }

    /// Logins that succeeded, whatever the method.
    pub fn logins(&self) -> usize {
        lock(&self.state).recorder.logins
    }

    /// Logins that succeeded with one of the other methods, by route segment:
    /// `kubernetes-auth`, `aws-auth`, `gcp-auth`, `azure-auth`, `oidc-auth`, `jwt-auth`,
    /// `ldap-auth`.
    pub fn logins_for(&self, method: &str) -> usize {
        lock(&self.state).identity_logins.count(method)
    }

    /// TCP connections accepted so far, whether or not a TLS handshake or a request
    /// followed: how many times a client tried to connect.
    pub fn connections(&self) -> usize {
        lock(&self.state).recorder.connections
    }

    /// `304 Not Modified` answers so far: reads whose `If-None-Match` named the answer's
    /// current entity tag, answered with no body.
    pub fn not_modified_answers(&self) -> usize {
        lock(&self.state).recorder.not_modified
    }

    /// Token renewals that succeeded.
    pub fn renewals(&self) -> usize {
        lock(&self.state).recorder.renewals
    }

    /// Clears the request log and the login/renewal counters.
    pub fn reset_counters(&self) {
        let mut state = lock(&self.state);
        state.recorder.reset();
        state.identity_logins.reset_counts();
    }

    // --- faults ---

    /// Queues `fault` for the next request matching `route`. Faults are consumed one per
    /// request, oldest first among those whose route matches.
    pub fn inject(&self, route: Route, fault: Fault) {
        lock(&self.state).faults.push(route, fault);
    }

    /// Drops every queued fault.
    pub fn clear_faults(&self) {
        lock(&self.state).faults.clear();
    }
}
