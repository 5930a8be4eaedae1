//! OIDC auth and JWT auth: a JWT from a file, an environment variable or a closure, read
//! again at every login.

use super::{invalid, FetchJwt, JwtLogin, LoginContext, LoginMethod};
use crate::{BoxFuture, Env, ProcessEnv};
use infisical_core::{CredentialsError, SecretString};
use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::sync::Arc;

type JwtFn =
    Arc<dyn Fn() -> BoxFuture<'static, Result<SecretString, CredentialsError>> + Send + Sync>;

/// Where a JWT comes from. It is read at every login, so a rotated file or variable is
/// picked up by the next login. Surrounding whitespace is dropped; an empty JWT is an
/// error.
#[derive(Clone)]
pub struct JwtSource(Inner);

#[derive(Clone)]
enum Inner {
    File(PathBuf),
    Env {
        env: Arc<dyn Env>,
        names: Vec<String>,
    },
    Value(SecretString),
    Fn(JwtFn),
}

impl JwtSource {
    /// The content of a file (such as a projected service-account token).
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self(Inner::File(path.into()))
    }

    /// The process environment variable `name`.
    pub fn env(name: impl Into<String>) -> Self {
        Self::env_in(Arc::new(ProcessEnv), [name.into()])
    }

    /// The first of `names` set in `env`.
    pub fn env_in(env: Arc<dyn Env>, names: impl IntoIterator<Item = String>) -> Self {
        Self(Inner::Env {
            env,
            names: names.into_iter().collect(),
        })
    }

    /// A fixed JWT.
    pub fn value(jwt: impl Into<SecretString>) -> Self {
        Self(Inner::Value(jwt.into()))
    }

    /// An async closure, called at every login (fetch the JWT from your identity provider).
    pub fn from_fn<F, Fut>(f: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<SecretString, CredentialsError>> + Send + 'static,
    {
        Self(Inner::Fn(Arc::new(move || Box::pin(f()))))
    }

    /// Reads the JWT now.
    pub async fn read(&self, provider: &'static str) -> Result<SecretString, CredentialsError> {
        let (jwt, from) = match &self.0 {
            Inner::File(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    invalid(
                        provider,
                        format!("cannot read the JWT file {}: {e}", path.display()),
                    )
                    .with_source(e)
                })?;
                (
                    SecretString::new(text),
                    format!("the file {}", path.display()),
                )
            }
            Inner::Env { env, names } => {
                let found = names.iter().find_map(|n| env.non_empty(n));
                let found = found.ok_or_else(|| {
                    invalid(provider, format!("{} is not set", names.join(" or ")))
                })?;
                (SecretString::new(found), names.join(" or "))
            }
            Inner::Value(jwt) => (jwt.clone(), "the given JWT".to_owned()),
            Inner::Fn(f) => (f().await?, "the JWT closure".to_owned()),
        };
        let trimmed = jwt.expose().trim();
        if trimmed.is_empty() {
            return Err(invalid(provider, format!("{from} holds no JWT")));
        }
        Ok(if trimmed.len() == jwt.expose().len() {
            jwt
        } else {
            SecretString::new(trimmed)
        })
    }
}

impl FetchJwt for JwtSource {
    fn fetch<'a>(
        &'a self,
        provider: &'static str,
        _identity_id: &'a str,
        _cx: &'a LoginContext,
    ) -> BoxFuture<'a, Result<SecretString, CredentialsError>> {
        Box::pin(self.read(provider))
    }
}

impl fmt::Debug for JwtSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Inner::File(path) => f.debug_tuple("File").field(path).finish(),
            Inner::Env { names, .. } => f.debug_tuple("Env").field(names).finish(),
            Inner::Value(jwt) => f.debug_tuple("Value").field(jwt).finish(),
            Inner::Fn(_) => f.write_str("Fn"),
        }
    }
}

/// OIDC auth (`POST /api/v1/auth/oidc-auth/login`): a JWT from your OIDC provider (a CI
/// system's ID token, say), read from its [`JwtSource`] at every login.
#[derive(Debug, Clone)]
pub struct OidcAuth {
    identity_id: String,
    jwt: JwtSource,
}

