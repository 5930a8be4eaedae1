//! AWS IAM auth: a SigV4-signed `sts:GetCallerIdentity` request, built here and sent to
//! Infisical, which forwards it to STS to learn who signed it.

use super::sigv4::{self, SigningKey};
use super::{invalid, IdentityLogin, LoginBody, LoginContext, LoginMethod};
use crate::{BoxFuture, Env, ProcessEnv};
use base64::Engine as _;
use infisical_core::{CredentialsError, SecretString};
use std::fmt;
use std::sync::Arc;

const PROVIDER: &str = "aws-iam";
const STS_BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";
const FORM: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// AWS credentials: an access key id, its secret, and a session token for temporary
/// credentials. `Debug` shows the access key id only.
#[derive(Clone)]
pub struct AwsCredentials {
    access_key_id: String,
    secret_access_key: SecretString,
    session_token: Option<SecretString>,
}

impl AwsCredentials {
    /// Long-term credentials.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<SecretString>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
        }
    }

    /// Temporary credentials: adds their session token.
    pub fn with_session_token(mut self, token: impl Into<SecretString>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }
}

impl fmt::Debug for AwsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsCredentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &self.secret_access_key)
            .field("session_token", &self.session_token)
            .finish()
    }
}

/// Where AWS IAM auth gets AWS credentials, at every login: plug in the AWS SDK's
/// credentials chain (instance profiles, web identity, SSO) through this.
pub trait ProvideAwsCredentials: Send + Sync + fmt::Debug {
    /// Credentials valid now.
    fn credentials(&self) -> BoxFuture<'_, Result<AwsCredentials, CredentialsError>>;
}

impl ProvideAwsCredentials for AwsCredentials {
    fn credentials(&self) -> BoxFuture<'_, Result<AwsCredentials, CredentialsError>> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and `AWS_SESSION_TOKEN`, read at every
/// login so that rotated temporary credentials are picked up.
#[derive(Debug)]
struct EnvAwsCredentials(Arc<dyn Env>);

impl ProvideAwsCredentials for EnvAwsCredentials {
    fn credentials(&self) -> BoxFuture<'_, Result<AwsCredentials, CredentialsError>> {
        let env = &self.0;
        let found = match (
            env.non_empty("AWS_ACCESS_KEY_ID"),
            env.non_empty("AWS_SECRET_ACCESS_KEY"),
        ) {
            (Some(id), Some(secret)) => {
                let credentials = AwsCredentials::new(id, secret);
                Ok(match env.non_empty("AWS_SESSION_TOKEN") {
                    Some(token) => credentials.with_session_token(token),
                    None => credentials,
                })
            }
            _ => Err(invalid(
                PROVIDER,
                "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set; set them, or give \
                 AwsIamAuth a credentials source",
            )),
        };
        Box::pin(async move { found })
    }
}

/// AWS IAM auth (`POST /api/v1/auth/aws-auth/login`): on every login, signs an
/// `sts:GetCallerIdentity` POST for `https://sts.<region>.amazonaws.com/` with SigV4 and
/// sends its method, base64 body and base64 JSON headers; Infisical replays it to STS.
///
/// Credentials come from `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` /
/// `AWS_SESSION_TOKEN` unless [`credentials`](AwsIamAuth::credentials) gives a source;
/// the region from [`region`](AwsIamAuth::region), else `AWS_REGION`, else
/// `AWS_DEFAULT_REGION`, else `us-east-1`.
#[derive(Debug, Clone)]
pub struct AwsIamAuth {
    identity_id: String,
    credentials: Arc<dyn ProvideAwsCredentials>,
    region: Option<String>,
    env: Arc<dyn Env>,
}

impl AwsIamAuth {
    /// AWS IAM auth for `identity_id`, with credentials from the process environment.
    pub fn new(identity_id: impl Into<String>) -> Self {
        Self::with_env(identity_id, Arc::new(ProcessEnv))
    }

    /// Like [`new`](AwsIamAuth::new), reading credentials and region from `env`.
    pub fn with_env(identity_id: impl Into<String>, env: Arc<dyn Env>) -> Self {
        Self {
            identity_id: identity_id.into(),
            credentials: Arc::new(EnvAwsCredentials(env.clone())),
            region: None,
            env,
        }
    }

    /// Takes AWS credentials from `source` at every login (fixed [`AwsCredentials`], or
    /// your own [`ProvideAwsCredentials`]).
    pub fn credentials(mut self, source: impl ProvideAwsCredentials + 'static) -> Self {
        self.credentials = Arc::new(source);
        self
    }

    /// The STS region to sign for (Infisical calls `sts.<region>.amazonaws.com`).
    pub fn region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    fn current_region(&self) -> String {
        self.region
            .clone()
            .or_else(|| self.env.non_empty("AWS_REGION"))
            .or_else(|| self.env.non_empty("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|| "us-east-1".to_owned())
    }
}

impl IdentityLogin for AwsIamAuth {
    fn name(&self) -> &'static str {
        PROVIDER
    }

    fn route(&self) -> &'static str {
        "POST /api/v1/auth/aws-auth/login"
    }

