//! Kubernetes auth: the pod's service-account token, read again at every login because the
//! kubelet rotates it.

use super::{JwtLogin, JwtSource, LoginMethod};
use std::path::PathBuf;

/// Where the kubelet mounts a pod's service-account token.
pub const DEFAULT_TOKEN_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount/token";

/// Kubernetes auth (`POST /api/v1/auth/kubernetes-auth/login`): sends the pod's
/// service-account token, read from its file at every login, so that the token the kubelet
/// rotated in is the one sent.
#[derive(Debug, Clone)]
pub struct KubernetesAuth {
    identity_id: String,
    token: JwtSource,
}

impl KubernetesAuth {
    /// Kubernetes auth for `identity_id`, with the token at
    /// `/var/run/secrets/kubernetes.io/serviceaccount/token`.
    pub fn new(identity_id: impl Into<String>) -> Self {
        Self {
            identity_id: identity_id.into(),
            token: JwtSource::file(DEFAULT_TOKEN_PATH),
        }
    }

    /// Reads the token from this file instead (a projected token with its own audience).
    pub fn token_path(self, path: impl Into<PathBuf>) -> Self {
        self.token(JwtSource::file(path))
    }

    /// Takes the token from any source.
    pub fn token(mut self, token: JwtSource) -> Self {
        self.token = token;
        self
    }
}

impl From<KubernetesAuth> for LoginMethod {
    fn from(m: KubernetesAuth) -> Self {
        LoginMethod::new(JwtLogin {
            name: "kubernetes-auth",
            route: "POST /api/v1/auth/kubernetes-auth/login",
            identity_id: m.identity_id,
            jwt: m.token,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::testing::{body_of, fake};
    use serde_json::json;

    #[tokio::test]
    async fn the_token_file_is_read_at_every_login() {
        let path = std::env::temp_dir().join(format!("infisical-k8s-{}", std::process::id()));
        std::fs::write(&path, "sa-token-1").unwrap();
        let method: LoginMethod = KubernetesAuth::new("k8s-id").token_path(&path).into();
        let (cx, _) = fake(|_| (500, String::new()));
        assert_eq!(method.name(), "kubernetes-auth");
        assert_eq!(
            body_of(&method, &cx).await,
            json!({"identityId": "k8s-id", "jwt": "sa-token-1"})
        );
        std::fs::write(&path, "sa-token-2\n").unwrap();
        assert_eq!(body_of(&method, &cx).await["jwt"], "sa-token-2");
        std::fs::remove_file(&path).unwrap();
        let err = method.inner().body(&cx).await.unwrap_err();
        assert!(
            err.to_string().contains("cannot read the JWT file"),
            "{err}"
        );
    }
}
