//! Choosing a login method from the environment, with the variable names of the official
//! Infisical CLI (`packages/util/constants.go` and `packages/util/auth.go` of
//! `Infisical/cli`).

use super::{
    invalid, AwsIamAuth, AzureAuth, GcpIamAuth, GcpIdTokenAuth, JwtAuth, JwtSource, KubernetesAuth,
    LdapAuth, LoginMethod, OidcAuth,
};
use crate::{Credentials, Env};
use infisical_core::CredentialsError;
use std::sync::Arc;

/// Selects the login method, as `infisical login --method` does.
pub(crate) const AUTH_METHOD: &str = "INFISICAL_AUTH_METHOD";
const IDENTITY_ID: &str = "INFISICAL_MACHINE_IDENTITY_ID";
const JWT: &str = "INFISICAL_JWT";
/// The CLI's older name for the OIDC JWT.
const OIDC_JWT: &str = "INFISICAL_OIDC_AUTH_JWT";

/// The values `INFISICAL_AUTH_METHOD` takes.
pub(crate) const METHODS: [&str; 9] = [
    "universal-auth",
    "kubernetes",
    "aws-iam",
    "gcp-id-token",
    "gcp-iam",
    "azure",
    "oidc-auth",
    "jwt-auth",
    "ldap-auth",
];