    fn identity(&self) -> &str {
        &self.identity_id
    }

    fn body<'a>(
        &'a self,
        cx: &'a LoginContext,
    ) -> BoxFuture<'a, Result<LoginBody, CredentialsError>> {
        Box::pin(async move {
            let credentials = self.credentials.credentials().await?;
            let region = self.current_region();
            let key = SigningKey {
                access_key_id: &credentials.access_key_id,
                secret_access_key: credentials.secret_access_key.expose(),
                session_token: credentials.session_token.as_ref().map(SecretString::expose),
            };
            let headers = vec![
                ("Host".to_owned(), format!("sts.{region}.amazonaws.com")),
                ("Content-Type".to_owned(), FORM.to_owned()),
            ];
            let body = STS_BODY.as_bytes();
            let mut signed = sigv4::sign("POST", headers, body, &region, "sts", &key, cx.now());
            signed.push(("Content-Length".to_owned(), body.len().to_string()));
            let headers: serde_json::Map<String, serde_json::Value> = signed
                .into_iter()
                .map(|(name, value)| (name, value.into()))
                .collect();
            let headers = serde_json::Value::Object(headers).to_string();
            let b64 = base64::engine::general_purpose::STANDARD;
            Ok(LoginBody::new()
                .field("identityId", &self.identity_id)
                .field("iamHttpRequestMethod", "POST")
                .field("iamRequestBody", b64.encode(body))
                .secret("iamRequestHeaders", b64.encode(headers).into()))
        })
    }
}

impl From<AwsIamAuth> for LoginMethod {
    fn from(m: AwsIamAuth) -> Self {
        LoginMethod::new(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::methods::testing::{body_of, fake};
    use crate::StaticEnv;
    use serde_json::Value;

    fn decode(v: &Value) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap())
            .unwrap()
    }

    #[tokio::test]
    async fn signs_get_caller_identity_with_credentials_from_the_environment() {
        let env = StaticEnv::from([
            ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
            (
                "AWS_SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            ),
            ("AWS_SESSION_TOKEN", "session-token"),
            ("AWS_DEFAULT_REGION", "eu-west-3"),
        ]);
        let method: LoginMethod = AwsIamAuth::with_env("aws-id", Arc::new(env)).into();
        let (cx, _) = fake(|_| (500, String::new()));
        let body = body_of(&method, &cx).await;
        assert_eq!(body["identityId"], "aws-id");
        assert_eq!(body["iamHttpRequestMethod"], "POST");
        assert_eq!(decode(&body["iamRequestBody"]), STS_BODY.as_bytes());
        let headers: Value = serde_json::from_slice(&decode(&body["iamRequestHeaders"])).unwrap();
        assert_eq!(headers["Host"], "sts.eu-west-3.amazonaws.com");
        assert_eq!(headers["Content-Type"], FORM);
        assert_eq!(headers["Content-Length"], "43");
        assert_eq!(headers["X-Amz-Date"], "20150830T123600Z");
        assert_eq!(headers["X-Amz-Security-Token"], "session-token");
        let auth = headers["Authorization"].as_str().unwrap();
        assert!(
            auth.starts_with(
                "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-3/sts/aws4_request, \
             SignedHeaders=content-type;host;x-amz-date;x-amz-security-token, Signature="
            ),
            "{auth}"
        );
        assert_eq!(headers.as_object().unwrap().len(), 6);
    }

    #[tokio::test]
    async fn an_injected_source_and_region_win_and_nothing_leaks() {
        let method: LoginMethod = AwsIamAuth::with_env("aws-id", Arc::new(StaticEnv::new()))
            .credentials(AwsCredentials::new("AKID2", "very-secret-key"))
            .region("ap-southeast-2")
            .into();
        let (cx, _) = fake(|_| (500, String::new()));
        let body = body_of(&method, &cx).await;
        let headers: Value = serde_json::from_slice(&decode(&body["iamRequestHeaders"])).unwrap();
        assert_eq!(headers["Host"], "sts.ap-southeast-2.amazonaws.com");
        assert!(headers.get("X-Amz-Security-Token").is_none());
        assert!(!format!("{method:?}").contains("very-secret-key"));
        let body = method.inner().body(&cx).await.unwrap();
        assert!(
            !format!("{body:?}").contains("AKID2/"),
            "the signed headers are redacted"
        );

        let missing: LoginMethod =
            AwsIamAuth::with_env("aws-id", Arc::new(StaticEnv::new())).into();
        let err = missing.inner().body(&cx).await.unwrap_err();
        assert!(err.to_string().contains("AWS_ACCESS_KEY_ID"), "{err}");
    }
}