impl OidcAuth {
    /// OIDC auth for the machine identity `identity_id`.
    pub fn new(identity_id: impl Into<String>, jwt: JwtSource) -> Self {
        Self {
            identity_id: identity_id.into(),
            jwt,
        }
    }
}

impl From<OidcAuth> for LoginMethod {
    fn from(m: OidcAuth) -> Self {
        LoginMethod::new(JwtLogin {
            name: "oidc-auth",
            route: "POST /api/v1/auth/oidc-auth/login",
            identity_id: m.identity_id,
            jwt: m.jwt,
        })
    }
}

/// JWT auth (`POST /api/v1/auth/jwt-auth/login`): a JWT signed by a key the identity
/// trusts, read from its [`JwtSource`] at every login.
#[derive(Debug, Clone)]
pub struct JwtAuth {
    identity_id: String,
    jwt: JwtSource,
}

impl JwtAuth {
    /// JWT auth for the machine identity `identity_id`.
    pub fn new(identity_id: impl Into<String>, jwt: JwtSource) -> Self {
        Self {
            identity_id: identity_id.into(),
            jwt,
        }
    }
}

impl From<JwtAuth> for LoginMethod {
    fn from(m: JwtAuth) -> Self {
        LoginMethod::new(JwtLogin {
            name: "jwt-auth",
            route: "POST /api/v1/auth/jwt-auth/login",
            identity_id: m.identity_id,
            jwt: m.jwt,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::testing::{body_of, fake};
    use crate::StaticEnv;
    use serde_json::json;

    #[tokio::test]
    async fn bodies_of_oidc_and_jwt_auth() {
        let (cx, _) = fake(|_| (500, String::new()));
        let oidc: LoginMethod = OidcAuth::new("id-1", JwtSource::value(" a.b.c\n")).into();
        assert_eq!(oidc.inner().route(), "POST /api/v1/auth/oidc-auth/login");
        assert_eq!(
            body_of(&oidc, &cx).await,
            json!({"identityId": "id-1", "jwt": "a.b.c"})
        );
        let jwt: LoginMethod = JwtAuth::new("id-2", JwtSource::value("x.y.z")).into();
        assert_eq!(jwt.inner().route(), "POST /api/v1/auth/jwt-auth/login");
        assert_eq!(
            body_of(&jwt, &cx).await,
            json!({"identityId": "id-2", "jwt": "x.y.z"})
        );
        assert!(!format!("{jwt:?}").contains("x.y.z"));
    }

    #[tokio::test]
    async fn sources_are_read_at_every_call() {
        let dir = std::env::temp_dir().join(format!("infisical-jwt-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("token");
        std::fs::write(&path, "first\n").unwrap();
        let file = JwtSource::file(&path);
        assert_eq!(file.read("t").await.unwrap().expose(), "first");
        std::fs::write(&path, "second").unwrap();
        assert_eq!(file.read("t").await.unwrap().expose(), "second");
        std::fs::write(&path, "  ").unwrap();
        assert!(file.read("t").await.is_err());
        std::fs::remove_dir_all(&dir).unwrap();

        let env = Arc::new(StaticEnv::from([("B", "from-b")]));
        let source = JwtSource::env_in(env, ["A".to_owned(), "B".to_owned()]);
        assert_eq!(source.read("t").await.unwrap().expose(), "from-b");
        let none = JwtSource::env_in(Arc::new(StaticEnv::new()), ["A".to_owned()]);
        assert!(none
            .read("t")
            .await
            .unwrap_err()
            .to_string()
            .contains("A is not set"));

        let calls = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = calls.clone();
        let f = JwtSource::from_fn(move || {
            let n = counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            async move { Ok(SecretString::new(format!("jwt-{n}"))) }
        });
        assert_eq!(f.read("t").await.unwrap().expose(), "jwt-0");
        assert_eq!(f.read("t").await.unwrap().expose(), "jwt-1");
    }
}