/// The credentials `INFISICAL_AUTH_METHOD` selects, if it is set; an error when it names
/// no method or the method's variables are missing.
pub(crate) fn from_env(
    env: &Arc<dyn Env>,
    provider: &'static str,
) -> Result<Option<Credentials>, CredentialsError> {
    let Some(method) = env.non_empty(AUTH_METHOD) else {
        return Ok(None);
    };
    let method = method.trim();
    let need = |name: &str| {
        env.non_empty(name).ok_or_else(|| {
            invalid(
                provider,
                format!("{AUTH_METHOD}={method} needs {name}, which is not set"),
            )
        })
    };
    let either = |names: [&str; 2]| need(names[0]).or_else(|e| env.non_empty(names[1]).ok_or(e));
    if method == "universal-auth" {
        return Ok(Some(Credentials::universal_auth(
            either(["INFISICAL_UNIVERSAL_AUTH_CLIENT_ID", "INFISICAL_CLIENT_ID"])?,
            either([
                "INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET",
                "INFISICAL_CLIENT_SECRET",
            ])?,
        )));
    }
    if !METHODS.contains(&method) {
        return Err(invalid(
            provider,
            format!(
                "{AUTH_METHOD}={method} is not a login method; use one of {}",
                METHODS.join(", ")
            ),
        ));
    }
    let id = need(IDENTITY_ID)?;
    let login: LoginMethod = match method {
        "kubernetes" => match env.non_empty("INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH") {
            Some(path) => KubernetesAuth::new(id).token_path(path).into(),
            None => KubernetesAuth::new(id).into(),
        },
        "aws-iam" => AwsIamAuth::with_env(id, env.clone()).into(),
        // Google's client libraries honour GCE_METADATA_HOST (host and port) too.
        "gcp-id-token" => match env.non_empty("GCE_METADATA_HOST") {
            Some(host) => GcpIdTokenAuth::new(id)
                .metadata_url(format!("http://{host}"))
                .into(),
            None => GcpIdTokenAuth::new(id).into(),
        },
        "gcp-iam" => {
            GcpIamAuth::new(id, need("INFISICAL_GCP_IAM_SERVICE_ACCOUNT_KEY_FILE_PATH")?).into()
        }
        // Azure's identity libraries take the IMDS endpoint from this variable too.
        "azure" => match env.non_empty("AZURE_POD_IDENTITY_AUTHORITY_HOST") {
            Some(url) => AzureAuth::new(id).imds_url(url).into(),
            None => AzureAuth::new(id).into(),
        },
        "oidc-auth" => {
            either([JWT, OIDC_JWT])?;
            let source = JwtSource::env_in(env.clone(), [JWT.to_owned(), OIDC_JWT.to_owned()]);
            OidcAuth::new(id, source).into()
        }
        "jwt-auth" => {
            need(JWT)?;
            JwtAuth::new(id, JwtSource::env_in(env.clone(), [JWT.to_owned()])).into()
        }
        _ => LdapAuth::new(
            id,
            need("INFISICAL_LDAP_USERNAME")?,
            need("INFISICAL_LDAP_PASSWORD")?,
        )
        .into(),
    };
    Ok(Some(Credentials::IdentityLogin(login)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::testing::{body_of, fake};
    use crate::StaticEnv;
    use infisical_core::CredentialsErrorKind;
    use serde_json::json;

    fn select(vars: StaticEnv) -> Result<Option<Credentials>, CredentialsError> {
        let env: Arc<dyn Env> = Arc::new(vars);
        from_env(&env, "environment")
    }

    fn method(vars: StaticEnv) -> LoginMethod {
        match select(vars).unwrap() {
            Some(Credentials::IdentityLogin(m)) => m,
            other => panic!("{other:?}"),
        }
    }

    fn with(method: &str, vars: &[(&str, &str)]) -> StaticEnv {
        vars.iter().fold(
            StaticEnv::from([(AUTH_METHOD, method), (IDENTITY_ID, "mi-1")]),
            |env, (k, v)| env.set(*k, *v),
        )
    }

    #[tokio::test]
    async fn every_method_is_selected_by_its_cli_name() {
        let names = [
            ("kubernetes", "kubernetes-auth"),
            ("aws-iam", "aws-iam"),
            ("gcp-id-token", "gcp-id-token"),
            ("azure", "azure-auth"),
        ];
        for (value, name) in names {
            let m = method(with(value, &[]));
            assert_eq!((m.name(), m.identity()), (name, "mi-1"));
        }
        let gcp = method(with(
            "gcp-iam",
            &[("INFISICAL_GCP_IAM_SERVICE_ACCOUNT_KEY_FILE_PATH", "/k.json")],
        ));
        assert_eq!(gcp.name(), "gcp-iam");
        let (cx, _) = fake(|_| (500, String::new()));
        let oidc = method(with("oidc-auth", &[(OIDC_JWT, "old.name.jwt")]));
        assert_eq!(
            body_of(&oidc, &cx).await,
            json!({"identityId": "mi-1", "jwt": "old.name.jwt"})
        );
        let jwt = method(with("jwt-auth", &[(JWT, "a.b.c")]));
        assert_eq!(
            body_of(&jwt, &cx).await,
            json!({"identityId": "mi-1", "jwt": "a.b.c"})
        );
        let ldap = method(with(
            "ldap-auth",
            &[
                ("INFISICAL_LDAP_USERNAME", "u"),
                ("INFISICAL_LDAP_PASSWORD", "p"),
            ],
        ));
        assert_eq!(
            body_of(&ldap, &cx).await,
            json!({"identityId": "mi-1", "username": "u", "password": "p"})
        );
        let ua = select(StaticEnv::from([
            (AUTH_METHOD, "universal-auth"),
            ("INFISICAL_UNIVERSAL_AUTH_CLIENT_ID", "cid"),
            ("INFISICAL_UNIVERSAL_AUTH_CLIENT_SECRET", "cs"),
        ]));
        assert!(
            matches!(ua, Ok(Some(Credentials::IdentityLogin(ref m))) if m.name() == "universal-auth" && m.identity() == "cid")
        );
    }

    #[tokio::test]
    async fn overrides_of_paths_and_metadata_servers() {
        let path = std::env::temp_dir().join(format!("infisical-env-k8s-{}", std::process::id()));
        std::fs::write(&path, "tok").unwrap();
        let k8s = method(with(
            "kubernetes",
            &[(
                "INFISICAL_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH",
                path.to_str().unwrap(),
            )],
        ));
        let (cx, seen) = fake(|r| match r.uri().path() {
            "/metadata/identity/oauth2/token" => (200, r#"{"access_token":"az"}"#.to_owned()),
            _ => (200, "gcp".to_owned()),
        });
        assert_eq!(body_of(&k8s, &cx).await["jwt"], "tok");
        std::fs::remove_file(&path).unwrap();
        let gcp = method(with(
            "gcp-id-token",
            &[("GCE_METADATA_HOST", "127.0.0.1:9")],
        ));
        assert_eq!(body_of(&gcp, &cx).await["jwt"], "gcp");
        let azure = method(with(
            "azure",
            &[("AZURE_POD_IDENTITY_AUTHORITY_HOST", "http://imds.local")],
        ));
        assert_eq!(body_of(&azure, &cx).await["jwt"], "az");
        let seen = seen.lock().unwrap();
        assert_eq!(seen[0].uri().authority().unwrap(), "127.0.0.1:9");
        assert_eq!(seen[1].uri().authority().unwrap(), "imds.local");
    }

    #[test]
    fn unset_is_nothing_and_mistakes_are_errors() {
        assert!(select(StaticEnv::new()).unwrap().is_none());
        let errors = [
            with("ldap", &[]),
            StaticEnv::from([(AUTH_METHOD, "kubernetes")]),
            with("jwt-auth", &[]),
            with("gcp-iam", &[]),
            with("ldap-auth", &[("INFISICAL_LDAP_USERNAME", "u")]),
            StaticEnv::from([(AUTH_METHOD, "universal-auth")]),
        ];
        for env in errors {
            let err = select(env.clone()).unwrap_err();
            assert_eq!(err.kind(), CredentialsErrorKind::Invalid, "{env:?}");
        }
        let err = select(with("ldap", &[])).unwrap_err();
        assert!(err.to_string().contains("ldap-auth"), "{err}");
    }
}
